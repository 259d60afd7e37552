//! Property names as CEL sees them. The API server exposes a property to rules under an escaped
//! name (k8s.io/apiserver `pkg/cel/escaping.go`, `Escape`): CEL's reserved words become
//! `__{word}__`, and `__`, `.`, `-`, `/` become `__underscores__`, `__dot__`, `__dash__`,
//! `__slash__`. A name that starts with a digit or holds any other character cannot be escaped;
//! the server leaves such a property out of the rule's type, so rules cannot reach it.

/// CEL's reserved symbols (the server's `celReservedSymbols`): its literals and `in`, and the
/// words the lexer reserves.
fn is_reserved(word: &str) -> bool {
    ["true", "false", "null", "in"].contains(&word) || super::lex::RESERVED_WORDS.contains(&word)
}

/// The name a property has in CEL, or None when the server cannot expose it.
pub fn escape(name: &str) -> Option<String> {
    if name.is_empty() || name.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if is_reserved(name) {
        return Some(format!("__{name}__"));
    }
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("__") {
            out.push_str("__underscores__");
            rest = &rest[2..];
            continue;
        }
        match c {
            '.' => out.push_str("__dot__"),
            '-' => out.push_str("__dash__"),
            '/' => out.push_str("__slash__"),
            c if c.is_ascii_alphanumeric() || c == '_' => out.push(c),
            _ => return None,
        }
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

/// The property name a CEL field name stands for (the inverse of [`escape`]), for messages.
pub fn unescape(cel_name: &str) -> String {
    if let Some(word) = cel_name.strip_prefix("__").and_then(|n| n.strip_suffix("__"))
        && is_reserved(word)
    {
        return word.to_string();
    }
    let mut out = String::with_capacity(cel_name.len());
    let mut rest = cel_name;
    'outer: while !rest.is_empty() {
        for (escaped, plain) in [("__underscores__", "__"), ("__dot__", "."), ("__dash__", "-"), ("__slash__", "/")] {
            if let Some(r) = rest.strip_prefix(escaped) {
                out.push_str(plain);
                rest = r;
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("non-empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_server_does_and_back() {
        for (plain, cel) in [
            ("replicas", Some("replicas")),
            ("namespace", Some("__namespace__")),
            ("x-y", Some("x__dash__y")),
            ("a.b/c", Some("a__dot__b__slash__c")),
            ("a__b", Some("a__underscores__b")),
            ("a_b", Some("a_b")),
            ("1st", None),
            ("a:b", None),
            ("", None),
        ] {
            assert_eq!(escape(plain).as_deref(), cel, "{plain}");
            if let Some(c) = cel {
                assert_eq!(unescape(c), plain);
            }
        }
    }
}
