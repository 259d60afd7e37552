//! The command line, as clap reads it and as `--help` explains it: `-h` gives each flag's first
//! line, `--help` the whole text with the defaults, examples and exit codes.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_STATUS: &str = "\
Exit status:
  0  Success; with --check, every file is up to date.
  1  The sources have errors; --check found a file out of date, missing or no longer
     generated; files in the output directory clash with generated ones; create api
     found the kind or its file already there.
  2  Usage: a bad flag or name; a Cargo.toml or workspace that cannot be read, or cargo
     that cannot run; I/O: an output path that cannot take the files, a full disk, a
     source file that cannot be read.";

const STREAMS: &str = "\
Streams: stdout carries only the product (the YAML with --stdout, the diff with --check);
diagnostics, progress and the summary go to stderr, one JSON object per line with
--message-format json.";

#[derive(Parser)]
#[command(
    name = "cargo-crd-gen",
    bin_name = "cargo crd-gen",
    version,
    about = "CustomResourceDefinition YAML from Rust types: controller-gen for Rust",
    long_about = "CustomResourceDefinition YAML from Rust types: controller-gen for Rust.\n\n\
        crd-gen reads a crate's source (it never compiles it) and writes the CRD of every \
        `#[derive(CustomResource)]` spec struct to config/crd/bases/<group>_<plural>.yaml, \
        after checking it as the Kubernetes API server would.",
    after_help = "Run `cargo crd-gen help <command>` or `<command> --help` for the details of a command.",
    after_long_help = format!(
        "The kubebuilder workflow:\n  \
         cargo new --lib guestbook && cd guestbook\n  \
         cargo crd-gen create api --group webapp --version v1 --kind Guestbook --domain my.domain\n  \
         cargo crd-gen manifests          # writes config/crd/bases/webapp.my.domain_guestbooks.yaml\n  \
         cargo crd-gen manifests --check  # in CI: fails when a CRD file is stale\n\n{EXIT_STATUS}\n\n{STREAMS}"
    )
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten, next_help_heading = "Output")]
    pub output: OutputArgs,
}

/// How crd-gen talks: the same flags for every command, before or after its name.
#[derive(Args, Clone, Copy)]
pub struct OutputArgs {
    /// Per-file detail: each file written or unchanged, besides the summary.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print nothing but errors (no summary, no warnings, no progress).
    ///
    /// The product still goes to stdout: the YAML with --stdout, the diff with --check.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// How messages are printed: rustc-style text, or one JSON object per line for tools.
    ///
    /// json: every stderr line is an object: a diagnostic (`severity`, `message`, `file`, `line`,
    /// `column`, `help`, `notes`) or an event (`event`: wrote, unchanged, removed, removed-temp,
    /// waiting, stale, all-skipped, created, edited, summary; `file`, `message`). The last line of a run is
    /// the `summary` event, with `success`, the counts and `elapsed_ms`.
    #[arg(long, value_enum, default_value = "human", global = true, value_name = "FORMAT")]
    pub message_format: MessageFormat,
    /// When to color diagnostics and --check's diff.
    ///
    /// auto: when the stream (stderr for messages, stdout for the diff) is a terminal and
    /// NO_COLOR is not set.
    #[arg(long, value_enum, default_value = "auto", global = true, value_name = "WHEN")]
    pub color: Color,
}

#[derive(Subcommand)]
pub enum Command {
    /// Generate the CRD manifests (config/crd/bases/<group>_<plural>.yaml).
    ///
    /// Reads the package's source (every `#[derive(CustomResource)]` spec struct and the types
    /// it uses, from the package and its dependencies), checks each CRD as the API server
    /// would, and writes one file per CRD. Nothing is written when there is an error. Files of
    /// resources that were removed or renamed are removed (crd-gen owns the files its record
    /// `.crd-gen-owned` lists; commit it). Prints one summary line on stderr.
    #[command(after_long_help = format!(
        "Examples:\n  \
         cargo crd-gen manifests                         # the package in the current directory\n  \
         cargo crd-gen manifests --check                 # CI: exit 1 with a diff when a file is stale\n  \
         cargo crd-gen manifests --stdout | kubectl apply -f -\n  \
         cargo crd-gen manifests -p api --output-dir deploy/crds\n\n{EXIT_STATUS}"
    ))]
    Manifests(ManifestsArgs),
    /// Check the resources as `manifests` would, writing nothing.
    ///
    /// Reports every error and warning `manifests` would, without touching the output directory.
    #[command(after_long_help = format!("Example:\n  cargo crd-gen check --message-format json\n\n{EXIT_STATUS}"))]
    Check(CommonArgs),
    /// Scaffold a new API (kubebuilder's `create api`).
    #[command(subcommand)]
    Create(CreateCommand),
    /// Print the markers reference (docs/markers.md).
    Markers,
    /// Print the CEL reference (docs/cel.md): what CRD validation rules may use in each Kubernetes version.
    CelEnv,
    /// Print a shell completion script.
    ///
    /// The script completes `cargo crd-gen ...` as well as `cargo-crd-gen ...` (bash, zsh and
    /// fish; elvish and PowerShell complete `cargo-crd-gen` only).
    #[command(after_long_help = "Install:\n  \
        bash:  cargo crd-gen completions bash > ~/.local/share/bash-completion/completions/cargo-crd-gen\n         \
               (or source it from ~/.bashrc, after cargo's own completion if you use it)\n  \
        zsh:   cargo crd-gen completions zsh > \"${fpath[1]}/_cargo-crd-gen\"   (cargo's zsh completion calls it)\n  \
        fish:  cargo crd-gen completions fish > ~/.config/fish/completions/cargo-crd-gen.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand)]
pub enum CreateCommand {
    /// Scaffold the types module of a new kind, so `manifests` gives its CRD right away.
    ///
    /// Writes src/api/<version>/<kind>.rs (the kind in snake_case): the spec and status structs
    /// with kubebuilder's doc comments, the resource markers (status subresource on) and an
    /// example field `foo`. Declares the modules leading to it where they are missing
    /// (`pub mod api;` in src/lib.rs, or `mod api;` in src/main.rs; `pub mod <version>;` in
    /// src/api/mod.rs; `pub mod <kind>;` in src/api/<version>/mod.rs), and adds to Cargo.toml's
    /// [dependencies] what the module needs: serde (with `derive`) and crd-gen-derive (a path to
    /// the crd-gen checkout this binary was built from, when it is still there, else a version).
    /// Existing files get one line each; nothing is overwritten without --force. Names are
    /// checked first, as kubebuilder checks them.
    #[command(after_long_help = format!(
        "Examples:\n  \
         cargo crd-gen create api --group webapp --version v1 --kind Guestbook --domain my.domain\n  \
         cargo crd-gen create api --group webapp --version v1 --kind Visitor     # the recorded domain\n  \
         cargo crd-gen create api --group batch.example.com --version v1alpha1 --kind CronJob --cluster\n\n\
         Exit status:\n  \
         0  Created.\n  \
         1  The kind exists in that version already, or its file does (without --force).\n  \
         2  A bad name or flag; no Cargo.toml or crate root; a file that cannot be read or written."
    ))]
    Api(ApiArgs),
}

#[derive(Args)]
pub struct ApiArgs {
    /// The API group, as kubebuilder's --group: its first label (`webapp`).
    ///
    /// The API group is <group>.<domain>. Without --domain, a dotted group is the whole API group
    /// (`webapp.example.com`), and a short one takes the domain recorded in Cargo.toml
    /// ([package.metadata.crd-gen] domain) by an earlier `create api --domain`. A DNS-1123
    /// subdomain: lowercase letters, digits and '-'.
    #[arg(long, value_name = "GROUP")]
    pub group: String,
    /// The API version: `v1`, `v1alpha1`, `v2beta3`.
    #[arg(long, value_name = "VERSION")]
    pub version: String,
    /// The kind, in UpperCamelCase: `Guestbook`, `CronJob`.
    #[arg(long, value_name = "KIND")]
    pub kind: String,
    /// The domain of the API group (kubebuilder's `init --domain`), e.g. `my.domain`.
    ///
    /// Recorded in Cargo.toml the first time, so later kinds need only --group. [default: the
    /// recorded domain]
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,
    /// The resource is namespaced (the default).
    #[arg(long, conflicts_with = "cluster")]
    pub namespaced: bool,
    /// The resource is cluster-scoped (`scope = "Cluster"`).
    #[arg(long)]
    pub cluster: bool,
    /// Overwrite the kind's module file if it exists (its contents are lost).
    #[arg(long)]
    pub force: bool,
    /// Path to the package's Cargo.toml [default: the nearest Cargo.toml from the current
    /// directory up].
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
}

#[derive(Args)]
pub struct CommonArgs {
    /// Path to the Cargo.toml of a package or workspace.
    ///
    /// A package's manifest generates that package; a virtual workspace's, every member with
    /// resources (or those given with -p). [default: the nearest Cargo.toml from the current
    /// directory up, as cargo finds it]
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Only this workspace member (repeatable).
    ///
    /// [default: the manifest's package, or every member of a virtual workspace]
    #[arg(short = 'p', long = "package", value_name = "NAME")]
    pub packages: Vec<String>,
    /// Features to enable, as cargo's --features (repeatable).
    ///
    /// Separated by commas or spaces; `package/feature` for a workspace member's. Code behind
    /// `#[cfg(feature = "..")]` and `cfg_attr` is read as cargo would build it with these
    /// features, so a feature-gated field or resource is in the CRD only when its feature is on.
    /// [default: each package's `default` feature]
    #[arg(short = 'F', long = "features", value_name = "FEATURES")]
    pub features: Vec<String>,
    /// Enable every feature of the selected packages, as cargo's --all-features.
    #[arg(long)]
    pub all_features: bool,
    /// Do not enable the `default` feature, as cargo's --no-default-features.
    #[arg(long)]
    pub no_default_features: bool,
    /// A cfg option the build sets, as rustc's --cfg: `name` or `name="value"` (repeatable).
    ///
    /// For cfgs crd-gen cannot know, such as a build script's `cargo::rustc-cfg`: without it,
    /// code behind a custom cfg is left out with a warning. The target's own cfgs (`unix`,
    /// `target_os`, ...) are the host's, and `--cfg` flags in RUSTFLAGS count too.
    #[arg(long = "cfg", value_name = "SPEC")]
    pub cfgs: Vec<String>,
    /// Truncate descriptions to N characters; 0 drops them (controller-gen's maxDescLen).
    ///
    /// For CRDs too large to apply: descriptions are most of a CRD that inlines Kubernetes
    /// types. [default: descriptions kept whole]
    #[arg(long, value_name = "N")]
    pub max_desc_len: Option<usize>,
    #[arg(long, value_name = "1.NN", value_parser = crd_gen::validate::cel::parse_kube_version, help = kube_version_help(), long_help = kube_version_long_help())]
    pub kube_version: Option<u32>,
    /// Threads to run on; the files are the same bytes with any number.
    ///
    /// [default: one per 128 KiB of the packages' source, at most one per core]
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

#[derive(Args)]
pub struct ManifestsArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Write the files into DIR.
    ///
    /// [default: config/crd/bases under each package]
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Print the YAML to stdout instead of writing files.
    ///
    /// Nothing is written; diagnostics and the summary stay on stderr, so
    /// `cargo crd-gen manifests --stdout | kubectl apply -f -` works.
    #[arg(long, conflicts_with = "check")]
    pub stdout: bool,
    /// Write nothing; exit 1 with a diff on stdout when a file is not what `manifests` writes.
    ///
    /// The golden-file gate for CI: fails on a file that differs (a unified diff, or the cause
    /// when only the bytes differ: line endings, a byte order mark, the final newline), is
    /// missing, is no longer generated, or an out-of-date record.
    #[arg(long)]
    pub check: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

fn kube_version_help() -> String {
    "Kubernetes version whose API server must accept the CEL validation rules, as 1.NN".into()
}

fn kube_version_long_help() -> String {
    format!(
        "Kubernetes version whose API server must accept the CEL validation rules, as 1.NN.\n\n\
         [default: the v1_NN feature of the crate's k8s-openapi dependency, else 1.{}, one below \
         the newest crd-gen knows, so both accept the CRD]",
        crd_gen::validate::cel::DEFAULT_MINOR
    )
}
