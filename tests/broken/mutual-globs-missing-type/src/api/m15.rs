use super::*;

/// Part 15.
pub struct Part15 {
    pub next: Option<Box<Part16>>,
    pub name: String,
}
