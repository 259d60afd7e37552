use super::*;

/// Part 12.
pub struct Part12 {
    pub next: Option<Box<Part13>>,
    pub name: String,
}
