//! The second pass: every letter composed, rendered and written, a chunk at
//! a time on every core, and recorded in order; a signal or a closed output
//! stops it between chunks, with what was written whole and recorded.

use rayon::prelude::*;
use sha2::Digest;

use super::check::FirstPass;
use super::interrupt;
use super::jobs::{at_job, at_row, compose_job, in_chunks, no_email_error, Job};
use super::manifest::{self, RunRecord};
use super::plan::{Destination, Earlier, Plan};
use super::sink::{manifest_line, Outcome, Sink};
use super::summary::{summary_line, Finished, Summary};
use crate::error::{Error, ErrorKind, Result};
use crate::output::{self, OutputDir};
use crate::render::{self, Format};
use crate::text::hex;

pub(super) fn second_pass(
    plan: &Plan,
    first: FirstPass,
    earlier: Earlier,
    record: RunRecord,
) -> Result<Finished> {
    let total = first.count;
    let _writing = interrupt::writing();
    let mut sink = Sink::open(plan, &first, earlier, record)?;
    let progress = progress_bar(total);
    let mut summary = Summary {
        letters: total,
        manifest: sink.manifest.as_ref().map(|_| match &plan.destination {
            Destination::Dir { dir, .. } => dir.join(manifest::FILE_NAME),
            _ => unreachable!("a manifest is only kept with a directory"),
        }),
        ..Summary::default()
    };
    let watch_stdout = plan.destination.is_stdout();
    let mut first_error: Option<Error> = None;
    let mut stop: Option<Error> = None;
    let result = in_chunks(plan, |jobs| {
        if let Some(signal) = interrupt::received() {
            stop = Some(interrupted(signal));
        } else if watch_stdout && output::stdout_closed() {
            stop = Some(output::stdout_closed_error());
        }
        if stop.is_some() {
            return Ok(false);
        }
        for job in jobs.iter_mut() {
            job.file_name = first.names.get(job.index).cloned().flatten();
        }
        // Making and describing each letter happen on the workers; only
        // the recording, in order, is left to this thread.
        let with_manifest = sink.manifest.is_some();
        let dir = sink.dir.as_ref();
        let outcomes: Vec<(Outcome, Option<String>)> = jobs
            .par_iter()
            .map(|job| {
                let outcome = match first.skip.get(&job.index) {
                    Some(reason) => Outcome::Skipped(reason.clone()),
                    None if interrupt::received().is_some() => Outcome::NotAttempted,
                    None => make(plan, dir, job),
                };
                let line = (with_manifest && !matches!(outcome, Outcome::NotAttempted))
                    .then(|| manifest_line(plan, job, &outcome));
                (outcome, line)
            })
            .collect();
        for (job, (outcome, line)) in jobs.iter().zip(outcomes) {
            let skipped_for_data = first.skip.contains_key(&job.index);
            if let Some(err) = sink.record(job, outcome, line, skipped_for_data, &mut summary)? {
                if plan.keep_going {
                    eprintln!(
                        "error: {}",
                        crate::text::escape_message(&at_letter(job, &err))
                    );
                }
                if first_error.is_none() {
                    first_error = Some(err);
                }
            }
        }
        progress.inc(jobs.len() as u64);
        Ok(first_error.is_none() || plan.keep_going)
    });
    progress.finish_and_clear();
    summary.not_written =
        total - summary.written - summary.unchanged - summary.skipped - summary.failed;
    let stopped_by_failure = first_error.is_some() && !plan.keep_going;
    if stop.is_none() && summary.not_written > 0 && !stopped_by_failure {
        if let Some(signal) = interrupt::received() {
            stop = Some(interrupted(signal));
        }
    }
    let complete = result.is_ok() && stop.is_none() && !stopped_by_failure;
    let stopped = summary.not_written > 0;
    let finished = sink.finish(plan, complete, stopped, &summary);
    if !complete && !matches!(plan.destination, Destination::Dir { .. }) {
        // One output holds every letter or none: these letters are in none.
        summary.not_written += summary.written;
        summary.written = 0;
    }
    // Reading the senders or recording a letter failed part way: that is
    // the error to end with, and the counts are still told.
    if let Err(err) = result {
        return Ok(Finished::with_error(summary, err));
    }
    let finished = match (finished, &first_error) {
        // The letter's failure is the one to end with; the manifest's is said too.
        (Err(err), Some(_)) => Err(Some(err)),
        (Err(err), None) => return Ok(Finished::with_error(summary, err)),
        (Ok(()), _) => Ok(()),
    };
    if summary.long_links > 0 {
        let links = match summary.long_links {
            1 => "1 mailto link is".to_string(),
            n => format!("{n} mailto links are"),
        };
        crate::notice::warn(format_args!(
            "{links} longer than {} characters, which Outlook on Windows cuts; \
             --format eml makes drafts with no such limit",
            crate::render::email::MAILTO_WARN_LEN
        ));
    }
    if total > 1 || matches!(plan.destination, Destination::Dir { .. }) {
        crate::notice::note(crate::text::escape_message(&summary_line(
            plan,
            &summary,
            stopped_by_failure,
        )));
    }
    if let Err(Some(err)) = finished {
        eprintln!("error: {err}");
    }
    let error = match (stop, first_error) {
        (Some(stop), _) => Some(stop),
        (None, Some(err)) if !plan.keep_going => Some(err),
        _ if summary.failed + first.skip.len() > 0 => Some(Error::new(
            ErrorKind::Partial,
            match (summary.failed, first.skip.len()) {
                (failed, 0) => format!("{failed} of {} letters failed", summary.letters),
                (0, bad) => format!(
                    "{bad} of {} letters were skipped for bad data",
                    summary.letters
                ),
                (failed, bad) => format!(
                    "{failed} of {} letters failed and {bad} were skipped for bad data",
                    summary.letters
                ),
            },
        )),
        _ => None,
    };
    Ok(Finished { summary, error })
}

fn interrupted(signal: i32) -> Error {
    Error::new(
        ErrorKind::Interrupted(signal),
        format!(
            "interrupted by {}: the letters written so far are whole and recorded; \
             no temporary file is left",
            crate::signals::name(signal)
        ),
    )
    .with_help("run the same command again to write the rest")
}

/// An error of one letter, saying whose and to whom (which letter is
/// already in the message of a run of several).
fn at_letter(job: &Job, err: &Error) -> String {
    match job.mission {
        Some(mission) if !job.row.sender.name.is_empty() => {
            format!("{} to {}: {}", job.row.sender.name, mission.id, err.message)
        }
        _ => err.message.clone(),
    }
}

/// Composes, renders and (for a directory) writes one letter.
fn make(plan: &Plan, dir: Option<&OutputDir>, job: &Job) -> Outcome {
    let Some(mission) = job.mission else {
        // The first pass found this row good: it is not the same row now.
        return Outcome::Failed(senders_changed());
    };
    if plan.format.is_email() && mission.email.is_none() {
        return if plan.strict {
            Outcome::Failed(no_email_error(mission))
        } else {
            Outcome::Skipped("no email address".into())
        };
    }
    let letter = match compose_job(plan, job) {
        Ok(letter) => letter,
        Err(err) => return Outcome::Failed(err),
    };
    if dir.is_none() && plan.format == Format::Pdf {
        // Laid out here, on every core; the sink only puts the pages in order.
        return match render::pdf::prepare(&letter, &plan.options.pdf) {
            Ok(pages) => Outcome::Done {
                bytes: Vec::new(),
                sha256: None,
                written: None,
                long_link: false,
                pdf: Some(Box::new(pages)),
            },
            // The first pass laid this letter out: only a senders file
            // changed since can fail here, and it is told like any row.
            Err(err) => Outcome::Failed(at_row(plan, &job.row, err)),
        };
    }
    let bytes = match render::render(plan.format, &letter, &plan.options) {
        Ok(bytes) => bytes,
        Err(err) => return Outcome::Failed(at_job(plan, job, err)),
    };
    let long_link =
        plan.format == Format::Mailto && bytes.len() > crate::render::email::MAILTO_WARN_LEN + 1;

    if let Some(dir) = dir {
        let Some(name) = &job.file_name else {
            // The first pass named every row it read; this one read more.
            return Outcome::Failed(senders_changed());
        };
        // A file of its own is still a mailbox: it opens with a `From ` line.
        let bytes = match plan.format {
            Format::Mbox => {
                let mut mbox = Vec::with_capacity(bytes.len() + 128);
                crate::render::email::append_mbox(&mut mbox, &bytes, &letter);
                mbox
            }
            _ => bytes,
        };
        // Hashed here, on the worker thread, and not kept: memory stays flat.
        let sha256 = hex(&sha2::Sha256::digest(&bytes));
        return match dir.write(std::ffi::OsStr::new(&**name), &bytes, plan.force) {
            Ok(written) => Outcome::Done {
                bytes: Vec::new(),
                sha256: Some(sha256),
                written: Some(written),
                long_link,
                pdf: None,
            },
            Err(err) => Outcome::Failed(err),
        };
    }
    // Framed here, on the worker, so that the thread recording the letters
    // in order only copies them.
    let bytes = match plan.format {
        Format::Mbox => {
            let mut mbox = Vec::new();
            crate::render::email::append_mbox(&mut mbox, &bytes, &letter);
            mbox
        }
        _ => bytes,
    };
    Outcome::Done {
        bytes,
        sha256: None,
        written: None,
        long_link,
        pdf: None,
    }
}

fn senders_changed() -> Error {
    Error::data("the senders file changed while the run was reading it")
        .with_help("run the command again: letters already written are kept")
}

fn progress_bar(total: usize) -> indicatif::ProgressBar {
    let target = match crate::notice::is_quiet() {
        true => indicatif::ProgressDrawTarget::hidden(),
        false => indicatif::ProgressDrawTarget::stderr(),
    };
    let bar = indicatif::ProgressBar::with_draw_target(Some(total as u64), target);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} letters {eta}")
    {
        bar.set_style(style);
    }
    bar
}
