use super::*;

/// Part 45.
pub struct Part45 {
    pub next: Option<Box<Part46>>,
    pub name: String,
}
