use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1", selectable_field = ".spec.colour")]
pub struct WidgetSpec {
    pub foo: String,
}
