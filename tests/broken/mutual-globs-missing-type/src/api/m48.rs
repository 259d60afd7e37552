use super::*;

/// Part 48.
pub struct Part48 {
    pub next: Option<Box<Part49>>,
    pub name: String,
}
