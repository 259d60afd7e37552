use super::*;

/// Part 23.
pub struct Part23 {
    pub next: Option<Box<Part24>>,
    pub name: String,
}
