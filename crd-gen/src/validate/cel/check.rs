//! The type check, as cel-go's checker (`checker/checker.go`) does it against the environment of
//! the target version (`env.rs`) and the declared types of `self`/`oldSelf` (`types.rs`): every
//! identifier declared, every field selected on a type that has it, every call resolved to an
//! overload of an enabled library (with type parameters unified), comprehension variables typed
//! from their range, and list and map literals homogeneous (`cel.HomogeneousAggregateLiterals`).
//! It records each node's type and each call's matching overloads for the cost estimator.

use super::ast::{Expr, Id, Kind, Literal};
use super::env::{self, Env, Feature, Overload};
use super::escape::unescape;
use super::types::Type;
use super::unify::{Vars, assignable, most_general, substitute};

/// A problem the server's compiler would report.
#[derive(Clone, Debug)]
pub struct Problem {
    pub message: String,
    pub offset: usize,
    pub help: String,
}

/// What the check learned about an expression.
pub struct Checked {
    /// Type of each node, by id.
    pub types: Vec<Type>,
    /// Overload ids each call matched, by id.
    pub overloads: Vec<Vec<&'static str>>,
    pub uses_old_self: bool,
    pub problems: Vec<Problem>,
}

impl Checked {
    pub fn type_of(&self, e: &Expr) -> &Type {
        &self.types[e.id]
    }
}

/// The variables a rule sees.
pub struct Vars0 {
    pub self_type: Type,
    pub old_self_type: Type,
}

/// What version the rule is checked for, for messages: `requested` may be newer than the
/// table (`env.server` is then the newest the table knows).
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub requested: u32,
}

pub fn check(e: &mut Expr, ids: usize, env: &'static Env, vars: &Vars0, target: Target) -> Checked {
    let mut c = Checker {
        env,
        target,
        scopes: vec![("self".into(), vars.self_type.clone()), ("oldSelf".into(), vars.old_self_type.clone())],
        types: vec![Type::Error; ids],
        overloads: vec![Vec::new(); ids],
        vars: Vars::new(),
        problems: Vec::new(),
        uses_old_self: false,
    };
    c.check(e);
    let types = c.types.iter().map(|t| substitute(&c.vars, t, true)).collect();
    Checked { types, overloads: c.overloads, uses_old_self: c.uses_old_self, problems: c.problems }
}

struct Checker {
    env: &'static Env,
    target: Target,
    scopes: Vec<(String, Type)>,
    types: Vec<Type>,
    overloads: Vec<Vec<&'static str>>,
    vars: Vars,
    problems: Vec<Problem>,
    uses_old_self: bool,
}

/// Identifiers that denote types.
const TYPE_NAMES: &[(&str, Type)] = &[
    ("bool", Type::Bool),
    ("int", Type::Int),
    ("uint", Type::Uint),
    ("double", Type::Double),
    ("string", Type::String),
    ("bytes", Type::Bytes),
    ("null_type", Type::Null),
    ("google.protobuf.Timestamp", Type::Timestamp),
    ("google.protobuf.Duration", Type::Duration),
];

impl Checker {
    fn problem(&mut self, offset: usize, message: impl Into<String>, help: impl Into<String>) {
        self.problems.push(Problem { message: message.into(), offset, help: help.into() });
    }
    fn fresh(&mut self) -> Type {
        self.vars.push(None);
        Type::Param(self.vars.len() - 1)
    }
    fn resolved(&self, t: &Type) -> Type {
        substitute(&self.vars, t, false)
    }
    fn set(&mut self, id: Id, t: Type) -> Type {
        self.types[id] = t.clone();
        t
    }
    fn is_var(&self, name: &str) -> bool {
        self.scopes.iter().any(|(n, _)| n == name)
    }

    fn check(&mut self, e: &mut Expr) -> Type {
        let t = match &mut e.kind {
            Kind::Literal(l) => literal_type(l),
            Kind::Ident(name) => self.ident(name.clone(), e.offset),
            Kind::Select { .. } => self.select(e),
            Kind::Call { .. } => self.call(e),
            Kind::List { .. } => self.list(e),
            Kind::Map { .. } => self.map(e),
            Kind::Struct { name, .. } => {
                let name = name.clone();
                self.problem(
                    e.offset,
                    format!("undeclared reference to message type `{name}`"),
                    "CRD rules declare no message types; build a map with `{'key': value}`",
                );
                Type::Error
            }
            Kind::Comprehension(_) => self.comprehension(e),
        };
        self.set(e.id, t)
    }

    fn ident(&mut self, name: String, offset: usize) -> Type {
        let name = name.strip_prefix('.').map(str::to_string).unwrap_or(name);
        if let Some((_, t)) = self.scopes.iter().rev().find(|(n, _)| *n == name) {
            if name == "oldSelf" && self.scopes.iter().rposition(|(n, _)| *n == name) == Some(1) {
                self.uses_old_self = true;
            }
            return t.clone();
        }
        if let Some(t) = type_ident(&name, self.env) {
            return t;
        }
        let vars: Vec<String> = self.scopes.iter().map(|(n, _)| format!("`{n}`")).collect();
        self.problem(offset, format!("undeclared reference to `{name}`"), format!("the variables here are {}", vars.join(", ")));
        Type::Error
    }

    fn select(&mut self, e: &mut Expr) -> Type {
        if let Some(q) = e.qualified_name()
            && !self.is_var(q.split('.').next().unwrap_or_default())
            && let Some(t) = type_ident(&q, self.env)
        {
            return t;
        }
        let offset = e.offset;
        let Kind::Select { operand, field, test } = &mut e.kind else { unreachable!() };
        let (field, test) = (field.clone(), *test);
        let operand_type = self.check(operand);
        let operand_type = self.resolved(&operand_type);
        let (inner, optional) = match operand_type {
            Type::Optional(t) => (*t, true),
            t => (t, false),
        };
        let field_type = self.field_type(&inner, &field, offset);
        let t = if test { Type::Bool } else { field_type };
        if optional && !test { Type::optional(t) } else { t }
    }

    /// The type of `t.field` (errors as cel-go's: undefined field, or no field selection).
    fn field_type(&mut self, t: &Type, field: &str, offset: usize) -> Type {
        match t {
            Type::Map(_, v) => (**v).clone(),
            Type::Dyn | Type::Error => Type::Dyn,
            Type::Param(_) => {
                assignable(&mut self.vars, &Type::Dyn, t);
                Type::Dyn
            }
            Type::Object(o) => match o.fields.get(field) {
                Some(d) => d.ty.clone(),
                None => {
                    let known: Vec<String> = o.fields.keys().map(|k| describe_field(k)).collect();
                    let help = if known.is_empty() {
                        "this object exposes no fields to CEL".to_string()
                    } else {
                        format!("its fields in CEL: {}", known.join(", "))
                    };
                    self.problem(offset, format!("undefined field `{field}` on {t}"), help);
                    Type::Error
                }
            },
            other => {
                self.problem(offset, format!("type `{other}` does not support field selection"), "only objects and maps have fields");
                Type::Error
            }
        }
    }

    fn call(&mut self, e: &mut Expr) -> Type {
        let offset = e.offset;
        self.qualify_call(e);
        let Kind::Call { target, function, args } = &mut e.kind else { unreachable!() };
        let function = function.clone();
        if function == "_?._" {
            return self.opt_select(e);
        }
        // An unknown function is the problem to report, not the names its arguments use (the
        // variables of a macro the target lacks, say).
        let known = self.env.functions.contains_key(&function);
        let before = self.problems.len();
        let mut arg_types = Vec::new();
        if let Some(t) = target {
            arg_types.push(self.check(t));
        }
        for a in args.iter_mut() {
            arg_types.push(self.check(a));
        }
        let member = target.is_some();
        let nargs = args.len();
        let Some(overloads) = self.env.functions.get(&function).filter(|_| known) else {
            let mut i = before;
            while i < self.problems.len() {
                if self.problems[i].message.starts_with("undeclared reference to `") {
                    self.problems.remove(i);
                } else {
                    i += 1;
                }
            }
            self.unknown_function(&function, nargs, member, offset);
            return Type::Error;
        };
        let arg_types: Vec<Type> = arg_types.iter().map(|t| self.resolved(t)).collect();
        match self.resolve(overloads, &arg_types, member) {
            Some((t, ids)) => {
                self.overloads[e.id] = ids;
                t
            }
            None => {
                self.no_overload(&function, overloads, &arg_types, member, offset);
                Type::Error
            }
        }
    }

    /// `a.b.f(x)` where `a.b.f` names a function (`sets.contains`, `optional.of`) is a global call.
    fn qualify_call(&mut self, e: &mut Expr) {
        let Kind::Call { target, function, .. } = &mut e.kind else { return };
        let Some(q) = target.as_ref().and_then(|t| t.qualified_name()) else { return };
        if self.is_var(q.split('.').next().unwrap_or_default()) {
            return;
        }
        let name = format!("{q}.{function}");
        let known =
            self.env.functions.contains_key(&name) || env::library_of(&name).is_some() || env::NEVER.iter().any(|(n, _)| *n == name);
        if known {
            *function = name;
            *target = None;
        }
    }

    fn opt_select(&mut self, e: &mut Expr) -> Type {
        let offset = e.offset;
        let Kind::Call { args, .. } = &mut e.kind else { unreachable!() };
        let operand = self.check(&mut args[0]);
        let field = match &args[1].kind {
            Kind::Literal(Literal::String(s)) => s.clone(),
            _ => String::new(),
        };
        self.set(args[1].id, Type::String);
        let operand = self.resolved(&operand);
        let inner = match operand {
            Type::Optional(t) => *t,
            t => t,
        };
        self.overloads[e.id] = vec!["select_optional_field"];
        let t = self.field_type(&inner, &field, offset);
        Type::optional(t)
    }

    /// cel-go's `resolveOverload`: every overload of the right call style whose parameters the
    /// arguments are assignable to; the result type of the first, or `dyn` when they differ.
    fn resolve(&mut self, overloads: &[Overload], args: &[Type], member: bool) -> Option<(Type, Vec<&'static str>)> {
        let mut result: Option<Type> = None;
        let mut ids = Vec::new();
        for ov in overloads.iter().filter(|o| o.member == member && o.params.len() == args.len()) {
            let fresh: Vec<usize> = (0..ov.type_params).map(|_| self.fresh()).map(|t| var_index(&t)).collect();
            let params: Vec<Type> = ov.params.iter().map(|p| p.instantiate(&fresh)).collect();
            let mut trial = self.vars.clone();
            if !args.iter().zip(&params).all(|(a, p)| assignable(&mut trial, a, p)) {
                continue;
            }
            self.vars = trial;
            ids.push(ov.id);
            let r = substitute(&self.vars, &ov.result.instantiate(&fresh), false);
            result = Some(match result {
                None => r,
                Some(prev) if prev.is_dyn_or_error() || prev == r => prev,
                Some(_) => Type::Dyn,
            });
        }
        result.map(|r| (r, ids))
    }

    fn unknown_function(&mut self, name: &str, nargs: usize, member: bool, offset: usize) {
        let server = self.env.server;
        let version = self.version_phrase();
        if let Some((feature, shape)) = macro_feature(name, nargs, member) {
            let lib = feature.map(env::library_with).filter(|l| !l.enabled_on(server));
            let (msg, help) = match lib {
                None => (format!("`{name}` takes {shape}"), format!("write it as `x.{name}{shape}`")),
                Some(lib) => (
                    format!(
                        "`{name}` is not available for CRD validation rules in {version}; it needs Kubernetes 1.{}",
                        lib.first_server()
                    ),
                    format!("it comes with {} (`{}`); target a newer Kubernetes or rewrite the rule", lib.title, lib.option),
                ),
            };
            return self.problem(offset, msg, help);
        }
        if let Some(lib) = env::library_of(name) {
            let first = lib.first_server();
            return self.problem(
                offset,
                format!("`{name}` is not available for CRD validation rules in {version}; it needs Kubernetes 1.{first}"),
                format!("it comes with {} (`{}`), which API servers accept in new rules from 1.{first}; raise the target (`--kube-version 1.{first}` or the k8s-openapi feature `v1_{first}`) or rewrite the rule", lib.title, lib.option),
            );
        }
        if let Some((_, why)) = env::NEVER.iter().find(|(n, _)| *n == name) {
            return self.problem(
                offset,
                format!("`{name}` is not available for CRD validation rules in any Kubernetes version"),
                format!("the API server does not enable {why} for CRD rules; see docs/cel.md for what it has"),
            );
        }
        let similar = self.similar_functions(name);
        let help = if similar.is_empty() {
            "see docs/cel.md (`cargo crd-gen cel-env`) for the functions of each Kubernetes version".to_string()
        } else {
            format!("did you mean {}?", similar.join(" or "))
        };
        self.problem(offset, format!("undeclared reference to `{name}`"), help);
    }

    fn version_phrase(&self) -> String {
        if self.target.requested > self.env.server {
            format!("Kubernetes 1.{} (the newest environment crd-gen knows; the target is 1.{})", self.env.server, self.target.requested)
        } else {
            format!("Kubernetes 1.{}", self.env.server)
        }
    }

    fn similar_functions(&self, name: &str) -> Vec<String> {
        let lower = name.to_lowercase();
        self.env
            .functions
            .keys()
            .filter(|k| !k.starts_with('_') && !k.starts_with('@') && !k.contains('@'))
            .filter(|k| {
                let kl = k.to_lowercase();
                kl == lower || edit_distance(&kl, &lower) <= 2 || (lower.len() > 3 && kl.contains(&lower))
            })
            .take(3)
            .map(|k| format!("`{k}`"))
            .collect()
    }

    fn no_overload(&mut self, name: &str, overloads: &[Overload], args: &[Type], member: bool, offset: usize) {
        let shown = display_args(args, member);
        let mut sigs: Vec<String> = overloads.iter().map(|o| signature(name, o)).collect();
        sigs.dedup();
        let more = sigs.len().saturating_sub(8);
        sigs.truncate(8);
        let mut help = format!("`{}` takes {}", display_name(name), sigs.join(", "));
        if more > 0 {
            help.push_str(&format!(" (and {more} more)"));
        }
        if name.starts_with('_')
            && args.iter().any(|t| matches!(t, Type::Int | Type::Uint | Type::Double))
            && args.len() == 2
            && args[0] != args[1]
        {
            if self.env.has(Feature::CrossTypeNumericComparisons) || !["_<_", "_<=_", "_>_", "_>=_"].contains(&name) {
                help.push_str("; convert one side, e.g. `double(x)` or `int(x)`");
            } else {
                help.push_str("; comparing int, uint and double needs Kubernetes 1.29, or convert one side (`double(x)`)");
            }
        }
        self.problem(offset, format!("found no matching overload for `{}` applied to `{shown}`", display_name(name)), help);
    }

    fn list(&mut self, e: &mut Expr) -> Type {
        let Kind::List { elements, optional } = &mut e.kind else { unreachable!() };
        let optional = optional.clone();
        let mut elem: Option<Type> = None;
        for (el, opt) in elements.iter_mut().zip(optional) {
            let offset = el.offset;
            let mut t = self.check(el);
            if opt {
                t = self.unwrap_optional(t, offset);
            }
            elem = Some(self.join(elem, t, offset));
        }
        let elem = match elem {
            Some(t) => t,
            None => self.fresh(),
        };
        Type::list(elem)
    }

    fn unwrap_optional(&mut self, t: Type, offset: usize) -> Type {
        let fresh = self.fresh();
        let wanted = Type::optional(fresh.clone());
        if assignable(&mut self.vars, &t, &wanted) {
            return self.resolved(&fresh);
        }
        self.problem(
            offset,
            format!("expected type `optional_type` but found `{}`", self.resolved(&t)),
            "a `?` element or entry takes an optional value, e.g. `self.?field`",
        );
        Type::Error
    }

    /// cel-go's `joinTypes` with homogeneous aggregate literals: every element the same type.
    fn join(&mut self, prev: Option<Type>, t: Type, offset: usize) -> Type {
        let Some(prev) = prev else { return t };
        let mut trial = self.vars.clone();
        if assignable(&mut trial, &prev, &t) {
            self.vars = trial;
            return most_general(&prev, &t);
        }
        let (p, t) = (self.resolved(&prev), self.resolved(&t));
        self.problem(
            offset,
            format!("expected type `{p}` but found `{t}`"),
            "list and map literals must hold values of one type; wrap an element in `dyn(..)` to mix types",
        );
        Type::Error
    }

    fn map(&mut self, e: &mut Expr) -> Type {
        let Kind::Map { entries } = &mut e.kind else { unreachable!() };
        let (mut key, mut val): (Option<Type>, Option<Type>) = (None, None);
        for entry in entries.iter_mut() {
            let (ko, vo) = (entry.key.offset, entry.value.offset);
            let k = self.check(&mut entry.key);
            key = Some(self.join(key, k, ko));
            let mut v = self.check(&mut entry.value);
            if entry.optional {
                v = self.unwrap_optional(v, vo);
            }
            val = Some(self.join(val, v, vo));
        }
        let k = key.unwrap_or_else(|| self.fresh());
        let v = val.unwrap_or_else(|| self.fresh());
        Type::map(k, v)
    }

    fn comprehension(&mut self, e: &mut Expr) -> Type {
        let offset = e.offset;
        let Kind::Comprehension(c) = &mut e.kind else { unreachable!() };
        let range = self.check(&mut c.iter_range);
        let range = self.resolved(&range);
        let (v1, v2) = match (&range, c.iter_var2.is_some()) {
            (Type::List(t), false) => ((**t).clone(), None),
            (Type::List(t), true) => (Type::Int, Some((**t).clone())),
            (Type::Map(k, _), false) => ((**k).clone(), None),
            (Type::Map(k, v), true) => ((**k).clone(), Some((**v).clone())),
            (Type::Dyn | Type::Error | Type::Param(_), two) => (Type::Dyn, two.then_some(Type::Dyn)),
            (other, two) => {
                self.problem(
                    offset,
                    format!("expression of type `{other}` cannot be range of a comprehension (must be list, map, or dynamic)"),
                    "iterate over a list or a map",
                );
                (Type::Dyn, two.then_some(Type::Dyn))
            }
        };
        let accu = self.check(&mut c.accu_init);
        self.scopes.push((c.accu_var.clone(), accu.clone()));
        self.scopes.push((c.iter_var.clone(), v1));
        if let (Some(name), Some(t)) = (&c.iter_var2, v2) {
            self.scopes.push((name.clone(), t));
        }
        let cond = self.check(&mut c.loop_cond);
        self.expect(&cond, &Type::Bool, c.loop_cond.offset);
        let step = self.check(&mut c.loop_step);
        self.expect(&step, &accu, c.loop_step.offset);
        self.scopes.truncate(self.scopes.len() - 1 - usize::from(c.iter_var2.is_some()));
        let result = self.check(&mut c.result);
        self.scopes.pop();
        result
    }

    fn expect(&mut self, t: &Type, wanted: &Type, offset: usize) {
        let mut trial = self.vars.clone();
        if assignable(&mut trial, t, wanted) {
            self.vars = trial;
            return;
        }
        let (t, w) = (self.resolved(t), self.resolved(wanted));
        self.problem(offset, format!("expected type `{w}` but found `{t}`"), "the expression inside the macro has the wrong type");
    }
}

fn var_index(t: &Type) -> usize {
    match t {
        Type::Param(i) => *i,
        _ => unreachable!("fresh() makes a variable"),
    }
}

fn literal_type(l: &Literal) -> Type {
    match l {
        Literal::Bool(_) => Type::Bool,
        Literal::Int(_) => Type::Int,
        Literal::Uint(_) => Type::Uint,
        Literal::Double(_) => Type::Double,
        Literal::String(_) => Type::String,
        Literal::Bytes(_) => Type::Bytes,
        Literal::Null => Type::Null,
    }
}

fn type_ident(name: &str, env: &Env) -> Option<Type> {
    let t = match name {
        "list" => Type::list(Type::Dyn),
        "map" => Type::map(Type::Dyn, Type::Dyn),
        "type" => Type::TypeOf(Box::new(Type::Dyn)),
        "optional_type" if env.has(Feature::OptionalSyntax) => Type::optional(Type::Dyn),
        _ => TYPE_NAMES.iter().find(|(n, _)| *n == name)?.1.clone(),
    };
    Some(Type::TypeOf(Box::new(t)))
}

/// A macro name used with the wrong arity, or whose family the target lacks: (feature, shape).
/// A macro name used with the wrong arity, or whose family the target lacks: (the feature it
/// needs, None for the standard macros; its shape).
fn macro_feature(name: &str, nargs: usize, member: bool) -> Option<(Option<Feature>, &'static str)> {
    Some(match (name, nargs, member) {
        ("all" | "exists", 3, true) => (Some(Feature::TwoVarComprehensions), "(k, v, predicate)"),
        ("existsOne", _, true) => (Some(Feature::TwoVarComprehensions), "(k, v, predicate)"),
        ("transformList" | "transformMap" | "transformMapEntry", _, true) => (Some(Feature::TwoVarComprehensions), "(k, v, transform)"),
        ("sortBy", _, true) => (Some(Feature::SortBy), "(x, key)"),
        ("optMap" | "optFlatMap", _, true) => (Some(Feature::OptionalMacros), "(x, transform)"),
        ("all" | "exists" | "exists_one" | "filter", _, true) => (None, "(x, predicate)"),
        ("map", _, true) => (None, "(x, transform)"),
        ("has", _, false) => (None, "(field selection)"),
        _ => return None,
    })
}

fn describe_field(cel_name: &str) -> String {
    let plain = unescape(cel_name);
    if plain == cel_name { format!("`{cel_name}`") } else { format!("`{cel_name}` (property `{plain}`)") }
}

fn display_name(name: &str) -> String {
    match name {
        "_[_]" => "[]".into(),
        "_[?_]" => "[?]".into(),
        "@in" => "in".into(),
        "_?_:_" => "?:".into(),
        n => n.trim_matches('_').to_string(),
    }
}

fn display_args(args: &[Type], member: bool) -> String {
    let list = |a: &[Type]| a.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
    match (member, args.split_first()) {
        (true, Some((t, rest))) => format!("{t}.({})", list(rest)),
        _ => format!("({})", list(args)),
    }
}

fn signature(name: &str, o: &Overload) -> String {
    let show = |t: &Type| t.to_string().replace("_var0", "A").replace("_var1", "B");
    let params: Vec<String> = o.params.iter().map(show).collect();
    let name = display_name(name);
    if o.member { format!("`{}.{name}({})`", params[0], params[1..].join(", ")) } else { format!("`{name}({})`", params.join(", ")) }
}

pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
