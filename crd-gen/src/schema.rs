//! The OpenAPI v3 schema model (apiextensions.k8s.io/v1 `JSONSchemaProps`), the data the lowering
//! stage produces and the validator checks.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Number, Value};

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_docs: Option<ExternalDocs>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "is_false")]
    pub nullable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Number>,
    #[serde(skip_serializing_if = "is_false")]
    pub exclusive_maximum: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Number>,
    #[serde(skip_serializing_if = "is_false")]
    pub exclusive_minimum: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(skip_serializing_if = "is_false")]
    pub unique_items: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_properties: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_properties: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<IndexMap<String, Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub all_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Schema>>,
    #[serde(rename = "x-kubernetes-preserve-unknown-fields", skip_serializing_if = "is_false")]
    pub preserve_unknown_fields: bool,
    #[serde(rename = "x-kubernetes-embedded-resource", skip_serializing_if = "is_false")]
    pub embedded_resource: bool,
    #[serde(rename = "x-kubernetes-int-or-string", skip_serializing_if = "is_false")]
    pub int_or_string: bool,
    #[serde(rename = "x-kubernetes-list-type", skip_serializing_if = "Option::is_none")]
    pub list_type: Option<String>,
    #[serde(rename = "x-kubernetes-list-map-keys", skip_serializing_if = "Vec::is_empty")]
    pub list_map_keys: Vec<String>,
    #[serde(rename = "x-kubernetes-map-type", skip_serializing_if = "Option::is_none")]
    pub map_type: Option<String>,
    #[serde(rename = "x-kubernetes-validations", skip_serializing_if = "Vec::is_empty")]
    pub validations: Vec<ValidationRule>,
    /// The Rust field or type this schema came from, for the validator's messages.
    #[serde(skip)]
    pub origin: Option<crate::diag::Loc>,
    /// Where each marker applied to this schema was written (the validator points there).
    #[serde(skip)]
    pub marker_locs: Vec<(crate::markers::MarkerKey, crate::diag::Loc)>,
    /// The k8s-openapi type this schema was inlined from, if any; the size check names
    /// the largest ones (`api::core::v1::Container`).
    #[serde(skip)]
    pub k8s_type: Option<std::sync::Arc<str>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ExternalDocs {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub url: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationRule {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional_old_self: Option<bool>,
    /// Where the rule was written.
    #[serde(skip)]
    pub origin: Option<crate::diag::Loc>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Schema {
    pub fn typed(t: &str) -> Schema {
        Schema { type_: Some(t.to_string()), ..Schema::default() }
    }
    pub fn string() -> Schema {
        Schema::typed("string")
    }
    pub fn with_format(mut self, f: &str) -> Schema {
        self.format = Some(f.to_string());
        self
    }
    pub fn object() -> Schema {
        Schema::typed("object")
    }
    pub fn array(items: Schema) -> Schema {
        Schema { items: Some(Box::new(items)), ..Schema::typed("array") }
    }
    pub fn map(values: Schema) -> Schema {
        Schema { additional_properties: Some(Box::new(values)), ..Schema::object() }
    }
    pub fn is_type(&self, t: &str) -> bool {
        self.type_.as_deref() == Some(t)
    }
    /// Where marker `key` that shaped this schema was written, if it was.
    pub fn marker_loc(&self, key: crate::markers::MarkerKey) -> Option<crate::diag::Loc> {
        self.marker_locs.iter().rev().find(|(k, _)| *k == key).map(|(_, l)| *l)
    }
    /// Equal as JSON (ignoring where each part came from).
    pub fn same_json(&self, other: &Schema) -> bool {
        self.to_json() == other.to_json()
    }
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("schema serializes")
    }
    /// Drops every description (controller-gen's maxDescLen=0) or truncates them.
    pub fn truncate_descriptions(&mut self, max: usize) {
        if let Some(d) = &mut self.description {
            if max == 0 {
                self.description = None;
            } else {
                truncate_description(d, max);
            }
        }
        self.for_each_child(|c| c.truncate_descriptions(max));
    }
    /// Sorts every `required` list, as controller-gen and kube-derive emit them (the API server
    /// reads it as a set, so the order is for stable, diffable output only).
    pub fn sort_required(&mut self) {
        self.required.sort();
        self.required.dedup();
        self.for_each_child(Schema::sort_required);
    }
    pub fn for_each_child(&mut self, mut f: impl FnMut(&mut Schema)) {
        if let Some(p) = &mut self.properties {
            p.values_mut().for_each(&mut f);
        }
        if let Some(a) = &mut self.additional_properties {
            f(a);
        }
        if let Some(i) = &mut self.items {
            f(i);
        }
        self.all_of.iter_mut().chain(self.any_of.iter_mut()).chain(self.one_of.iter_mut()).for_each(&mut f);
        if let Some(n) = &mut self.not {
            f(n);
        }
    }
}

/// controller-gen's truncation: cut at `max` bytes, back to the last `.` or space, then add `...`.
fn truncate_description(d: &mut String, max: usize) {
    if d.len() <= max {
        return;
    }
    let mut cut = max;
    while !d.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &d[..cut];
    let end = head.rfind('.').or_else(|| head.rfind(' ')).map(|i| i + 1).unwrap_or(cut);
    let mut s = d[..end].trim_end().to_string();
    s.push_str("...");
    *d = s;
}
