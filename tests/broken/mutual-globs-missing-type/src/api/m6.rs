use super::*;

/// Part 6.
pub struct Part6 {
    pub next: Option<Box<Part7>>,
    pub name: String,
}
