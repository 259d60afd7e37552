use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

macro_rules! make_struct {
    ($name:ident) => {
        #[derive(Serialize, Deserialize)]
        pub struct $name {
            pub value: String,
        }
    };
}

make_struct!(Thing);

#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub thing: Thing,
}
