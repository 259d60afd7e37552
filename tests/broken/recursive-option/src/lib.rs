use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub root: Node,
}

#[derive(CrdSchema, Serialize, Deserialize)]
pub struct Node {
    pub value: String,
    pub next: Option<Box<Node>>,
}
