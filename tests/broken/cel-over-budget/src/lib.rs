use crd_gen_derive::CustomResource;
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    /// Unbounded: the API server sizes it from the request size.
    #[crd(validation(rule = "self.all(a, self.exists_one(b, a == b))", message = "names must be unique"))]
    pub names: Vec<String>,
}
