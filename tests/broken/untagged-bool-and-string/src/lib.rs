use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub enabled: Toggle,
}

/// `true`, `false`, or a feature name.
#[derive(CrdSchema, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Toggle {
    Flag(bool),
    Feature(String),
}
