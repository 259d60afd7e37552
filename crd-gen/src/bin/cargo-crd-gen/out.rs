//! What crd-gen says on stderr, for people (`crd-gen: ...` lines, rustc-style diagnostics) and
//! for tools (one JSON object per line), at the verbosity asked for; and the colors of both
//! streams.

use crate::args::{Color, MessageFormat, OutputArgs};
use crd_gen::diag::{Diagnostics, Severity, SourceMap};
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

/// How much an event matters: details are shown with `-v` (and always in JSON), notes by
/// default, errors even with `-q`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Detail,
    Note,
    Error,
}

pub struct Out {
    pub format: MessageFormat,
    verbose: bool,
    quiet: bool,
    color: Color,
    started: Instant,
}

impl Out {
    pub fn new(args: &OutputArgs, started: Instant) -> Out {
        Out { format: args.message_format, verbose: args.verbose, quiet: args.quiet, color: args.color, started }
    }

    fn shows(&self, level: Level) -> bool {
        match level {
            Level::Error => true,
            Level::Note => !self.quiet,
            Level::Detail => !self.quiet && (self.verbose || self.format == MessageFormat::Json),
        }
    }

    /// Whether messages on stderr are colored.
    pub fn color_stderr(&self) -> bool {
        self.wants_color(std::io::stderr().is_terminal())
    }

    /// Whether the diff on stdout is colored.
    pub fn color_stdout(&self) -> bool {
        self.wants_color(std::io::stdout().is_terminal())
    }

    fn wants_color(&self, terminal: bool) -> bool {
        match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// A progress line may be drawn: people, not quiet, stderr a terminal.
    pub fn progress_allowed(&self) -> bool {
        self.format == MessageFormat::Human && !self.quiet && std::io::stderr().is_terminal()
    }

    /// `crd-gen: <message>`, or `{"event": .., "file": .., "message": ..}`.
    pub fn event(&self, level: Level, event: &str, file: Option<&Path>, message: &str) {
        if !self.shows(level) {
            return;
        }
        match self.format {
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

    /// The last line of a run: `crd-gen: <message>, in 38 ms`, or the JSON `summary` event
    /// with `fields`, `success` and `elapsed_ms`. A failed run's human summary is the last line
    /// of its diagnostics, so only JSON gets one here.
    pub fn summary(&self, success: bool, message: &str, fields: serde_json::Value) {
        let ms = self.started.elapsed().as_millis();
        match self.format {
            MessageFormat::Human if success && !self.quiet => eprintln!("crd-gen: {message}, in {}", duration(ms)),
            MessageFormat::Human => {}
            MessageFormat::Json if self.quiet => {}
            MessageFormat::Json => {
                let mut v = serde_json::json!({ "event": "summary", "success": success, "message": message, "elapsed_ms": ms as u64 });
                if let serde_json::Value::Object(extra) = fields {
                    v.as_object_mut().expect("an object").extend(extra);
                }
                eprintln!("{v}");
            }
        }
    }

    /// The diagnostics, rustc-style or as JSON lines; with `-q` only the errors.
    /// `action` ends the human text: "could not <action> due to 2 previous errors".
    pub fn diagnostics(&self, diags: &Diagnostics, sources: &SourceMap, action: &str) {
        let kept;
        let diags = if self.quiet {
            let mut errors = Diagnostics::default();
            diags.iter().filter(|d| d.severity == Severity::Error).for_each(|d| errors.push(d.clone()));
            kept = errors;
            &kept
        } else {
            diags
        };
        if diags.is_empty() {
            return;
        }
        match self.format {
            MessageFormat::Json => eprint!("{}", diags.to_json_lines(sources)),
            MessageFormat::Human => eprint!("{}", diags.render_for(sources, self.color_stderr(), action)),
        }
    }
}

/// `38 ms`, `1.2 s`.
fn duration(ms: u128) -> String {
    if ms < 1000 { format!("{ms} ms") } else { format!("{:.1} s", ms as f64 / 1000.0) }
}

/// Counts of errors and warnings, for the JSON summary.
pub fn counts(diags: &Diagnostics) -> serde_json::Value {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.iter().filter(|d| d.severity == Severity::Warning).count();
    serde_json::json!({ "errors": errors, "warnings": warnings })
}

/// A unified diff colored as git colors one: headers bold, hunks cyan, removals red, additions green.
pub fn color_diff(diff: &str) -> String {
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let (body, nl) = line.strip_suffix('\n').map(|b| (b, "\n")).unwrap_or((line, ""));
        let code = if body.starts_with("---") || body.starts_with("+++") {
            "1"
        } else if body.starts_with("@@") {
            "36"
        } else if body.starts_with('-') {
            "31"
        } else if body.starts_with('+') {
            "32"
        } else {
            ""
        };
        if code.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(&format!("\x1b[{code}m{body}\x1b[0m{nl}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(38), "38 ms");
        assert_eq!(duration(999), "999 ms");
        assert_eq!(duration(1234), "1.2 s");
    }

    #[test]
    fn diffs_are_colored_line_by_line() {
        let diff = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n same\n";
        assert_eq!(
            color_diff(diff),
            "\x1b[1m--- a/x\x1b[0m\n\x1b[1m+++ b/x\x1b[0m\n\x1b[36m@@ -1 +1 @@\x1b[0m\n\x1b[31m-old\x1b[0m\n\x1b[32m+new\x1b[0m\n same\n"
        );
        assert_eq!(color_diff("-x"), "\x1b[31m-x\x1b[0m");
    }
}
