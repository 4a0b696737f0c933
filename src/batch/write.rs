//! Writing: every letter composed, rendered and written, a chunk at a time
//! on every core, and recorded in order; a signal or a closed output stops
//! it between chunks, with what was written whole and recorded. It is the
//! second pass of a run, or for a run into one file the first pass's own.

use rayon::prelude::*;
use sha2::Digest;

use super::check::{self, FirstPass};
use super::interrupt;
use super::jobs::{at_job, at_row, compose_job, in_chunks, letter_bytes, no_email_error, Job};
use super::manifest::{self, RunRecord};
use super::plan::{Destination, Earlier, Plan, Recipients};
use super::sink::{manifest_line, Outcome, Sink};
use super::summary::{summary_line, Finished, Summary};
use crate::compose::Letter;
use crate::error::{Error, ErrorKind, Result};
use crate::output::{self, OutputDir};
use crate::render::{self, Format};
use crate::text::hex;

pub(super) fn second_pass(
    plan: &Plan,
    first: FirstPass,
    earlier: Earlier,
    record: Option<RunRecord>,
) -> Result<Finished> {
    let _writing = interrupt::writing();
    let mut writing = Writing::start(plan, &first, earlier, record, Some(first.count))?;
    let result = in_chunks(plan, |jobs| writing.chunk(plan, jobs, None, &first));
    writing.end(plan, &first, result)
}

/// Whether a run can write as it checks, in one pass: when what it writes
/// appears only once it is whole (one mbox, mailto list or combined PDF, to
/// a file or standard output), a letter found bad on row 700 leaves nothing
/// behind, as the first pass promises, and each letter is composed once.
/// A run whose every letter might go by email to a mission without an
/// address is checked whole first, to say so before any letter is skipped.
pub(super) fn in_one_pass(plan: &Plan) -> bool {
    let some_email = match &plan.recipients {
        _ if !plan.format.is_email() => true,
        Recipients::Fixed(missions) => missions.iter().any(|m| m.email.is_some()),
        Recipients::SenderCountry => false,
    };
    !plan.dry_run
        && plan.format.concatenates()
        && !matches!(plan.destination, Destination::Dir { .. })
        && some_email
}

/// Checks and writes the letters in one pass (see [`in_one_pass`]): a
/// chunk is written once every letter so far is good; after a problem the
/// rest are only checked, and the output is left out.
pub(super) fn one_pass(plan: &Plan) -> Result<Finished> {
    let _writing = interrupt::writing();
    // One file keeps no manifest, so no record of the run.
    let mut writing = Writing::start(plan, &FirstPass::default(), Earlier::None, None, None)?;
    let mut result = Ok(());
    let checked = check::check_all(plan, true, |first, chunk| {
        if !chunk.clean && !plan.keep_going {
            // Nothing more is written, but every problem is still told,
            // unless the run is asked to stop.
            return Ok(interrupt::received().is_none());
        }
        let go_on = writing.chunk(plan, chunk.jobs, Some(chunk.letters), first);
        match go_on {
            Ok(go_on) => Ok(go_on),
            // Told as the second pass tells it: with the counts.
            Err(err) => {
                result = Err(err);
                Ok(false)
            }
        }
    });
    let first = match (checked, interrupt::received()) {
        (Ok(first), _) => first,
        // The problems found before the signal are not all there are; and
        // the output, left out, is dropped with `writing`.
        (Err(_), Some(signal)) => {
            return Err(Error::new(
                ErrorKind::Interrupted(signal),
                "interrupted: nothing was written",
            ))
        }
        (Err(err), None) => return Err(err),
    };
    if first.count == 0 {
        return Err(no_rows());
    }
    writing.summary.letters = first.count;
    writing.progress.set_length(first.count as u64);
    writing.end(plan, &first, result)
}

pub(super) fn no_rows() -> Error {
    Error::usage("no letters to write: the senders file has no rows")
}

/// A run's writing: where the letters go, and what became of them so far.
struct Writing {
    sink: Sink,
    summary: Summary,
    progress: indicatif::ProgressBar,
    watch_stdout: bool,
    first_error: Option<Error>,
    stop: Option<Error>,
}

impl Writing {
    /// `total`: the letters to write, when the first pass has counted them.
    fn start(
        plan: &Plan,
        first: &FirstPass,
        earlier: Earlier,
        record: Option<RunRecord>,
        total: Option<usize>,
    ) -> Result<Writing> {
        let sink = Sink::open(plan, first, earlier, record)?;
        let summary = Summary {
            letters: total.unwrap_or(0),
            manifest: sink.manifest.as_ref().map(|_| match &plan.destination {
                Destination::Dir { dir, .. } => dir.join(manifest::FILE_NAME),
                _ => unreachable!("a manifest is only kept with a directory"),
            }),
            ..Summary::default()
        };
        Ok(Writing {
            sink,
            summary,
            progress: progress_bar(total),
            watch_stdout: plan.destination.is_stdout(),
            first_error: None,
            stop: None,
        })
    }

    /// Makes and records one chunk of letters; `letters`: the chunk's
    /// letters, composed by the first pass when it kept them. Says false
    /// when the run is to stop.
    fn chunk(
        &mut self,
        plan: &Plan,
        jobs: &mut [Job],
        letters: Option<Vec<Option<Letter>>>,
        first: &FirstPass,
    ) -> Result<bool> {
        if let Some(signal) = interrupt::received() {
            self.stop = Some(interrupted(signal));
        } else if self.watch_stdout && output::stdout_closed() {
            self.stop = Some(output::stdout_closed_error());
        }
        if self.stop.is_some() {
            return Ok(false);
        }
        for job in jobs.iter_mut() {
            job.file_name = first.names.get(job.index).cloned().flatten();
        }
        let mut letters = letters.unwrap_or_default();
        letters.resize_with(jobs.len(), || None);
        // Making and describing each letter happen on the workers; only
        // the recording, in order, is left to this thread.
        let with_manifest = self.sink.manifest.is_some();
        let dir = self.sink.dir.as_ref();
        let outcomes: Vec<(Outcome, Option<String>)> = jobs
            .par_iter()
            .zip(letters)
            .map(|(job, letter)| {
                let outcome = match first.skip.get(&job.index) {
                    Some(reason) => Outcome::Skipped(reason.clone()),
                    None if interrupt::received().is_some() => Outcome::NotAttempted,
                    None => make(plan, dir, job, letter),
                };
                let line = (with_manifest && !matches!(outcome, Outcome::NotAttempted))
                    .then(|| manifest_line(plan, job, &outcome));
                (outcome, line)
            })
            .collect();
        for (job, (outcome, line)) in jobs.iter().zip(outcomes) {
            let skipped_for_data = first.skip.contains_key(&job.index);
            let recorded =
                self.sink
                    .record(job, outcome, line, skipped_for_data, &mut self.summary)?;
            if let Some(err) = recorded {
                if plan.keep_going {
                    eprintln!(
                        "error: {}",
                        crate::text::escape_message(&at_letter(job, &err))
                    );
                }
                if self.first_error.is_none() {
                    self.first_error = Some(err);
                }
            }
        }
        self.progress.inc(jobs.len() as u64);
        Ok(self.first_error.is_none() || plan.keep_going)
    }

    /// Puts the output in place when the run is complete, and tells how it
    /// ended; `result`: how reading and recording the letters ended.
    fn end(self, plan: &Plan, first: &FirstPass, result: Result<()>) -> Result<Finished> {
        let Writing {
            sink,
            mut summary,
            progress,
            first_error,
            mut stop,
            ..
        } = self;
        let total = summary.letters;
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
        // A manifest that could not be written (a full disk) is not named.
        if summary
            .manifest
            .as_ref()
            .is_some_and(|path| !path.is_file())
        {
            summary.manifest = None;
        }
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

/// Composes (unless the first pass did), renders and (for a directory)
/// writes one letter.
fn make(plan: &Plan, dir: Option<&OutputDir>, job: &Job, letter: Option<Letter>) -> Outcome {
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
    let letter = match letter.map_or_else(|| compose_job(plan, job), Ok) {
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
    // Framed here, on the worker, so that the thread recording the letters
    // in order only copies them.
    let bytes = match letter_bytes(plan, &letter) {
        Ok(bytes) => bytes,
        Err(err) => return Outcome::Failed(at_job(plan, job, err)),
    };
    let long_link =
        plan.format == Format::Mailto && bytes.len() > crate::render::email::MAILTO_WARN_LEN + 1;
    let Some(dir) = dir else {
        return Outcome::Done {
            bytes,
            sha256: None,
            written: None,
            long_link,
            pdf: None,
        };
    };
    let Some(name) = &job.file_name else {
        // The first pass named every row it read; this one read more.
        return Outcome::Failed(senders_changed());
    };
    // Hashed here, on the worker thread, and not kept: memory stays flat.
    let sha256 = hex(&sha2::Sha256::digest(&bytes));
    match dir.write(std::ffi::OsStr::new(&**name), &bytes, plan.force) {
        Ok(written) => Outcome::Done {
            bytes: Vec::new(),
            sha256: Some(sha256),
            written: Some(written),
            long_link,
            pdf: None,
        },
        Err(err) => Outcome::Failed(err),
    }
}

fn senders_changed() -> Error {
    Error::data("the senders file changed while the run was reading it")
        .with_help("run the command again: letters already written are kept")
}

/// `total`: the letters to write, when known; else the count alone is shown.
fn progress_bar(total: Option<usize>) -> indicatif::ProgressBar {
    let target = match crate::notice::is_quiet() {
        true => indicatif::ProgressDrawTarget::hidden(),
        false => indicatif::ProgressDrawTarget::stderr(),
    };
    let bar = indicatif::ProgressBar::with_draw_target(total.map(|n| n as u64), target);
    let template = match total {
        Some(_) => "{bar:40} {pos}/{len} letters {eta}",
        None => "{spinner} {pos} letters",
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
