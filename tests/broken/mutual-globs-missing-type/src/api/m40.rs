use super::*;

/// Part 40.
pub struct Part40 {
    pub next: Option<Box<Part41>>,
    pub name: String,
}
