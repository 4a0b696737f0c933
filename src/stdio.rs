//! The standard streams: which of them the process was started without, and
//! which paths read standard input or another stream that can be read once.
//!
//! A stream closed at start (`protest letters >&-`) cannot be seen once the
//! program runs: Rust's runtime opens /dev/null in its place, so that a
//! file opened later never takes its number (and with it what was meant for
//! the stream), and every write to it then succeeds unread. Which ones were
//! closed is noted before the runtime starts (main.rs runs
//! [`note_closed_streams`] as the program is loaded), so that a command that
//! prints refuses before its work (exit 74) and an input read from standard
//! input says that it is closed.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, ErrorKind, Result};

/// Standard input, output and error, by descriptor: closed when the process started.
static CLOSED: [AtomicBool; 3] = [const { AtomicBool::new(false) }; 3];

/// Notes which of descriptors 0, 1 and 2 are closed, and opens /dev/null on
/// each, as Rust's runtime would (where it does not, nothing else can take
/// their numbers). For main.rs to run before `main`: it touches only atomics
/// and the system calls, and allocates nothing.
pub extern "C" fn note_closed_streams() {
    for fd in 0..3 {
        // SAFETY: F_GETFD on any number has no preconditions; it fails only when
        // the number is not an open descriptor.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1 {
            continue;
        }
        CLOSED[fd as usize].store(true, Ordering::Relaxed);
        // SAFETY: a NUL-terminated path; the lower descriptors are open, so
        // the new one is `fd` itself, and dup2 only makes sure.
        unsafe {
            let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
            if null >= 0 && null != fd {
                libc::dup2(null, fd);
                libc::close(null);
            }
        }
    }
}

/// Whether descriptor `fd` is a standard stream that was closed at start.
pub fn closed_at_start(fd: i32) -> bool {
    usize::try_from(fd)
        .ok()
        .and_then(|fd| CLOSED.get(fd))
        .is_some_and(|closed| closed.load(Ordering::Relaxed))
}

pub fn stdout_closed_at_start() -> bool {
    closed_at_start(1)
}

pub fn stdin_closed_at_start() -> bool {
    closed_at_start(0)
}

/// Refuses, before any work, a command whose output goes to a standard
/// output that was closed: it would print into nothing and say it succeeded.
pub fn require_stdout() -> Result<()> {
    match stdout_closed_at_start() {
        false => Ok(()),
        true => Err(stdout_closed()),
    }
}

pub fn stdout_closed() -> Error {
    Error::new(ErrorKind::Io, "standard output is closed")
        .with_help("run the command with its output going somewhere: to a file (> FILE) or a pipe")
}

/// What an input path reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// This process's standard input: `-` where an option takes it, or a
    /// name of it (`/dev/stdin`, `/dev/fd/0`, the same pipe by another path).
    Stdin,
    /// Another stream that can be read once: a FIFO or a socket, known by
    /// its device and inode.
    Stream(u64, u64),
    /// A file, a device, or anything not there: each reader opens its own.
    File,
}

impl Source {
    /// `dash`: the option takes `-` for standard input.
    pub fn of(path: &Path, dash: bool) -> Source {
        if dash && path == Path::new("-") {
            return Source::Stdin;
        }
        if matches!(
            path.to_str(),
            Some("/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0")
        ) {
            return Source::Stdin;
        }
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let Ok(meta) = std::fs::metadata(path) else {
            return Source::File;
        };
        // A file each reader opens for itself is read whole by each; a pipe
        // or a terminal is standard input by any name.
        if meta.is_file() || meta.is_dir() {
            return Source::File;
        }
        if stdin_identity() == Some((meta.dev(), meta.ino())) {
            return Source::Stdin;
        }
        let kind = meta.file_type();
        match kind.is_fifo() || kind.is_socket() {
            true => Source::Stream(meta.dev(), meta.ino()),
            false => Source::File,
        }
    }
}

/// The device and inode standard input reads, when it is open.
fn stdin_identity() -> Option<(u64, u64)> {
    if stdin_closed_at_start() {
        return None;
    }
    // SAFETY: fstat on descriptor 0 into a zeroed stat buffer.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(0, &mut stat) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)] // the field types differ by platform
    Some((stat.st_dev as u64, stat.st_ino as u64))
}

/// Refuses two inputs that read one stream: the first to read it would take
/// everything, and the other would silently read nothing. `inputs` are
/// each an option as the user wrote it (`--senders -`) and what it reads;
/// an input from a standard input that was closed is refused too.
pub fn one_reader_each(inputs: &[(String, Source)]) -> Result<()> {
    for (i, (option, source)) in inputs.iter().enumerate() {
        if *source == Source::Stdin && stdin_closed_at_start() {
            return Err(Error::new(
                ErrorKind::NoInput,
                format!("{option}: standard input is closed"),
            )
            .with_help("give the file itself, or send the input in: ... < FILE"));
        }
        if *source == Source::File {
            continue;
        }
        if let Some((earlier, _)) = inputs[..i].iter().find(|(_, s)| s == source) {
            let what = match source {
                Source::Stdin => "standard input",
                _ => "the same stream",
            };
            return Err(Error::usage(format!(
                "{earlier} and {option} both read {what}, which can be read only once"
            ))
            .with_help("give one of them as a file"));
        }
    }
    Ok(())
}
