use super::*;

/// Part 10.
pub struct Part10 {
    pub next: Option<Box<Part11>>,
    pub name: String,
}
