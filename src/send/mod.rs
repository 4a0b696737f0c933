//! Sending drafts over SMTP: each exactly once, at a polite rate, resumable.
//!
//! [`plan`] reads the drafts ([`source`]) and their send logs ([`log`]),
//! each taken for this run alone ([`lock`]), and keeps, for each message, the
//! recipients the server has not yet accepted or refused it for. [`run`]
//! hands them to the server one message at a time through [`smtp::Client`],
//! writing the log before and after each, so that a re-run after a crash, a
//! stop ([`stop`]) or a deferral sends only what is missing.

pub(crate) mod files;
pub mod lock;
pub mod log;
pub mod message;
mod plan;
mod relay;
pub mod smtp;
mod sockets;
pub mod source;
pub mod stop;
mod tls;
pub mod trust;

use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::date::{rfc3339, rfc5322};
use crate::error::{Error, ErrorKind, Result};
use log::{Entry, Event, Log};
use message::Account;
pub use plan::{plan, Pending, Plan, PlanOptions};
use smtp::{Client, Failure};
pub use source::Skipped;

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
    /// Still deferred after every try, cut off by a stop, or handed over
    /// without an answer: a re-run sends it.
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
    /// Handed over, and no answer came (a stop, a timeout, a dropped
    /// connection): the server may have it.
    #[serde(skip)]
    pub unanswered: bool,
}

/// What a run did.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub messages: Vec<Outcome>,
    pub already_sent: usize,
    /// Drafts refused for good in an earlier run, not tried again.
    pub refused_before: usize,
    /// Drafts left for a later run: past `--max`, or after a stop.
    pub left: usize,
    /// Files of a batch folder not sent, and why.
    pub skipped: Vec<Skipped>,
}

impl Summary {
    pub fn count(&self, status: Status) -> usize {
        self.messages.iter().filter(|m| m.status == status).count()
    }
}

/// Sends every pending draft of `plan`, calling `progress` after each.
/// Returns the summary and, when the run stopped early, why: a refused login
/// or TLS failure (exit 77), a server that kept deferring (exit 75), a
/// signal (128 + its number), or the log that could not be written.
pub fn run(
    plan: &mut Plan,
    client: &mut Client,
    options: &Options,
    progress: &mut dyn FnMut(),
) -> (Summary, Option<Error>) {
    stop::watch();
    let mut summary = Summary {
        already_sent: plan.already_sent,
        refused_before: plan.refused_before,
        skipped: plan.skipped.clone(),
        ..Summary::default()
    };
    let limit = options.max.unwrap_or(usize::MAX).min(plan.pending.len());
    let mut last_start: Option<Instant> = None;
    let mut stopped = None;
    for pending in plan.pending.iter().take(limit) {
        let logs = Logs {
            folders: &mut plan.logs,
            history: &mut plan.history,
        };
        let done = send_one(pending, logs, client, options, &mut last_start);
        let outcome = match done {
            Ok(Some(outcome)) => outcome,
            Ok(None) => break,
            Err(err) => {
                stopped = Some(err);
                break;
            }
        };
        progress();
        let deferred = outcome.status == Status::Deferred;
        let unanswered = outcome.unanswered;
        let reply = outcome.reply.clone();
        summary.messages.push(outcome);
        if stop::requested().is_some() {
            break;
        }
        if unanswered {
            stopped = Some(
                Error::new(
                    ErrorKind::TempFail,
                    format!(
                        "{}: the server did not answer once it had the message ({}): it may \
                         have it; stopped, so as not to send it twice",
                        pending.name,
                        reply.as_deref().unwrap_or("no reply")
                    ),
                )
                .with_help(
                    "ask whoever runs the server, or the recipient, whether it arrived; the \
                     next run sends it again, and the rest",
                ),
            );
            break;
        }
        if deferred {
            stopped = Some(
                Error::new(
                    ErrorKind::TempFail,
                    format!(
                        "{}: not sent after {MAX_ATTEMPTS} tries ({}); stopped",
                        pending.name,
                        reply.as_deref().unwrap_or("no reply")
                    ),
                )
                .with_help("run the same command again later: it sends only what was not accepted"),
            );
            break;
        }
    }
    summary.left = plan.pending.len() - summary.messages.len();
    client.quit();
    // A signal outranks what else stopped the run: it is what the user did.
    if let Some(signal) = stop::requested() {
        let err = interrupted(&summary, signal);
        return (summary, Some(err));
    }
    (summary, stopped)
}

/// The run stopped by `signal`: what went, what is left.
fn interrupted(summary: &Summary, signal: i32) -> Error {
    let delivered = summary.count(Status::Sent) + summary.count(Status::Partly);
    let unanswered = summary
        .messages
        .iter()
        .filter(|m| m.status == Status::Deferred && m.unanswered)
        .count();
    let mut message = format!(
        "stopped by {}: {} sent, {} left",
        crate::signals::name(signal),
        crate::text::count(delivered, "message"),
        summary.left + unanswered
    );
    if unanswered > 0 {
        message.push_str(
            "; the server had not answered the last message when the run stopped: it may \
             have it, and the next run sends it again",
        );
    } else if !summary.messages.is_empty() {
        message.push_str("; the server's answer to the last message was recorded");
    }
    Error::new(ErrorKind::Interrupted(signal), message)
        .with_help("run the same command again to send the rest")
}

/// Where a message is recorded.
struct Logs<'a> {
    folders: &'a mut [Log],
    history: &'a mut Option<Log>,
}

/// Sends one message, trying again what is worth it; `None` when a stop was
/// asked for before it was handed over.
fn send_one(
    pending: &Pending,
    logs: Logs,
    client: &mut Client,
    options: &Options,
    last_start: &mut Option<Instant>,
) -> Result<Option<Outcome>> {
    let envelope_from = options
        .account
        .as_ref()
        .map_or(pending.from.as_str(), |a| a.address.as_str());
    // Written in every log that records the message, each on disk before the next step.
    let mut record = |event: Event, recipients: &[String], reply: Option<String>| -> Result<()> {
        let entry = Entry {
            event,
            message_id: pending.message_id.clone(),
            sha256: Some(pending.sha256.clone()),
            recipients: recipients.to_vec(),
            time: rfc3339(SystemTime::now()),
            draft: pending.name.clone(),
            reply,
        };
        for &log in &pending.logs {
            logs.folders[log].append(&entry)?;
        }
        // What became of it, for copies elsewhere. The folder's log is the
        // record that matters: a history that cannot be written is let go.
        if matches!(event, Event::Accepted | Event::Rejected) {
            if let Some(history) = logs.history.as_mut() {
                if let Err(err) = history.append(&entry) {
                    crate::notice::warn(format!(
                        "{}; the rest of this run is recorded only beside the drafts",
                        err.message
                    ));
                    *logs.history = None;
                }
            }
        }
        Ok(())
    };
    let mut outcome = Outcome {
        draft: pending.name.clone(),
        message_id: pending.message_id.clone(),
        status: Status::Deferred,
        accepted: Vec::new(),
        rejected: Vec::new(),
        reply: None,
        unanswered: false,
    };
    let mut backoff = FIRST_BACKOFF;
    for attempt in 1..=MAX_ATTEMPTS {
        if attempt > 1 {
            if !stop::pause(backoff) {
                return Ok(None);
            }
            backoff *= 2;
        }
        if let Err(failure) = client.connect() {
            match failure {
                _ if stop::requested().is_some() => return Ok(None),
                Failure::Transient(reason) | Failure::Unanswered(reason) => {
                    outcome.reply = Some(reason);
                    continue;
                }
                Failure::Fatal(refusal) => {
                    return Err(Error::new(ErrorKind::NoPerm, refusal.reason).with_help(refusal.help))
                }
                Failure::Permanent(reason) => {
                    return Err(Error::new(ErrorKind::NoPerm, reason).with_help(
                        "nothing more was sent; check the server, --user and the password, then run again",
                    ))
                }
            }
        }
        // Paced right before the message goes, so that the time the
        // connection takes does not shorten the gap the server sees.
        if let (Some(interval), Some(last)) = (options.rate.interval, *last_start) {
            if !stop::pause(interval.saturating_sub(last.elapsed())) {
                return Ok(None);
            }
        }
        if stop::requested().is_some() {
            return Ok(None);
        }
        record(Event::Sending, &pending.recipients, None)?;
        *last_start = Some(Instant::now());
        let bytes = pending
            .message
            .for_sending(&rfc5322(SystemTime::now()), options.account.as_ref());
        match client.send(envelope_from, &pending.recipients, &bytes) {
            Ok(delivery) => {
                if !delivery.accepted.is_empty() {
                    record(Event::Accepted, &delivery.accepted, delivery.reply.clone())?;
                }
                for (recipient, reply) in &delivery.rejected {
                    record(
                        Event::Rejected,
                        std::slice::from_ref(recipient),
                        Some(reply.clone()),
                    )?;
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
                return Ok(Some(outcome));
            }
            Err(Failure::Permanent(reply)) => {
                record(Event::Rejected, &pending.recipients, Some(reply.clone()))?;
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
                return Ok(Some(outcome));
            }
            Err(Failure::Unanswered(reply)) => {
                // Handed over, and no answer came: the server may have it.
                // The log keeps its `sending` line alone, which says just
                // that, and the run sends it no more (see `run`).
                outcome.reply = Some(match stop::requested() {
                    Some(signal) => format!(
                        "no answer: the run was stopped by {} ({reply})",
                        crate::signals::name(signal)
                    ),
                    None => reply,
                });
                outcome.unanswered = true;
                return Ok(Some(outcome));
            }
            Err(Failure::Transient(reply)) => {
                record(Event::Deferred, &pending.recipients, Some(reply.clone()))?;
                if stop::requested().is_some() {
                    // Stopped before the data went: nothing was handed over.
                    return Ok(None);
                }
                outcome.reply = Some(reply);
            }
            Err(Failure::Fatal(refusal)) => {
                record(
                    Event::Deferred,
                    &pending.recipients,
                    Some(refusal.reason.clone()),
                )?;
                return Err(Error::new(ErrorKind::NoPerm, refusal.reason).with_help(refusal.help));
            }
        }
    }
    Ok(Some(outcome))
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
}
