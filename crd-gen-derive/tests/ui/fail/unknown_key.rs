use crd_gen_derive::CustomResource;

#[derive(CustomResource)]
#[crd(group = "webapp.my.domain", version = "v1", singluar = "gb")]
pub struct GuestbookSpec {
    #[crd(min_lenght = 1)]
    pub foo: String,
}

fn main() {}
