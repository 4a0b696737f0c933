//! SIGINT, SIGTERM and SIGHUP during a send.
//!
//! A message the server is taking gets its answer, for up to
//! [`ANSWER_WAIT`], and the answer is recorded; then the run stops between
//! messages and says what was sent and what is left. Nothing else is waited
//! for: a pause between messages ends at once, and so does a connection or a
//! login.
//!
//! The signals are blocked in every thread and taken by a thread of their own
//! (`sigwait`), so no handler runs in the middle of a write. What keeps the
//! run from seeing the stop is a read waiting for the server; to end it, that
//! thread shuts the process's TCP connections (the only ones are to the mail
//! server), and the read returns. A second signal does that at once.

use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};
use std::sync::{Condvar, Mutex, Once};
use std::time::{Duration, Instant};

use crate::signals::{disposition, Disposition, STOPPING};

/// How long a message already handed over may take to be answered after a
/// stop was asked for.
pub const ANSWER_WAIT: Duration = Duration::from_secs(30);

/// The signal that asked the run to stop, or 0.
static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// What the run is doing: one of the `Phase`s.
static PHASE: AtomicU8 = AtomicU8::new(Phase::Idle as u8);
/// Wakes a pause when a stop is asked for, and the watch when a delivery ends.
static WAKE: (Mutex<()>, Condvar) = (Mutex::new(()), Condvar::new());

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Nothing on the network: a stop is seen at the next check.
    Idle,
    /// Connecting, securing or logging in: nothing to lose by cutting it.
    Talking,
    /// A message is on its way: its answer is waited for.
    Delivering,
}

/// Takes SIGINT, SIGTERM and SIGHUP for the rest of the process. A SIGHUP
/// ignored (`nohup`) stays ignored; a SIGINT or SIGTERM ignored (a
/// background job of a script) is taken back, so that the run still stops
/// cleanly when told.
pub fn watch() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: sigset and sigaction calls on values owned here; a
        // zeroed sigaction is valid.
        let set = unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for signal in STOPPING {
                match disposition(signal) {
                    None => continue,
                    Some(Disposition::Ignored) if signal == libc::SIGHUP => continue,
                    Some(Disposition::Ignored) => {
                        let mut default: libc::sigaction = std::mem::zeroed();
                        default.sa_sigaction = libc::SIG_DFL;
                        libc::sigaction(signal, &default, std::ptr::null_mut());
                    }
                    Some(Disposition::Default | Disposition::Handled) => {}
                }
                libc::sigaddset(&mut set, signal);
            }
            // Blocked here, before the thread starts, and so in every thread.
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            set
        };
        std::thread::spawn(move || loop {
            let mut signal = 0;
            // SAFETY: a set of blocked signals and a place for the one taken.
            if unsafe { libc::sigwait(&set, &mut signal) } == 0 {
                on_signal(signal);
            }
        });
    });
}

fn on_signal(signal: i32) {
    if SIGNAL
        .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        // Asked again: stop waiting for anyone.
        cut_connections();
        return;
    }
    {
        // Under the lock: a pause between its check and its wait is not missed.
        let _guard = WAKE.0.lock().unwrap_or_else(|e| e.into_inner());
        WAKE.1.notify_all();
    }
    match phase() {
        Phase::Idle => {}
        Phase::Talking => cut_connections(),
        Phase::Delivering => {
            std::thread::spawn(|| {
                let deadline = Instant::now() + ANSWER_WAIT;
                let mut guard = WAKE.0.lock().unwrap_or_else(|e| e.into_inner());
                while phase() == Phase::Delivering {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        cut_connections();
                        return;
                    }
                    guard = WAKE
                        .1
                        .wait_timeout(guard, left)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            });
        }
    }
}

fn phase() -> Phase {
    match PHASE.load(Ordering::SeqCst) {
        1 => Phase::Talking,
        2 => Phase::Delivering,
        _ => Phase::Idle,
    }
}

/// The signal that asked the run to stop, if one did.
pub fn requested() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// Says what the run is doing until the guard is dropped (then idle).
/// Entering a phase after a stop was asked for is refused: `None`.
pub fn enter(phase: Phase) -> Option<PhaseGuard> {
    PHASE.store(phase as u8, Ordering::SeqCst);
    // After the store: either the signal thread sees this phase, or this
    // sees its signal.
    if requested().is_some() {
        leave();
        return None;
    }
    Some(PhaseGuard)
}

pub struct PhaseGuard;

impl Drop for PhaseGuard {
    fn drop(&mut self) {
        leave();
    }
}

fn leave() {
    PHASE.store(Phase::Idle as u8, Ordering::SeqCst);
    let _guard = WAKE.0.lock().unwrap_or_else(|e| e.into_inner());
    WAKE.1.notify_all();
}

/// Pauses for `duration`, or less if a stop is asked for; false then.
pub fn pause(duration: Duration) -> bool {
    let deadline = Instant::now() + duration;
    let mut guard = WAKE.0.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if requested().is_some() {
            return false;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        guard = WAKE
            .1
            .wait_timeout(guard, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

/// Shuts every TCP connection of the process: a read waiting on one returns.
fn cut_connections() {
    // SAFETY: shutdown on a socket descriptor; at worst it fails.
    super::sockets::each_tcp(|fd| unsafe {
        libc::shutdown(fd, libc::SHUT_RDWR);
    });
}
