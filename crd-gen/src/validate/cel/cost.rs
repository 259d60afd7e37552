//! The static cost estimate the API server computes for a rule (cel-go `checker/cost.go`, with
//! the Kubernetes library estimator k8s.io/apiserver `pkg/cel/library/cost.go`, the extension
//! estimators of cel-go `ext/sets.go` and `ext/lists.go`, and apiextensions'
//! `sizeEstimator` in `pkg/apiserver/schema/cel/compilation.go`, which sizes a value by walking
//! its path through the schema). `has()` costs nothing (`PresenceTestHasCost(false)`).
//!
//! Besides the estimate it records which schema nodes' sizes were estimated from the request
//! size rather than declared, so the message can name the field to bound.

use super::ast::{ACCUMULATOR, Expr, Id, Kind, Literal};
use super::check::Checked;
use super::types::{Bound, Decl, Type};
use std::collections::HashMap;
use std::rc::Rc;

const MAX: u64 = u64::MAX;
const STRING_TRAVERSAL: f64 = 0.1;
const REGEX_LENGTH: f64 = 0.25;
const LIST_CREATE: u64 = 10;
const MAP_CREATE: u64 = 30;
const STRUCT_CREATE: u64 = 40;
/// `apiservercel.MaxNameFormatRegexSize`.
const MAX_NAME_FORMAT_REGEX: f64 = 128.0;
/// `apiservercel.MaxFormatSize`.
const MAX_FORMAT_SIZE: u64 = 64;

/// A [min, max] range of sizes or costs, with cel-go's saturating arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Est {
    pub min: u64,
    pub max: u64,
}

impl Est {
    pub const UNKNOWN: Est = Est { min: 0, max: MAX };
    pub fn fixed(n: u64) -> Est {
        Est { min: n, max: n }
    }
    pub fn plus(self, o: Est) -> Est {
        Est { min: self.min.saturating_add(o.min), max: self.max.saturating_add(o.max) }
    }
    pub fn times(self, o: Est) -> Est {
        Est { min: self.min.saturating_mul(o.min), max: self.max.saturating_mul(o.max) }
    }
    pub fn factor(self, f: f64) -> Est {
        Est { min: mul_factor(self.min, f), max: mul_factor(self.max, f) }
    }
    pub fn union(self, o: Est) -> Est {
        Est { min: self.min.min(o.min), max: self.max.max(o.max) }
    }
}

/// cel-go's `multiplyByCostFactor`: round up, saturate.
fn mul_factor(x: u64, f: f64) -> u64 {
    let xf = x as f64;
    if xf > 0.0 && f > 0.0 && xf > u64::MAX as f64 / f {
        return MAX;
    }
    let c = (xf * f).ceil();
    if c >= 18446744073709551616.0 { MAX } else { c as u64 }
}

/// A node of the expression as the estimators see it (cel-go's `AstNode`).
#[derive(Clone)]
struct Node {
    path: Option<Vec<String>>,
    ty: Type,
    computed: Option<Est>,
    literal: Option<Literal>,
}

#[derive(Clone, Copy)]
struct Entry {
    list: bool,
    key: Est,
    val: Est,
}

struct Local {
    path: Vec<String>,
    size: Option<Est>,
    entry: Option<Entry>,
}

/// What the estimate found: the cost, and the schema nodes whose size it had to guess.
pub struct Estimate {
    pub cost: Est,
    pub estimated: Vec<Rc<Decl>>,
    /// A size nothing could bound (e.g. the value behind an optional `oldSelf`).
    pub unknown_size: bool,
}

pub fn estimate(e: &Expr, checked: &Checked, root: &Rc<Decl>) -> Estimate {
    estimate_inner(e, checked, root, None)
}

/// The estimate if the schema node at `path` were bounded to `max` elements.
pub fn estimate_with(e: &Expr, checked: &Checked, root: &Rc<Decl>, path: &str, max: u64) -> Estimate {
    estimate_inner(e, checked, root, Some((path, max)))
}

fn estimate_inner(e: &Expr, checked: &Checked, root: &Rc<Decl>, bound: Option<(&str, u64)>) -> Estimate {
    let mut c = Coster {
        bound: bound.map(|(p, m)| (p.to_string(), m)),
        checked,
        root,
        paths: HashMap::new(),
        sizes: HashMap::new(),
        entries: HashMap::new(),
        locals: HashMap::new(),
        estimated: Vec::new(),
        unknown_size: false,
    };
    let cost = c.cost(e);
    Estimate { cost, estimated: c.estimated, unknown_size: c.unknown_size }
}

struct Coster<'a> {
    /// A node bounded as if declared (to see whether bounding it helps).
    bound: Option<(String, u64)>,
    checked: &'a Checked,
    root: &'a Rc<Decl>,
    paths: HashMap<Id, Vec<String>>,
    sizes: HashMap<Id, Est>,
    entries: HashMap<Id, Entry>,
    locals: HashMap<String, Vec<Local>>,
    estimated: Vec<Rc<Decl>>,
    unknown_size: bool,
}

impl Coster<'_> {
    fn ty(&self, e: &Expr) -> Type {
        self.checked.types[e.id].clone()
    }
    fn path(&self, e: &Expr) -> Vec<String> {
        if let Kind::Ident(n) = &e.kind
            && let Some(l) = self.locals.get(n).and_then(|s| s.last())
        {
            return l.path.clone();
        }
        self.paths.get(&e.id).cloned().unwrap_or_default()
    }
    fn node(&mut self, e: &Expr) -> Node {
        let path = self.path(e);
        let path = if path.first().is_some_and(|p| p == ACCUMULATOR) || path.is_empty() { None } else { Some(path) };
        let computed = self.size(e);
        let literal = match &e.kind {
            Kind::Literal(l) => Some(l.clone()),
            _ => None,
        };
        Node { path, ty: self.ty(e), computed, literal }
    }

    /// apiextensions' `sizeEstimator.EstimateSize`: the declared (or estimated) maximum of the
    /// schema node the path leads to.
    fn estimate_size(&mut self, path: &[String]) -> Option<Est> {
        if path.is_empty() {
            return None;
        }
        let mut d: Rc<Decl> = self.root.clone();
        for step in &path[1..] {
            let next = match step.as_str() {
                "@items" | "@values" => d.elem.clone(),
                "@keys" => d.key.clone(),
                field => d.field(field).cloned(),
            };
            d = next?;
        }
        if let Bound::Estimated(_) = d.bound
            && !self.estimated.iter().any(|x| Rc::ptr_eq(x, &d))
        {
            self.estimated.push(d.clone());
        }
        match &self.bound {
            Some((p, m)) if *p == d.path => Some(Est { min: 0, max: *m }),
            _ => Some(Est { min: 0, max: d.max_elements }),
        }
    }

    /// cel-go's `computeSize`.
    fn size(&mut self, e: &Expr) -> Option<Est> {
        if let Some(s) = self.sizes.get(&e.id) {
            return Some(*s);
        }
        if let Some(s) = literal_size(e) {
            return Some(s);
        }
        let path = self.path(e);
        if let Some(s) = self.estimate_size(&path) {
            self.sizes.insert(e.id, s);
            return Some(s);
        }
        if is_scalar(&self.ty(e)) {
            return Some(Est::fixed(1));
        }
        if let Kind::Ident(n) = &e.kind {
            return self.locals.get(n).and_then(|s| s.last()).and_then(|l| l.size);
        }
        None
    }
    fn size_or_unknown(&mut self, n: &Node) -> Est {
        n.computed.unwrap_or_else(|| {
            self.unknown_size = true;
            Est::UNKNOWN
        })
    }
    fn expr_size_or_unknown(&mut self, e: &Expr) -> Est {
        self.size(e).unwrap_or_else(|| {
            self.unknown_size = true;
            Est::UNKNOWN
        })
    }
    /// The Kubernetes estimator's `sizeEstimate`: the computed size, else the schema's, else unknown.
    fn k8s_size(&mut self, n: &Node) -> Est {
        if let Some(s) = n.computed {
            return s;
        }
        if let Some(s) = n.path.clone().and_then(|p| self.estimate_size(&p)) {
            return s;
        }
        self.unknown_size = true;
        Est::UNKNOWN
    }
    fn entry(&self, e: &Expr) -> Option<Entry> {
        if let Some(en) = self.entries.get(&e.id) {
            return Some(*en);
        }
        if let Kind::Ident(n) = &e.kind {
            return self.locals.get(n).and_then(|s| s.last()).and_then(|l| l.entry);
        }
        None
    }

    fn cost(&mut self, e: &Expr) -> Est {
        match &e.kind {
            Kind::Literal(_) => Est::fixed(0),
            Kind::Ident(name) => {
                let path = match self.locals.get(name).and_then(|s| s.last()) {
                    Some(l) => l.path.clone(),
                    None => vec![name.clone()],
                };
                self.paths.insert(e.id, path);
                Est::fixed(1)
            }
            Kind::Select { operand, field, test } => {
                let mut sum = self.cost(operand);
                if !*test && matches!(self.ty(operand), Type::Map(..) | Type::Object(_) | Type::Param(_)) {
                    sum = sum.plus(Est::fixed(1));
                }
                if !*test {
                    let mut p = self.path(operand);
                    p.push(field.clone());
                    self.paths.insert(e.id, p);
                }
                sum
            }
            Kind::Call { .. } => self.call(e),
            Kind::List { elements, .. } => {
                let mut sum = Est::default();
                let mut item = if elements.is_empty() { Est { min: 0, max: 0 } } else { Est { min: MAX, max: 0 } };
                for el in elements {
                    sum = sum.plus(self.cost(el));
                    let s = self.expr_size_or_unknown(el);
                    item = item.union(s);
                }
                self.entries.insert(e.id, Entry { list: true, key: Est::fixed(1), val: item });
                sum.plus(Est::fixed(LIST_CREATE))
            }
            Kind::Map { entries } => {
                let mut sum = Est::default();
                let init = if entries.is_empty() { Est { min: 0, max: 0 } } else { Est { min: MAX, max: 0 } };
                let (mut k, mut v) = (init, init);
                for en in entries {
                    sum = sum.plus(self.cost(&en.key)).plus(self.cost(&en.value));
                    let ks = self.expr_size_or_unknown(&en.key);
                    let vs = self.expr_size_or_unknown(&en.value);
                    k = k.union(ks);
                    v = v.union(vs);
                }
                self.entries.insert(e.id, Entry { list: false, key: k, val: v });
                sum.plus(Est::fixed(MAP_CREATE))
            }
            Kind::Struct { fields, .. } => {
                let mut sum = Est::fixed(STRUCT_CREATE);
                for (_, v) in fields {
                    sum = sum.plus(self.cost(v));
                }
                sum
            }
            Kind::Comprehension(_) => self.comprehension(e),
        }
    }

    fn comprehension(&mut self, e: &Expr) -> Est {
        let Kind::Comprehension(c) = &e.kind else { unreachable!() };
        if is_bind(e) {
            let mut sum = self.cost(&c.iter_range).plus(self.cost(&c.accu_init));
            self.push_local(&c.accu_var, &c.accu_init);
            sum = sum.plus(self.cost(&c.result));
            self.pop(&c.accu_var);
            if let Some(s) = self.size(&c.result) {
                self.sizes.insert(e.id, s);
            }
            if let Some(en) = self.entry(&c.result) {
                self.entries.insert(e.id, en);
            }
            return sum;
        }
        let mut sum = self.cost(&c.iter_range).plus(self.cost(&c.accu_init));
        self.push_local(&c.accu_var, &c.accu_init);
        match &c.iter_var2 {
            Some(v2) => {
                self.push_iter(&c.iter_var, &c.iter_range, IterPart::Key);
                self.push_iter(v2, &c.iter_range, IterPart::Value);
            }
            None => self.push_iter(&c.iter_var, &c.iter_range, IterPart::Single),
        }
        let loop_cost = self.cost(&c.loop_cond);
        let step_cost = self.cost(&c.loop_step);
        self.pop(&c.iter_var);
        if let Some(v2) = &c.iter_var2 {
            self.pop(v2);
        }
        sum = sum.plus(self.cost(&c.result));
        self.pop(&c.accu_var);
        let range = self.expr_size_or_unknown(&c.iter_range);
        sum = sum.plus(range.times(step_cost.plus(loop_cost)));
        match &c.accu_init.kind {
            Kind::Literal(_) => {
                if let Some(s) = self.size(&c.accu_init) {
                    self.sizes.insert(e.id, s);
                }
            }
            Kind::List { .. } | Kind::Map { .. } => {
                self.sizes.insert(e.id, range);
                if let Some(en) = self.entry(&c.loop_step) {
                    self.entries.insert(e.id, en);
                }
            }
            _ => {}
        }
        sum
    }

    fn push_local(&mut self, name: &str, init: &Expr) {
        let l = Local { path: self.path(init), size: self.size(init), entry: self.entry(init) };
        self.locals.entry(name.to_string()).or_default().push(l);
    }
    fn pop(&mut self, name: &str) {
        if let Some(s) = self.locals.get_mut(name) {
            s.pop();
        }
    }

    /// cel-go's `pushIterKey`/`pushIterValue`/`pushIterSingle`.
    fn push_iter(&mut self, name: &str, range: &Expr, part: IterPart) {
        let entry = self.entry(range);
        let is_list = entry.map(|en| en.list).unwrap_or_else(|| matches!(self.ty(range), Type::List(_)));
        let (size, sub) = match part {
            IterPart::Key => (entry.map(|en| en.key), if is_list { "@indices" } else { "@keys" }),
            IterPart::Value => (entry.map(|en| en.val), if is_list { "@items" } else { "@values" }),
            IterPart::Single if is_list => (entry.map(|en| en.val), "@items"),
            IterPart::Single => (entry.map(|en| en.key), "@keys"),
        };
        let mut path = self.path(range);
        path.push(sub.to_string());
        self.locals.entry(name.to_string()).or_default().push(Local { path, size, entry: None });
    }

    fn call(&mut self, e: &Expr) -> Est {
        let Kind::Call { target, function, args } = &e.kind else { unreachable!() };
        if function == "dyn" && args.len() == 1 {
            let c = self.cost(&args[0]).plus(Est::fixed(1));
            if let Some(s) = self.size(&args[0]) {
                self.sizes.insert(e.id, s);
            }
            if let Some(en) = self.entry(&args[0]) {
                self.entries.insert(e.id, en);
            }
            return c;
        }
        let mut arg_costs = Vec::new();
        let mut arg_nodes = Vec::new();
        for a in args {
            arg_costs.push(self.cost(a));
            arg_nodes.push(self.node(a));
        }
        let ids = self.checked.overloads[e.id].clone();
        if ids.is_empty() {
            return Est::default();
        }
        let mut sum = Est::default();
        let target_node = match target {
            Some(t) => {
                sum = sum.plus(self.cost(t));
                Some(self.node(t))
            }
            None => None,
        };
        let mut fn_cost = Est { min: MAX, max: 0 };
        let mut result: Option<Est> = None;
        for id in &ids {
            let call = CallSite { function, id, target: target_node.as_ref(), args: &arg_nodes, arg_costs: &arg_costs, expr: e };
            let (c, r) = self.function_cost(&call);
            fn_cost = fn_cost.union(c);
            if let Some(r) = r {
                result = Some(result.map_or(r, |x| x.union(r)));
            }
            match *id {
                "index_list" | "index_map" if !args.is_empty() => {
                    result = self.entry(&args[0]).map(|en| en.val);
                    let mut p = self.path(&args[0]);
                    p.push(if *id == "index_list" { "@items" } else { "@values" }.to_string());
                    self.paths.insert(e.id, p);
                }
                _ => {}
            }
            if result.is_none() {
                result = self.size(e);
            }
        }
        if let Some(r) = result {
            self.sizes.insert(e.id, r);
        }
        sum.plus(fn_cost)
    }

    fn function_cost(&mut self, c: &CallSite) -> (Est, Option<Est>) {
        let args_sum = c.arg_costs.iter().fold(Est::default(), |a, b| a.plus(*b));
        if let Some((cost, size)) = self.extension_estimate(c) {
            return (cost.plus(args_sum), size);
        }
        if let Some((cost, size)) = self.k8s_estimate(c) {
            return (cost.plus(args_sum), size);
        }
        self.standard_estimate(c, args_sum)
    }

    /// Overload estimators registered by cel-go extensions (`checker.OverloadCostEstimate`).
    fn extension_estimate(&mut self, c: &CallSite) -> Option<(Est, Option<Est>)> {
        let id = c.id;
        let sets = |f: f64| f;
        match id {
            "list_sets_contains_list" | "list_sets_intersects_list" | "list_sets_equivalent_list" if c.args.len() == 2 => {
                let f = sets(if id == "list_sets_equivalent_list" { 2.0 } else { 1.0 });
                let (a, b) = (self.k8s_size(&c.args[0]), self.k8s_size(&c.args[1]));
                Some((a.times(b).factor(f).plus(Est::fixed(1)), None))
            }
            "list_slice" => {
                let t = c.target?;
                let sz = self.k8s_size(t);
                let start = uint_value(&c.args[0], 0);
                let end = uint_value(&c.args[1], sz.max);
                Some(allocating_list(1.0, Est::fixed(end.saturating_sub(start))))
            }
            "lists_range" if c.target.is_none() => Some(allocating_list(1.0, Est::fixed(uint_value(&c.args[0], MAX)))),
            "list_reverse" => {
                let sz = self.k8s_size(c.target?);
                Some(allocating_list(1.0, sz))
            }
            "list_flatten" | "list_flatten_int" => {
                let depth = c.args.first().map_or(1, |a| uint_value(a, MAX));
                let sz = self.k8s_size(c.target?);
                Some(allocating_list(depth as f64, sz))
            }
            "list_distinct" => {
                let sz = self.k8s_size(c.target?);
                Some(allocating_list(2.0, sz.times(sz)))
            }
            "list_sort" => {
                let t = c.target?;
                let elem = list_elem(&t.ty);
                let sz = self.k8s_size(t);
                Some(allocating_list(sort_factor(&elem), sz.times(sz)))
            }
            "list_sortByAssociatedKeys" => {
                let keys = c.args.first()?;
                let elem = list_elem(&keys.ty);
                let sz = self.k8s_size(keys);
                Some(allocating_list(sort_factor(&elem), sz.times(sz)))
            }
            _ => None,
        }
    }

    /// k8s.io/apiserver `library.CostEstimator.EstimateCallCost` (keyed by function name).
    fn k8s_estimate(&mut self, c: &CallSite) -> Option<(Est, Option<Est>)> {
        let t = c.target;
        let one = Some((Est::fixed(1), None));
        match c.function {
            "isSorted" | "sum" | "max" | "min" | "indexOf" | "lastIndexOf" => {
                let t = t?;
                if let Type::List(elem) = &t.ty {
                    let mut el = Est::fixed(1);
                    if matches!(**elem, Type::String | Type::Bytes) {
                        let en = Node {
                            path: t.path.clone().map(|mut p| {
                                p.push("@items".into());
                                p
                            }),
                            ty: (**elem).clone(),
                            computed: None,
                            literal: None,
                        };
                        let sz = self.k8s_size(&en);
                        el = el.plus(sz.factor(STRING_TRAVERSAL));
                    }
                    let sz = self.k8s_size(t);
                    Some((sz.times(el), None))
                } else {
                    Some((self.k8s_size(t).factor(STRING_TRAVERSAL), None))
                }
            }
            "url" if c.args.len() == 1 => {
                let sz = self.k8s_size(&c.args[0]);
                Some((sz.factor(STRING_TRAVERSAL), Some(sz)))
            }
            "lowerAscii" | "upperAscii" | "substring" | "trim" => {
                let sz = self.k8s_size(t?);
                Some((sz.factor(STRING_TRAVERSAL), Some(sz)))
            }
            "replace" if c.args.len() >= 2 => {
                let sz = self.k8s_size(t?);
                let (from, to) = (self.k8s_size(&c.args[0]), self.k8s_size(&c.args[1]));
                Some((sz.factor(2.0 * STRING_TRAVERSAL), Some(replace_size(sz, from, to))))
            }
            "split" => {
                let sz = self.k8s_size(t?);
                let max = match c.args.get(1).and_then(|a| a.literal.as_ref()) {
                    Some(Literal::Int(i)) => *i as u64,
                    _ => sz.max,
                };
                Some((sz.factor(2.0 * STRING_TRAVERSAL), Some(Est { min: 0, max })))
            }
            "join" => {
                let t = t?;
                let list = self.k8s_size(t);
                let mut sz = Est::default();
                if let Type::List(elem) = &t.ty {
                    let en = Node {
                        path: t.path.clone().map(|mut p| {
                            p.push("@items".into());
                            p
                        }),
                        ty: (**elem).clone(),
                        computed: None,
                        literal: None,
                    };
                    let es = self.k8s_size(&en);
                    sz = list.times(es);
                }
                if let Some(sep) = c.args.first() {
                    let sep = self.k8s_size(sep);
                    sz = sz.plus(sep.times(Est { min: list.min.saturating_sub(1), max: list.max.saturating_sub(1) }));
                }
                Some((sz.factor(STRING_TRAVERSAL), Some(sz)))
            }
            "find" | "findAll" if t.is_some() && !c.args.is_empty() => {
                let sz = self.k8s_size(t?);
                let str_cost = sz.plus(Est::fixed(1)).factor(STRING_TRAVERSAL);
                let regex = self.k8s_size(&c.args[0]).factor(REGEX_LENGTH);
                Some((str_cost.times(regex), Some(Est { min: 0, max: sz.max })))
            }
            // Registered as member functions in the estimator, so the global calls fall through.
            "cidr" | "isIP" | "isCIDR" | "quantity" | "isQuantity" | "semver" | "isSemver" if t.is_some() => {
                Some((self.k8s_size(&c.args[0]).factor(STRING_TRAVERSAL), None))
            }
            "ip" if t.is_some() => {
                if c.id == "cidr_ip" || c.args.is_empty() {
                    return one;
                }
                Some((self.k8s_size(&c.args[0]).factor(STRING_TRAVERSAL), None))
            }
            "ip.isCanonical" if t.is_some() && !c.args.is_empty() => Some((self.k8s_size(&c.args[0]).factor(2.0 * STRING_TRAVERSAL), None)),
            "masked"
            | "prefixLength"
            | "family"
            | "isUnspecified"
            | "isLoopback"
            | "isLinkLocalMulticast"
            | "isLinkLocalUnicast"
            | "isGlobalUnicast"
            | "format.named"
            | "sign"
            | "asInteger"
            | "isInteger"
            | "asApproximateFloat"
            | "isGreaterThan"
            | "isLessThan"
            | "compareTo"
            | "add"
            | "sub"
            | "major"
            | "minor"
            | "patch"
            | "getScheme"
            | "getHostname"
            | "getHost"
            | "getPort"
            | "getEscapedPath"
            | "getQuery" => one,
            "containsIP" | "containsCIDR" if t.is_some() && !c.args.is_empty() => {
                let sz = Est { min: 4, max: 16 };
                let mut cost = sz.plus(sz).factor(STRING_TRAVERSAL);
                if c.function == "containsCIDR" {
                    cost = cost.plus(sz.factor(STRING_TRAVERSAL)).plus(Est::fixed(1));
                }
                if matches!(c.id, "cidr_contains_ip_string" | "cidr_contains_cidr_string") {
                    cost = cost.plus(self.k8s_size(&c.args[0]).factor(STRING_TRAVERSAL));
                }
                Some((cost, None))
            }
            "validate" if t.is_some() => {
                let sz = self.k8s_size(&c.args[0]);
                Some((sz.factor(STRING_TRAVERSAL).factor(MAX_NAME_FORMAT_REGEX * REGEX_LENGTH), None))
            }
            "_==_" if c.args.len() == 2 && c.args[0].ty == c.args[1].ty => match &c.args[0].ty {
                Type::Opaque("net.IP" | "net.CIDR" | "kubernetes.Quantity" | "kubernetes.Semver") => one,
                Type::Opaque("kubernetes.NamedFormat") => Some((Est { min: 1, max: MAX_FORMAT_SIZE }.factor(STRING_TRAVERSAL), None)),
                Type::Opaque("kubernetes.URL") => {
                    let s = c.args[1].computed.unwrap_or(Est::fixed(1));
                    Some((Est { min: 1, max: s.max }.factor(STRING_TRAVERSAL), None))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// cel-go's own `functionCost` switch, by overload id.
    fn standard_estimate(&mut self, c: &CallSite, args_sum: Est) -> (Est, Option<Est>) {
        let a = c.args;
        match c.id {
            "string_format" if c.target.is_some() => {
                let ts = self.size_or_unknown(c.target.expect("target"));
                let as_ = self.size_or_unknown(&a[0]);
                (ts.factor(STRING_TRAVERSAL).plus(args_sum), Some(ts.plus(as_)))
            }
            "string_to_bytes" if a.len() == 1 => {
                let sz = self.size_or_unknown(&a[0]);
                (sz.factor(STRING_TRAVERSAL).plus(args_sum), Some(Est { min: sz.min, max: sz.max.saturating_mul(4) }))
            }
            "bytes_to_string" if a.len() == 1 => {
                let sz = self.size_or_unknown(&a[0]);
                (sz.factor(STRING_TRAVERSAL).plus(args_sum), Some(Est { min: sz.min / 4, max: sz.max }))
            }
            "strings_quote" if a.len() == 1 => {
                let sz = self.size_or_unknown(&a[0]);
                let r = Est { min: sz.min.saturating_add(2), max: sz.max.saturating_mul(2).saturating_add(2) };
                (sz.factor(STRING_TRAVERSAL).plus(args_sum), Some(r))
            }
            "starts_with_string" | "ends_with_string" if a.len() == 1 => {
                let sz = self.size_or_unknown(&a[0]);
                (sz.factor(STRING_TRAVERSAL).plus(args_sum), None)
            }
            "in_list" if a.len() == 2 => {
                let sz = self.size_or_unknown(&a[1]);
                (sz.factor(1.0).plus(args_sum), None)
            }
            "matches_string" if c.target.is_some() && a.len() == 1 => {
                let s = self.size_or_unknown(c.target.expect("target")).plus(Est::fixed(1)).factor(STRING_TRAVERSAL);
                let r = self.size_or_unknown(&a[0]).factor(REGEX_LENGTH);
                (s.times(r).plus(args_sum), None)
            }
            "contains_string" if c.target.is_some() && a.len() == 1 => {
                let s = self.size_or_unknown(c.target.expect("target")).factor(STRING_TRAVERSAL);
                let sub = self.size_or_unknown(&a[0]).factor(STRING_TRAVERSAL);
                (s.times(sub).plus(args_sum), None)
            }
            "logical_or" | "logical_and" => {
                let (l, r) = (c.arg_costs[0], c.arg_costs[1]);
                (Est { min: l.min, max: l.plus(r).max }, None)
            }
            "conditional" => {
                let size = self.size_or_unknown(&a[1]).union(self.size_or_unknown(&a[2]));
                if let (Some(x), Some(y)) = (self.arg_entry(c, 1), self.arg_entry(c, 2)) {
                    let en = Entry { list: x.list, key: x.key.union(y.key), val: x.val.union(y.val) };
                    self.entries.insert(c.expr.id, en);
                }
                let cost = c.arg_costs[0].plus(c.arg_costs[1].union(c.arg_costs[2]));
                (cost, Some(size))
            }
            "add_string" | "add_bytes" | "add_list" if a.len() == 2 => {
                let size = self.size_or_unknown(&a[0]).plus(self.size_or_unknown(&a[1]));
                if let (Some(x), Some(y)) = (self.arg_entry(c, 0), self.arg_entry(c, 1)) {
                    let en = Entry { list: x.list, key: x.key.union(y.key), val: x.val.union(y.val) };
                    self.entries.insert(c.expr.id, en);
                }
                if c.id == "add_list" {
                    return (Est::fixed(1).plus(args_sum), Some(size));
                }
                (size.factor(STRING_TRAVERSAL).plus(args_sum), Some(size))
            }
            id if is_sized_comparison(id) => {
                let (l, r) = (self.size_or_unknown(&a[0]), self.size_or_unknown(&a[1]));
                let smallest = l.max.min(r.max);
                let min = u64::from(smallest > 0);
                (Est { min, max: smallest }.factor(STRING_TRAVERSAL).plus(args_sum), None)
            }
            _ => (Est::fixed(1).plus(args_sum), None),
        }
    }

    fn arg_entry(&self, c: &CallSite, i: usize) -> Option<Entry> {
        let Kind::Call { args, .. } = &c.expr.kind else { return None };
        self.entry(&args[i])
    }
}

enum IterPart {
    Key,
    Value,
    Single,
}

struct CallSite<'a> {
    function: &'a str,
    id: &'static str,
    target: Option<&'a Node>,
    args: &'a [Node],
    arg_costs: &'a [Est],
    expr: &'a Expr,
}

fn is_sized_comparison(id: &str) -> bool {
    matches!(
        id,
        "less_string"
            | "greater_string"
            | "less_equals_string"
            | "greater_equals_string"
            | "less_bytes"
            | "greater_bytes"
            | "less_equals_bytes"
            | "greater_equals_bytes"
            | "equals"
            | "not_equals"
    )
}

/// cel-go's `isBind`: a comprehension over `[]` that never loops, binding its accumulator.
fn is_bind(e: &Expr) -> bool {
    let Kind::Comprehension(c) = &e.kind else { return false };
    matches!(&c.iter_range.kind, Kind::List { elements, .. } if elements.is_empty())
        && matches!(c.loop_cond.kind, Kind::Literal(Literal::Bool(false)))
        && c.accu_var != ACCUMULATOR
}

fn literal_size(e: &Expr) -> Option<Est> {
    let n = match &e.kind {
        Kind::Literal(Literal::String(s)) => s.chars().count() as u64,
        Kind::Literal(Literal::Bytes(b)) => b.len() as u64,
        Kind::Literal(_) => 1,
        Kind::List { elements, .. } => elements.len() as u64,
        Kind::Map { entries } => entries.len() as u64,
        _ => return None,
    };
    Some(Est::fixed(n))
}

fn is_scalar(t: &Type) -> bool {
    match t {
        Type::Bool | Type::Double | Type::Duration | Type::Int | Type::Timestamp | Type::Uint => true,
        Type::Optional(inner) => is_scalar(inner),
        _ => false,
    }
}

fn uint_value(n: &Node, default: u64) -> u64 {
    match &n.literal {
        Some(Literal::Int(i)) if *i >= 0 => *i as u64,
        Some(Literal::Uint(u)) => *u,
        _ => default,
    }
}

fn list_elem(t: &Type) -> Type {
    match t {
        Type::List(e) => (**e).clone(),
        _ => Type::Dyn,
    }
}

fn sort_factor(elem: &Type) -> f64 {
    if matches!(elem, Type::String | Type::Bytes) { 2.0 + STRING_TRAVERSAL } else { 2.0 }
}

/// ext/lists.go `estimateAllocatingListCall`: the call, the list allocation and factor × size.
fn allocating_list(factor: f64, size: Est) -> (Est, Option<Est>) {
    (size.factor(factor).plus(Est::fixed(1)).plus(Est::fixed(LIST_CREATE)), Some(size))
}

/// The size of `s.replace(from, to)`, as library/cost.go bounds it.
fn replace_size(sz: Est, from: Est, to: Est) -> Est {
    let (mut count, mut kept) = (Est::default(), Est::default());
    if from.min == 0 {
        count.max = if sz.max < MAX { sz.max + 1 } else { sz.max };
        kept.max = sz.max;
    } else if to.max <= from.min {
        kept.max = sz.max;
    } else {
        count.max = (sz.max as f64 / from.min as f64).ceil() as u64;
    }
    if from.max == 0 {
        count.min = if sz.min < MAX { sz.min + 1 } else { sz.min };
        kept.min = sz.min;
    } else if from.max <= to.min {
        kept.min = sz.min;
    } else {
        count.min = (sz.min as f64 / from.max as f64).ceil() as u64;
    }
    count.times(to).plus(kept)
}
