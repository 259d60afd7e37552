//! The crd dialect of one item's or field's attributes: its `#[crd(...)]` markers, the Go comment
//! markers of its doc comment, and the doc comment itself, read together. Other dialects (serde's,
//! and later kube-derive's `#[kube(..)]` and schemars') are read beside it by whoever needs them.

use crate::docs::{self, Docs};
use crate::go;
use crate::parse::{AttrSite, Marker, MarkerError, parse_attrs};
use crate::rules;
use crate::vocab::{MarkerKey, TypeEffect};

/// Everything crd-gen reads from one item's or field's `#[crd]` markers and doc comment.
#[derive(Clone, Debug, Default)]
pub struct CrdAttrs {
    /// In source order, whichever syntax wrote each.
    pub markers: Vec<Marker>,
    pub docs: Docs,
    /// The CEL rules among the Go markers of `root(/// ..)`: rules on the whole object.
    pub root_rules: Vec<Marker>,
}

impl CrdAttrs {
    /// `#[crd]` markers plus the Go markers of the doc comment, checked for `site` and against
    /// each other.
    pub fn read(attrs: &[syn::Attribute], site: AttrSite, errors: &mut Vec<MarkerError>) -> CrdAttrs {
        let mut markers = parse_attrs(attrs, site, errors);
        let docs = docs::docs(attrs);
        let mut from_go = go::translate(&docs.go_markers, site, errors);
        // The Go root type's comment, ported into `root(...)`: its resource markers are the
        // resource's, its CEL rules are the root object's.
        let mut root_rules = Vec::new();
        if let Some(root) = markers.iter().find_map(Marker::docs).cloned() {
            for m in go::translate(&root.go_markers, AttrSite::Root, errors) {
                if m.key() == MarkerKey::Validation { root_rules.push(m) } else { from_go.push(m) }
            }
        }
        // A `#[crd]` marker wins over a Go comment marker of the same name.
        for m in from_go {
            if m.def.repeatable || !markers.iter().any(|x| x.key() == m.key()) {
                markers.push(m);
            }
        }
        // Source order, whichever syntax each marker used (printer columns keep their order).
        markers.sort_by_key(|m| {
            let start = m.span.start();
            (start.line, start.column)
        });
        errors.extend(rules::check_markers(&markers));
        CrdAttrs { markers, docs, root_rules }
    }
    pub fn get(&self, key: MarkerKey) -> Option<&Marker> {
        self.markers.iter().find(|m| m.key() == key)
    }
    pub fn all(&self, key: MarkerKey) -> impl Iterator<Item = &Marker> + '_ {
        self.markers.iter().filter(move |m| m.key() == key)
    }
    /// A flag that is given and true.
    pub fn flag(&self, key: MarkerKey) -> bool {
        self.get(key).is_some_and(Marker::as_bool)
    }
    pub fn str(&self, key: MarkerKey) -> Option<&str> {
        self.get(key).and_then(Marker::as_str)
    }
    /// The `root(/// ..)` doc comment, if given.
    pub fn root_docs(&self) -> Option<&Docs> {
        self.get(MarkerKey::Root).and_then(Marker::docs)
    }
    /// Some marker says what the value is instead of its Rust type (`schema_type`, ..).
    pub fn replaces_type(&self) -> bool {
        self.markers.iter().any(|m| m.def.effect == TypeEffect::Replaces && m.is_on())
    }
    /// Some marker says what JSON the value is (one that replaces the type, or
    /// `preserve_unknown_fields`).
    pub fn describes_value(&self) -> bool {
        self.markers.iter().any(|m| m.def.effect != TypeEffect::Adds && m.is_on())
    }
}
