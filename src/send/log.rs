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

use super::files::{for_each_line, open_regular};
use super::lock::Lock;
use crate::error::{Error, Result};

/// The file name of the log in the folder of the drafts.
pub const FILE_NAME: &str = "send-log.jsonl";

/// The send history: every message accepted or refused for good, from any
/// folder, so that a copy of a sent message in another folder (drafts
/// written again elsewhere, a folder copied, an mbox of them) is known as
/// sent. `$XDG_STATE_HOME/protest/sent.jsonl`, by default under
/// `~/.local/state`.
pub fn history_path() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let dir = absolute("XDG_STATE_HOME").or_else(|| {
        let home = absolute("HOME")?;
        Some(match cfg!(target_os = "macos") {
            true => home.join("Library/Application Support"),
            false => home.join(".local/state"),
        })
    })?;
    Some(dir.join("protest").join("sent.jsonl"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    /// About to be handed to the server.
    Sending,
    /// The server took the message for these recipients.
    Accepted,
    /// The server refused these recipients for good (5xx): final, not tried
    /// again unless asked.
    Rejected,
    /// The server kept answering "try later" (4xx) or dropped the connection.
    Deferred,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub event: Event,
    pub message_id: String,
    /// The SHA-256 of the draft as parsed: which text went under this
    /// Message-ID. Absent from logs written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub recipients: Vec<String>,
    /// UTC, RFC 3339.
    pub time: String,
    /// The draft, as the user named it.
    pub draft: String,
    /// The server's reply, for every event but `sending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

/// What a log says of one Message-ID.
#[derive(Debug, Default)]
pub struct Record {
    /// The recipients (lower-cased) the server accepted it for.
    pub accepted: HashSet<String>,
    /// The recipients (lower-cased) the server refused for good.
    pub refused: HashSet<String>,
    /// The digest of the text sent under it, and when, if the log says.
    pub sent_as: Option<(String, String)>,
    /// The last event was `sending`: a run handed it over and never learnt
    /// the answer.
    pub unanswered: bool,
}

/// One log file: what it says, and the file to append to.
#[derive(Debug)]
pub struct Log {
    path: PathBuf,
    records: HashMap<String, Record>,
    /// Opened on the first entry, so that a dry run leaves no file behind.
    file: Option<File>,
    /// The file ends in a line cut short by a crash, after this many bytes of
    /// whole lines: cut it off before appending.
    torn: Option<u64>,
    /// The last line is a whole entry without its line break (a file saved
    /// by an editor): the break is added before appending.
    unterminated: bool,
    /// Held while this run may write to the log.
    _lock: Option<Lock>,
}

impl Log {
    /// Reads the log of `folder` (a resolved path), if there is one; with a
    /// `lock` (the time the run started), first takes the log for this run
    /// alone. A last line cut short by a crash is ignored (its message was
    /// not yet sent or is re-sent); any other line that is not an entry is an
    /// error.
    pub fn open(folder: &Path, lock: Option<&str>) -> Result<Log> {
        Log::open_file(
            folder.join(FILE_NAME),
            lock,
            "the send log is the file `protest send` keeps beside the drafts: move this away",
        )
    }

    /// Reads the send history at `path` (see [`history_path`]), if there is
    /// one. Runs on other folders append to it too, a line at a time: it is
    /// not locked.
    pub fn history(path: PathBuf) -> Result<Log> {
        Log::open_file(
            path,
            None,
            "the send history is the file `protest send` keeps of what it sent: move it away",
        )
    }

    fn open_file(path: PathBuf, lock: Option<&str>, help: &str) -> Result<Log> {
        // A link would put the lines, and the lock beside them, wherever it
        // leads (a device, another folder): the log is a file of its own.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::usage(format!(
                "{}: not a regular file: a symbolic link",
                path.display()
            ))
            .with_help(help));
        }
        // A FIFO or a directory is named as such before the lock opens it.
        open_regular(&path, &path.display().to_string(), help)?;
        let lock = lock.map(|started| Lock::take(&path, started)).transpose()?;
        let mut log = Log {
            path,
            records: HashMap::new(),
            file: None,
            torn: None,
            unterminated: false,
            _lock: lock,
        };
        let Some(file) = open_regular(&log.path, &log.path.display().to_string(), help)? else {
            return Ok(log);
        };
        let path = log.path.clone();
        let mut whole = 0u64;
        for_each_line(file, &path, |number, line| {
            // Only the last line can lack its line break: an entry cut
            // short by a crash, or a whole one whose break was lost.
            if !line.ends_with(b"\n") {
                match serde_json::from_slice::<Entry>(line) {
                    Ok(entry) => {
                        log.remember(&entry);
                        log.unterminated = true;
                    }
                    Err(_) => log.torn = Some(whole),
                }
                return Ok(());
            }
            whole += line.len() as u64;
            if line.iter().all(u8::is_ascii_whitespace) {
                return Ok(());
            }
            let entry: Entry = serde_json::from_slice(line)
                .map_err(|err| not_an_entry(&path, number, &err.to_string()))?;
            log.remember(&entry);
            Ok(())
        })?;
        Ok(log)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the log says of `message_id`.
    pub fn record(&self, message_id: &str) -> Option<&Record> {
        self.records.get(message_id)
    }

    fn remember(&mut self, entry: &Entry) {
        let record = self.records.entry(entry.message_id.clone()).or_default();
        let recipients = entry.recipients.iter().map(|r| r.to_ascii_lowercase());
        record.unanswered = entry.event == Event::Sending;
        match entry.event {
            Event::Accepted => {
                record.accepted.extend(recipients);
                if let Some(sha256) = &entry.sha256 {
                    record.sent_as = Some((sha256.clone(), entry.time.clone()));
                }
            }
            Event::Rejected => record.refused.extend(recipients),
            Event::Sending | Event::Deferred => {}
        }
    }

    /// Appends `entry` and waits until it is on disk.
    pub fn append(&mut self, entry: &Entry) -> Result<()> {
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
                use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
                // It says which member wrote to which embassy: the owner's alone.
                let open = || {
                    OpenOptions::new()
                        .create(true)
                        .append(true)
                        .mode(0o600)
                        .custom_flags(libc::O_NOFOLLOW)
                        .open(&self.path)
                };
                let file = match open() {
                    // The history's folder is made on its first line, the owner's alone.
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                        let parent = self.path.parent().unwrap_or(Path::new("."));
                        std::fs::DirBuilder::new()
                            .recursive(true)
                            .mode(0o700)
                            .create(parent)
                            .and_then(|()| open())
                    }
                    opened => opened,
                }
                .map_err(|err| Error::write(&self.path, &err))?;
                if file
                    .metadata()
                    .is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
                {
                    let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
                }
                if let Some(whole) = self.torn.take() {
                    file.set_len(whole)
                        .map_err(|err| Error::write(&self.path, &err))?;
                }
                if std::mem::take(&mut self.unterminated) {
                    line.insert(0, b'\n');
                }
                self.file.insert(file)
            }
        };
        file.write_all(&line)
            .and_then(|()| file.sync_data())
            .map_err(|err| Error::write(&self.path, &err))?;
        self.remember(entry);
        Ok(())
    }
}

fn not_an_entry(path: &Path, number: usize, why: &str) -> Error {
    Error::data(format!(
        "{}:{number}: not a send log entry: {}",
        path.display(),
        super::files::shown(why, 200)
    ))
    .with_help("the log is written by `protest send`; restore it or remove that line")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(event: Event, id: &str, recipients: &[&str]) -> Entry {
        Entry {
            event,
            message_id: id.into(),
            sha256: None,
            recipients: recipients.iter().map(|r| r.to_string()).collect(),
            time: "2026-11-30T12:00:00Z".into(),
            draft: "a.eml".into(),
            reply: (event != Event::Sending).then(|| "250 ok".into()),
        }
    }

    fn accepted(log: &Log, id: &str, recipient: &str) -> bool {
        log.record(id)
            .is_some_and(|r| r.accepted.contains(recipient))
    }

    #[test]
    fn a_reopened_log_knows_what_was_accepted_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut log = Log::open(dir.path(), None).unwrap();
        assert!(!path.exists(), "opening alone writes nothing");
        log.append(&entry(Event::Sending, "a@x", &["e@gov.example"]))
            .unwrap();
        log.append(&entry(Event::Accepted, "a@x", &["E@gov.example"]))
            .unwrap();
        log.append(&entry(Event::Sending, "b@x", &["e@gov.example"]))
            .unwrap();
        log.append(&entry(Event::Rejected, "b@x", &["e@gov.example"]))
            .unwrap();
        log.append(&entry(Event::Sending, "c@x", &["e@gov.example"]))
            .unwrap();
        let log = Log::open(dir.path(), None).unwrap();
        assert!(accepted(&log, "a@x", "e@gov.example"));
        assert!(!accepted(&log, "a@x", "other@gov.example"));
        assert!(!accepted(&log, "b@x", "e@gov.example"));
        assert!(log.record("b@x").unwrap().refused.contains("e@gov.example"));
        assert!(!accepted(&log, "c@x", "e@gov.example"));
        assert!(log.record("c@x").unwrap().unanswered);
        assert!(!log.record("a@x").unwrap().unanswered);
    }

    #[test]
    fn the_log_is_its_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut log = Log::open(dir.path(), None).unwrap();
        log.append(&entry(Event::Sending, "a@x", &["e@x"])).unwrap();
        let mode = std::fs::metadata(dir.path().join(FILE_NAME))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_line_cut_short_by_a_crash_is_ignored_and_not_continued() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let whole = serde_json::to_string(&entry(Event::Accepted, "a@x", &["e@x"])).unwrap();
        std::fs::write(&path, format!("{whole}\n{{\"event\":\"acc")).unwrap();
        let mut log = Log::open(dir.path(), None).unwrap();
        assert!(accepted(&log, "a@x", "e@x"));
        log.append(&entry(Event::Accepted, "b@x", &["e@x"]))
            .unwrap();
        let log = Log::open(dir.path(), None).unwrap();
        assert!(accepted(&log, "b@x", "e@x"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "the torn line is gone: {text}");
    }

    #[test]
    fn a_whole_last_entry_without_its_line_break_is_kept_and_ended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let first = serde_json::to_string(&entry(Event::Sending, "a@x", &["e@x"])).unwrap();
        let last = serde_json::to_string(&entry(Event::Accepted, "a@x", &["e@x"])).unwrap();
        std::fs::write(&path, format!("{first}\n{last}")).unwrap();
        let mut log = Log::open(dir.path(), None).unwrap();
        assert!(accepted(&log, "a@x", "e@x"));
        assert!(!log.record("a@x").unwrap().unanswered);
        log.append(&entry(Event::Accepted, "b@x", &["e@x"]))
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(&format!("{first}\n{last}\n{{")), "{text}");
        let log = Log::open(dir.path(), None).unwrap();
        assert!(accepted(&log, "a@x", "e@x") && accepted(&log, "b@x", "e@x"));
    }

    #[test]
    fn a_damaged_line_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "nonsense\n").unwrap();
        let err = Log::open(dir.path(), None).unwrap_err();
        assert!(
            err.message
                .starts_with(&format!("{}:1: not a send log entry: ", path.display())),
            "{}",
            err.message
        );
    }
}
