//! Whether a rule uses `self`/`oldSelf` as a whole value or only to select its fields: a rule of
//! a `#[serde(flatten)]`ed struct can move onto the parent object only in the second case.

use super::ast::{Expr, Kind};
use super::macros::MacroSet;
use super::parse::{self, Syntax};

/// The first `self` or `oldSelf` of `rule` used other than to select one of its fields, or
/// `Ok(None)` when there is none. `Err` when the rule does not parse (the validator reports it).
pub fn whole_value_use(rule: &str) -> Result<Option<String>, String> {
    let syntax = Syntax { optional: true, macros: MacroSet::all() };
    let (expr, _) = parse::parse(rule, syntax).map_err(|e| e.message)?;
    Ok(first_whole_use(&expr))
}

fn is_root_var(e: &Expr) -> bool {
    matches!(&e.kind, Kind::Ident(n) if n == "self" || n == "oldSelf")
}

fn first_whole_use(e: &Expr) -> Option<String> {
    match &e.kind {
        Kind::Ident(n) if is_root_var(e) => Some(n.clone()),
        Kind::Select { operand, .. } if is_root_var(operand) => None,
        Kind::Select { operand, .. } => first_whole_use(operand),
        // `self.?field`: an optional field selection.
        Kind::Call { function, args, .. } if function == "_?._" && args.first().is_some_and(is_root_var) => None,
        Kind::Call { target, args, .. } => target.iter().map(|t| &**t).chain(args).find_map(first_whole_use),
        Kind::Comprehension(c) => {
            [&c.iter_range, &c.accu_init, &c.loop_cond, &c.loop_step, &c.result].into_iter().find_map(first_whole_use)
        }
        Kind::List { elements, .. } => elements.iter().find_map(first_whole_use),
        Kind::Map { entries } => entries.iter().find_map(|m| first_whole_use(&m.key).or_else(|| first_whole_use(&m.value))),
        Kind::Struct { fields, .. } => fields.iter().find_map(|(_, v)| first_whole_use(v)),
        Kind::Literal(_) | Kind::Ident(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::whole_value_use;

    #[test]
    fn field_selection_is_not_a_whole_use() {
        assert_eq!(whole_value_use("self.a < self.b && has(self.c)").unwrap(), None);
        assert_eq!(whole_value_use("self.?a.orValue('') != ''").unwrap(), None);
        assert_eq!(whole_value_use("self.items.all(i, i.size() > 0)").unwrap(), None);
        assert_eq!(whole_value_use("self == oldSelf").unwrap().as_deref(), Some("self"));
        assert_eq!(whole_value_use("size(self) > 1").unwrap().as_deref(), Some("self"));
        assert_eq!(whole_value_use("self.all(k, k != '')").unwrap().as_deref(), Some("self"));
        assert_eq!(whole_value_use("oldSelf.a == self.a").unwrap(), None);
        assert!(whole_value_use("self.(").is_err());
    }
}
