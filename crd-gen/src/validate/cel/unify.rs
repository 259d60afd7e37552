//! Type assignability and type-variable substitution as cel-go's checker does them
//! (`checker/types.go`: `internalIsAssignable`, `isValidTypeSubstitution`, `mostGeneral`,
//! `substitute`). `t1` is the type at hand, `t2` the type wanted (an overload's parameter).

use super::types::Type;

/// Type variables: `Param(i)` stands for `vars[i]` once bound.
pub type Vars = Vec<Option<Type>>;

pub fn assignable(m: &mut Vars, t1: &Type, t2: &Type) -> bool {
    if t1 == t2 {
        return true;
    }
    if let Type::Param(p2) = t2 {
        let (valid, has_sub) = valid_substitution(m, t1, *p2);
        if valid {
            return true;
        }
        if has_sub {
            return false;
        }
    }
    if let Type::Param(p1) = t1 {
        return valid_substitution(m, t2, *p1).0;
    }
    if t1.is_dyn_or_error() || t2.is_dyn_or_error() {
        return true;
    }
    if matches!(t1, Type::Null) {
        return nullable(t2);
    }
    if matches!(t2, Type::Null) {
        return nullable(t1);
    }
    match t1 {
        Type::TypeOf(_) => matches!(t2, Type::TypeOf(_)),
        Type::Opaque(_) | Type::List(_) | Type::Map(..) | Type::Optional(_) => {
            t1.kind_name() == t2.kind_name() && {
                let (a, b) = (t1.params(), t2.params());
                a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| assignable(m, x, y))
            }
        }
        _ => false,
    }
}

/// `null` may stand where cel-go allows it: messages (the schema's objects), timestamps,
/// durations and `dyn`.
fn nullable(t: &Type) -> bool {
    matches!(t, Type::Null | Type::Object(_) | Type::Timestamp | Type::Duration | Type::Dyn)
}

fn valid_substitution(m: &mut Vars, t: &Type, p: usize) -> (bool, bool) {
    if matches!(t, Type::Param(q) if *q == p) {
        return (true, true);
    }
    if let Some(sub) = m[p].clone() {
        if *t == sub {
            return (true, true);
        }
        if assignable(m, t, &sub) {
            let general = most_general(t, &sub);
            if !occurs(m, p, &general) {
                m[p] = Some(general);
            }
            return (true, true);
        }
        return (false, true);
    }
    if !occurs(m, p, t) {
        m[p] = Some(t.clone());
        return (true, false);
    }
    (false, false)
}

/// Whether variable `p` occurs in `t` (following bindings).
fn occurs(m: &Vars, p: usize, t: &Type) -> bool {
    match t {
        Type::Param(q) if *q == p => true,
        Type::Param(q) => m[*q].as_ref().is_some_and(|s| occurs(m, p, s)),
        other => other.params().into_iter().any(|x| occurs(m, p, x)),
    }
}

pub fn most_general(a: &Type, b: &Type) -> Type {
    if less_specific(a, b) { a.clone() } else { b.clone() }
}

fn less_specific(a: &Type, b: &Type) -> bool {
    if matches!(a, Type::Dyn | Type::Param(_)) {
        return true;
    }
    if matches!(b, Type::Dyn | Type::Param(_)) {
        return false;
    }
    match (a, b) {
        (Type::List(_), Type::List(_)) | (Type::Map(..), Type::Map(..)) | (Type::Optional(_), Type::Optional(_)) => {
            a.params().iter().zip(b.params()).all(|(x, y)| less_specific(x, y))
        }
        (Type::TypeOf(_), Type::TypeOf(_)) => true,
        _ => a == b,
    }
}

/// `t` with bound variables replaced; unbound ones stay, or become `dyn` when `finish`.
pub fn substitute(m: &Vars, t: &Type, finish: bool) -> Type {
    match t {
        Type::Param(p) => match &m[*p] {
            Some(s) => substitute(m, s, finish),
            None if finish => Type::Dyn,
            None => t.clone(),
        },
        Type::List(e) => Type::list(substitute(m, e, finish)),
        Type::Optional(e) => Type::optional(substitute(m, e, finish)),
        Type::TypeOf(e) => Type::TypeOf(Box::new(substitute(m, e, finish))),
        Type::Map(k, v) => Type::map(substitute(m, k, finish), substitute(m, v, finish)),
        other => other.clone(),
    }
}
