use crd_gen_derive::{CrdSchema, CustomResource};

#[derive(CustomResource)]
#[crd(version = "v1", scope = "Global")]
pub struct Widget {
    #[crd(group = "a.b")]
    pub name: String,
}

#[derive(CrdSchema)]
#[crd(plural = "things")]
pub struct Other {
    pub x: i32,
}

fn main() {}
