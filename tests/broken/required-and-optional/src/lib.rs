use crd_gen_derive::CustomResource;
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    /// How many.
    /// +optional
    #[crd(required)]
    pub replicas: Option<i32>,
}
