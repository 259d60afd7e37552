use super::*;

/// Part 4.
pub struct Part4 {
    pub next: Option<Box<Part5>>,
    pub name: String,
}
