use super::*;

/// Part 18.
pub struct Part18 {
    pub next: Option<Box<Part19>>,
    pub name: String,
}
