use crd_gen_derive::CustomResource;
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub name: String,
    #[crd(validation(rule = "size(self) < 10"))]
    pub replicas: i32,
}
