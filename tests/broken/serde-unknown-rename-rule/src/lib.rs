use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[serde(rename_all = "kebab_case")]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub foo: String,
}
