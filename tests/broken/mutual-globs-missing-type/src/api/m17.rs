use super::*;

/// Part 17.
pub struct Part17 {
    pub next: Option<Box<Part18>>,
    pub name: String,
}
