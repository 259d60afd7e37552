#[derive(CustomResource)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    #[doc = include_str!("../docs/replicas.md")]
    pub replicas: i32,
}
