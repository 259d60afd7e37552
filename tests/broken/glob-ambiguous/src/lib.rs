mod v1 {
    pub struct Port { pub number: i32 }
}
mod v2 {
    pub struct Port { pub name: String }
}
use v1::*;
use v2::*;

#[derive(CustomResource)]
#[crd(group = "example.com", version = "v1")]
pub struct WidgetSpec {
    pub port: Port,
}
