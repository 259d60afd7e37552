//! CEL rules (`x-kubernetes-validations`): each rule and message expression must parse; field
//! references through `self` must exist in the schema; `oldSelf` only where the server can
//! correlate old and new values; and a warning where a rule iterates an unbounded list or map,
//! which the server's cost estimator is likely to reject.

use super::{Ctx, Path};
use crate::diag::Loc;
use crate::schema::Schema;
use cel::common::ast::{Expr, IdedExpr};

pub fn check_node(s: &Schema, path: &Path, origin: Option<Loc>, ctx: &mut Ctx) {
    for rule in &s.validations {
        let origin = rule.origin.or(origin);
        let program = match cel::Program::compile(&rule.rule) {
            Ok(p) => p,
            Err(e) => {
                ctx.error(
                    origin,
                    path,
                    format!("CEL rule `{}` does not parse: {}", rule.rule, first_error(&e)),
                    "fix the expression; see https://kubernetes.io/docs/reference/using-api/cel/",
                );
                continue;
            }
        };
        check_message(rule, path, origin, ctx);
        let mut walk = Walk { root: path.is_root(), problems: Vec::new(), warnings: Vec::new(), uses_old_self: false };
        let vars: &[(&str, Option<&Schema>)] = &[("self", Some(s))];
        walk.expr(program.expression(), vars);
        if let Some(k) = walk.kind_of(program.expression(), vars)
            && k != Kind::Bool
        {
            walk.problems.push((
                format!("evaluates to {}, but a rule must evaluate to a bool", k.name()),
                "write a condition, e.g. `self.x != ''`".into(),
            ));
        }
        if let Some(m) = &rule.message_expression {
            match cel::Program::compile(m) {
                Err(e) => ctx.error(
                    origin,
                    path,
                    format!("CEL message_expression `{m}` does not parse: {}", first_error(&e)),
                    "it must be a CEL expression that yields a string",
                ),
                Ok(p) => {
                    walk.expr(p.expression(), vars);
                    if let Some(k) = walk.kind_of(p.expression(), vars)
                        && k != Kind::String
                    {
                        walk.problems.push((
                            format!("message_expression `{m}` evaluates to {}, not a string", k.name()),
                            "build a string, e.g. `'x is ' + string(self.x)`".into(),
                        ));
                    }
                }
            }
        }
        if walk.uses_old_self && path.uncorrelatable {
            ctx.error(
                origin,
                path,
                format!("CEL rule `{}` uses `oldSelf` under a list that is not `list_type = \"map\"`", rule.rule),
                "transition rules need every enclosing list to be a map list (`list_type = \"map\"` with `list_map_key`), so old and new items can be paired",
            );
        }
        if rule.optional_old_self == Some(true) && !walk.uses_old_self {
            ctx.error(
                origin,
                path,
                format!("`optional_old_self` is set but rule `{}` does not use `oldSelf`", rule.rule),
                "remove `optional_old_self`",
            );
        }
        for p in walk.problems {
            ctx.error(origin, path, format!("CEL rule `{}`: {}", rule.rule, p.0), p.1);
        }
        for w in walk.warnings {
            ctx.warning(origin, path, format!("CEL rule `{}`: {}", rule.rule, w.0), w.1);
        }
        if let Some(fp) = &rule.field_path
            && !field_path_exists(s, fp)
        {
            ctx.error(
                origin,
                path,
                format!("field_path `{fp}` is not a field below this value"),
                "use a JSON path relative to the value the rule is on, e.g. `.spec.replicas` -> `.replicas`",
            );
        }
    }
}

/// The API server's rules for `message`: one non-blank line of at most 2048 characters, required
/// when the rule itself spans several lines.
fn check_message(rule: &crate::schema::ValidationRule, path: &Path, origin: Option<Loc>, ctx: &mut Ctx) {
    match &rule.message {
        Some(m) if m.contains('\n') => {
            ctx.error(origin, path, "a validation `message` must not contain line breaks", "write it on one line")
        }
        Some(m) if m.trim().is_empty() => {
            ctx.error(origin, path, "a validation `message` must not be blank", "remove `message` or say what is wrong")
        }
        Some(m) if m.chars().count() > 2048 => {
            ctx.error(origin, path, "a validation `message` may be at most 2048 characters", "shorten it")
        }
        None if rule.rule.contains('\n') => ctx.error(
            origin,
            path,
            "a rule that spans several lines needs a `message`",
            "add `message = \"..\"` to the `validation(...)` marker",
        ),
        _ => {}
    }
}

fn first_error(e: &cel::ParseErrors) -> String {
    e.errors.first().map(|e| e.msg.clone()).unwrap_or_else(|| e.to_string())
}

struct Walk {
    root: bool,
    problems: Vec<(String, String)>,
    warnings: Vec<(String, String)>,
    uses_old_self: bool,
}

/// Undoes the API server's escaping of property names in CEL (`foo__dash__bar` is `foo-bar`).
fn unescape(name: &str) -> String {
    if let Some(kw) = name.strip_prefix("__").and_then(|n| n.strip_suffix("__"))
        && !kw.contains("__")
    {
        return kw.to_string();
    }
    name.replace("__dash__", "-").replace("__dot__", ".").replace("__slash__", "/").replace("__underscores__", "__")
}

impl Walk {
    /// `vars` binds names to the schema of their value (None: not known, no checks).
    fn expr(&mut self, e: &IdedExpr, vars: &[(&str, Option<&Schema>)]) {
        match &e.expr {
            Expr::Ident(name) if name == "oldSelf" => self.uses_old_self = true,
            Expr::Select(sel) => {
                let operand = self.schema_of(&sel.operand, vars);
                self.expr(&sel.operand, vars);
                if let Some(Some(s)) = operand {
                    self.field(s, &sel.field, &sel.operand);
                }
            }
            Expr::Call(call) => {
                if let Some(t) = &call.target {
                    self.expr(t, vars);
                }
                for a in &call.args {
                    self.expr(a, vars);
                }
                self.call(call, vars);
            }
            Expr::Comprehension(c) => {
                self.expr(&c.iter_range, vars);
                let range = self.schema_of(&c.iter_range, vars).flatten();
                if let Some(r) = range {
                    let unbounded = (r.is_type("array") && r.max_items.is_none())
                        || (r.is_type("object") && r.additional_properties.is_some() && r.max_properties.is_none());
                    if unbounded {
                        let what = if r.is_type("array") { "max_items" } else { "max_properties" };
                        self.warnings.push((
                            format!("iterates over `{}`, which has no `{what}`; the API server estimates the cost from that bound and may reject the rule", describe(&c.iter_range)),
                            format!("add `#[crd({what} = N)]` to that field (the largest size you support)"),
                        ));
                    }
                }
                let item = range.and_then(|r| if r.is_type("array") { r.items.as_deref() } else { None });
                let mut inner: Vec<(&str, Option<&Schema>)> = vars.to_vec();
                inner.push((c.iter_var.as_str(), item));
                if let Some(v2) = &c.iter_var2 {
                    inner.push((v2.as_str(), None));
                }
                inner.push((c.accu_var.as_str(), None));
                self.expr(&c.accu_init, &inner);
                self.expr(&c.loop_cond, &inner);
                self.expr(&c.loop_step, &inner);
                self.expr(&c.result, &inner);
            }
            Expr::List(l) => l.elements.iter().for_each(|x| self.expr(x, vars)),
            Expr::Map(m) => {
                for entry in &m.entries {
                    if let cel::common::ast::EntryExpr::MapEntry(me) = &entry.expr {
                        self.expr(&me.key, vars);
                        self.expr(&me.value, vars);
                    }
                }
            }
            _ => {}
        }
    }

    /// The schema an expression evaluates to: `Some(Some(s))` known, `Some(None)` a bound
    /// variable of unknown shape, `None` not a plain reference.
    fn schema_of<'s>(&self, e: &IdedExpr, vars: &[(&str, Option<&'s Schema>)]) -> Option<Option<&'s Schema>> {
        match &e.expr {
            Expr::Ident(name) => vars.iter().rev().find(|(n, _)| n == name).map(|(_, s)| *s),
            Expr::Select(sel) if !sel.test => {
                let parent = self.schema_of(&sel.operand, vars)??;
                Some(parent.properties.as_ref().and_then(|p| p.get(&unescape(&sel.field))).or(parent.additional_properties.as_deref()))
            }
            _ => None,
        }
    }

    fn field(&mut self, s: &Schema, cel_name: &str, operand: &IdedExpr) {
        let name = unescape(cel_name);
        if s.preserve_unknown_fields || s.int_or_string || s.additional_properties.is_some() || s.type_.is_none() {
            return;
        }
        if self.root
            && matches!(&operand.expr, Expr::Ident(i) if i == "self")
            && matches!(name.as_str(), "apiVersion" | "kind" | "metadata")
        {
            return;
        }
        if s.is_type("object") && s.embedded_resource && matches!(name.as_str(), "apiVersion" | "kind" | "metadata") {
            return;
        }
        // The root's `metadata` schema names no fields, yet the server gives CEL its `name` and
        // `generateName` (a Go root type's rules use them).
        if self.root
            && matches!(name.as_str(), "name" | "generateName")
            && matches!(&operand.expr, Expr::Select(m) if m.field == "metadata" && matches!(&m.operand.expr, Expr::Ident(i) if i == "self"))
        {
            return;
        }
        let known: Vec<&String> = s.properties.iter().flat_map(|p| p.keys()).collect();
        if !s.is_type("object") {
            self.problems.push((
                format!("`{}` selects `{name}` on a value of type {}", describe(operand), s.type_.as_deref().unwrap_or("?")),
                "only objects have fields".into(),
            ));
        } else if !known.iter().any(|k| **k == name) {
            let list: Vec<&str> = known.iter().map(|k| k.as_str()).collect();
            self.problems.push((
                format!("`{}.{cel_name}` is not a field of this object", describe(operand)),
                if list.is_empty() {
                    "this object has no fields".into()
                } else {
                    format!("fields here (by JSON name): {}", list.join(", "))
                },
            ));
        }
    }
}

/// What a CEL expression evaluates to, as far as the schema tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Number,
    String,
    Bool,
    List,
    Map,
    Null,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Bool => "a bool",
            Kind::List => "a list",
            Kind::Map => "a map/object",
            Kind::Null => "null",
        }
    }
}

/// Functions and macros of the Kubernetes CEL environment (standard library, the Kubernetes
/// extension libraries: strings, lists, sets, regex, url, quantity, ip, cidr, format, semver,
/// base64, optional, math). A call to anything else is rejected by the API server.
const FUNCTIONS: &[&str] = &[
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "duration",
    "timestamp",
    "dyn",
    "type",
    "has",
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
    "getDate",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDayOfYear",
    "getFullYear",
    "getHours",
    "getMilliseconds",
    "getMinutes",
    "getMonth",
    "getSeconds",
    "charAt",
    "indexOf",
    "lastIndexOf",
    "lowerAscii",
    "upperAscii",
    "replace",
    "split",
    "substring",
    "trim",
    "join",
    "quote",
    "reverse",
    "format",
    "isSorted",
    "sum",
    "max",
    "min",
    "slice",
    "flatten",
    "distinct",
    "sort",
    "sortBy",
    "range",
    "first",
    "last",
    "equivalent",
    "intersects",
    "find",
    "findAll",
    "url",
    "isURL",
    "getScheme",
    "getHost",
    "getHostname",
    "getPort",
    "getEscapedPath",
    "getQuery",
    "quantity",
    "isQuantity",
    "sign",
    "isGreaterThan",
    "isLessThan",
    "compareTo",
    "add",
    "sub",
    "asInteger",
    "asApproximateFloat",
    "isInteger",
    "ip",
    "isIP",
    "family",
    "isUnspecified",
    "isLoopback",
    "isLinkLocalMulticast",
    "isLinkLocalUnicast",
    "isGlobalUnicast",
    "isCanonical",
    "cidr",
    "isCIDR",
    "containsIP",
    "containsCIDR",
    "prefixLength",
    "masked",
    "named",
    "validate",
    "dns1123Label",
    "dns1123Subdomain",
    "dns1035Label",
    "qualifiedName",
    "dns1123LabelPrefix",
    "dns1123SubdomainPrefix",
    "dns1035LabelPrefix",
    "labelValue",
    "uri",
    "uuid",
    "byte",
    "date",
    "datetime",
    "semver",
    "isSemver",
    "major",
    "minor",
    "patch",
    "encode",
    "decode",
    "of",
    "none",
    "hasValue",
    "value",
    "orValue",
    "or",
    "ofNonZeroValue",
    "optMap",
    "optFlatMap",
    "greatest",
    "least",
    "ceil",
    "floor",
    "round",
    "trunc",
    "abs",
    "isInf",
    "isNaN",
    "isFinite",
    "bitAnd",
    "bitOr",
    "bitXor",
    "bitNot",
    "bitShiftLeft",
    "bitShiftRight",
    "sqrt",
    "transformList",
    "transformMap",
    "transformMapEntry",
    "getNanos",
    "getMinutes",
    "getHours",
    "ext",
];

impl Walk {
    fn kind_of(&self, e: &IdedExpr, vars: &[(&str, Option<&Schema>)]) -> Option<Kind> {
        use cel::common::ast::LiteralValue as L;
        match &e.expr {
            Expr::Literal(l) => Some(match l {
                L::Boolean(_) => Kind::Bool,
                L::String(_) | L::Bytes(_) => Kind::String,
                L::Int(_) | L::UInt(_) | L::Double(_) => Kind::Number,
                L::Null => Kind::Null,
            }),
            Expr::List(_) => Some(Kind::List),
            Expr::Map(_) => Some(Kind::Map),
            Expr::Call(c) if c.func_name == "size" => Some(Kind::Number),
            Expr::Call(c)
                if matches!(c.func_name.as_str(), "_==_" | "_!=_" | "_<_" | "_<=_" | "_>_" | "_>=_" | "_&&_" | "_||_" | "!_" | "@in") =>
            {
                Some(Kind::Bool)
            }
            Expr::Ident(_) | Expr::Select(_) => {
                let s = self.schema_of(e, vars)??;
                if s.int_or_string || s.preserve_unknown_fields && s.type_.is_none() {
                    return None;
                }
                match s.type_.as_deref()? {
                    "integer" | "number" => Some(Kind::Number),
                    "string" => Some(Kind::String),
                    "boolean" => Some(Kind::Bool),
                    "array" => Some(Kind::List),
                    "object" => Some(Kind::Map),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Calls the API server's type checker would refuse: unknown functions, and operators
    /// applied to values of the wrong kinds.
    fn call(&mut self, call: &cel::common::ast::CallExpr, vars: &[(&str, Option<&Schema>)]) {
        let f = call.func_name.as_str();
        let is_operator = f.starts_with('_') || f.starts_with('@') || f.ends_with('_');
        if !is_operator && !FUNCTIONS.contains(&f) {
            self.problems.push((
                format!("function `{f}` does not exist in Kubernetes CEL"),
                "see https://kubernetes.io/docs/reference/using-api/cel/ for the functions available".into(),
            ));
            return;
        }
        let (lhs, rhs) = match call.args.as_slice() {
            [a, b] => (self.kind_of(a, vars), self.kind_of(b, vars)),
            _ => return,
        };
        let (Some(l), Some(r)) = (lhs, rhs) else { return };
        let op = f.trim_matches('_');
        let bad = match f {
            "_==_" | "_!=_" => l != r && l != Kind::Null && r != Kind::Null,
            "_<_" | "_<=_" | "_>_" | "_>=_" => l != r || !matches!(l, Kind::Number | Kind::String),
            "_-_" | "_*_" | "_/_" | "_%_" => l != Kind::Number || r != Kind::Number,
            "_+_" => l != r || !matches!(l, Kind::Number | Kind::String | Kind::List),
            "_&&_" | "_||_" => l != Kind::Bool || r != Kind::Bool,
            _ => false,
        };
        if bad {
            self.problems.push((
                format!("`{op}` cannot apply to {} and {} (the API server's type check rejects this rule)", l.name(), r.name()),
                "compare values of the same type, e.g. a number field with a number literal".into(),
            ));
        }
    }
}

fn describe(e: &IdedExpr) -> String {
    match &e.expr {
        Expr::Ident(n) => n.clone(),
        Expr::Select(s) => format!("{}.{}", describe(&s.operand), s.field),
        _ => "expression".into(),
    }
}

fn field_path_exists(s: &Schema, path: &str) -> bool {
    let mut cur = s;
    for part in path.trim_start_matches('.').split('.') {
        if part.is_empty() {
            continue;
        }
        let key = part.trim_start_matches("['").trim_end_matches("']");
        match cur.properties.as_ref().and_then(|p| p.get(key)) {
            Some(next) => cur = next,
            None => return cur.additional_properties.is_some() || cur.preserve_unknown_fields,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::pipeline::diagnostics_of;

    fn spec(fields: &str, type_markers: &str) -> String {
        format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\n{type_markers}\npub struct WidgetSpec {{\n{fields}\n}}\n\
             pub struct Item {{ pub name: String, pub tags: Vec<String> }}\n"
        )
    }

    #[test]
    fn rule_that_does_not_parse() {
        let d = diagnostics_of(&spec("pub replicas: i32,", "#[crd(validation(rule = \"self.replicas >\"))]"));
        assert!(d.contains("does not parse"), "{d}");
        assert!(d.contains("lib.rs:3:"), "{d}");
    }

    #[test]
    fn type_errors_and_unknown_functions() {
        let d = diagnostics_of(&spec("pub replicas: i32,", "#[crd(validation(rule = \"self.replicas > '3'\"))]"));
        assert!(d.contains("`>` cannot apply to a number and a string"), "{d}");
        let d = diagnostics_of(&spec("pub name: String,", "#[crd(validation(rule = \"self.name.lenght() > 3\"))]"));
        assert!(d.contains("function `lenght` does not exist"), "{d}");
        let ok = diagnostics_of(&spec(
            "pub name: String, pub replicas: i32,",
            "#[crd(validation(rule = \"self.name.startsWith('a') && size(self.name) < 10 && self.replicas + 1 > 2 && self.name.lowerAscii() == 'x'\"))]",
        ));
        assert!(!ok.contains("error"), "{ok}");
    }

    #[test]
    fn unknown_field_reference() {
        let d = diagnostics_of(&spec("pub replicas: i32,", "#[crd(validation(rule = \"self.replica > 0\"))]"));
        assert!(d.contains("`self.replica` is not a field of this object"), "{d}");
        assert!(d.contains("fields here (by JSON name): replicas"), "{d}");
    }

    #[test]
    fn good_rules_pass_and_comprehension_vars_are_checked() {
        let ok = spec("#[crd(max_items = 10)] pub items: Vec<Item>,", "#[crd(validation(rule = \"self.items.all(i, i.name != '')\"))]");
        assert!(!diagnostics_of(&ok).contains("error"), "{}", diagnostics_of(&ok));
        let bad = spec("#[crd(max_items = 10)] pub items: Vec<Item>,", "#[crd(validation(rule = \"self.items.all(i, i.nam != '')\"))]");
        assert!(diagnostics_of(&bad).contains("`i.nam` is not a field"), "{}", diagnostics_of(&bad));
    }

    #[test]
    fn unbounded_iteration_warns_with_the_bound_to_add() {
        let d = diagnostics_of(&spec("pub items: Vec<Item>,", "#[crd(validation(rule = \"self.items.all(i, i.name != '')\"))]"));
        assert!(d.contains("warning: CEL rule"), "{d}");
        assert!(d.contains("add `#[crd(max_items = N)]`"), "{d}");
        assert!(!d.contains("error:"), "{d}");
    }

    #[test]
    fn old_self_only_where_correlatable() {
        let d = diagnostics_of(&spec("pub items: Vec<Item>,", "").replace(
            "pub struct Item { pub name: String",
            "#[crd(validation(rule = \"self.name == oldSelf.name\"))]\npub struct Item { pub name: String",
        ));
        assert!(d.contains("uses `oldSelf` under a list"), "{d}");
        let ok = diagnostics_of(&spec("pub replicas: i32,", "#[crd(validation(rule = \"self.replicas >= oldSelf.replicas\"))]"));
        assert!(!ok.contains("error"), "{ok}");
    }
}
