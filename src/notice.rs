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
        eprintln!("warning: {message}");
    }
}

/// A line of information on standard error (a summary, which file was
/// used), unless quiet.
pub fn note(message: impl Display) {
    if !is_quiet() {
        eprintln!("{message}");
    }
}
