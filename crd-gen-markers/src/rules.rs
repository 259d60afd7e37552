//! Marker combinations that contradict each other: one `check()` calling one small function per
//! rule (the shape of serde_derive's `internals/check.rs`).
//!
//! The rules read [`Facts`], so they run on two views of one value: its markers as written
//! ([`check_markers`]: every `#[crd]`/Go marker list the engine or the derive reads, so
//! `cargo build` and `cargo crd-gen` refuse the same input with the same words), and the
//! finished schema (the engine's validator, where a type's markers and a field's have been
//! combined, so a newtype's `minimum = 5` under a field's `maximum = 3` is caught too).

use crate::parse::{Marker, MarkerError};
use crate::vocab::MarkerKey::{self, *};

/// What the rules ask about one value's markers.
pub trait Facts {
    /// Marker `key` is given (a flag: given and true).
    fn has(&self, key: MarkerKey) -> bool;
    /// The text of a string marker.
    fn text(&self, key: MarkerKey) -> Option<&str>;
    /// The value of a number or count marker.
    fn number(&self, key: MarkerKey) -> Option<f64>;
}

/// A broken rule: the marker it points at, what is wrong, how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub at: MarkerKey,
    pub message: String,
    pub help: String,
}

fn violation(at: MarkerKey, message: impl Into<String>, help: impl Into<String>) -> Violation {
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
    if f.has(ListMapKey) && f.text(ListType) != Some("map") {
        let (key, list_type) = (ListMapKey.name(), ListType.name());
        out.push(violation(
            ListMapKey,
            format!("`{key}` needs `{list_type} = \"map\"`"),
            format!("add `{list_type} = \"map\"` next to `{key}`"),
        ));
    }
}

fn map_list_needs_key(f: &dyn Facts, out: &mut Vec<Violation>) {
    if f.text(ListType) == Some("map") && !f.has(ListMapKey) {
        let (key, list_type) = (ListMapKey.name(), ListType.name());
        out.push(violation(
            ListType,
            format!("a `{list_type} = \"map\"` list needs at least one `{key}`"),
            format!("add `{key} = \"name\"` naming the key field"),
        ));
    }
}

fn exclusive_bound_needs_bound(f: &dyn Facts, out: &mut Vec<Violation>) {
    for (flag, bound) in [(ExclusiveMinimum, Minimum), (ExclusiveMaximum, Maximum)] {
        if f.has(flag) && f.number(bound).is_none() {
            let (flag_name, bound) = (flag.name(), bound.name());
            out.push(violation(flag, format!("`{flag_name}` needs `{bound}`"), format!("add `{bound} = ..` (the bound that is excluded)")));
        }
    }
}

fn lower_bound_not_above_upper(f: &dyn Facts, out: &mut Vec<Violation>) {
    const PAIRS: [(MarkerKey, MarkerKey); 4] =
        [(Minimum, Maximum), (MinLength, MaxLength), (MinItems, MaxItems), (MinProperties, MaxProperties)];
    for (lo, hi) in PAIRS {
        if let (Some(l), Some(h)) = (f.number(lo), f.number(hi))
            && l > h
        {
            let (lo_name, hi_name) = (lo.name(), hi.name());
            out.push(violation(
                lo,
                format!("`{lo_name}` ({l}) is greater than `{hi_name}` ({h}): no value can satisfy both"),
                format!("lower `{lo_name}` or raise `{hi_name}`"),
            ));
        }
    }
}

/// Two markers that say the same thing two ways, or opposite things.
fn one_of_each_pair(f: &dyn Facts, out: &mut Vec<Violation>) {
    const PAIRS: [(MarkerKey, MarkerKey, &str); 4] = [
        (Default, DefaultJson, "both set the default; keep one"),
        (Required, Optional, "they contradict each other; keep one"),
        (IntOrString, SchemaType, "an int-or-string value has no single `type`; keep one"),
        (Description, Root, "on the spec struct both give the root object's description; keep the doc comment in `root(...)`"),
    ];
    for (a, b, why) in PAIRS {
        if f.has(a) && f.has(b) {
            out.push(violation(b, format!("`{}` and `{}` cannot both be given", a.name(), b.name()), why));
        }
    }
}

/// A marker list as written.
struct Written<'a>(&'a [Marker]);

impl Facts for Written<'_> {
    fn has(&self, key: MarkerKey) -> bool {
        self.0.iter().any(|m| m.key() == key && m.is_on())
    }
    fn text(&self, key: MarkerKey) -> Option<&str> {
        self.0.iter().find(|m| m.key() == key).and_then(Marker::as_str)
    }
    fn number(&self, key: MarkerKey) -> Option<f64> {
        self.0.iter().find(|m| m.key() == key).and_then(Marker::as_number).map(|n| n.as_f64())
    }
}

/// The rules on one marker list, and on the element markers of its `items(...)`, each pointing
/// at the marker it names.
pub fn check_markers(markers: &[Marker]) -> Vec<MarkerError> {
    let mut out: Vec<MarkerError> = check(&Written(markers))
        .into_iter()
        .map(|v| {
            let span = markers.iter().rev().find(|m| m.key() == v.at).map(|m| m.span).unwrap_or_else(proc_macro2::Span::call_site);
            MarkerError::new(span, v.message).help(v.help)
        })
        .collect();
    for items in markers.iter().filter(|m| m.key() == Items) {
        out.extend(check_markers(items.items()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{AttrSite, parse_attrs};

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
