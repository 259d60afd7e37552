//! `create api`: the scaffold's outcome as messages (a line per file created or changed, and the
//! next step) and an exit code.

use crate::args::ApiArgs;
use crate::out::{Level, Out};
use crd_gen::scaffold::{self, FailureKind, Request};
use std::path::Path;
use std::process::ExitCode;

pub fn create_api(args: &ApiArgs, out: &Out) -> ExitCode {
    let req = Request {
        group: args.group.clone(),
        domain: args.domain.clone(),
        version: args.version.clone(),
        kind: args.kind.clone(),
        cluster: args.cluster,
        force: args.force,
    };
    let created = match scaffold::create_api(args.manifest_path.as_deref(), &req) {
        Ok(c) => c,
        Err(f) => {
            out.diagnostics(&f.diagnostics, &f.sources, "create the API");
            let code = match f.kind {
                FailureKind::Exists => 1,
                FailureKind::Usage | FailureKind::Io => 2,
            };
            out.summary(false, "could not create the API", serde_json::json!({ "exit_code": code }));
            return ExitCode::from(code);
        }
    };
    for change in &created.changes {
        let event = if change.before.is_none() { "created" } else { "edited" };
        let shown = shown(&change.path);
        let message = match event {
            "created" if change.path == created.types_file => format!("{} {shown}", change.what),
            "created" => format!("created {shown}"),
            _ if change.path == created.types_file => format!("{} {shown}", change.what),
            _ => format!("edited {shown}: {}", change.what),
        };
        out.event(Level::Note, event, Some(&change.path), &message);
    }
    let r = &created.resource;
    let scope = if r.cluster { "cluster-scoped" } else { "namespaced" };
    let next =
        format!("edit {}Spec in {}, then run `cargo crd-gen manifests` to write {}", r.kind, shown(&created.types_file), r.crd_file());
    let fields = serde_json::json!({
        "group": r.group, "version": r.version, "kind": r.kind, "plural": r.plural, "next": next,
        "types_file": created.types_file.display().to_string(),
        "crd_file": created.package_dir.join(r.crd_file()).display().to_string(),
    });
    out.summary(true, &format!("created kind {} ({scope}) in {}/{}", r.kind, r.group, r.version), fields);
    if out.format == crate::args::MessageFormat::Human {
        out.event(Level::Note, "next", None, &format!("next: {next}"));
    }
    ExitCode::SUCCESS
}

/// A path relative to the current directory when it is under it, as the diagnostics show paths.
fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| path.display().to_string())
}
