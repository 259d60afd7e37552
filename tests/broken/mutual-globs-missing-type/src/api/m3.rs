use super::*;

/// Part 3.
pub struct Part3 {
    pub next: Option<Box<Part4>>,
    pub name: String,
}
