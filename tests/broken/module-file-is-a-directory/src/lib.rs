mod api;

#[derive(CustomResource)]
#[crd(group = "example.com", version = "v1", kind = "Foo")]
pub struct FooSpec {
    pub size: i32,
}
