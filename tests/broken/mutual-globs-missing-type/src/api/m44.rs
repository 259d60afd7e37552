use super::*;

/// Part 44.
pub struct Part44 {
    pub next: Option<Box<Part45>>,
    pub name: String,
}
