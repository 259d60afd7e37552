use super::*;

/// Part 39.
pub struct Part39 {
    pub next: Option<Box<Part40>>,
    pub name: String,
}
