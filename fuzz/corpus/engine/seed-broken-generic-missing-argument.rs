use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub wrapped: Wrapper,
}

#[derive(CrdSchema, Serialize, Deserialize)]
pub struct Wrapper<T> {
    pub inner: T,
}
