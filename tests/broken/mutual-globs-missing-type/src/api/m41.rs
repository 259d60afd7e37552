use super::*;

/// Part 41.
pub struct Part41 {
    pub next: Option<Box<Part42>>,
    pub name: String,
}
