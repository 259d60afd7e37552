//! `CRD_GEN_TIMINGS=1`: each stage's wall time, and the process's resident memory at its end,
//! on stderr, for finding where a run's time and memory go (the speed benchmark shows totals
//! only).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CRD_GEN_TIMINGS").is_some_and(|v| v != "0"))
}

/// A stopwatch for one thread's stages; prints nothing unless enabled.
pub struct Stages {
    thread: String,
    last: Instant,
    /// Stages that take turns (per module), added up until [`Stages::flush`].
    added: Vec<(&'static str, Duration)>,
}

impl Stages {
    pub fn start(thread: impl Into<String>) -> Stages {
        Stages { thread: thread.into(), last: Instant::now(), added: Vec::new() }
    }
    /// Ends the stage `name` (begun at the previous call) and starts the next.
    pub fn lap(&mut self, name: &str) {
        let now = Instant::now();
        self.print(name, now - self.last);
        self.last = now;
    }
    /// Ends a turn of stage `name`, adding its time to the stage's total.
    pub fn add(&mut self, name: &'static str) {
        let now = Instant::now();
        match self.added.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += now - self.last,
            None => self.added.push((name, now - self.last)),
        }
        self.last = now;
    }
    /// Prints the totals of the stages [`Stages::add`] timed.
    pub fn flush(&mut self) {
        for (name, total) in std::mem::take(&mut self.added) {
            self.print(name, total);
        }
    }
    fn print(&self, name: &str, took: Duration) {
        if enabled() {
            let ms = took.as_secs_f64() * 1e3;
            eprintln!("crd-gen timings: {:<7} {name:<28} {ms:>8.1} ms {:>6} MiB", self.thread, resident_mib());
        }
    }
}

/// The process's resident set in MiB, where the system tells it (Linux); 0 elsewhere.
fn resident_mib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096 / (1 << 20)
}
