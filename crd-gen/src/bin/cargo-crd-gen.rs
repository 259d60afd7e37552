//! `cargo crd-gen`: the command-line front end. It only parses arguments, calls the engine
//! ([`crd_gen::Generator`]) and maps the outcome to output and exit codes:
//! 0 success, 1 errors in the sources, stale or clashing files (`--check`), 2 usage, workspace or
//! I/O errors.
//!
//! Streams: stdout carries only the product (the YAML with `--stdout`, the diff with `--check`);
//! diagnostics, progress and summaries go to stderr, as JSON lines with `--message-format json`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use crd_gen::output::Change;
use crd_gen::{FailureKind, Generator, Outcome, Plan};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo-crd-gen",
    bin_name = "cargo crd-gen",
    version,
    about = "CustomResourceDefinition YAML from Rust types (controller-gen for Rust)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the CRD manifests (config/crd/bases/<group>_<plural>.yaml).
    Manifests(ManifestsArgs),
    /// Validate the resources without writing anything.
    Check(CommonArgs),
    /// Print the markers reference (docs/markers.md).
    Markers,
    /// Print the CEL reference (docs/cel.md): what CRD validation rules may use in each Kubernetes version.
    CelEnv,
}

#[derive(Args)]
struct CommonArgs {
    /// Path to Cargo.toml (default: found from the current directory, as cargo does).
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<PathBuf>,
    /// Workspace member to generate for (repeatable; default: the package, or every member).
    #[arg(short = 'p', long = "package", value_name = "NAME")]
    packages: Vec<String>,
    /// Features to enable, separated by commas or spaces (repeatable; `package/feature` for a
    /// workspace member's), as cargo's `--features`.
    #[arg(short = 'F', long = "features", value_name = "FEATURES")]
    features: Vec<String>,
    /// Enable every feature of the selected packages, as cargo's `--all-features`.
    #[arg(long)]
    all_features: bool,
    /// Do not enable the `default` feature, as cargo's `--no-default-features`.
    #[arg(long)]
    no_default_features: bool,
    /// A cfg option the build sets (e.g. from a build script's `cargo::rustc-cfg`): `name` or
    /// `name="value"` (repeatable). `--cfg` flags in RUSTFLAGS count too.
    #[arg(long = "cfg", value_name = "SPEC")]
    cfgs: Vec<String>,
    /// Truncate descriptions to N characters (0 drops them), as controller-gen's maxDescLen.
    #[arg(long, value_name = "N")]
    max_desc_len: Option<usize>,
    #[arg(long, value_name = "1.NN", value_parser = crd_gen::validate::cel::parse_kube_version, help = kube_version_help())]
    kube_version: Option<u32>,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value = "human")]
    message_format: MessageFormat,
    /// Colored diagnostics.
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
}

#[derive(Args)]
struct ManifestsArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output directory (default: config/crd/bases under each package).
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// Print the YAML to stdout instead of writing files.
    #[arg(long, conflicts_with = "check")]
    stdout: bool,
    /// Write nothing; exit 1 with a diff when a file on disk differs or is missing.
    #[arg(long)]
    check: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    // As a cargo subcommand, cargo runs `cargo-crd-gen crd-gen <args>`.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "crd-gen") {
        args.remove(1);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Markers => {
            print!("{}", crd_gen::markers::reference::markdown());
            ExitCode::SUCCESS
        }
        Command::CelEnv => {
            print!("{}", crd_gen::validate::cel::reference::markdown());
            ExitCode::SUCCESS
        }
        Command::Check(common) => {
            let plan = generator(&common, None).plan();
            report(&plan, &common);
            match plan.failure {
                Some(kind) => exit_for(kind),
                None => {
                    let n = plan.files.len();
                    Say(common.message_format).event("summary", None, &format!("{n} CRD{} valid", if n == 1 { "" } else { "s" }));
                    ExitCode::SUCCESS
                }
            }
        }
        Command::Manifests(args) => manifests(args),
    }
}

fn generator(common: &CommonArgs, output_dir: Option<&PathBuf>) -> Generator {
    let mut g = Generator::new();
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
    g
}

fn kube_version_help() -> String {
    format!(
        "Kubernetes version whose API server must accept the CEL validation rules, as 1.NN [default: the v1_NN feature of the crate's k8s-openapi dependency, else 1.{}, one below the newest crd-gen knows, so both accept the CRD]",
        crd_gen::validate::cel::DEFAULT_MINOR
    )
}

fn manifests(args: ManifestsArgs) -> ExitCode {
    let g = generator(&args.common, args.output_dir.as_ref());
    let say = Say(args.common.message_format);
    if args.stdout {
        let plan = g.plan();
        report(&plan, &args.common);
        if let Some(kind) = plan.failure {
            return exit_for(kind);
        }
        let mut out = std::io::stdout().lock();
        for f in &plan.files {
            if let Err(e) = out.write_all(f.contents.as_bytes()).and_then(|()| out.flush()) {
                say.event("error", None, &format!("cannot write the YAML to stdout: {e}"));
                return ExitCode::from(2);
            }
        }
        return ExitCode::SUCCESS;
    }
    if args.check {
        return check(&g, &args.common, say);
    }
    let Outcome { plan, report: written } = g.write_with(&mut |dir| {
        say.event("waiting", Some(dir), &format!("waiting for another crd-gen run to finish writing {}", dir.display()))
    });
    report(&plan, &args.common);
    if let Some(kind) = plan.failure {
        return exit_for(kind);
    }
    if plan.files.is_empty() {
        // A run that finds no resources is an error; one that generates nothing skipped them all.
        say.event("summary", None, "no CRDs generated: every resource is in a module marked `+kubebuilder:skip`");
    }
    for change in &written.changes {
        match change {
            Change::Wrote(p) => say.event("wrote", Some(p), &format!("wrote {}", p.display())),
            Change::Unchanged(p) => say.event("unchanged", Some(p), &format!("up to date: {}", p.display())),
            Change::Removed { path, reason } => say.event("removed", Some(path), &format!("removed {}: {reason}", path.display())),
            Change::RemovedTemp(p) => {
                say.event("removed-temp", Some(p), &format!("removed {} (a temporary file left by an interrupted run)", p.display()))
            }
        }
    }
    ExitCode::SUCCESS
}

fn check(g: &Generator, common: &CommonArgs, say: Say) -> ExitCode {
    let Outcome { plan, report: found } = g.check();
    report(&plan, common);
    if let Some(kind) = plan.failure {
        return exit_for(kind);
    }
    if found.mismatches.is_empty() {
        say.event("summary", None, &format!("{} CRD file(s) up to date", plan.files.len()));
        return ExitCode::SUCCESS;
    }
    let mut out = std::io::stdout().lock();
    for m in &found.mismatches {
        let _ = out.write_all(m.diff.as_bytes());
    }
    let _ = out.flush();
    for m in &found.mismatches {
        say.event("stale", Some(&m.path), &m.describe());
    }
    say.event("summary", None, "run `cargo crd-gen manifests` to update");
    ExitCode::from(1)
}

/// Progress and summary lines on stderr: `crd-gen: <message>`, or a JSON object per line
/// (`{"event": .., "file": .., "message": ..}`) beside the JSON diagnostics.
#[derive(Clone, Copy)]
struct Say(MessageFormat);

impl Say {
    fn event(&self, event: &str, file: Option<&Path>, message: &str) {
        match self.0 {
            MessageFormat::Human => eprintln!("crd-gen: {message}"),
            MessageFormat::Json => {
                let mut v = serde_json::json!({ "event": event, "message": message });
                if let Some(f) = file {
                    v["file"] = f.display().to_string().into();
                }
                eprintln!("{v}");
            }
        }
    }
}

fn report(plan: &Plan, common: &CommonArgs) {
    let g = &plan.generated;
    if g.diagnostics.is_empty() {
        return;
    }
    match common.message_format {
        MessageFormat::Json => eprint!("{}", g.diagnostics.to_json_lines(&g.sources)),
        MessageFormat::Human => {
            let color = match common.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stderr().is_terminal(),
            };
            eprint!("{}", g.render_diagnostics(color));
        }
    }
}

fn exit_for(kind: FailureKind) -> ExitCode {
    match kind {
        FailureKind::Workspace | FailureKind::Io => ExitCode::from(2),
        FailureKind::Source | FailureKind::Conflict => ExitCode::from(1),
    }
}
