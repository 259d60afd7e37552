use super::*;

/// Part 1.
pub struct Part1 {
    pub next: Option<Box<Part2>>,
    pub name: String,
}
