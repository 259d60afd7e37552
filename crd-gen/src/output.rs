//! Output: writing files atomically, or checking them against disk (the golden-file gate).

use crate::diag::{Diagnostic, Place};
use std::path::{Path, PathBuf};

/// A file to write: full path and contents.
#[derive(Clone, Debug)]
pub struct PlannedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Writes every file or none: all are written to temporary files beside their targets first,
/// then renamed into place. Files whose contents are already right are not touched.
pub fn write_all(files: &[PlannedFile]) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, &Path)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for f in files {
        if std::fs::read_to_string(&f.path).is_ok_and(|old| old == f.contents) {
            continue;
        }
        let dir = f.path.parent().unwrap_or(Path::new("."));
        if let Err(e) = std::fs::create_dir_all(dir) {
            cleanup(&staged);
            return Err(io_error(dir, "cannot create the output directory", &e));
        }
        let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("crd.yaml");
        let tmp = dir.join(format!(".{name}.crd-gen-{}.tmp", std::process::id()));
        if let Err(e) = std::fs::write(&tmp, &f.contents) {
            cleanup(&staged);
            return Err(io_error(&tmp, "cannot write", &e));
        }
        staged.push((tmp, &f.path));
    }
    let mut written = Vec::new();
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            cleanup(&staged[i..]);
            return Err(io_error(target, "cannot replace", &e));
        }
        written.push(target.to_path_buf());
    }
    Ok(written)
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Box<Diagnostic> {
    let help = if path.exists() && !path.is_dir() && what.contains("directory") {
        "the output path exists and is a file; pass a directory to `--output-dir`".to_string()
    } else {
        "check the path and its permissions, or pass another `--output-dir`".to_string()
    };
    Box::new(Diagnostic::error(format!("{what} {}: {e}", path.display()), Place::File(path.to_path_buf())).with_help(help))
}

/// A file that differs from what would be generated, with a unified diff (disk -> generated).
#[derive(Clone, Debug)]
pub struct Mismatch {
    pub path: PathBuf,
    pub missing: bool,
    pub diff: String,
}

/// Compares every planned file with the disk; writes nothing.
pub fn check_all(files: &[PlannedFile]) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for f in files {
        let (old, missing) = match std::fs::read_to_string(&f.path) {
            Ok(s) => (s, false),
            Err(_) => (String::new(), true),
        };
        if !missing && old == f.contents {
            continue;
        }
        let shown = f.path.display().to_string();
        let old_name = if missing { "/dev/null".to_string() } else { format!("a/{shown}") };
        let diff = similar::TextDiff::from_lines(&old, &f.contents)
            .unified_diff()
            .context_radius(3)
            .header(&old_name, &format!("b/{shown}"))
            .to_string();
        out.push(Mismatch { path: f.path.clone(), missing, diff });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_checks() {
        let dir = std::env::temp_dir().join(format!("crd-gen-out-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = vec![PlannedFile { path: dir.join("a/x.yaml"), contents: "---\na: 1\n".into() }];
        assert_eq!(check_all(&files).len(), 1);
        assert!(check_all(&files)[0].missing);
        write_all(&files).unwrap();
        assert!(check_all(&files).is_empty());
        std::fs::write(dir.join("a/x.yaml"), "---\na: 2\n").unwrap();
        let m = check_all(&files);
        assert!(m[0].diff.contains("-a: 2") && m[0].diff.contains("+a: 1"), "{}", m[0].diff);
        // No temporary files left behind.
        write_all(&files).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.join("a")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn output_dir_that_is_a_file_is_an_error() {
        let file = std::env::temp_dir().join(format!("crd-gen-file-{}", std::process::id()));
        std::fs::write(&file, "x").unwrap();
        let files = vec![PlannedFile { path: file.join("x.yaml"), contents: "---\n".into() }];
        let e = write_all(&files).unwrap_err();
        assert!(e.message.contains("cannot create the output directory"), "{}", e.message);
        std::fs::remove_file(&file).unwrap();
    }
}
