use super::*;

/// Part 37.
pub struct Part37 {
    pub next: Option<Box<Part38>>,
    pub name: String,
}
