//! Sending drafts over SMTP: each exactly once, at a polite rate, resumable.
//!
//! [`plan`] reads the drafts ([`source`]) and their send logs ([`log`]) and
//! keeps, for each draft, the recipients the server has not yet accepted it
//! for. [`run`] hands them to the server one message at a time through
//! [`smtp::Client`], writing the log before and after each, so that a re-run
//! after a crash or a refusal sends only what is missing.

pub mod log;
pub mod message;
pub mod smtp;
pub mod source;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::date::Date;
use crate::error::{Error, ErrorKind, Result};
use crate::text::hex;
use log::{Entry, Event, Log};
use message::{Account, Message};
use smtp::{Client, Failure};

/// Tries per message when the server defers it or the connection drops.
const MAX_ATTEMPTS: u32 = 5;
/// The wait before the second try; it doubles for each try after.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// How many messages a minute, at most.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// The least time between the starts of two messages; none is unlimited.
    pub interval: Option<Duration>,
}

impl Rate {
    /// What mail providers accept without taking it for a burst of spam.
    pub const DEFAULT: &'static str = "20/min";

    /// `20/min`, `20` (a minute), `300/h`, or `0` / `unlimited`.
    pub fn parse(text: &str) -> Result<Rate, String> {
        let text = text.trim();
        if text == "0" || text.eq_ignore_ascii_case("unlimited") {
            return Ok(Rate { interval: None });
        }
        let (count, per) = match text.split_once('/') {
            Some((count, "min" | "m" | "minute")) => (count, 60.0),
            Some((count, "h" | "hour")) => (count, 3600.0),
            Some(_) => {
                return Err(format!(
                    "{} is not a rate: write it as N/min or N/h",
                    crate::text::quote(text).in_double_quotes()
                ))
            }
            None => (text, 60.0),
        };
        // Zero messages a minute is no rate at all, not "unlimited": a burst
        // is what the rate is there to prevent. Slower than one a day is a slip.
        const SLOWEST: Duration = Duration::from_secs(24 * 3600);
        let interval = count
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|count| *count > 0.0 && count.is_finite())
            .and_then(|count| Duration::try_from_secs_f64(per / count).ok())
            .filter(|interval| *interval <= SLOWEST);
        match interval {
            Some(interval) => Ok(Rate {
                interval: Some(interval),
            }),
            None => Err(format!(
                "{} is not a rate: write it as N/min (e.g. 20/min) or N/h, at least \
                 one a day, or unlimited",
                crate::text::quote(text).in_double_quotes()
            )),
        }
    }
}

/// One draft still to send, to the recipients it has not yet gone to.
#[derive(Debug)]
pub struct Pending {
    pub name: String,
    pub message_id: String,
    /// The address of the draft's From.
    pub from: String,
    pub recipients: Vec<String>,
    message: Message,
    log: usize,
}

/// What a run will send.
#[derive(Debug)]
pub struct Plan {
    pub pending: Vec<Pending>,
    /// Drafts the logs say were already accepted for every recipient.
    pub already_sent: usize,
    logs: Vec<Log>,
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
}

/// Reads the drafts at `paths` and what their logs say was sent.
pub fn plan(paths: &[PathBuf]) -> Result<Plan> {
    let drafts = source::read(paths)?;
    let mut logs: Vec<Log> = Vec::new();
    let mut plan = Plan {
        pending: Vec::new(),
        already_sent: 0,
        logs: Vec::new(),
    };
    // Each Message-ID with the draft that first carried it and a digest of its bytes.
    let mut seen: HashMap<(usize, String), (String, [u8; 32])> = HashMap::new();
    for draft in drafts {
        let bad = |reason: String| {
            Error::data(format!("{}: not an email draft: {reason}", draft.name)).with_help(
                "send the .eml files, folder or mbox that `protest write --format eml` wrote",
            )
        };
        let message = Message::parse(&draft.bytes).map_err(bad)?;
        let from = message.from_address().map_err(bad)?;
        let recipients = message.recipients().map_err(bad)?;
        let message_id = message
            .message_id()
            .unwrap_or_else(|| format!("sha256:{}", hex(&Sha256::digest(&draft.bytes)[..16])));
        let log_path = draft.folder.join(log::FILE_NAME);
        let log = match logs.iter().position(|l| l.path() == log_path) {
            Some(index) => index,
            None => {
                logs.push(Log::open(&log_path)?);
                logs.len() - 1
            }
        };
        // The same draft named twice (a folder and one of its files) goes once;
        // another draft with its Message-ID would be taken for it, and never sent.
        let digest: [u8; 32] = Sha256::digest(&draft.bytes).into();
        match seen.get(&(log, message_id.clone())) {
            Some((_, earlier)) if *earlier == digest => continue,
            Some((earlier, _)) => {
                return Err(Error::data(format!(
                    "{} and {earlier} are different messages with one Message-ID <{message_id}>: \
                     the send log would take one for the other, and send only one",
                    draft.name
                ))
                .with_help(
                    "give each draft its own Message-ID (a copied draft keeps the original's), \
                     or remove the header from the copy: nothing was sent",
                ));
            }
            None => {
                seen.insert((log, message_id.clone()), (draft.name.clone(), digest));
            }
        }
        let recipients: Vec<String> = recipients
            .into_iter()
            .filter(|r| !logs[log].was_accepted(&message_id, r))
            .collect();
        if recipients.is_empty() {
            plan.already_sent += 1;
            continue;
        }
        plan.pending.push(Pending {
            name: draft.name,
            message_id,
            from,
            recipients,
            message,
            log,
        });
    }
    plan.logs = logs;
    Ok(plan)
}

/// How a run sends.
#[derive(Debug, Clone)]
pub struct Options {
    pub account: Option<Account>,
    pub rate: Rate,
    /// Send at most this many messages in this run.
    pub max: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Accepted for every recipient.
    Sent,
    /// Accepted for some recipients, refused for good for others.
    Partly,
    /// Refused for good for every recipient.
    Rejected,
    /// Still deferred after every try: a re-run sends it.
    Deferred,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rejection {
    pub recipient: String,
    pub reply: String,
}

/// What became of one message.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub draft: String,
    pub message_id: String,
    pub status: Status,
    pub accepted: Vec<String>,
    pub rejected: Vec<Rejection>,
    /// The server's last reply.
    pub reply: Option<String>,
}

/// What a run did.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub messages: Vec<Outcome>,
    pub already_sent: usize,
    /// Drafts left for a later run: past `--max`, or after a stop.
    pub left: usize,
}

impl Summary {
    pub fn count(&self, status: Status) -> usize {
        self.messages.iter().filter(|m| m.status == status).count()
    }
}

/// Sends every pending draft of `plan`, calling `progress` after each.
/// Returns the summary and, when the run stopped early, why: a refused login
/// or TLS failure (exit 77), a server that kept deferring (exit 75), or the
/// log that could not be written.
pub fn run(
    plan: &mut Plan,
    client: &mut Client,
    options: &Options,
    progress: &mut dyn FnMut(),
) -> (Summary, Option<Error>) {
    let mut summary = Summary {
        already_sent: plan.already_sent,
        ..Summary::default()
    };
    let limit = options.max.unwrap_or(usize::MAX).min(plan.pending.len());
    let mut last_start: Option<Instant> = None;
    for (index, pending) in plan.pending.iter().enumerate().take(limit) {
        let log = &mut plan.logs[pending.log];
        let outcome = match send_one(pending, log, client, options, &mut last_start) {
            Ok(outcome) => outcome,
            Err(err) => {
                summary.left = plan.pending.len() - index;
                client.quit();
                return (summary, Some(err));
            }
        };
        progress();
        if outcome.status == Status::Deferred {
            let stop = Error::new(
                ErrorKind::TempFail,
                format!(
                    "{}: not sent after {MAX_ATTEMPTS} tries ({}); stopped",
                    pending.name,
                    outcome.reply.as_deref().unwrap_or("no reply")
                ),
            )
            .with_help("run the same command again later: it sends only what was not accepted");
            summary.messages.push(outcome);
            summary.left = plan.pending.len() - index - 1;
            client.quit();
            return (summary, Some(stop));
        }
        summary.messages.push(outcome);
    }
    summary.left = plan.pending.len() - limit;
    client.quit();
    (summary, None)
}

fn send_one(
    pending: &Pending,
    log: &mut Log,
    client: &mut Client,
    options: &Options,
    last_start: &mut Option<Instant>,
) -> Result<Outcome> {
    let envelope_from = options
        .account
        .as_ref()
        .map_or(pending.from.as_str(), |a| a.address.as_str());
    let entry = |event: Event, recipients: &[String], reply: Option<String>| Entry {
        event,
        message_id: pending.message_id.clone(),
        recipients: recipients.to_vec(),
        time: rfc3339(SystemTime::now()),
        draft: pending.name.clone(),
        reply,
    };
    let mut outcome = Outcome {
        draft: pending.name.clone(),
        message_id: pending.message_id.clone(),
        status: Status::Deferred,
        accepted: Vec::new(),
        rejected: Vec::new(),
        reply: None,
    };
    let mut backoff = FIRST_BACKOFF;
    for attempt in 1..=MAX_ATTEMPTS {
        if attempt > 1 {
            std::thread::sleep(backoff);
            backoff *= 2;
        }
        if let Err(failure) = client.connect() {
            match failure {
                Failure::Transient(reason) => {
                    outcome.reply = Some(reason);
                    continue;
                }
                Failure::Fatal(reason) | Failure::Permanent(reason) => {
                    return Err(Error::new(ErrorKind::NoPerm, reason).with_help(
                        "nothing more was sent; check the server, --user and the password, then run again",
                    ))
                }
            }
        }
        log.record(&entry(Event::Sending, &pending.recipients, None))?;
        // Paced right before the message goes, so that the time the log and
        // the connection take does not shorten the gap the server sees.
        if let (Some(interval), Some(last)) = (options.rate.interval, *last_start) {
            std::thread::sleep(interval.saturating_sub(last.elapsed()));
        }
        *last_start = Some(Instant::now());
        let bytes = pending
            .message
            .for_sending(&rfc5322(SystemTime::now()), options.account.as_ref());
        match client.send(envelope_from, &pending.recipients, &bytes) {
            Ok(delivery) => {
                if !delivery.accepted.is_empty() {
                    log.record(&entry(
                        Event::Accepted,
                        &delivery.accepted,
                        delivery.reply.clone(),
                    ))?;
                }
                for (recipient, reply) in &delivery.rejected {
                    log.record(&entry(
                        Event::Rejected,
                        std::slice::from_ref(recipient),
                        Some(reply.clone()),
                    ))?;
                }
                outcome.status = match (delivery.accepted.is_empty(), delivery.rejected.is_empty())
                {
                    (false, true) => Status::Sent,
                    (false, false) => Status::Partly,
                    _ => Status::Rejected,
                };
                outcome.reply = delivery
                    .reply
                    .or_else(|| delivery.rejected.last().map(|(_, reply)| reply.clone()));
                outcome.accepted = delivery.accepted;
                outcome.rejected = delivery
                    .rejected
                    .into_iter()
                    .map(|(recipient, reply)| Rejection { recipient, reply })
                    .collect();
                return Ok(outcome);
            }
            Err(Failure::Permanent(reply)) => {
                log.record(&entry(
                    Event::Rejected,
                    &pending.recipients,
                    Some(reply.clone()),
                ))?;
                outcome.status = Status::Rejected;
                outcome.rejected = pending
                    .recipients
                    .iter()
                    .map(|recipient| Rejection {
                        recipient: recipient.clone(),
                        reply: reply.clone(),
                    })
                    .collect();
                outcome.reply = Some(reply);
                return Ok(outcome);
            }
            Err(Failure::Transient(reply)) => {
                log.record(&entry(
                    Event::Deferred,
                    &pending.recipients,
                    Some(reply.clone()),
                ))?;
                outcome.reply = Some(reply);
            }
            Err(Failure::Fatal(reason)) => {
                log.record(&entry(
                    Event::Deferred,
                    &pending.recipients,
                    Some(reason.clone()),
                ))?;
                return Err(Error::new(ErrorKind::NoPerm, reason)
                    .with_help("nothing more was sent; fix the server's TLS, then run again"));
            }
        }
    }
    Ok(outcome)
}

/// Seconds since the epoch, and the civil date and time of day in UTC.
fn civil(time: SystemTime) -> (Date, u64) {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    (
        Date::from_days_since_epoch((secs / 86_400) as i64),
        secs % 86_400,
    )
}

/// `2026-11-30T16:05:09Z`.
fn rfc3339(time: SystemTime) -> String {
    let (date, secs) = civil(time);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `Mon, 30 Nov 2026 16:05:09 +0000`.
fn rfc5322(time: SystemTime) -> String {
    let (date, secs) = civil(time);
    date.rfc5322().replace(
        "00:00:00",
        &format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rates() {
        let every = |text| Rate::parse(text).unwrap().interval;
        assert_eq!(every("20/min"), Some(Duration::from_secs(3)));
        assert_eq!(every("20"), Some(Duration::from_secs(3)));
        assert_eq!(every("120/h"), Some(Duration::from_secs(30)));
        assert_eq!(every("unlimited"), None);
        assert_eq!(every("0"), None);
        assert!(Rate::parse("fast").is_err());
        assert!(Rate::parse("-3/min").is_err());
        assert!(Rate::parse("3/day").is_err());
        // Not "unlimited", and never a panic.
        for bad in [
            "0/min",
            "0/h",
            "0.0",
            "1e-300/min",
            "NaN/min",
            "inf/min",
            "3/min/h",
        ] {
            assert!(Rate::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(every("1/h"), Some(Duration::from_secs(3600)));
    }

    #[test]
    fn writes_times_in_utc() {
        let time = UNIX_EPOCH + Duration::from_secs(1_796_054_709);
        assert_eq!(rfc3339(time), "2026-11-30T16:05:09Z");
        assert_eq!(rfc5322(time), "Mon, 30 Nov 2026 16:05:09 +0000");
    }
}
