use super::*;

/// Part 49.
pub struct Part49 {
    pub name: String,
}

#[derive(CustomResource)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub first: Part0,
    pub last: Prat49,
}
