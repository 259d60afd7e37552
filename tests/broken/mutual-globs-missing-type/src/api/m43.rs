use super::*;

/// Part 43.
pub struct Part43 {
    pub next: Option<Box<Part44>>,
    pub name: String,
}
