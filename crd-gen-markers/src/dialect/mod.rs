//! The other attribute dialects a Rust resource may be written in, read into the same
//! [`Marker`]s `#[crd(...)]` gives, so a crate written for kube-derive migrates by changing its
//! `CustomResource` import: kube-derive's `#[kube(..)]` on the spec struct ([`kube`]),
//! kube-derive's `KubeSchema` attribute `#[x_kube(..)]` ([`x_kube`]), and the schema attributes
//! schemars reads: `#[schemars(..)]` and the validator and garde crates' `#[validate(..)]` and
//! `#[garde(..)]` ([`schemars`]). Each key means what its own crate documents; a key crd-gen
//! cannot honour is an error at that key, never dropped.

pub mod kube;
pub mod schemars;
pub mod x_kube;

use crate::literal::{Literal, Number};
use crate::parse::{Arg, AttrSite, Marker, MarkerError, Value, expr_to_literal, lit_str};
use crate::vocab::{ArgDef, ArgKey, MarkerKey, ValueKind};
use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Meta, Token};

pub use kube::KubeRoot;

/// One row of the migration table (README): a key as the other crate writes it, the crd marker
/// it becomes, and what differs.
pub struct KeyDoc {
    pub key: &'static str,
    pub crd: &'static str,
    pub note: &'static str,
}

/// The field and type attributes crd-gen reads (`#[schemars]`, `#[validate]`, `#[garde]`,
/// `#[x_kube]`), as the README's table shows them; [`kube::KEYS`] has `#[kube]`'s.
pub const FIELD_KEYS: &[KeyDoc] = &[
    KeyDoc {
        key: "schemars/validate/garde `length(min, max, equal)`",
        crd: "min_length/max_length, or min_items/max_items on a list",
        note: "by the field's Rust type, as schemars applies it to strings and arrays",
    },
    KeyDoc { key: "schemars/validate/garde `range(min, max)`", crd: "minimum/maximum", note: "" },
    KeyDoc {
        key: "schemars `regex(pattern = ..)`, schemars/garde `pattern(..)`",
        crd: "pattern",
        note: "validator's `regex(path = ..)` names a compiled `Regex`: refused, write the pattern",
    },
    KeyDoc { key: "schemars/validate/garde `contains(..)`", crd: "pattern", note: "the text, escaped" },
    KeyDoc { key: "schemars/validate/garde `email`, `url`, `ip`, `ipv4`, `ipv6`", crd: "format = \"email\", \"uri\", ..", note: "" },
    KeyDoc { key: "schemars/validate/garde `required`", crd: "required", note: "" },
    KeyDoc { key: "schemars/garde `inner(..)`", crd: "items(..)", note: "" },
    KeyDoc { key: "schemars `title`, `description`, `example`", crd: "title, description, example", note: "" },
    KeyDoc { key: "schemars `skip`", crd: "skip", note: "" },
    KeyDoc {
        key: "schemars `extend(\"x-kubernetes-..\" = ..)`",
        crd: "preserve_unknown_fields, int_or_string, embedded_resource, list_type, map_type, nullable",
        note: "other keys are refused",
    },
    KeyDoc {
        key: "schemars `schema_with`, `with`, `transform`",
        crd: "-",
        note: "code crd-gen cannot run: refused unless a marker beside says what the value is (`schema_type`, `int_or_string`, `preserve_unknown_fields`, `schemaless`)",
    },
    KeyDoc {
        key: "schemars `rename`, `default`, `flatten`, `tag`, ..",
        crd: "-",
        note: "the schema follows serde: accepted when `#[serde]` says the same, refused otherwise",
    },
    KeyDoc {
        key: "x_kube `validation = \"rule\"` / `Rule::new(..)..`",
        crd: "validation(rule, message, message_expression, reason, field_path, optional_old_self)",
        note: "on fields and structs",
    },
    KeyDoc { key: "x_kube `merge_strategy = ListMerge::Atomic/Set/Map(keys)`", crd: "list_type (+ list_map_key)", note: "" },
    KeyDoc { key: "x_kube `merge_strategy = MapMerge::../StructMerge::..`", crd: "map_type / struct_type", note: "" },
];

/// What the other dialects of one item's or field's attributes say.
#[derive(Clone, Debug, Default)]
pub struct Dialects {
    pub markers: Vec<Marker>,
    /// `#[kube(validation = ..)]`: CEL rules on the whole object.
    pub root_rules: Vec<Marker>,
    /// `#[kube(..)]` was on the spec struct: what it says about the root type.
    pub kube: Option<KubeRoot>,
}

/// Reads the dialects of `attrs`; `ty` is the field's type (schemars' `length` is a string's or
/// an array's by the type); `described` says a `#[crd]` marker says what the value is.
pub fn read(attrs: &[syn::Attribute], site: AttrSite, ty: Option<&syn::Type>, described: bool, errors: &mut Vec<MarkerError>) -> Dialects {
    let mut out = Dialects::default();
    kube::read(attrs, site, &mut out, errors);
    x_kube::read(attrs, site, &mut out.markers, errors);
    schemars::read(attrs, site, ty, described, &mut out.markers, errors);
    // The same site rules as `#[crd]`: `required` on a struct is as wrong in either spelling.
    out.markers.retain(|m| match crate::parse::site_error(m, site) {
        Some(e) => {
            errors.push(e);
            false
        }
        None => true,
    });
    out
}

/// The entries of `#[name(..)]` attributes, each with the attribute's span.
fn metas(attrs: &[syn::Attribute], name: &str, errors: &mut Vec<MarkerError>) -> Vec<Meta> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        match attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
            Ok(list) => out.extend(list),
            Err(e) => errors.push(MarkerError::new(e.span(), format!("cannot read `#[{name}(...)]`: {e}"))),
        }
    }
    out
}

/// The key of an entry, as written.
fn key_of(meta: &Meta) -> String {
    quote::ToTokens::to_token_stream(meta.path()).to_string().replace(' ', "")
}

/// The key's span, where messages point.
fn span_of(meta: &Meta) -> Span {
    meta.path().span()
}

fn marker(key: MarkerKey, value: Value, span: Span) -> Marker {
    Marker { def: key.def(), value, span, from_go: false }
}

/// Argument `key` of the group marker whose keys are `defs`, checked as `#[crd]` checks it.
fn arg(defs: &'static [ArgDef], key: ArgKey, value: Value, span: Span) -> Result<Arg, MarkerError> {
    let def = defs.iter().find(|d| d.key == key).expect("the group has this key");
    if let (ValueKind::OneOf(options), Value::Str(s)) = (def.value, &value)
        && !options.contains(&s.as_str())
    {
        return Err(MarkerError::new(span, format!("`{s}` is not a valid `{}`; it is one of {}", def.name, options.join(", "))));
    }
    Ok(Arg { def, value, span })
}

/// The string of `key = ".."`, or an error saying it must be a literal crd-gen can read.
fn str_value(meta: &Meta, dialect: &str) -> Result<String, MarkerError> {
    let key = key_of(meta);
    match meta {
        Meta::NameValue(nv) => lit_str(&nv.value).ok_or_else(|| not_literal(nv.value.span(), dialect, &key, "a string literal")),
        _ => Err(MarkerError::new(span_of(meta), format!("`{key}` in `#[{dialect}(...)]` takes a value: `{key} = \"..\"`"))),
    }
}

/// A number written as a literal (or as a string holding one, as schemars reads `min = "1"`).
fn number(expr: &Expr, dialect: &str, key: &str) -> Result<Number, MarkerError> {
    if let Some(text) = lit_str(expr) {
        if let Ok(e) = syn::parse_str::<Expr>(&text)
            && let Ok(Literal::Number(n)) = expr_to_literal(&e)
        {
            return Ok(n);
        }
        return Err(not_literal(expr.span(), dialect, key, "a number"));
    }
    match expr_to_literal(expr) {
        Ok(Literal::Number(n)) => Ok(n),
        _ => Err(not_literal(expr.span(), dialect, key, "a number literal")),
    }
}

/// crd-gen reads source without compiling it, so a value must be written out.
fn not_literal(span: Span, dialect: &str, key: &str, what: &str) -> MarkerError {
    MarkerError::new(span, format!("crd-gen cannot read this value of `{key}` in `#[{dialect}(...)]`: it needs {what}"))
        .help("crd-gen reads the source without compiling it, so constants and function calls are not evaluated; write the value itself")
}

/// `key(..)` entries.
fn nested(meta: &Meta, dialect: &str) -> Result<Vec<Meta>, MarkerError> {
    match meta {
        Meta::List(list) => list
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .map(|p| p.into_iter().collect())
            .map_err(|e| MarkerError::new(e.span(), e.to_string())),
        _ => {
            let key = key_of(meta);
            Err(MarkerError::new(span_of(meta), format!("`{key}` in `#[{dialect}(...)]` takes a list: `{key}(...)`")))
        }
    }
}

fn count(n: Number, span: Span, key: &str) -> Result<u64, MarkerError> {
    match n {
        Number::UInt(u) => Ok(u),
        _ => Err(MarkerError::new(span, format!("`{key}` takes a non-negative integer"))),
    }
}

#[cfg(test)]
mod tests;
