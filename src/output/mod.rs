//! Putting letters on disk: atomically, never over a user's file by surprise.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
#[cfg(target_os = "linux")]
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, ErrorKind, Result};

mod temporary;

pub use temporary::{anonymous_temporary, remove_stale_temporaries};
use temporary::{private_temporary, temporary_path};

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
///
/// A path that is not a regular file (standard output, a pipe, a device such
/// as `/dev/null`) is written straight through: it cannot be renamed over,
/// and reading it to compare could block or never end.
pub fn write_file(path: &Path, bytes: &[u8], overwrite: bool) -> Result<Written> {
    if let Some(target) = Special::of(path) {
        target.write(path, bytes)?;
        return Ok(Written::Created);
    }
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
        match path.symlink_metadata() {
            Err(_) => match self.create(name, &path, bytes) {
                Ok(()) => return Ok(Written::Created),
                // Made meanwhile by someone else: replaced below, as asked.
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(err) => return Err(Error::write(&path, &err)),
            },
            // A link, a FIFO or a device in a letter's place is replaced by
            // the letter, a private file of its own: never written through.
            Ok(meta) if !meta.is_file() && !meta.is_dir() => {
                let tmp = temporary_path(&path);
                let result = write_temporary(&tmp, bytes).and_then(|()| fs::rename(&tmp, &path));
                if let Err(err) = result {
                    let _ = fs::remove_file(&tmp);
                    return Err(Error::write(&path, &err));
                }
                return Ok(Written::Replaced);
            }
            Ok(_) => {}
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
                PRIVATE_FILE,
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
/// Only a regular file of the same length is read: a symlink to `/dev/zero`
/// or a FIFO in the way is a file that differs, never something to read.
fn holds(path: &Path, bytes: &[u8]) -> Result<bool> {
    let Ok(meta) = fs::metadata(path) else {
        return Ok(false);
    };
    if meta.is_dir() {
        return Err(is_a_directory(path));
    }
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return Ok(false);
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
///
/// Standard output, a pipe or a device cannot be renamed over: what is
/// written is gathered in a [`Spool`] and copied there whole at the commit,
/// so they too get every letter or none.
pub struct AtomicFile {
    path: PathBuf,
    place: Place,
    overwrite: bool,
}

enum Place {
    /// A temporary file beside `path`, renamed into place.
    Beside {
        tmp: PathBuf,
        file: Option<std::io::BufWriter<fs::File>>,
    },
    Through {
        target: Special,
        spool: Option<Spool>,
    },
}

impl AtomicFile {
    /// Fails at once if `path` exists and may not be replaced, rather than
    /// after a whole batch has been rendered.
    pub fn create(path: &Path, overwrite: bool) -> Result<AtomicFile> {
        if let Some(target) = Special::of(path) {
            return Ok(AtomicFile::through(path, target));
        }
        if path.is_dir() {
            return Err(is_a_directory(path));
        }
        if !overwrite && path.symlink_metadata().is_ok() {
            return Err(already_exists(path));
        }
        let tmp = temporary_path(path);
        let file = private_options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|err| Error::write(path, &err))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            place: Place::Beside {
                tmp,
                file: Some(std::io::BufWriter::with_capacity(WRITE_BUFFER, file)),
            },
            overwrite,
        })
    }

    /// Standard output, written only at the commit.
    pub fn stdout() -> AtomicFile {
        AtomicFile::through(Path::new("<stdout>"), Special::Stdout)
    }

    fn through(path: &Path, target: Special) -> AtomicFile {
        AtomicFile {
            path: path.to_path_buf(),
            place: Place::Through {
                target,
                spool: Some(Spool::default()),
            },
            overwrite: true,
        }
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        let result = match &mut self.place {
            Place::Beside { file, .. } => {
                file.as_mut().expect("not yet committed").write_all(bytes)
            }
            Place::Through { spool, .. } => {
                spool.as_mut().expect("not yet committed").write_all(bytes)
            }
        };
        result.map_err(|err| Error::write(&self.path, &err))
    }

    pub fn commit(mut self) -> Result<()> {
        match &mut self.place {
            Place::Beside { tmp, file } => {
                let file = file.take().expect("committed once");
                let tmp = tmp.clone();
                let result = file
                    .into_inner()
                    .map_err(std::io::IntoInnerError::into_error)
                    .and_then(|file| match self.overwrite {
                        true => {
                            keep_permissions(&file, &self.path)?;
                            fs::rename(&tmp, &self.path)
                        }
                        false => rename_no_replace(&tmp, &self.path),
                    });
                match result {
                    Ok(()) => Ok(()),
                    Err(err) => {
                        let _ = fs::remove_file(&tmp);
                        match err.kind() {
                            std::io::ErrorKind::AlreadyExists => Err(already_exists(&self.path)),
                            _ => Err(Error::write(&self.path, &err)),
                        }
                    }
                }
            }
            Place::Through { target, spool } => {
                let spool = spool.take().expect("committed once");
                target.copy_from(&self.path, spool)
            }
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Place::Beside { tmp, file } = &mut self.place {
            if file.take().is_some() {
                let _ = fs::remove_file(tmp);
            }
        }
    }
}

/// A replaced file keeps its mode where it is narrower than private (a
/// letter its owner made read-only stays so after `--force`), but never one
/// wider: what is written names members. A symlink is replaced by a file
/// of its own, private, whatever the mode of what it pointed to.
fn keep_permissions(new: &fs::File, old: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match fs::symlink_metadata(old) {
        Ok(meta) if meta.is_file() => new.set_permissions(fs::Permissions::from_mode(
            meta.permissions().mode() & PRIVATE_FILE,
        )),
        _ => Ok(()),
    }
}

/// Output gathered before it goes anywhere: in memory while small, then in
/// an unnamed temporary file (removed by the system however the process
/// ends), so memory stays flat for a long mbox to standard output.
#[derive(Default)]
pub struct Spool {
    memory: Vec<u8>,
    file: Option<std::io::BufWriter<fs::File>>,
}

/// How much a [`Spool`] keeps in memory.
const SPOOL_MEMORY: usize = 1 << 20;

/// What a file of many letters gathers before each write: a letter is a few
/// kilobytes, and a write each cost 10,000 messages a twentieth of their time.
const WRITE_BUFFER: usize = 256 << 10;

impl Spool {
    pub fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(file) = &mut self.file {
            return file.write_all(bytes);
        }
        self.memory.extend_from_slice(bytes);
        if self.memory.len() > SPOOL_MEMORY {
            // Without a usable temporary directory, memory it is.
            if let Ok(file) = anonymous_temporary() {
                let mut file = std::io::BufWriter::with_capacity(WRITE_BUFFER, file);
                file.write_all(&self.memory)?;
                self.memory = Vec::new();
                self.file = Some(file);
            }
        }
        Ok(())
    }

    /// Everything written, from the start.
    pub fn into_reader(self) -> std::io::Result<Box<dyn std::io::Read + Send>> {
        use std::io::Seek;
        match self.file {
            None => Ok(Box::new(std::io::Cursor::new(self.memory))),
            Some(file) => {
                let mut file = file
                    .into_inner()
                    .map_err(std::io::IntoInnerError::into_error)?;
                file.rewind()?;
                Ok(Box::new(file))
            }
        }
    }
}

/// A path that is not a regular file to be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    /// This process's standard output.
    Stdout,
    /// A descriptor this process already has open (`/dev/stdout`,
    /// `/dev/stderr`, `/dev/fd/N`), written through as it is: at its offset,
    /// in its mode (`>>` appends), whatever it leads to.
    Descriptor(i32),
    /// A device, FIFO or socket.
    Device,
}

impl Special {
    fn of(path: &Path) -> Option<Special> {
        if let Some(fd) = open_descriptor(path) {
            return Some(match fd {
                1 => Special::Stdout,
                fd => Special::Descriptor(fd),
            });
        }
        let meta = fs::metadata(path).ok()?;
        (!meta.is_dir() && !meta.is_file()).then_some(Special::Device)
    }

    fn write(self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.copy_from(
            path,
            Spool {
                memory: bytes.to_vec(),
                file: None,
            },
        )
    }

    fn copy_from(self, path: &Path, spool: Spool) -> Result<()> {
        let fail = |err: std::io::Error| Error::write(path, &err);
        let mut reader = spool.into_reader().map_err(fail)?;
        let mut out = match self {
            Special::Stdout => {
                crate::stdio::require_stdout()?;
                let mut out = std::io::stdout().lock();
                return std::io::copy(&mut reader, &mut out)
                    .and_then(|_| out.flush())
                    .map_err(stdout_error);
            }
            Special::Descriptor(fd) if crate::stdio::closed_at_start(fd) => {
                return Err(descriptor_closed(path));
            }
            Special::Descriptor(fd) => duplicate(fd).map_err(fail)?,
            Special::Device => fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?,
        };
        std::io::copy(&mut reader, &mut out)
            .and_then(|_| out.flush())
            .map(drop)
            .map_err(fail)
    }
}

/// The descriptor a path names when it is one of this process's own:
/// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`.
fn open_descriptor(path: &Path) -> Option<i32> {
    let text = path.to_str()?;
    let fd = match text {
        "/dev/stdout" => "1",
        "/dev/stderr" => "2",
        _ => text
            .strip_prefix("/dev/fd/")
            .or_else(|| text.strip_prefix("/proc/self/fd/"))?,
    };
    let fd: i32 = fd.parse().ok()?;
    (fd > 0).then_some(fd)
}

#[cfg(unix)]
fn duplicate(fd: i32) -> std::io::Result<fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: dup has no preconditions; a new descriptor is ours to own.
    let new = unsafe { libc::dup(fd) };
    if new < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `new` was just made and is owned by nobody else.
    Ok(unsafe { fs::File::from_raw_fd(new) })
}

#[cfg(not(unix))]
fn duplicate(_: i32) -> std::io::Result<fs::File> {
    Err(std::io::ErrorKind::Unsupported.into())
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
    let mut file = private_options().write(true).create_new(true).open(tmp)?;
    file.write_all(bytes)
}

/// Creates the output directory (and parents) if needed.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    if dir.is_file() {
        return Err(file_not_directory(dir));
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, PRIVATE_DIR);
    builder.create(dir).map_err(|err| Error::write(dir, &err))
}

/// Letters, drafts and manifests name the people who sign them (a whole
/// branch, for a batch), and which embassy each wrote to: every file protest
/// writes is its owner's alone, whatever the umask, and so is a folder it
/// makes. A file replaced with --force keeps the mode it had.
#[cfg(unix)]
const PRIVATE_FILE: u32 = 0o600;
#[cfg(unix)]
const PRIVATE_DIR: u32 = 0o700;

/// Options that create a file only its owner may read.
fn private_options() -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE);
    options
}

fn file_not_directory(dir: &Path) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        format!("{}: is a file, not a directory", dir.display()),
    )
    .with_help("--out takes a directory; use -o FILE for a single letter")
}

/// Refuses, before any work, a file that [`AtomicFile::create`] or
/// [`write_file`] would refuse at the end of it: one that is there (unless
/// `overwrite`), a directory, a directory that is missing or cannot be
/// written into, a standard stream that was closed.
pub fn check_creatable(path: &Path, overwrite: bool) -> Result<()> {
    match Special::of(path) {
        Some(Special::Stdout) => return crate::stdio::require_stdout(),
        Some(Special::Descriptor(fd)) if crate::stdio::closed_at_start(fd) => {
            return Err(descriptor_closed(path))
        }
        Some(_) => return Ok(()),
        None => {}
    }
    if path.is_dir() {
        return Err(is_a_directory(path));
    }
    if !overwrite && path.symlink_metadata().is_ok() {
        return Err(already_exists(path));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    writable_directory(dir).map_err(|err| Error::write(path, &err))
}

/// Refuses, before any work, a directory [`ensure_dir`] could not make or
/// that files cannot be written into.
pub fn check_directory_creatable(dir: &Path) -> Result<()> {
    if dir.is_file() {
        return Err(file_not_directory(dir));
    }
    // The nearest part of the path that is there is where the rest is made.
    let existing = dir
        .ancestors()
        .map(|p| match p.as_os_str().is_empty() {
            true => Path::new("."),
            false => p,
        })
        .find(|p| p.symlink_metadata().is_ok())
        .unwrap_or(Path::new("."));
    writable_directory(existing).map_err(|err| Error::write(dir, &err))
}

/// `dir` is a directory this process may make files in.
fn writable_directory(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    if !fs::metadata(dir)?.is_dir() {
        return Err(std::io::Error::from_raw_os_error(libc::ENOTDIR));
    }
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: a valid NUL-terminated path that outlives the call.
    match unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

fn descriptor_closed(path: &Path) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("{}: the descriptor was closed", path.display()),
    )
}

/// Writes to standard output. A closed pipe (`| head`) is a failure (exit
/// 74): what was asked for did not all arrive.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    crate::stdio::require_stdout()?;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// A failed write to standard output, as the user is told it (exit 74).
pub fn stdout_error(err: std::io::Error) -> Error {
    match err.kind() {
        std::io::ErrorKind::BrokenPipe => stdout_closed_error(),
        _ => Error::write(Path::new("<stdout>"), &err),
    }
}

const STDOUT_CLOSED: &str = "standard output was closed before everything was written";

/// Standard output's reader has gone (EPIPE).
pub fn stdout_closed_error() -> Error {
    Error::new(ErrorKind::Io, STDOUT_CLOSED).with_help(
        "the program reading the output (such as `head`) stopped early; \
         send the output to a file (> FILE) to keep everything",
    )
}

/// `err`, where it is a closed standard output, with the help of a command
/// that can write to a file itself (`-o FILE`); only such a command may
/// suggest it.
pub fn suggesting_output_file(err: Error) -> Error {
    match err.kind == ErrorKind::Io && err.message == STDOUT_CLOSED {
        true => err.with_help(
            "the program reading the output (such as `head`) stopped early; \
             write to a file with -o FILE to keep everything",
        ),
        false => err,
    }
}

/// True when standard output is a pipe whose reader has gone: a run that
/// would only fail at its end stops at once instead.
pub fn stdout_closed() -> bool {
    #[cfg(unix)]
    {
        let mut poll = libc::pollfd {
            fd: libc::STDOUT_FILENO,
            events: 0,
            revents: 0,
        };
        // SAFETY: one valid pollfd, and a zero timeout.
        let ready = unsafe { libc::poll(&mut poll, 1, 0) };
        ready > 0 && poll.revents & libc::POLLERR != 0
    }
    #[cfg(not(unix))]
    false
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
    fn a_replaced_file_keeps_its_permissions_never_wider_than_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        for (mode, kept) in [
            (0o600, 0o600),
            (0o640, 0o600),
            (0o644, 0o600),
            (0o444, 0o400),
            (0o400, 0o400),
        ] {
            let path = dir.path().join(format!("letter-{mode:o}.txt"));
            fs::write(&path, "old").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(write_file(&path, b"new", true).unwrap(), Written::Replaced);
            assert_eq!(fs::read(&path).unwrap(), b"new");
            let now = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(now, kept, "{}", path.display());
        }
    }

    #[test]
    fn devices_are_written_through_and_never_read() {
        assert_eq!(
            write_file(Path::new("/dev/null"), b"x", false).unwrap(),
            Written::Created
        );
        let err = write_file(Path::new("/dev/full"), b"x", false).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Io, "{err}");
        assert_eq!(Special::of(Path::new("/dev/stdout")), Some(Special::Stdout));
        assert_eq!(
            Special::of(Path::new("/dev/fd/7")),
            Some(Special::Descriptor(7))
        );
        assert_eq!(
            Special::of(Path::new("/proc/self/fd/2")),
            Some(Special::Descriptor(2))
        );
        assert_eq!(Special::of(Path::new("/dev/null")), Some(Special::Device));
        // A regular file is replaced atomically wherever it is, /dev/shm too.
        let dir = tempfile::tempdir().unwrap();
        let regular = dir.path().join("letter.txt");
        fs::write(&regular, "a longer letter of the user's").unwrap();
        assert_eq!(Special::of(&regular), None);
        assert_eq!(Special::of(dir.path()), None);
        let mut file = AtomicFile::create(Path::new("/dev/null"), false).unwrap();
        file.write_all(&[b'x'; 3 << 20]).unwrap();
        file.commit().unwrap();
        // A letter's name taken by a symlink to an endless device: a file
        // that differs, not one to read to the end.
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("a.txt")).unwrap();
        let out = OutputDir::open(dir.path()).unwrap();
        let err = out
            .write(OsStr::new("a.txt"), b"letter", false)
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::CantCreate, "{err}");
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
