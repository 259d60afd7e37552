use super::*;

/// Part 24.
pub struct Part24 {
    pub next: Option<Box<Part25>>,
    pub name: String,
}
