use super::*;

/// Part 0.
pub struct Part0 {
    pub next: Option<Box<Part1>>,
    pub name: String,
}
