use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1", status = "WidgetStatus", scale(spec_replicas_path = ".spec.replicas", status_replicas_path = ".status.replicas"))]
pub struct WidgetSpec {
    pub foo: String,
    pub replicas: String,
}

#[derive(CrdSchema, Serialize, Deserialize)]
pub struct WidgetStatus {
    pub replicas: i32,
}
