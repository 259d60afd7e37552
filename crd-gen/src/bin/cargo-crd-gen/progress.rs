//! The progress line: when a run takes longer than a second (a large workspace), one line on
//! stderr says what it is doing and for how long (`crd-gen: generating CRDs for 40 packages
//! (2.3 s)`), redrawn in place and erased when the run ends. Only on a terminal: a log or a pipe
//! gets nothing.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

type Sink = Box<dyn Write + Send>;

struct State {
    phase: String,
    done: bool,
    /// The line is on screen (so a message must erase it first).
    drawn: bool,
    sink: Sink,
}

pub struct ProgressLine {
    shared: Option<Arc<(Mutex<State>, Condvar)>>,
    thread: Option<JoinHandle<()>>,
}

const ERASE: &str = "\r\x1b[2K";
const REDRAW: Duration = Duration::from_millis(100);

impl ProgressLine {
    /// A line on stderr after `delay`, when `enabled`; else nothing at all.
    pub fn stderr(enabled: bool) -> ProgressLine {
        if enabled { ProgressLine::start(Box::new(std::io::stderr()), Duration::from_secs(1)) } else { ProgressLine::off() }
    }

    pub fn off() -> ProgressLine {
        ProgressLine { shared: None, thread: None }
    }

    pub fn start(sink: Sink, delay: Duration) -> ProgressLine {
        let shared = Arc::new((Mutex::new(State { phase: String::new(), done: false, drawn: false, sink }), Condvar::new()));
        let theirs = shared.clone();
        let started = Instant::now();
        let thread = std::thread::spawn(move || draw_until_done(&theirs, started, delay));
        ProgressLine { shared: Some(shared), thread: Some(thread) }
    }

    /// Prints a message line, erasing the progress line first (it is redrawn below it).
    pub fn message(&self, text: &str) {
        match &self.shared {
            Some(shared) => {
                let mut st = shared.0.lock().unwrap_or_else(|e| e.into_inner());
                let erase = if st.drawn { ERASE } else { "" };
                let _ = writeln!(st.sink, "{erase}{text}");
                st.drawn = false;
            }
            None => eprintln!("{text}"),
        }
    }

    /// Stops drawing and erases the line, before the run's own output.
    pub fn finish(&mut self) {
        if let Some(shared) = &self.shared {
            shared.0.lock().unwrap_or_else(|e| e.into_inner()).done = true;
            shared.1.notify_all();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.finish();
    }
}

impl ProgressLine {
    /// Sets what the line says.
    pub fn phase(&mut self, what: &str) {
        if let Some(shared) = &self.shared {
            shared.0.lock().unwrap_or_else(|e| e.into_inner()).phase = what.to_string();
        }
    }

    pub fn is_on(&self) -> bool {
        self.shared.is_some()
    }
}

fn draw_until_done(shared: &(Mutex<State>, Condvar), started: Instant, delay: Duration) {
    let (lock, wake) = shared;
    let mut st = lock.lock().unwrap_or_else(|e| e.into_inner());
    // Nothing until the delay has passed: most runs end first and never show a line.
    while !st.done && started.elapsed() < delay {
        let left = delay.saturating_sub(started.elapsed());
        st = wake.wait_timeout(st, left).unwrap_or_else(|e| e.into_inner()).0;
    }
    while !st.done {
        let line = format!("{ERASE}crd-gen: {} ({:.1} s)", st.phase, started.elapsed().as_secs_f64());
        let _ = st.sink.write_all(line.as_bytes()).and_then(|()| st.sink.flush());
        st.drawn = true;
        st = wake.wait_timeout(st, REDRAW).unwrap_or_else(|e| e.into_inner()).0;
    }
    if st.drawn {
        let _ = st.sink.write_all(ERASE.as_bytes()).and_then(|()| st.sink.flush());
        st.drawn = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Buffer {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    #[test]
    fn a_quick_run_shows_nothing() {
        let buf = Buffer::default();
        let mut p = ProgressLine::start(Box::new(buf.clone()), Duration::from_secs(1));
        p.phase("generating CRDs for 1 package");
        p.finish();
        assert_eq!(buf.text(), "");
    }

    #[test]
    fn a_slow_run_shows_its_phase_and_erases_the_line_at_the_end() {
        let buf = Buffer::default();
        let mut p = ProgressLine::start(Box::new(buf.clone()), Duration::from_millis(20));
        p.phase("generating CRDs for 40 packages");
        std::thread::sleep(Duration::from_millis(250));
        p.message("crd-gen: waiting for another crd-gen run to finish writing x");
        std::thread::sleep(Duration::from_millis(150));
        p.finish();
        let text = buf.text();
        assert!(text.starts_with("\r\x1b[2Kcrd-gen: generating CRDs for 40 packages (0."), "{text:?}");
        assert!(text.contains("\r\x1b[2Kcrd-gen: waiting for another crd-gen run to finish writing x\n"), "{text:?}");
        assert!(text.ends_with(" s)\r\x1b[2K"), "the line is erased last: {text:?}");
    }
}
