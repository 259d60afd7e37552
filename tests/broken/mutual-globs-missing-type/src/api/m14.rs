use super::*;

/// Part 14.
pub struct Part14 {
    pub next: Option<Box<Part15>>,
    pub name: String,
}
