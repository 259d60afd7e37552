use crd_gen_derive::CustomResource;
use serde::{Deserialize, Serialize};

/// The crate builds against Kubernetes 1.34 (k8s-openapi's `v1_34`), whose API server does not
/// yet have cel-go's lists extension for new CRD rules.
#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    #[crd(max_items = 10, validation(rule = "self.sortBy(n, n) == self"))]
    pub names: Vec<String>,
}
