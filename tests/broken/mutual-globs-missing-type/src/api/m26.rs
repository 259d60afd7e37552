use super::*;

/// Part 26.
pub struct Part26 {
    pub next: Option<Box<Part27>>,
    pub name: String,
}
