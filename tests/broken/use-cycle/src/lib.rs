mod a {
    pub use crate::b::Settings;
}
mod b {
    pub use crate::a::Settings;
}
use a::Settings;

#[derive(CustomResource)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub settings: Settings,
}
