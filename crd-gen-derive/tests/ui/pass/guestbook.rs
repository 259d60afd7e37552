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
    // The root type, without crd-gen in build.rs: its facts from the struct's markers.
    let gb = Guestbook::new("my-book", GuestbookSpec::default());
    assert_eq!(gb.metadata.name.as_deref(), Some("my-book"));
    assert!(gb.status.is_none());
    assert_eq!(Guestbook::API_VERSION, "webapp.my.domain/v1");
    assert_eq!((Guestbook::KIND, Guestbook::PLURAL), ("Guestbook", "guestbooks"));
}
