//! What is said on standard error besides errors: warnings, notes and the
//! progress bar, all of which `-q/--quiet` silences. Errors are never
//! silenced: they go through `main`.

use std::fmt::Display;
use std::sync::atomic::{AtomicBool, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

pub fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// "warning: MESSAGE" on standard error, unless quiet.
pub fn warn(message: impl Display) {
    if !is_quiet() {
        say(format_args!("warning: {message}"));
    }
}

/// A line of information on standard error (a summary, which file was
/// used), unless quiet.
pub fn note(message: impl Display) {
    if !is_quiet() {
        say(message);
    }
}

/// A line on standard error, whatever became of it: a terminal that hung up
/// (SIGHUP) or a full disk behind `2>file` must not turn a run that ends
/// well, or stops cleanly, into a crash (`eprintln!` panics, exit 101).
pub fn say(line: impl Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
