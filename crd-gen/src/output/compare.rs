//! A file on disk against the bytes crd-gen would write, naming the cause when the text is the
//! same and only the bytes differ (a checkout that turned LF into CRLF, an editor's BOM or dropped
//! final newline): a diff of identical-looking lines says nothing.

use super::paths::Target;
use super::{Mismatch, Problem};

const BOM: &str = "\u{feff}";

/// Whether the file already holds exactly `generated` (then it is not touched).
pub fn is_same(real: &std::path::Path, exists: bool, generated: &str) -> bool {
    exists && std::fs::read(real).is_ok_and(|b| b == generated.as_bytes())
}

/// What is wrong with the file at `target`, if anything.
pub fn compare(target: &Target, generated: &str) -> Option<Mismatch> {
    let shown = target.entry.display().to_string();
    let mismatch = |problem, diff| Some(Mismatch { path: target.entry.clone(), problem, diff });
    if !target.exists {
        return mismatch(Problem::Missing, diff("", generated, "/dev/null", &format!("b/{shown}")));
    }
    let bytes = match std::fs::read(&target.real) {
        Ok(b) => b,
        Err(_) => return mismatch(Problem::Missing, diff("", generated, "/dev/null", &format!("b/{shown}"))),
    };
    if bytes == generated.as_bytes() {
        return None;
    }
    let Ok(text) = String::from_utf8(bytes) else { return mismatch(Problem::NotUtf8, String::new()) };
    let (normal, differences) = normalize(&text, generated);
    if normal == generated {
        return mismatch(Problem::Encoding(differences.join("; ")), String::new());
    }
    let diff = diff(&normal, generated, &format!("a/{shown}"), &format!("b/{shown}"));
    if differences.is_empty() {
        mismatch(Problem::OutOfDate, diff)
    } else {
        mismatch(Problem::Encoding(format!("out of date, and {}", differences.join("; "))), diff)
    }
}

/// The text with crd-gen's encoding (no BOM, LF line ends, a final newline when `generated` has
/// one), and each difference that took away, in words.
fn normalize(text: &str, generated: &str) -> (String, Vec<String>) {
    let mut differences = Vec::new();
    let mut t = text;
    if let Some(rest) = t.strip_prefix(BOM) {
        differences.push("the file starts with a UTF-8 byte order mark (BOM), which crd-gen does not write".to_string());
        t = rest;
    }
    let mut normal = t.to_string();
    let crlf = t.matches("\r\n").count();
    if crlf > 0 {
        let lines = t.lines().count();
        let which = if crlf >= lines { String::new() } else { format!(" on {crlf} of {lines} lines") };
        differences.push(format!(
            "line endings differ (CRLF on disk{which}, LF generated): git may convert them on checkout (core.autocrlf); add `*.yaml text eol=lf` to .gitattributes"
        ));
        normal = normal.replace("\r\n", "\n");
    }
    if generated.ends_with('\n') && !normal.ends_with('\n') && !normal.is_empty() {
        differences.push("no newline at end of file on disk".to_string());
        normal.push('\n');
    }
    (normal, differences)
}

fn diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    similar::TextDiff::from_lines(old, new).unified_diff().context_radius(3).header(old_name, new_name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(dir: &std::path::Path, name: &str, bytes: &[u8]) -> Target {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        Target { entry: p.clone(), real: p, exists: true }
    }

    #[test]
    fn names_encoding_differences_instead_of_diffing() {
        let dir = std::env::temp_dir().join(format!("crd-gen-compare-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let generated = "---\na: 1\nb: 2\n";
        let describe = |name: &str, bytes: &[u8]| compare(&target(&dir, name, bytes), generated).map(|m| (m.describe(), m.diff));
        assert!(describe("same", generated.as_bytes()).is_none());
        let (crlf, diff) = describe("crlf", b"---\r\na: 1\r\nb: 2\r\n").unwrap();
        assert!(crlf.contains("line endings differ (CRLF on disk, LF generated)"), "{crlf}");
        assert!(diff.is_empty());
        let (bom, _) = describe("bom", "\u{feff}---\na: 1\nb: 2\n".as_bytes()).unwrap();
        assert!(bom.contains("byte order mark (BOM)"), "{bom}");
        let (eof, _) = describe("eof", b"---\na: 1\nb: 2").unwrap();
        assert!(eof.contains("no newline at end of file on disk"), "{eof}");
        let (some, _) = describe("some", b"---\r\na: 1\nb: 2\n").unwrap();
        assert!(some.contains("CRLF on disk on 1 of 3 lines"), "{some}");
        // A real change under CRLF: the diff shows only the changed line, and the cause is named.
        let (both, diff) = describe("both", b"---\r\na: 1\r\nb: 3\r\n").unwrap();
        assert!(both.contains("out of date, and line endings differ"), "{both}");
        assert!(diff.contains("-b: 3\n+b: 2\n") && !diff.contains("-a: 1"), "{diff}");
        let (binary, _) = describe("binary", b"\xff\xfe").unwrap();
        assert!(binary.contains("not UTF-8"), "{binary}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
