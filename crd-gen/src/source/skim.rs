//! Skim: a dependency's files with the bodies of their `impl` blocks and functions blanked out
//! before parsing. crd-gen reads a dependency only for the types a resource names, and no path
//! leads into a body; k8s-openapi's files are mostly `Deserialize` impls, whose parsing was most
//! of a run that inlines a `PodSpec`. The one kind of body crd-gen reads, k8s-openapi's
//! `impl JsonSchema` (`lower/k8s.rs` takes the schema from it), is kept. Every character of a
//! body but newlines becomes a space, so lines and columns stay where they were. A crate being
//! generated is never skimmed, and a skimmed file that does not parse is parsed again whole (the
//! skim is only ever a shortcut).

/// `text` with its item-level `impl` and `fn` bodies blanked, or None when there is none.
pub fn skim(text: &str) -> Option<String> {
    let bodies = bodies(text);
    if bodies.is_empty() {
        return None;
    }
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(text.len());
    let mut last = 0;
    for (open, close) in bodies {
        out.extend_from_slice(&b[last..=open]);
        // One space per character (a column is a character), so UTF-8 continuation bytes go.
        let blank = |c: &u8| (c & 0xC0 != 0x80).then_some(if *c == b'\n' { b'\n' } else { b' ' });
        out.extend(b[open + 1..close].iter().filter_map(blank));
        last = close;
    }
    out.extend_from_slice(&b[last..]);
    // The bodies lie between ASCII braces, so what is kept is whole characters.
    String::from_utf8(out).ok()
}

/// Byte offsets of the `{` and `}` of each item-level `impl` or `fn` body (items of inline
/// modules included).
fn bodies(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // Per open `{`: whether its contents are items (the file, or an inline `mod`).
    let mut blocks: Vec<bool> = Vec::new();
    let mut nesting = 0usize; // ( and [ depth inside the current block
    let (mut pending_body, mut pending_mod) = (false, false);
    let mut header_start = 0; // where the pending `impl`/`fn` header begins
    let mut body_start: Option<(usize, usize)> = None; // (offset of `{`, blocks depth)
    let mut i = 0;
    while i < b.len() {
        let at_items = blocks.last().copied().unwrap_or(true) && body_start.is_none();
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => i = comment_end(b, i),
            b'"' => i = string_end(b, i + 1),
            b'\'' => i = quote_end(b, i),
            b'(' | b'[' => {
                nesting += 1;
                i += 1;
            }
            b')' | b']' => {
                nesting = nesting.saturating_sub(1);
                i += 1;
            }
            b'{' => {
                if at_items && nesting == 0 && pending_body && !text[header_start..i].contains("JsonSchema") {
                    body_start = Some((i, blocks.len()));
                }
                blocks.push(at_items && nesting == 0 && pending_mod && !pending_body);
                (pending_body, pending_mod) = (false, false);
                i += 1;
            }
            b'}' => {
                blocks.pop();
                if let Some((open, depth)) = body_start
                    && depth == blocks.len()
                {
                    out.push((open, i));
                    body_start = None;
                }
                (pending_body, pending_mod) = (false, false);
                i += 1;
            }
            b';' => {
                if at_items && nesting == 0 {
                    (pending_body, pending_mod) = (false, false);
                }
                i += 1;
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                let start = i;
                i = ident_end(b, i);
                let word = &text[start..i];
                // `r"..."`, `br#"..."#`, `c"..."`: a (raw) string, not an identifier.
                if matches!(word, "r" | "br" | "cr" | "b" | "c") && matches!(b.get(i), Some(b'"' | b'#')) {
                    i = raw_string_end(b, i, word.contains('r'));
                    continue;
                }
                if at_items && nesting == 0 {
                    match word {
                        "impl" | "fn" if !pending_body => {
                            pending_body = true;
                            header_start = start;
                        }
                        "mod" => pending_mod = true,
                        _ => {}
                    }
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn ident_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric() || b[i] >= 0x80) {
        i += 1;
    }
    i
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p)
}

/// After a (nested) block comment starting at `i`.
fn comment_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// After the closing `"` of a string whose contents start at `i`.
fn string_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// After `r#"..."#` (from the `#`s or `"` at `i`); a plain `b"..."`/`c"..."` when not raw.
fn raw_string_end(b: &[u8], mut i: usize, raw: bool) -> usize {
    if !raw {
        return if b.get(i) == Some(&b'"') { string_end(b, i + 1) } else { i };
    }
    let hashes = b[i..].iter().take_while(|&&c| c == b'#').count();
    i += hashes;
    if b.get(i) != Some(&b'"') {
        // `r#ident`: a raw identifier.
        return ident_end(b, i);
    }
    i += 1;
    while i < b.len() {
        if b[i] == b'"' && b[i + 1..].iter().take(hashes).filter(|&&c| c == b'#').count() == hashes {
            return i + 1 + hashes;
        }
        i += 1;
    }
    b.len()
}

/// After a char literal (`'a'`, `'\n'`, `'{'`) or a lifetime (`'a`) starting at `i`.
fn quote_end(b: &[u8], i: usize) -> usize {
    if b.get(i + 1) == Some(&b'\\') {
        // The escaped character (which may be a quote) is at i + 2.
        return b.get(i + 3..).and_then(|r| r.iter().position(|&c| c == b'\'')).map_or(b.len(), |p| i + 4 + p);
    }
    let c = &b[i + 1..];
    let width = match c.first() {
        Some(&x) if x < 0x80 => 1,
        Some(&x) if x >= 0xF0 => 4,
        Some(&x) if x >= 0xE0 => 3,
        Some(_) => 2,
        None => return b.len(),
    };
    if c.get(width) == Some(&b'\'') { i + 2 + width } else { i + 1 }
}

#[cfg(test)]
mod tests {
    use super::skim;

    /// `text` skims to itself with each of `blanked` (a body's contents) turned to spaces.
    #[track_caller]
    fn assert_skims(text: &str, blanked: &[&str]) {
        let mut expected = text.to_string();
        for body in blanked {
            let spaces: String = body.chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
            expected = expected.replacen(body, &spaces, 1);
        }
        let out = skim(text).unwrap_or_else(|| text.to_string());
        assert_eq!(out, expected);
        syn::parse_file(&out).expect("the skimmed text parses");
    }

    #[test]
    fn impl_and_fn_bodies_are_blanked_and_types_kept() {
        assert_skims(
            "pub struct A { x: u8 }\nimpl A {\n    fn f(&self) -> u8 { self.x }\n}\nfn g() { let _ = '}'; }\n",
            &["\n    fn f(&self) -> u8 { self.x }\n", " let _ = '}'; "],
        );
    }

    #[test]
    fn braces_in_strings_comments_and_chars_do_not_count() {
        let body = " fn f() { let s = \"}\"; let r = r#\"}\"#; /* } */ // }\n let c = '{'; let q = '\\''; let l: &'static str = s; } ";
        assert_skims(&format!("impl A {{{body}}}\nstruct B;\n"), &[body]);
    }

    #[test]
    fn items_of_inline_modules_are_skimmed_and_other_blocks_are_not() {
        assert_skims(
            "mod m {\n    impl X { fn a() {} }\n    pub struct S { pub a: u8 }\n}\ntrait T { fn d() { 1; } }\nconst C: u8 = { 1 };\n",
            &[" fn a() {} "],
        );
    }

    #[test]
    fn signatures_with_fn_types_and_where_clauses_keep_their_shape() {
        assert_skims(
            "type F = fn(u8) -> u8;\npub struct S { f: fn() }\nfn h<T>(t: T) -> [u8; 2] where T: Fn() -> u8 { [t(), 1] }\n",
            &[" [t(), 1] "],
        );
    }

    #[test]
    fn json_schema_impls_which_crd_gen_reads_are_kept() {
        assert_skims(
            "impl crate::schemars::JsonSchema for A { fn json_schema() -> S { s() } }\nimpl Clone for A { fn clone(&self) -> A { A } }\n",
            &[" fn clone(&self) -> A { A } "],
        );
    }

    #[test]
    fn a_character_of_several_bytes_is_one_space() {
        let body = " fn f() { let s = \"é→𝄞\"; } ";
        assert_skims(&format!("impl A {{{body}}}\nstruct B {{ /* ü */ x: u8 }}\n"), &[body]);
    }

    #[test]
    fn a_file_without_bodies_is_left_alone() {
        assert!(skim("pub struct A;\n").is_none());
    }
}
