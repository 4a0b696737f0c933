//! One error type for the whole pipeline, carrying the exit code the user sees.
//!
//! Exit codes follow BSD `sysexits.h` so that scripts can tell bad data from a
//! missing file from an unwritable output without parsing messages.

use std::fmt;
use std::path::Path;

/// What went wrong, in the terms a script cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Wrong command-line usage (an unknown id, a contradictory flag). Exit 2.
    Usage,
    /// A template, TOML or CSV file is malformed, or the data cannot make a correct letter. Exit 65.
    Data,
    /// An input file does not exist or cannot be read. Exit 66.
    NoInput,
    /// An output file or directory cannot be created, or already exists. Exit 73.
    CantCreate,
    /// Writing failed part way (disk full, I/O error). Exit 74.
    Io,
    /// Some letters of a batch failed (`--keep-going` finished the rest). Exit 1.
    Partial,
    /// The mail server is unavailable or keeps deferring, even after retries
    /// (`send`): try again later. Exit 75.
    TempFail,
    /// The mail server refused the login, or TLS failed (`send`): nothing more
    /// was sent. Exit 77.
    NoPerm,
    /// The user cancelled an interactive session. Exit 130.
    Cancelled,
    /// A signal (SIGINT, SIGTERM, SIGHUP) stopped a run. Exit 128 + the signal's number.
    Interrupted(i32),
}

impl ErrorKind {
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Partial => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Data => 65,
            ErrorKind::NoInput => 66,
            ErrorKind::CantCreate => 73,
            ErrorKind::Io => 74,
            ErrorKind::TempFail => 75,
            ErrorKind::NoPerm => 77,
            ErrorKind::Cancelled => 130,
            ErrorKind::Interrupted(signal) => 128 + signal,
        }
    }
}

/// An error with a message that says what is wrong and, where we can tell, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub help: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            help: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage, message)
    }

    pub fn data(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Data, message)
    }

    /// Adds the line that tells the user how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Error {
        self.help = Some(help.into());
        self
    }

    /// Reading `path` failed: missing or unreadable is exit 66, not UTF-8 is bad data.
    pub fn read(path: &Path, err: &std::io::Error) -> Error {
        let path = shown(path);
        match err.kind() {
            std::io::ErrorKind::NotFound => {
                Error::new(ErrorKind::NoInput, format!("{path}: no such file"))
            }
            std::io::ErrorKind::InvalidData => Error::data(format!("{path}: not valid UTF-8 text"))
                .with_help("save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")"),
            _ => Error::new(ErrorKind::NoInput, format!("{path}: cannot read: {err}")),
        }
    }

    /// Creating or writing `path` failed.
    pub fn write(path: &Path, err: &std::io::Error) -> Error {
        let kind = match err.kind() {
            std::io::ErrorKind::StorageFull
            | std::io::ErrorKind::WriteZero
            | std::io::ErrorKind::BrokenPipe => ErrorKind::Io,
            _ if err.raw_os_error() == Some(27) => ErrorKind::Io, // EFBIG: file size limit
            _ => ErrorKind::CantCreate,
        };
        let error = Error::new(kind, format!("{}: cannot write: {err}", shown(path)));
        // Say which part of the path is wrong, which the system's message does not.
        let parents = || {
            path.ancestors()
                .skip(1)
                .filter(|p| !p.as_os_str().is_empty())
        };
        match err.raw_os_error() {
            Some(20) => match parents().find(|p| p.is_file()) {
                // ENOTDIR
                Some(file) => Error::new(
                    kind,
                    format!(
                        "{}: cannot write: {} is a file, not a directory",
                        shown(path),
                        shown(file)
                    ),
                )
                .with_help("choose an output path inside a directory"),
                None => error,
            },
            Some(2) => match parents().find(|p| !p.exists()) {
                // ENOENT
                Some(missing) => Error::new(
                    kind,
                    format!(
                        "{}: cannot write: the directory {} does not exist",
                        shown(path),
                        shown(missing)
                    ),
                )
                .with_help("create it first, or write with --out DIR, which creates it"),
                None => error,
            },
            _ => error,
        }
    }
}

/// A path as a message shows it: whole, or cut when it is very long.
pub fn shown(path: &Path) -> String {
    crate::text::quote(&path.display().to_string())
        .bare()
        .to_string()
}

/// Shown on a terminal, so whatever of a message came from an input file is
/// escaped: an ESC or a bidi override in a CSV header does nothing there.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Whatever built the message, what it quotes of the input is cut.
        let message = crate::text::cut_backquoted_values(&self.message);
        write!(f, "{}", crate::text::escape_message(&message))?;
        if let Some(help) = &self.help {
            let help = crate::text::cut_backquoted_values(help);
            write!(f, "\n  help: {}", crate::text::escape_message(&help))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
