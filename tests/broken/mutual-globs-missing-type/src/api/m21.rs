use super::*;

/// Part 21.
pub struct Part21 {
    pub next: Option<Box<Part22>>,
    pub name: String,
}
