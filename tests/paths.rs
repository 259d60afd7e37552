//! Odd output paths: every target is checked before anything is written, so a run that cannot
//! finish changes nothing, and `--check` says the same words with the same exit code (2). And
//! symlinked goldens: crd-gen writes through a symlink (file or directory), never replaces it.
#![cfg(unix)]

use crd_gen_tests::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

const FOO: &str = "a.example.com_foos.yaml";
const BAR: &str = "b.example.com_bars.yaml";

struct Case {
    dir: PathBuf,
    manifest: PathBuf,
    out: PathBuf,
}

impl Case {
    fn new(name: &str) -> Case {
        let dir = scratch(name);
        let manifest =
            write_crate(&dir.join("crate"), "shop", &(resource("Foo", "a.example.com", "") + &resource("Bar", "b.example.com", "")));
        Case { out: dir.join("out"), dir, manifest }
    }
    /// `manifests` (with `extra`) into `out`, killed after a minute: a hang fails the test.
    fn run_to(&self, out: &Path, extra: &[&str]) -> std::process::Output {
        let mut args: Vec<String> =
            ["manifests", "--manifest-path", self.manifest.to_str().unwrap(), "--output-dir", out.to_str().unwrap(), "--color", "never"]
                .map(String::from)
                .to_vec();
        args.extend(extra.iter().map(|s| s.to_string()));
        run_with_timeout(
            &self.dir,
            &args,
            &self.dir.parent().unwrap().join(format!("{}-logs", name_of(&self.dir))),
            Duration::from_secs(60),
        )
        .expect("crd-gen hung")
    }
    fn run(&self, extra: &[&str]) -> std::process::Output {
        self.run_to(&self.out, extra)
    }
}

fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// Every entry under `dir`, without reading anything but regular files (a FIFO would block).
fn shape(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = e.path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let t = e.file_type().unwrap();
            let what = if t.is_symlink() {
                format!("link to {}", std::fs::read_link(&path).unwrap().display())
            } else if t.is_dir() {
                walk(root, &path, out);
                "dir".to_string()
            } else if t.is_file() {
                format!("file {:?}", std::fs::read(&path).unwrap())
            } else {
                "special".to_string()
            };
            out.insert(rel, what);
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    // cargo metadata writes the crate's lock file on the first run.
    out.remove("crate/Cargo.lock");
    out
}

fn differences(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter().filter(|k| before.get(*k) != after.get(*k)).map(|k| k.to_string()).collect()
}

/// `manifests` and `--check` both exit 2 naming `words`, and nothing under the case changed.
fn refused(case: &Case, out: &Path, words: &[&str]) {
    let before = shape(&case.dir);
    for extra in [&[][..], &["--check"]] {
        let o = case.run_to(out, extra);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {err}");
        for w in words {
            assert!(err.contains(w), "{extra:?}: missing {w:?} in\n{err}");
        }
        assert!(stdout(&o).is_empty(), "{extra:?}: {}", stdout(&o));
        let changed = differences(&before, &shape(&case.dir));
        assert!(changed.is_empty(), "{extra:?}: a refused run changed {changed:?}");
    }
}

fn symlink(to: &str, at: &Path) {
    std::os::unix::fs::symlink(to, at).unwrap();
}

fn mkfifo(at: &Path) {
    let c = std::ffi::CString::new(at.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", at.display());
}

#[test]
fn a_target_that_cannot_take_a_file_changes_nothing() {
    let c = Case::new("paths-directory");
    std::fs::create_dir_all(c.out.join(FOO)).unwrap();
    std::fs::write(c.out.join(FOO).join("notes"), "mine").unwrap();
    refused(&c, &c.out, &[&format!("`{}` is a directory, where crd-gen writes a CRD file", c.out.join(FOO).display())]);

    let c = Case::new("paths-fifo");
    std::fs::create_dir_all(&c.out).unwrap();
    mkfifo(&c.out.join(FOO));
    refused(&c, &c.out, &[&format!("`{}` is a FIFO (named pipe), where crd-gen writes a CRD file", c.out.join(FOO).display())]);

    let c = Case::new("paths-dangling");
    std::fs::create_dir_all(&c.out).unwrap();
    symlink("../chart/crds/gone.yaml", &c.out.join(FOO));
    refused(
        &c,
        &c.out,
        &[
            &format!("`{}` is a symlink to `../chart/crds/gone.yaml`, which does not exist", c.out.join(FOO).display()),
            "crd-gen writes through symlinks",
        ],
    );

    let c = Case::new("paths-loop");
    std::fs::create_dir_all(&c.out).unwrap();
    symlink(FOO, &c.out.join(FOO));
    refused(&c, &c.out, &[&format!("cannot follow the symlink `{}`", c.out.join(FOO).display()), "symbolic links"]);

    let c = Case::new("paths-link-to-dir");
    std::fs::create_dir_all(c.dir.join("elsewhere")).unwrap();
    std::fs::create_dir_all(&c.out).unwrap();
    symlink("../elsewhere", &c.out.join(BAR));
    refused(&c, &c.out, &[&format!("`{}` is a symlink to a directory", c.out.join(BAR).display())]);
}

#[test]
fn an_output_directory_that_cannot_be_one_changes_nothing() {
    let c = Case::new("paths-out-file");
    std::fs::write(&c.out, "a file").unwrap();
    refused(&c, &c.out, &[&format!("the output directory `{}` is a file, not a directory", c.out.display())]);

    let c = Case::new("paths-through-file");
    std::fs::write(c.dir.join("plain"), "a file").unwrap();
    let under = c.dir.join("plain/config/crd");
    refused(
        &c,
        &under,
        &[&format!(
            "cannot create the output directory `{}`: `{}` is a file, not a directory",
            under.display(),
            c.dir.join("plain").display()
        )],
    );

    let c = Case::new("paths-out-dangling");
    symlink("../nowhere", &c.out);
    refused(&c, &c.out, &[&format!("the output directory `{}` is a symlink to `../nowhere`, which does not exist", c.out.display())]);
}

/// A directory nobody may write: as root, permissions do not stop writes, but sysfs refuses
/// new files even to root; otherwise a directory without write permission.
#[test]
fn an_unwritable_output_directory_changes_nothing() {
    let c = Case::new("paths-unwritable");
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(&c.out).unwrap();
        std::fs::set_permissions(&c.out, std::fs::Permissions::from_mode(0o555)).unwrap();
        refused(&c, &c.out, &["Permission denied", "is not writable here"]);
        std::fs::set_permissions(&c.out, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    #[cfg(target_os = "linux")]
    {
        let sys = Path::new("/sys/kernel");
        assert!(sys.is_dir(), "this test needs sysfs at /sys/kernel, a directory that refuses new files even to root");
        let o = c.run_to(sys, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("cannot write `/sys/kernel/"), "{err}");
        assert!(err.contains("is not writable here") || err.contains("read-only file system"), "{err}");
        assert!(err.contains("nothing was changed"), "{err}");
        let o = c.run_to(&sys.join("crds"), &[]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("cannot create the output directory `/sys/kernel/crds`"), "{}", stderr(&o));
    }
    #[cfg(not(target_os = "linux"))]
    assert!(!root, "no directory refuses root's writes on this system; run this test as another user");
}

#[test]
fn a_symlinked_golden_is_written_through_and_checked_through() {
    let c = Case::new("paths-chart-file");
    let chart = c.dir.join("chart/crds");
    std::fs::create_dir_all(&chart).unwrap();
    std::fs::create_dir_all(&c.out).unwrap();
    std::fs::write(chart.join(FOO), "---\nstale: true\n").unwrap();
    symlink(&format!("../chart/crds/{FOO}"), &c.out.join(FOO));

    let stale = c.run(&["--check"]);
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    assert!(stderr(&stale).contains(&format!("{} is out of date", c.out.join(FOO).display())), "{}", stderr(&stale));
    let write = c.run(&["-v"]);
    assert!(write.status.success(), "{}", stderr(&write));
    assert!(stderr(&write).contains(&format!("wrote {}", c.out.join(FOO).display())));
    assert_eq!(std::fs::read_link(c.out.join(FOO)).unwrap(), Path::new(&format!("../chart/crds/{FOO}")), "the link is kept");
    let written = std::fs::read_to_string(chart.join(FOO)).unwrap();
    assert!(written.contains("name: foos.a.example.com"), "{written}");
    assert!(c.run(&["--check"]).status.success());
    assert!(std::fs::read_dir(&chart).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp")));

    // Foo removed: the link goes, the chart's file stays.
    std::fs::write(c.manifest.parent().unwrap().join("src/lib.rs"), resource("Bar", "b.example.com", "")).unwrap();
    let err = stderr(&c.run(&[]));
    assert!(err.contains("the symlink goes, the file it points at (`../chart/crds/a.example.com_foos.yaml`) stays"), "{err}");
    assert!(std::fs::symlink_metadata(c.out.join(FOO)).is_err() && chart.join(FOO).is_file());
}

#[test]
fn a_symlinked_output_directory_is_written_through() {
    let c = Case::new("paths-chart-dir");
    let chart = c.dir.join("chart/crds");
    std::fs::create_dir_all(&chart).unwrap();
    symlink("chart/crds", &c.out);
    assert!(c.run(&[]).status.success());
    assert!(std::fs::symlink_metadata(&c.out).unwrap().is_symlink(), "the directory link is kept");
    for name in [FOO, BAR, ".crd-gen-owned"] {
        assert!(chart.join(name).is_file(), "{name}");
    }
    assert!(c.run(&["--check"]).status.success());
}

#[test]
fn a_hard_linked_golden_gets_a_warning() {
    let c = Case::new("paths-hard-link");
    assert!(c.run(&[]).status.success());
    std::fs::write(c.out.join(FOO), "old\n").unwrap();
    std::fs::hard_link(c.out.join(FOO), c.dir.join("copy.yaml")).unwrap();
    let o = c.run(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("has 2 hard links: crd-gen replaces the file, so the other links keep the old contents"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(c.dir.join("copy.yaml")).unwrap(), "old\n");
}
