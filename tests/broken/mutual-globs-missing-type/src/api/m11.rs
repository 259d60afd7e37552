use super::*;

/// Part 11.
pub struct Part11 {
    pub next: Option<Box<Part12>>,
    pub name: String,
}
