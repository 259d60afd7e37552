//! The CEL syntax tree, after macro expansion, shaped as cel-go's (`common/ast`): selections,
//! calls (operators are calls named `_+_`, `!_`, `@in`, ...), list and map literals and
//! comprehensions. Every node has an id (for the checker's and the estimator's side tables) and
//! the byte offset where it starts in the rule (for messages).

pub type Id = usize;

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Double(f64),
    String(String),
    Bytes(Vec<u8>),
    Null,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub id: Id,
    pub offset: usize,
    pub kind: Kind,
}

#[derive(Clone, Debug)]
pub enum Kind {
    Literal(Literal),
    Ident(String),
    /// `operand.field`; `test` for `has(operand.field)`.
    Select {
        operand: Box<Expr>,
        field: String,
        test: bool,
    },
    /// `target.function(args)` or `function(args)`.
    Call {
        target: Option<Box<Expr>>,
        function: String,
        args: Vec<Expr>,
    },
    /// `[a, ?b]`: `optional[i]` marks `?` elements.
    List {
        elements: Vec<Expr>,
        optional: Vec<bool>,
    },
    Map {
        entries: Vec<MapEntry>,
    },
    /// `Name{field: value}`: message construction.
    Struct {
        name: String,
        fields: Vec<(String, Expr)>,
    },
    Comprehension(Box<Comprehension>),
}

#[derive(Clone, Debug)]
pub struct MapEntry {
    pub key: Expr,
    pub value: Expr,
    pub optional: bool,
}

/// cel-go's comprehension: `for iter_var(, iter_var2) in iter_range { accu = loop_step while
/// loop_cond }; result`.
#[derive(Clone, Debug)]
pub struct Comprehension {
    pub iter_var: String,
    pub iter_var2: Option<String>,
    pub iter_range: Expr,
    pub accu_var: String,
    pub accu_init: Expr,
    pub loop_cond: Expr,
    pub loop_step: Expr,
    pub result: Expr,
}

/// The accumulator cel-go's macros use (`parser.AccumulatorName`).
pub const ACCUMULATOR: &str = "@result";

impl Expr {
    pub fn call_name(&self) -> Option<&str> {
        match &self.kind {
            Kind::Call { function, .. } => Some(function),
            _ => None,
        }
    }
    /// `a.b.c` as a dotted name, when the expression is only identifiers and selections.
    pub fn qualified_name(&self) -> Option<String> {
        match &self.kind {
            Kind::Ident(n) => Some(n.clone()),
            Kind::Select { operand, field, test: false } => operand.qualified_name().map(|p| format!("{p}.{field}")),
            _ => None,
        }
    }
    /// Visits this node and every node below it.
    pub fn walk<'e>(&'e self, f: &mut impl FnMut(&'e Expr)) {
        f(self);
        match &self.kind {
            Kind::Literal(_) | Kind::Ident(_) => {}
            Kind::Select { operand, .. } => operand.walk(f),
            Kind::Call { target, args, .. } => {
                if let Some(t) = target {
                    t.walk(f);
                }
                args.iter().for_each(|a| a.walk(f));
            }
            Kind::List { elements, .. } => elements.iter().for_each(|e| e.walk(f)),
            Kind::Map { entries } => entries.iter().for_each(|e| {
                e.key.walk(f);
                e.value.walk(f);
            }),
            Kind::Struct { fields, .. } => fields.iter().for_each(|(_, v)| v.walk(f)),
            Kind::Comprehension(c) => {
                for e in [&c.iter_range, &c.accu_init, &c.loop_cond, &c.loop_step, &c.result] {
                    e.walk(f);
                }
            }
        }
    }
}
