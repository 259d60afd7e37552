use super::*;

/// Part 9.
pub struct Part9 {
    pub next: Option<Box<Part10>>,
    pub name: String,
}
