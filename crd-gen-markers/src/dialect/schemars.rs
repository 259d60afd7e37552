//! The schema attributes schemars 1 reads (`schemars_derive/src/attr`): its own
//! `#[schemars(..)]`, and the validation keys of the validator crate's `#[validate(..)]` and
//! garde's `#[garde(..)]`, which schemars reads too. The keys that constrain the value become crd
//! markers with schemars' meaning; keys that make schemars' schema disagree with serde's JSON
//! are refused unless `#[serde]` says the same; keys that leave the schema to code crd-gen cannot
//! run (`schema_with`, `with`, `transform`) are refused unless a crd marker beside them says
//! what the value is.

use super::{count, key_of, lit_str, marker, metas, nested, not_literal, number, span_of};
use crate::check::ValueShape;
use crate::parse::{AttrSite, Marker, MarkerError, Value, expr_to_literal};
use crate::vocab::MarkerKey as K;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Meta};

/// Which crate's attribute an entry is in: each reads a few keys differently.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Schemars,
    Validate,
    Garde,
}

impl Dialect {
    fn name(self) -> &'static str {
        match self {
            Dialect::Schemars => "schemars",
            Dialect::Validate => "validate",
            Dialect::Garde => "garde",
        }
    }
}

/// serde's keys, which in `#[schemars(..)]` change the schema and not the JSON.
const SERDE_KEYS: &[&str] = &[
    "rename",
    "rename_all",
    "rename_all_fields",
    "deny_unknown_fields",
    "tag",
    "content",
    "untagged",
    "default",
    "skip_serializing",
    "skip_serializing_if",
    "skip_deserializing",
    "flatten",
    "remote",
    "transparent",
    "serialize_with",
];

/// What to write instead of a key that leaves the schema to code.
const DESCRIBE_HELP: &str = "say what JSON the value is with a crd marker beside it: `#[crd(schema_type = \"string\")]` (or \"integer\", \"object\", ..), `#[crd(int_or_string)]`, `#[crd(preserve_unknown_fields)]` or `#[crd(schemaless)]`";

/// Reads the three dialects of `attrs`; `described` says a crd marker beside them says what the
/// value is.
pub fn read(
    attrs: &[syn::Attribute],
    site: AttrSite,
    ty: Option<&syn::Type>,
    described: bool,
    out: &mut Vec<Marker>,
    errors: &mut Vec<MarkerError>,
) {
    let shape = ty.map_or(ValueShape::Unknown, ValueShape::of_rust_type);
    for dialect in [Dialect::Schemars, Dialect::Validate, Dialect::Garde] {
        for meta in metas(attrs, dialect.name(), errors) {
            let cx = Cx { dialect, site, shape, described, attrs };
            match cx.entry(&meta) {
                Ok(markers) => out.extend(markers),
                Err(e) => errors.push(e),
            }
        }
    }
}

struct Cx<'a> {
    dialect: Dialect,
    site: AttrSite,
    shape: ValueShape,
    described: bool,
    attrs: &'a [syn::Attribute],
}

impl Cx<'_> {
    fn entry(&self, meta: &Meta) -> Result<Vec<Marker>, MarkerError> {
        let key = key_of(meta);
        if let Some(markers) = self.validation(meta, &key)? {
            if self.site != AttrSite::Field {
                return Err(MarkerError::new(
                    span_of(meta),
                    format!("crd-gen reads `{key}` of `#[{}(...)]` on fields", self.dialect.name()),
                )
                .help("put it on the field, or write a `#[crd(..)]` marker on the type"));
            }
            return Ok(markers);
        }
        if self.dialect != Dialect::Schemars {
            // validator's and garde's other keys are checks at run time; schemars ignores them too.
            return Ok(Vec::new());
        }
        self.schemars_only(meta, &key)
    }

    /// The validation keys all three dialects share (as schemars reads each); None for others.
    fn validation(&self, meta: &Meta, key: &str) -> Result<Option<Vec<Marker>>, MarkerError> {
        let span = span_of(meta);
        let format = |f: &str| Ok(Some(vec![marker(K::Format, Value::Str(f.into()), span)]));
        match key {
            "email" => format("email"),
            "url" => format("uri"),
            "ip" | "ipv4" | "ipv6" => format(key),
            "length" => self.length(meta).map(Some),
            "range" => self.range(meta).map(Some),
            "required" => Ok(Some(vec![marker(K::Required, Value::Bool(true), span)])),
            "pattern" if self.dialect != Dialect::Validate => Ok(Some(vec![marker(K::Pattern, Value::Str(self.pattern(meta)?), span)])),
            "regex" if self.dialect != Dialect::Garde => Ok(Some(vec![marker(K::Pattern, Value::Str(self.regex(meta)?), span)])),
            "contains" => Ok(Some(vec![marker(K::Pattern, Value::Str(escape(&self.contains(meta)?)), span)])),
            "inner" if self.dialect != Dialect::Validate => self.inner(meta).map(Some),
            _ => Ok(None),
        }
    }

    fn name(&self) -> &'static str {
        self.dialect.name()
    }

    /// `length(min = .., max = .., equal = ..)`: a string's length or an array's items, by the type.
    fn length(&self, meta: &Meta) -> Result<Vec<Marker>, MarkerError> {
        let (min_key, max_key) = if self.shape == ValueShape::Array { (K::MinItems, K::MaxItems) } else { (K::MinLength, K::MaxLength) };
        let mut out = Vec::new();
        for (k, e, span) in self.bounds(meta)? {
            let n = count(number(&e, self.name(), &k)?, e.span(), &k)?;
            match k.as_str() {
                "min" => out.push(marker(min_key, Value::Count(n), span)),
                "max" => out.push(marker(max_key, Value::Count(n), span)),
                _ => out.extend([marker(min_key, Value::Count(n), span), marker(max_key, Value::Count(n), span)]),
            }
        }
        Ok(out)
    }

    fn range(&self, meta: &Meta) -> Result<Vec<Marker>, MarkerError> {
        let mut out = Vec::new();
        for (k, e, span) in self.bounds(meta)? {
            let n = number(&e, self.name(), &k)?;
            match k.as_str() {
                "min" => out.push(marker(K::Minimum, Value::Number(n), span)),
                "max" => out.push(marker(K::Maximum, Value::Number(n), span)),
                _ => return Err(MarkerError::new(span, "`range` takes `min` and `max`")),
            }
        }
        Ok(out)
    }

    /// The `min`/`max`/`equal` entries of `length(..)` or `range(..)`; other entries are errors
    /// in `#[schemars]` and ignored in the others, as schemars does.
    fn bounds(&self, meta: &Meta) -> Result<Vec<(String, Expr, Span)>, MarkerError> {
        let mut out = Vec::new();
        for inner in nested(meta, self.name())? {
            let k = key_of(&inner);
            match (&inner, k.as_str()) {
                (Meta::NameValue(nv), "min" | "max" | "equal") => out.push((k, nv.value.clone(), span_of(&inner))),
                _ if self.dialect != Dialect::Schemars => {}
                _ => {
                    return Err(MarkerError::new(span_of(&inner), format!("unknown item `{k}` in `{}(...)`", key_of(meta)))
                        .help("it takes `min`, `max` or `equal`"));
                }
            }
        }
        Ok(out)
    }

    /// garde's and schemars' `pattern("..")` (also `pattern = ".."`).
    fn pattern(&self, meta: &Meta) -> Result<String, MarkerError> {
        let expr: Expr = match meta {
            Meta::List(l) => l.parse_args().map_err(|e| MarkerError::new(e.span(), e.to_string()))?,
            Meta::NameValue(nv) => nv.value.clone(),
            Meta::Path(_) => return Err(MarkerError::new(span_of(meta), "`pattern` takes the regular expression: `pattern(\"^a+$\")`")),
        };
        lit_str(&expr).ok_or_else(|| self.regex_not_literal(expr.span()))
    }

    /// schemars' `regex(pattern = "..")`; validator's `regex(path = ..)` names a compiled
    /// `Regex`, which crd-gen cannot read.
    fn regex(&self, meta: &Meta) -> Result<String, MarkerError> {
        let want = if self.dialect == Dialect::Schemars { "pattern" } else { "path" };
        for inner in nested(meta, self.name())? {
            if let (Meta::NameValue(nv), true) = (&inner, key_of(&inner) == want) {
                return lit_str(&nv.value).ok_or_else(|| self.regex_not_literal(nv.value.span()));
            }
        }
        Err(MarkerError::new(span_of(meta), format!("`regex` needs `{want} = ..`")))
    }

    fn regex_not_literal(&self, span: Span) -> MarkerError {
        MarkerError::new(span, "crd-gen cannot read this regular expression: it is not a string literal")
            .help("crd-gen reads the source without compiling it; write the expression beside it as `#[crd(pattern = \"^..$\")]` or `#[schemars(regex(pattern = \"^..$\"))]`")
    }

    /// `contains = ".."`, `contains("..")`, `contains(pattern = "..")`: the text the string holds.
    fn contains(&self, meta: &Meta) -> Result<String, MarkerError> {
        let expr = match meta {
            Meta::NameValue(nv) => nv.value.clone(),
            Meta::List(l) => match l.parse_args::<Expr>() {
                Ok(Expr::Assign(a)) if matches!(&*a.left, Expr::Path(p) if p.path.is_ident("pattern")) => *a.right,
                Ok(e) => e,
                Err(e) => return Err(MarkerError::new(e.span(), e.to_string())),
            },
            Meta::Path(_) => return Err(MarkerError::new(span_of(meta), "`contains` takes the text: `contains = \"..\"`")),
        };
        lit_str(&expr).ok_or_else(|| not_literal(expr.span(), self.name(), "contains", "a string literal"))
    }

    /// `inner(..)`: the same keys for the elements of an array.
    fn inner(&self, meta: &Meta) -> Result<Vec<Marker>, MarkerError> {
        let inner_cx = Cx { shape: ValueShape::Unknown, ..*self };
        let mut items = Vec::new();
        for m in nested(meta, self.name())? {
            let key = key_of(&m);
            match inner_cx.validation(&m, &key)? {
                Some(ms) => items.extend(ms),
                None if self.dialect == Dialect::Garde => {}
                None => {
                    return Err(MarkerError::new(span_of(&m), format!("`{key}` cannot be used in `inner(...)`"))
                        .help("`inner` takes the validation keys: length, range, pattern, regex, contains, email, url, ip"));
                }
            }
        }
        if let Some(req) = items.iter().find(|m| m.key() == K::Required) {
            return Err(MarkerError::new(req.span, "`required` cannot be used for the elements of a list"));
        }
        Ok(vec![marker(K::Items, Value::Items(items), span_of(meta))])
    }

    /// The keys only `#[schemars(..)]` has.
    fn schemars_only(&self, meta: &Meta, key: &str) -> Result<Vec<Marker>, MarkerError> {
        let span = span_of(meta);
        let value = || match meta {
            Meta::NameValue(nv) => Ok(&nv.value),
            _ => Err(MarkerError::new(span, format!("`{key}` takes a value: `{key} = ..`"))),
        };
        Ok(match key {
            "title" => vec![marker(K::Title, Value::Str(super::str_value(meta, "schemars")?), span)],
            "description" => vec![marker(K::Description, Value::Str(super::str_value(meta, "schemars")?), span)],
            "example" => {
                let e = value()?;
                let lit = expr_to_literal(e).map_err(|_| not_literal(e.span(), "schemars", "example", "a literal"))?;
                vec![marker(K::Example, Value::Literal(lit), span)]
            }
            "skip" => vec![marker(K::Skip, Value::Bool(true), span)],
            "extend" => self.extend(meta)?,
            // No effect on the JSON: the schemars crate's path, inlining, generic bounds.
            "crate" | "inline" | "bound" => Vec::new(),
            "with" | "schema_with" | "transform" if self.described => Vec::new(),
            "with" | "schema_with" | "transform" => {
                return Err(MarkerError::new(span, format!("crd-gen cannot run `{key}`: the schema it makes is code, not source"))
                    .help(DESCRIBE_HELP));
            }
            k if SERDE_KEYS.contains(&k) => {
                if self.serde_says(meta) {
                    return Ok(Vec::new());
                }
                return Err(MarkerError::new(
                    span,
                    format!("`#[schemars({k} ..)]` makes the schema disagree with serde's JSON; crd-gen's schema is serde's"),
                )
                .help("write it in `#[serde(..)]` (then the JSON and the schema agree), or remove it"));
            }
            other => return Err(MarkerError::new(span, format!("unknown schemars attribute `{other}`"))),
        })
    }

    /// `#[serde(..)]` has the same entry, so the schemars one changes nothing.
    fn serde_says(&self, meta: &Meta) -> bool {
        let text = |m: &Meta| quote::ToTokens::to_token_stream(m).to_string();
        let mut ignored = Vec::new();
        metas(self.attrs, "serde", &mut ignored).iter().any(|m| text(m) == text(meta))
    }

    /// `extend("x-kubernetes-..." = value)`: the Kubernetes extensions crd-gen has markers for.
    fn extend(&self, meta: &Meta) -> Result<Vec<Marker>, MarkerError> {
        let Meta::List(list) = meta else { return Err(MarkerError::new(span_of(meta), "`extend` takes `(\"key\" = value, ..)`")) };
        let entries = list
            .parse_args_with(syn::punctuated::Punctuated::<syn::ExprAssign, syn::Token![,]>::parse_terminated)
            .map_err(|e| MarkerError::new(e.span(), format!("`extend` takes `(\"key\" = value, ..)`: {e}")))?;
        let mut out = Vec::new();
        for e in entries {
            let span = e.left.span();
            let key = lit_str(&e.left).ok_or_else(|| MarkerError::new(span, "an `extend` key is a string literal"))?;
            let lit = expr_to_literal(&e.right).map_err(|_| not_literal(e.right.span(), "schemars", &key, "a literal"))?;
            let flag = |k: K| match &lit {
                crate::Literal::Bool(b) => Ok(marker(k, Value::Bool(*b), span)),
                _ => Err(MarkerError::new(e.right.span(), format!("`{key}` takes `true` or `false`"))),
            };
            let text = |k: K| match &lit {
                crate::Literal::String(s) => Ok(marker(k, Value::Str(s.clone()), span)),
                _ => Err(MarkerError::new(e.right.span(), format!("`{key}` takes a string"))),
            };
            out.push(match key.as_str() {
                "x-kubernetes-preserve-unknown-fields" => flag(K::PreserveUnknownFields)?,
                "x-kubernetes-int-or-string" => flag(K::IntOrString)?,
                "x-kubernetes-embedded-resource" => flag(K::EmbeddedResource)?,
                "x-kubernetes-list-type" => text(K::ListType)?,
                "x-kubernetes-map-type" => text(K::MapType)?,
                "nullable" => flag(K::Nullable)?,
                _ => {
                    return Err(MarkerError::new(span, format!("crd-gen has no marker for the schema key `{key}`"))
                        .help("crd-gen writes the x-kubernetes-* extensions it has markers for (see docs/markers.md); an unknown key would be pruned or rejected by the API server"));
                }
            });
        }
        Ok(out)
    }
}

/// schemars' `contains`: a pattern matching the text anywhere.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
