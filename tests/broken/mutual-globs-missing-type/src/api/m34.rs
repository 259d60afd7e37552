use super::*;

/// Part 34.
pub struct Part34 {
    pub next: Option<Box<Part35>>,
    pub name: String,
}
