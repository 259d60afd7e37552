//! CEL's tokens, as the language definition (cel-spec `doc/langdef.md`, "Syntax") lexes them:
//! decimal and hex integers, `u` unsigned suffixes, floats with fractions or exponents, quoted
//! strings in four quote styles with `r` (raw) and `b` (bytes) prefixes and their escapes,
//! identifiers, reserved words, punctuation, and `//` comments.

use super::ast::Literal;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Lit(Literal),
    Ident(String),
    /// Punctuation and operators (`&&`, `.`, `[`, `?`, ...) and the words `in`.
    P(&'static str),
    End,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub offset: usize,
}

/// Words CEL reserves: no identifier may be spelled so.
pub const RESERVED_WORDS: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

const PUNCT: &[&str] =
    &["&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}"];

/// A lexing error: what and where (byte offset).
pub type LexError = (String, usize);

pub fn tokens(src: &str) -> Result<Vec<Token>, LexError> {
    let mut lx = Lexer { src, pos: 0, out: Vec::new() };
    lx.run()?;
    Ok(lx.out)
}

struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }
    fn push(&mut self, tok: Tok, offset: usize) {
        self.out.push(Token { tok, offset });
    }

    fn run(&mut self) -> Result<(), LexError> {
        while let Some(c) = self.peek() {
            let start = self.pos;
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else if self.rest().starts_with("//") {
                self.pos = self.rest().find('\n').map_or(self.src.len(), |n| self.pos + n);
            } else if c.is_ascii_digit() || (c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit())) {
                let lit = self.number()?;
                self.push(Tok::Lit(lit), start);
            } else if let Some((raw, bytes, skip)) = self.string_prefix() {
                self.pos += skip;
                let lit = self.string(raw, bytes, start)?;
                self.push(Tok::Lit(lit), start);
            } else if c.is_ascii_alphabetic() || c == '_' {
                let word = self.word();
                let tok = match word {
                    "true" => Tok::Lit(Literal::Bool(true)),
                    "false" => Tok::Lit(Literal::Bool(false)),
                    "null" => Tok::Lit(Literal::Null),
                    "in" => Tok::P("in"),
                    w if RESERVED_WORDS.contains(&w) => return Err((format!("`{w}` is a reserved word in CEL"), start)),
                    w => Tok::Ident(w.to_string()),
                };
                self.push(tok, start);
            } else if let Some(p) = PUNCT.iter().find(|p| self.rest().starts_with(**p)) {
                self.pos += p.len();
                self.push(Tok::P(p), start);
            } else if c == '`' {
                return Err(("backquoted identifiers are not enabled in the API server's CEL".into(), start));
            } else {
                return Err((format!("unexpected character `{c}`"), start));
            }
        }
        let end = self.src.len();
        self.push(Tok::End, end);
        Ok(())
    }

    fn word(&mut self) -> &str {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        &self.src[start..self.pos]
    }

    fn digits(&mut self, radix: u32) -> &str {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_digit(radix)) {
            self.pos += 1;
        }
        &self.src[start..self.pos]
    }

    fn number(&mut self) -> Result<Literal, LexError> {
        let start = self.pos;
        if self.rest().starts_with("0x") || self.rest().starts_with("0X") {
            self.pos += 2;
            let hex = self.digits(16).to_string();
            if hex.is_empty() {
                return Err(("a hex literal needs digits after `0x`".into(), start));
            }
            return self.integer(&hex, 16, start);
        }
        let int_part = self.digits(10).to_string();
        let mut float = false;
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            self.digits(10);
            float = true;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek_at(1), Some('+' | '-')));
            if self.peek_at(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1 + sign;
                self.digits(10);
                float = true;
            }
        }
        if float {
            let text = &self.src[start..self.pos];
            return text.parse().map(Literal::Double).map_err(|_| (format!("invalid double literal `{text}`"), start));
        }
        self.integer(&int_part, 10, start)
    }

    fn integer(&mut self, digits: &str, radix: u32, start: usize) -> Result<Literal, LexError> {
        if matches!(self.peek(), Some('u' | 'U')) {
            self.pos += 1;
            return u64::from_str_radix(digits, radix)
                .map(Literal::Uint)
                .map_err(|_| (format!("uint literal `{}` is out of range", &self.src[start..self.pos]), start));
        }
        // A magnitude of 2^63 is allowed here: `-9223372036854775808` negates it (the parser checks).
        match u64::from_str_radix(digits, radix) {
            Ok(v) if v <= i64::MAX as u64 + 1 => Ok(Literal::Int(v as i64)),
            _ => Err((format!("int literal `{}` is out of range", &self.src[start..self.pos]), start)),
        }
    }

    /// `r`, `b`, `rb`, `br` (any case) before a quote: (raw, bytes, prefix length).
    fn string_prefix(&self) -> Option<(bool, bool, usize)> {
        let r = self.rest().as_bytes();
        let is_quote = |i: usize| r.get(i).is_some_and(|c| *c == b'\'' || *c == b'"');
        let lower = |i: usize| r.get(i).map(|c| c.to_ascii_lowercase());
        match (lower(0), lower(1)) {
            (Some(b'\'' | b'"'), _) => Some((false, false, 0)),
            (Some(b'r'), Some(b'b')) | (Some(b'b'), Some(b'r')) if is_quote(2) => Some((true, true, 2)),
            (Some(b'r'), _) if is_quote(1) => Some((true, false, 1)),
            (Some(b'b'), _) if is_quote(1) => Some((false, true, 1)),
            _ => None,
        }
    }

    fn string(&mut self, raw: bool, bytes: bool, start: usize) -> Result<Literal, LexError> {
        let q = self.peek().expect("quote");
        let triple: String = std::iter::repeat_n(q, 3).collect();
        let close = if self.rest().starts_with(&triple) { triple } else { q.to_string() };
        self.pos += close.len();
        let mut out: Vec<u8> = Vec::new();
        loop {
            if self.rest().starts_with(&close) {
                self.pos += close.len();
                break;
            }
            let Some(c) = self.peek() else { return Err(("unterminated string literal".into(), start)) };
            if close.len() == 1 && (c == '\n' || c == '\r') {
                return Err(("a line break inside a quoted string needs triple quotes".into(), start));
            }
            if c == '\\' && !raw {
                self.escape(bytes, &mut out)?;
            } else {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                self.pos += c.len_utf8();
            }
        }
        if bytes {
            return Ok(Literal::Bytes(out));
        }
        String::from_utf8(out).map(Literal::String).map_err(|_| ("string literal is not valid UTF-8".into(), start))
    }

    fn escape(&mut self, bytes: bool, out: &mut Vec<u8>) -> Result<(), LexError> {
        let at = self.pos;
        self.pos += 1;
        let Some(c) = self.peek() else { return Err(("unterminated escape sequence".into(), at)) };
        self.pos += c.len_utf8();
        let simple = match c {
            'a' => Some(7u8),
            'b' => Some(8),
            'f' => Some(12),
            'n' => Some(b'\n'),
            'r' => Some(b'\r'),
            't' => Some(b'\t'),
            'v' => Some(11),
            '\\' | '\'' | '"' | '`' | '?' => Some(c as u8),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            return Ok(());
        }
        let (len, radix) = match c {
            'x' | 'X' => (2, 16),
            'u' if !bytes => (4, 16),
            'U' if !bytes => (8, 16),
            '0'..='3' => {
                self.pos -= 1;
                (3, 8)
            }
            _ => return Err((format!("invalid escape sequence `\\{c}`"), at)),
        };
        let digits = self.rest().get(..len).filter(|d| d.chars().all(|c| c.is_digit(radix))).map(str::to_string);
        let Some(digits) = digits else { return Err((format!("invalid escape sequence `\\{c}`"), at)) };
        let value = u32::from_str_radix(&digits, radix).expect("digits");
        self.pos += len;
        if bytes {
            out.push(value as u8);
            return Ok(());
        }
        let ch = char::from_u32(value).ok_or_else(|| (format!("invalid code point in `\\{c}{digits}`"), at))?;
        let mut buf = [0; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }
}
