use super::*;

/// Part 22.
pub struct Part22 {
    pub next: Option<Box<Part23>>,
    pub name: String,
}
