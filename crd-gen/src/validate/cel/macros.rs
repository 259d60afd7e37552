//! Macro expansion as cel-go's parser does it (`parser/macro.go`; the two-variable forms from
//! `ext/comprehensions.go`, `optMap`/`optFlatMap` from `cel/library.go`, `sortBy` from
//! `ext/lists.go`): a call whose name and argument count match an enabled macro becomes a
//! comprehension. A name that matches no enabled macro stays an ordinary call, which the checker
//! then resolves (or refuses) as a function.

use super::ast::{ACCUMULATOR, Comprehension, Expr, Kind, Literal};
use super::parse::{Parser, SyntaxError};

/// Which macro families the target environment's parser has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MacroSet {
    pub two_var: bool,
    pub optional: bool,
    pub opt_flat_map: bool,
    pub sort_by: bool,
}

impl MacroSet {
    /// Every macro any version has (for reading a rule's shape, not for checking it).
    pub fn all() -> MacroSet {
        MacroSet { two_var: true, optional: true, opt_flat_map: true, sort_by: true }
    }
}

type R = Result<Option<Expr>, SyntaxError>;

/// Expands `target.function(args)` (or `function(args)` when `target` is None) if it is a macro.
pub fn expand(p: &mut Parser, at: usize, target: Option<Expr>, function: &str, args: &[Expr], set: MacroSet) -> R {
    let Some(target) = target else {
        return if function == "has" && args.len() == 1 { has(p, at, &args[0]).map(Some) } else { Ok(None) };
    };
    let n = args.len();
    let e = match (function, n) {
        ("all" | "exists" | "exists_one" | "map" | "filter", 2) | ("map", 3) => one_var(p, at, target, function, args)?,
        ("all" | "exists" | "existsOne", 3) | ("transformList" | "transformMap" | "transformMapEntry", 3 | 4) if set.two_var => {
            two_var(p, at, target, function, args)?
        }
        ("optMap", 2) if set.optional => opt_map(p, at, target, args, false)?,
        ("optFlatMap", 2) if set.opt_flat_map => opt_map(p, at, target, args, true)?,
        ("sortBy", 2) if set.sort_by => sort_by(p, at, target, args)?,
        _ => return Ok(None),
    };
    Ok(Some(e))
}

fn has(p: &mut Parser, at: usize, arg: &Expr) -> Result<Expr, SyntaxError> {
    match &arg.kind {
        Kind::Select { operand, field, test: false } => {
            Ok(p.node(at, Kind::Select { operand: operand.clone(), field: field.clone(), test: true }))
        }
        _ => Err(p.error("invalid argument to has() macro: it takes a field selection, e.g. `has(self.field)`", arg.offset)),
    }
}

fn var_name(p: &Parser, e: &Expr, macro_name: &str) -> Result<String, SyntaxError> {
    match &e.kind {
        Kind::Ident(n) if n != ACCUMULATOR => Ok(n.clone()),
        _ => Err(p.error(format!("the variable of `{macro_name}` must be a simple name"), e.offset)),
    }
}

fn ident(p: &mut Parser, at: usize, name: &str) -> Expr {
    p.node(at, Kind::Ident(name.to_string()))
}
fn lit(p: &mut Parser, at: usize, l: Literal) -> Expr {
    p.node(at, Kind::Literal(l))
}
fn list_of(p: &mut Parser, at: usize, elements: Vec<Expr>) -> Expr {
    let optional = vec![false; elements.len()];
    p.node(at, Kind::List { elements, optional })
}

/// Copies a subtree with fresh ids (a macro that uses its target twice).
fn copy(p: &mut Parser, e: &Expr) -> Expr {
    let mut out = e.clone();
    renumber(p, &mut out);
    out
}
fn renumber(p: &mut Parser, e: &mut Expr) {
    e.id = p.next_id;
    p.next_id += 1;
    match &mut e.kind {
        Kind::Literal(_) | Kind::Ident(_) => {}
        Kind::Select { operand, .. } => renumber(p, operand),
        Kind::Call { target, args, .. } => {
            if let Some(t) = target {
                renumber(p, t);
            }
            args.iter_mut().for_each(|a| renumber(p, a));
        }
        Kind::List { elements, .. } => elements.iter_mut().for_each(|a| renumber(p, a)),
        Kind::Map { entries } => entries.iter_mut().for_each(|en| {
            renumber(p, &mut en.key);
            renumber(p, &mut en.value);
        }),
        Kind::Struct { fields, .. } => fields.iter_mut().for_each(|(_, v)| renumber(p, v)),
        Kind::Comprehension(c) => {
            for x in [&mut c.iter_range, &mut c.accu_init, &mut c.loop_cond, &mut c.loop_step, &mut c.result] {
                renumber(p, x);
            }
        }
    }
}

struct Loop {
    iter_var: String,
    iter_var2: Option<String>,
    init: Expr,
    cond: Expr,
    step: Expr,
    result: Expr,
}

fn comprehension(p: &mut Parser, at: usize, range: Expr, l: Loop) -> Expr {
    let c = Comprehension {
        iter_var: l.iter_var,
        iter_var2: l.iter_var2,
        iter_range: range,
        accu_var: ACCUMULATOR.to_string(),
        accu_init: l.init,
        loop_cond: l.cond,
        loop_step: l.step,
        result: l.result,
    };
    p.node(at, Kind::Comprehension(Box::new(c)))
}

/// The loop parts shared by `all`/`exists`/`exists_one` (one or two variables).
fn quantifier(p: &mut Parser, at: usize, kind: &str, pred: Expr) -> (Expr, Expr, Expr, Expr) {
    let acc = ident(p, at, ACCUMULATOR);
    match kind {
        "all" => {
            let init = lit(p, at, Literal::Bool(true));
            let a = ident(p, at, ACCUMULATOR);
            let cond = p.call(at, "@not_strictly_false", vec![a]);
            let step = p.call(at, "_&&_", vec![acc, pred]);
            let result = ident(p, at, ACCUMULATOR);
            (init, cond, step, result)
        }
        "exists" => {
            let init = lit(p, at, Literal::Bool(false));
            let a = ident(p, at, ACCUMULATOR);
            let not = p.call(at, "!_", vec![a]);
            let cond = p.call(at, "@not_strictly_false", vec![not]);
            let step = p.call(at, "_||_", vec![acc, pred]);
            let result = ident(p, at, ACCUMULATOR);
            (init, cond, step, result)
        }
        _ => {
            let init = lit(p, at, Literal::Int(0));
            let cond = lit(p, at, Literal::Bool(true));
            let one = lit(p, at, Literal::Int(1));
            let plus = p.call(at, "_+_", vec![acc, one]);
            let same = ident(p, at, ACCUMULATOR);
            let step = p.call(at, "_?_:_", vec![pred, plus, same]);
            let a = ident(p, at, ACCUMULATOR);
            let one = lit(p, at, Literal::Int(1));
            let result = p.call(at, "_==_", vec![a, one]);
            (init, cond, step, result)
        }
    }
}

/// `@result + [elem]`, optionally under `filter ? ... : @result`.
fn append_step(p: &mut Parser, at: usize, elem: Expr, filter: Option<Expr>) -> Expr {
    let acc = ident(p, at, ACCUMULATOR);
    let one = list_of(p, at, vec![elem]);
    let add = p.call(at, "_+_", vec![acc, one]);
    guarded(p, at, add, filter)
}

fn guarded(p: &mut Parser, at: usize, step: Expr, filter: Option<Expr>) -> Expr {
    match filter {
        Some(f) => {
            let acc = ident(p, at, ACCUMULATOR);
            p.call(at, "_?_:_", vec![f, step, acc])
        }
        None => step,
    }
}

fn one_var(p: &mut Parser, at: usize, target: Expr, function: &str, args: &[Expr]) -> Result<Expr, SyntaxError> {
    let v = var_name(p, &args[0], function)?;
    let (init, cond, step, result) = match function {
        "map" | "filter" => {
            let init = list_of(p, at, Vec::new());
            let cond = lit(p, at, Literal::Bool(true));
            let step = match (function, args.len()) {
                ("map", 2) => append_step(p, at, args[1].clone(), None),
                ("map", _) => append_step(p, at, args[2].clone(), Some(args[1].clone())),
                _ => {
                    let x = ident(p, at, &v);
                    append_step(p, at, x, Some(args[1].clone()))
                }
            };
            let result = ident(p, at, ACCUMULATOR);
            (init, cond, step, result)
        }
        kind => quantifier(p, at, kind, args[1].clone()),
    };
    Ok(comprehension(p, at, target, Loop { iter_var: v, iter_var2: None, init, cond, step, result }))
}

fn two_var(p: &mut Parser, at: usize, target: Expr, function: &str, args: &[Expr]) -> Result<Expr, SyntaxError> {
    let k = var_name(p, &args[0], function)?;
    let v = var_name(p, &args[1], function)?;
    if k == v {
        return Err(p.error(format!("`{function}` needs two different variable names"), args[1].offset));
    }
    let filter = (args.len() == 4).then(|| args[2].clone());
    let last = args[args.len() - 1].clone();
    let (init, cond, step, result) = match function {
        "transformList" => {
            let init = list_of(p, at, Vec::new());
            let cond = lit(p, at, Literal::Bool(true));
            let step = append_step(p, at, last, filter);
            (init, cond, step, ident(p, at, ACCUMULATOR))
        }
        "transformMap" | "transformMapEntry" => {
            let init = p.node(at, Kind::Map { entries: Vec::new() });
            let cond = lit(p, at, Literal::Bool(true));
            let acc = ident(p, at, ACCUMULATOR);
            let insert = if function == "transformMap" {
                let key = ident(p, at, &k);
                p.call(at, "cel.@mapInsert", vec![acc, key, last])
            } else {
                p.call(at, "cel.@mapInsert", vec![acc, last])
            };
            let step = guarded(p, at, insert, filter);
            (init, cond, step, ident(p, at, ACCUMULATOR))
        }
        "existsOne" => quantifier(p, at, "exists_one", last),
        kind => quantifier(p, at, kind, last),
    };
    Ok(comprehension(p, at, target, Loop { iter_var: k, iter_var2: Some(v), init, cond, step, result }))
}

/// `cel.bind`-shaped comprehension: `var` bound to `init` in `result`.
fn bind(p: &mut Parser, at: usize, var: &str, init: Expr, result: Expr) -> Expr {
    let range = list_of(p, at, Vec::new());
    let cond = lit(p, at, Literal::Bool(false));
    let step = ident(p, at, var);
    let c = Comprehension {
        iter_var: "#unused".into(),
        iter_var2: None,
        iter_range: range,
        accu_var: var.to_string(),
        accu_init: init,
        loop_cond: cond,
        loop_step: step,
        result,
    };
    p.node(at, Kind::Comprehension(Box::new(c)))
}

fn opt_map(p: &mut Parser, at: usize, target: Expr, args: &[Expr], flat: bool) -> Result<Expr, SyntaxError> {
    let name = if flat { "optFlatMap" } else { "optMap" };
    let v = var_name(p, &args[0], name)?;
    let t2 = copy(p, &target);
    let has_value = p.node(at, Kind::Call { target: Some(Box::new(target)), function: "hasValue".into(), args: Vec::new() });
    let value = p.node(at, Kind::Call { target: Some(Box::new(t2)), function: "value".into(), args: Vec::new() });
    let bound = bind(p, at, &v, value, args[1].clone());
    let then = if flat { bound } else { p.call(at, "optional.of", vec![bound]) };
    let none = p.call(at, "optional.none", Vec::new());
    Ok(p.call(at, "_?_:_", vec![has_value, then, none]))
}

fn sort_by(p: &mut Parser, at: usize, target: Expr, args: &[Expr]) -> Result<Expr, SyntaxError> {
    if !matches!(target.kind, Kind::List { .. } | Kind::Select { .. } | Kind::Ident(_) | Kind::Comprehension(_) | Kind::Call { .. }) {
        return Err(p.error("sortBy can only be applied to a list, identifier, comprehension, call or select expression", target.offset));
    }
    const INPUT: &str = "@__sortBy_input__";
    let input = ident(p, at, INPUT);
    let keys = one_var(p, at, input, "map", args)?;
    let input2 = ident(p, at, INPUT);
    let sorted = p.node(at, Kind::Call { target: Some(Box::new(input2)), function: "@sortByAssociatedKeys".into(), args: vec![keys] });
    Ok(bind(p, at, INPUT, target, sorted))
}
