//! One run per send log at a time.
//!
//! A run takes an exclusive `flock` on `send-log.jsonl.lock` beside the log
//! (in the folder's real path, its links resolved, and never through a link
//! itself: a folder named two ways has one lock) before it reads the log,
//! and keeps it until it ends. The kernel lets go of
//! the lock when the process dies, however it dies, so a lock left by a
//! killed run is taken over by the next. The file only names the holder
//! (its PID and when it started) for the run that finds it taken.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// The lock of one send log, held until dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    /// Holds the flock; closing it lets go.
    _file: File,
}

/// Where the lock of the log at `log` is.
fn lock_path(log: &Path) -> PathBuf {
    let mut name = log.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    log.with_file_name(name)
}

impl Lock {
    /// Takes the lock of the log at `log` (in a resolved folder), or says who has it.
    pub fn take(log: &Path, started: &str) -> Result<Lock> {
        let path = lock_path(log);
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .open(&path)
                .map_err(|err| Error::write(&path, &err))?;
            let metadata = file.metadata().map_err(|err| Error::read(&path, &err))?;
            if !metadata.is_file() {
                return Err(Error::usage(format!(
                    "{}: not a regular file: the lock of the send log is a file of its own",
                    path.display()
                ))
                .with_help("move it away: `protest send` makes it"));
            }
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                let err = std::io::Error::last_os_error();
                if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
                    return Err(Error::write(&path, &err));
                }
                let mut holder = String::new();
                let _ = (&mut file).take(200).read_to_string(&mut holder);
                return Err(taken(log, &holder));
            }
            // A run that was ending removed the file after we opened it: the
            // lock we hold is on a file no one else will find. Take it again.
            let same = std::fs::symlink_metadata(&path)
                .is_ok_and(|now| now.ino() == metadata.ino() && now.dev() == metadata.dev());
            if !same {
                continue;
            }
            let holder = format!("{} {started}\n", std::process::id());
            file.set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| file.write_all(holder.as_bytes()))
                .map_err(|err| Error::write(&path, &err))?;
            return Ok(Lock { path, _file: file });
        }
    }

    /// Who holds the lock of the log at `log` now, if anyone: for a dry run,
    /// which takes no lock.
    pub fn holder(log: &Path) -> Option<String> {
        let path = lock_path(log);
        let mut file = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&path)
            .ok()?;
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return None;
        }
        // SAFETY: flock on a descriptor this function owns; a shared lock
        // that fails only while a run holds the exclusive one.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH | libc::LOCK_NB) } == 0 {
            return None;
        }
        let mut holder = String::new();
        let _ = (&mut file).take(200).read_to_string(&mut holder);
        Some(describe(&holder))
    }
}

impl Drop for Lock {
    /// Removed while still held: the next run makes it anew.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// "PID 1234, started 2026-11-30T16:05:09Z" from what the holder wrote.
fn describe(holder: &str) -> String {
    let mut words = holder.split_whitespace();
    match (
        words.next().and_then(|pid| pid.parse::<u32>().ok()),
        words.next(),
    ) {
        (Some(pid), Some(started)) => {
            format!("PID {pid}, started {}", super::files::shown(started, 40))
        }
        (Some(pid), None) => format!("PID {pid}"),
        _ => "its PID is not written yet".to_string(),
    }
}

fn taken(log: &Path, holder: &str) -> Error {
    let pid = holder
        .split_whitespace()
        .next()
        .and_then(|pid| pid.parse::<u32>().ok());
    Error::new(
        ErrorKind::TempFail,
        format!(
            "{}: another `protest send` is using this send log ({}): nothing was sent",
            log.display(),
            describe(holder)
        ),
    )
    .with_help(match pid {
        Some(pid) => format!(
            "let it finish, or stop it (kill {pid}); then run the same command again: \
             it sends only what is still to go"
        ),
        None => "let it finish; then run the same command again: it sends only what is still \
                 to go"
            .to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_names_the_first_holder_and_the_first_is_let_go_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("send-log.jsonl");
        let first = Lock::take(&log, "2026-11-30T16:05:09Z").unwrap();
        let err = Lock::take(&log, "later").unwrap_err();
        assert_eq!(err.kind, ErrorKind::TempFail);
        assert_eq!(
            err.message,
            format!(
                "{}: another `protest send` is using this send log (PID {}, started \
                 2026-11-30T16:05:09Z): nothing was sent",
                log.display(),
                std::process::id()
            )
        );
        assert!(Lock::holder(&log).is_some());
        drop(first);
        assert!(!dir.path().join("send-log.jsonl.lock").exists());
        assert!(Lock::holder(&log).is_none());
        let again = Lock::take(&log, "now").unwrap();
        drop(again);
    }

    #[test]
    fn a_lock_file_left_by_a_dead_run_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("send-log.jsonl");
        std::fs::write(dir.path().join("send-log.jsonl.lock"), "999999 long-ago\n").unwrap();
        let lock = Lock::take(&log, "now").unwrap();
        let holder = std::fs::read_to_string(dir.path().join("send-log.jsonl.lock")).unwrap();
        assert_eq!(holder, format!("{} now\n", std::process::id()));
        drop(lock);
    }
}
