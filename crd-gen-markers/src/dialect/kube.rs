//! kube-derive 5's `#[kube(...)]` on the spec struct, read with kube-derive's meaning
//! (`kube-derive/src/custom_resource/attrs`): each key becomes the crd marker that means the same,
//! or is refused where crd-gen's CRD or root type cannot do what kube-derive does.

use super::{Dialects, KeyDoc, arg, key_of, lit_str, marker, metas, not_literal, number, span_of, str_value};
use crate::literal::{Literal, parse_json};
use crate::parse::{Arg, AttrSite, Marker, MarkerError, Value};
use crate::vocab::{self, ArgKey as A, MarkerKey as K};
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Meta};

/// What `#[kube(..)]` says about the root type (beyond the CRD).
#[derive(Clone, Debug)]
pub struct KubeRoot {
    /// Where the first `#[kube]` attribute is.
    pub span: Span,
    /// `crates(kube = ..)`: kube's name in the package.
    pub kube: Option<syn::Ident>,
    /// `crates(k8s_openapi = ..)`: k8s-openapi's name in the package.
    pub k8s_openapi: Option<syn::Ident>,
    /// `derive = "PartialEq"` / `"Default"`: derives the root type gets besides `Clone`, `Debug`.
    pub derives: Vec<String>,
}

/// Every `#[kube(...)]` key kube-derive 5 knows, as crd-gen reads it; the README's table.
pub const KEYS: &[KeyDoc] = &[
    KeyDoc { key: "group", crd: "group", note: "" },
    KeyDoc { key: "version", crd: "version", note: "" },
    KeyDoc { key: "kind", crd: "kind", note: "" },
    KeyDoc {
        key: "namespaced",
        crd: "scope = \"Namespaced\"",
        note: "without it the scope is `Cluster`, as in kube-derive (crd-gen's own default is `Namespaced`)",
    },
    KeyDoc { key: "plural", crd: "plural", note: "" },
    KeyDoc { key: "singular", crd: "singular", note: "" },
    KeyDoc { key: "status = \"T\"", crd: "status = \"T\"", note: "" },
    KeyDoc { key: "shortname", crd: "short_name", note: "" },
    KeyDoc { key: "category", crd: "category", note: "" },
    KeyDoc {
        key: "printcolumn",
        crd: "printcolumn(..)",
        note: "JSON text or `printcolumn(name, type_, json_path, ..)`; `type` and `format` are checked against the API server's values",
    },
    KeyDoc { key: "scale", crd: "scale(..)", note: "JSON text or `scale(spec_replicas_path, ..)`" },
    KeyDoc { key: "selectable", crd: "selectable_field", note: "" },
    KeyDoc {
        key: "validation",
        crd: "root(/// +kubebuilder:validation:XValidation:..)",
        note: "a rule on the whole object (`self.spec`, `self.metadata`); `\"rule\"`, `(\"rule\", \"message\")` or `Rule::new(..)` with `.message`, `.reason`, `.field_path`, `.optional_old_self`",
    },
    KeyDoc { key: "deprecated", crd: "deprecated", note: "" },
    KeyDoc { key: "served", crd: "served", note: "" },
    KeyDoc {
        key: "storage",
        crd: "storage_version",
        note: "kube-derive's default is `true`: a version without `storage = false` is the storage version",
    },
    KeyDoc {
        key: "annotation(\"k\", \"v\")",
        crd: "annotation(key, value)",
        note: "on the CRD and on each object `new` makes, as kube-derive",
    },
    KeyDoc { key: "label(\"k\", \"v\")", crd: "label(key, value)", note: "on the CRD and on each object `new` makes, as kube-derive" },
    KeyDoc { key: "doc", crd: "root(/// ..)", note: "the root type's doc comment and the CRD's root description" },
    KeyDoc { key: "root = \"Name\"", crd: "root_type = \"Name\"", note: "" },
    KeyDoc {
        key: "derive",
        crd: "-",
        note: "`PartialEq` and `Default` (others are refused); the root type always derives `Clone` and `Debug`",
    },
    KeyDoc {
        key: "crates(..)",
        crd: "-",
        note: "`kube` and `k8s_openapi` name the crates the root type uses; `schemars` and `serde_json` are not used; others must keep their default",
    },
    KeyDoc { key: "schema", crd: "-", note: "`\"derived\"` only: crd-gen always generates the schema from the Rust types" },
    KeyDoc { key: "attr", crd: "-", note: "refused: the root type takes no extra attributes" },
    KeyDoc { key: "no_spec", crd: "-", note: "refused: crd-gen's objects have a `spec`" },
    KeyDoc { key: "cel", crd: "-", note: "refused: no client-side `validate_cel`; `cargo crd-gen` type-checks the rules instead" },
];

fn known(key: &str) -> bool {
    KEYS.iter().any(|k| k.key.split([' ', '(']).next() == Some(key))
}

/// Reads `#[kube(..)]` into `out`: markers, the object's rules, the root-type facts.
pub fn read(attrs: &[syn::Attribute], site: AttrSite, out: &mut Dialects, errors: &mut Vec<MarkerError>) {
    let Some(first) = attrs.iter().find(|a| a.path().is_ident("kube")) else { return };
    if site != AttrSite::ResourceStruct {
        errors.push(
            MarkerError::new(first.path().span(), "`#[kube(...)]` goes on the spec struct that derives `CustomResource`")
                .help("field constraints are `#[schemars(..)]`, `#[x_kube(..)]` or `#[crd(..)]` attributes"),
        );
        return;
    }
    let mut root = KubeRoot { span: first.path().span(), kube: None, k8s_openapi: None, derives: Vec::new() };
    let mut namespaced = false;
    let mut storage = None;
    for meta in metas(attrs, "kube", errors) {
        let res = entry(&meta, &mut root, out, &mut namespaced, &mut storage);
        if let Err(e) = res {
            errors.push(e);
        }
    }
    // kube-derive's defaults, which are not crd-gen's: cluster scope, and storage unless
    // `storage = false`.
    if !namespaced {
        out.markers.push(marker(K::Scope, Value::Str("Cluster".into()), root.span));
    }
    out.markers.push(marker(K::StorageVersion, Value::Bool(storage.is_none_or(|(b, _)| b)), storage.map_or(root.span, |(_, s)| s)));
    out.kube = Some(root);
}

fn entry(
    meta: &Meta,
    root: &mut KubeRoot,
    out: &mut Dialects,
    namespaced: &mut bool,
    storage: &mut Option<(bool, Span)>,
) -> Result<(), MarkerError> {
    let key = key_of(meta);
    let span = span_of(meta);
    let simple = |k: K| -> Result<Marker, MarkerError> { Ok(marker(k, Value::Str(str_value(meta, "kube")?), span)) };
    let m = match key.as_str() {
        "group" => simple(K::Group)?,
        "version" => simple(K::Version)?,
        "kind" => simple(K::Kind)?,
        "plural" => simple(K::Plural)?,
        "singular" => simple(K::Singular)?,
        "status" => simple(K::Status)?,
        "shortname" => simple(K::ShortName)?,
        "category" => simple(K::Category)?,
        "selectable" => simple(K::SelectableField)?,
        "namespaced" => {
            *namespaced = flag(meta)?;
            if !*namespaced {
                return Ok(());
            }
            marker(K::Scope, Value::Str("Namespaced".into()), span)
        }
        "served" => marker(K::Served, Value::Bool(flag(meta)?), span),
        "storage" => {
            *storage = Some((flag(meta)?, span));
            return Ok(());
        }
        "deprecated" => match meta {
            Meta::Path(_) => marker(K::Deprecated, Value::Bool(true), span),
            _ => simple(K::Deprecated)?,
        },
        "printcolumn" => marker(K::Printcolumn, Value::Group(printcolumn(meta)?), span),
        "scale" => marker(K::Scale, Value::Group(scale(meta)?), span),
        "annotation" => marker(K::Annotation, Value::Group(key_value(meta)?), span),
        "label" => marker(K::Label, Value::Group(key_value(meta)?), span),
        "validation" => {
            let Meta::NameValue(nv) = meta else {
                return Err(MarkerError::new(span, "`validation` takes a value: `validation = \"rule\"`"));
            };
            out.root_rules.push(marker(K::Validation, Value::Group(super::x_kube::rule(&nv.value, "kube")?), span));
            return Ok(());
        }
        "doc" => {
            let text = str_value(meta, "kube")?;
            let text = text.trim().to_string();
            marker(K::Root, Value::Docs(crate::Docs { text: (!text.is_empty()).then_some(text), go_markers: Vec::new() }), span)
        }
        "root" => simple(K::RootType)?,
        "derive" => return derive(meta, root),
        "crates" => return crates(meta, root),
        "schema" => {
            let mode = str_value(meta, "kube")?;
            if mode == "derived" {
                return Ok(());
            }
            return Err(MarkerError::new(span, format!("crd-gen always generates the schema; `schema = \"{mode}\"` cannot be honoured"))
                .help("remove `schema`; for a value whose schema crd-gen cannot read, mark the field (`#[crd(preserve_unknown_fields)]`, `#[crd(schema_type = \"..\")]`)"));
        }
        "attr" => {
            return Err(MarkerError::new(span, "crd-gen's root type takes no extra attributes (`attr`)")
                .help("remove `attr`; implement what it derived by hand on the root type"));
        }
        "no_spec" => {
            return Err(MarkerError::new(span, "crd-gen's objects keep their fields under `spec`; `no_spec` cannot be honoured")
                .help("remove `no_spec` (crd-gen cannot put the spec's fields at the top level of the object)"));
        }
        "cel" => {
            return Err(MarkerError::new(span, "crd-gen's root type has no client-side `validate_cel`; `cel` cannot be honoured")
                .help("remove `cel`: `cargo crd-gen` parses and type-checks every CEL rule, and the API server runs them"));
        }
        other => {
            let names: Vec<&str> = KEYS.iter().filter_map(|k| k.key.split([' ', '(']).next()).collect();
            let mut e = MarkerError::new(span, format!("unknown kube-derive attribute `{other}`"));
            e = match vocab::suggest(other, names.iter().copied()) {
                Some(s) => e.help(format!("did you mean `{s}`? kube-derive 5 knows: {}", names.join(", "))),
                None => e.help(format!("kube-derive 5 knows: {}", names.join(", "))),
            };
            return Err(e);
        }
    };
    debug_assert!(known(&key));
    out.markers.push(m);
    Ok(())
}

/// `key` alone, or `key = true|false`.
fn flag(meta: &Meta) -> Result<bool, MarkerError> {
    match meta {
        Meta::Path(_) => Ok(true),
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit { lit: syn::Lit::Bool(b), .. }) => Ok(b.value),
            other => Err(MarkerError::new(other.span(), format!("`{}` takes `true` or `false`", key_of(meta)))),
        },
        Meta::List(_) => Err(MarkerError::new(span_of(meta), format!("`{}` takes `true` or `false`", key_of(meta)))),
    }
}

/// A group in kube-derive's two spellings: JSON text with the API's camelCase names, or a list
/// with snake_case ones. `keys` is (JSON name, list name, crd key).
fn group(meta: &Meta, defs: &'static [vocab::ArgDef], keys: &[(&str, &str, A)]) -> Result<Vec<Arg>, MarkerError> {
    let span = span_of(meta);
    let name = key_of(meta);
    let mut args = Vec::new();
    match meta {
        Meta::NameValue(nv) => {
            let text = lit_str(&nv.value).ok_or_else(|| not_literal(nv.value.span(), "kube", &name, "a string holding JSON"))?;
            let json = parse_json(&text).map_err(|e| MarkerError::new(nv.value.span(), format!("`{name}` is not valid JSON: {e}")))?;
            let Literal::Object(fields) = json else {
                return Err(MarkerError::new(nv.value.span(), format!("`{name}` must be a JSON object")));
            };
            for (k, v) in fields {
                let Some((_, _, key)) = keys.iter().find(|(j, _, _)| *j == k) else {
                    return Err(MarkerError::new(nv.value.span(), format!("unknown key `{k}` in `{name}`"))
                        .help(format!("`{name}` takes {}", keys.iter().map(|k| k.0).collect::<Vec<_>>().join(", "))));
                };
                args.push(arg(defs, *key, json_value(v, nv.value.span(), &k)?, nv.value.span())?);
            }
        }
        Meta::List(_) => {
            for inner in super::nested(meta, "kube")? {
                let k = key_of(&inner);
                let Some((_, _, key)) = keys.iter().find(|(_, l, _)| *l == k) else {
                    return Err(MarkerError::new(span_of(&inner), format!("unknown key `{k}` in `{name}(...)`"))
                        .help(format!("`{name}` takes {}", keys.iter().map(|k| k.1).collect::<Vec<_>>().join(", "))));
                };
                let value = match &inner {
                    Meta::NameValue(nv) if lit_str(&nv.value).is_some() => Value::Str(lit_str(&nv.value).unwrap_or_default()),
                    Meta::NameValue(nv) => Value::Count(super::count(number(&nv.value, "kube", &k)?, nv.value.span(), &k)?),
                    _ => return Err(MarkerError::new(span_of(&inner), format!("`{k}` takes a value"))),
                };
                args.push(arg(defs, *key, value, span_of(&inner))?);
            }
        }
        Meta::Path(_) => return Err(MarkerError::new(span, format!("`{name}` takes JSON text or a list"))),
    }
    for req in defs.iter().filter(|d| d.required) {
        if !args.iter().any(|a| a.def.key == req.key) {
            let (json, list, _) = keys.iter().find(|k| k.2 == req.key).expect("every key has a spelling");
            return Err(MarkerError::new(span, format!("`{name}` needs `{json}` (`{list}` in the list form)")));
        }
    }
    Ok(args)
}

fn json_value(v: Literal, span: Span, key: &str) -> Result<Value, MarkerError> {
    match v {
        Literal::String(s) => Ok(Value::Str(s)),
        Literal::Number(crate::Number::UInt(n)) => Ok(Value::Count(n)),
        _ => Err(MarkerError::new(span, format!("`{key}` takes a string (or, for `priority`, a non-negative integer)"))),
    }
}

fn printcolumn(meta: &Meta) -> Result<Vec<Arg>, MarkerError> {
    group(
        meta,
        vocab::PRINTCOLUMN,
        &[
            ("name", "name", A::Name),
            ("type", "type_", A::Type),
            ("jsonPath", "json_path", A::JsonPath),
            ("description", "description", A::Description),
            ("format", "format", A::Format),
            ("priority", "priority", A::Priority),
        ],
    )
}

fn scale(meta: &Meta) -> Result<Vec<Arg>, MarkerError> {
    group(
        meta,
        vocab::SCALE,
        &[
            ("specReplicasPath", "spec_replicas_path", A::SpecReplicasPath),
            ("statusReplicasPath", "status_replicas_path", A::StatusReplicasPath),
            ("labelSelectorPath", "label_selector_path", A::LabelSelectorPath),
        ],
    )
}

/// `annotation("key", "value")`.
fn key_value(meta: &Meta) -> Result<Vec<Arg>, MarkerError> {
    let span = span_of(meta);
    let bad = || MarkerError::new(span, format!("`{}` takes `(\"key\", \"value\")`", key_of(meta)));
    let Meta::List(list) = meta else { return Err(bad()) };
    let parts = list.parse_args_with(syn::punctuated::Punctuated::<syn::LitStr, syn::Token![,]>::parse_terminated).map_err(|_| bad())?;
    let [k, v] = parts.iter().collect::<Vec<_>>()[..] else { return Err(bad()) };
    Ok(vec![
        arg(vocab::KEY_VALUE, A::Key, Value::Str(k.value()), k.span())?,
        arg(vocab::KEY_VALUE, A::Value, Value::Str(v.value()), v.span())?,
    ])
}

/// `derive = "PartialEq"`: crd-gen's root type derives `Clone` and `Debug`, and `Default` and
/// `PartialEq` when a `#[derive(..)]` line after the one with `CustomResource` lists them (rustc
/// shows a derive the lines after its own, not its own list).
fn derive(meta: &Meta, root: &mut KubeRoot) -> Result<(), MarkerError> {
    let name = str_value(meta, "kube")?;
    let last = name.rsplit("::").next().unwrap_or(&name).trim().to_string();
    match last.as_str() {
        "Clone" | "Debug" => Ok(()),
        "PartialEq" | "Default" => {
            if !root.derives.contains(&last) {
                root.derives.push(last);
            }
            Ok(())
        }
        _ => Err(MarkerError::new(span_of(meta), format!("crd-gen's root type cannot derive `{last}`"))
            .help("the root type derives `Clone`, `Debug`, and `PartialEq`/`Default` when asked; implement others by hand")),
    }
}

/// `crates(kube = ::kube, ..)`.
fn crates(meta: &Meta, root: &mut KubeRoot) -> Result<(), MarkerError> {
    for inner in super::nested(meta, "kube")? {
        let key = key_of(&inner);
        let Meta::NameValue(nv) = &inner else { return Err(MarkerError::new(span_of(&inner), format!("`{key}` takes a path"))) };
        let path = match &nv.value {
            Expr::Path(p) => quote::ToTokens::to_token_stream(&p.path).to_string().replace(' ', ""),
            other => return Err(MarkerError::new(other.span(), format!("`{key}` takes a path, e.g. `{key} = ::{key}`"))),
        };
        let bare = path.trim_start_matches("::");
        let single = || {
            syn::parse_str::<syn::Ident>(bare).map_err(|_| {
                MarkerError::new(nv.value.span(), format!("crd-gen's root type names `{key}` by a crate name: write `{key} = ::name`"))
            })
        };
        match key.as_str() {
            "kube" => root.kube = Some(single()?),
            "k8s_openapi" => root.k8s_openapi = Some(single()?),
            "schemars" | "serde_json" => {}
            "kube_core" if bare == "kube::core" => {}
            "serde" | "std" if bare == key => {}
            "kube_core" | "serde" | "std" => {
                return Err(MarkerError::new(
                    nv.value.span(),
                    format!(
                        "crd-gen's root type uses `::{}`; `{key} = {path}` cannot be honoured",
                        if key == "kube_core" { "kube::core" } else { &key }
                    ),
                )
                .help("depend on the crate under its own name, or name kube with `crates(kube = ..)`"));
            }
            other => {
                return Err(MarkerError::new(span_of(&inner), format!("unknown crate `{other}` in `crates(...)`"))
                    .help("kube-derive 5 knows kube, kube_core, k8s_openapi, schemars, serde, serde_json, std"));
            }
        }
    }
    Ok(())
}
