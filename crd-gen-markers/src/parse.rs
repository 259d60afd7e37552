//! Parsing `#[crd(...)]` attributes into [`Marker`]s, checked against the vocabulary.
//!
//! The same code runs in the derive (spans are compiler spans, errors become `compile_error!`) and
//! in the engine (spans come from parsing the file with syn, errors become diagnostics).

use crate::docs::Docs;
use crate::literal::{Literal, Number, parse_json};
use crate::vocab::{self, ArgDef, ArgKey, MarkerDef, MarkerKey, Site, ValueKind};
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, Lit, Token};

/// One marker as written: in `#[crd(...)]`, or as a Go comment marker.
#[derive(Clone, Debug)]
pub struct Marker {
    pub def: &'static MarkerDef,
    pub value: Value,
    /// The span of the key, where errors about this marker point.
    pub span: Span,
    /// True when it came from a `+kubebuilder:` doc comment rather than `#[crd]`.
    pub from_go: bool,
}

/// One key inside a group marker (`json_path = ".."` in `printcolumn(..)`).
#[derive(Clone, Debug)]
pub struct Arg {
    pub def: &'static ArgDef,
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Str(String),
    /// A non-negative integer (`min_length = 3`).
    Count(u64),
    Number(Number),
    /// `default = ..`, `example = ..`, `enum_values = [..]`, `default_json = ".."`.
    Literal(Literal),
    /// `key(...)`: the keys inside.
    Group(Vec<Arg>),
    /// `items(...)`: the markers for the elements.
    Items(Vec<Marker>),
    /// `key(/// ..)`: a doc comment.
    Docs(Docs),
}

impl PartialEq for Marker {
    fn eq(&self, other: &Self) -> bool {
        self.def.key == other.def.key && self.value == other.value
    }
}

impl PartialEq for Arg {
    fn eq(&self, other: &Self) -> bool {
        self.def.key == other.def.key && self.value == other.value
    }
}

impl Value {
    fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    fn as_count(&self) -> Option<u64> {
        match self {
            Value::Count(n) => Some(*n),
            _ => None,
        }
    }
}

impl Marker {
    pub fn key(&self) -> MarkerKey {
        self.def.key
    }
    pub fn name(&self) -> &'static str {
        self.def.name
    }
    pub fn as_str(&self) -> Option<&str> {
        self.value.as_str()
    }
    /// A flag that is given and true.
    pub fn as_bool(&self) -> bool {
        matches!(self.value, Value::Bool(true))
    }
    /// Given and not switched off (`key = false`).
    pub fn is_on(&self) -> bool {
        !matches!(self.value, Value::Bool(false))
    }
    pub fn as_count(&self) -> Option<u64> {
        self.value.as_count()
    }
    /// A number or a count.
    pub fn as_number(&self) -> Option<Number> {
        match &self.value {
            Value::Number(n) => Some(*n),
            Value::Count(n) => Some(Number::UInt(*n)),
            _ => None,
        }
    }
    pub fn as_literal(&self) -> Option<&Literal> {
        match &self.value {
            Value::Literal(l) => Some(l),
            _ => None,
        }
    }
    /// The doc comment of a `root(/// ..)` marker.
    pub fn docs(&self) -> Option<&Docs> {
        match &self.value {
            Value::Docs(d) => Some(d),
            _ => None,
        }
    }
    /// The keys of a group marker.
    pub fn args(&self) -> &[Arg] {
        match &self.value {
            Value::Group(g) => g,
            _ => &[],
        }
    }
    /// The markers inside `items(...)`.
    pub fn items(&self) -> &[Marker] {
        match &self.value {
            Value::Items(m) => m,
            _ => &[],
        }
    }
    /// Key `key` of a group marker.
    pub fn arg(&self, key: ArgKey) -> Option<&Arg> {
        self.args().iter().find(|a| a.def.key == key)
    }
    pub fn arg_str(&self, key: ArgKey) -> Option<&str> {
        self.arg(key).and_then(Arg::as_str)
    }
}

impl Arg {
    pub fn key(&self) -> ArgKey {
        self.def.key
    }
    pub fn as_str(&self) -> Option<&str> {
        self.value.as_str()
    }
    pub fn as_bool(&self) -> bool {
        matches!(self.value, Value::Bool(true))
    }
    pub fn as_count(&self) -> Option<u64> {
        self.value.as_count()
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
        match self {
            AttrSite::ResourceStruct => matches!(def.site, Site::Resource | Site::Schema),
            AttrSite::Type => def.site == Site::Schema,
            AttrSite::Field => matches!(def.site, Site::Schema | Site::Field),
            AttrSite::Variant => def.on_variants,
            AttrSite::Root => def.in_root,
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
    errors.extend(out.iter().filter_map(|m| site_error(m, site)));
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
        parse_list(input, &MarkerKeys::Top(site), &mut out, errors);
        Ok(())
    };
    if let Err(e) = parser.parse2(tokens) {
        errors.push(MarkerError::new(e.span(), e.to_string()));
    }
    out
}

/// A key's definition, for the parts of parsing markers and group keys share.
trait Def: 'static {
    fn name(&self) -> &'static str;
    fn value_kind(&self) -> ValueKind;
    fn repeatable(&self) -> bool;
}

impl Def for MarkerDef {
    fn name(&self) -> &'static str {
        self.name
    }
    fn value_kind(&self) -> ValueKind {
        self.value
    }
    fn repeatable(&self) -> bool {
        self.repeatable
    }
}

impl Def for ArgDef {
    fn name(&self) -> &'static str {
        self.name
    }
    fn value_kind(&self) -> ValueKind {
        self.value
    }
    fn repeatable(&self) -> bool {
        false
    }
}

/// Something parsed from `key ..`.
trait Parsed: Sized {
    type Def: Def;
    fn new(def: &'static Self::Def, value: Value, span: Span) -> Self;
    fn def(&self) -> &'static Self::Def;
    fn span(&self) -> Span;
}

impl Parsed for Marker {
    type Def = MarkerDef;
    fn new(def: &'static MarkerDef, value: Value, span: Span) -> Self {
        Marker { def, value, span, from_go: false }
    }
    fn def(&self) -> &'static MarkerDef {
        self.def
    }
    fn span(&self) -> Span {
        self.span
    }
}

impl Parsed for Arg {
    type Def = ArgDef;
    fn new(def: &'static ArgDef, value: Value, span: Span) -> Self {
        Arg { def, value, span }
    }
    fn def(&self) -> &'static ArgDef {
        self.def
    }
    fn span(&self) -> Span {
        self.span
    }
}

/// The keys valid at one level of `#[crd(...)]`.
trait Keys {
    type Out: Parsed;
    fn find(&self, name: &str) -> Option<&'static <Self::Out as Parsed>::Def>;
    fn names(&self) -> Vec<&'static str>;
}

/// Markers: at the top (those the site allows, when it is known), or inside `items(...)`.
enum MarkerKeys {
    Top(Option<AttrSite>),
    Items,
}

impl Keys for MarkerKeys {
    type Out = Marker;
    fn find(&self, name: &str) -> Option<&'static MarkerDef> {
        match self {
            MarkerKeys::Top(_) => vocab::lookup(name),
            MarkerKeys::Items => vocab::item_markers().find(|d| d.name == name),
        }
    }
    fn names(&self) -> Vec<&'static str> {
        match self {
            MarkerKeys::Top(site) => vocab::MARKERS.iter().filter(|d| site.is_none_or(|s| s.allows(d))).map(|d| d.name).collect(),
            MarkerKeys::Items => vocab::item_markers().map(|d| d.name).collect(),
        }
    }
}

/// The keys of one group marker.
struct ArgKeys(&'static [ArgDef]);

impl Keys for ArgKeys {
    type Out = Arg;
    fn find(&self, name: &str) -> Option<&'static ArgDef> {
        self.0.iter().find(|d| d.name == name)
    }
    fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|d| d.name).collect()
    }
}

fn parse_list<K: Keys>(input: ParseStream, keys: &K, out: &mut Vec<K::Out>, errors: &mut Vec<MarkerError>) {
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
        match keys.find(&name) {
            Some(def) => {
                if let Some(value) = parse_value(input, def.name(), def.value_kind(), key.span(), errors) {
                    out.push(K::Out::new(def, value, key.span()));
                }
            }
            None => {
                let names = keys.names();
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

fn parse_value(input: ParseStream, name: &str, kind: ValueKind, span: Span, errors: &mut Vec<MarkerError>) -> Option<Value> {
    let expected = || format!("expected `{}`", vocab::syntax(name, kind));
    match kind {
        ValueKind::Group(_) | ValueKind::Items => {
            if !input.peek(syn::token::Paren) {
                errors.push(MarkerError::new(span, format!("`{name}` takes a list in parentheses")).help(expected()));
                skip_value(input);
                return None;
            }
            let group: proc_macro2::Group = input.parse().ok()?;
            Some(match kind {
                ValueKind::Group(defs) => Value::Group(parse_group(&group, name, defs, errors)),
                _ => Value::Items(parse_inner(&group, &MarkerKeys::Items, errors)),
            })
        }
        ValueKind::Docs => parse_docs(input, name, span, errors).map(Value::Docs),
        ValueKind::Flag | ValueKind::FlagOrStr if !input.peek(Token![=]) => Some(Value::Bool(true)),
        _ => {
            if input.parse::<Token![=]>().is_err() {
                errors.push(MarkerError::new(span, format!("`{name}` needs a value")).help(expected()));
                skip_value(input);
                return None;
            }
            let expr: Expr = match literal_alone(input).map_or_else(|| input.parse(), Ok) {
                Ok(e) => e,
                Err(e) => {
                    errors.push(MarkerError::new(e.span(), format!("cannot read the value of `{name}`")).help(expected()));
                    skip_entry(input);
                    return None;
                }
            };
            match convert(&expr, name, kind) {
                Ok(v) => Some(v),
                Err(msg) => {
                    errors.push(MarkerError::new(expr.span(), msg).help(expected()));
                    None
                }
            }
        }
    }
}

/// A value that is one literal (`= 3`, `= "x"`: most of them), read without syn's expression
/// parser, which is most of the time spent on markers otherwise.
fn literal_alone(input: ParseStream) -> Option<Expr> {
    use syn::parse::discouraged::Speculative;
    // syn reads `-1` as one literal; the value conversion reads a negation.
    if input.peek(Token![-]) {
        return None;
    }
    let ahead = input.fork();
    let lit: syn::Lit = ahead.parse().ok()?;
    if !(ahead.is_empty() || ahead.peek(Token![,])) {
        return None;
    }
    input.advance_to(&ahead);
    Some(Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit }))
}

/// The keys inside a pair of parentheses.
fn parse_inner<K: Keys>(group: &proc_macro2::Group, keys: &K, errors: &mut Vec<MarkerError>) -> Vec<K::Out> {
    let mut inner = Vec::new();
    let parser = |i: ParseStream| {
        parse_list(i, keys, &mut inner, errors);
        Ok(())
    };
    let _ = parser.parse2(group.stream());
    check_repeats(&inner, errors);
    inner
}

/// `name(key = .., ..)`: its keys, and an error for each required one missing.
fn parse_group(group: &proc_macro2::Group, name: &str, defs: &'static [ArgDef], errors: &mut Vec<MarkerError>) -> Vec<Arg> {
    let errors_before = errors.len();
    let inner = parse_inner(group, &ArgKeys(defs), errors);
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
    for req in defs.iter().filter(|d| d.required) {
        if !(inner.iter().any(|a| a.def.key == req.key) || had_errors && written.iter().any(|w| w == req.name)) {
            errors.push(
                MarkerError::new(group.span(), format!("`{name}` needs `{}`", req.name))
                    .help(format!("expected `{}`", vocab::syntax(name, ValueKind::Group(defs)))),
            );
        }
    }
    inner
}

/// Turns a Rust literal expression into the value the marker's kind wants.
fn convert(expr: &Expr, name: &str, kind: ValueKind) -> Result<Value, String> {
    match kind {
        ValueKind::Flag | ValueKind::Bool => match expr_to_literal(expr)? {
            Literal::Bool(b) => Ok(Value::Bool(b)),
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
        ValueKind::Count => match expr_to_literal(expr)? {
            Literal::Number(Number::UInt(n)) => Ok(Value::Count(n)),
            _ => Err(format!("`{name}` takes a non-negative integer")),
        },
        ValueKind::Number => match expr_to_literal(expr)? {
            Literal::Number(n) => Ok(Value::Number(n)),
            _ => Err(format!("`{name}` takes a number")),
        },
        ValueKind::Literal => Ok(Value::Literal(expr_to_literal(expr)?)),
        ValueKind::LiteralList => match expr_to_literal(expr)? {
            v @ Literal::Array(_) => Ok(Value::Literal(v)),
            _ => Err(format!("`{name}` takes a list, e.g. `{name} = [\"A\", \"B\"]`")),
        },
        ValueKind::Json => {
            let text = lit_str(expr).ok_or_else(|| format!("`{name}` takes a string holding JSON"))?;
            parse_json(&text).map(Value::Literal).map_err(|e| format!("`{name}` is not valid JSON: {e}"))
        }
        ValueKind::Group(_) | ValueKind::Items | ValueKind::Docs => Err(format!("`{name}` takes a list in parentheses")),
    }
}

/// `root(/// line ..)`: the doc comment lines inside the parentheses (the compiler hands them
/// over as `#[doc = ".."]` attributes).
fn parse_docs(input: ParseStream, name: &str, span: Span, errors: &mut Vec<MarkerError>) -> Option<Docs> {
    let help = format!("write the doc comment inside: `{name}(\n    /// First line.\n)`");
    if !input.peek(syn::token::Paren) {
        errors.push(MarkerError::new(span, format!("`{name}` takes doc comment lines in parentheses")).help(help));
        skip_value(input);
        return None;
    }
    let group: proc_macro2::Group = input.parse().ok()?;
    let attrs = match syn::Attribute::parse_outer.parse2(group.stream()) {
        Ok(a) => a,
        Err(e) => {
            errors.push(MarkerError::new(e.span(), format!("`{name}(...)` holds doc comment lines only")).help(help));
            return None;
        }
    };
    if let Some(other) = attrs.iter().find(|a| !a.path().is_ident("doc")) {
        errors.push(MarkerError::new(other.span(), format!("`{name}(...)` holds doc comment lines only")).help(help));
        return None;
    }
    Some(crate::docs::docs(&attrs))
}

/// A string literal (or a raw one, or one in parentheses); `None` for any other expression.
pub(crate) fn lit_str(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Group(g) => lit_str(&g.expr),
        Expr::Paren(p) => lit_str(&p.expr),
        _ => None,
    }
}

/// Rust literal syntax to a [`Literal`]: strings, numbers (with `-`), bools, `[..]`, `None`/`null`
/// as null.
pub fn expr_to_literal(expr: &Expr) -> Result<Literal, String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Ok(Literal::String(s.value())),
            Lit::Char(c) => Ok(Literal::String(c.value().to_string())),
            Lit::Bool(b) => Ok(Literal::Bool(b.value)),
            Lit::Int(i) => {
                let digits = i.base10_digits();
                digits.parse::<u64>().map(|n| Literal::Number(Number::UInt(n))).map_err(|_| format!("integer `{digits}` is too large"))
            }
            Lit::Float(f) => {
                let x: f64 = f.base10_parse().map_err(|e| e.to_string())?;
                if x.is_finite() { Ok(Literal::Number(Number::Float(x))) } else { Err("not a finite number".to_string()) }
            }
            _ => Err("expected a string, number or bool literal".into()),
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match expr_to_literal(&u.expr)? {
            Literal::Number(Number::UInt(i)) => {
                let i = i64::try_from(i).map_err(|_| "integer is too large".to_string())?;
                Ok(Literal::Number(Number::from_i64(-i)))
            }
            Literal::Number(n) => Ok(Literal::Number(Number::Float(-n.as_f64()))),
            _ => Err("`-` applies to numbers only".into()),
        },
        Expr::Array(a) => a.elems.iter().map(expr_to_literal).collect::<Result<Vec<_>, _>>().map(Literal::Array),
        Expr::Group(g) => expr_to_literal(&g.expr),
        Expr::Paren(p) => expr_to_literal(&p.expr),
        Expr::Path(p) if p.path.is_ident("None") || p.path.is_ident("null") => Ok(Literal::Null),
        _ => Err("expected a literal (string, number, bool or `[..]`); use `default_json = \"..\"` for objects".into()),
    }
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
        Site::Schema => format!("`{}` goes on a field, struct or enum", m.def.name),
    };
    Some(MarkerError::new(m.span, format!("`{}` cannot be used on {}", m.def.name, site.describe())).help(help))
}

fn check_repeats<P: Parsed>(parsed: &[P], errors: &mut Vec<MarkerError>) {
    for (i, p) in parsed.iter().enumerate() {
        let def = p.def();
        if !def.repeatable() && parsed[..i].iter().any(|q| std::ptr::eq(q.def(), def)) {
            errors.push(
                MarkerError::new(p.span(), format!("`{}` is given more than once", def.name()))
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
        assert_eq!(m[1].as_number(), Some(Number::Float(-2.5)));
        assert_eq!(m[6].as_literal(), Some(&Literal::Object(vec![("a".into(), Literal::Number(Number::UInt(1)))])));
        assert_eq!(m[8].arg_str(ArgKey::Rule), Some("self > 0"));
        assert_eq!(m[9].items()[0].key(), MarkerKey::MaxLength);
    }

    // Most values are one literal and skip syn's expression parser; what follows a literal and
    // a negative number still go through it.
    #[test]
    fn literal_values_read_alone_or_in_expressions_alike() {
        let (m, e) = parse(quote!(minimum = -100, maximum = 7, pattern = "a,b", default = true), AttrSite::Field);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(m[0].as_number(), Some(Number::Int(-100)));
        assert_eq!(m[1].as_number(), Some(Number::UInt(7)));
        assert_eq!(m[2].as_str(), Some("a,b"));
        assert_eq!(m[3].as_literal(), Some(&Literal::Bool(true)));
        let (_, e) = parse(quote!(maximum = 7 + 1), AttrSite::Field);
        assert_eq!(e.len(), 1, "{e:?}");
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
