use super::*;

/// Part 42.
pub struct Part42 {
    pub next: Option<Box<Part43>>,
    pub name: String,
}
