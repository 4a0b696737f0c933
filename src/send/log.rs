//! The send log: one JSON line per event, next to the drafts, so that a
//! re-run sends only what the server has not yet accepted.
//!
//! A line is written and flushed to disk *before* each message goes out
//! ("sending") and *after* the server answers ("accepted", "rejected",
//! "deferred"). A crash between the server's acceptance and the second line
//! leaves a "sending" line alone: the re-run sends that one message again,
//! which is the only duplicate possible.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The file name of the log in the folder of the drafts.
pub const FILE_NAME: &str = "send-log.jsonl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    /// About to be handed to the server.
    Sending,
    /// The server took the message for these recipients.
    Accepted,
    /// The server refused these recipients for good (5xx).
    Rejected,
    /// The server kept answering "try later" (4xx) or dropped the connection.
    Deferred,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub event: Event,
    pub message_id: String,
    pub recipients: Vec<String>,
    /// UTC, RFC 3339.
    pub time: String,
    /// The draft, as the user named it.
    pub draft: String,
    /// The server's reply, for every event but `sending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

/// One log file: what it says was accepted, and the file to append to.
#[derive(Debug)]
pub struct Log {
    path: PathBuf,
    /// Message-ID to the recipients (lower-cased) the server accepted it for.
    accepted: HashMap<String, HashSet<String>>,
    /// Opened on the first entry, so that a dry run leaves no file behind.
    file: Option<File>,
    /// The file ends in a line cut short by a crash, after this many bytes of
    /// whole lines: cut it off before appending.
    torn: Option<u64>,
}

impl Log {
    /// Reads the log at `path`, if there is one. A last line cut short by a
    /// crash is ignored (its message was not yet sent or is re-sent); any
    /// other line that is not an entry is an error.
    pub fn open(path: &Path) -> Result<Log> {
        let mut log = Log {
            path: path.to_path_buf(),
            accepted: HashMap::new(),
            file: None,
            torn: None,
        };
        let text = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(log),
            Err(err) => return Err(Error::read(path, &err)),
        };
        let complete = text.ends_with(b"\n");
        let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
        let mut whole = 0u64;
        for (number, line) in lines.iter().enumerate() {
            let last = number + 1 == lines.len();
            if last && !complete {
                log.torn = Some(whole);
                break;
            }
            whole += line.len() as u64;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let entry: Entry = serde_json::from_slice(line).map_err(|err| {
                Error::data(format!(
                    "{}:{}: not a send log entry: {err}",
                    path.display(),
                    number + 1
                ))
                .with_help("the log is written by `protest send`; restore it or remove that line")
            })?;
            if entry.event == Event::Accepted {
                log.accepted
                    .entry(entry.message_id)
                    .or_default()
                    .extend(entry.recipients.iter().map(|r| r.to_ascii_lowercase()));
            }
        }
        Ok(log)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the server has accepted `message_id` for `recipient`.
    pub fn was_accepted(&self, message_id: &str, recipient: &str) -> bool {
        self.accepted
            .get(message_id)
            .is_some_and(|rs| rs.contains(&recipient.to_ascii_lowercase()))
    }

    /// Appends `entry` and waits until it is on disk.
    pub fn record(&mut self, entry: &Entry) -> Result<()> {
        /// Each line is a document of its own, read alone by scripts.
        #[derive(Serialize)]
        struct Line<'a> {
            schema: &'static str,
            #[serde(flatten)]
            entry: &'a Entry,
        }
        let mut line = Vec::with_capacity(256);
        let line_entry = Line {
            schema: crate::SCHEMA,
            entry,
        };
        serde_json::to_writer(&mut line, &line_entry).expect("a log entry serialises");
        line.push(b'\n');
        let file = match &mut self.file {
            Some(file) => file,
            None => {
                let file = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.path)
                    .map_err(|err| Error::write(&self.path, &err))?;
                if let Some(whole) = self.torn.take() {
                    file.set_len(whole)
                        .map_err(|err| Error::write(&self.path, &err))?;
                }
                self.file.insert(file)
            }
        };
        file.write_all(&line)
            .and_then(|()| file.sync_data())
            .map_err(|err| Error::write(&self.path, &err))?;
        if entry.event == Event::Accepted {
            self.accepted
                .entry(entry.message_id.clone())
                .or_default()
                .extend(entry.recipients.iter().map(|r| r.to_ascii_lowercase()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(event: Event, id: &str, recipients: &[&str]) -> Entry {
        Entry {
            event,
            message_id: id.into(),
            recipients: recipients.iter().map(|r| r.to_string()).collect(),
            time: "2026-11-30T12:00:00Z".into(),
            draft: "a.eml".into(),
            reply: (event != Event::Sending).then(|| "250 ok".into()),
        }
    }

    #[test]
    fn a_reopened_log_knows_what_was_accepted_and_only_that() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut log = Log::open(&path).unwrap();
        assert!(!path.exists(), "opening alone writes nothing");
        log.record(&entry(Event::Sending, "a@x", &["e@gov.example"]))
            .unwrap();
        log.record(&entry(Event::Accepted, "a@x", &["E@gov.example"]))
            .unwrap();
        log.record(&entry(Event::Sending, "b@x", &["e@gov.example"]))
            .unwrap();
        log.record(&entry(Event::Rejected, "b@x", &["e@gov.example"]))
            .unwrap();
        log.record(&entry(Event::Sending, "c@x", &["e@gov.example"]))
            .unwrap();
        let log = Log::open(&path).unwrap();
        assert!(log.was_accepted("a@x", "e@gov.example"));
        assert!(!log.was_accepted("a@x", "other@gov.example"));
        assert!(!log.was_accepted("b@x", "e@gov.example"));
        assert!(!log.was_accepted("c@x", "e@gov.example"));
    }

    #[test]
    fn a_line_cut_short_by_a_crash_is_ignored_and_not_continued() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let whole = serde_json::to_string(&entry(Event::Accepted, "a@x", &["e@x"])).unwrap();
        std::fs::write(&path, format!("{whole}\n{{\"event\":\"acc")).unwrap();
        let mut log = Log::open(&path).unwrap();
        assert!(log.was_accepted("a@x", "e@x"));
        log.record(&entry(Event::Accepted, "b@x", &["e@x"]))
            .unwrap();
        let log = Log::open(&path).unwrap();
        assert!(log.was_accepted("b@x", "e@x"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "the torn line is gone: {text}");
    }

    #[test]
    fn a_damaged_line_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "nonsense\n").unwrap();
        let err = Log::open(&path).unwrap_err();
        assert!(
            err.message
                .starts_with(&format!("{}:1: not a send log entry: ", path.display())),
            "{}",
            err.message
        );
    }
}
