use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

/// WidgetSpec defines the desired state of a Widget.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(
    group = "shapes.example.com",
    version = "v1",
    kind = "Widget",
    status = "WidgetStatus",
    scope = "Cluster",
    short_name = "wdg",
    short_name = "wd",
    category = "all",
    category = "shapes",
    storage_version,
    scale(spec_replicas_path = ".spec.replicas", status_replicas_path = ".status.replicas", label_selector_path = ".status.selector"),
    selectable_field = ".spec.color",
    annotation(key = "api-approved.kubernetes.io", value = "https://example.com/widgets"),
    label(key = "app.kubernetes.io/part-of", value = "shapes"),
    printcolumn(
        name = "Replicas",
        type = "integer",
        json_path = ".spec.replicas",
        description = "Desired replicas",
        format = "int32",
        priority = 1
    ),
    printcolumn(name = "Color", type = "string", json_path = ".spec.color", description = "The widget's color"),
    printcolumn(name = "Ready", type = "boolean", json_path = ".status.ready")
)]
// Only one column sets `priority`: clippy's `duplicated_attributes` lint reports a second
// `priority = <n>` among the `#[crd]` attributes of an item as a duplicated attribute. An `Age`
// column on `.metadata.creationTimestamp` is refused today (see README.md).
#[serde(rename_all = "camelCase")]
pub struct WidgetSpec {
    /// How many widgets to run.
    #[crd(minimum = 0)]
    pub replicas: i32,
    /// The widget's color.
    #[crd(enum_values = ["red", "green", "blue"])]
    pub color: String,
}

/// WidgetStatus defines the observed state of a Widget.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct WidgetStatus {
    /// Widgets running.
    #[serde(default)]
    pub replicas: i32,
    /// The label selector of the widgets' pods, serialized (for the scale subresource).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub selector: String,
    /// Whether every widget is ready.
    #[serde(default)]
    pub ready: bool,
}
