//! What the command line asks `protest write` to do, as `cmd/write.rs` reads
//! it from the flags: the one thing every step of a write starts from.

use std::path::PathBuf;

use crate::catalog::{CatalogPaths, Sender};
use crate::render::pdf::Paper;
use crate::render::Format;

/// What the command line asks `write` to do, option by option; nothing in
/// it is checked or read yet.
pub struct Request {
    /// The user's own letters and directory, over the built-in data.
    pub data: CatalogPaths,
    /// The letters, by id, in the order given.
    pub letters: Vec<String>,
    /// `--to`: missions by id.
    pub to: Vec<String>,
    /// `--country`: the mission in a country.
    pub country: Option<String>,
    /// `--all`: every mission abroad.
    pub all: bool,
    /// `--sender FILE`.
    pub sender_file: Option<PathBuf>,
    pub no_profile: bool,
    /// The sender flags (`--name`, `--org`…), over the file or saved details.
    pub sender: Sender,
    /// `--senders FILE.csv` (`-` for standard input).
    pub senders: Option<PathBuf>,
    /// `--date`, as written.
    pub date: Option<String>,
    /// `--as-of`: the letter's historical text, as it stood on a day it
    /// fitted the facts, dated that day.
    pub as_of: Option<String>,
    pub personal: Option<String>,
    /// `--personal-file` (`-` for standard input).
    pub personal_file: Option<PathBuf>,
    pub lang: Option<String>,
    pub cc: Vec<String>,
    pub cc_embassy: bool,
    /// `-f`, when given.
    pub format: Option<Format>,
    /// `-o FILE` (`-` for standard output).
    pub output: Option<PathBuf>,
    /// `--out DIR`.
    pub out: Option<PathBuf>,
    pub file_name: Option<String>,
    /// `--combine FILE` (`-` for standard output).
    pub combine: Option<PathBuf>,
    pub json: bool,
    pub force: bool,
    pub paper: Option<Paper>,
    pub fold_marks: bool,
    pub duplex: bool,
    pub attach_pdf: bool,
    pub strict: bool,
    pub dry_run: bool,
    pub keep_going: bool,
    pub jobs: Option<usize>,
}
