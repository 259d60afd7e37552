use super::*;

/// Part 33.
pub struct Part33 {
    pub next: Option<Box<Part34>>,
    pub name: String,
}
