//! Shell completion scripts (clap_complete). crd-gen runs as `cargo crd-gen`, so a script must
//! complete the words after `cargo crd-gen` without taking `cargo`'s own completion away:
//! - bash: the script for `cargo-crd-gen`, and a completion for `cargo` that hands
//!   `cargo crd-gen ...` to it and everything else to cargo's own completion function;
//! - zsh: the script for `cargo-crd-gen` defines `_cargo-crd-gen`, which cargo's zsh completion
//!   calls for `cargo crd-gen ...` (its "plugins define their own functions" rule);
//! - fish: completions are additive, so the script adds `crd-gen` under `cargo` besides the
//!   ones for `cargo-crd-gen`;
//! - elvish, PowerShell: one completer per command, so only `cargo-crd-gen`.

use crate::args::Cli;
use clap::CommandFactory;
use clap_complete::{Shell, generate};

const BIN: &str = "cargo-crd-gen";

pub fn script(shell: Shell) -> String {
    match shell {
        Shell::Bash => bash(),
        Shell::Fish => direct(shell, BIN) + &fish_under_cargo(),
        _ => direct(shell, BIN),
    }
}

/// The script for the `cargo-crd-gen` binary itself.
fn direct(shell: Shell, bin: &str) -> String {
    let mut buf = Vec::new();
    generate(shell, &mut Cli::command().bin_name(bin), bin, &mut buf);
    String::from_utf8(buf).expect("clap_complete writes UTF-8")
}

/// clap_complete's bash script names its states after the binary with `-` replaced, but not
/// consistently for subcommands when the name has a `-` (then only the first level completes),
/// so it is generated for `cargo_crd_gen` and registered for `cargo-crd-gen`.
fn bash() -> String {
    let script = direct(Shell::Bash, BASH_NAME);
    let registered = format!(" {BASH_NAME}\n");
    let script = script.replace(&format!(" {BASH_NAME}\n"), &format!(" {BIN}\n"));
    debug_assert!(!script.contains(&registered));
    script + BASH_CARGO_HOOK
}

const BASH_NAME: &str = "cargo_crd_gen";

/// Fish completions for `cargo crd-gen ...`: the same command as a subcommand of a bare `cargo`
/// (no flags of its own, so nothing of cargo's is repeated), with helper functions renamed so
/// they cannot clash with fish's own cargo completions.
fn fish_under_cargo() -> String {
    let crd_gen = Cli::command().name("crd-gen");
    let mut cargo =
        clap::Command::new("cargo").disable_help_flag(true).disable_version_flag(true).disable_help_subcommand(true).subcommand(crd_gen);
    let mut buf = Vec::new();
    generate(Shell::Fish, &mut cargo, "cargo", &mut buf);
    let text = String::from_utf8(buf).expect("clap_complete writes UTF-8");
    format!("\n# `cargo crd-gen ...`\n{}", text.replace("__fish_cargo_", "__fish_cargo_crd_gen_hook_"))
}

/// Registered for `cargo`: `cargo crd-gen ...` goes to the generated `_cargo_crd_gen` function
/// (with the words shifted as `cargo-crd-gen ...` would have them), anything else to the completion cargo had before (rustup's
/// `_cargo`, loaded first when bash-completion loads completions on demand).
const BASH_CARGO_HOOK: &str = r#"
# `cargo crd-gen ...`: cargo runs crd-gen as its subcommand.
__cargo_crd_gen_previous=""
__cargo_crd_gen_find_previous() {
    local spec
    spec=$(complete -p cargo 2>/dev/null)
    if [[ -z $spec ]]; then
        if declare -F _comp_load >/dev/null; then
            _comp_load cargo >/dev/null 2>&1
        elif declare -F _completion_loader >/dev/null; then
            _completion_loader cargo >/dev/null 2>&1
        fi
        spec=$(complete -p cargo 2>/dev/null)
    fi
    if [[ $spec =~ -F\ ([^ ]+) ]] && [[ ${BASH_REMATCH[1]} != _cargo_crd_gen_dispatch ]]; then
        __cargo_crd_gen_previous=${BASH_REMATCH[1]}
    fi
}
__cargo_crd_gen_find_previous
_cargo_crd_gen_dispatch() {
    if [[ ${COMP_CWORD} -ge 2 && ${COMP_WORDS[1]} == crd-gen ]]; then
        # The words as `cargo-crd-gen ...` has them.
        local -a COMP_WORDS=("cargo-crd-gen" "${COMP_WORDS[@]:2}")
        local COMP_CWORD=$((COMP_CWORD - 1))
        _cargo_crd_gen cargo-crd-gen "$2" "$3"
    elif [[ -n $__cargo_crd_gen_previous ]]; then
        "$__cargo_crd_gen_previous" "$@"
    fi
}
complete -F _cargo_crd_gen_dispatch -o bashdefault -o default cargo
"#;
