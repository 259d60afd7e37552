use super::*;

/// Part 47.
pub struct Part47 {
    pub next: Option<Box<Part48>>,
    pub name: String,
}
