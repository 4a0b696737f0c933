//! Our temporary files: named so that a later run knows them as ours, and
//! sweeps those of a run that was killed, never a file of the user's.

use std::fs;
use std::path::{Path, PathBuf};

/// A temporary file only this process can reach, with no name: on Linux made
/// unnamed (O_TMPFILE), elsewhere removed as soon as it is open. Readable by
/// its owner only, since it may hold senders' details.
pub fn anonymous_temporary() -> std::io::Result<fs::File> {
    let dir = std::env::temp_dir();
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let unnamed = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_TMPFILE)
            .mode(0o600)
            .open(&dir);
        if let Ok(file) = unnamed {
            return Ok(file);
        }
    }
    let path = dir.join(temporary_name());
    let file = private_temporary(&path)?;
    fs::remove_file(&path)?;
    Ok(file)
}

/// A new temporary file, readable by its owner only from the moment it exists.
pub(super) fn private_temporary(tmp: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(tmp)
}

/// Where a file is written before it is renamed into place: beside it, so
/// the rename is atomic, under a name no user file has by chance.
pub(super) fn temporary_path(path: &Path) -> PathBuf {
    path.with_file_name(temporary_name())
}

/// What names our temporary files: a user's `.notes.99999.tmp` never starts so.
const TEMPORARY_PREFIX: &str = ".protest-tmp-";

/// `.protest-tmp-PID-RANDOM`: the process that made it, so a sweep leaves a
/// running process's files alone, and 16 random hex digits, so the name is
/// ours beyond reasonable doubt and two files of one process never clash.
fn temporary_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::AtomicU64;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // RandomState's keys come from the system's random source.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    format!(
        "{TEMPORARY_PREFIX}{}-{:016x}",
        std::process::id(),
        hasher.finish()
    )
}

/// Removes from `dir` the temporary files of runs that were killed before
/// they could (SIGKILL, a power cut). Only names [`temporary_name`] makes
/// are touched, only regular files, and not those of a process still
/// running where that can be known (`/proc`).
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    let proc_fs = Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temporary_pid) else {
            continue;
        };
        let running = pid == own || (proc_fs && Path::new("/proc").join(pid.to_string()).exists());
        if !running && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process id in a name made by [`temporary_name`], and `None` for any
/// other name.
fn temporary_pid(name: &str) -> Option<u32> {
    let (pid, random) = name.strip_prefix(TEMPORARY_PREFIX)?.split_once('-')?;
    let digits = |s: &str, radix| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if !digits(pid, 10)
        || random.len() != 16
        || !digits(random, 16)
        || random.contains(char::is_uppercase)
    {
        return None;
    }
    pid.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_temporary_names_are_recognised() {
        let ours = temporary_name();
        assert_eq!(temporary_pid(&ours), Some(std::process::id()));
        assert_ne!(ours, temporary_name(), "two names never clash");
        assert_eq!(
            temporary_pid(".protest-tmp-4242-0123456789abcdef"),
            Some(4242)
        );
        for name in [
            ".notes.99999.tmp",
            ".gb-london-Ann.txt.4242.tmp",
            ".notes.tmp",
            ".protest-tmp-4242",
            ".protest-tmp-4242-0123456789abcde",
            ".protest-tmp-4242-0123456789ABCDEF",
            ".protest-tmp-4242-0123456789abcdefg",
            ".protest-tmp--0123456789abcdef",
            ".protest-tmp-x1-0123456789abcdef",
            "protest-tmp-4242-0123456789abcdef",
        ] {
            assert_eq!(temporary_pid(name), None, "{name}");
        }
    }

    #[test]
    fn the_sweep_removes_only_stale_temporaries_of_ours() {
        let dir = tempfile::tempdir().unwrap();
        let users = [".notes.99999.tmp", ".protest-tmp-notes", "letter.txt"];
        for name in users {
            fs::write(dir.path().join(name), "mine").unwrap();
        }
        // A process id that cannot be running (above the kernel's maximum).
        fs::write(
            dir.path().join(".protest-tmp-4194999-0123456789abcdef"),
            "half",
        )
        .unwrap();
        let running = dir.path().join(temporary_name());
        fs::write(&running, "being written").unwrap();
        remove_stale_temporaries(dir.path());
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        let mut expected: Vec<String> = users.iter().map(|s| s.to_string()).collect();
        expected.push(running.file_name().unwrap().to_str().unwrap().to_string());
        expected.sort();
        assert_eq!(left, expected);
    }
}
