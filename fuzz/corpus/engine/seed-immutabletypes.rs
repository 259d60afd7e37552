//! Port of controller-tools `pkg/crd/testdata/immutable/types.go`. Go's `+k8s:immutable` has no
//! crd-gen marker yet; the port writes out the CEL rules controller-gen generates for it: on each
//! field `self == oldSelf`, and on the struct, for each optional immutable field, a rule that it
//! cannot be removed once set (see README.md).

use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(group = "testdata.kubebuilder.io", version = "v1", kind = "ImmutableType", description = "")]
#[crd(validation(
    rule = "!has(oldSelf.optionalString) || has(self.optionalString)",
    message = "field optionalString is immutable once set"
))]
#[crd(validation(
    rule = "!has(oldSelf.optionalLiteralString) || has(self.optionalLiteralString)",
    message = "field optionalLiteralString is immutable once set"
))]
#[crd(validation(
    rule = "!has(oldSelf.optionalStruct) || has(self.optionalStruct)",
    message = "field optionalStruct is immutable once set"
))]
#[crd(validation(
    rule = "!has(oldSelf.optionalOmitZeroStruct) || has(self.optionalOmitZeroStruct)",
    message = "field optionalOmitZeroStruct is immutable once set"
))]
#[crd(validation(rule = "!has(oldSelf.optionalSlice) || has(self.optionalSlice)", message = "field optionalSlice is immutable once set"))]
#[crd(validation(rule = "!has(oldSelf.optionalMap) || has(self.optionalMap)", message = "field optionalMap is immutable once set"))]
#[serde(rename_all = "camelCase")]
pub struct ImmutableSpec {
    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    pub required_string: String,

    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_string: Option<String>,

    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub optional_literal_string: String,

    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    pub required_struct: NestedStruct,

    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_struct: Option<NestedStruct>,

    // Go's `omitzero` on a struct value: left out when it is the zero value.
    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    #[serde(default, skip_serializing_if = "NestedStruct::is_zero")]
    pub optional_omit_zero_struct: NestedStruct,

    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    pub required_slice: Vec<String>,

    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional_slice: Vec<String>,

    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    pub required_map: BTreeMap<String, String>,

    #[crd(validation(rule = "self == oldSelf", message = "field is immutable"))]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub optional_map: BTreeMap<String, String>,

    pub mutable_string: String,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct NestedStruct {
    pub key: String,
    pub value: String,
}

impl NestedStruct {
    pub fn is_zero(&self) -> bool {
        self == &NestedStruct::default()
    }
}
