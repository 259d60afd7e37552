//! `#[x_kube(..)]`, the attribute of kube's `KubeSchema` derive (kube-derive 5's `cel_schema`):
//! CEL rules (`validation = "rule"` or `Rule::new(..)` built with its methods) and server-side
//! apply merge strategies (`merge_strategy = ListMerge::Set`), on fields and on structs. kube's
//! derive still generates the `JsonSchema` impl; crd-gen reads the same attribute for the CRD.

use super::{arg, key_of, lit_str, marker, metas, not_literal, span_of};
use crate::parse::{Arg, AttrSite, Marker, MarkerError, Value};
use crate::vocab::{self, ArgKey as A, MarkerKey as K};
use syn::spanned::Spanned;
use syn::{Expr, Meta};

pub fn read(attrs: &[syn::Attribute], site: AttrSite, out: &mut Vec<Marker>, errors: &mut Vec<MarkerError>) {
    for meta in metas(attrs, "x_kube", errors) {
        if let Err(e) = entry(&meta, site, out) {
            errors.push(e);
        }
    }
}

fn entry(meta: &Meta, site: AttrSite, out: &mut Vec<Marker>) -> Result<(), MarkerError> {
    let key = key_of(meta);
    let span = span_of(meta);
    let on_field = site == AttrSite::Field;
    match (key.as_str(), meta) {
        ("validation", Meta::NameValue(nv)) => out.push(marker(K::Validation, Value::Group(rule(&nv.value, "x_kube")?), span)),
        ("merge_strategy", Meta::NameValue(nv)) if on_field => out.extend(merge_strategy(&nv.value)?),
        // Read by kube's own derive: client-side validation methods and its crate paths.
        ("cel" | "crates", _) if !on_field => {}
        _ => {
            let valid = if on_field { "validation, merge_strategy" } else { "validation, cel, crates" };
            return Err(
                MarkerError::new(span, format!("unknown or misplaced `#[x_kube({key})]`")).help(format!("here `#[x_kube]` takes {valid}"))
            );
        }
    }
    Ok(())
}

/// A kube `Rule`: `"rule"`, `("rule", "message")`, or `Rule::new("rule")` with `.message(..)`,
/// `.reason(..)`, `.field_path(..)`, `.optional_old_self(..)`.
pub fn rule(expr: &Expr, dialect: &str) -> Result<Vec<Arg>, MarkerError> {
    let defs = vocab::VALIDATION;
    let span = expr.span();
    if let Some(text) = lit_str(expr) {
        return Ok(vec![arg(defs, A::Rule, Value::Str(text), span)?]);
    }
    match expr {
        Expr::Tuple(t) if t.elems.len() == 2 => {
            let (r, m) = (&t.elems[0], &t.elems[1]);
            let r = lit_str(r).ok_or_else(|| not_literal(r.span(), dialect, "validation", "a string literal"))?;
            let m = lit_str(m).ok_or_else(|| not_literal(m.span(), dialect, "validation", "a string literal"))?;
            Ok(vec![arg(defs, A::Rule, Value::Str(r), span)?, arg(defs, A::Message, Value::Str(m), span)?])
        }
        Expr::Call(c) if path_ends(&c.func, &["Rule", "new"]) && c.args.len() == 1 => {
            let text = lit_str(&c.args[0]).ok_or_else(|| not_literal(c.args[0].span(), dialect, "Rule::new", "a string literal"))?;
            Ok(vec![arg(defs, A::Rule, Value::Str(text), span)?])
        }
        Expr::MethodCall(mc) => {
            let mut args = rule(&mc.receiver, dialect)?;
            let method = mc.method.to_string();
            let [value] = mc.args.iter().collect::<Vec<_>>()[..] else {
                return Err(MarkerError::new(mc.method.span(), format!("`.{method}(..)` takes one argument")));
            };
            let s = mc.method.span();
            let str_of = |e: &Expr| lit_str(e).ok_or_else(|| not_literal(e.span(), dialect, &format!(".{method}"), "a string literal"));
            let new = match method.as_str() {
                "message" => message(value, dialect)?,
                "reason" => {
                    let name =
                        last_segment(value).ok_or_else(|| not_literal(value.span(), dialect, ".reason", "a `Reason::..` variant"))?;
                    arg(defs, A::Reason, Value::Str(name), s)?
                }
                "field_path" => arg(defs, A::FieldPath, Value::Str(str_of(value)?), s)?,
                "optional_old_self" => match value {
                    Expr::Lit(syn::ExprLit { lit: syn::Lit::Bool(b), .. }) if b.value => {
                        arg(defs, A::OptionalOldSelf, Value::Bool(true), s)?
                    }
                    Expr::Lit(syn::ExprLit { lit: syn::Lit::Bool(_), .. }) => return Ok(args),
                    other => return Err(not_literal(other.span(), dialect, ".optional_old_self", "`true` or `false`")),
                },
                other => {
                    return Err(MarkerError::new(s, format!("`Rule` has no method `{other}` crd-gen knows"))
                        .help("kube's `Rule` is built with `.message`, `.reason`, `.field_path`, `.optional_old_self`"));
                }
            };
            args.retain(|a| a.def.key != new.def.key && !(is_message(a.def.key) && is_message(new.def.key)));
            args.push(new);
            Ok(args)
        }
        Expr::Paren(p) => rule(&p.expr, dialect),
        _ => Err(not_literal(span, dialect, "validation", "`\"rule\"`, `(\"rule\", \"message\")` or `Rule::new(\"rule\")..`")),
    }
}

fn is_message(k: A) -> bool {
    matches!(k, A::Message | A::MessageExpression)
}

/// `.message("text")`, `.message(Message::Message("text"))`, `.message(Message::Expression("cel"))`.
fn message(value: &Expr, dialect: &str) -> Result<Arg, MarkerError> {
    let defs = vocab::VALIDATION;
    if let Some(text) = lit_str(value) {
        return arg(defs, A::Message, Value::Str(text), value.span());
    }
    if let Expr::Call(c) = value
        && c.args.len() == 1
        && let Some(text) = lit_str(&c.args[0])
    {
        if path_ends(&c.func, &["Message", "Message"]) {
            return arg(defs, A::Message, Value::Str(text), value.span());
        }
        if path_ends(&c.func, &["Message", "Expression"]) {
            return arg(defs, A::MessageExpression, Value::Str(text), value.span());
        }
    }
    Err(not_literal(value.span(), dialect, ".message", "a string literal, `Message::Message(\"..\")` or `Message::Expression(\"..\")`"))
}

/// `ListMerge::Atomic|Set|Map(vec!["key", ..])`, `MapMerge::..`, `StructMerge::..`.
fn merge_strategy(expr: &Expr) -> Result<Vec<Marker>, MarkerError> {
    let span = expr.span();
    let bad = || {
        not_literal(
            span,
            "x_kube",
            "merge_strategy",
            "`ListMerge::Atomic`, `ListMerge::Set`, `ListMerge::Map(vec![\"key\"])`, `MapMerge::..` or `StructMerge::..`",
        )
    };
    let (enum_name, variant, keys) = match expr {
        Expr::Path(p) => {
            let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            let [.., e, v] = &segs[..] else { return Err(bad()) };
            (e.clone(), v.clone(), None)
        }
        Expr::Call(c) if path_ends(&c.func, &["ListMerge", "Map"]) && c.args.len() == 1 => {
            ("ListMerge".into(), "Map".into(), Some(map_keys(&c.args[0]).ok_or_else(bad)?))
        }
        _ => return Err(bad()),
    };
    let lower = variant.to_ascii_lowercase();
    let m = |k: K, v: &str| marker(k, Value::Str(v.to_string()), span);
    Ok(match (enum_name.as_str(), lower.as_str()) {
        ("ListMerge", "atomic" | "set") => vec![m(K::ListType, &lower)],
        ("ListMerge", "map") => {
            let mut out = vec![m(K::ListType, "map")];
            out.extend(keys.unwrap_or_default().iter().map(|k| m(K::ListMapKey, k)));
            out
        }
        ("MapMerge", "atomic" | "granular") => vec![m(K::MapType, &lower)],
        ("StructMerge", "atomic" | "granular") => vec![m(K::StructType, &lower)],
        _ => return Err(bad()),
    })
}

/// `vec!["a".into(), "b".to_string(), String::from("c")]` or `["a"]`: the key names.
fn map_keys(expr: &Expr) -> Option<Vec<String>> {
    let elems: Vec<Expr> = match expr {
        Expr::Macro(m) if m.mac.path.is_ident("vec") => {
            m.mac.parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated).ok()?.into_iter().collect()
        }
        Expr::Array(a) => a.elems.iter().cloned().collect(),
        _ => return None,
    };
    elems.iter().map(key_text).collect()
}

fn key_text(e: &Expr) -> Option<String> {
    match e {
        Expr::MethodCall(mc) if mc.args.is_empty() && matches!(mc.method.to_string().as_str(), "into" | "to_string" | "to_owned") => {
            lit_str(&mc.receiver)
        }
        Expr::Call(c) if path_ends(&c.func, &["String", "from"]) && c.args.len() == 1 => lit_str(&c.args[0]),
        _ => lit_str(e),
    }
}

fn path_ends(func: &Expr, tail: &[&str]) -> bool {
    let Expr::Path(p) = func else { return false };
    let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    segs.len() >= tail.len() && segs[segs.len() - tail.len()..].iter().zip(tail).all(|(a, b)| a == b)
}

fn last_segment(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
