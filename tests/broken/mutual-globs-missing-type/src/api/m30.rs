use super::*;

/// Part 30.
pub struct Part30 {
    pub next: Option<Box<Part31>>,
    pub name: String,
}
