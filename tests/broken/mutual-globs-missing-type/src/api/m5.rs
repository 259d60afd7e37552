use super::*;

/// Part 5.
pub struct Part5 {
    pub next: Option<Box<Part6>>,
    pub name: String,
}
