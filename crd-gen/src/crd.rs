//! The CustomResourceDefinition model (apiextensions.k8s.io/v1), as emitted.

use crate::schema::Schema;
use indexmap::IndexMap;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomResourceDefinition {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: CrdMetadata,
    pub spec: CrdSpec,
}

#[derive(Clone, Debug, Serialize)]
pub struct CrdMetadata {
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub annotations: IndexMap<String, String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub labels: IndexMap<String, String>,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CrdSpec {
    pub group: String,
    pub names: Names,
    pub scope: String,
    pub versions: Vec<CrdVersion>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Names {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    pub kind: String,
    pub list_kind: String,
    pub plural: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub short_names: Vec<String>,
    pub singular: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrdVersion {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub additional_printer_columns: Vec<PrinterColumn>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecation_warning: Option<String>,
    pub name: String,
    pub schema: VersionSchema,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub selectable_fields: Vec<SelectableField>,
    pub served: bool,
    pub storage: bool,
    #[serde(skip_serializing_if = "Subresources::is_empty")]
    pub subresources: Subresources,
}

#[derive(Clone, Debug, Serialize)]
pub struct VersionSchema {
    #[serde(rename = "openAPIV3Schema")]
    pub open_api_v3_schema: Schema,
}

impl Drop for VersionSchema {
    /// A CRD leaves the engine's thread (with its large stack) for whoever asked for it; a
    /// schema as deep as the API server accepts, dropped recursively, could overflow a smaller
    /// stack. It is taken apart one node at a time instead.
    fn drop(&mut self) {
        drop_flat(std::mem::take(&mut self.open_api_v3_schema));
    }
}

/// Drops a schema tree (and the JSON values in it) without recursion.
pub fn drop_flat(schema: Schema) {
    let mut schemas = vec![schema];
    let mut values = Vec::new();
    while let Some(mut s) = schemas.pop() {
        schemas.extend(s.properties.take().into_iter().flat_map(|p| p.into_values()));
        schemas.extend([s.items.take(), s.additional_properties.take(), s.not.take()].into_iter().flatten().map(|b| *b));
        schemas.extend(s.all_of.drain(..).chain(s.any_of.drain(..)).chain(s.one_of.drain(..)));
        values.extend([s.default.take(), s.example.take()].into_iter().flatten());
        values.extend(s.enum_.take().into_iter().flatten());
    }
    while let Some(v) = values.pop() {
        match v {
            serde_json::Value::Array(a) => values.extend(a),
            serde_json::Value::Object(o) => values.extend(o.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrinterColumn {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    pub json_path: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u64>,
    #[serde(rename = "type")]
    pub type_: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SelectableField {
    pub json_path: String,
}

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subresources {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Subresources {
    pub fn is_empty(&self) -> bool {
        self.scale.is_none() && self.status.is_none()
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scale {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector_path: Option<String>,
    pub spec_replicas_path: String,
    pub status_replicas_path: String,
}

impl CustomResourceDefinition {
    /// `<group>_<plural>.yaml`, controller-gen's file name.
    pub fn file_name(&self) -> String {
        format!("{}_{}.yaml", self.spec.group, self.spec.names.plural)
    }
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("CRD serializes")
    }
}
