use super::*;

/// Part 29.
pub struct Part29 {
    pub next: Option<Box<Part30>>,
    pub name: String,
}
