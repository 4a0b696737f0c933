//! SIGINT, SIGTERM and SIGHUP during a run.
//!
//! Before anything is written there is nothing to clean up, and the process
//! ends at once. Once writing has begun, the signal is only noted: the run
//! stops between letters, its temporary files are removed as they are
//! dropped, and the manifest is written for the letters that were written.

use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};

use crate::signals::{disposition, Disposition, STOPPING};

/// The signal received while writing, or 0.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
/// Where the run is: [`CHECKING`], [`WRITING`] or [`DONE`].
static PHASE: AtomicU8 = AtomicU8::new(CHECKING);
/// Nothing of ours is on disk yet: a signal ends the process at once.
const CHECKING: u8 = 0;
/// Files of ours may be half made: a signal waits for the run to stop.
const WRITING: u8 = 1;
/// The run has stopped: nothing is left to clean up.
const DONE: u8 = 2;

extern "C" fn on_signal(signal: libc::c_int) {
    let message: &[u8] = match PHASE.load(Ordering::SeqCst) {
        CHECKING => b"interrupted: nothing was written\n",
        // A second signal is insistence: a run blocked (on a FIFO no one
        // reads) ends now, and a temporary file it leaves is swept by the
        // next run.
        WRITING if RECEIVED.load(Ordering::SeqCst) != 0 => b"interrupted again: stopped at once\n",
        WRITING => {
            RECEIVED.store(signal, Ordering::SeqCst);
            return;
        }
        _ => b"",
    };
    // SAFETY: write(2) and _exit(2) are async-signal-safe.
    unsafe {
        libc::write(2, message.as_ptr().cast(), message.len());
        libc::_exit(128 + signal);
    }
}

/// Installs the handler for the rest of the process. A signal the guided
/// mode already handles stays its, and a SIGHUP ignored (`nohup`) stays
/// ignored. A SIGINT ignored is taken back: a shell script starts its
/// background jobs so, and such a run must still stop cleanly when told.
pub fn install() {
    PHASE.store(CHECKING, Ordering::SeqCst);
    for signal in STOPPING {
        match disposition(signal) {
            None | Some(Disposition::Handled) => continue,
            Some(Disposition::Ignored) if signal == libc::SIGHUP => continue,
            Some(Disposition::Default | Disposition::Ignored) => {}
        }
        // SAFETY: a zeroed sigaction with a handler that only touches atomics
        // or calls write and _exit, all async-signal-safe.
        unsafe {
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
    PHASE.store(WRITING, Ordering::SeqCst);
    Writing
}

pub struct Writing;

impl Drop for Writing {
    fn drop(&mut self) {
        PHASE.store(DONE, Ordering::SeqCst);
    }
}

/// The signal that asked the run to stop, if one did.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}
