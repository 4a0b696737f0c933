//! Where a run's senders come from: one sender, or a CSV file, which a run
//! reads once per pass and per letter, so one that can be read only once is
//! copied first; and the rows as a pass reads them.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use sha2::Digest;

use super::columns::Header;
use super::senders::{self, BadRow, SenderReader, SenderRow};
use crate::catalog::Sender;
use crate::error::{Error, Result};
use crate::origin::Origin;
use crate::output;
use crate::text::hex;

/// Where senders come from.
pub enum Senders {
    One(Sender),
    /// A CSV file. One that can be read only once (standard input, a pipe,
    /// `<(…)`) is copied to a private temporary file first, since a run reads
    /// its senders twice.
    Csv {
        path: PathBuf,
        spooled: Option<File>,
        /// Its digest, for the run record: found as a copy is made, else
        /// only for a run that keeps a record (a run into one file does not,
        /// and reading the file for it cost such a run a twentieth of its time).
        sha256: OnceLock<String>,
        /// Its header row, for what is checked before the run.
        header: Header,
        /// The reader that read the header, at the first row: the first
        /// pass reads on from it rather than open the file again.
        opened: Mutex<Option<SenderReader>>,
    },
}

/// The most a senders file read from a pipe may hold: far more than any
/// branch, and not the whole of a disk for `--senders /dev/zero`.
const MAX_SPOOLED: u64 = 1 << 30;

/// The senders file at its first row: the private copy of one that could
/// be read only once, else the file itself.
fn csv_reader(path: &Path, spooled: Option<&File>) -> Result<SenderReader> {
    let Some(file) = spooled else {
        return SenderReader::open(path);
    };
    let origin = match path == Path::new("-") {
        true => Origin("<stdin>".into()),
        false => Origin::file(path),
    };
    let mut file = file.try_clone().map_err(|err| Error::read(path, &err))?;
    file.rewind().map_err(|err| Error::read(path, &err))?;
    SenderReader::from_file(origin, file)
}

impl Senders {
    pub fn csv(path: PathBuf) -> Result<Senders> {
        let stdin = path == Path::new("-");
        let shown = if stdin { Path::new("<stdin>") } else { &path };
        let regular = !stdin && std::fs::metadata(&path).is_ok_and(|m| m.is_file());
        let sha256 = OnceLock::new();
        let spooled = if regular {
            None
        } else {
            let input: Box<dyn Read> = if stdin {
                Box::new(std::io::stdin())
            } else {
                Box::new(File::open(&path).map_err(|err| Error::read(&path, &err))?)
            };
            let mut input = Hashing {
                inner: senders::LineLimit::new(input.take(MAX_SPOOLED + 1)),
                sha256: sha2::Sha256::new(),
            };
            let mut file = output::anonymous_temporary()
                .map_err(|err| Error::write(Path::new("<temporary file>"), &err))?;
            let copied =
                std::io::copy(&mut input, &mut file).map_err(|err| senders_error(shown, &err))?;
            if copied > MAX_SPOOLED {
                return Err(Error::data(format!(
                    "{}: more than {} MiB of senders",
                    shown.display(),
                    MAX_SPOOLED >> 20
                ))
                .with_help("give the senders as a CSV file of one row per sender"));
            }
            sha256.set(hex(&input.sha256.finalize())).expect("set once");
            Some(file)
        };
        let reader = csv_reader(&path, spooled.as_ref())?;
        Ok(Senders::Csv {
            header: reader.header().clone(),
            opened: Mutex::new(Some(reader)),
            path,
            spooled,
            sha256,
        })
    }

    /// The rows, in order, read as they are asked for.
    pub(super) fn rows(&self) -> Result<Rows> {
        Ok(match self {
            Senders::One(sender) => Rows::One(Some(SenderRow {
                row: 1,
                line: 0,
                sender: sender.clone(),
                ..SenderRow::default()
            })),
            Senders::Csv {
                path,
                spooled,
                opened,
                ..
            } => {
                let opened = opened.lock().ok().and_then(|mut opened| opened.take());
                match opened {
                    Some(reader) => Rows::Csv(reader),
                    None => Rows::Csv(csv_reader(path, spooled.as_ref())?),
                }
            }
        })
    }

    /// The senders file's header row; `None` for one sender.
    pub fn header(&self) -> Option<&Header> {
        match self {
            Senders::One(_) => None,
            Senders::Csv { header, .. } => Some(header),
        }
    }

    pub(super) fn is_csv(&self) -> bool {
        matches!(self, Senders::Csv { .. })
    }

    /// The senders file as a message names it (`<stdin>` for `-`).
    pub(super) fn shown(&self) -> String {
        match self {
            Senders::Csv { path, .. } if path == Path::new("-") => "<stdin>".into(),
            Senders::Csv { path, .. } => crate::error::shown(path),
            Senders::One(_) => String::new(),
        }
    }

    /// Who the letters are from, for the manifest: a digest, not the details.
    pub(super) fn record(&self) -> Result<String> {
        Ok(match self {
            Senders::Csv { sha256, path, .. } => {
                let sha256 = match sha256.get() {
                    Some(sha256) => sha256,
                    None => {
                        let mut input = Hashing {
                            inner: File::open(path).map_err(|err| Error::read(path, &err))?,
                            sha256: sha2::Sha256::new(),
                        };
                        std::io::copy(&mut input, &mut std::io::sink())
                            .map_err(|err| Error::read(path, &err))?;
                        sha256.get_or_init(|| hex(&input.sha256.finalize()))
                    }
                };
                format!("csv sha256:{}", &sha256[..16])
            }
            Senders::One(sender) => {
                let json = serde_json::to_vec(sender).expect("a sender serialises");
                format!("sender sha256:{}", short_digest(&json))
            }
        })
    }
}

fn senders_error(path: &Path, err: &std::io::Error) -> Error {
    match err.kind() {
        std::io::ErrorKind::FileTooLarge => Error::data(format!("{}: {err}", path.display()))
            .with_help("--senders takes a CSV file of one row per sender"),
        _ => Error::read(path, err),
    }
}

/// Reads through, hashing what is read.
struct Hashing<R> {
    inner: R,
    sha256: sha2::Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha256.update(&buf[..n]);
        Ok(n)
    }
}

/// Senders being read.
pub(super) enum Rows {
    One(Option<SenderRow>),
    Csv(SenderReader),
}

impl Rows {
    pub(super) fn next_row(&mut self) -> Option<Result<SenderRow, BadRow>> {
        match self {
            Rows::One(row) => row.take().map(Ok),
            Rows::Csv(reader) => reader.next_row(),
        }
    }

    pub(super) fn width(&self) -> usize {
        match self {
            Rows::One(_) => 1,
            Rows::Csv(reader) => reader.width(),
        }
    }
}

/// Enough of a SHA-256 to tell one input from another.
pub(super) fn short_digest(bytes: &[u8]) -> String {
    let mut digest = hex(&sha2::Sha256::digest(bytes));
    digest.truncate(16);
    digest
}
