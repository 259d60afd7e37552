use super::*;

/// Part 28.
pub struct Part28 {
    pub next: Option<Box<Part29>>,
    pub name: String,
}
