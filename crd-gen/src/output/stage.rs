//! Staging and committing: what can be atomic is.
//!
//! Each file is replaced atomically: its new bytes go to a temporary file in the same directory,
//! are fsynced, and the temporary file is renamed over the target (a reader sees the old file or
//! the new one, never a mix). A *set* of files cannot be replaced atomically by any POSIX file
//! system, so the window is kept small instead: every file is written and fsynced before the first
//! rename, the renames run in one loop with no other work, and the directories are fsynced after
//! it. A run that fails before that loop (a full disk, a file-size limit, an unwritable directory)
//! has changed nothing; a run killed inside it leaves each file either old or new, and the next
//! run completes the set.
//!
//! Temporary files are named `.<file>.crd-gen-<pid>-<n>.tmp`: hidden, not `.yaml` (so
//! `kubectl apply -f DIR` skips them), and recognisable. A run holds an exclusive `flock` on
//! every directory it stages in, from before it looks for stale temporary files until after its
//! last rename; a temporary file found while holding that lock belongs to a run that died (the
//! kernel releases a dead process's locks), so it is removed. A live run's files are never
//! touched: a second run waits for the lock. `--check` takes a shared lock, so it does not read a
//! directory in the middle of a write.

use super::paths::{Target, io_diag, io_help};
use super::{Change, Error};
use crate::diag::{Diagnostic, Place};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Directory locks, released on drop (and by the kernel if the process dies).
pub struct Lock {
    held: Vec<(PathBuf, File)>,
}

impl Lock {
    /// Locks every directory exclusively, in the given (sorted) order.
    pub fn exclusive(dirs: &[PathBuf], on_wait: &mut dyn FnMut(&Path), warnings: &mut Vec<Diagnostic>) -> Result<Lock, Error> {
        let mut held = Vec::new();
        for dir in dirs {
            let file = match File::open(dir) {
                Ok(f) => f,
                Err(e) => {
                    warnings.push(no_lock_warning(dir, &e));
                    continue;
                }
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    on_wait(dir);
                    if let Err(e) = file.lock() {
                        return Err(Error::io(*io_diag(
                            dir,
                            format!("cannot lock `{}` while another crd-gen run writes it", dir.display()),
                            &e,
                        )));
                    }
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    warnings.push(no_lock_warning(dir, &e));
                    continue;
                }
            }
            held.push((dir.clone(), file));
        }
        Ok(Lock { held })
    }

    /// Shared locks where they can be had (for reading); never fails.
    pub fn shared(dirs: &[PathBuf]) -> Lock {
        let held = dirs.iter().filter_map(|d| File::open(d).ok().filter(|f| f.lock_shared().is_ok()).map(|f| (d.clone(), f))).collect();
        Lock { held }
    }

    /// The directories actually locked: only there are temporary files known to be stale.
    pub fn locked_dirs(&self) -> impl Iterator<Item = &Path> {
        self.held.iter().map(|(d, _)| d.as_path())
    }
}

fn no_lock_warning(dir: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::warning(
        format!(
            "cannot lock `{}` ({e}): temporary files of interrupted runs there are left alone, and two runs at once may interleave",
            dir.display()
        ),
        Place::File(dir.to_path_buf()),
    )
    .with_help("crd-gen locks output directories with flock; use a local file system for them")
}

/// The temporary file for `real`'s new contents, beside it.
fn temp_path(real: &Path, n: usize) -> PathBuf {
    let name = real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    real.with_file_name(format!(".{name}.crd-gen-{}-{n}.tmp", std::process::id()))
}

/// Whether a file name is one of crd-gen's temporary files: `.<name>.crd-gen-<pid>[-<n>].tmp`
/// (the form without `-<n>` is what earlier versions wrote).
pub fn is_temp_name(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else { return false };
    let Some((target, tag)) = inner.rsplit_once(".crd-gen-") else { return false };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let tag_ok = match tag.split_once('-') {
        Some((pid, n)) => digits(pid) && digits(n),
        None => digits(tag),
    };
    !target.is_empty() && tag_ok
}

/// crd-gen's temporary files in `dir` (regular files only).
pub fn stale_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(is_temp_name) && e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Removes the stale temporary files of `dir`; call only while holding its exclusive lock.
pub fn remove_stale(dir: &Path) -> Vec<PathBuf> {
    stale_temps(dir).into_iter().filter(|t| std::fs::remove_file(t).is_ok()).collect()
}

pub fn stale_warning(temp: &Path) -> Diagnostic {
    Diagnostic::warning(
        format!("`{}` is a temporary file left by an interrupted crd-gen run", temp.display()),
        Place::File(temp.to_path_buf()),
    )
    .with_help("`cargo crd-gen manifests` removes it")
}

enum Step {
    Put { target: Target, contents: String, report: bool, temp: Option<PathBuf> },
    Remove { entry: PathBuf, reason: Option<String> },
}

/// The steps of a write, in commit order.
#[derive(Default)]
pub struct Batch {
    steps: Vec<Step>,
}

impl Batch {
    /// Replace `target` with `contents`; `report` says whether the change is shown to the user.
    pub fn put(&mut self, target: &Target, contents: &str, report: bool) {
        self.steps.push(Step::Put { target: target.clone(), contents: contents.to_string(), report, temp: None });
    }
    /// Remove `entry` (the link itself when it is a symlink); `reason` is shown to the user.
    pub fn remove(&mut self, entry: &Path, reason: Option<String>) {
        self.steps.push(Step::Remove { entry: entry.to_path_buf(), reason });
    }

    /// Writes and fsyncs every temporary file. On failure every one is removed again and
    /// nothing has changed.
    pub fn stage(mut self) -> Result<Staged, Error> {
        let mut failure = None;
        for (n, step) in self.steps.iter_mut().enumerate() {
            let Step::Put { target, contents, temp, .. } = step else { continue };
            let path = temp_path(&target.real, n);
            match write_synced(&path, contents, target) {
                Ok(()) => *temp = Some(path),
                Err(e) => {
                    let _ = std::fs::remove_file(&path);
                    failure = Some(stage_error(target, &e));
                    break;
                }
            }
        }
        let staged = Staged { steps: self.steps };
        match failure {
            None => Ok(staged),
            Some(d) => {
                staged.remove_temps(0);
                Err(Error::io(d))
            }
        }
    }
}

fn write_synced(path: &Path, contents: &str, target: &Target) -> std::io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(contents.as_bytes())?;
    // The replaced file's permissions carry over (a rename would otherwise reset them).
    if target.exists
        && let Ok(m) = std::fs::metadata(&target.real)
    {
        f.set_permissions(m.permissions())?;
    }
    f.sync_all()
}

fn stage_error(target: &Target, e: &std::io::Error) -> Diagnostic {
    let dir = target.real.parent().unwrap_or(Path::new("."));
    Diagnostic::error(format!("cannot write `{}`: {e}", target.entry.display()), Place::File(target.entry.clone()))
        .with_help(io_help(dir, e))
        .with_note(
            Place::File(dir.to_path_buf()),
            "nothing was changed: every file is staged as a temporary file first, and none was renamed into place",
        )
}

/// Every temporary file written and fsynced: ready to rename.
pub struct Staged {
    steps: Vec<Step>,
}

impl Staged {
    /// Renames and removes in one loop, then fsyncs the directories (so the renames survive a
    /// power loss). Returns what changed.
    pub fn commit(self) -> Result<Vec<Change>, Error> {
        let mut changes = Vec::new();
        let mut dirs: Vec<PathBuf> = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            let (result, path) = match step {
                Step::Put { target, temp: Some(temp), .. } => (std::fs::rename(temp, &target.real), &target.entry),
                Step::Put { temp: None, .. } => continue,
                Step::Remove { entry, .. } => match std::fs::remove_file(entry) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Ok(()), entry),
                    other => (other, entry),
                },
            };
            if let Err(e) = result {
                self.remove_temps(i);
                return Err(Error::io(commit_error(path, &e, &changes)));
            }
            match step {
                Step::Put { target, report, .. } => {
                    dirs.extend(target.real.parent().map(Path::to_path_buf));
                    if *report {
                        changes.push(Change::Wrote(target.entry.clone()));
                    }
                }
                Step::Remove { entry, reason } => {
                    dirs.extend(entry.parent().map(Path::to_path_buf));
                    if let Some(reason) = reason {
                        changes.push(Change::Removed { path: entry.clone(), reason: reason.clone() });
                    }
                }
            }
        }
        dirs.sort();
        dirs.dedup();
        for dir in dirs {
            // Not every file system can fsync a directory; the renames have happened either way.
            let _ = File::open(&dir).and_then(|d| d.sync_all());
        }
        Ok(changes)
    }

    fn remove_temps(&self, from: usize) {
        for step in &self.steps[from..] {
            if let Step::Put { temp: Some(t), .. } = step {
                let _ = std::fs::remove_file(t);
            }
        }
    }
}

fn commit_error(path: &Path, e: &std::io::Error, done: &[Change]) -> Diagnostic {
    let d = Diagnostic::error(format!("cannot put `{}` into place: {e}", path.display()), Place::File(path.to_path_buf()))
        .with_help("fix the cause and run again: the next run completes the set");
    let done: Vec<String> = done
        .iter()
        .filter_map(|c| match c {
            Change::Wrote(p) | Change::Removed { path: p, .. } => Some(p.display().to_string()),
            _ => None,
        })
        .collect();
    if done.is_empty() {
        d.with_note(Place::File(path.to_path_buf()), "nothing was changed")
    } else {
        d.with_note(
            Place::File(path.to_path_buf()),
            format!("already replaced or removed (each file is whole, old or new): {}", done.join(", ")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_recognised_and_nothing_else() {
        assert!(is_temp_name(".g.example.com_foos.yaml.crd-gen-123-0.tmp"));
        assert!(is_temp_name(".g.example.com_foos.yaml.crd-gen-123.tmp"));
        assert!(is_temp_name("..crd-gen-owned.crd-gen-9-2.tmp"));
        for other in [
            "g_foos.yaml",
            ".g_foos.yaml.tmp",
            "notes.tmp",
            ".x.crd-gen-abc.tmp",
            ".x.crd-gen-12-.tmp",
            ".crd-gen-12.tmp",
            "x.crd-gen-1.tmp",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
        let t = temp_path(Path::new("/d/g_foos.yaml"), 3);
        assert!(is_temp_name(t.file_name().unwrap().to_str().unwrap()), "{}", t.display());
    }
}
