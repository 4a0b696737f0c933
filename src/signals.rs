//! The signals that ask a run to stop (SIGINT, SIGTERM, SIGHUP), as `write`
//! (`batch::interrupt`) and `send` (`send::stop`) both take them: which they
//! are, what the process already does with each, and their names.

/// The signals a run stops cleanly for.
pub const STOPPING: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// What the process does with a signal before a run takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// The default action: for these, to end the process.
    Default,
    /// Ignored, as `nohup` ignores SIGHUP and a shell a background job's SIGINT.
    Ignored,
    /// A handler of the process's own (the guided mode's).
    Handled,
}

/// What the process does with `signal` now; `None` where that cannot be read.
pub fn disposition(signal: libc::c_int) -> Option<Disposition> {
    // SAFETY: a zeroed sigaction is valid, and the call only reads into it.
    let current = unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(signal, std::ptr::null(), &mut current) != 0 {
            return None;
        }
        current
    };
    Some(match current.sa_sigaction {
        libc::SIG_DFL => Disposition::Default,
        libc::SIG_IGN => Disposition::Ignored,
        _ => Disposition::Handled,
    })
}

/// A signal's name, for what a run says when one stopped it.
pub fn name(signal: i32) -> &'static str {
    match signal {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}
