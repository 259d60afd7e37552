use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub settings: Settings,
}

#[derive(CrdSchema, Serialize, Deserialize)]
#[crd(max_propertis = 3)]
pub struct Settings {
    pub level: String,
}
