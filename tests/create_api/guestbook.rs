//! The Guestbook API, version v1 of group webapp.my.domain.
//!
//! EDIT THIS FILE! THIS IS SCAFFOLDING FOR YOU TO OWN!
//! NOTE: serde decides the JSON form and so the schema: fields are camelCase in JSON
//! (`rename_all`), and a field that is not an `Option` or `#[serde(default)]` is required.

use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

/// GuestbookSpec defines the desired state of Guestbook.
// `status = ..` adds the status and the status subresource (kubebuilder's
// `+kubebuilder:subresource:status`).
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[crd(group = "webapp.my.domain", version = "v1", kind = "Guestbook", status = "GuestbookStatus")]
#[serde(rename_all = "camelCase")]
pub struct GuestbookSpec {
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    // Important: Run "cargo crd-gen manifests" to regenerate the CRD after modifying this file
    // Markers validate a field, e.g. `#[crd(min_length = 1)]`; `cargo crd-gen markers` lists them.

    /// Foo is an example field of Guestbook. Edit guestbook.rs to remove/update
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}

/// GuestbookStatus defines the observed state of Guestbook.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GuestbookStatus {
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // Important: Run "cargo crd-gen manifests" to regenerate the CRD after modifying this file
}
