use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

pub mod a {
    use super::*;

    #[derive(CustomResource, Serialize, Deserialize)]
    #[crd(group = "example.com", version = "v1", kind = "Widget")]
    pub struct WidgetSpec {
        pub foo: String,
    }
}

pub mod b {
    use super::*;

    #[derive(CustomResource, Serialize, Deserialize)]
    #[crd(group = "example.com", version = "v1", kind = "Widget")]
    pub struct WidgetSpec {
        pub bar: String,
    }
}
