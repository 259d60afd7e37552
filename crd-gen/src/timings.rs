//! `CRD_GEN_TIMINGS=1`: each stage's wall time on stderr, for finding where a run's time goes
//! (the speed benchmark shows totals only).

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CRD_GEN_TIMINGS").is_some_and(|v| v != "0"))
}

/// A stopwatch for one thread's stages; prints nothing unless enabled.
pub struct Stages {
    thread: String,
    last: Instant,
}

impl Stages {
    pub fn start(thread: impl Into<String>) -> Stages {
        Stages { thread: thread.into(), last: Instant::now() }
    }
    /// Ends the stage `name` (begun at the previous call) and starts the next.
    pub fn lap(&mut self, name: &str) {
        let now = Instant::now();
        if enabled() {
            eprintln!("crd-gen timings: {:<7} {name:<28} {:>8.1} ms", self.thread, (now - self.last).as_secs_f64() * 1e3);
        }
        self.last = now;
    }
}
