//! SIGINT, SIGTERM and SIGHUP during a run.
//!
//! Before anything is written there is nothing to clean up, and the process
//! ends at once. Once writing has begun, the signal is only noted: the run
//! stops between letters, its temporary files are removed as they are
//! dropped, and the manifest is written for the letters that were written.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The signal received while writing, or 0.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
/// Whether files of ours may be half made, so that a signal must wait.
static WRITING: AtomicBool = AtomicBool::new(false);

const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

extern "C" fn on_signal(signal: libc::c_int) {
    // A second signal is insistence: a run blocked (on a FIFO no one reads)
    // ends now, and a temporary file it leaves is swept by the next run.
    if !WRITING.load(Ordering::SeqCst) || RECEIVED.load(Ordering::SeqCst) != 0 {
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(128 + signal) };
    }
    RECEIVED.store(signal, Ordering::SeqCst);
}

/// Installs the handler for the rest of the process. A signal the guided
/// mode already handles stays its, and a SIGHUP ignored (`nohup`) stays
/// ignored. A SIGINT ignored is taken back: a shell script starts its
/// background jobs so, and such a run must still stop cleanly when told.
pub fn install() {
    for signal in SIGNALS {
        // SAFETY: a zeroed sigaction with a handler that only touches atomics
        // or calls _exit, both async-signal-safe; the first call only reads.
        unsafe {
            let mut current: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, std::ptr::null(), &mut current) != 0 {
                continue;
            }
            let ignored = current.sa_sigaction == libc::SIG_IGN;
            let handled = current.sa_sigaction != libc::SIG_DFL && !ignored;
            if handled || (ignored && signal == libc::SIGHUP) {
                continue;
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// Marks the time files are being written: a signal then waits for
/// [`received`] to be checked. Ends when the guard is dropped.
pub fn writing() -> Writing {
    WRITING.store(true, Ordering::SeqCst);
    Writing
}

pub struct Writing;

impl Drop for Writing {
    fn drop(&mut self) {
        WRITING.store(false, Ordering::SeqCst);
    }
}

/// The signal that asked the run to stop, if one did.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

pub fn name(signal: i32) -> &'static str {
    match signal {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}
