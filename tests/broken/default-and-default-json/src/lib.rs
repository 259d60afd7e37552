use crd_gen_derive::CustomResource;
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    #[crd(default = 3, default_json = "4")]
    pub replicas: i32,
}
