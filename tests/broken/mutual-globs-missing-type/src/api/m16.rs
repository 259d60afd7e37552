use super::*;

/// Part 16.
pub struct Part16 {
    pub next: Option<Box<Part17>>,
    pub name: String,
}
