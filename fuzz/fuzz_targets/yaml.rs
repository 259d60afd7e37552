//! The YAML emitter on arbitrary JSON trees: what it writes must read back as the same tree,
//! strings exactly (this is where YAML 1.1 quoting and folding bugs show).

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Number, Value};

/// Strings the YAML reader treats specially, mixed into arbitrary ones.
const TRICKY: &[&str] = &[
    "",
    " ",
    "yes",
    "No",
    "on",
    "OFF",
    "~",
    "null",
    "true",
    "y",
    "=",
    "<<",
    "-",
    "?",
    ":",
    "#",
    "- ",
    ": ",
    " #",
    "---",
    "...",
    "0x1F",
    "017",
    "0o17",
    "0b101",
    "1e3",
    "-1.5",
    ".5",
    ".inf",
    "-.Inf",
    ".nan",
    "1_000",
    "1:20:30",
    "2001-12-14",
    "\n",
    "\n\n",
    " \n",
    "\t",
    "'",
    "\"",
    "\\",
    "|",
    ">",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "\r",
    "\0",
    "é",
    "%",
    "@",
    "`",
    "!",
    "&",
    "*",
];

#[derive(Arbitrary, Debug)]
enum Text {
    Any(String),
    Tricky(u8),
    Concat(Vec<Text>),
    /// Long text, to reach the folding at 80 columns.
    Repeat(Box<Text>, u8),
}

#[derive(Arbitrary, Debug)]
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(Text),
    List(Vec<Tree>),
    Map(Vec<(Text, Tree)>),
}

/// Longest text built from `Concat`/`Repeat`: nested repeats grow exponentially (39^8 times a
/// string ran the target out of memory), and 4 KiB is past every limit that matters (80-column
/// folding, 128-byte keys, the 1024-character implicit key limit of readers).
const MAX_TEXT: usize = 4096;

fn text(t: &Text, depth: usize) -> String {
    match t {
        Text::Any(s) => s.clone(),
        Text::Tricky(i) => TRICKY[*i as usize % TRICKY.len()].to_string(),
        Text::Concat(parts) if depth < 8 => {
            let mut out = String::new();
            for p in parts {
                if out.len() > MAX_TEXT {
                    break;
                }
                out.push_str(&text(p, depth + 1));
            }
            out
        }
        Text::Repeat(p, n) if depth < 8 => {
            let part = text(p, depth + 1);
            part.repeat((*n as usize % 40).min(MAX_TEXT / part.len().max(1) + 1))
        }
        _ => String::new(),
    }
}

fn value(t: &Tree, depth: usize) -> Value {
    match t {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(*b),
        Tree::Int(i) => Value::from(*i),
        Tree::UInt(u) => Value::from(*u),
        Tree::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Tree::Str(s) => Value::String(text(s, 0)),
        Tree::List(items) if depth < 16 => Value::Array(items.iter().map(|i| value(i, depth + 1)).collect()),
        Tree::Map(entries) if depth < 16 => {
            Value::Object(entries.iter().map(|(k, v)| (text(k, 0), value(v, depth + 1))).collect::<Map<String, Value>>())
        }
        _ => Value::Null,
    }
}

fuzz_target!(|tree: Tree| {
    let v = value(&tree, 0);
    let yaml = crd_gen::emit::to_yaml(&v);
    crd_gen_fuzz::assert_round_trip(&yaml, &v);
});
