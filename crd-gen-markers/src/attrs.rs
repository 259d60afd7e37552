//! What crd-gen reads from one item's or field's attributes: its `#[crd(...)]` markers, the Go
//! comment markers of its doc comment, the doc comment itself, and the other dialects' attributes
//! ([`crate::dialect`]: kube-derive's `#[kube]`, `#[x_kube]`, schemars' `#[schemars]`,
//! `#[validate]`, `#[garde]`), all as [`Marker`]s, read together. serde's attributes are read
//! beside it by whoever needs them.

use crate::dialect::{self, KubeRoot};
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
    /// The CEL rules among the Go markers of `root(/// ..)` and `#[kube(validation = ..)]`:
    /// rules on the whole object.
    pub root_rules: Vec<Marker>,
    /// `#[kube(..)]` is on the spec struct: what it says about the root type.
    pub kube: Option<KubeRoot>,
}

impl CrdAttrs {
    /// `#[crd]` markers plus the Go markers of the doc comment, checked for `site` and against
    /// each other.
    pub fn read(attrs: &[syn::Attribute], site: AttrSite, errors: &mut Vec<MarkerError>) -> CrdAttrs {
        CrdAttrs::read_typed(attrs, site, None, errors)
    }
    /// As [`CrdAttrs::read`], for a field of type `ty` (some dialects' keys mean a string's or an
    /// array's bound by the type).
    pub fn read_typed(attrs: &[syn::Attribute], site: AttrSite, ty: Option<&syn::Type>, errors: &mut Vec<MarkerError>) -> CrdAttrs {
        let mut markers = parse_attrs(attrs, site, errors);
        let described = markers.iter().any(|m| m.def.effect != TypeEffect::Adds && m.is_on());
        let other = dialect::read(attrs, site, ty, described, errors);
        merge_dialect(&mut markers, other.markers, errors);
        let docs = docs::docs(attrs);
        let mut from_go = go::translate(&docs.go_markers, site, errors);
        // The Go root type's comment, ported into `root(...)`: its resource markers are the
        // resource's, its CEL rules are the root object's.
        let mut root_rules = other.root_rules;
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
        CrdAttrs { markers, docs, root_rules, kube: other.kube }
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

/// Another dialect's markers beside the `#[crd]` ones: a marker both give once is one marker; two
/// different values are an error at the other dialect's.
fn merge_dialect(markers: &mut Vec<Marker>, other: Vec<Marker>, errors: &mut Vec<MarkerError>) {
    for m in other {
        match markers.iter().find(|x| x.key() == m.key() && !m.def.repeatable) {
            Some(x) if *x == m => {}
            Some(_) => errors.push(
                MarkerError::new(m.span, format!("`{}` is given twice, with different values", m.name()))
                    .help("keep one: this attribute and a `#[crd]` marker (or another attribute) both say it"),
            ),
            None => markers.push(m),
        }
    }
}

/// `#[derive(.., Name, ..)]`, by the derive's last path segment.
pub fn derives_name(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        a.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map(|paths| paths.iter().any(|p| p.segments.last().is_some_and(|s| s.ident == name)))
            .unwrap_or(false)
    })
}
