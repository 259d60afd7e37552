//! `cargo crd-gen`: the command-line front end. It parses arguments, calls the engine
//! ([`crd_gen::Generator`], [`crd_gen::scaffold`]) and turns the outcome into messages and an
//! exit code: 0 success, 1 errors in the sources, stale or clashing files (`--check`), an API
//! that exists (`create api`), 2 usage, workspace or I/O errors.
//!
//! - `args.rs`: the flags and their help;
//! - `out.rs`: messages on stderr (human or JSON, `-v`/`-q`, colors);
//! - `progress.rs`: the progress line of long runs;
//! - `manifests.rs`: `manifests` and `check`; `create.rs`: `create api`;
//! - `completions.rs`: shell completion scripts.

mod args;
mod completions;
mod create;
mod manifests;
mod out;
mod progress;

use args::{Cli, Command, CreateCommand};
use clap::Parser;
use std::process::ExitCode;

/// The engine allocates a small value per token, name and schema node: with mimalloc a
/// 1000-resource run takes a third less CPU than with glibc's malloc (README, Speed).
#[global_allocator]
static ALLOCATOR: WordAligned = WordAligned;

/// mimalloc, asked the plain way where that is enough. The `mimalloc` crate passes every
/// request to `mi_malloc_aligned`, whose extra checks cost as much again as the allocation on
/// the engine's small values; every mimalloc block is aligned to a machine word at least (block
/// sizes are whole words, pages start on a word), so requests aligned to a word or less need none.
struct WordAligned;

const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: each function keeps GlobalAlloc's contract by handing the request to mimalloc, whose
// plain functions return word-aligned blocks of at least the size asked for; larger alignments go
// to the aligned functions, as the `mimalloc` crate does with all of them.
unsafe impl std::alloc::GlobalAlloc for WordAligned {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= WORD {
            unsafe { libmimalloc_sys::mi_malloc(layout.size()).cast() }
        } else {
            unsafe { libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if layout.align() <= WORD {
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()).cast() }
        } else {
            unsafe { libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= WORD {
            unsafe { libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            unsafe { libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast() }
        }
    }
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
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
    let out = out::Out::new(&cli.output, started);
    match &cli.command {
        Command::Markers => print(&crd_gen::markers::reference::markdown()),
        Command::CelEnv => print(&crd_gen::validate::cel::reference::markdown()),
        Command::Completions { shell } => print(&completions::script(*shell)),
        Command::Check(common) => manifests::check_sources(common, &out),
        Command::Manifests(m) => manifests::manifests(m, &out),
        Command::Create(CreateCommand::Api(a)) => create::create_api(a, &out),
    }
}

/// A reference or script on stdout; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> ExitCode {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("crd-gen: cannot write to stdout: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}
