//! Marker values that are data (`default`, `example`, `enum_values`, `default_json`): JSON's data
//! model, read from Rust literals, from JSON text and from Go marker arguments. The crate has its
//! own type (and JSON reader) so the derive needs no JSON crate; the engine turns a [`Literal`]
//! into `serde_json::Value`.

/// A JSON value as a marker wrote it.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Literal>),
    /// Keys in the order written; a key written twice keeps its first place and its last value.
    Object(Vec<(String, Literal)>),
}

/// A JSON number, kept as JSON readers keep it: integers as integers, the rest as `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    UInt(u64),
    /// A negative integer.
    Int(i64),
    /// A finite float.
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::UInt(n) => n as f64,
            Number::Int(n) => n as f64,
            Number::Float(f) => f,
        }
    }
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::UInt(n) => Some(n),
            _ => None,
        }
    }
    /// An integer of either sign, kept as the reader of `-n` keeps it.
    pub fn from_i64(n: i64) -> Number {
        if n < 0 { Number::Int(n) } else { Number::UInt(n as u64) }
    }
}

impl Literal {
    pub fn as_array(&self) -> Option<&[Literal]> {
        match self {
            Literal::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn is_empty_object(&self) -> bool {
        matches!(self, Literal::Object(o) if o.is_empty())
    }
    fn insert(object: &mut Vec<(String, Literal)>, key: String, value: Literal) {
        match object.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => object.push((key, value)),
        }
    }
    /// An object from pairs in order (a repeated key as in [`Literal::Object`]).
    pub fn object(pairs: impl IntoIterator<Item = (String, Literal)>) -> Literal {
        let mut out = Vec::new();
        for (k, v) in pairs {
            Literal::insert(&mut out, k, v);
        }
        Literal::Object(out)
    }
}

/// JSON text (RFC 8259) to a [`Literal`]. Errors read as serde_json words them
/// (`expected value at line 1 column 2`), so the derive and the engine say the same.
pub fn parse_json(text: &str) -> Result<Literal, String> {
    let mut r = Reader { text, pos: 0, depth: 0 };
    r.skip_space();
    let value = r.value()?;
    r.skip_space();
    if r.pos < text.len() {
        return Err(r.error("trailing characters"));
    }
    Ok(value)
}

/// serde_json's limit on nesting, which also keeps the reader off the end of the stack.
const MAX_DEPTH: usize = 128;

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            self.pos += 1;
        }
    }

    /// `what at line L column C`, the place being the byte read last (the last one at the end).
    fn error(&self, what: &str) -> String {
        let at = self.pos.min(self.text.len());
        let upto = if at < self.text.len() { &self.text[..=at] } else { self.text };
        let line = upto.matches('\n').count() + 1;
        let column = upto.rsplit('\n').next().map_or(0, |l| l.chars().count());
        format!("{what} at line {line} column {column}")
    }

    fn eof(&self, what: &str) -> String {
        Reader { text: self.text, pos: self.text.len(), depth: 0 }.error(&format!("EOF while parsing {what}"))
    }

    fn value(&mut self) -> Result<Literal, String> {
        match self.peek() {
            None => Err(self.eof("a value")),
            Some(b'{') => self.nested(Reader::object),
            Some(b'[') => self.nested(Reader::array),
            Some(b'"') => self.string().map(Literal::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Literal::Number),
            Some(b't') => self.word("true", Literal::Bool(true)),
            Some(b'f') => self.word("false", Literal::Bool(false)),
            Some(b'n') => self.word("null", Literal::Null),
            Some(_) => Err(self.error("expected value")),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Literal, String>) -> Result<Literal, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.pos += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn word(&mut self, word: &str, value: Literal) -> Result<Literal, String> {
        for expected in word.bytes() {
            match self.peek() {
                None => return Err(self.eof("a value")),
                Some(b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.error("expected ident")),
            }
        }
        Ok(value)
    }

    fn array(&mut self) -> Result<Literal, String> {
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Literal::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value()?);
            self.skip_space();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_space();
                    if self.peek() == Some(b']') {
                        return Err(self.error("trailing comma"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Literal::Array(items));
                }
                None => return Err(self.eof("a list")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Literal, String> {
        let mut pairs = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Literal::Object(pairs));
        }
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.eof("an object")),
                Some(_) => return Err(self.error("key must be a string")),
            }
            let key = self.string()?;
            self.skip_space();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(self.eof("an object")),
                Some(_) => return Err(self.error("expected `:`")),
            }
            self.skip_space();
            let value = self.value()?;
            Literal::insert(&mut pairs, key, value);
            self.skip_space();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_space();
                    if self.peek() == Some(b'}') {
                        return Err(self.error("trailing comma"));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Literal::Object(pairs));
                }
                None => return Err(self.eof("an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// A string, starting at its opening quote.
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(c) = rest.chars().next() else { return Err(self.eof("a string")) };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                c if (c as u32) < 0x20 => return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string")),
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), String> {
        let Some(b) = self.peek() else { return Err(self.eof("a string")) };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(out),
            _ => {
                self.pos -= 1;
                return Err(self.error("invalid escape"));
            }
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(b) = self.peek() else { return Err(self.eof("a string")) };
            let digit = (b as char).to_digit(16).ok_or_else(|| self.error("invalid escape"))?;
            n = n * 16 + digit;
            self.pos += 1;
        }
        Ok(n)
    }

    /// `\uXXXX`, a surrogate pair being two of them.
    fn unicode_escape(&mut self, out: &mut String) -> Result<(), String> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.text[self.pos..].starts_with("\\u") {
                    return Err(self.error("unexpected end of hex escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone leading surrogate in hex escape")),
            n => n,
        };
        out.push(char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))?);
        Ok(())
    }

    /// A number: integers that fit stay integers (negative ones in i64), the rest are floats,
    /// as serde_json reads them (`-0` included: it is the float -0.0).
    fn number(&mut self) -> Result<Number, String> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let digits = |r: &mut Self| {
            let from = r.pos;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.pos += 1;
            }
            r.pos - from
        };
        let int_start = self.pos;
        match digits(self) {
            0 if self.peek().is_none() => return Err(self.eof("a value")),
            0 => return Err(self.error("invalid number")),
            n if n > 1 && self.text.as_bytes()[int_start] == b'0' => {
                self.pos = int_start + 1;
                return Err(self.error("invalid number"));
            }
            _ => {}
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            float = true;
            self.pos += 1;
            if digits(self) == 0 {
                return Err(if self.peek().is_none() { self.eof("a value") } else { self.error("invalid number") });
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            float = true;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(if self.peek().is_none() { self.eof("a value") } else { self.error("invalid number") });
            }
        }
        let text = &self.text[start..self.pos];
        if !float {
            let magnitude = &self.text[int_start..self.pos];
            match (negative, magnitude.parse::<u64>()) {
                (false, Ok(n)) => return Ok(Number::UInt(n)),
                (true, Ok(0)) => return Ok(Number::Float(-0.0)),
                (true, Ok(n)) if n <= 1 << 63 => return Ok(Number::Int((n as i64).wrapping_neg())),
                _ => {}
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Number::Float(f)),
            _ => {
                self.pos = start;
                Err(self.error("number out of range"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Literal {
        Literal::String(t.into())
    }

    #[test]
    fn reads_json() {
        assert_eq!(parse_json(" [1, -2, 2.5, -0, 1e2, true, null] ").unwrap(), {
            let n = |n| Literal::Number(n);
            Literal::Array(vec![
                n(Number::UInt(1)),
                n(Number::Int(-2)),
                n(Number::Float(2.5)),
                n(Number::Float(-0.0)),
                n(Number::Float(100.0)),
                Literal::Bool(true),
                Literal::Null,
            ])
        });
        assert_eq!(
            parse_json(r#"{"b": "x\"\u00e9\ud83d\ude00\n", "a": {}, "b": "y"}"#).unwrap(),
            Literal::Object(vec![("b".into(), s("y")), ("a".into(), Literal::Object(vec![]))])
        );
        assert_eq!(parse_json("18446744073709551616").unwrap(), Literal::Number(Number::Float(18446744073709551616.0)));
        assert_eq!(parse_json("-9223372036854775808").unwrap(), Literal::Number(Number::Int(i64::MIN)));
    }

    #[test]
    fn errors_read_as_serde_json_words_them() {
        for (text, error) in [
            ("{not json", "key must be a string at line 1 column 2"),
            ("", "EOF while parsing a value at line 1 column 0"),
            ("[1,", "EOF while parsing a value at line 1 column 3"),
            ("[1 2]", "expected `,` or `]` at line 1 column 4"),
            ("{\"a\" 1}", "expected `:` at line 1 column 6"),
            ("{\"a\": 1,}", "trailing comma at line 1 column 9"),
            ("01", "invalid number at line 1 column 2"),
            ("tru", "EOF while parsing a value at line 1 column 3"),
            ("nul!", "expected ident at line 1 column 4"),
            ("\"a\\x\"", "invalid escape at line 1 column 4"),
            ("1 2", "trailing characters at line 1 column 3"),
            ("1e999", "number out of range at line 1 column 1"),
            ("\n  x", "expected value at line 2 column 3"),
        ] {
            assert_eq!(parse_json(text).unwrap_err(), error, "{text:?}");
        }
        assert_eq!(parse_json(&"[".repeat(200)).unwrap_err(), "recursion limit exceeded at line 1 column 129");
    }
}
