//! Putting letters on disk: atomically, never over a user's file by surprise.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// What happened to a file we were asked to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Written {
    /// A new file.
    Created,
    /// An existing file replaced (`--force`).
    Replaced,
    /// The file was already there with exactly these bytes (a re-run).
    Unchanged,
}

/// Writes `bytes` to `path` so that no reader ever sees half a file: into a
/// temporary file beside it, then linked or renamed into place. An existing
/// file with other contents is an error unless `overwrite`.
pub fn write_file(path: &Path, bytes: &[u8], overwrite: bool) -> Result<Written> {
    let existing = path.symlink_metadata().ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(Error::new(
                ErrorKind::CantCreate,
                format!("{}: is a directory", path.display()),
            ));
        }
        if !overwrite {
            if fs::read(path).is_ok_and(|old| old == bytes) {
                return Ok(Written::Unchanged);
            }
            return Err(Error::new(
                ErrorKind::CantCreate,
                format!("{}: already exists", path.display()),
            )
            .with_help("pass --force to replace it, or choose another name"));
        }
    }
    let tmp = temporary_path(path);
    let result = write_temporary(&tmp, bytes).and_then(|()| {
        if overwrite {
            fs::rename(&tmp, path)
        } else {
            // A hard link fails if the name was taken meanwhile: no clobbering by a race.
            fs::hard_link(&tmp, path).or_else(|err| match err.kind() {
                std::io::ErrorKind::AlreadyExists => Err(err),
                _ => fs::rename(&tmp, path),
            })
        }
    });
    let _ = fs::remove_file(&tmp);
    match result {
        Ok(()) if existing.is_some() => Ok(Written::Replaced),
        Ok(()) => Ok(Written::Created),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::new(
            ErrorKind::CantCreate,
            format!("{}: already exists", path.display()),
        )
        .with_help("pass --force to replace it, or choose another name")),
        Err(err) => Err(Error::write(path, &err)),
    }
}

fn write_temporary(tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)?;
    file.write_all(bytes)?;
    file.sync_data()
}

/// `.name.PID.tmp` beside `path`: same directory, so the rename is atomic.
fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Creates the output directory (and parents) if needed.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    if dir.is_file() {
        return Err(Error::new(
            ErrorKind::CantCreate,
            format!("{}: is a file, not a directory", dir.display()),
        )
        .with_help("--out takes a directory; use -o FILE for a single letter"));
    }
    fs::create_dir_all(dir).map_err(|err| Error::write(dir, &err))
}

/// Writes to standard output, treating a closed pipe (`| head`) as success.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::write(Path::new("<stdout>"), &err))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_replaces_a_different_file_without_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("letter.txt");
        assert_eq!(write_file(&path, b"one", false).unwrap(), Written::Created);
        assert_eq!(
            write_file(&path, b"one", false).unwrap(),
            Written::Unchanged
        );
        let err = write_file(&path, b"two", false).unwrap_err();
        assert_eq!(err.kind, ErrorKind::CantCreate);
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(write_file(&path, b"two", true).unwrap(), Written::Replaced);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }
}
