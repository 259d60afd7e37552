//! What discovery reads from files that do not change between runs, kept in the target
//! directory: the manifests of registry and git packages (cargo unpacks each version once and
//! never edits it). Reading them is most of a small crate's run: a dependency on crd-gen alone
//! brings some 150 manifests.
//!
//! Each entry is the value read from one file with that file's length and modification time; a
//! file whose length or time differs (someone edited an unpacked source) is read again. The
//! cache is an optimisation only: a missing, unreadable or foreign cache file is an empty cache,
//! and a failed write leaves the next run to read the files again.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// A cache file written by another crd-gen (whose values may mean something else) is not read.
const FORMAT: &str = concat!("crd-gen ", env!("CARGO_PKG_VERSION"), " file cache 1");

pub struct FileCache<T> {
    /// Where the cache lives; None: nothing is kept between runs.
    path: Option<PathBuf>,
    entries: BTreeMap<PathBuf, Entry<T>>,
    /// Entries read from their files in this run (the cache file is written only then).
    added: bool,
}

#[derive(Serialize, Deserialize)]
struct Entry<T> {
    stamp: Stamp,
    value: T,
}

/// A file's length and modification time (nanoseconds since the epoch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp(pub u64, pub u128);

#[derive(Serialize, Deserialize)]
struct Stored<T> {
    format: String,
    entries: BTreeMap<PathBuf, Entry<T>>,
}

impl<T: Serialize + DeserializeOwned + Clone> FileCache<T> {
    /// The cache at `path` as the last run left it (empty when there is none or it cannot be read).
    pub fn open(path: Option<PathBuf>) -> FileCache<T> {
        let stored = path.as_deref().and_then(|p| std::fs::read(p).ok()).and_then(|b| serde_json::from_slice::<Stored<T>>(&b).ok());
        let entries = stored.filter(|s| s.format == FORMAT).map(|s| s.entries).unwrap_or_default();
        FileCache { path, entries, added: false }
    }

    /// The value of `file`: the cached one while the file is unchanged, else `read`'s.
    pub fn get_or_read<E>(&mut self, file: &Path, read: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let Some(stamp) = stamp(file) else { return read() };
        if let Some(e) = self.entries.get(file).filter(|e| e.stamp == stamp) {
            return Ok(e.value.clone());
        }
        let value = read()?;
        self.entries.insert(file.to_path_buf(), Entry { stamp, value: value.clone() });
        self.added = true;
        Ok(value)
    }

    /// Writes the cache when this run read something new, through a temporary file renamed over
    /// the old one (two runs at once never leave half a file). Entries of files that are gone are
    /// dropped. A write that fails costs only the next run's time, so it is not reported.
    pub fn save(mut self) {
        let Some(path) = self.path.take().filter(|_| self.added) else { return };
        self.entries.retain(|file, _| file.exists());
        let stored = Stored { format: FORMAT.to_string(), entries: self.entries };
        let Ok(bytes) = serde_json::to_vec(&stored) else { return };
        let Some(dir) = path.parent() else { return };
        let temp = dir.join(format!(".{}.{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("cache"), std::process::id()));
        let written = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&temp, bytes)).and_then(|()| std::fs::rename(&temp, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
}

impl<T> FileCache<T> {
    /// Every file's cached value.
    #[cfg(test)]
    pub fn entries(&self) -> impl Iterator<Item = (&Path, &T)> {
        self.entries.iter().map(|(file, e)| (file.as_path(), &e.value))
    }
}

pub(crate) fn stamp(file: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(file).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(Stamp(meta.len(), modified.as_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("crd-gen-file-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A cache path and a file holding "a", in a directory of their own.
    fn cache_and_file(name: &str) -> (PathBuf, PathBuf) {
        let dir = scratch(name);
        let file = dir.join("Cargo.toml");
        std::fs::write(&file, "a").unwrap();
        (dir.join("cache.json"), file)
    }

    /// `file`'s text through a cache at `cache`, as one run would (open, read, save), and whether
    /// the file itself was read.
    fn run(cache: &Path, file: &Path) -> (String, bool) {
        let read = Cell::new(false);
        let mut c = FileCache::<String>::open(Some(cache.to_path_buf()));
        let text = c
            .get_or_read(file, || {
                read.set(true);
                std::fs::read_to_string(file)
            })
            .unwrap();
        c.save();
        (text, read.get())
    }

    #[test]
    fn an_unchanged_file_is_read_once_over_runs() {
        let (cache, file) = cache_and_file("unchanged");
        assert_eq!(run(&cache, &file), ("a".to_string(), true));
        assert_eq!(run(&cache, &file), ("a".to_string(), false));
    }

    #[test]
    fn a_changed_file_is_read_again() {
        let (cache, file) = cache_and_file("changed");
        run(&cache, &file);
        std::fs::write(&file, "bb").unwrap();
        assert_eq!(run(&cache, &file), ("bb".to_string(), true));
        // The same length, written later: the time tells.
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::write(&file, "cc").unwrap();
        std::fs::File::options().write(true).open(&file).unwrap().set_modified(later).unwrap();
        assert_eq!(run(&cache, &file), ("cc".to_string(), true));
        assert_eq!(run(&cache, &file), ("cc".to_string(), false));
    }

    #[test]
    fn a_broken_or_foreign_cache_file_is_an_empty_cache_and_is_replaced() {
        let (cache, file) = cache_and_file("broken");
        for bad in ["{not json", r#"{"format": "crd-gen 0.0.0 file cache 1", "entries": {}}"#] {
            std::fs::write(&cache, bad).unwrap();
            assert_eq!(run(&cache, &file), ("a".to_string(), true), "{bad}");
            assert_eq!(run(&cache, &file), ("a".to_string(), false), "{bad}");
        }
    }

    #[test]
    fn entries_of_files_that_are_gone_are_dropped() {
        let dir = scratch("gone");
        let (cache, a, b) = (dir.join("cache.json"), dir.join("a.toml"), dir.join("b.toml"));
        std::fs::write(&a, "a").unwrap();
        std::fs::write(&b, "b").unwrap();
        run(&cache, &a);
        std::fs::remove_file(&a).unwrap();
        run(&cache, &b);
        let stored: Stored<String> = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
        assert_eq!(stored.entries.keys().collect::<Vec<_>>(), [&b]);
    }
}
