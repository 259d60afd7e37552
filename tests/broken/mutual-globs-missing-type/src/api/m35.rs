use super::*;

/// Part 35.
pub struct Part35 {
    pub next: Option<Box<Part36>>,
    pub name: String,
}
