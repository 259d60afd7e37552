//! Go comment markers (`/// +kubebuilder:validation:Maximum=10`) translated into the same
//! [`Marker`]s `#[crd(...)]` gives, so Go types port by changing only the syntax. Which Go marker
//! means which crd marker is part of the vocabulary (`MarkerDef::go`); the argument names of the
//! compound Go markers are mapped here.

use super::parse::{AttrSite, Marker, MarkerError, Value};
use super::vocab::{self, MarkerDef, ValueKind};
use proc_macro2::Span;

/// Go argument name -> crd inner key, for the Go markers whose arguments are named.
pub(crate) const ARGS: &[(&str, &[(&str, &str)])] = &[
    (
        "kubebuilder:printcolumn",
        &[
            ("name", "name"),
            ("type", "type"),
            ("JSONPath", "json_path"),
            ("description", "description"),
            ("format", "format"),
            ("priority", "priority"),
        ],
    ),
    ("kubebuilder:externalDocs", &[("url", "url"), ("description", "description")]),
    ("kubebuilder:externalDoc", &[("url", "url"), ("description", "description")]),
    (
        "kubebuilder:subresource:scale",
        &[("specpath", "spec_replicas_path"), ("statuspath", "status_replicas_path"), ("selectorpath", "label_selector_path")],
    ),
    (
        "kubebuilder:validation:XValidation",
        &[
            ("rule", "rule"),
            ("message", "message"),
            ("messageExpression", "message_expression"),
            ("reason", "reason"),
            ("fieldPath", "field_path"),
            ("optionalOldSelf", "optional_old_self"),
        ],
    ),
];

/// `+kubebuilder:resource:` arguments, each its own crd marker.
const RESOURCE_ARGS: &[(&str, &str)] =
    &[("path", "plural"), ("scope", "scope"), ("shortName", "short_name"), ("categories", "category"), ("singular", "singular")];

pub fn translate(lines: &[(String, Span)], site: AttrSite, errors: &mut Vec<MarkerError>) -> Vec<Marker> {
    let mut out = Vec::new();
    for (line, span) in lines {
        if let Err(e) = translate_line(line.trim(), *span, &mut out) {
            errors.push(e);
        }
    }
    // Each `+kubebuilder:validation:items:X` line is one marker for the elements; together they
    // are one `items(...)` group, as the markers of one `#[crd(items(..))]`.
    let mut merged: Vec<Marker> = Vec::new();
    for m in out {
        match merged.iter_mut().find(|p| p.def.name == "items" && m.def.name == "items") {
            Some(Marker { value: Value::Group(first), .. }) => first.extend(m.inner().iter().cloned()),
            _ => merged.push(m),
        }
    }
    // Same site rules as `#[crd]`: a Go field marker on a struct is as wrong as the Rust one.
    let mut checked = Vec::new();
    for m in merged {
        match super::parse::site_error(&m, site) {
            Some(e) => errors.push(e),
            None => checked.push(m),
        }
    }
    checked
}

fn translate_line(line: &str, span: Span, out: &mut Vec<Marker>) -> Result<(), MarkerError> {
    let (name, arg) = split_name(line);
    if vocab::go_ignored(name).is_some() || !is_marker_name(name) {
        return Ok(());
    }
    if let Some(e) = refusal(name, span) {
        return Err(e);
    }
    // `+default=ref(Name)` names a Go constant, which crd-gen cannot evaluate; controller-gen
    // writes no default for it either.
    if name == "default" && arg.is_some_and(|a| a.trim_start().starts_with("ref(")) {
        return Ok(());
    }
    let err = |msg: String| MarkerError::new(span, msg);
    if name == "kubebuilder:resource" {
        for (key, value) in split_args(arg.unwrap_or("")) {
            let Some((_, crd)) = RESOURCE_ARGS.iter().find(|(g, _)| *g == key) else {
                return Err(err(format!("unknown argument `{key}` of `+kubebuilder:resource`")));
            };
            let def = vocab::lookup(crd).expect("resource arg maps to a marker");
            for v in value.split(';').filter(|v| !v.is_empty()) {
                out.push(marker(def, value_from_text(def, v).map_err(err)?, span));
            }
        }
        return Ok(());
    }
    if let Some(rest) = name.strip_prefix("kubebuilder:validation:items:") {
        let inner = translate_simple(&format!("kubebuilder:validation:{rest}"), arg, span)?;
        let items = vocab::lookup("items").expect("items marker");
        out.push(marker(items, Value::Group(vec![inner]), span));
        return Ok(());
    }
    if name.starts_with("kubebuilder:metadata:") {
        let def = vocab::MARKERS.iter().find(|d| d.go.contains(&name)).ok_or_else(|| unknown(name, span))?;
        // One or more `"key=value"` entries, separated by `;` as in every Go list marker.
        for entry in split_list(arg.unwrap_or("")) {
            let text = unquote(entry.trim());
            let (k, v) = text.split_once('=').ok_or_else(|| err(format!("`+{name}` takes \"key=value\" entries separated by `;`")))?;
            let inner = vec![
                marker(&vocab::KEY_VALUE[0], Value::Str(k.to_string()), span),
                marker(&vocab::KEY_VALUE[1], Value::Str(v.to_string()), span),
            ];
            out.push(marker(def, Value::Group(inner), span));
        }
        return Ok(());
    }
    if let Some((rule, message)) = one_of_rule(name, arg) {
        // controller-gen's field-group markers are CEL rules on the struct: the same rule and
        // message as `#[crd(validation(rule = .., message = ..))]`.
        let def = vocab::lookup("validation").expect("validation marker");
        let inner = vec![marker(&vocab::VALIDATION[0], Value::Str(rule), span), marker(&vocab::VALIDATION[1], Value::Str(message), span)];
        out.push(marker(def, Value::Group(inner), span));
        return Ok(());
    }
    out.push(translate_simple(name, arg, span)?);
    Ok(())
}

fn translate_simple(name: &str, arg: Option<&str>, span: Span) -> Result<Marker, MarkerError> {
    let def = vocab::MARKERS.iter().find(|d| d.go.contains(&name)).ok_or_else(|| unknown(name, span))?;
    let err = |msg: String| {
        MarkerError::new(span, format!("in `+{name}`: {msg}")).help(format!("`+{name}` is `{}`; see docs/markers.md", def.syntax()))
    };
    let value = match (def.value, arg) {
        (ValueKind::Group(inner), Some(arg)) => {
            let map = ARGS.iter().find(|(g, _)| *g == name).map(|(_, m)| *m).unwrap_or(&[]);
            let mut markers = Vec::new();
            for (key, text) in split_args(arg) {
                let crd = map.iter().find(|(g, _)| *g == key).map(|(_, c)| *c).ok_or_else(|| err(format!("unknown argument `{key}`")))?;
                let d = inner.iter().find(|d| d.name == crd).expect("mapped inner key exists");
                markers.push(marker(d, value_from_text(d, &text).map_err(err)?, span));
            }
            for req in inner.iter().filter(|d| d.required) {
                if !markers.iter().any(|m| m.def.name == req.name) {
                    return Err(err(format!("missing `{}`", req.name)));
                }
            }
            Value::Group(markers)
        }
        (ValueKind::Flag, None) => Value::Bool(true),
        // `+kubebuilder:unservedversion` means served = false.
        (ValueKind::Bool, None) if def.name == "served" => Value::Bool(false),
        (ValueKind::Bool, None) => Value::Bool(true),
        (ValueKind::FlagOrStr, None) => Value::Bool(true),
        (ValueKind::FlagOrStr, Some(a)) => {
            let warning = split_args(a).into_iter().find(|(k, _)| k == "warning").map(|(_, v)| v);
            warning.map(Value::Str).unwrap_or(Value::Bool(true))
        }
        (ValueKind::Str, Some(a)) if def.name == "selectable_field" => {
            let path = split_args(a).into_iter().find(|(k, _)| k == "JSONPath").map(|(_, v)| v);
            Value::Str(path.ok_or_else(|| err("takes `JSONPath=\"...\"`".into()))?)
        }
        (_, Some(a)) => value_from_text(def, a).map_err(err)?,
        (_, None) => return Err(err(format!("needs a value: `+{name}=...`"))),
    };
    Ok(marker(def, value, span))
}

/// `+kubebuilder:validation:AtMostOneOf=a;b` (and `ExactlyOneOf`, `AtLeastOneOf`): the CEL rule and
/// message controller-gen writes for them, or None for any other marker.
fn one_of_rule(name: &str, arg: Option<&str>) -> Option<(String, String)> {
    let kind = name.strip_prefix("kubebuilder:validation:")?;
    if !matches!(kind, "AtMostOneOf" | "ExactlyOneOf" | "AtLeastOneOf") {
        return None;
    }
    let fields: Vec<String> = split_list(arg.unwrap_or("")).iter().map(|f| unquote(f.trim())).filter(|f| !f.is_empty()).collect();
    let list = format!("[{}]", fields.join(" "));
    let count = fields.iter().map(|f| format!("(has(self.{f})?1:0)")).collect::<Vec<_>>().join("+");
    Some(match kind {
        "AtMostOneOf" => (format!("{count} <= 1"), format!("at most one of the fields in {list} may be set")),
        "ExactlyOneOf" => (format!("{count} == 1"), format!("exactly one of the fields in {list} must be set")),
        _ => (
            fields.iter().map(|f| format!("has(self.{f})")).collect::<Vec<_>>().join("||"),
            format!("at least one of the fields in {list} must be set"),
        ),
    })
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
    let all = vocab::MARKERS.iter().flat_map(|d| d.go.iter().copied());
    let e = MarkerError::new(span, format!("unknown Go marker `+{name}`"));
    match vocab::suggest(name, all) {
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
        || vocab::MARKERS.iter().any(|d| d.go.contains(&name))
        || vocab::GO_REFUSED.iter().any(|(n, _)| *n == name)
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
        let compound = ARGS.iter().any(|(g, _)| *g == &head[..colon])
            || matches!(&head[..colon], "kubebuilder:resource" | "kubebuilder:deprecatedversion" | "kubebuilder:selectablefield");
        if compound && !last.is_empty() {
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

pub fn unquote(s: &str) -> String {
    if s.len() >= 2 && s.starts_with('`') && s.ends_with('`') {
        return s[1..s.len() - 1].to_string();
    }
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        return serde_json::from_str::<String>(s).unwrap_or_else(|_| s[1..s.len() - 1].to_string());
    }
    s.to_string()
}

/// A Go marker argument read as JSON where it is JSON (numbers, bools, quoted strings, objects),
/// as a bare string otherwise; controller-gen's `Enum=A;B` lists split on `;`.
fn go_literal(text: &str) -> serde_json::Value {
    let t = text.trim();
    if t.starts_with('"') || t.starts_with('`') {
        return serde_json::Value::String(unquote(t));
    }
    if let Ok(v) = serde_json::from_str(t) {
        return v;
    }
    // controller-gen's own literal syntax: `{a,b}` is a list, `{k: v}` a map, nested freely.
    if let Some(inner) = t.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        let parts = split_top(inner, ',');
        if parts.iter().all(|p| split_top(p, ':').len() == 1) {
            return serde_json::Value::Array(parts.iter().filter(|p| !p.trim().is_empty()).map(|p| go_literal(p)).collect());
        }
        let map: Option<serde_json::Map<String, serde_json::Value>> = parts
            .iter()
            .map(|kv| match split_top(kv, ':').as_slice() {
                [k, v] => Some((unquote(k.trim()), go_literal(v))),
                _ => None,
            })
            .collect();
        if let Some(map) = map {
            return serde_json::Value::Object(map);
        }
    }
    serde_json::Value::String(t.to_string())
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

fn value_from_text(def: &MarkerDef, text: &str) -> Result<Value, String> {
    let t = text.trim();
    Ok(match def.value {
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
            serde_json::Value::Number(n) if n.is_u64() => Value::Json(n.into()),
            _ => return Err(format!("`{t}` is not a non-negative integer")),
        },
        ValueKind::Number => match go_literal(t) {
            serde_json::Value::Number(n) => Value::Json(n.into()),
            _ => return Err(format!("`{t}` is not a number")),
        },
        ValueKind::Literal | ValueKind::Json => Value::Json(go_literal(t)),
        ValueKind::LiteralList => Value::Json(serde_json::Value::Array(t.split(';').map(go_literal).collect())),
        ValueKind::Group(_) | ValueKind::Items | ValueKind::Docs => return Err("needs arguments".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(m[0].as_json(), Some(&serde_json::json!(0)));
        assert_eq!(m[1].as_json(), Some(&serde_json::json!(["Allow", "Forbid", "Replace"])));
        assert!(m[2].as_bool() && m[2].name() == "optional");
        assert_eq!(m[3].as_str(), Some("map"));
        assert_eq!(m[5].as_json(), Some(&serde_json::json!(5)));
        assert_eq!(m[6].inner()[0].name(), "max_length");
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
        assert_eq!(m[0].get_str("json_path"), Some(".metadata.creationTimestamp"));
        assert_eq!(m[5].get_str("rule"), Some("self.a, b"));
        assert!(!m[6].as_bool());
    }

    #[test]
    fn several_annotations_in_one_marker() {
        let (m, e) = go(
            &[r#"kubebuilder:metadata:annotations="api-approved.kubernetes.io=https://example.com/a;b";"cert-manager.io/inject=ns/name""#],
            AttrSite::ResourceStruct,
        );
        assert!(e.is_empty(), "{e:?}");
        let pairs: Vec<_> = m.iter().map(|m| (m.get_str("key").unwrap(), m.get_str("value").unwrap())).collect();
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
        let rules: Vec<_> = m.iter().map(|m| (m.name(), m.get_str("rule").unwrap(), m.get_str("message").unwrap())).collect();
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
        let inner: Vec<_> = m[1].inner().iter().map(Marker::name).collect();
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
        assert_eq!(m[0].name(), "required");
    }

    #[test]
    fn controller_gen_literals() {
        assert_eq!(go_literal("{a,b}"), serde_json::json!(["a", "b"]));
        assert_eq!(go_literal("{}"), serde_json::json!({}));
        assert_eq!(go_literal("{a: b, c: 1}"), serde_json::json!({"a": "b", "c": 1}));
        assert_eq!(
            go_literal(r#"{{nested: {foo: "baz", bar: true}},{nested: {foo: "qux", bar: false}}}"#),
            serde_json::json!([{"nested": {"foo": "baz", "bar": true}}, {"nested": {"foo": "qux", "bar": false}}])
        );
        let (m, e) = go(&["kubebuilder:subresource:status"], AttrSite::ResourceStruct);
        assert!(e.is_empty(), "{e:?}");
        assert!(m[0].as_bool() && m[0].name() == "status_subresource");
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
        let values: Vec<_> = m.iter().map(|m| (m.name(), m.as_json().cloned())).collect();
        assert_eq!(
            values,
            [
                ("minimum", Some(serde_json::json!(1))),
                ("enum_values", Some(serde_json::json!(["A", "B"]))),
                ("default", Some(serde_json::json!(3))),
                ("items", None)
            ]
        );
        assert_eq!(m[3].inner()[0].as_json(), Some(&serde_json::json!(4)));
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
