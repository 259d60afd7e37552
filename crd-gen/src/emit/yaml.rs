//! A small YAML emitter for JSON trees, written for one reader: the Kubernetes toolchain, which
//! reads YAML as YAML 1.1 (sigs.k8s.io/yaml over go-yaml v2). It follows go-yaml v2's output style
//! (what controller-gen emits): map keys in go-yaml's natural order, sequences not indented under
//! their key, plain scalars folded after column 80, `|-` blocks for multi-line text. Every string
//! a YAML 1.1 reader would take for a bool, null, number or timestamp (`Off`, `yes`, `~`, `1e3`,
//! `2001-01-01`) is double-quoted, so it stays a string in the cluster.
//!
//! Why not a YAML crate: serde_yaml is archived, and neither it nor serde-saphyr promises YAML 1.1
//! safe quoting or go-yaml's layout; the output is the product here, so the engine owns it.

use serde_json::Value;
use std::cmp::Ordering;

const BEST_WIDTH: usize = 80;
/// go-yaml (libyaml) writes a key longer than this (in bytes) as an explicit `? key`.
const MAX_SIMPLE_KEY: usize = 128;

/// One YAML document, starting with `---`.
pub fn to_yaml(value: &Value) -> String {
    let mut e = Emitter { out: String::from("---\n") };
    e.node(value, 0, false);
    e.out
}

/// Every scalar is written straight into `out`: a CRD is mostly descriptions, and building each
/// one as its own string first cost as much as choosing its style.
struct Emitter {
    out: String,
}

impl Emitter {
    /// Emits `value` as a block node whose lines are indented by `indent`. With `inline`, the
    /// first line continues the current line (after `- `).
    fn node(&mut self, value: &Value, indent: usize, inline: bool) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                sort_keys(&mut entries);
                for (i, (key, value)) in entries.into_iter().enumerate() {
                    if !(inline && i == 0) {
                        self.pad(indent);
                    }
                    if key.len() > MAX_SIMPLE_KEY {
                        // go-yaml writes a long key as an explicit `? key` / `: value` pair; a
                        // YAML reader refuses an implicit key of more than 1024 characters.
                        self.out.push_str("? ");
                        write_str(&mut self.out, key, usize::MAX, 0, false);
                        self.out.push('\n');
                        self.pad(indent);
                        self.out.push(':');
                        self.value_after_key(value, indent, indent + 1);
                        continue;
                    }
                    let start = self.out.len();
                    write_str(&mut self.out, key, usize::MAX, 0, false);
                    let width = self.out[start..].chars().count();
                    self.out.push(':');
                    self.value_after_key(value, indent, indent + width + 1);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    if !(inline && i == 0) {
                        self.pad(indent);
                    }
                    self.out.push_str("- ");
                    match item {
                        Value::Object(m) if !m.is_empty() => self.node(item, indent + 2, true),
                        Value::Array(a) if !a.is_empty() => self.node(item, indent + 2, true),
                        _ => {
                            self.scalar(item, indent + 2, indent + 2);
                            self.out.push('\n');
                        }
                    }
                }
            }
            // Only the document's root is a scalar here. Its continuation lines are indented:
            // at column 0 a `|2-` block would be empty and a line could read as `---`.
            _ => {
                self.scalar(value, indent, indent.max(2));
                self.out.push('\n');
            }
        }
    }

    /// After `key:`; `column` is where the value would start.
    fn value_after_key(&mut self, value: &Value, indent: usize, column: usize) {
        match value {
            Value::Object(m) if !m.is_empty() => {
                self.out.push('\n');
                self.node(value, indent + 2, false);
            }
            // go-yaml v2 does not indent a sequence under its key.
            Value::Array(a) if !a.is_empty() => {
                self.out.push('\n');
                self.node(value, indent, false);
            }
            _ => {
                self.out.push(' ');
                self.scalar(value, column + 1, indent + 2);
                self.out.push('\n');
            }
        }
    }

    fn scalar(&mut self, value: &Value, column: usize, indent: usize) {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => self.out.push_str(&number(n)),
            Value::String(s) => write_str(&mut self.out, s, column, indent, true),
            Value::Object(_) => self.out.push_str("{}"),
            Value::Array(_) => self.out.push_str("[]"),
        }
    }

    fn pad(&mut self, indent: usize) {
        spaces(&mut self.out, indent);
    }
}

fn number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    // sigs.k8s.io/yaml goes through JSON, so go-yaml prints float64(2) as `2` (the API server
    // reads it as the same number): integral values that read back as an int64 or a uint64.
    if f.fract() == 0.0 && (i64::MIN as f64..0.0).contains(&f) {
        format!("{}", f as i64)
    } else if f.fract() == 0.0 && (0.0..u64::MAX as f64).contains(&f) {
        format!("{}", f as u64)
    } else {
        go_float(f)
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, what go-yaml writes for a float64: the shortest
/// digits, with an exponent (`1e+20`, `1.5e-07`, `1.2345675e+06`) when it is below -4 or at
/// least 6; never a 21-digit integer that no reader takes back as a number.
fn go_float(f: f64) -> String {
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

/// What one pass over a string finds, for choosing its style.
struct Scan {
    /// Every character is written raw ([`is_printable`]).
    printable: bool,
    has_newline: bool,
    ascii: bool,
}

fn scan(s: &str) -> Scan {
    if s.is_ascii() {
        let (mut printable, mut has_newline) = (true, false);
        for &b in s.as_bytes() {
            has_newline |= b == b'\n';
            printable &= b == b'\n' || (0x20..=0x7e).contains(&b);
        }
        Scan { printable, has_newline, ascii: true }
    } else {
        Scan { printable: s.chars().all(is_printable), has_newline: s.contains('\n'), ascii: false }
    }
}

/// A string scalar: plain where YAML 1.1 reads it back as the same string, `|-` when it has
/// line breaks, quoted otherwise. `column` is where it starts; `indent` is for continuation lines.
/// `fold` is false for keys, which stay on one line (never a `|-` block).
fn write_str(out: &mut String, s: &str, column: usize, indent: usize, fold: bool) {
    let scan = scan(s);
    if fold && scan.has_newline && literal_allowed(s, &scan) {
        return literal(out, s, indent);
    }
    let non_string = resolves_to_non_string(s);
    if !plain_allowed(s, &scan) || non_string {
        if single_quote_allowed(s, &scan) && !non_string {
            let quoted = format!("'{}'", s.replace('\'', "''"));
            return if fold { fold_into(out, &quoted, scan.ascii, column, indent, true) } else { out.push_str(&quoted) };
        }
        return double_quoted(out, s);
    }
    // go-yaml folds a plain scalar at a space once the line is past 80 columns.
    if fold && column + s.len() > BEST_WIDTH + 1 {
        fold_into(out, s, scan.ascii, column, indent, false);
    } else {
        out.push_str(s);
    }
}

/// Writes `s`, a single space replaced by a line break (and `indent`) once past column 80,
/// never before another space. With `quoted` (go-yaml folds single-quoted scalars too: a line
/// break inside quotes reads back as one space), never at the first or last character inside
/// the quotes. `ascii` says that bytes are characters, so columns need no counting.
fn fold_into(out: &mut String, s: &str, ascii: bool, column: usize, indent: usize, quoted: bool) {
    let bytes = s.as_bytes();
    let len = if ascii { s.len() } else { s.chars().count() };
    // Where the text not yet written starts, and the column and character index of a byte
    // offset up to which characters were counted.
    let mut written = 0;
    let (mut counted, mut counted_col, mut counted_chars) = (0, column, 0);
    for (i, _) in s.match_indices(' ') {
        let n = if ascii { i - counted } else { s[counted..i].chars().count() };
        (counted, counted_col, counted_chars) = (i, counted_col + n, counted_chars + n);
        let prev_space = i > 0 && bytes[i - 1] == b' ';
        let next_space = bytes.get(i + 1) == Some(&b' ');
        let inner = !quoted || (counted_chars > 1 && counted_chars + 2 < len);
        if !prev_space && counted_col > BEST_WIDTH && inner && !next_space {
            out.push_str(&s[written..i]);
            out.push('\n');
            spaces(out, indent);
            written = i + 1;
            (counted, counted_col, counted_chars) = (i + 1, indent, counted_chars + 1);
        }
    }
    out.push_str(&s[written..]);
}

/// `n` spaces (indentation), a slice at a time.
fn spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// go-yaml's double-quoted style: YAML escapes for line breaks, controls and what a YAML reader
/// would not take raw (JSON's escaping leaves DEL, C1 controls and U+2028/U+2029 raw).
fn double_quoted(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        let esc = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\0' => "\\0",
            '\u{7}' => "\\a",
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{b}' => "\\v",
            '\u{c}' => "\\f",
            '\r' => "\\r",
            '\u{1b}' => "\\e",
            '\u{85}' => "\\N",
            '\u{2028}' => "\\L",
            '\u{2029}' => "\\P",
            c if is_printable(c) => {
                out.push(c);
                continue;
            }
            c => {
                let _ = match c as u32 {
                    v @ 0..=0xff => write!(out, "\\x{v:02X}"),
                    v @ 0x100..=0xffff => write!(out, "\\u{v:04X}"),
                    v => write!(out, "\\U{v:08X}"),
                };
                continue;
            }
        };
        out.push_str(esc);
    }
    out.push('"');
}

fn literal(out: &mut String, s: &str, indent: usize) {
    out.push('|');
    if s.starts_with(' ') || s.starts_with('\n') {
        out.push('2');
    }
    let body = if let Some(stripped) = s.strip_suffix('\n') {
        // Keep (`+`) when more than the last line break must survive, or when it is all there
        // is: clip (`|2`) reads an empty block as "".
        if stripped.is_empty() || stripped.ends_with('\n') {
            out.push('+');
        }
        stripped
    } else {
        out.push('-');
        s
    };
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            spaces(out, indent);
            out.push_str(line);
        }
    }
}

/// Characters written raw. Besides `\n`, YAML 1.1 reads NEL, U+2028 and U+2029 as line breaks
/// (they would end a plain line or fold in quotes), so they are escaped too.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

fn literal_allowed(s: &str, scan: &Scan) -> bool {
    scan.printable && !s.contains(" \n") && !s.ends_with(' ')
}

fn single_quote_allowed(s: &str, scan: &Scan) -> bool {
    !s.is_empty() && !scan.has_newline && scan.printable
}

/// libyaml's rules for a plain scalar in block context.
fn plain_allowed(s: &str, scan: &Scan) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if s.starts_with(' ') || s.ends_with(' ') || !scan.printable || scan.has_newline {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    let second = s.chars().nth(1);
    if matches!(first, '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`') {
        return false;
    }
    if matches!(first, '-' | '?' | ':') && second.is_none_or(|c| c == ' ') {
        return false;
    }
    // The indicators that matter here are ASCII, so bytes will do.
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b':' && b.get(i + 1).is_none_or(|n| *n == b' ') {
            return false;
        }
        if c == b'#' && i > 0 && b[i - 1] == b' ' {
            return false;
        }
    }
    true
}

/// Would go-yaml v2 (YAML 1.1) read this plain scalar as something other than a string?
pub fn resolves_to_non_string(s: &str) -> bool {
    if is_yaml11_word(s) {
        return true;
    }
    let Some(first) = s.chars().next() else { return true };
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return false;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    is_go_int(&plain) || is_yaml_float(&plain) || is_base60(s) || is_timestamp(s)
}

/// The plain scalars YAML 1.1 reads as a bool, null, float or merge key, by length: nearly
/// every scalar is told apart by its length alone.
fn is_yaml11_word(s: &str) -> bool {
    match s.len() {
        0 => true,
        1 => matches!(s, "y" | "Y" | "n" | "N" | "~" | "="),
        2 => matches!(s, "no" | "No" | "NO" | "on" | "On" | "ON" | "<<"),
        3 => matches!(s, "yes" | "Yes" | "YES" | "off" | "Off" | "OFF"),
        4 => matches!(s, "true" | "True" | "TRUE" | "null" | "Null" | "NULL" | ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF"),
        5 => matches!(s, "false" | "False" | "FALSE" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"),
        _ => false,
    }
}

/// strconv.ParseInt(s, 0, 64) syntax: sign, then decimal, 0x hex, 0o / leading-0 octal, 0b binary.
fn is_go_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (digits, radix) = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (h, 16)
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (b, 2)
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (o, 8)
    } else if body.len() > 1 && body.starts_with('0') {
        (&body[1..], 8)
    } else {
        (body, 10)
    };
    !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix))
}

/// go-yaml v2's float syntax: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exp) = match b.find(['e', 'E']) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => !frac.is_empty() && frac.chars().all(|c| c.is_ascii_digit()),
        Some((int, frac)) => int.chars().all(|c| c.is_ascii_digit()) && frac.chars().all(|c| c.is_ascii_digit()),
        None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
    };
    let exp_ok = exp.is_none_or(|e| {
        let d = e.strip_prefix(['+', '-']).unwrap_or(e);
        !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exp_ok
}

/// YAML 1.1 sexagesimal numbers: `190:20:30`, `-1:30.5`.
fn is_base60(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut parts = b.split(':');
    let head = parts.next().unwrap_or("");
    if head.is_empty() || !head.starts_with(|c: char| c.is_ascii_digit()) || !head.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        return false;
    }
    rest.iter().enumerate().all(|(i, p)| {
        let p = if i == rest.len() - 1 { p.split('.').next().unwrap_or("") } else { p };
        !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit())
    })
}

/// YAML timestamps start `YYYY-M-D`.
fn is_timestamp(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(3, '-').collect();
    if parts.len() < 3 || parts[0].len() != 4 || !parts[0].chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let day: String = parts[2].chars().take_while(|c| c.is_ascii_digit()).collect();
    (1..=2).contains(&parts[1].len()) && parts[1].chars().all(|c| c.is_ascii_digit()) && (1..=2).contains(&day.len())
}

/// Sorts keys by [`natural_cmp`] with an insertion sort. go-yaml's order is not a total order
/// for some keys (`"01"` < `"0a"` < `"1a"` < `"01"`), and the standard sorts panic on such a
/// comparison; an insertion sort always ends, gives one answer for one input, and the same order
/// as any sort where the order is consistent (every realistic set of property names).
fn sort_keys(keys: &mut [(&String, &Value)]) {
    for i in 1..keys.len() {
        let mut j = i;
        while j > 0 && natural_cmp(keys[j].0, keys[j - 1].0) == Ordering::Less {
            keys.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// go-yaml v2's key order: letters compare as runes, a non-letter sorts before a letter, and
/// runs of digits compare as numbers (`a2` < `a10`).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // Keys without digits, non-letters or non-ASCII (nearly all) compare as plain bytes.
    let simple = |s: &str| s.bytes().all(|c| c.is_ascii_alphabetic());
    if simple(a) && simple(b) {
        return a.cmp(b);
    }
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl { Ordering::Less } else { Ordering::Greater };
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.saturating_mul(10).saturating_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.saturating_mul(10).saturating_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layout_matches_go_yaml() {
        let v = json!({
            "spec": {"versions": [{"name": "v1", "served": true, "subresources": {"status": {}}}], "group": "a.b"},
            "kind": "CRD",
            "empty": [],
        });
        assert_eq!(
            to_yaml(&v),
            "---\nempty: []\nkind: CRD\nspec:\n  group: a.b\n  versions:\n  - name: v1\n    served: true\n    subresources:\n      status: {}\n"
        );
    }

    #[test]
    fn yaml11_words_and_numbers_are_quoted() {
        for s in ["Off", "on", "yes", "N", "~", "null", "", "1", "-1.5", "0x1F", "017", "1e3", "1:20", "2001-12-14", ".inf", "<<", "1_000"]
        {
            let out = to_yaml(&json!({ "k": s }));
            assert!(out.contains(&format!("k: {}", serde_json::to_string(s).unwrap())), "{s:?} -> {out}");
        }
        // Every word YAML 1.1 reads as a bool, null, float or merge key, and near misses.
        let words = "y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL ~ .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF << =";
        for w in words.split(' ') {
            assert!(resolves_to_non_string(w), "{w}");
        }
        for s in ["yES", "nO", "tRUE", "Nan", ".INf", "<", "==", "ye", "offf"] {
            assert!(!resolves_to_non_string(s), "{s}");
        }
        for s in ["Allow", "v1", "1.2.3", "a: b c"] {
            let out = to_yaml(&json!({ "k": s }));
            assert!(!out.contains('"'), "{s:?} -> {out}");
        }
    }

    #[test]
    fn indicators_and_special_text_are_quoted() {
        assert_eq!(to_yaml(&json!({"k": "- a"})), "---\nk: '- a'\n");
        assert_eq!(to_yaml(&json!({"k": "a: b"})), "---\nk: 'a: b'\n");
        assert_eq!(to_yaml(&json!({"k": "*"})), "---\nk: '*'\n");
        assert_eq!(to_yaml(&json!({"k": "tab\there"})), "---\nk: \"tab\\there\"\n");
        assert_eq!(to_yaml(&json!({"k": "^[a-z]$"})), "---\nk: ^[a-z]$\n");
    }

    #[test]
    fn multiline_is_a_literal_block() {
        assert_eq!(to_yaml(&json!({"d": {"description": "a\n\nb"}})), "---\nd:\n  description: |-\n    a\n\n    b\n");
    }

    #[test]
    fn long_plain_text_folds_after_80_columns() {
        let a78 = "a".repeat(78);
        assert_eq!(to_yaml(&json!({ "k": format!("{a78} b c") })), format!("---\nk: {a78}\n  b c\n"));
        let a77 = "a".repeat(77);
        assert_eq!(to_yaml(&json!({ "k": format!("{a77} b c") })), format!("---\nk: {a77} b\n  c\n"));
    }

    #[test]
    fn long_single_quoted_text_folds_too() {
        let text = format!("{}: b c", "a".repeat(80));
        assert_eq!(to_yaml(&json!({ "k": text })), format!("---\nk: '{}:\n  b c'\n", "a".repeat(80)));
    }

    #[test]
    fn keys_sort_like_go_yaml() {
        let mut keys = vec!["b", "a10", "a2", "_x", "Z", "x-kubernetes-list-type", "xa"];
        keys.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(keys, ["_x", "Z", "a2", "a10", "b", "x-kubernetes-list-type", "xa"]);
    }

    #[test]
    fn floats_are_written_as_go_yaml_writes_them() {
        // Found by fuzzing (yaml target): 2.6217850690463124e29 was written as a 30-digit
        // integer, which YAML readers take as an out-of-range integer, not the float.
        let f = |x: f64| to_yaml(&json!(x));
        assert_eq!(f(2.6217850690463124e29), "---\n2.6217850690463124e+29\n");
        assert_eq!(f(1e20), "---\n1e+20\n");
        assert_eq!(f(1e19), "---\n10000000000000000000\n");
        assert_eq!(f(-1e19), "---\n-1e+19\n");
        assert_eq!(f(2.0), "---\n2\n");
        assert_eq!(f(0.5), "---\n0.5\n");
        assert_eq!(f(123456.5), "---\n123456.5\n");
        assert_eq!(f(1234567.5), "---\n1.2345675e+06\n");
        assert_eq!(f(0.0001), "---\n0.0001\n");
        assert_eq!(f(-1.5e-7), "---\n-1.5e-07\n");
    }

    #[test]
    fn controls_and_unicode_line_breaks_are_escaped() {
        // Found by fuzzing (yaml target): DEL and U+2028 were written raw (JSON escaping),
        // which YAML readers refuse or read as a line break.
        assert_eq!(to_yaml(&json!({"k": "\u{7f}"})), "---\nk: \"\\x7F\"\n");
        assert_eq!(to_yaml(&json!({"k": "\u{2028}"})), "---\nk: \"\\L\"\n");
        assert_eq!(to_yaml(&json!({"k": "a\u{85}b"})), "---\nk: \"a\\Nb\"\n");
        assert_eq!(to_yaml(&json!({"k": "\0\u{1}\u{feff}\u{9f}"})), "---\nk: \"\\0\\x01\\uFEFF\\x9F\"\n");
        assert_eq!(to_yaml(&json!({"\u{2029}": 1})), "---\n\"\\P\": 1\n");
    }

    #[test]
    fn keys_are_never_blocks_and_long_keys_are_explicit() {
        // Found by fuzzing (yaml target): a key with a line break was written as a `|2` block,
        // which ends the mapping.
        assert_eq!(to_yaml(&json!({"\n": null, "a\nb": 1})), "---\n\"\\n\": null\n\"a\\nb\": 1\n");
        let long = "k".repeat(129);
        assert_eq!(to_yaml(&json!({ &long: {"a": 1}, "b": [1] })), format!("---\nb:\n- 1\n? {long}\n:\n  a: 1\n"));
        assert_eq!(to_yaml(&json!([{ &long: "v" }])), format!("---\n- ? {long}\n  : v\n"));
    }

    #[test]
    fn only_line_breaks_keep_them() {
        // Found by fuzzing (yaml target): "\n" was written `|2` (clip), which reads back as "".
        assert_eq!(to_yaml(&json!({"k": "\n"})), "---\nk: |2+\n\n");
        assert_eq!(to_yaml(&json!({"k": "\n\n"})), "---\nk: |2+\n\n\n");
    }

    #[test]
    fn keys_in_an_inconsistent_order_do_not_panic() {
        // Found by fuzzing (yaml target): go-yaml's order has cycles, and `sort_by` panicked
        // ("user-provided comparison function does not correctly implement a total order").
        let (a, b, c) = ("01", "0a", "1a");
        assert_eq!(natural_cmp(a, b), Ordering::Less);
        assert_eq!(natural_cmp(b, c), Ordering::Less);
        assert_eq!(natural_cmp(c, a), Ordering::Less);
        let mut keys: Vec<String> = (0..40).flat_map(|i| [format!("{i:02}"), format!("{i}a"), format!("0{i}a")]).collect();
        keys.extend([a, b, c].map(String::from));
        let v = serde_json::Value::Object(keys.iter().map(|k| (k.clone(), json!(1))).collect());
        let out = to_yaml(&v);
        assert_eq!(out, to_yaml(&v));
        assert_eq!(out.lines().count(), v.as_object().unwrap().len() + 1);
    }

    #[test]
    fn root_scalars_read_back() {
        // Found by fuzzing (yaml target): a root literal at column 0 with an indentation
        // indicator read as an empty block followed by a second document.
        assert_eq!(to_yaml(&json!("\n!")), "---\n|2-\n\n  !\n");
        assert_eq!(to_yaml(&json!("a\n---")), "---\n|-\n  a\n  ---\n");
    }

    #[test]
    fn nested_sequences_and_scalars_in_sequences() {
        let v = json!({"enum": ["A", "Off", 3], "m": [[1, 2], {"a": 1, "b": [true]}]});
        assert_eq!(to_yaml(&v), "---\nenum:\n- A\n- \"Off\"\n- 3\nm:\n- - 1\n  - 2\n- a: 1\n  b:\n  - true\n");
    }
}
