use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

pub mod v1 {
    use super::*;

    #[derive(CustomResource, Serialize, Deserialize)]
    #[crd(group = "example.com", version = "v1", kind = "Widget", storage_version, scope = "Namespaced")]
    pub struct WidgetSpec {
        pub foo: String,
    }
}

pub mod v2 {
    use super::*;

    #[derive(CustomResource, Serialize, Deserialize)]
    #[crd(group = "example.com", version = "v2", kind = "Widget", scope = "Cluster")]
    pub struct WidgetSpec {
        pub foo: String,
    }
}
