//! Reading a tally's inputs: each folder's manifest (the letters `write`
//! made) and send log (what became of each draft sent), a line at a time
//! and within bounds, then its replies and the tallies given.
//!
//! A manifest line is read for what a tally needs and nothing else: a line
//! may carry more (a newer run record), never less. A line that is not what
//! `write` or `send` writes is an error naming its file and line (exit 65),
//! and so is a schema this program does not know.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::check::{
    bad_field, check_schema, date_field, is_digest, is_message_id, is_name, json_problem,
    name_field, open, with_help,
};
use super::entries::{Channel, Entry, Tally, MAX_LETTERS};
use super::find::{Folder, Inputs};
use super::{document, replies};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::send::files::for_each_line;
use crate::send::log::Event;

/// Reads every input into one tally.
pub fn all(inputs: &Inputs) -> Result<Tally> {
    let mut tally = Tally::default();
    let mut answers = Vec::new();
    for folder in &inputs.folders {
        let home = tally.folders.len();
        tally.folders.push(folder.shown.clone());
        // The drafts the manifest lists, by file name: a message of the log
        // is the letter of its draft.
        let mut written: HashMap<String, String> = HashMap::new();
        if let Some(path) = &folder.manifest {
            manifest(path, folder, home, &mut tally, &mut written)?;
            tally.read.manifests += 1;
        }
        if let Some(path) = &folder.send_log {
            send_log(path, folder, home, &mut tally, &written)?;
            tally.read.send_logs += 1;
        }
        if let Some(path) = &folder.replies {
            replies::read(
                open(path, folder.walked, replies::HELP)?,
                path,
                &mut answers,
            )?;
            tally.read.replies += 1;
        }
    }
    for path in &inputs.tallies {
        document::read(path, &mut tally)?;
        tally.read.tallies += 1;
    }
    replies::attach(&mut tally, answers);
    Ok(tally)
}

const MANIFEST_HELP: &str =
    "the manifest is the file `protest write --out DIR` leaves: restore it, or move it away";

/// What a tally reads of a manifest line.
#[derive(Deserialize)]
struct ManifestLine {
    schema: Option<String>,
    run: Option<RunRecord>,
    letter: Option<String>,
    /// Manifests before `protest/1` called it `recipient`.
    #[serde(alias = "recipient")]
    mission: Option<String>,
    sender: Option<Sender>,
    format: Option<String>,
    path: Option<String>,
    sha256: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
struct RunRecord {
    date: Option<String>,
}

/// `{"name": …}`, or a name alone in manifests before `protest/1`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Sender {
    Name(String),
    Object { name: Option<String> },
}

fn manifest(
    path: &Path,
    folder: &Folder,
    home: usize,
    tally: &mut Tally,
    written: &mut HashMap<String, String>,
) -> Result<()> {
    let file = open(path, folder.walked, MANIFEST_HELP)?;
    // The run record, on the first line, dates every letter of the run.
    let mut dated = None;
    for_each_line(file, path, |number, line| {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let at = format!("{}:{number}", path.display());
        let line: ManifestLine = serde_json::from_slice(line).map_err(|err| {
            Error::data(format!("{at}: not a manifest line: {}", json_problem(&err)))
        })?;
        check_schema(&at, line.schema.as_deref())?;
        if number == 1 {
            if let Some(date) = line.run.and_then(|run| run.date) {
                dated = Some(date_field(&at, "run.date", &date)?);
            }
        }
        match line.status.as_deref() {
            Some("written" | "replaced" | "unchanged") => {}
            // Not made: not a letter.
            Some("skipped" | "failed") => return Ok(()),
            status => {
                return Err(bad_field(
                    &at,
                    "status",
                    status.unwrap_or(""),
                    "what became of a letter (written, replaced, unchanged, skipped, failed)",
                ))
            }
        }
        let format = line.format.unwrap_or_default();
        let channel = Channel::of_format(&format).ok_or_else(|| {
            bad_field(
                &at,
                "format",
                &format,
                "a format (text, pdf, eml, mbox, mailto)",
            )
        })?;
        let sha256 = line.sha256.unwrap_or_default();
        if !is_digest(&sha256) {
            return Err(bad_field(
                &at,
                "sha256",
                &sha256,
                "the SHA-256 digest of a letter",
            ));
        }
        let mut entry = Entry::new(channel);
        entry.letter = name_field(&at, "letter", line.letter)?;
        entry.mission = name_field(&at, "mission", line.mission)?;
        entry.file = name_field(&at, "path", line.path)?;
        entry.sender = match line.sender {
            Some(Sender::Name(name) | Sender::Object { name: Some(name) }) => Some(name),
            _ => None,
        };
        entry.format = Some(format);
        entry.date = dated;
        entry.home = Some(home);
        if let Some(file) = &entry.file {
            written.insert(file.clone(), sha256.clone());
        }
        entry.sha256 = Some(sha256);
        tally.add(entry)
    })
    .map_err(|err| with_help(err, MANIFEST_HELP))
}

const SEND_LOG_HELP: &str =
    "the send log is the file `protest send` keeps beside the drafts: restore it, or move it away";

/// A line of a send log, in the words `send` writes it.
#[derive(Deserialize)]
struct LogLine {
    schema: Option<String>,
    #[serde(flatten)]
    entry: crate::send::log::Entry,
}

/// What a log says of one message.
#[derive(Default)]
struct Message {
    sha256: Option<String>,
    draft: Option<String>,
    recipients: BTreeSet<String>,
    accepted: BTreeSet<String>,
    refused: BTreeSet<String>,
    /// The day of its first try, of its last acceptance, and of its last refusal.
    tried: Option<Date>,
    accepted_on: Option<Date>,
    refused_on: Option<Date>,
}

fn send_log(
    path: &Path,
    folder: &Folder,
    home: usize,
    tally: &mut Tally,
    written: &HashMap<String, String>,
) -> Result<()> {
    let file = open(path, folder.walked, SEND_LOG_HELP)?;
    let mut messages: HashMap<String, Message> = HashMap::new();
    for_each_line(file, path, |number, line| {
        // Only the last line can lack its line break: cut short by a crash,
        // as `send` itself ignores it.
        if !line.ends_with(b"\n") || line.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let at = format!("{}:{number}", path.display());
        let line: LogLine = serde_json::from_slice(line).map_err(|err| {
            Error::data(format!(
                "{at}: not a send log entry: {}",
                json_problem(&err)
            ))
        })?;
        check_schema(&at, line.schema.as_deref())?;
        let entry = line.entry;
        if !is_message_id(&entry.message_id) {
            return Err(bad_field(
                &at,
                "message_id",
                &entry.message_id,
                "a Message-ID",
            ));
        }
        if let Some(sha256) = entry.sha256.as_deref().filter(|s| !is_digest(s)) {
            return Err(bad_field(
                &at,
                "sha256",
                sha256,
                "the SHA-256 digest of a draft",
            ));
        }
        let day = entry
            .time
            .get(..10)
            .and_then(|day| Date::parse(day).ok())
            .ok_or_else(|| bad_field(&at, "time", &entry.time, "a time (RFC 3339, UTC)"))?;
        if messages.len() >= MAX_LETTERS && !messages.contains_key(&entry.message_id) {
            return Err(Error::data(format!(
                "{at}: more than {MAX_LETTERS} messages in one send log"
            )));
        }
        let message = messages.entry(entry.message_id).or_default();
        message.sha256 = message.sha256.take().or(entry.sha256);
        if message.draft.is_none() {
            message.draft = draft_file(&entry.draft);
        }
        let recipients = entry.recipients.iter().map(|r| r.to_ascii_lowercase());
        message.recipients.extend(recipients.clone());
        match entry.event {
            Event::Sending => message.tried = Some(message.tried.map_or(day, |t| t.min(day))),
            Event::Accepted => {
                message.accepted.extend(recipients);
                message.accepted_on = message.accepted_on.max(Some(day));
            }
            Event::Rejected => {
                message.refused.extend(recipients);
                message.refused_on = message.refused_on.max(Some(day));
            }
            Event::Deferred => {}
        }
        Ok(())
    })
    .map_err(|err| with_help(err, SEND_LOG_HELP))?;
    let shas: BTreeSet<&String> = written.values().collect();
    for (message_id, message) in messages {
        let (channel, date) = if !message.accepted.is_empty() {
            match message.recipients.is_subset(&message.accepted) {
                true => (Channel::Delivered, message.accepted_on),
                false => (Channel::Partly, message.accepted_on),
            }
        } else if !message.refused.is_empty() {
            (Channel::Refused, message.refused_on)
        } else {
            // Not sent yet, deferred, or handed over without an answer: the
            // next `protest send` settles it.
            (Channel::Draft, message.tried)
        };
        let mut entry = Entry::new(channel);
        // The letter of the draft `write` wrote: by the digest of its text,
        // which the log records of an .eml as the manifest does, else by its
        // file's name (a message of an mbox, a draft edited by hand).
        entry.sha256 = match &message.sha256 {
            Some(sha256) if shas.contains(sha256) => Some(sha256.clone()),
            sha256 => message
                .draft
                .as_ref()
                .and_then(|file| written.get(file))
                .or(sha256.as_ref())
                .cloned(),
        };
        entry.message_id = Some(message_id);
        entry.date = date;
        entry.file = message.draft;
        entry.recipients = message.recipients;
        entry.home = Some(home);
        tally.add(entry)?;
    }
    Ok(())
}

/// The file name of a draft as the log names it (`drafts/a.eml`,
/// `drafts/all.mbox, message 2`), if it is one that can be shown.
fn draft_file(draft: &str) -> Option<String> {
    let file = match draft.rsplit_once(", message ") {
        Some((file, number)) if number.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => draft,
    };
    let name = Path::new(file).file_name()?.to_str()?;
    is_name(name).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_known_by_its_file_name() {
        assert_eq!(draft_file("drafts/a.eml").as_deref(), Some("a.eml"));
        assert_eq!(
            draft_file("/x/all.mbox, message 12").as_deref(),
            Some("all.mbox")
        );
        assert_eq!(draft_file("a, message x").as_deref(), Some("a, message x"));
        assert_eq!(draft_file("drafts/\u{1b}[2J.eml"), None);
    }
}
