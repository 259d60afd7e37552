use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub source: Source,
}

#[derive(CrdSchema, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Source {
    Url(String),
    Inline { script: String },
}
