//! CEL rules (`x-kubernetes-validations`) as the API server of the target Kubernetes version
//! compiles them: each rule and `messageExpression` parsed (`parse.rs`, macros in `macros.rs`),
//! type-checked against the schema's declared types (`types.rs`, `check.rs`) in the environment
//! of that version (`env.rs`), literal arguments validated (`literals.rs`), and its cost
//! estimated (`cost.rs`) against the per-rule limit and, summed, the per-CRD-version limit
//! (apiextensions-apiserver `pkg/apis/apiextensions/validation`: `StaticEstimatedCostLimit`,
//! `StaticEstimatedCRDCostLimit`, `getExpressionCost`, and `cel_validation.go`'s cardinality).
//!
//! Near the per-rule limit (over [`WARN_PERCENT`] of it) a rule gets a warning: the CRD is valid,
//! but a small change to a bound or the rule can push it over.

mod ast;
pub mod check;
pub mod cost;
pub mod env;
pub mod escape;
mod lex;
mod literals;
mod macros;
mod parse;
pub mod reference;
pub mod types;
mod unify;
mod whole;

pub use whole::whole_value_use;

use super::{Ctx, Path};
use crate::diag::Loc;
use crate::markers::MarkerKey;
use crate::schema::{Schema, ValidationRule};
use check::{Target, Vars0};
use std::rc::Rc;
use types::{Bound, Decl, Type};

/// `StaticEstimatedCostLimit`: the largest estimated cost of one expression.
pub const RULE_COST_LIMIT: u64 = 10_000_000;
/// `StaticEstimatedCRDCostLimit`: the largest total of one version's schema.
pub const CRD_COST_LIMIT: u64 = 100_000_000;
/// A rule over this share of [`RULE_COST_LIMIT`] gets a warning.
pub const WARN_PERCENT: u64 = 80;

/// The Kubernetes version whose API server must accept the rules, and where it came from.
/// The target when the crate names none: one minor below the newest row of the table. The API
/// server itself compiles new rules for its previous minor so that a rollback still accepts
/// them; crd-gen takes the same step once more, so a CRD generated without a target is
/// accepted by the newest server it knows and by the one before.
pub const DEFAULT_MINOR: u32 = env::NEWEST - 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KubeTarget {
    /// The minor version: 34 for Kubernetes 1.34.
    pub minor: u32,
    pub from: TargetFrom,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetFrom {
    /// `--kube-version` / `Generator::kube_version` / `Options::kube_version`.
    Option,
    /// The `v1_NN` feature of the crate's k8s-openapi dependency.
    K8sOpenapi,
    /// Neither: [`DEFAULT_MINOR`].
    Default,
}

impl Default for KubeTarget {
    fn default() -> Self {
        KubeTarget { minor: DEFAULT_MINOR, from: TargetFrom::Default }
    }
}

/// Parses `1.34` (or `v1.34`, `1.34.2`) into the minor version.
pub fn parse_kube_version(s: &str) -> Result<u32, String> {
    let t = s.trim().trim_start_matches('v');
    let mut parts = t.split('.');
    match (parts.next(), parts.next().map(str::parse::<u32>)) {
        (Some("1"), Some(Ok(minor))) if parts.clone().all(|p| p.parse::<u32>().is_ok()) => Ok(minor),
        _ => Err(format!("`{s}` is not a Kubernetes version; write it as 1.NN, e.g. 1.{}", env::NEWEST)),
    }
}

/// What one rule costs towards its version's total, for the total's message.
struct RuleCost {
    path: String,
    rule: String,
    cost: u64,
}

/// CRD validation rules exist from Kubernetes 1.25 (`x-kubernetes-validations`, beta).
const FIRST_CEL_VERSION: u32 = 25;

/// Checks every rule of one version's schema, and the version's total cost.
pub fn check_version(root: &Schema, ctx: &mut Ctx) {
    if ctx.kube.minor < FIRST_CEL_VERSION {
        refuse_all(root, &mut Path::root(), None, ctx);
        return;
    }
    let mut w = Walker { costs: Vec::new() };
    let scope = Scope { cardinality: Some(1), unbounded_above: Vec::new(), uncorrelatable: None, resource_root: true };
    w.node(root, &mut Path::root(), None, &scope, ctx);
    let total = w.costs.iter().fold(0u64, |a, c| a.saturating_add(c.cost));
    if total > CRD_COST_LIMIT {
        w.costs.sort_by_key(|c| std::cmp::Reverse(c.cost));
        let top: Vec<String> = w.costs.iter().take(4).map(|c| format!("`{}` at `{}` ({})", c.rule, c.path, thousands(c.cost))).collect();
        ctx.error(
            None,
            &Path::root(),
            format!(
                "the CEL rules of this version have an estimated cost of {} in total, over the API server's limit of {} for a whole schema ({})",
                thousands(total),
                thousands(CRD_COST_LIMIT),
                over_by(total, CRD_COST_LIMIT)
            ),
            format!("the most expensive: {}; bound the lists, maps and strings they iterate (`max_items`, `max_properties`, `max_length`)", top.join(", ")),
        );
    }
}

/// Every rule is an error when the target has no CEL validation rules at all.
fn refuse_all(s: &Schema, path: &mut Path, origin: Option<Loc>, ctx: &mut Ctx) {
    let origin = s.origin.or(origin);
    for r in &s.validations {
        let minor = ctx.kube.minor;
        ctx.error(
            r.origin.or(origin),
            path,
            format!("CEL validation rules (`x-kubernetes-validations`) need Kubernetes 1.{FIRST_CEL_VERSION}; the target is 1.{minor}"),
            "raise the target (`--kube-version` or the k8s-openapi `v1_NN` feature) or remove the rule",
        );
    }
    for (k, v) in s.properties.iter().flatten() {
        path.push(format!(".{k}"));
        refuse_all(v, path, origin, ctx);
        path.pop();
    }
    for c in [s.additional_properties.as_deref(), s.items.as_deref()].into_iter().flatten() {
        path.push("[*]".into());
        refuse_all(c, path, origin, ctx);
        path.pop();
    }
}

struct Scope {
    /// How many times a rule here may run: the product of the enclosing lists' and maps'
    /// bounds, or None when one of them is unbounded.
    cardinality: Option<u64>,
    unbounded_above: Vec<(String, MarkerKey)>,
    /// The enclosing list or atomic map that keeps `oldSelf` from being paired.
    uncorrelatable: Option<String>,
    resource_root: bool,
}

struct Walker {
    costs: Vec<RuleCost>,
}

impl Walker {
    fn node(&mut self, s: &Schema, path: &mut Path, origin: Option<Loc>, scope: &Scope, ctx: &mut Ctx) {
        let origin = s.origin.or(origin);
        if !s.validations.is_empty() {
            self.rules(s, path, origin, scope, ctx);
        }
        let factor = element_factor(s);
        let atomic = s.map_type.as_deref() == Some("atomic");
        let unpaired_items = s.items.is_some() && s.list_type.as_deref() != Some("map");
        // This node's path, written out only where a child's scope names it (most nodes are
        // neither unbounded nor uncorrelatable).
        let here = if factor.is_none() || atomic || unpaired_items { path.to_string() } else { String::new() };
        let child_scope = |uncorrelatable: Option<String>, child: &Schema| {
            let mut unbounded_above = scope.unbounded_above.clone();
            if factor.is_none() {
                let marker = if s.is_type("array") { MarkerKey::MaxItems } else { MarkerKey::MaxProperties };
                unbounded_above.push((here.clone(), marker));
            }
            Scope {
                cardinality: scope.cardinality.zip(factor).map(|(a, b)| a.saturating_mul(b)),
                unbounded_above,
                uncorrelatable: scope.uncorrelatable.clone().or(uncorrelatable),
                resource_root: child.embedded_resource,
            }
        };
        let atomic_map = atomic.then(|| here.clone());
        for (k, v) in s.properties.iter().flatten() {
            let sc = child_scope(atomic_map.clone(), v);
            path.push(format!(".{k}"));
            self.node(v, path, origin, &sc, ctx);
            path.pop();
        }
        for (child, list) in [(s.additional_properties.as_deref(), false), (s.items.as_deref(), true)] {
            let Some(child) = child else { continue };
            let pairs = !list || s.list_type.as_deref() == Some("map");
            let sc = child_scope((!pairs).then(|| here.clone()), child);
            path.push("[*]".into());
            self.node(child, path, origin, &sc, ctx);
            path.pop();
        }
    }

    fn rules(&mut self, s: &Schema, path: &Path, origin: Option<Loc>, scope: &Scope, ctx: &mut Ctx) {
        let json_path = if path.is_root() { String::new() } else { path.to_string() };
        let Some(decl) = types::decl(s, scope.resource_root, &json_path) else {
            let at = s.validations.first().and_then(|r| r.origin).or(origin);
            ctx.error(
                at,
                path,
                "CEL rules cannot stand on a value without a type: the API server has no CEL type for `x-kubernetes-preserve-unknown-fields` alone",
                "put the rule on the enclosing object, or give the value a type (`#[crd(schema_type = \"object\")]`)",
            );
            return;
        };
        for rule in &s.validations {
            let origin = rule.origin.or(origin);
            let mut rc = RuleCheck { rule, path, origin, scope, decl: &decl, ctx };
            if let Some(cost) = rc.run(s) {
                self.costs.push(RuleCost { path: path.to_string(), rule: rule.rule.clone(), cost });
            }
        }
    }
}

/// How many elements a node multiplies its children's runs by (`extractMaxElements`).
fn element_factor(s: &Schema) -> Option<u64> {
    match s.type_.as_deref() {
        Some("object") if s.additional_properties.is_some() => s.max_properties,
        Some("array") => s.max_items,
        _ => Some(1),
    }
}

struct RuleCheck<'a, 'c, 'd> {
    rule: &'a ValidationRule,
    path: &'a Path,
    origin: Option<Loc>,
    scope: &'a Scope,
    decl: &'a Rc<Decl>,
    ctx: &'c mut Ctx<'d>,
}

/// A compiled expression: its tree, check and estimate.
struct Compiled {
    expr: ast::Expr,
    checked: check::Checked,
    estimate: cost::Estimate,
}

impl RuleCheck<'_, '_, '_> {
    fn error(&mut self, message: impl std::fmt::Display, help: impl Into<String>) {
        self.ctx.error(self.origin, self.path, message, help);
    }

    /// Checks the rule; returns its cost towards the total when it compiled.
    fn run(&mut self, s: &Schema) -> Option<u64> {
        check_message(self.rule, self.path, self.origin, self.ctx);
        self.check_field_path(s);
        let text = self.rule.rule.clone();
        if text.trim().is_empty() {
            self.error("a validation rule is empty", "write the CEL expression in `rule`");
            return None;
        }
        let compiled = self.compile(&text, "rule")?;
        let out = compiled.checked.type_of(&compiled.expr).clone();
        if out != Type::Bool {
            self.error(
                format!(
                    "CEL rule `{text}` evaluates to {out}, but the API server requires a bool (\"cel expression must evaluate to a bool\")"
                ),
                "write a condition, e.g. `self.x != ''`",
            );
            return None;
        }
        self.check_old_self(&text, compiled.checked.uses_old_self);
        let mut total = self.budget(&text, "rule", &compiled, true);
        if let Some(m) = self.rule.message_expression.clone() {
            total = total.saturating_add(self.message_expression(&m).unwrap_or(0));
        }
        Some(total)
    }

    fn compile(&mut self, text: &str, what: &str) -> Option<Compiled> {
        let target = self.ctx.kube;
        let env = env::env(target.minor);
        let syntax = parse::Syntax { optional: env.has(env::Feature::OptionalSyntax), macros: env.macros() };
        let (mut expr, ids) = match parse::parse(text, syntax) {
            Ok(p) => p,
            Err(e) => {
                let help = syntax_help(&e.message);
                self.error(format!("CEL {what} `{text}` does not parse: {} (at column {})", e.message, column(text, e.offset)), help);
                return None;
            }
        };
        let self_type = self.decl.ty.clone();
        let old_self_type = if self.rule.optional_old_self == Some(true) { Type::optional(self_type.clone()) } else { self_type.clone() };
        let vars = Vars0 { self_type, old_self_type };
        let checked = check::check(&mut expr, ids, env, &vars, Target { requested: target.minor });
        let mut problems = checked.problems.clone();
        if problems.is_empty() && env.has(env::Feature::LiteralValidation) {
            problems = literals::validate(&expr);
        }
        if let Some(p) = problems.first() {
            let more = match problems.len() - 1 {
                0 => String::new(),
                n => format!(" (and {n} more problem{})", if n == 1 { "" } else { "s" }),
            };
            self.error(format!("CEL {what} `{text}`: {} (at column {}){more}", p.message, column(text, p.offset)), p.help.clone());
            return None;
        }
        let estimate = cost::estimate(&expr, &checked, self.decl);
        Some(Compiled { expr, checked, estimate })
    }

    fn message_expression(&mut self, m: &str) -> Option<u64> {
        if m.trim().is_empty() {
            self.error("`message_expression` is empty", "remove it or write a CEL expression that yields a string");
            return None;
        }
        let compiled = self.compile(m, "message_expression")?;
        let out = compiled.checked.type_of(&compiled.expr).clone();
        if out != Type::String {
            self.error(
                format!("CEL message_expression `{m}` evaluates to {out}, but the API server requires a string (\"messageExpression must evaluate to a string\")"),
                "build a string, e.g. `'x is ' + string(self.x)`",
            );
            return None;
        }
        Some(self.budget(m, "message_expression", &compiled, false))
    }

    fn check_old_self(&mut self, text: &str, uses: bool) {
        if uses && let Some(list) = self.scope.uncorrelatable.clone() {
            self.error(
                format!("CEL rule `{text}` uses `oldSelf`, which cannot be used on the uncorrelatable portion of the schema within `{list}`"),
                "transition rules need every enclosing list to be `list_type = \"map\"` (with `list_map_key`) and no enclosing map to be atomic, so old and new values can be paired",
            );
        }
        if !uses && self.rule.optional_old_self.is_some() {
            self.error(
                format!("`optional_old_self` is set but rule `{text}` does not use `oldSelf`"),
                "remove `optional_old_self` (the API server: \"may not be set if oldSelf is not used in rule\")",
            );
        }
    }

    /// Checks the estimate against the limit; returns the cost counted towards the total.
    /// A rule's cost is multiplied by how many times it may run; a message expression's is not
    /// (as the server counts them).
    fn budget(&mut self, text: &str, what: &str, c: &Compiled, per_run: bool) -> u64 {
        let runs = if per_run { self.cardinality() } else { 1 };
        let cost = c.estimate.cost.max.saturating_mul(runs.max(1));
        if cost > RULE_COST_LIMIT {
            let (why, help) = self.over_budget_reasons(c, runs, per_run);
            self.error(
                format!(
                    "CEL {what} `{text}`: estimated cost {} exceeds the limit {} ({}){why}",
                    shown_cost(cost),
                    thousands(RULE_COST_LIMIT),
                    over_by(cost, RULE_COST_LIMIT)
                ),
                help,
            );
        } else if u128::from(cost) * 100 > u128::from(RULE_COST_LIMIT * WARN_PERCENT) {
            let (why, help) = self.over_budget_reasons(c, runs, per_run);
            self.ctx.warning(
                self.origin,
                self.path,
                format!(
                    "CEL {what} `{text}`: estimated cost {} is {}% of the API server's limit {}{why}",
                    thousands(cost),
                    cost * 100 / RULE_COST_LIMIT,
                    thousands(RULE_COST_LIMIT)
                ),
                help,
            );
        }
        cost
    }

    /// The rule's maximum number of runs (`getExpressionCost`): the enclosing bounds, or the
    /// request size over the node's smallest serialized size when one is unbounded.
    fn cardinality(&self) -> u64 {
        self.scope.cardinality.unwrap_or(types::MAX_REQUEST_SIZE / (self.decl.min_size + 1))
    }

    fn over_budget_reasons(&self, c: &Compiled, runs: u64, per_run: bool) -> (String, String) {
        let mut reasons = Vec::new();
        let mut fixes = Vec::new();
        for d in relevant_unbounded(c, self.decl) {
            let Bound::Estimated(marker) = d.bound else { continue };
            reasons.push(format!(
                "`{}` is unbounded (estimated up to {} {})",
                shown_path(&d.path),
                thousands(d.max_elements),
                unit(marker)
            ));
            fixes.push(format!("`{}` to `{}`", marker.name(), shown_path(&d.path)));
        }
        if per_run && runs > 1 {
            if self.scope.cardinality.is_none() {
                for (p, marker) in &self.scope.unbounded_above {
                    fixes.push(format!("`{}` to `{}`", marker.name(), shown_path(p)));
                }
                let lists: Vec<String> = self.scope.unbounded_above.iter().map(|(p, _)| format!("`{}`", shown_path(p))).collect();
                reasons.push(format!(
                    "the rule runs for every element of {} (unbounded; estimated up to {} times)",
                    lists.join(" and "),
                    thousands(runs)
                ));
            } else {
                reasons.push(format!("the rule runs up to {} times (the enclosing lists' and maps' bounds multiplied)", thousands(runs)));
            }
        }
        let unsizable = reasons.is_empty() && c.estimate.unknown_size;
        if unsizable {
            reasons.push("the size of a computed value (such as `string(x)`) cannot be bounded from the schema".into());
        }
        let why = if reasons.is_empty() { String::new() } else { format!(": {}", reasons.join("; ")) };
        let help = if unsizable {
            "the server sizes such a value without limit: build strings with `'... %d ...'.format([x])` rather than `+ string(x)`"
                .to_string()
        } else if fixes.is_empty() {
            "lower the bounds the rule iterates over, or simplify the rule (fewer nested iterations, no string functions over long strings)"
                .to_string()
        } else {
            format!("add {} (the largest size you support), or simplify the rule", fixes.join(" and "))
        };
        (why, help)
    }

    fn check_field_path(&mut self, s: &Schema) {
        if let Some(fp) = &self.rule.field_path
            && !field_path_exists(s, fp)
        {
            let fp = fp.clone();
            self.error(
                format!("field_path `{fp}` is not a field below this value"),
                "use a JSON path relative to the value the rule is on, e.g. `.spec.replicas` -> `.replicas`",
            );
        }
    }
}

/// The estimated (not declared) sizes whose bounding would matter: bounding each to one
/// element at least halves the estimate.
fn relevant_unbounded(c: &Compiled, root: &Rc<Decl>) -> Vec<Rc<Decl>> {
    let mut out: Vec<Rc<Decl>> = Vec::new();
    for d in &c.estimate.estimated {
        let bounded = cost::estimate_with(&c.expr, &c.checked, root, &d.path, 1);
        if bounded.cost.max.saturating_mul(2) <= c.estimate.cost.max {
            out.push(d.clone());
        }
    }
    out.sort_by(|a, b| b.max_elements.cmp(&a.max_elements).then(a.path.cmp(&b.path)));
    out
}

fn unit(marker: MarkerKey) -> &'static str {
    match marker {
        MarkerKey::MaxItems => "items",
        MarkerKey::MaxProperties => "entries",
        _ => "bytes",
    }
}

fn shown_path(p: &str) -> String {
    if p.is_empty() { ".".into() } else { p.to_string() }
}

fn shown_cost(cost: u64) -> String {
    if cost == u64::MAX { "beyond any bound".into() } else { thousands(cost) }
}

/// How far over the limit, as the server words it for large factors.
fn over_by(cost: u64, limit: u64) -> String {
    let factor = cost as f64 / limit as f64;
    if factor > 100.0 { "more than 100 times over".into() } else { format!("by {}%", ((factor - 1.0) * 100.0).round().max(1.0) as u64) }
}

pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 1-based column of a byte offset, in characters.
fn column(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].chars().count() + 1
}

fn syntax_help(message: &str) -> String {
    if let Some(word) = message.strip_prefix('`').and_then(|m| m.split('`').next())
        && message.contains("reserved word")
    {
        return format!("a property named `{word}` is `__{word}__` in CEL, e.g. `self.__{word}__`");
    }
    if message.contains("unsupported syntax") {
        return "raise the target Kubernetes version (`--kube-version`, or the k8s-openapi `v1_NN` feature) or write the rule without it"
            .into();
    }
    "fix the expression; see docs/cel.md for the syntax and functions of each Kubernetes version".into()
}

/// The API server's rules for `message`: one non-blank line of at most 2048 characters, required
/// when the rule itself spans several lines.
fn check_message(rule: &ValidationRule, path: &Path, origin: Option<Loc>, ctx: &mut Ctx) {
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
        None if rule.rule.trim().contains('\n') => ctx.error(
            origin,
            path,
            "a rule that spans several lines needs a `message`",
            "add `message = \"..\"` to the `validation(...)` marker",
        ),
        _ => {}
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
mod tests;
