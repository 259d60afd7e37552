use crd_gen_derive::CustomResource;
use serde::{Deserialize, Serialize};

/// A Gateway API style resource in a community-owned group.
#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "gateway.networking.k8s.io", version = "v1")]
pub struct WidgetSpec {
    pub replicas: i32,
}
