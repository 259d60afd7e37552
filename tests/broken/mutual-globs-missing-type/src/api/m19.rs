use super::*;

/// Part 19.
pub struct Part19 {
    pub next: Option<Box<Part20>>,
    pub name: String,
}
