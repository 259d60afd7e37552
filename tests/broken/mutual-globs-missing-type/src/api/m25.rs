use super::*;

/// Part 25.
pub struct Part25 {
    pub next: Option<Box<Part26>>,
    pub name: String,
}
