//! k8s-openapi types. k8s-openapi writes its serde impls by hand (no derive to read), but it
//! generates, for every type, a `JsonSchema` impl whose `json_schema!({..})` body is the type's
//! schema from the Kubernetes OpenAPI spec: JSON names, types, formats, required fields and
//! descriptions, with `__gen.subschema_for::<T>()` where another type is used. That body is read
//! here as data, and each referenced type is lowered in turn (so Time, Quantity, ObjectMeta keep
//! their special forms and recursion is caught as everywhere else).

use super::{Env, Lowerer};
use crate::schema::Schema;
use crate::source::ItemRef;
use indexmap::IndexMap;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use serde_json::Value;

/// A parsed `json_schema!` body: JSON, with holes where a type's schema goes.
#[derive(Debug)]
enum J {
    Lit(Value),
    Obj(Vec<(String, J)>),
    Arr(Vec<J>),
    Sub { ty: Box<syn::Type>, description: Option<String> },
}

/// The schema of k8s-openapi type `item`, or None when it has no readable `JsonSchema` impl.
pub fn lower_k8s_type(lw: &mut Lowerer, item: ItemRef) -> Option<Schema> {
    let name = super::item_ident(lw.res.program.item(item));
    let body = lw.res.program.body(item.scope).clone();
    let tokens = body.items().iter().find_map(|i| schema_macro(i, &name))?;
    let j = parse_value(&TokenTree::Group(proc_macro2::Group::new(Delimiter::Brace, tokens))).ok()?;
    let mut schema = to_schema(lw, &j, &Env::new(item.scope));
    let module = lw.res.program.krate(item.scope.krate).module_path(item.scope.module);
    let path = super::k8s_markers::type_path(&module, &name);
    // What the Go source says and the OpenAPI spec does not (see k8s_markers.txt).
    super::k8s_markers::apply(lw, item.scope, &path, &mut schema);
    schema.k8s_type = Some(path.into());
    Some(schema)
}

/// The tokens inside `json_schema!({ .. })` of `impl JsonSchema for <name>`.
fn schema_macro(item: &syn::Item, name: &str) -> Option<TokenStream> {
    let syn::Item::Impl(imp) = item else { return None };
    let (trait_path, _) = imp.trait_.as_ref()?;
    if trait_path.segments.last()?.ident != "JsonSchema" {
        return None;
    }
    let syn::Type::Path(self_ty) = &*imp.self_ty else { return None };
    if self_ty.path.segments.last()?.ident != name {
        return None;
    }
    imp.items.iter().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == "json_schema" => f.block.stmts.iter().find_map(|s| {
            let mac = match s {
                syn::Stmt::Macro(m) => &m.mac,
                syn::Stmt::Expr(syn::Expr::Macro(m), _) => &m.mac,
                _ => return None,
            };
            let group = mac.tokens.clone().into_iter().next()?;
            match group {
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(g.stream()),
                _ => None,
            }
        }),
        _ => None,
    })
}

fn parse_value(tt: &TokenTree) -> Result<J, ()> {
    match tt {
        TokenTree::Literal(l) => match syn::parse2::<syn::Lit>(TokenTree::Literal(l.clone()).into()).map_err(|_| ())? {
            syn::Lit::Str(s) => Ok(J::Lit(Value::String(s.value()))),
            syn::Lit::Int(i) => Ok(J::Lit(i.base10_parse::<i64>().map(Value::from).map_err(|_| ())?)),
            syn::Lit::Float(f) => Ok(J::Lit(f.base10_parse::<f64>().map(Value::from).map_err(|_| ())?)),
            syn::Lit::Bool(b) => Ok(J::Lit(Value::Bool(b.value))),
            _ => Err(()),
        },
        TokenTree::Ident(i) if i == "true" || i == "false" => Ok(J::Lit(Value::Bool(i == "true"))),
        TokenTree::Ident(i) if i == "null" => Ok(J::Lit(Value::Null)),
        TokenTree::Group(g) => match g.delimiter() {
            Delimiter::Brace => {
                let tokens: Vec<TokenTree> = g.stream().into_iter().collect();
                let mut fields = Vec::new();
                let mut i = 0;
                while i < tokens.len() {
                    let J::Lit(Value::String(key)) = parse_value(&tokens[i])? else { return Err(()) };
                    if !matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':') {
                        return Err(());
                    }
                    let value = parse_value(tokens.get(i + 2).ok_or(())?)?;
                    fields.push((key, value));
                    i += 3;
                    if matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
                        i += 1;
                    }
                }
                Ok(J::Obj(fields))
            }
            Delimiter::Bracket => {
                let tokens: Vec<TokenTree> = g.stream().into_iter().collect();
                tokens
                    .iter()
                    .filter(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                    .map(parse_value)
                    .collect::<Result<_, _>>()
                    .map(J::Arr)
            }
            Delimiter::Parenthesis => parse_sub(g.stream()),
            Delimiter::None => g.stream().into_iter().next().as_ref().map(parse_value).unwrap_or(Err(())),
        },
        _ => Err(()),
    }
}

/// `(__gen.subschema_for::<T>())` or the block form that also sets a description.
fn parse_sub(stream: TokenStream) -> Result<J, ()> {
    let flat = flatten(stream);
    let at = flat.iter().position(|t| matches!(t, TokenTree::Ident(i) if i == "subschema_for")).ok_or(())?;
    // subschema_for :: < TYPE > ( )
    let start = flat.iter().skip(at).position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '<')).ok_or(())? + at + 1;
    let mut depth = 1;
    let mut end = start;
    while end < flat.len() {
        if let TokenTree::Punct(p) = &flat[end] {
            match p.as_char() {
                '<' => depth += 1,
                '>' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        end += 1;
    }
    let ty: syn::Type = syn::parse2(flat[start..end].iter().cloned().collect()).map_err(|_| ())?;
    let description = flat.windows(2).find_map(|w| match (&w[0], &w[1]) {
        (TokenTree::Ident(i), TokenTree::Group(g)) if i == "insert" => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            let key = inner.first().and_then(|t| parse_value(t).ok());
            if !matches!(key, Some(J::Lit(Value::String(ref k))) if k == "description") {
                return None;
            }
            inner.iter().skip(1).find_map(|t| match parse_value(t) {
                Ok(J::Lit(Value::String(s))) => Some(s),
                _ => None,
            })
        }
        _ => None,
    });
    Ok(J::Sub { ty: Box::new(ty), description })
}

/// Leaves of a token stream in order, descending into all groups except call argument lists
/// (kept whole, so `insert(..)` can be read with its arguments).
fn flatten(stream: TokenStream) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for t in stream {
        match t {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace || g.delimiter() == Delimiter::None => out.extend(flatten(g.stream())),
            other => out.push(other),
        }
    }
    out
}

/// The strings of a JSON array (`"required": ["a", "b"]`).
fn strings(j: &J) -> Vec<String> {
    match j {
        J::Arr(items) => items.iter().filter_map(|i| if let J::Lit(Value::String(r)) = i { Some(r.clone()) } else { None }).collect(),
        _ => Vec::new(),
    }
}

fn to_schema(lw: &mut Lowerer, j: &J, env: &Env) -> Schema {
    match j {
        J::Sub { ty, description } => {
            let mut s = lw.lower_type(ty, env).schema;
            if description.is_some() {
                s.description = description.clone();
            }
            s
        }
        J::Obj(fields) => {
            let mut s = Schema::default();
            for (k, v) in fields {
                let text = || match v {
                    J::Lit(Value::String(t)) => Some(t.clone()),
                    _ => None,
                };
                let lit = || match v {
                    J::Lit(l) => Some(l.clone()),
                    _ => None,
                };
                match k.as_str() {
                    "description" => s.description = text(),
                    "type" => s.type_ = text(),
                    "format" => s.format = text(),
                    "pattern" => s.pattern = text(),
                    "default" => s.default = lit(),
                    "enum" => {
                        s.enum_ = match v {
                            J::Arr(items) => {
                                Some(items.iter().filter_map(|i| if let J::Lit(l) = i { Some(l.clone()) } else { None }).collect())
                            }
                            _ => None,
                        }
                    }
                    "nullable" => s.nullable = lit() == Some(Value::Bool(true)),
                    "required" => s.required = strings(v),
                    "properties" => {
                        if let J::Obj(props) = v {
                            let mut map = IndexMap::new();
                            for (name, p) in props {
                                map.insert(name.clone(), to_schema(lw, p, env));
                            }
                            s.properties = Some(map);
                        }
                    }
                    "items" => s.items = Some(Box::new(to_schema(lw, v, env))),
                    "additionalProperties" => s.additional_properties = Some(Box::new(to_schema(lw, v, env))),
                    "anyOf" | "oneOf" | "allOf" => {
                        if let J::Arr(items) = v {
                            let list: Vec<Schema> = items.iter().map(|i| to_schema(lw, i, env)).collect();
                            match k.as_str() {
                                "anyOf" => s.any_of = list,
                                "oneOf" => s.one_of = list,
                                _ => s.all_of = list,
                            }
                        }
                    }
                    "x-kubernetes-int-or-string" => s.int_or_string = lit() == Some(Value::Bool(true)),
                    "x-kubernetes-preserve-unknown-fields" => s.preserve_unknown_fields = lit() == Some(Value::Bool(true)),
                    "x-kubernetes-embedded-resource" => s.embedded_resource = lit() == Some(Value::Bool(true)),
                    "x-kubernetes-list-type" => s.list_type = text(),
                    "x-kubernetes-map-type" => s.map_type = text(),
                    "x-kubernetes-list-map-keys" => s.list_map_keys = strings(v),
                    _ => {}
                }
            }
            s
        }
        J::Lit(_) | J::Arr(_) => Schema::default(),
    }
}
