//! Parsing `#[crd(...)]` attributes into [`Marker`]s, checked against the vocabulary.
//!
//! The same code runs in the derive (spans are compiler spans, errors become `compile_error!`) and
//! in the engine (spans come from parsing the file with syn, errors become diagnostics).

use super::vocab::{self, MarkerDef, Site, ValueKind};
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, Lit, Token};

#[derive(Clone, Debug)]
pub struct Marker {
    pub def: &'static MarkerDef,
    pub value: Value,
    /// The span of the key, where errors about this marker point.
    pub span: Span,
    /// True when it came from a `+kubebuilder:` doc comment rather than `#[crd]`.
    pub from_go: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Str(String),
    /// Numbers, literals and JSON text, already turned into JSON.
    Json(serde_json::Value),
    /// `key(...)`: the inner markers.
    Group(Vec<Marker>),
    /// `key(/// ..)`: a doc comment.
    Docs(super::Docs),
}

impl PartialEq for Marker {
    fn eq(&self, other: &Self) -> bool {
        self.def.name == other.def.name && self.value == other.value
    }
}

impl Marker {
    pub fn name(&self) -> &'static str {
        self.def.name
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> bool {
        matches!(self.value, Value::Bool(true))
    }
    pub fn as_json(&self) -> Option<&serde_json::Value> {
        match &self.value {
            Value::Json(j) => Some(j),
            _ => None,
        }
    }
    /// The doc comment of a `root(/// ..)` marker.
    pub fn docs(&self) -> Option<&super::Docs> {
        match &self.value {
            Value::Docs(d) => Some(d),
            _ => None,
        }
    }
    pub fn inner(&self) -> &[Marker] {
        match &self.value {
            Value::Group(g) => g,
            _ => &[],
        }
    }
    /// The value of inner key `name` of a group marker.
    pub fn get(&self, name: &str) -> Option<&Marker> {
        self.inner().iter().find(|m| m.def.name == name)
    }
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Marker::as_str)
    }
}

/// A marker problem: where, what, and how to fix it.
#[derive(Clone, Debug)]
pub struct MarkerError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl MarkerError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        MarkerError { span, message: message.into(), help: None }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// For the derive: one `syn::Error` carrying the help line, as rustc shows it.
    pub fn to_syn(&self) -> syn::Error {
        match &self.help {
            Some(h) => syn::Error::new(self.span, format!("{}\n\n= help: {h}", self.message)),
            None => syn::Error::new(self.span, &self.message),
        }
    }
}

/// Where a `#[crd]` attribute stands; decides which markers are allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrSite {
    /// The spec struct of a resource: resource and schema markers.
    ResourceStruct,
    /// Any other struct or enum: schema markers.
    Type,
    /// A named field or newtype content.
    Field,
    /// An enum variant.
    Variant,
    /// The Go markers in a spec struct's `root(/// ..)`: the Go root type's markers.
    Root,
}

impl AttrSite {
    fn allows(self, def: &MarkerDef) -> bool {
        match (self, def.site) {
            (AttrSite::ResourceStruct, Site::Resource | Site::Schema) => true,
            (AttrSite::Type, Site::Schema) => true,
            (AttrSite::Field, Site::Schema | Site::Field) => true,
            (AttrSite::Variant, _) => matches!(def.name, "description" | "title" | "skip"),
            (AttrSite::Root, Site::Resource) => def.name != "root",
            (AttrSite::Root, _) => def.name == "validation",
            _ => false,
        }
    }
    fn describe(self) -> &'static str {
        match self {
            AttrSite::ResourceStruct => "a resource's spec struct",
            AttrSite::Type => "a struct or enum",
            AttrSite::Field => "a field",
            AttrSite::Variant => "an enum variant",
            AttrSite::Root => "the root object (`root(...)`)",
        }
    }
}

/// Parses every `#[crd(...)]` in `attrs`; problems go to `errors`, good markers are returned.
pub fn parse_attrs(attrs: &[syn::Attribute], site: AttrSite, errors: &mut Vec<MarkerError>) -> Vec<Marker> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("crd")) {
        let tokens = match &attr.meta {
            syn::Meta::List(list) => list.tokens.clone(),
            other => {
                errors.push(
                    MarkerError::new(other.span(), "expected `#[crd(...)]`")
                        .help("write markers inside parentheses, e.g. `#[crd(min_length = 1)]`"),
                );
                continue;
            }
        };
        out.extend(parse_tokens_at(tokens, Some(site), errors));
    }
    check_site(&out, site, errors);
    check_repeats(&out, errors);
    out
}

/// Parses the inside of one `#[crd(...)]`.
pub fn parse_tokens(tokens: TokenStream, errors: &mut Vec<MarkerError>) -> Vec<Marker> {
    parse_tokens_at(tokens, None, errors)
}

/// As [`parse_tokens`]; with a site, "valid markers here" lists only those the site allows.
fn parse_tokens_at(tokens: TokenStream, site: Option<AttrSite>, errors: &mut Vec<MarkerError>) -> Vec<Marker> {
    let mut out = Vec::new();
    let parser = |input: ParseStream| {
        parse_list(input, &Defs::Top(site), &mut out, errors);
        Ok(())
    };
    if let Err(e) = parser.parse2(tokens) {
        errors.push(MarkerError::new(e.span(), e.to_string()));
    }
    out
}

/// Which keys are valid at a nesting level.
enum Defs {
    Top(Option<AttrSite>),
    Items,
    Inner(&'static [MarkerDef]),
}

impl Defs {
    fn find(&self, name: &str) -> Option<&'static MarkerDef> {
        match self {
            Defs::Top(_) => vocab::lookup(name),
            Defs::Items => vocab::item_markers().find(|d| d.name == name),
            Defs::Inner(defs) => defs.iter().find(|d| d.name == name),
        }
    }
    fn names(&self) -> Vec<&'static str> {
        match self {
            Defs::Top(site) => vocab::MARKERS.iter().filter(|d| site.is_none_or(|s| s.allows(d))).map(|d| d.name).collect(),
            Defs::Items => vocab::item_markers().map(|d| d.name).collect(),
            Defs::Inner(defs) => defs.iter().map(|d| d.name).collect(),
        }
    }
}

fn parse_list(input: ParseStream, defs: &Defs, out: &mut Vec<Marker>, errors: &mut Vec<MarkerError>) {
    while !input.is_empty() {
        let key = match input.call(syn::Ident::parse_any) {
            Ok(k) => k,
            Err(e) => {
                errors.push(
                    MarkerError::new(e.span(), "expected a marker name").help("markers look like `name`, `name = value` or `name(...)`"),
                );
                skip_entry(input);
                // The `,` ending the bad entry too: left there, it would be read as the next key,
                // fail the same way and never be consumed (an endless loop).
                let _ = input.parse::<Option<Token![,]>>();
                continue;
            }
        };
        let name = key.unraw().to_string();
        match defs.find(&name) {
            Some(def) => {
                if let Some(m) = parse_value(input, def, key.span(), errors) {
                    out.push(m);
                }
            }
            None => {
                let names = defs.names();
                let mut err = MarkerError::new(key.span(), format!("unknown crd marker `{name}`"));
                err = match vocab::suggest(&name, names.iter().copied()) {
                    Some(s) => err.help(format!("did you mean `{s}`? valid markers here: {}", names.join(", "))),
                    None => err.help(format!("valid markers here: {}", names.join(", "))),
                };
                errors.push(err);
                skip_value(input);
            }
        }
        if input.is_empty() {
            break;
        }
        if input.parse::<Token![,]>().is_err() {
            errors.push(MarkerError::new(input.span(), "expected `,` between markers"));
            skip_entry(input);
            let _ = input.parse::<Option<Token![,]>>();
        }
    }
}

/// After an unknown key: consume `= value` or `(...)` so the next key can be checked too.
fn skip_value(input: ParseStream) {
    if input.peek(Token![=]) {
        let _ = input.parse::<Token![=]>();
        let _ = input.parse::<Expr>();
    } else if input.peek(syn::token::Paren) {
        let _ = input.parse::<proc_macro2::Group>();
    }
}

fn skip_entry(input: ParseStream) {
    while !input.is_empty() && !input.peek(Token![,]) {
        let _ = input.parse::<proc_macro2::TokenTree>();
    }
}

fn parse_value(input: ParseStream, def: &'static MarkerDef, span: Span, errors: &mut Vec<MarkerError>) -> Option<Marker> {
    let marker = |value| Some(Marker { def, value, span, from_go: false });
    let expected = || format!("expected `{}`", def.syntax());
    match def.value {
        ValueKind::Group(_) | ValueKind::Items => {
            if !input.peek(syn::token::Paren) {
                errors.push(MarkerError::new(span, format!("`{}` takes a list in parentheses", def.name)).help(expected()));
                skip_value(input);
                return None;
            }
            let group: proc_macro2::Group = input.parse().ok()?;
            let defs = match def.value {
                ValueKind::Group(inner) => Defs::Inner(inner),
                _ => Defs::Items,
            };
            let mut inner = Vec::new();
            let errors_before = errors.len();
            let parser = |i: ParseStream| {
                parse_list(i, &defs, &mut inner, errors);
                Ok(())
            };
            let _ = parser.parse2(group.stream());
            check_repeats(&inner, errors);
            // A key given with a bad value was reported already; it is not also "missing".
            let written: Vec<String> = group
                .stream()
                .into_iter()
                .filter_map(|t| match t {
                    proc_macro2::TokenTree::Ident(i) => Some(i.to_string()),
                    _ => None,
                })
                .collect();
            let had_errors = errors.len() > errors_before;
            if let ValueKind::Group(defs) = def.value {
                for req in defs.iter().filter(|d| d.required) {
                    if !(inner.iter().any(|m| m.def.name == req.name) || had_errors && written.iter().any(|w| w == req.name)) {
                        errors.push(MarkerError::new(group.span(), format!("`{}` needs `{}`", def.name, req.name)).help(expected()));
                    }
                }
            }
            marker(Value::Group(inner))
        }
        ValueKind::Docs => parse_docs(input, def, span, errors).map(|d| Marker { def, value: Value::Docs(d), span, from_go: false }),
        ValueKind::Flag if !input.peek(Token![=]) => marker(Value::Bool(true)),
        ValueKind::FlagOrStr if !input.peek(Token![=]) => marker(Value::Bool(true)),
        _ => {
            if input.parse::<Token![=]>().is_err() {
                errors.push(MarkerError::new(span, format!("`{}` needs a value", def.name)).help(expected()));
                skip_value(input);
                return None;
            }
            let expr: Expr = match input.parse() {
                Ok(e) => e,
                Err(e) => {
                    errors.push(MarkerError::new(e.span(), format!("cannot read the value of `{}`", def.name)).help(expected()));
                    skip_entry(input);
                    return None;
                }
            };
            match convert(&expr, def) {
                Ok(v) => marker(v),
                Err(msg) => {
                    errors.push(MarkerError::new(expr.span(), msg).help(expected()));
                    None
                }
            }
        }
    }
}

/// Turns a Rust literal expression into the value the marker's kind wants.
fn convert(expr: &Expr, def: &MarkerDef) -> Result<Value, String> {
    let name = def.name;
    match def.value {
        ValueKind::Flag | ValueKind::Bool => match expr_to_json(expr)? {
            serde_json::Value::Bool(b) => Ok(Value::Bool(b)),
            _ => Err(format!("`{name}` takes `true` or `false`")),
        },
        ValueKind::Str | ValueKind::FlagOrStr => match lit_str(expr) {
            Some(s) => Ok(Value::Str(s)),
            None => Err(format!("`{name}` takes a string literal")),
        },
        ValueKind::OneOf(options) => match lit_str(expr) {
            Some(s) if options.contains(&s.as_str()) => Ok(Value::Str(s)),
            Some(s) => Err(format!("`{s}` is not a valid `{name}`; it is one of {}", options.join(", "))),
            None => Err(format!("`{name}` takes a string literal")),
        },
        ValueKind::Count => match expr_to_json(expr)? {
            serde_json::Value::Number(n) if n.is_u64() => Ok(Value::Json(n.into())),
            _ => Err(format!("`{name}` takes a non-negative integer")),
        },
        ValueKind::Number => match expr_to_json(expr)? {
            serde_json::Value::Number(n) => Ok(Value::Json(n.into())),
            _ => Err(format!("`{name}` takes a number")),
        },
        ValueKind::Literal => Ok(Value::Json(expr_to_json(expr)?)),
        ValueKind::LiteralList => match expr_to_json(expr)? {
            v @ serde_json::Value::Array(_) => Ok(Value::Json(v)),
            _ => Err(format!("`{name}` takes a list, e.g. `{name} = [\"A\", \"B\"]`")),
        },
        ValueKind::Json => {
            let text = lit_str(expr).ok_or_else(|| format!("`{name}` takes a string holding JSON"))?;
            serde_json::from_str(&text).map(Value::Json).map_err(|e| format!("`{name}` is not valid JSON: {e}"))
        }
        ValueKind::Group(_) | ValueKind::Items | ValueKind::Docs => Err(format!("`{name}` takes a list in parentheses")),
    }
}

/// `root(/// line ..)`: the doc comment lines inside the parentheses (the compiler hands them
/// over as `#[doc = ".."]` attributes).
fn parse_docs(input: ParseStream, def: &'static MarkerDef, span: Span, errors: &mut Vec<MarkerError>) -> Option<super::Docs> {
    let help = format!("write the doc comment inside: `{}(\n    /// First line.\n)`", def.name);
    if !input.peek(syn::token::Paren) {
        errors.push(MarkerError::new(span, format!("`{}` takes doc comment lines in parentheses", def.name)).help(help));
        skip_value(input);
        return None;
    }
    let group: proc_macro2::Group = input.parse().ok()?;
    let attrs = match syn::Attribute::parse_outer.parse2(group.stream()) {
        Ok(a) => a,
        Err(e) => {
            errors.push(MarkerError::new(e.span(), format!("`{}(...)` holds doc comment lines only", def.name)).help(help));
            return None;
        }
    };
    if let Some(other) = attrs.iter().find(|a| !a.path().is_ident("doc")) {
        errors.push(MarkerError::new(other.span(), format!("`{}(...)` holds doc comment lines only", def.name)).help(help));
        return None;
    }
    Some(super::docs(&attrs))
}

fn lit_str(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Group(g) => lit_str(&g.expr),
        _ => None,
    }
}

/// Rust literal syntax to JSON: strings, numbers (with `-`), bools, `[..]`, `None`/`null` as null.
pub fn expr_to_json(expr: &Expr) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Ok(J::String(s.value())),
            Lit::Char(c) => Ok(J::String(c.value().to_string())),
            Lit::Bool(b) => Ok(J::Bool(b.value)),
            Lit::Int(i) => {
                let digits = i.base10_digits();
                digits.parse::<u64>().map(J::from).map_err(|_| format!("integer `{digits}` is too large"))
            }
            Lit::Float(f) => {
                let x: f64 = f.base10_parse().map_err(|e| e.to_string())?;
                serde_json::Number::from_f64(x).map(J::Number).ok_or_else(|| "not a finite number".to_string())
            }
            _ => Err("expected a string, number or bool literal".into()),
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match expr_to_json(&u.expr)? {
            J::Number(n) => {
                if let Some(i) = n.as_u64() {
                    let i = i64::try_from(i).map_err(|_| "integer is too large".to_string())?;
                    Ok(J::from(-i))
                } else {
                    Ok(serde_json::Number::from_f64(-n.as_f64().unwrap_or(0.0)).map(J::Number).unwrap_or(J::Null))
                }
            }
            _ => Err("`-` applies to numbers only".into()),
        },
        Expr::Array(a) => a.elems.iter().map(expr_to_json).collect::<Result<Vec<_>, _>>().map(J::Array),
        Expr::Group(g) => expr_to_json(&g.expr),
        Expr::Paren(p) => expr_to_json(&p.expr),
        Expr::Path(p) if p.path.is_ident("None") || p.path.is_ident("null") => Ok(J::Null),
        _ => Err("expected a literal (string, number, bool or `[..]`); use `default_json = \"..\"` for objects".into()),
    }
}

fn check_site(markers: &[Marker], site: AttrSite, errors: &mut Vec<MarkerError>) {
    errors.extend(markers.iter().filter_map(|m| site_error(m, site)));
}

/// Why `m` may not stand at `site` (also used for Go comment markers).
pub(crate) fn site_error(m: &Marker, site: AttrSite) -> Option<MarkerError> {
    if site.allows(m.def) {
        return None;
    }
    let help = match m.def.site {
        _ if site == AttrSite::Root => {
            format!("the root object takes resource markers and CEL rules; `{}` goes on the spec struct or its fields", m.def.name)
        }
        Site::Resource => "resource markers go on the spec struct that derives `CustomResource`".to_string(),
        Site::Field => format!("`{}` goes on a field", m.def.name),
        _ => format!("`{}` goes on a field, struct or enum", m.def.name),
    };
    Some(MarkerError::new(m.span, format!("`{}` cannot be used on {}", m.def.name, site.describe())).help(help))
}

fn check_repeats(markers: &[Marker], errors: &mut Vec<MarkerError>) {
    for (i, m) in markers.iter().enumerate() {
        if !m.def.repeatable && markers[..i].iter().any(|p| p.def.name == m.def.name) {
            errors.push(
                MarkerError::new(m.span, format!("`{}` is given more than once", m.def.name))
                    .help("keep one; only repeatable markers (e.g. `printcolumn`, `validation`) may appear several times"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream, site: AttrSite) -> (Vec<Marker>, Vec<MarkerError>) {
        let attrs: Vec<syn::Attribute> = syn::parse_quote!(#[crd(#tokens)]);
        let mut errors = Vec::new();
        let markers = parse_attrs(&attrs, site, &mut errors);
        (markers, errors)
    }

    #[test]
    fn bad_entries_before_a_comma_are_skipped() {
        // Found by fuzzing (markers target): an entry that is not `name ...` followed by `,`
        // (`minimum 0, ...`, a leading `,`, `,,`) looped forever, pushing errors until out of
        // memory, at the top level and inside groups.
        let (m, e) = parse(quote!(minimum 0, maximum = 1), AttrSite::Field);
        assert_eq!(m.iter().map(Marker::name).collect::<Vec<_>>(), ["maximum"]);
        assert_eq!(e.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(), ["`minimum` needs a value", "expected `,` between markers"]);
        let (m, e) = parse(quote!(, minimum = 0,, maximum = 1), AttrSite::Field);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(e.len(), 2, "{e:?}");
        let (_, e) = parse(quote!(validation(rule G "self > 0", message = "m")), AttrSite::Field);
        assert!(!e.is_empty());
        let (m, e) = parse(quote!(a b, 1, minimum = 0), AttrSite::Field);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(e.len(), 3, "{e:?}");
    }

    #[test]
    fn parses_every_value_kind() {
        let (m, e) = parse(
            quote!(
                min_length = 1,
                maximum = -2.5,
                pattern = "^a",
                nullable,
                enum_values = ["A", 1],
                default = [1, 2],
                default_json = "{\"a\": 1}",
                list_type = "map",
                validation(rule = "self > 0", message = "positive"),
                items(max_length = 3)
            ),
            AttrSite::Field,
        );
        assert!(e.is_empty(), "{e:?}");
        let names: Vec<_> = m.iter().map(Marker::name).collect();
        assert_eq!(
            names,
            ["min_length", "maximum", "pattern", "nullable", "enum_values", "default", "default_json", "list_type", "validation", "items"]
        );
        assert_eq!(m[1].as_json(), Some(&serde_json::json!(-2.5)));
        assert_eq!(m[6].as_json(), Some(&serde_json::json!({"a": 1})));
        assert_eq!(m[8].get_str("rule"), Some("self > 0"));
        assert_eq!(m[9].inner()[0].name(), "max_length");
    }

    #[test]
    fn unknown_key_lists_valid_ones_and_keeps_going() {
        let (m, e) = parse(quote!(min_lenght = 1, max_length = 2, bogus(x = 1)), AttrSite::Field);
        assert_eq!(m.len(), 1);
        assert_eq!(e.len(), 2);
        assert!(e[0].message.contains("unknown crd marker `min_lenght`"));
        assert!(e[0].help.as_deref().unwrap().contains("did you mean `min_length`?"));
    }

    #[test]
    fn wrong_value_and_wrong_site() {
        let (_, e) = parse(quote!(min_length = "x", group = "a.b", list_type = "bag"), AttrSite::Field);
        let msgs: Vec<_> = e.iter().map(|e| e.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("`min_length` takes a non-negative integer")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("`bag` is not a valid `list_type`")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("`group` cannot be used on a field")), "{msgs:?}");
    }

    #[test]
    fn group_requires_its_keys_and_rejects_repeats() {
        let (_, e) = parse(
            quote!(
                printcolumn(name = "Age"),
                scale(spec_replicas_path = ".spec.r", status_replicas_path = ".status.r"),
                kind = "A",
                kind = "B"
            ),
            AttrSite::ResourceStruct,
        );
        let msgs: Vec<_> = e.iter().map(|e| e.message.as_str()).collect();
        assert!(msgs.contains(&"`printcolumn` needs `type`"), "{msgs:?}");
        assert!(msgs.contains(&"`printcolumn` needs `json_path`"), "{msgs:?}");
        assert!(msgs.contains(&"`kind` is given more than once"), "{msgs:?}");
        assert_eq!(msgs.len(), 3);
    }
}
