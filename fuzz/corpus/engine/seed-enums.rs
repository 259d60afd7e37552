//! Every serde enum representation, as Kubernetes sees it: a structural schema in which exactly
//! one variant can be given.

use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

/// PipelineSpec wires a source to an action.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[crd(group = "enums.example.com", version = "v1", kind = "Pipeline", short_name = "pl")]
#[serde(rename_all = "camelCase")]
pub struct PipelineSpec {
    /// Unit variants are a string enum; renames apply.
    pub color: Color,
    /// Variant names YAML 1.1 would read as booleans stay strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<Power>,
    /// Externally tagged: `{"circle": {..}}` or `{"square": {..}}`.
    pub shape: Shape,
    /// Internally tagged: `{"type": "git", "url": ..}`.
    pub source: Source,
    /// Adjacently tagged: `{"kind": "scale", "params": ..}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// Untagged, compatible variants: a number of seconds or a duration string is not
    /// expressible, but two object shapes are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Endpoint>,
}

/// Color of the pipeline.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub enum Color {
    DeepBlue,
    BrightRed,
    #[serde(rename = "green")]
    Green,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub enum Power {
    On,
    Off,
    #[serde(rename = "yes")]
    Yes,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub enum Shape {
    Circle {
        radius: u32,
    },
    Square {
        side: u32,
    },
    /// A polygon by its corner count.
    Polygon(u8),
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Source {
    Git {
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        revision: Option<String>,
    },
    Bucket {
        bucket: String,
        #[crd(max_length = 256)]
        prefix: String,
    },
    Inline(InlineSource),
    Empty,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct InlineSource {
    /// The script text.
    pub script: String,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", content = "params", rename_all = "lowercase")]
pub enum Action {
    Scale { replicas: u32 },
    Notify { channel: String },
    Stop,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum Endpoint {
    Url { url: String },
    HostPort { host: String, port: u16 },
}
