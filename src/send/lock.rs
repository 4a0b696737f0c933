//! One run per send log at a time.
//!
//! A run takes an exclusive `flock` on the send log itself (opened without
//! following a link) before it reads it, and keeps it until it ends: whatever
//! path reaches the log (a folder named two ways, a bind mount, a
//! hard-linked copy of the folder), one file is one lock. The kernel lets go
//! of the lock when the process dies, however it dies, so a lock left by a
//! killed run is taken over by the next. `send-log.jsonl.lock` beside the
//! log only names the holder (its PID and when it started) for a run that
//! finds the log taken; reached another way, the holder is found in the
//! kernel's list of locks.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// The lock of one send log, held until dropped.
#[derive(Debug)]
pub struct Lock {
    /// The note that names the holder.
    path: PathBuf,
    log: PathBuf,
    /// The log did not exist before this run: removed if still empty.
    created: bool,
    /// The log itself: holds the flock; closing it lets go.
    file: File,
}

/// Where the lock of the log at `log` is.
fn lock_path(log: &Path) -> PathBuf {
    let mut name = log.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    log.with_file_name(name)
}

impl Lock {
    /// Takes the lock of the log at `log` (made empty if there is none yet),
    /// or says who has it.
    pub fn take(log: &Path, started: &str) -> Result<Lock> {
        loop {
            let created = !log.exists();
            let file = OpenOptions::new()
                .read(true)
                .append(true)
                .create(true)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .open(log)
                .map_err(|err| Error::write(log, &err))?;
            let metadata = file.metadata().map_err(|err| Error::read(log, &err))?;
            if !metadata.is_file() {
                return Err(Error::usage(format!(
                    "{}: not a regular file: the send log is a file of its own",
                    log.display()
                ))
                .with_help("move it away: `protest send` makes it"));
            }
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                let err = std::io::Error::last_os_error();
                if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
                    return Err(Error::write(log, &err));
                }
                return Err(taken(log, &holder_note(log, &metadata)));
            }
            // A run that was ending removed the empty log it had made after
            // we opened it: the lock we hold is on a file no one else will
            // find. Take it again.
            let same = std::fs::symlink_metadata(log)
                .is_ok_and(|now| now.ino() == metadata.ino() && now.dev() == metadata.dev());
            if !same {
                continue;
            }
            let note = lock_path(log);
            let holder = format!("{} {started}\n", std::process::id());
            write_note(&note, &holder).map_err(|err| Error::write(&note, &err))?;
            return Ok(Lock {
                path: note,
                log: log.to_path_buf(),
                created,
                file,
            });
        }
    }

    /// Who holds the lock of the log at `log` now, if anyone: for a dry run,
    /// which takes no lock.
    pub fn holder(log: &Path) -> Option<String> {
        let file = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(log)
            .ok()?;
        let metadata = file.metadata().ok().filter(|m| m.is_file())?;
        // SAFETY: flock on a descriptor this function owns; a shared lock
        // that fails only while a run holds the exclusive one.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH | libc::LOCK_NB) } == 0 {
            return None;
        }
        Some(describe(&holder_note(log, &metadata)))
    }
}

/// What the holder of the log `log` wrote beside it, or, when it reached the
/// log by another path, its PID from the kernel's list of locks.
fn holder_note(log: &Path, metadata: &std::fs::Metadata) -> String {
    let mut note = String::new();
    if let Ok(file) = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(lock_path(log))
    {
        let _ = file.take(200).read_to_string(&mut note);
    }
    if note
        .split_whitespace()
        .next()
        .is_some_and(|pid| pid.parse::<u32>().is_ok())
    {
        return note;
    }
    flock_holder(metadata).map_or(note, |pid| pid.to_string())
}

/// The PID that holds a flock on the file of `metadata`, from /proc/locks
/// ("1: FLOCK ADVISORY WRITE 1234 08:01:5678 0 EOF": device in hex).
fn flock_holder(metadata: &std::fs::Metadata) -> Option<u32> {
    let locks = std::fs::File::open("/proc/locks").ok()?;
    let mut text = String::new();
    locks.take(1 << 20).read_to_string(&mut text).ok()?;
    let dev = metadata.dev();
    let want = format!(
        "{:02x}:{:02x}:{}",
        libc::major(dev),
        libc::minor(dev),
        metadata.ino()
    );
    text.lines().find_map(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = words.iter().position(|w| *w == "FLOCK")?;
        (words.get(at + 4) == Some(&want.as_str()))
            .then(|| words.get(at + 3)?.parse().ok())
            .flatten()
    })
}

/// Writes the note naming the holder, never through a link.
fn write_note(path: &Path, holder: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(
            "not a regular file: the note of who holds the send log is a file of its own",
        ));
    }
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(holder.as_bytes())
}

impl Drop for Lock {
    /// The note is removed while the lock is still held, and so is a log
    /// this run made and left empty.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        if self.created && self.file.metadata().is_ok_and(|m| m.len() == 0) {
            let _ = std::fs::remove_file(&self.log);
        }
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
