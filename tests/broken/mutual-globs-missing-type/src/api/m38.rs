use super::*;

/// Part 38.
pub struct Part38 {
    pub next: Option<Box<Part39>>,
    pub name: String,
}
