use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    #[crd(list_type = "map")]
    pub ports: Vec<Port>,
}

#[derive(CrdSchema, Serialize, Deserialize)]
pub struct Port {
    pub name: String,
    pub port: i32,
}
