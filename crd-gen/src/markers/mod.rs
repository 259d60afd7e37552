//! Markers: the vocabulary ([`vocab`]), the `#[crd(...)]` parser ([`parse`]), doc comments and the
//! Go comment markers they may hold ([`docs`], [`go`]), and the generated reference ([`reference`]).
//!
//! This module needs only syn, so the derive crate uses it (with crd-gen's default features off)
//! to check markers at compile time with exactly the rules the generator applies.

pub mod check;
pub mod docs;
pub mod go;
pub mod package;
pub mod parse;
pub mod reference;
pub mod rules;
pub mod vocab;

pub use docs::{Docs, docs};
pub use parse::{AttrSite, Marker, MarkerError, Value, parse_attrs};

/// Everything crd-gen reads from one item's or field's attributes.
#[derive(Clone, Debug, Default)]
pub struct Attrs {
    pub markers: Vec<Marker>,
    pub docs: Docs,
    /// The CEL rules among the Go markers of `root(/// ..)`: rules on the whole object.
    pub root_rules: Vec<Marker>,
}

impl Attrs {
    /// `#[crd]` markers plus the Go markers of the doc comment, checked for `site`.
    pub fn read(attrs: &[syn::Attribute], site: AttrSite, errors: &mut Vec<MarkerError>) -> Attrs {
        let mut markers = parse_attrs(attrs, site, errors);
        let docs = docs::docs(attrs);
        let mut from_go = go::translate(&docs.go_markers, site, errors);
        // The Go root type's comment, ported into `root(...)`: its resource markers are the
        // resource's, its CEL rules are the root object's.
        let mut root_rules = Vec::new();
        if let Some(root) = markers.iter().find_map(Marker::docs).cloned() {
            for m in go::translate(&root.go_markers, AttrSite::Root, errors) {
                if m.def.name == "validation" { root_rules.push(m) } else { from_go.push(m) }
            }
        }
        // A `#[crd]` marker wins over a Go comment marker of the same name.
        for m in from_go {
            if m.def.repeatable || !markers.iter().any(|x| x.def.name == m.def.name) {
                markers.push(m);
            }
        }
        // Source order, whichever syntax each marker used (printer columns keep their order).
        markers.sort_by_key(|m| {
            let start = m.span.start();
            (start.line, start.column)
        });
        errors.extend(rules::check_markers(&markers));
        Attrs { markers, docs, root_rules }
    }
    pub fn get(&self, name: &str) -> Option<&Marker> {
        self.markers.iter().find(|m| m.def.name == name)
    }
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Marker> + 'a {
        self.markers.iter().filter(move |m| m.def.name == name)
    }
    pub fn flag(&self, name: &str) -> bool {
        self.get(name).is_some_and(Marker::as_bool)
    }
    pub fn str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Marker::as_str)
    }
    /// The `root(/// ..)` doc comment, if given.
    pub fn root_docs(&self) -> Option<&Docs> {
        self.get("root").and_then(Marker::docs)
    }
}
