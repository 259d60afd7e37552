use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example", version = "v1")]
pub struct WidgetSpec {
    pub foo: String,
}
