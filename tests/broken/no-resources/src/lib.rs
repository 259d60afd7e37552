/// Looks like a spec, but nothing derives `CustomResource`.
pub struct WidgetSpec {
    pub replicas: i32,
}
