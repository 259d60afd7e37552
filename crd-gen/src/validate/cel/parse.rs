//! A recursive-descent parser for CEL (cel-spec `doc/langdef.md` grammar, with cel-go's
//! precedence and its optional-value syntax `a.?b`, `a[?i]`, `[?x]`, `{?k: v}`), producing the
//! tree of [`super::ast`] with macros expanded (`super::macros`).
//!
//! ```text
//! Expr    = ConditionalOr ["?" ConditionalOr ":" Expr]
//! ConditionalOr  = ConditionalAnd {"||" ConditionalAnd}
//! ConditionalAnd = Relation {"&&" Relation}
//! Relation = Addition {("<"|"<="|">="|">"|"=="|"!="|"in") Addition}
//! Addition = Multiplication {("+"|"-") Multiplication}
//! Multiplication = Unary {("*"|"/"|"%") Unary}
//! Unary   = Member | "!" {"!"} Member | "-" {"-"} Member
//! Member  = Primary {"." ["?"] IDENT ["(" [ExprList] ")"] | "[" ["?"] Expr "]"}
//! Primary = ["."] IDENT ["(" [ExprList] ")"] | ["."] IDENT {"." IDENT} "{" [FieldInits] "}"
//!         | "(" Expr ")" | "[" [ListElems] [","] "]" | "{" [MapInits] [","] "}" | LITERAL
//! ```

use super::ast::{Expr, Id, Kind, Literal, MapEntry};
use super::lex::{self, Tok, Token};
use super::macros::{self, MacroSet};

/// What the target environment's parser accepts beyond the base grammar.
#[derive(Clone, Copy, Debug)]
pub struct Syntax {
    /// cel-go's optional syntax (`cel.OptionalTypes()`).
    pub optional: bool,
    pub macros: MacroSet,
}

/// A syntax error: message and byte offset.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub offset: usize,
}

/// Parses `src`; the tree's ids are dense from 1, so side tables can be vectors.
pub fn parse(src: &str, syntax: Syntax) -> Result<(Expr, usize), SyntaxError> {
    let toks = lex::tokens(src).map_err(|(message, offset)| SyntaxError { message, offset })?;
    let mut p = Parser { toks, pos: 0, next_id: 1, syntax, depth: 0 };
    let e = p.expr()?;
    if p.peek() != &Tok::End {
        return Err(p.unexpected("an operator or the end of the rule"));
    }
    Ok((e, p.next_id))
}

/// cel-go refuses expressions nested deeper than this (`parser.MaxRecursionDepth`'s default).
const MAX_DEPTH: usize = 250;

pub struct Parser {
    toks: Vec<Token>,
    pos: usize,
    pub next_id: Id,
    syntax: Syntax,
    depth: usize,
}

type R<T> = Result<T, SyntaxError>;

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].tok
    }
    fn offset(&self) -> usize {
        self.toks[self.pos].offset
    }
    fn bump(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if t.tok != Tok::End {
            self.pos += 1;
        }
        t
    }
    fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Tok::P(q) if *q == p) {
            self.pos += 1;
            return true;
        }
        false
    }
    fn expect(&mut self, p: &str) -> R<()> {
        if self.eat(p) { Ok(()) } else { Err(self.unexpected(&format!("`{p}`"))) }
    }
    pub fn error(&self, message: impl Into<String>, offset: usize) -> SyntaxError {
        SyntaxError { message: message.into(), offset }
    }
    fn unexpected(&self, wanted: &str) -> SyntaxError {
        let found = match self.peek() {
            Tok::End => "the end of the rule".to_string(),
            Tok::P(p) => format!("`{p}`"),
            Tok::Ident(i) => format!("`{i}`"),
            Tok::Lit(_) => "a literal".to_string(),
        };
        self.error(format!("expected {wanted}, found {found}"), self.offset())
    }

    pub fn node(&mut self, offset: usize, kind: Kind) -> Expr {
        let id = self.next_id;
        self.next_id += 1;
        Expr { id, offset, kind }
    }
    pub fn call(&mut self, offset: usize, function: &str, args: Vec<Expr>) -> Expr {
        self.node(offset, Kind::Call { target: None, function: function.to_string(), args })
    }

    fn expr(&mut self) -> R<Expr> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("expression is nested too deeply", self.offset()));
        }
        let at = self.offset();
        let cond = self.or()?;
        let e = if self.eat("?") {
            let then = self.or()?;
            self.expect(":")?;
            let otherwise = self.expr()?;
            self.call(at, "_?_:_", vec![cond, then, otherwise])
        } else {
            cond
        };
        self.depth -= 1;
        Ok(e)
    }

    fn binary(&mut self, ops: &[(&str, &str)], next: fn(&mut Self) -> R<Expr>) -> R<Expr> {
        let mut lhs = next(self)?;
        loop {
            let Some((_, function)) = ops.iter().find(|(p, _)| matches!(self.peek(), Tok::P(q) if q == p)) else { return Ok(lhs) };
            let at = self.offset();
            self.bump();
            let rhs = next(self)?;
            lhs = self.call(at, function, vec![lhs, rhs]);
        }
    }
    fn or(&mut self) -> R<Expr> {
        self.binary(&[("||", "_||_")], Self::and)
    }
    fn and(&mut self) -> R<Expr> {
        self.binary(&[("&&", "_&&_")], Self::relation)
    }
    fn relation(&mut self) -> R<Expr> {
        const OPS: &[(&str, &str)] =
            &[("<=", "_<=_"), (">=", "_>=_"), ("<", "_<_"), (">", "_>_"), ("==", "_==_"), ("!=", "_!=_"), ("in", "@in")];
        self.binary(OPS, Self::addition)
    }
    fn addition(&mut self) -> R<Expr> {
        self.binary(&[("+", "_+_"), ("-", "_-_")], Self::multiplication)
    }
    fn multiplication(&mut self) -> R<Expr> {
        self.binary(&[("*", "_*_"), ("/", "_/_"), ("%", "_%_")], Self::unary)
    }

    /// cel-go folds repeated `!` and `-`: an even count cancels out.
    fn unary(&mut self) -> R<Expr> {
        let at = self.offset();
        for (op, function) in [("!", "!_"), ("-", "-_")] {
            let mut count = 0;
            while self.eat(op) {
                count += 1;
            }
            if count == 0 {
                continue;
            }
            if op == "-" && count == 1 && matches!(self.peek(), Tok::Lit(Literal::Int(_) | Literal::Double(_))) {
                return self.negative_literal(at);
            }
            let operand = self.member()?;
            return Ok(if count % 2 == 1 { self.call(at, function, vec![operand]) } else { operand });
        }
        self.member()
    }

    /// `-1` and `-1.5` are literals in CEL's grammar (which is what allows `-9223372036854775808`).
    fn negative_literal(&mut self, at: usize) -> R<Expr> {
        let lit = match self.bump().tok {
            Tok::Lit(Literal::Int(v)) => Literal::Int(v.wrapping_neg()),
            Tok::Lit(Literal::Double(v)) => Literal::Double(-v),
            _ => unreachable!("checked by the caller"),
        };
        let e = self.node(at, Kind::Literal(lit));
        self.member_suffixes(e)
    }

    fn member(&mut self) -> R<Expr> {
        let e = self.primary()?;
        self.member_suffixes(e)
    }

    fn member_suffixes(&mut self, mut e: Expr) -> R<Expr> {
        loop {
            let at = self.offset();
            if self.eat(".") {
                let optional = self.optional_marker(".?")?;
                let field = self.ident()?;
                if self.eat("(") {
                    if optional {
                        return Err(self.error("`.?` cannot call a function", at));
                    }
                    let args = self.args(")")?;
                    e = self.member_call(at, e, field, args)?;
                } else if optional {
                    let name = self.node(at, Kind::Literal(Literal::String(field)));
                    e = self.call(at, "_?._", vec![e, name]);
                } else {
                    e = self.node(at, Kind::Select { operand: Box::new(e), field, test: false });
                }
            } else if self.eat("[") {
                let optional = self.optional_marker("[?")?;
                let index = self.expr()?;
                self.expect("]")?;
                e = self.call(at, if optional { "_[?_]" } else { "_[_]" }, vec![e, index]);
            } else {
                return Ok(e);
            }
        }
    }

    /// A `?` after `.` or `[`: allowed only with the optional syntax.
    fn optional_marker(&mut self, what: &str) -> R<bool> {
        let at = self.offset();
        if !self.eat("?") {
            return Ok(false);
        }
        if !self.syntax.optional {
            return Err(self.error(format!("unsupported syntax `{what}`: optional values need Kubernetes 1.29"), at));
        }
        Ok(true)
    }

    fn ident(&mut self) -> R<String> {
        match self.peek().clone() {
            Tok::Ident(i) => {
                self.bump();
                Ok(i)
            }
            _ => Err(self.unexpected("a field name")),
        }
    }

    fn args(&mut self, close: &str) -> R<Vec<Expr>> {
        let mut out = Vec::new();
        if self.eat(close) {
            return Ok(out);
        }
        loop {
            out.push(self.expr()?);
            if self.eat(close) {
                return Ok(out);
            }
            self.expect(",")?;
        }
    }

    fn member_call(&mut self, at: usize, target: Expr, function: String, args: Vec<Expr>) -> R<Expr> {
        if let Some(e) = macros::expand(self, at, Some(target.clone()), &function, &args, self.syntax.macros)? {
            return Ok(e);
        }
        Ok(self.node(at, Kind::Call { target: Some(Box::new(target)), function, args }))
    }

    fn primary(&mut self) -> R<Expr> {
        let at = self.offset();
        let t = self.bump();
        match t.tok {
            Tok::Lit(Literal::Int(i64::MIN)) => Err(self.error("int literal is out of range", at)),
            Tok::Lit(l) => Ok(self.node(at, Kind::Literal(l))),
            Tok::P("(") => {
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::P("[") => self.list(at),
            Tok::P("{") => self.map(at),
            Tok::P(".") => {
                let name = self.ident()?;
                self.ident_primary(at, format!(".{name}"))
            }
            Tok::Ident(name) => self.ident_primary(at, name),
            Tok::End => Err(self.unexpected("an expression")),
            _ => {
                self.pos -= 1;
                Err(self.unexpected("an expression"))
            }
        }
    }

    fn ident_primary(&mut self, at: usize, name: String) -> R<Expr> {
        if self.eat("(") {
            let args = self.args(")")?;
            if let Some(e) = macros::expand(self, at, None, &name, &args, self.syntax.macros)? {
                return Ok(e);
            }
            return Ok(self.node(at, Kind::Call { target: None, function: name, args }));
        }
        if matches!(self.peek(), Tok::P("{")) {
            self.bump();
            return self.struct_literal(at, name);
        }
        Ok(self.node(at, Kind::Ident(name)))
    }

    fn list(&mut self, at: usize) -> R<Expr> {
        let (mut elements, mut optional) = (Vec::new(), Vec::new());
        while !self.eat("]") {
            let q = self.offset();
            let opt = self.eat("?");
            if opt && !self.syntax.optional {
                return Err(self.error("unsupported syntax `?`: optional list elements need Kubernetes 1.29", q));
            }
            optional.push(opt);
            elements.push(self.expr()?);
            if !self.eat(",") {
                self.expect("]")?;
                break;
            }
        }
        Ok(self.node(at, Kind::List { elements, optional }))
    }

    fn map(&mut self, at: usize) -> R<Expr> {
        let mut entries = Vec::new();
        while !self.eat("}") {
            let q = self.offset();
            let optional = self.eat("?");
            if optional && !self.syntax.optional {
                return Err(self.error("unsupported syntax `?`: optional map entries need Kubernetes 1.29", q));
            }
            let key = self.expr()?;
            self.expect(":")?;
            let value = self.expr()?;
            entries.push(MapEntry { key, value, optional });
            if !self.eat(",") {
                self.expect("}")?;
                break;
            }
        }
        Ok(self.node(at, Kind::Map { entries }))
    }

    fn struct_literal(&mut self, at: usize, name: String) -> R<Expr> {
        let mut fields = Vec::new();
        while !self.eat("}") {
            self.eat("?");
            let field = self.ident()?;
            self.expect(":")?;
            fields.push((field, self.expr()?));
            if !self.eat(",") {
                self.expect("}")?;
                break;
            }
        }
        Ok(self.node(at, Kind::Struct { name, fields }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax() -> Syntax {
        Syntax { optional: true, macros: MacroSet::all() }
    }

    fn show(e: &Expr) -> String {
        match &e.kind {
            Kind::Literal(l) => format!("{l:?}"),
            Kind::Ident(i) => i.clone(),
            Kind::Select { operand, field, test } => format!("{}{}.{field}", if *test { "has:" } else { "" }, show(operand)),
            Kind::Call { target, function, args } => {
                let args: Vec<String> = args.iter().map(show).collect();
                match target {
                    Some(t) => format!("{}.{function}({})", show(t), args.join(", ")),
                    None => format!("{function}({})", args.join(", ")),
                }
            }
            Kind::List { elements, .. } => format!("[{}]", elements.iter().map(show).collect::<Vec<_>>().join(", ")),
            Kind::Map { entries } => format!("{{{}}}", entries.len()),
            Kind::Struct { name, .. } => format!("{name}{{}}"),
            Kind::Comprehension(c) => format!("for {} in {}", c.iter_var, show(&c.iter_range)),
        }
    }

    fn p(src: &str) -> String {
        show(&parse(src, syntax()).unwrap().0)
    }

    #[test]
    fn precedence_as_cel_go() {
        assert_eq!(p("a || b && c"), "_||_(a, _&&_(b, c))");
        assert_eq!(p("a + b * c == d"), "_==_(_+_(a, _*_(b, c)), d)");
        assert_eq!(p("a ? b : c ? d : e"), "_?_:_(a, b, _?_:_(c, d, e))");
        assert_eq!(p("1 < 2 == true"), "_==_(_<_(Int(1), Int(2)), Bool(true))");
        assert_eq!(p("!!a"), "a");
        assert_eq!(p("-a.b"), "-_(a.b)");
        assert_eq!(p("-1"), "Int(-1)");
        assert_eq!(p("x in [1, 2]"), "@in(x, [Int(1), Int(2)])");
        assert_eq!(p("self.?a.b"), "_?._(self, String(\"a\")).b");
        assert_eq!(p("m[?'k']"), "_[?_](m, String(\"k\"))");
        assert_eq!(p("has(self.a)"), "has:self.a");
        assert_eq!(p("self.items.all(i, i > 0)"), "for i in self.items");
    }

    #[test]
    fn literals_and_escapes() {
        assert_eq!(p(r#"'a\n\x41\u00e9\101'"#), "String(\"a\\nAéA\")");
        assert_eq!(p(r"r'a\n'"), "String(\"a\\\\n\")");
        assert_eq!(p("b'\\xff'"), "Bytes([255])");
        assert_eq!(p("'''a\nb'''"), "String(\"a\\nb\")");
        assert_eq!(p("0x1F"), "Int(31)");
        assert_eq!(p("7u"), "Uint(7)");
        assert_eq!(p("1e3"), "Double(1000.0)");
        assert_eq!(p("-9223372036854775808"), "Int(-9223372036854775808)");
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = parse("self.replicas >", syntax()).unwrap_err();
        assert_eq!(e.message, "expected an expression, found the end of the rule");
        assert_eq!(e.offset, 15);
        assert!(parse("9223372036854775808", syntax()).is_err());
        assert!(parse("'a\nb'", syntax()).unwrap_err().message.contains("triple quotes"));
        assert!(parse("self.if", syntax()).unwrap_err().message.contains("reserved"));
        let no_opt = Syntax { optional: false, macros: MacroSet::all() };
        assert!(parse("self.?a", no_opt).unwrap_err().message.contains("unsupported syntax `.?`"));
    }
}
