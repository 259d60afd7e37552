//! `manifests` (write, `--stdout`, `--check`) and `check`: the engine's outcome as output and an
//! exit code. A run says one summary line (`crd-gen: wrote 2, unchanged 5, removed 1, in 38
//! ms`); `-v` adds a line per file, `-q` leaves only errors. Removed files are named even
//! without `-v`: crd-gen deleting a file is never silent.

use crate::args::{CommonArgs, ManifestsArgs};
use crate::out::{Level, Out, color_diff, counts};
use crate::progress::ProgressLine;
use crd_gen::output::{Change, RECORD_NAME, Report};
use crd_gen::{FailureKind, Generator, Outcome, Plan};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The engine's progress, as a progress line (on a terminal) and `waiting` events.
struct Reporter<'a> {
    out: &'a Out,
    line: ProgressLine,
}

impl<'a> Reporter<'a> {
    fn new(out: &'a Out) -> Reporter<'a> {
        Reporter { out, line: ProgressLine::stderr(out.progress_allowed()) }
    }
}

impl crd_gen::Progress for Reporter<'_> {
    fn phase(&mut self, what: &str) {
        self.line.phase(what);
    }
    fn waiting(&mut self, dir: &Path) {
        let message = format!("waiting for another crd-gen run to finish writing {}", dir.display());
        if self.line.is_on() {
            self.line.message(&format!("crd-gen: {message}"));
        } else {
            self.out.event(Level::Note, "waiting", Some(dir), &message);
        }
    }
}

pub fn generator(common: &CommonArgs, output_dir: Option<&PathBuf>) -> Generator {
    // The CLI writes, compares or prints YAML only.
    let mut g = Generator::new().drop_crds();
    if let Some(p) = &common.manifest_path {
        g = g.manifest_path(p);
    }
    for p in &common.packages {
        g = g.package(p);
    }
    if let Some(d) = output_dir {
        g = g.output_dir(d);
    }
    if let Some(n) = common.max_desc_len {
        g = g.max_desc_len(n);
    }
    g = g.features(&common.features);
    if common.all_features {
        g = g.all_features();
    }
    if common.no_default_features {
        g = g.no_default_features();
    }
    for spec in &common.cfgs {
        g = g.cfg(spec);
    }
    if let Some(minor) = common.kube_version {
        g = g.kube_version(minor);
    }
    if let Some(n) = common.jobs {
        g = g.jobs(n.into());
    }
    g
}

/// `check`: the plan, and its verdict.
pub fn check_sources(common: &CommonArgs, out: &Out) -> ExitCode {
    let mut progress = Reporter::new(out);
    let plan = generator(common, None).plan_with(&mut progress);
    progress.line.finish();
    if let Some(code) = failed(&plan, out) {
        return code;
    }
    say_all_skipped(&plan, out);
    let n = plan.files.len();
    out.summary(true, &format!("{} valid", count(n, "CRD")), summary_fields(&plan, serde_json::json!({ "crds": n })));
    ExitCode::SUCCESS
}

pub fn manifests(args: &ManifestsArgs, out: &Out) -> ExitCode {
    let g = generator(&args.common, args.output_dir.as_ref());
    if args.stdout {
        return print_yaml(&g, out);
    }
    if args.check {
        return check_files(&g, out);
    }
    let mut progress = Reporter::new(out);
    let Outcome { plan, report } = g.write_with(&mut progress);
    let (plan, report) = (kept_to_exit(plan), kept_to_exit(report));
    progress.line.finish();
    if let Some(code) = failed(&plan, out) {
        return code;
    }
    say_all_skipped(&plan, out);
    let (wrote, unchanged, removed) = say_changes(&report, out);
    let mut message = format!("wrote {wrote}, unchanged {unchanged}");
    if removed > 0 {
        message.push_str(&format!(", removed {removed}"));
    }
    let fields = serde_json::json!({ "wrote": wrote, "unchanged": unchanged, "removed": removed });
    out.summary(true, &message, summary_fields(&plan, fields));
    ExitCode::SUCCESS
}

/// A run's answer, never freed: the process exits once it is reported, and freeing every CRD,
/// schema and file of a large run one by one would only delay that (2% of a 1000-resource run).
fn kept_to_exit<T>(value: T) -> std::mem::ManuallyDrop<T> {
    std::mem::ManuallyDrop::new(value)
}

/// One event per change (the writes and unchanged files as details); the counts.
fn say_changes(report: &Report, out: &Out) -> (usize, usize, usize) {
    let (mut wrote, mut unchanged, mut removed) = (0, 0, 0);
    for change in &report.changes {
        match change {
            // The ownership record is bookkeeping, not a CRD: shown with -v, not counted.
            Change::Wrote(p) if p.file_name().is_some_and(|n| n == RECORD_NAME) => {
                out.event(Level::Detail, "wrote", Some(p), &format!("wrote {} (the ownership record)", p.display()));
            }
            Change::Wrote(p) => {
                wrote += 1;
                out.event(Level::Detail, "wrote", Some(p), &format!("wrote {}", p.display()));
            }
            Change::Unchanged(p) => {
                unchanged += 1;
                out.event(Level::Detail, "unchanged", Some(p), &format!("up to date: {}", p.display()));
            }
            Change::Removed { path, reason } => {
                removed += 1;
                out.event(Level::Note, "removed", Some(path), &format!("removed {}: {reason}", path.display()));
            }
            Change::RemovedTemp(p) => out.event(
                Level::Note,
                "removed-temp",
                Some(p),
                &format!("removed {} (a temporary file left by an interrupted run)", p.display()),
            ),
        }
    }
    (wrote, unchanged, removed)
}

fn print_yaml(g: &Generator, out: &Out) -> ExitCode {
    let mut progress = Reporter::new(out);
    let plan = kept_to_exit(g.plan_with(&mut progress));
    progress.line.finish();
    if let Some(code) = failed(&plan, out) {
        return code;
    }
    say_all_skipped(&plan, out);
    let mut stdout = std::io::stdout().lock();
    for f in &plan.files {
        if let Err(e) = stdout.write_all(f.contents.as_bytes()).and_then(|()| stdout.flush()) {
            out.event(Level::Error, "error", None, &format!("cannot write the YAML to stdout: {e}"));
            return ExitCode::from(2);
        }
    }
    let n = plan.files.len();
    out.summary(true, &format!("printed {}", count(n, "CRD")), summary_fields(&plan, serde_json::json!({ "printed": n })));
    ExitCode::SUCCESS
}

fn check_files(g: &Generator, out: &Out) -> ExitCode {
    let mut progress = Reporter::new(out);
    let Outcome { plan, report } = g.check_with(&mut progress);
    let (plan, report) = (kept_to_exit(plan), kept_to_exit(report));
    progress.line.finish();
    if let Some(code) = failed(&plan, out) {
        return code;
    }
    say_all_skipped(&plan, out);
    let n = plan.files.len();
    if report.mismatches.is_empty() {
        let fields = summary_fields(&plan, serde_json::json!({ "up_to_date": n, "stale": 0 }));
        out.summary(true, &format!("{} up to date", count(n, "CRD file")), fields);
        return ExitCode::SUCCESS;
    }
    let color = out.color_stdout();
    let mut stdout = std::io::stdout().lock();
    for m in &report.mismatches {
        let diff = if color { color_diff(&m.diff) } else { m.diff.clone() };
        let _ = stdout.write_all(diff.as_bytes());
    }
    let _ = stdout.flush();
    for m in &report.mismatches {
        out.event(Level::Error, "stale", Some(&m.path), &m.describe());
    }
    let stale = report.mismatches.len();
    let message = format!("{} not what `manifests` writes; run `cargo crd-gen manifests` to update", count(stale, "file"));
    if out.format == crate::args::MessageFormat::Human {
        out.event(Level::Note, "hint", None, &message);
    }
    let fields = summary_fields(&plan, serde_json::json!({ "stale": stale, "exit_code": 1 }));
    out.summary(false, &message, fields);
    ExitCode::from(1)
}

/// A successful run without CRDs skipped every resource on purpose: finding none is an error
/// (the engine's), so this only says why nothing is generated.
fn say_all_skipped(plan: &Plan, out: &Out) {
    if plan.files.is_empty() {
        out.event(Level::Note, "all-skipped", None, "no CRDs generated: every resource is in a module marked `+kubebuilder:skip`");
    }
}

/// Prints the diagnostics; for a failed run, its JSON summary and exit code.
fn failed(plan: &Plan, out: &Out) -> Option<ExitCode> {
    let g = &plan.generated;
    out.diagnostics(&g.diagnostics, &g.sources, "generate CRDs");
    let kind = plan.failure?;
    let code = match kind {
        FailureKind::Workspace | FailureKind::Io => 2,
        FailureKind::Source | FailureKind::Conflict => 1,
    };
    let errors = g.diagnostics.iter().filter(|d| d.severity == crd_gen::diag::Severity::Error).count();
    let message = format!("could not generate CRDs due to {}", count(errors, "error"));
    out.summary(false, &message, summary_fields(plan, serde_json::json!({ "exit_code": code })));
    Some(ExitCode::from(code))
}

fn summary_fields(plan: &Plan, mut fields: serde_json::Value) -> serde_json::Value {
    if let (Some(f), serde_json::Value::Object(c)) = (fields.as_object_mut(), counts(&plan.generated.diagnostics)) {
        f.extend(c);
    }
    fields
}

/// `1 CRD`, `2 CRDs`.
fn count(n: usize, one: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
}
