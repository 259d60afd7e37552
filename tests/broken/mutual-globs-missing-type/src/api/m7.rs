use super::*;

/// Part 7.
pub struct Part7 {
    pub next: Option<Box<Part8>>,
    pub name: String,
}
