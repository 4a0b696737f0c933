//! Putting letters on disk: atomically, never over a user's file by surprise.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
#[cfg(target_os = "linux")]
use std::sync::atomic::{AtomicBool, Ordering};

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
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        Error::new(
            ErrorKind::CantCreate,
            format!("{}: not a file name", path.display()),
        )
    })?;
    OutputDir::open(dir)
        .map_err(|err| Error::write(path, &err))?
        .write(name, bytes, overwrite)
}

/// A directory that letters are written into, held open: a batch of a
/// hundred thousand letters then costs no walk of the directory's path per
/// letter, and each letter is made the cheapest atomic way the system has.
pub struct OutputDir {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    fd: std::os::fd::OwnedFd,
    /// Whether files can be made unnamed (Linux's O_TMPFILE) and linked in.
    #[cfg(target_os = "linux")]
    unnamed: AtomicBool,
    /// Whether an unnamed file can be linked by its descriptor alone
    /// (recent kernels, or with CAP_DAC_READ_SEARCH) rather than through /proc.
    #[cfg(target_os = "linux")]
    link_by_fd: AtomicBool,
}

impl OutputDir {
    pub fn open(path: &Path) -> std::io::Result<OutputDir> {
        #[cfg(target_os = "linux")]
        let fd = {
            use std::os::unix::fs::OpenOptionsExt;
            fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_DIRECTORY)
                .open(path)?
                .into()
        };
        #[cfg(not(target_os = "linux"))]
        if !path.is_dir() {
            return Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        }
        Ok(OutputDir {
            path: path.to_path_buf(),
            #[cfg(target_os = "linux")]
            fd,
            #[cfg(target_os = "linux")]
            unnamed: AtomicBool::new(true),
            #[cfg(target_os = "linux")]
            link_by_fd: AtomicBool::new(true),
        })
    }

    /// Writes the file `name` in this directory, as [`write_file`] does.
    pub fn write(&self, name: &OsStr, bytes: &[u8], overwrite: bool) -> Result<Written> {
        let path = self.path.join(name);
        if !overwrite {
            return match self.create(name, &path, bytes) {
                Ok(()) => Ok(Written::Created),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    match holds(&path, bytes)? {
                        true => Ok(Written::Unchanged),
                        false => Err(already_exists(&path)),
                    }
                }
                Err(err) => Err(Error::write(&path, &err)),
            };
        }
        if path.symlink_metadata().is_err() {
            match self.create(name, &path, bytes) {
                Ok(()) => return Ok(Written::Created),
                // Made meanwhile by someone else: replaced below, as asked.
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(err) => return Err(Error::write(&path, &err)),
            }
        }
        if holds(&path, bytes)? {
            return Ok(Written::Unchanged);
        }
        let mut file = AtomicFile::create(&path, true)?;
        file.write_all(bytes)?;
        file.commit()?;
        Ok(Written::Replaced)
    }

    /// Makes `name` with `bytes`, failing with `AlreadyExists` if the name is
    /// taken: a run killed part way leaves either the whole file or nothing.
    fn create(&self, name: &OsStr, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        #[cfg(target_os = "linux")]
        if self.unnamed.load(Ordering::Relaxed) {
            match self.create_unnamed(name, bytes) {
                Ok(true) => return Ok(()),
                Ok(false) => self.unnamed.store(false, Ordering::Relaxed),
                Err(err) => return Err(err),
            }
        }
        // Elsewhere only the full path is used.
        #[cfg(not(target_os = "linux"))]
        let _ = name;
        let tmp = temporary_path(path);
        let result = write_temporary(&tmp, bytes).and_then(|()| rename_no_replace(&tmp, path));
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Writes `bytes` into an unnamed file in the directory (O_TMPFILE) and
    /// names it only when it is complete; the link fails if the name is
    /// taken, so nothing is ever replaced, and a letter costs one directory
    /// update instead of two. `Ok(false)` where the system or file system
    /// cannot do it.
    #[cfg(target_os = "linux")]
    fn create_unnamed(&self, name: &OsStr, bytes: &[u8]) -> std::io::Result<bool> {
        use std::os::fd::{AsRawFd, FromRawFd};
        use std::os::unix::ffi::OsStrExt;
        let dir = self.fd.as_raw_fd();
        // SAFETY: a valid directory descriptor and a NUL-terminated path.
        let fd = unsafe {
            libc::openat(
                dir,
                c".".as_ptr(),
                libc::O_TMPFILE | libc::O_WRONLY | libc::O_CLOEXEC,
                0o666,
            )
        };
        if fd < 0 {
            let err = std::io::Error::last_os_error();
            return match err.raw_os_error() {
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL) => Ok(false),
                _ => Err(err),
            };
        }
        // SAFETY: `fd` was just opened and is owned by nobody else.
        let mut file = unsafe { fs::File::from_raw_fd(fd) };
        file.write_all(bytes)?;
        let to = std::ffi::CString::new(name.as_bytes()).map_err(std::io::Error::other)?;
        if self.link_by_fd.load(Ordering::Relaxed) {
            // SAFETY: valid descriptors and NUL-terminated paths that outlive the call.
            let rc =
                unsafe { libc::linkat(fd, c"".as_ptr(), dir, to.as_ptr(), libc::AT_EMPTY_PATH) };
            if rc == 0 {
                return Ok(true);
            }
            let err = std::io::Error::last_os_error();
            // Older kernels refuse an empty path to unprivileged users.
            if err.raw_os_error() != Some(libc::ENOENT) {
                return Err(err);
            }
            self.link_by_fd.store(false, Ordering::Relaxed);
        }
        let fd_path =
            std::ffi::CString::new(format!("/proc/self/fd/{fd}")).map_err(std::io::Error::other)?;
        // SAFETY: valid descriptors and NUL-terminated paths that outlive the call.
        let rc = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                fd_path.as_ptr(),
                dir,
                to.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if rc == 0 {
            return Ok(true);
        }
        let err = std::io::Error::last_os_error();
        // Without /proc the unnamed file cannot be named: use a temporary name.
        if err.raw_os_error() == Some(libc::ENOENT) && !Path::new("/proc/self/fd").is_dir() {
            return Ok(false);
        }
        Err(err)
    }
}

/// Whether `path` already holds exactly `bytes`: then a re-run leaves it
/// alone. A directory in the way is an error.
fn holds(path: &Path, bytes: &[u8]) -> Result<bool> {
    if path.is_dir() {
        return Err(is_a_directory(path));
    }
    Ok(fs::read(path).is_ok_and(|old| old == bytes))
}

fn is_a_directory(path: &Path) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        format!("{}: is a directory", path.display()),
    )
}

/// A file written under a temporary name beside its place and put there by
/// [`AtomicFile::commit`]; dropped uncommitted, it leaves nothing behind.
/// For outputs too big to hold in memory (an mbox of a whole batch).
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<std::io::BufWriter<fs::File>>,
    overwrite: bool,
}

impl AtomicFile {
    /// Fails at once if `path` exists and may not be replaced, rather than
    /// after a whole batch has been rendered.
    pub fn create(path: &Path, overwrite: bool) -> Result<AtomicFile> {
        if !overwrite && path.symlink_metadata().is_ok() {
            return Err(already_exists(path));
        }
        let tmp = temporary_path(path);
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|err| Error::write(path, &err))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(std::io::BufWriter::new(file)),
            overwrite,
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        let file = self.file.as_mut().expect("not yet committed");
        file.write_all(bytes)
            .map_err(|err| Error::write(&self.path, &err))
    }

    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().expect("committed once");
        let result = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .and_then(|_| match self.overwrite {
                true => fs::rename(&self.tmp, &self.path),
                false => rename_no_replace(&self.tmp, &self.path),
            });
        match result {
            Ok(()) => Ok(()),
            Err(err) => {
                let _ = fs::remove_file(&self.tmp);
                match err.kind() {
                    std::io::ErrorKind::AlreadyExists => Err(already_exists(&self.path)),
                    _ => Err(Error::write(&self.path, &err)),
                }
            }
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

fn already_exists(path: &Path) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        format!("{}: already exists", path.display()),
    )
    .with_help("pass --force to replace it, or choose another name")
}

/// Writes a file only its owner may read (mode 0600 on Unix), such as the
/// saved sender profile: atomically, replacing any file already there. The
/// directory is created, readable only by its owner, if it does not exist.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<Written> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            let mut builder = fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(|err| Error::write(dir, &err))?;
        }
    }
    let existed = path.exists();
    let tmp = temporary_path(path);
    let result = private_temporary(&tmp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_data()
        })
        .and_then(|()| fs::rename(&tmp, path));
    let _ = fs::remove_file(&tmp);
    match result {
        Ok(()) if existed => Ok(Written::Replaced),
        Ok(()) => Ok(Written::Created),
        Err(err) => Err(Error::write(path, &err)),
    }
}

/// A new temporary file, readable by its owner only from the moment it exists.
fn private_temporary(tmp: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(tmp)
}

/// Renames unless `to` exists, in one step, so that a file created meanwhile
/// by someone else is never replaced. Linux has this as a flag of rename;
/// elsewhere (or on a file system without it) a hard link does the same,
/// at the price of a second directory update.
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other)
        };
        let (c_from, c_to) = (c(from)?, c(to)?);
        // SAFETY: both are valid NUL-terminated paths that outlive the call.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                c_from.as_ptr(),
                libc::AT_FDCWD,
                c_to.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        if !matches!(err.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
            return Err(err);
        }
    }
    fs::hard_link(from, to)?;
    fs::remove_file(from)
}

/// No fsync: the rename already guarantees that a killed or interrupted run
/// never leaves half a letter under its name, and syncing every file of a
/// 100,000-letter batch costs minutes for protection only against a power
/// cut, after which a re-run mends the batch anyway.
fn write_temporary(tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)?;
    file.write_all(bytes)
}

/// `.name.PID.tmp` beside `path`: same directory, so the rename is atomic.
fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Removes from `dir` the temporary files (`.name.PID.tmp`) of runs that
/// were killed before they could. A file whose process still runs is left
/// alone where that can be known (`/proc`), and so is anything not named
/// like our temporaries: letters never start with a dot.
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

/// The process id in a name made by [`temporary_path`].
fn temporary_pid(name: &str) -> Option<u32> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (stem, pid) = inner.rsplit_once('.')?;
    if stem.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
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

    #[test]
    fn only_our_temporary_names_are_recognised() {
        assert_eq!(temporary_pid(".gb-london-Ann.txt.4242.tmp"), Some(4242));
        assert_eq!(temporary_pid(".manifest.jsonl.7.tmp"), Some(7));
        for name in [
            ".notes.tmp",
            ".x.abc.tmp",
            "a.txt.12.tmp",
            "..12.tmp",
            ".x.12.tmp~",
        ] {
            assert_eq!(temporary_pid(name), None, "{name}");
        }
    }

    #[test]
    fn private_files_are_replaced_atomically_and_readable_only_by_their_owner() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/protest/profile.toml");
        assert_eq!(write_private(&path, b"one").unwrap(), Written::Created);
        assert_eq!(write_private(&path, b"two").unwrap(), Written::Replaced);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }
}
