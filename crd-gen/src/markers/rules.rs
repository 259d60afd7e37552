//! Marker combinations that contradict each other: one `check()` calling one small function per
//! rule (the shape of serde_derive's `internals/check.rs`).
//!
//! The rules read [`Facts`], so they run on two views of one value: its markers as written
//! ([`check_markers`]: every `#[crd]`/Go marker list the engine or the derive reads, so
//! `cargo build` and `cargo crd-gen` refuse the same input with the same words), and the
//! finished schema (the validator, where a type's markers and a field's have been combined, so a
//! newtype's `minimum = 5` under a field's `maximum = 3` is caught too).

use super::parse::{Marker, MarkerError};

/// What the rules ask about one value's markers.
pub trait Facts {
    /// Marker `name` is given (a flag: given and true).
    fn has(&self, name: &str) -> bool;
    /// The text of a string marker.
    fn text(&self, name: &str) -> Option<&str>;
    /// The value of a number or count marker.
    fn number(&self, name: &str) -> Option<f64>;
}

/// A broken rule: the marker it points at, what is wrong, how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub at: &'static str,
    pub message: String,
    pub help: String,
}

fn violation(at: &'static str, message: impl Into<String>, help: impl Into<String>) -> Violation {
    Violation { at, message: message.into(), help: help.into() }
}

/// Every rule, in a fixed order.
pub fn check(f: &dyn Facts) -> Vec<Violation> {
    let mut out = Vec::new();
    list_map_key_needs_map_list(f, &mut out);
    map_list_needs_key(f, &mut out);
    exclusive_bound_needs_bound(f, &mut out);
    lower_bound_not_above_upper(f, &mut out);
    one_of_each_pair(f, &mut out);
    out
}

fn list_map_key_needs_map_list(f: &dyn Facts, out: &mut Vec<Violation>) {
    if f.has("list_map_key") && f.text("list_type") != Some("map") {
        out.push(violation(
            "list_map_key",
            "`list_map_key` needs `list_type = \"map\"`",
            "add `list_type = \"map\"` next to `list_map_key`",
        ));
    }
}

fn map_list_needs_key(f: &dyn Facts, out: &mut Vec<Violation>) {
    if f.text("list_type") == Some("map") && !f.has("list_map_key") {
        out.push(violation(
            "list_type",
            "a `list_type = \"map\"` list needs at least one `list_map_key`",
            "add `list_map_key = \"name\"` naming the key field",
        ));
    }
}

fn exclusive_bound_needs_bound(f: &dyn Facts, out: &mut Vec<Violation>) {
    for (flag, bound) in [("exclusive_minimum", "minimum"), ("exclusive_maximum", "maximum")] {
        if f.has(flag) && f.number(bound).is_none() {
            out.push(violation(flag, format!("`{flag}` needs `{bound}`"), format!("add `{bound} = ..` (the bound that is excluded)")));
        }
    }
}

fn lower_bound_not_above_upper(f: &dyn Facts, out: &mut Vec<Violation>) {
    const PAIRS: [(&str, &str); 4] =
        [("minimum", "maximum"), ("min_length", "max_length"), ("min_items", "max_items"), ("min_properties", "max_properties")];
    for (lo, hi) in PAIRS {
        if let (Some(l), Some(h)) = (f.number(lo), f.number(hi))
            && l > h
        {
            out.push(violation(
                lo,
                format!("`{lo}` ({l}) is greater than `{hi}` ({h}): no value can satisfy both"),
                format!("lower `{lo}` or raise `{hi}`"),
            ));
        }
    }
}

/// Two markers that say the same thing two ways, or opposite things.
fn one_of_each_pair(f: &dyn Facts, out: &mut Vec<Violation>) {
    const PAIRS: [(&str, &str, &str); 4] = [
        ("default", "default_json", "both set the default; keep one"),
        ("required", "optional", "they contradict each other; keep one"),
        ("int_or_string", "schema_type", "an int-or-string value has no single `type`; keep one"),
        ("description", "root", "on the spec struct both give the root object's description; keep the doc comment in `root(...)`"),
    ];
    for (a, b, why) in PAIRS {
        if f.has(a) && f.has(b) {
            out.push(violation(b, format!("`{a}` and `{b}` cannot both be given"), why));
        }
    }
}

/// A marker list as written.
struct Written<'a>(&'a [Marker]);

impl Facts for Written<'_> {
    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|m| m.def.name == name && !matches!(m.value, super::Value::Bool(false)))
    }
    fn text(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|m| m.def.name == name).and_then(Marker::as_str)
    }
    fn number(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|m| m.def.name == name).and_then(Marker::as_json).and_then(serde_json::Value::as_f64)
    }
}

/// The rules on one marker list, and on the element markers of its `items(...)`, each pointing
/// at the marker it names.
pub fn check_markers(markers: &[Marker]) -> Vec<MarkerError> {
    let mut out: Vec<MarkerError> = check(&Written(markers))
        .into_iter()
        .map(|v| {
            let span = markers.iter().rev().find(|m| m.def.name == v.at).map(|m| m.span).unwrap_or_else(proc_macro2::Span::call_site);
            MarkerError::new(span, v.message).help(v.help)
        })
        .collect();
    for items in markers.iter().filter(|m| m.def.name == "items") {
        out.extend(check_markers(items.inner()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markers::{AttrSite, parse_attrs};

    fn messages(tokens: proc_macro2::TokenStream) -> Vec<String> {
        let attrs: Vec<syn::Attribute> = syn::parse_quote!(#[crd(#tokens)]);
        let mut errors = Vec::new();
        let markers = parse_attrs(&attrs, AttrSite::Field, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        check_markers(&markers).into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn each_rule() {
        use quote::quote;
        assert_eq!(messages(quote!(list_map_key = "name")), ["`list_map_key` needs `list_type = \"map\"`"]);
        assert_eq!(messages(quote!(list_type = "map")), ["a `list_type = \"map\"` list needs at least one `list_map_key`"]);
        assert_eq!(messages(quote!(list_type = "map", list_map_key = "name")), Vec::<String>::new());
        assert_eq!(messages(quote!(exclusive_maximum)), ["`exclusive_maximum` needs `maximum`"]);
        assert_eq!(messages(quote!(exclusive_maximum = false)), Vec::<String>::new());
        assert_eq!(
            messages(quote!(min_items = 3, max_items = 2)),
            ["`min_items` (3) is greater than `max_items` (2): no value can satisfy both"]
        );
        assert_eq!(messages(quote!(minimum = 2, maximum = 2)), Vec::<String>::new());
        assert_eq!(messages(quote!(default = 1, default_json = "1")), ["`default` and `default_json` cannot both be given"]);
        assert_eq!(messages(quote!(required, optional)), ["`required` and `optional` cannot both be given"]);
        assert_eq!(messages(quote!(int_or_string, schema_type = "string")), ["`int_or_string` and `schema_type` cannot both be given"]);
    }

    #[test]
    fn items_markers_are_checked_too() {
        use quote::quote;
        assert_eq!(
            messages(quote!(items(min_length = 5, max_length = 1))),
            ["`min_length` (5) is greater than `max_length` (1): no value can satisfy both"]
        );
    }
}
