use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};

/// GuestbookSpec defines the desired state of Guestbook
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default)]
#[crd(group = "webapp.my.domain", version = "v1", kind = "Guestbook", status = "GuestbookStatus")]
pub struct GuestbookSpec {
    /// Foo is an example field of Guestbook. Edit guestbook_types.go to remove/update
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub foo: String,
}

/// GuestbookStatus defines the observed state of Guestbook
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
pub struct GuestbookStatus {}

fn main() {
    assert_eq!(GuestbookSpec::CRD_API_VERSION, "webapp.my.domain/v1");
    assert_eq!(GuestbookSpec::CRD_KIND, "Guestbook");
    assert_eq!(GuestbookSpec::CRD_PLURAL, "guestbooks");
    assert_eq!(GuestbookSpec::CRD_NAME, "guestbooks.webapp.my.domain");
}
