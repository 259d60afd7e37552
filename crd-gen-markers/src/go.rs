//! Go comment markers (`/// +kubebuilder:validation:Maximum=10`) translated into the same
//! [`Marker`]s `#[crd(...)]` gives, so Go types port by changing only the syntax. Which Go marker
//! means which crd marker, and how its text gives the value (named arguments, `;` lists, bare
//! flags that switch something off), is part of the vocabulary (`MarkerDef::go`,
//! `ArgDef::go`); this module reads Go marker text by it.

use crate::literal::{Literal, Number, parse_json};
use crate::parse::{Arg, AttrSite, Marker, MarkerError, Value};
use crate::vocab::{self, ArgDef, ArgKey, FieldGroup, GoForm, GoMarker, MarkerDef, MarkerKey, ValueKind};
use proc_macro2::Span;

pub fn translate(lines: &[(String, Span)], site: AttrSite, errors: &mut Vec<MarkerError>) -> Vec<Marker> {
    let mut out = Vec::new();
    for (line, span) in lines {
        if let Err(e) = translate_line(line.trim(), *span, &mut out) {
            errors.push(e);
        }
    }
    // Each `+kubebuilder:validation:items:X` line is one marker for the elements; together they
    // are one `items(...)`, as the markers of one `#[crd(items(..))]`.
    let mut merged: Vec<Marker> = Vec::new();
    for m in out {
        match merged.iter_mut().find(|p| p.key() == MarkerKey::Items && m.key() == MarkerKey::Items) {
            Some(Marker { value: Value::Items(first), .. }) => first.extend(m.items().iter().cloned()),
            _ => merged.push(m),
        }
    }
    // Same site rules as `#[crd]`: a Go field marker on a struct is as wrong as the Rust one.
    let mut checked = Vec::new();
    for m in merged {
        match crate::parse::site_error(&m, site) {
            Some(e) => errors.push(e),
            None => checked.push(m),
        }
    }
    checked
}

/// The spellings named `name` (the compound ones by the name before their arguments).
fn spellings(name: &str) -> impl Iterator<Item = (&'static MarkerDef, &'static GoMarker)> + '_ {
    vocab::go_spellings().filter(move |(_, g)| g.name == name)
}

fn translate_line(line: &str, span: Span, out: &mut Vec<Marker>) -> Result<(), MarkerError> {
    let (name, arg) = split_name(line);
    if vocab::go_ignored(name).is_some() || !is_marker_name(name) {
        return Ok(());
    }
    if let Some(e) = refusal(name, span) {
        return Err(e);
    }
    if let Some(inner) = elements_marker(name) {
        let def = MarkerKey::Items.def();
        out.push(marker(def, Value::Items(vec![translate_element(&inner, arg, span)?]), span));
        return Ok(());
    }
    if spellings(name).any(|(_, g)| matches!(g.form, GoForm::Arg(_))) {
        return translate_args(name, arg, span, out);
    }
    let (def, g) = spellings(name).next().ok_or_else(|| unknown(name, span))?;
    match g.form {
        GoForm::Entries => out.extend(entries(def, name, arg, span)?),
        GoForm::FieldGroup(group) => out.push(field_group(def, group, arg, span)),
        // `+default=ref(Name)` names a Go constant, which crd-gen cannot evaluate; controller-gen
        // writes no default for it either.
        GoForm::ValueOrRef if arg.is_some_and(|a| a.trim_start().starts_with("ref(")) => {}
        _ => out.push(translate_simple(def, g, name, arg, span)?),
    }
    Ok(())
}

/// `kubebuilder:validation:items:MaxLength` -> `kubebuilder:validation:MaxLength`.
fn elements_marker(name: &str) -> Option<String> {
    vocab::go_spellings().find_map(|(_, g)| match g.form {
        GoForm::Elements { prefix } => name.strip_prefix(g.name)?.strip_prefix(':').map(|rest| format!("{prefix}{rest}")),
        _ => None,
    })
}

/// One marker for the elements: a schema marker, as inside `items(...)`.
fn translate_element(name: &str, arg: Option<&str>, span: Span) -> Result<Marker, MarkerError> {
    let Some((def, g)) = spellings(name).find(|(_, g)| matches!(g.form, GoForm::Value | GoForm::Off | GoForm::ValueOrRef)) else {
        return Err(unknown(name, span));
    };
    if !vocab::item_markers().any(|d| d.key == def.key) {
        return Err(MarkerError::new(span, format!("`+{name}` cannot be used for the elements of a list"))
            .help(format!("`{}` is not a schema marker; write it for the field itself", def.name)));
    }
    translate_simple(def, g, name, arg, span)
}

/// A compound Go marker whose arguments are markers of their own:
/// `+kubebuilder:resource:path=foos,scope=Cluster,shortName=f;fo`.
fn translate_args(name: &str, arg: Option<&str>, span: Span, out: &mut Vec<Marker>) -> Result<(), MarkerError> {
    let members: Vec<(&MarkerDef, &str)> = spellings(name)
        .filter_map(|(d, g)| match g.form {
            GoForm::Arg(a) => Some((d, a)),
            _ => None,
        })
        .collect();
    let takes = || members.iter().map(|(_, a)| format!("`{a}=..`")).collect::<Vec<_>>().join(", ");
    let args = split_args(arg.unwrap_or(""));
    if args.is_empty() {
        // `+kubebuilder:deprecatedversion` alone: the flag without its optional argument.
        return match members.iter().find(|(d, _)| matches!(d.value, ValueKind::FlagOrStr)) {
            Some((def, _)) => {
                out.push(marker(def, Value::Bool(true), span));
                Ok(())
            }
            None => Err(MarkerError::new(span, format!("in `+{name}`: takes {}", takes())).help("see docs/markers.md")),
        };
    }
    for (key, value) in args {
        let Some((def, _)) = members.iter().find(|(_, a)| *a == key) else {
            return Err(
                MarkerError::new(span, format!("unknown argument `{key}` of `+{name}`")).help(format!("`+{name}` takes {}", takes()))
            );
        };
        let err = |msg: String| MarkerError::new(span, format!("in `+{name}`: {msg}")).help(format!("`{key}` is `{}`", def.syntax()));
        // A list argument (`shortName=f;fo`) is one marker per entry, as `#[crd]` repeats them.
        let values: Vec<&str> = if def.repeatable { value.split(';').filter(|v| !v.is_empty()).collect() } else { vec![value.as_str()] };
        for v in values {
            out.push(marker(def, value_from_text(def.value, v).map_err(err)?, span));
        }
    }
    Ok(())
}

/// `+kubebuilder:metadata:annotations="key=value";"k=v"`: one marker per entry.
fn entries(def: &'static MarkerDef, name: &str, arg: Option<&str>, span: Span) -> Result<Vec<Marker>, MarkerError> {
    let ValueKind::Group(args) = def.value else { return Err(unknown(name, span)) };
    let (Some(key), Some(value)) = (find_arg(args, ArgKey::Key), find_arg(args, ArgKey::Value)) else { return Err(unknown(name, span)) };
    let mut out = Vec::new();
    // One or more `"key=value"` entries, separated by `;` as in every Go list marker.
    for entry in split_list(arg.unwrap_or("")) {
        let text = unquote(entry.trim());
        let (k, v) = text
            .split_once('=')
            .ok_or_else(|| MarkerError::new(span, format!("`+{name}` takes \"key=value\" entries separated by `;`")))?;
        let inner =
            vec![Arg { def: key, value: Value::Str(k.to_string()), span }, Arg { def: value, value: Value::Str(v.to_string()), span }];
        out.push(marker(def, Value::Group(inner), span));
    }
    Ok(out)
}

fn find_arg(args: &'static [ArgDef], key: ArgKey) -> Option<&'static ArgDef> {
    args.iter().find(|a| a.key == key)
}

fn translate_simple(def: &'static MarkerDef, g: &GoMarker, name: &str, arg: Option<&str>, span: Span) -> Result<Marker, MarkerError> {
    let err = |msg: String| {
        MarkerError::new(span, format!("in `+{name}`: {msg}")).help(format!("`+{name}` is `{}`; see docs/markers.md", def.syntax()))
    };
    let value = match (def.value, arg) {
        (ValueKind::Group(inner), Some(arg)) => Value::Group(named_args(inner, arg, span).map_err(err)?),
        (ValueKind::Flag | ValueKind::Bool | ValueKind::FlagOrStr, None) => Value::Bool(g.form != GoForm::Off),
        (_, Some(a)) => match (g.form, value_from_text(def.value, a).map_err(err)?) {
            (GoForm::Off, Value::Bool(b)) => Value::Bool(!b),
            (_, v) => v,
        },
        (_, None) => return Err(err(format!("needs a value: `+{name}=...`"))),
    };
    Ok(marker(def, value, span))
}

/// `name="Age",type=date,JSONPath=".metadata.creationTimestamp"`: the keys of a group marker,
/// by their Go names.
fn named_args(inner: &'static [ArgDef], text: &str, span: Span) -> Result<Vec<Arg>, String> {
    let mut args = Vec::new();
    for (key, value) in split_args(text) {
        let d = inner.iter().find(|d| !d.go.is_empty() && d.go == key).ok_or_else(|| format!("unknown argument `{key}`"))?;
        args.push(Arg { def: d, value: value_from_text(d.value, &value)?, span });
    }
    for req in inner.iter().filter(|d| d.required) {
        if !args.iter().any(|a| a.def.key == req.key) {
            return Err(format!("missing `{}`", req.name));
        }
    }
    Ok(args)
}

/// `+kubebuilder:validation:AtMostOneOf=a;b` (and `ExactlyOneOf`, `AtLeastOneOf`): the CEL rule and
/// message controller-gen writes for them.
fn field_group(def: &'static MarkerDef, group: FieldGroup, arg: Option<&str>, span: Span) -> Marker {
    let fields: Vec<String> = split_list(arg.unwrap_or("")).iter().map(|f| unquote(f.trim())).filter(|f| !f.is_empty()).collect();
    let list = format!("[{}]", fields.join(" "));
    let count = fields.iter().map(|f| format!("(has(self.{f})?1:0)")).collect::<Vec<_>>().join("+");
    let (rule, message) = match group {
        FieldGroup::AtMostOne => (format!("{count} <= 1"), format!("at most one of the fields in {list} may be set")),
        FieldGroup::ExactlyOne => (format!("{count} == 1"), format!("exactly one of the fields in {list} must be set")),
        FieldGroup::AtLeastOne => (
            fields.iter().map(|f| format!("has(self.{f})")).collect::<Vec<_>>().join("||"),
            format!("at least one of the fields in {list} must be set"),
        ),
    };
    let ValueKind::Group(args) = def.value else { unreachable!("field groups are CEL rules, a group marker") };
    let arg = |key, text: String| find_arg(args, key).map(|d| Arg { def: d, value: Value::Str(text), span });
    marker(def, Value::Group(arg(ArgKey::Rule, rule).into_iter().chain(arg(ArgKey::Message, message)).collect()), span)
}

/// `"a=b";"c=d"` -> [`"a=b"`, `"c=d"`]: a Go marker list, split on `;` outside quotes.
fn split_list(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut quote, mut start, mut prev) = (None::<char>, 0, '\0');
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q && prev != '\\' => quote = None,
            (Some(_), _) => {}
            (None, '"' | '`') => quote = Some(c),
            (None, ';') => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        prev = c;
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The error for a Go marker crd-gen refuses (one of [`vocab::GO_REFUSED`]), naming what to write.
pub fn refusal(name: &str, span: Span) -> Option<MarkerError> {
    let (_, instead) = vocab::GO_REFUSED.iter().find(|(n, _)| *n == name)?;
    Some(MarkerError::new(span, format!("`+{name}` is a controller-gen marker crd-gen does not support")).help(*instead))
}

fn unknown(name: &str, span: Span) -> MarkerError {
    let known: Vec<String> =
        vocab::go_spellings().filter(|(_, g)| !matches!(g.form, GoForm::Elements { .. })).map(|(_, g)| g.spelling()).collect();
    let e = MarkerError::new(span, format!("unknown Go marker `+{name}`"));
    match vocab::suggest(name, known.iter().map(String::as_str)) {
        Some(s) => e.help(format!("did you mean `+{s}`? or write the `#[crd(...)]` marker; see docs/markers.md")),
        None => e.help("see docs/markers.md for the Go markers crd-gen understands, or use `#[crd(...)]`"),
    }
}

fn marker(def: &'static MarkerDef, value: Value, span: Span) -> Marker {
    Marker { def, value, span, from_go: true }
}

/// Only lines that look like controller-gen markers are markers; "+1 for this" in prose is not.
fn is_marker_name(name: &str) -> bool {
    name.starts_with("kubebuilder:")
        || vocab::go_spellings().any(|(_, g)| g.name == name)
        || vocab::GO_REFUSED.iter().any(|(n, _)| *n == name)
}

/// A Go marker whose arguments are named (`+kubebuilder:printcolumn:name=..,type=..`).
fn is_compound(name: &str) -> bool {
    spellings(name).any(|(d, g)| matches!(g.form, GoForm::Arg(_)) || matches!(d.value, ValueKind::Group(_)) && g.form == GoForm::Value)
}

/// `kubebuilder:validation:Minimum=0` -> (`kubebuilder:validation:Minimum`, `0`);
/// `kubebuilder:printcolumn:name="x",type=string` -> (`kubebuilder:printcolumn`, `name="x",...`).
/// controller-gen also reads `Minimum:=0` as `Minimum=0` (its name ends at the last `:` before
/// the `=`, and the argument name after it is empty).
pub fn split_name(line: &str) -> (&str, Option<&str>) {
    let eq = line.find('=').unwrap_or(line.len());
    if eq < line.len() && line[..eq].ends_with(':') {
        return (line[..eq - 1].trim_end(), Some(&line[eq + 1..]));
    }
    let head = &line[..eq];
    // A compound marker's arguments start after the last `:` before the first `=`, if that part
    // is a lowercase argument name (`name=`, `path=`); `Minimum=` is part of the marker name.
    if eq < line.len()
        && let Some(colon) = head.rfind(':')
    {
        let last = &head[colon + 1..];
        if is_compound(&head[..colon]) && !last.is_empty() {
            return (&head[..colon], Some(&line[colon + 1..]));
        }
    }
    if eq < line.len() { (head, Some(&line[eq + 1..])) } else { (line, None) }
}

/// `a="x,y",b=2` -> [(a, x,y), (b, 2)]: commas inside quotes or braces do not split.
fn split_args(args: &str) -> Vec<(String, String)> {
    split_top(args, ',')
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), unquote(v.trim())),
            None => (p.trim().to_string(), String::new()),
        })
        .collect()
}

/// A Go string argument without its quotes (`"..."` with Go's escapes, or a raw `` `...` ``).
pub fn unquote(s: &str) -> String {
    if s.len() >= 2 && s.starts_with('`') && s.ends_with('`') {
        return s[1..s.len() - 1].to_string();
    }
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        return match parse_json(s) {
            Ok(Literal::String(text)) => text,
            _ => s[1..s.len() - 1].to_string(),
        };
    }
    s.to_string()
}

/// A Go marker argument read as JSON where it is JSON (numbers, bools, quoted strings, objects),
/// as a bare string otherwise; controller-gen's `Enum=A;B` lists split on `;`.
fn go_literal(text: &str) -> Literal {
    let t = text.trim();
    if t.starts_with('"') || t.starts_with('`') {
        return Literal::String(unquote(t));
    }
    if let Ok(v) = parse_json(t) {
        return v;
    }
    // controller-gen's own literal syntax: `{a,b}` is a list, `{k: v}` a map, nested freely.
    if let Some(inner) = t.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        let parts = split_top(inner, ',');
        if parts.iter().all(|p| split_top(p, ':').len() == 1) {
            return Literal::Array(parts.iter().filter(|p| !p.trim().is_empty()).map(|p| go_literal(p)).collect());
        }
        let pairs: Option<Vec<(String, Literal)>> = parts
            .iter()
            .map(|kv| match split_top(kv, ':').as_slice() {
                [k, v] => Some((unquote(k.trim()), go_literal(v))),
                _ => None,
            })
            .collect();
        if let Some(pairs) = pairs {
            return Literal::object(pairs);
        }
    }
    Literal::String(t.to_string())
}

/// Splits on `sep` outside quotes, braces and brackets.
fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start, mut prev) = (0i32, None::<char>, 0, '\0');
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q && prev != '\\' => quote = None,
            (Some(_), _) => {}
            (None, '"' | '`') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
        prev = c;
    }
    parts.push(&s[start..]);
    parts
}

fn value_from_text(kind: ValueKind, text: &str) -> Result<Value, String> {
    let t = text.trim();
    Ok(match kind {
        ValueKind::Flag | ValueKind::Bool => match t {
            "" | "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(format!("`{t}` is not true or false")),
        },
        ValueKind::Str | ValueKind::FlagOrStr => Value::Str(unquote(t)),
        ValueKind::OneOf(options) => {
            let s = unquote(t);
            // Go spells list types and scopes with the same words; accept `Namespaced` case-insensitively.
            let found =
                options.iter().find(|o| o.eq_ignore_ascii_case(&s)).ok_or_else(|| format!("`{s}` is not one of {}", options.join(", ")))?;
            Value::Str(found.to_string())
        }
        ValueKind::Count => match go_literal(t) {
            Literal::Number(Number::UInt(n)) => Value::Count(n),
            _ => return Err(format!("`{t}` is not a non-negative integer")),
        },
        ValueKind::Number => match go_literal(t) {
            Literal::Number(n) => Value::Number(n),
            _ => return Err(format!("`{t}` is not a number")),
        },
        ValueKind::Literal | ValueKind::Json => Value::Literal(go_literal(t)),
        ValueKind::LiteralList => Value::Literal(Literal::Array(t.split(';').map(go_literal).collect())),
        ValueKind::Group(_) | ValueKind::Items | ValueKind::Docs => return Err("needs arguments".into()),
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Literal {
        Literal::String(t.into())
    }

    fn go(lines: &[&str], site: AttrSite) -> (Vec<Marker>, Vec<MarkerError>) {
        let lines: Vec<(String, Span)> = lines.iter().map(|l| (l.to_string(), Span::call_site())).collect();
        let mut errors = Vec::new();
        (translate(&lines, site, &mut errors), errors)
    }

    #[test]
    fn simple_markers() {
        let (m, e) = go(
            &[
                "kubebuilder:validation:Minimum=0",
                "kubebuilder:validation:Enum=Allow;Forbid;Replace",
                "optional",
                "listType=map",
                "listMapKey=name",
                "kubebuilder:default=5",
                "kubebuilder:validation:items:MaxLength=3",
            ],
            AttrSite::Field,
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(m[0].as_number(), Some(Number::UInt(0)));
        assert_eq!(m[1].as_literal(), Some(&Literal::Array(vec![s("Allow"), s("Forbid"), s("Replace")])));
        assert!(m[2].as_bool() && m[2].key() == MarkerKey::Optional);
        assert_eq!(m[3].as_str(), Some("map"));
        assert_eq!(m[5].as_literal(), Some(&Literal::Number(Number::UInt(5))));
        assert_eq!(m[6].items()[0].key(), MarkerKey::MaxLength);
    }

    #[test]
    fn compound_markers() {
        let (m, e) = go(
            &[
                r#"kubebuilder:printcolumn:name="Age",type="date",JSONPath=".metadata.creationTimestamp""#,
                "kubebuilder:resource:path=foos,scope=Cluster,shortName=f;fo",
                r#"kubebuilder:validation:XValidation:rule="self.a, b",message="no""#,
                "kubebuilder:unservedversion",
                "kubebuilder:object:root=true",
            ],
            AttrSite::ResourceStruct,
        );
        assert!(e.is_empty(), "{e:?}");
        let names: Vec<_> = m.iter().map(Marker::name).collect();
        assert_eq!(names, ["printcolumn", "plural", "scope", "short_name", "short_name", "validation", "served"]);
        assert_eq!(m[0].arg_str(ArgKey::JsonPath), Some(".metadata.creationTimestamp"));
        assert_eq!(m[5].arg_str(ArgKey::Rule), Some("self.a, b"));
        assert!(!m[6].as_bool());
    }

    #[test]
    fn several_annotations_in_one_marker() {
        let (m, e) = go(
            &[r#"kubebuilder:metadata:annotations="api-approved.kubernetes.io=https://example.com/a;b";"cert-manager.io/inject=ns/name""#],
            AttrSite::ResourceStruct,
        );
        assert!(e.is_empty(), "{e:?}");
        let pairs: Vec<_> = m.iter().map(|m| (m.arg_str(ArgKey::Key).unwrap(), m.arg_str(ArgKey::Value).unwrap())).collect();
        assert_eq!(pairs, [("api-approved.kubernetes.io", "https://example.com/a;b"), ("cert-manager.io/inject", "ns/name")]);
    }

    #[test]
    fn one_of_markers_are_cel_rules() {
        let (m, e) = go(
            &[
                "kubebuilder:validation:AtMostOneOf=foo;bar",
                "kubebuilder:validation:ExactlyOneOf=a;b",
                "kubebuilder:validation:AtLeastOneOf=e;f",
            ],
            AttrSite::Type,
        );
        assert!(e.is_empty(), "{e:?}");
        let rules: Vec<_> = m.iter().map(|m| (m.name(), m.arg_str(ArgKey::Rule).unwrap(), m.arg_str(ArgKey::Message).unwrap())).collect();
        assert_eq!(
            rules,
            [
                ("validation", "(has(self.foo)?1:0)+(has(self.bar)?1:0) <= 1", "at most one of the fields in [foo bar] may be set"),
                ("validation", "(has(self.a)?1:0)+(has(self.b)?1:0) == 1", "exactly one of the fields in [a b] must be set"),
                ("validation", "has(self.e)||has(self.f)", "at least one of the fields in [e f] must be set"),
            ]
        );
    }

    #[test]
    fn items_lines_make_one_items_group() {
        let (m, e) = go(
            &[
                "kubebuilder:validation:MinItems=1",
                "kubebuilder:validation:items:MinLength=1",
                "kubebuilder:validation:items:MaxLength=255",
                "kubebuilder:validation:items:Pattern=^[a-z]$",
            ],
            AttrSite::Field,
        );
        assert!(e.is_empty(), "{e:?}");
        let names: Vec<_> = m.iter().map(Marker::name).collect();
        assert_eq!(names, ["min_items", "items"]);
        let inner: Vec<_> = m[1].items().iter().map(Marker::name).collect();
        assert_eq!(inner, ["min_length", "max_length", "pattern"]);
    }

    #[test]
    fn k8s_aliases_and_default_ref() {
        let (m, e) =
            go(&["k8s:optional", "k8s:listType=map", "k8s:listMapKey=name", "default=ref(DefaultRefValue)", "k8s:enum"], AttrSite::Field);
        assert!(e.is_empty(), "{e:?}");
        let names: Vec<_> = m.iter().map(Marker::name).collect();
        assert_eq!(names, ["optional", "list_type", "list_map_key"]);
        let (m, _) = go(&["k8s:required"], AttrSite::Field);
        assert_eq!(m[0].key(), MarkerKey::Required);
    }

    #[test]
    fn controller_gen_literals() {
        let obj = |pairs: Vec<(&str, Literal)>| Literal::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
        assert_eq!(go_literal("{a,b}"), Literal::Array(vec![s("a"), s("b")]));
        assert_eq!(go_literal("{}"), Literal::Object(vec![]));
        assert_eq!(go_literal("{a: b, c: 1}"), obj(vec![("a", s("b")), ("c", Literal::Number(Number::UInt(1)))]));
        let nested = |foo: &str, bar: bool| obj(vec![("nested", obj(vec![("foo", s(foo)), ("bar", Literal::Bool(bar))]))]);
        assert_eq!(
            go_literal(r#"{{nested: {foo: "baz", bar: true}},{nested: {foo: "qux", bar: false}}}"#),
            Literal::Array(vec![nested("baz", true), nested("qux", false)])
        );
        let (m, e) = go(&["kubebuilder:subresource:status"], AttrSite::ResourceStruct);
        assert!(e.is_empty(), "{e:?}");
        assert!(m[0].as_bool() && m[0].key() == MarkerKey::StatusSubresource);
    }

    #[test]
    fn unknown_go_marker_is_an_error_with_suggestion() {
        let (_, e) = go(&["kubebuilder:validation:Minimun=0"], AttrSite::Field);
        assert_eq!(e.len(), 1);
        assert!(e[0].help.as_deref().unwrap().contains("kubebuilder:validation:Minimum"), "{e:?}");
    }

    #[test]
    fn colon_equals_is_equals() {
        let (m, e) = go(
            &[
                "kubebuilder:validation:Minimum:=1",
                "kubebuilder:validation:Enum:=A;B",
                "kubebuilder:default:=3",
                "kubebuilder:validation:items:MaxLength:=4",
            ],
            AttrSite::Field,
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            m.iter().map(Marker::key).collect::<Vec<_>>(),
            [MarkerKey::Minimum, MarkerKey::EnumValues, MarkerKey::Default, MarkerKey::Items]
        );
        assert_eq!(m[0].as_number(), Some(Number::UInt(1)));
        assert_eq!(m[1].as_literal(), Some(&Literal::Array(vec![s("A"), s("B")])));
        assert_eq!(m[2].as_literal(), Some(&Literal::Number(Number::UInt(3))));
        assert_eq!(m[3].items()[0].as_count(), Some(4));
    }

    #[test]
    fn other_generators_markers_are_ignored_at_every_site() {
        let lines = [
            "kubebuilder:object:root=true",
            "kubebuilder:object:generate=false",
            "kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list",
            "kubebuilder:webhook:path=/mutate,mutating=true,failurePolicy=fail",
            "kubebuilder:ac:generate=true",
            "genclient",
            "genclient:nonNamespaced",
            "k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object",
            "k8s:deepcopy-gen=package",
            "k8s:openapi-gen=true",
            "k8s:conversion-gen=false",
            "k8s:defaulter-gen=TypeMeta",
            "enum",
            "patchStrategy=merge",
            "patchMergeKey=name",
        ];
        for site in [AttrSite::ResourceStruct, AttrSite::Type, AttrSite::Field] {
            let (m, e) = go(&lines, site);
            assert!(e.is_empty() && m.is_empty(), "{site:?}: {m:?} {e:?}");
        }
    }

    #[test]
    fn markers_with_a_meaning_crd_gen_does_not_reproduce_are_refused() {
        let (_, e) = go(&["kubebuilder:feature-gate=Alpha", "kubebuilder:skip:description"], AttrSite::Field);
        let msgs: Vec<_> = e.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "`+kubebuilder:feature-gate` is a controller-gen marker crd-gen does not support",
                "`+kubebuilder:skip:description` is a controller-gen marker crd-gen does not support"
            ]
        );
        assert!(e[0].help.as_deref().unwrap().contains("#[cfg(feature"), "{e:?}");
    }

    #[test]
    fn alternative_spellings() {
        let (m, e) = go(
            &[
                "kubebuilder:validation:XPreserveUnknownFields",
                "kubebuilder:validation:XEmbeddedResource",
                r#"kubebuilder:externalDocs:url="https://example.com""#,
            ],
            AttrSite::Field,
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(m.iter().map(Marker::name).collect::<Vec<_>>(), ["preserve_unknown_fields", "embedded_resource", "external_docs"]);
        let (m, e) = go(&["groupName=example.com", "versionName=v2", "kubebuilder:skipversion"], AttrSite::ResourceStruct);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            m.iter().map(|m| (m.name(), m.as_str())).collect::<Vec<_>>(),
            [("group", Some("example.com")), ("version", Some("v2")), ("skip_version", None)]
        );
    }
}
