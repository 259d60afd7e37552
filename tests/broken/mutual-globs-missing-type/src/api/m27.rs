use super::*;

/// Part 27.
pub struct Part27 {
    pub next: Option<Box<Part28>>,
    pub name: String,
}
