//! Port of controller-tools `pkg/crd/testdata/gen/zoo/zoo_types.go` (golden
//! `gen/zoo/bar.example.com_zoos.yaml`), written with `#[crd(...)]` markers where the foos
//! fixture uses Go comment markers. The version is named `zoo` after the Go package.

use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

/// Spec comments SHOULD appear in the CRD spec
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(group = "bar.example.com", version = "zoo", kind = "Zoo", status = "ZooStatus", description = "")]
#[serde(rename_all = "camelCase")]
pub struct ZooSpec {
    /// This tests that defaulted fields are stripped for v1beta1,
    /// but not for v1
    #[crd(default = "zooDefaultString", example = "zooExampleString")]
    pub defaulted_string: String,
}

/// Status comments SHOULD appear in the CRD spec
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
pub struct ZooStatus {}
