//! What a run will send: every message once, to the recipients its logs do
//! not already record.
//!
//! A message is known by its Message-ID (or, without one, its digest), never
//! by the path it was reached by: the same draft named twice, through a link,
//! as a hard link, or in an .eml and an mbox, is one message, sent once and
//! recorded in the log of every folder it was found in, so that no later run
//! from either place sends it again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::log::{Log, Record};
use super::message::Message;
use super::source::{self, Skipped};
use crate::date::rfc3339;
use crate::error::{Error, Result};
use crate::text::hex;

/// One draft still to send, to the recipients it has not yet gone to.
#[derive(Debug)]
pub struct Pending {
    pub name: String,
    pub message_id: String,
    /// The SHA-256 of the draft as parsed, in hex.
    pub sha256: String,
    /// The address of the draft's From.
    pub from: String,
    pub recipients: Vec<String>,
    /// An earlier run handed it to the server and stopped before the answer:
    /// it may have arrived, and is sent again.
    pub unanswered_before: bool,
    pub(super) message: Message,
    /// The logs that record it: one per folder it was found in.
    pub(super) logs: Vec<usize>,
}

/// What a run will send.
#[derive(Debug)]
pub struct Plan {
    pub pending: Vec<Pending>,
    /// Drafts the logs say were already accepted for every recipient.
    pub already_sent: usize,
    /// Drafts the logs say were refused for good by every recipient not
    /// accepted, in an earlier run: not tried again without `--retry-refused`.
    pub refused_before: usize,
    /// Of `already_sent` and `refused_before`, the drafts only the send
    /// history knows: a copy of them was sent from another folder.
    pub sent_elsewhere: usize,
    /// Files of a batch folder that are not sent, and why.
    pub skipped: Vec<Skipped>,
    pub(super) logs: Vec<Log>,
    /// The send history, which every accepted or refused message goes to.
    pub(super) history: Option<Log>,
}

impl Plan {
    /// How many different recipient addresses the pending drafts go to.
    pub fn recipient_addresses(&self) -> usize {
        let all: HashSet<String> = self
            .pending
            .iter()
            .flat_map(|p| p.recipients.iter().map(|r| r.to_ascii_lowercase()))
            .collect();
        all.len()
    }

    /// The send logs that record this run.
    pub fn log_paths(&self) -> Vec<PathBuf> {
        self.logs.iter().map(|l| l.path().to_path_buf()).collect()
    }

    /// Where the send history is, when there is one.
    pub fn history_path(&self) -> Option<&std::path::Path> {
        self.history.as_ref().map(Log::path)
    }
}

/// How to plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Take each log for this run alone (not for a dry run, which writes
    /// nothing).
    pub lock: bool,
    /// Try again the recipients an earlier run saw refused for good.
    pub retry_refused: bool,
    /// The send history (see [`super::log::history_path`]); none to keep no history.
    pub history: Option<PathBuf>,
}

/// One message of the run, as found.
struct Found {
    name: String,
    message_id: String,
    digest: [u8; 32],
    from: String,
    recipients: Vec<String>,
    message: Message,
    logs: Vec<usize>,
}

/// Reads the drafts at `paths` and what their logs say was sent.
pub fn plan(paths: &[PathBuf], options: &PlanOptions) -> Result<Plan> {
    let sources = source::read(paths)?;
    let started = options.lock.then(|| rfc3339(std::time::SystemTime::now()));
    let mut logs: Vec<Log> = Vec::new();
    let mut log_of: HashMap<(u64, u64), usize> = HashMap::new();
    // A folder's drafts come together: its log is found once, not per draft.
    let mut log_of_folder: HashMap<PathBuf, usize> = HashMap::new();
    let mut found: Vec<Found> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for draft in sources.drafts {
        let bad = |reason: String| {
            Error::data(format!("{}: not an email draft: {reason}", draft.name)).with_help(
                "send the .eml files, folder or mbox that `protest write --format eml` wrote",
            )
        };
        let message = Message::parse(&draft.bytes).map_err(bad)?;
        let from = message.from_address().map_err(bad)?;
        let recipients = message.recipients().map_err(bad)?;
        let digest = message.digest();
        let message_id = message
            .message_id()
            .map_err(bad)?
            .unwrap_or_else(|| format!("sha256:{}", hex(&digest[..16])));
        let log = match log_of_folder.get(&draft.folder) {
            Some(&index) => index,
            None => {
                let identity = log_identity(&draft.folder);
                let index = match identity.and_then(|id| log_of.get(&id)) {
                    Some(&index) => index,
                    None => {
                        logs.push(Log::open(&draft.folder, started.as_deref())?);
                        // Known by the file once the lock has made it.
                        if let Some(id) = log_identity(&draft.folder) {
                            log_of.insert(id, logs.len() - 1);
                        }
                        logs.len() - 1
                    }
                };
                log_of_folder.insert(draft.folder.clone(), index);
                index
            }
        };
        match by_id.get(&message_id) {
            // The same message again, from this folder or another: sent once,
            // recorded in every folder's log.
            Some(&index) if found[index].digest == digest => {
                if !found[index].logs.contains(&log) {
                    found[index].logs.push(log);
                }
            }
            Some(&index) => {
                return Err(Error::data(format!(
                    "{} and {} are different messages with one Message-ID <{message_id}>: \
                     the send log would take one for the other, and send only one",
                    draft.name, found[index].name
                ))
                .with_help(
                    "give each draft its own Message-ID (a copied draft keeps the original's), \
                     or remove the header from the copy: nothing was sent",
                ));
            }
            None => {
                by_id.insert(message_id.clone(), found.len());
                found.push(Found {
                    name: draft.name,
                    message_id,
                    digest,
                    from,
                    recipients,
                    message,
                    logs: vec![log],
                });
            }
        }
    }

    let history = options.history.clone().map(Log::history).transpose()?;
    let mut plan = Plan {
        pending: Vec::new(),
        already_sent: 0,
        refused_before: 0,
        sent_elsewhere: 0,
        skipped: sources.skipped,
        logs: Vec::new(),
        history: None,
    };
    for message in found {
        let mut records: Vec<&Record> = message
            .logs
            .iter()
            .filter_map(|&log| logs[log].record(&message.message_id))
            .collect();
        let in_folders = records.len();
        records.extend(history.as_ref().and_then(|h| h.record(&message.message_id)));
        let sha256 = hex(&message.digest);
        if let Some((_, time)) = records
            .iter()
            .filter_map(|r| r.sent_as.as_ref())
            .find(|(sent, _)| *sent != sha256)
        {
            plan.skipped.push(Skipped {
                draft: message.name,
                reason: format!(
                    "a message with its Message-ID <{}> was sent on {time} with other text; \
                     this one is not sent again (if it is another letter, give it its own \
                     Message-ID)",
                    message.message_id
                ),
            });
            continue;
        }
        let is = |recipient: &str, list: fn(&Record) -> &HashSet<String>| {
            let recipient = recipient.to_ascii_lowercase();
            records.iter().any(|r| list(r).contains(&recipient))
        };
        let mut refused = false;
        let recipients: Vec<String> = message
            .recipients
            .into_iter()
            .filter(|r| !is(r, |record| &record.accepted))
            .filter(|r| {
                let was_refused = !options.retry_refused && is(r, |record| &record.refused);
                refused |= was_refused;
                !was_refused
            })
            .collect();
        if recipients.is_empty() {
            match refused {
                true => plan.refused_before += 1,
                false => plan.already_sent += 1,
            }
            // Settled, and not by this folder's log: by a copy sent from another.
            let settled_here = records[..in_folders].iter().any(|r| {
                !r.accepted.is_empty() || (!options.retry_refused && !r.refused.is_empty())
            });
            if !settled_here {
                plan.sent_elsewhere += 1;
            }
            continue;
        }
        plan.pending.push(Pending {
            name: message.name,
            message_id: message.message_id,
            sha256,
            from: message.from,
            recipients,
            unanswered_before: records.iter().any(|r| r.unanswered),
            message: message.message,
            logs: message.logs,
        });
    }
    plan.logs = logs;
    plan.history = history;
    Ok(plan)
}

/// The send log of `folder` as the file system knows it (device, inode): one
/// log reached through a bind mount or a hard-linked copy of its folder is
/// one log. A folder with no log yet is known by the folder itself.
fn log_identity(folder: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(folder.join(super::log::FILE_NAME))
        .or_else(|_| std::fs::metadata(folder))
        .ok()
        .map(|m| (m.dev(), m.ino()))
}
