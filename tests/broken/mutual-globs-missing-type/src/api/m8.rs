use super::*;

/// Part 8.
pub struct Part8 {
    pub next: Option<Box<Part9>>,
    pub name: String,
}
