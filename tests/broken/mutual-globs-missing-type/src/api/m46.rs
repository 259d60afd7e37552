use super::*;

/// Part 46.
pub struct Part46 {
    pub next: Option<Box<Part47>>,
    pub name: String,
}
