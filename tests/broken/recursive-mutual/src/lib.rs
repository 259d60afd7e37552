use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub tree: Tree,
}

#[derive(CrdSchema, Serialize, Deserialize)]
pub struct Tree {
    pub branch: Branch,
}

#[derive(CrdSchema, Serialize, Deserialize)]
pub struct Branch {
    pub leaves: Vec<String>,
    pub subtree: Option<Box<Tree>>,
}
