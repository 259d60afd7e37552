use super::*;

/// Part 31.
pub struct Part31 {
    pub next: Option<Box<Part32>>,
    pub name: String,
}
