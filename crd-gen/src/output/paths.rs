//! Every path a run will write, checked before anything is written, so that a run that cannot
//! finish changes nothing.
//!
//! The symlink rule: a CRD file (or the output directory) that is a symlink is written *through*:
//! the file it points at gets the new contents and the link stays. A Helm chart that links
//! `config/crd/bases/x.yaml` to `charts/app/crds/x.yaml` (or the other way round) keeps both in
//! step, and `--check` reads through the link too. A dangling link, a link loop, or a link to a
//! directory is an error: crd-gen does not guess where the file should go.

use super::{Error, ErrorKind, OutputDir, PlannedFile};
use crate::diag::{Diagnostic, Place};
use std::io::ErrorKind as IoKind;
use std::path::{Path, PathBuf};

/// Where a file goes: `entry` is its path in the output directory (what messages show), `real`
/// the file its bytes land in (the same path unless `entry` is a symlink).
#[derive(Clone, Debug)]
pub struct Target {
    pub entry: PathBuf,
    pub real: PathBuf,
    pub exists: bool,
}

/// An output directory with every target resolved.
pub struct Layout<'a> {
    pub out: &'a OutputDir,
    /// The directory exists (otherwise it is created, and nothing in it can be found yet).
    pub exists: bool,
    pub files: Vec<(Target, &'a PlannedFile)>,
    pub record: Target,
}

/// Checks and resolves every target of every directory; all problems are reported together.
pub fn prepare<'a>(dirs: &'a [OutputDir], warnings: &mut Vec<Diagnostic>) -> Result<Vec<Layout<'a>>, Error> {
    let mut errors = Vec::new();
    let mut layouts = Vec::new();
    for out in dirs {
        let exists = match check_dir(&out.dir) {
            Ok(exists) => exists,
            Err(d) => {
                errors.push(*d);
                continue;
            }
        };
        // Nothing to write and nothing there to remove: the directory is not created.
        if !exists && out.files.is_empty() {
            continue;
        }
        let mut resolve_one = |path: &Path| match resolve(path, exists, warnings) {
            Ok(t) => Some(t),
            Err(d) => {
                errors.push(*d);
                None
            }
        };
        let files: Vec<(Target, &PlannedFile)> = out.files.iter().filter_map(|f| resolve_one(&f.path).map(|t| (t, f))).collect();
        if let Some(record) = resolve_one(&out.dir.join(super::RECORD_NAME)) {
            layouts.push(Layout { out, exists, files, record });
        }
    }
    if !errors.is_empty() {
        return Err(Error { kind: ErrorKind::Io, diagnostics: errors });
    }
    let clashes = same_destination(&layouts);
    if !clashes.is_empty() {
        return Err(Error { kind: ErrorKind::Conflict, diagnostics: clashes });
    }
    Ok(layouts)
}

/// Two generated files whose bytes would land in one file (two packages writing one name into a
/// shared directory, or two symlinks to one file): one would silently overwrite the other.
fn same_destination(layouts: &[Layout]) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<PathBuf, &Target> = std::collections::HashMap::new();
    let mut dirs = std::collections::HashMap::new();
    let mut clashes = Vec::new();
    for (target, file) in layouts.iter().flat_map(|l| &l.files) {
        let key = destination(&target.real, &mut dirs);
        match seen.get(&key) {
            Some(first) => clashes.push(
                Diagnostic::error(
                    format!(
                        "`{}` and `{}` would both be written to `{}` (the second by package `{}`)",
                        first.entry.display(),
                        target.entry.display(),
                        key.display(),
                        file.package
                    ),
                    Place::File(target.entry.clone()),
                )
                .with_help("give each package its own output directory, or make the CRDs' groups or plurals differ"),
            ),
            None => {
                seen.insert(key, target);
            }
        }
    }
    clashes
}

/// The file `real` names, with every symlink on the way resolved. `real` is a plain file, a
/// file yet to be made, or a symlink's resolved target ([`resolve`]): its last component is no
/// link, so resolving its directory is enough, once per directory (`dirs`). Resolving every file
/// whole asked the kernel for each component of each path, 11 000 calls for 1000 files.
fn destination(real: &Path, dirs: &mut std::collections::HashMap<PathBuf, Option<PathBuf>>) -> PathBuf {
    let (Some(dir), Some(name)) = (real.parent(), real.file_name()) else { return real.to_path_buf() };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    match dirs.entry(dir.to_path_buf()).or_insert_with(|| dir.canonicalize().ok()) {
        Some(canonical) => canonical.join(name),
        None => real.to_path_buf(),
    }
}

/// Whether the output directory exists; an error when it cannot be one.
fn check_dir(dir: &Path) -> Result<bool, Box<Diagnostic>> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => Ok(true),
        Ok(m) if m.is_symlink() => match std::fs::metadata(dir) {
            Ok(t) if t.is_dir() => Ok(true),
            Ok(_) => Err(dir_error(
                dir,
                format!("the output directory `{}` is a symlink to a file, `{}`", dir.display(), link_text(dir)),
                DIR_HELP,
            )),
            Err(e) if e.kind() == IoKind::NotFound => Err(dir_error(
                dir,
                format!("the output directory `{}` is a symlink to `{}`, which does not exist", dir.display(), link_text(dir)),
                "create the directory the link points at, point the link at an existing directory, or pass another `--output-dir`",
            )),
            Err(e) => Err(io_diag(dir, format!("cannot use the output directory `{}`", dir.display()), &e)),
        },
        Ok(_) => Err(dir_error(dir, format!("the output directory `{}` is a file, not a directory", dir.display()), DIR_HELP)),
        Err(e) if matches!(e.kind(), IoKind::NotFound | IoKind::NotADirectory) => check_ancestors(dir),
        Err(e) => Err(io_diag(dir, format!("cannot use the output directory `{}`", dir.display()), &e)),
    }
}

/// The output directory does not exist: it can be created if its nearest existing ancestor is a
/// directory.
fn check_ancestors(dir: &Path) -> Result<bool, Box<Diagnostic>> {
    for a in dir.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()) {
        let Ok(m) = std::fs::symlink_metadata(a) else { continue };
        return match std::fs::metadata(a) {
            Ok(t) if t.is_dir() => Ok(false),
            Ok(_) => Err(dir_error(
                dir,
                format!("cannot create the output directory `{}`: `{}` is a file, not a directory", dir.display(), a.display()),
                DIR_HELP,
            )),
            Err(_) if m.is_symlink() => Err(dir_error(
                dir,
                format!(
                    "cannot create the output directory `{}`: `{}` is a symlink to `{}`, which does not exist",
                    dir.display(),
                    a.display(),
                    link_text(a)
                ),
                "restore the directory the link points at, or pass another `--output-dir`",
            )),
            Err(e) => Err(io_diag(dir, format!("cannot create the output directory `{}`", dir.display()), &e)),
        };
    }
    Ok(false)
}

const DIR_HELP: &str = "pass a directory to `--output-dir` (crd-gen writes one file per CRD into it), or move what is in the way";

fn dir_error(dir: &Path, message: String, help: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(message, Place::File(dir.to_path_buf())).with_help(help))
}

/// Resolves one target path by the symlink rule.
fn resolve(entry: &Path, dir_exists: bool, warnings: &mut Vec<Diagnostic>) -> Result<Target, Box<Diagnostic>> {
    let missing = || Target { entry: entry.to_path_buf(), real: entry.to_path_buf(), exists: false };
    if !dir_exists {
        return Ok(missing());
    }
    let meta = match std::fs::symlink_metadata(entry) {
        Ok(m) => m,
        Err(e) if e.kind() == IoKind::NotFound => return Ok(missing()),
        Err(e) => return Err(io_diag(entry, format!("cannot use `{}`", entry.display()), &e)),
    };
    if meta.is_symlink() {
        return resolve_link(entry);
    }
    if meta.is_file() {
        warn_hard_links(entry, &meta, warnings);
        return Ok(Target { entry: entry.to_path_buf(), real: entry.to_path_buf(), exists: true });
    }
    Err(target_error(entry, format!("`{}` is {}, where crd-gen writes a CRD file", entry.display(), kind_of(&meta))))
}

fn resolve_link(entry: &Path) -> Result<Target, Box<Diagnostic>> {
    let to = link_text(entry);
    let real = match entry.canonicalize() {
        Ok(real) => real,
        Err(e) if e.kind() == IoKind::NotFound => {
            return Err(Box::new(
                Diagnostic::error(format!("`{}` is a symlink to `{to}`, which does not exist", entry.display()), Place::File(entry.to_path_buf()))
                    .with_help("crd-gen writes through symlinks (the file the link points at gets the CRD): restore that file, or remove the link to have a plain file written there"),
            ));
        }
        Err(e) => return Err(io_diag(entry, format!("cannot follow the symlink `{}` (to `{to}`)", entry.display()), &e)),
    };
    match std::fs::metadata(&real) {
        Ok(m) if m.is_file() => Ok(Target { entry: entry.to_path_buf(), real, exists: true }),
        Ok(m) => Err(target_error(
            entry,
            format!("`{}` is a symlink to {}, `{}`, where crd-gen writes a CRD file", entry.display(), kind_of(&m), real.display()),
        )),
        Err(e) => Err(io_diag(entry, format!("cannot follow the symlink `{}`", entry.display()), &e)),
    }
}

fn target_error(entry: &Path, message: String) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(message, Place::File(entry.to_path_buf())).with_help(
        "move it out of the way (crd-gen writes regular files, or through symlinks to regular files), or pass another `--output-dir`",
    ))
}

/// "a directory", "a FIFO (named pipe)", ...: what is at a path instead of a regular file.
fn kind_of(m: &std::fs::Metadata) -> &'static str {
    if m.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// A rename gives the path a new file, so the file's other hard links keep the old contents.
fn warn_hard_links(entry: &Path, meta: &std::fs::Metadata, warnings: &mut Vec<Diagnostic>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            warnings.push(
                Diagnostic::warning(
                    format!(
                        "`{}` has {} hard links: crd-gen replaces the file, so the other links keep the old contents",
                        entry.display(),
                        meta.nlink()
                    ),
                    Place::File(entry.to_path_buf()),
                )
                .with_help("link the other copy with a symlink instead; crd-gen writes through symlinks"),
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (entry, meta, warnings);
}

fn link_text(link: &Path) -> String {
    std::fs::read_link(link).map(|t| t.display().to_string()).unwrap_or_else(|_| "?".into())
}

/// Creates the output directories that do not exist yet; returns each directory created, deepest
/// first, so a failed run can remove them again.
pub fn create_dirs(layouts: &[Layout]) -> Result<Vec<PathBuf>, Error> {
    let mut created = Vec::new();
    for layout in layouts.iter().filter(|l| !l.exists) {
        let dir = &layout.out.dir;
        let new: Vec<PathBuf> = dir.ancestors().take_while(|a| !a.as_os_str().is_empty() && !a.exists()).map(Path::to_path_buf).collect();
        if let Err(e) = std::fs::create_dir_all(dir) {
            remove_created(&created);
            return Err(Error::io(*io_diag(dir, format!("cannot create the output directory `{}`", dir.display()), &e)));
        }
        created.extend(new);
    }
    Ok(created)
}

/// Removes directories a failed run created (only while empty: never anything else's).
pub fn remove_created(created: &[PathBuf]) {
    for dir in created {
        let _ = std::fs::remove_dir(dir);
    }
}

/// An I/O error at `path`, with a help that names the fix for its cause.
pub fn io_diag(path: &Path, what: String, e: &std::io::Error) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(format!("{what}: {e}"), Place::File(path.to_path_buf())).with_help(io_help(path, e)))
}

pub fn io_help(path: &Path, e: &std::io::Error) -> String {
    let p = path.display();
    match e.kind() {
        IoKind::PermissionDenied => format!("`{p}` is not writable here: change its permissions, or pass another `--output-dir`"),
        IoKind::ReadOnlyFilesystem => format!("`{p}` is on a read-only file system: pass an `--output-dir` on a writable one"),
        IoKind::StorageFull => format!("the device that holds `{p}` is full: free some space and run again"),
        IoKind::QuotaExceeded => "your disk quota is used up: free some space and run again".to_string(),
        IoKind::FileTooLarge => "a file-size limit (`ulimit -f`) stopped the write: raise it and run again".to_string(),
        IoKind::NotADirectory => format!("a part of `{p}` is a file, not a directory: pass another `--output-dir`"),
        _ => format!("check `{p}` and its permissions, or pass another `--output-dir`"),
    }
}

#[cfg(test)]
mod tests {
    use super::destination;
    use crate::source::fixture::TempTree;

    /// A file's destination is found by its directory: spellings of one directory, a symlink to
    /// it, and a file not yet made there all land on one path.
    #[cfg(unix)]
    #[test]
    fn spellings_of_one_directory_are_one_destination() {
        let tree = TempTree::of(&[("out/a.yaml", "")]);
        std::os::unix::fs::symlink(tree.0.join("out"), tree.0.join("link")).unwrap();
        let mut dirs = std::collections::HashMap::new();
        let want = tree.0.canonicalize().unwrap().join("out/a.yaml");
        for spelling in ["out/a.yaml", "out/../out/a.yaml", "link/a.yaml", "./out/a.yaml"] {
            assert_eq!(destination(&tree.0.join(spelling), &mut dirs), want, "{spelling}");
        }
        let new = destination(&tree.0.join("link/new.yaml"), &mut dirs);
        assert_eq!(new, tree.0.canonicalize().unwrap().join("out/new.yaml"));
        // A directory that does not exist is left as written.
        assert_eq!(destination(&tree.0.join("none/a.yaml"), &mut dirs), tree.0.join("none/a.yaml"));
    }
}
