use super::*;

/// Part 2.
pub struct Part2 {
    pub next: Option<Box<Part3>>,
    pub name: String,
}
