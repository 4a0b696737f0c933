//! `protest tally`: what a branch wrote and sent, counted for its report to
//! the campaign, each letter once.
//!
//! The facts are in what the other commands leave: the manifest of each
//! `write --out DIR`, the send log `send` keeps beside the drafts, and the
//! replies recorded beside them; and in the tallies of other branches (this
//! command's own JSON), which merge with them.
//!
//! One letter is one text: an entry is keyed by the digest of the letter as
//! written (the manifest's `sha256`, which the send log records of a draft
//! too), or, for mail known only by a log that predates digests, by its
//! Message-ID. Whatever reaches a letter twice (a draft in its manifest and
//! in the send log, the same tally given twice, a folder and the tally made
//! of it) merges into one entry that holds the furthest it went: a draft
//! written and then delivered is one letter, delivered.
//!
//! Its files, in the order a tally uses them:
//! - `entries.rs`: the vocabulary: an entry per letter, and how two merge;
//! - `check.rs`: what every input is checked for, and the errors naming it;
//! - `find.rs`: the inputs in the folders and files given;
//! - `read.rs`: manifests and send logs, a line at a time, within bounds;
//! - `document.rs`: the tally as JSON, printed and read back;
//! - `replies.rs`: a mission's answer, recorded and read;
//! - `count.rs`: the counts by letter, mission, day and channel;
//! - `print.rs`: the summary for an email, and the CSV.

mod check;
mod count;
mod document;
mod entries;
mod find;
mod print;
mod read;
mod replies;

use std::path::PathBuf;

use crate::error::Result;

pub use entries::{Channel, MAX_LETTERS};
pub use replies::{NewReply, Recorded, ReplyText, FILE_NAME as REPLIES_FILE};

/// What `protest tally` is asked to do.
#[derive(Debug)]
pub struct Request {
    /// Folders and files; none is the current folder.
    pub paths: Vec<PathBuf>,
    pub action: Action,
}

#[derive(Debug)]
pub enum Action {
    /// Count, and print the counts in this form; `with_names`: the senders'
    /// names and the addresses mail went to too.
    Report { form: Form, with_names: bool },
    /// Record that a mission answered a letter.
    Reply(NewReply),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A few lines to paste into an email to the campaign.
    Text,
    /// Every letter and the counts: what another tally merges.
    Json,
    /// The counts, a row per letter, mission, channel and day.
    Csv,
}

/// What a tally did: the report to print, or the reply it recorded.
#[derive(Debug)]
pub enum Done {
    Report(Vec<u8>),
    Recorded(Recorded),
}

pub fn run(request: &Request) -> Result<Done> {
    let inputs = find::inputs(&request.paths)?;
    let tally = read::all(&inputs)?;
    match &request.action {
        Action::Report { form, with_names } => {
            let counts = count::count(&tally, *with_names);
            Ok(Done::Report(match form {
                Form::Text => print::text(&counts, *with_names).into_bytes(),
                Form::Json => document::print(&tally, &counts, *with_names).into_bytes(),
                Form::Csv => print::csv(&tally, *with_names)?,
            }))
        }
        Action::Reply(reply) => replies::record(&tally, reply).map(Done::Recorded),
    }
}
