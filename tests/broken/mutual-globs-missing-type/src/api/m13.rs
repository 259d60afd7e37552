use super::*;

/// Part 13.
pub struct Part13 {
    pub next: Option<Box<Part14>>,
    pub name: String,
}
