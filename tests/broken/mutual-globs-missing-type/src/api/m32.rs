use super::*;

/// Part 32.
pub struct Part32 {
    pub next: Option<Box<Part33>>,
    pub name: String,
}
