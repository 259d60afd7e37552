use super::*;

/// Part 36.
pub struct Part36 {
    pub next: Option<Box<Part37>>,
    pub name: String,
}
