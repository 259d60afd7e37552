use super::*;

/// Part 20.
pub struct Part20 {
    pub next: Option<Box<Part21>>,
    pub name: String,
}
