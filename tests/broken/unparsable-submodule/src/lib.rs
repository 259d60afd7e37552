use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

mod types;

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub settings: types::Settings,
}
