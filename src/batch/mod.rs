//! Running a write: every (letter, sender, mission) composed, rendered and
//! written, in parallel, in bounded memory, with the same bytes whatever the
//! number of threads.
//!
//! A run reads its senders twice. The first pass checks every row, resolves
//! every recipient and names every file, so that bad data or two letters
//! with the same name stop the run before anything is written. The second
//! pass works through the jobs a chunk at a time: composed and rendered in
//! parallel, written atomically, and recorded in order in the manifest.
//! A run into one file that appears only when it is whole (an mbox, a
//! mailto list, a combined PDF) checks and writes in one pass instead: a
//! bad row leaves that file out, as it would have left it unwritten.
//!
//! Its files, in the order a run uses them:
//! - `plan.rs`: what a run is asked to do, and what its manifest records of it;
//! - `input.rs`: where the senders come from, and the rows a pass reads;
//! - `senders.rs`: a CSV file read row by row, with `columns.rs`, what a
//!   header names; `headers.rs`: the columns no letter reads;
//! - `jobs.rs`: the letters to make, a chunk at a time, and composing one;
//! - `check.rs`: the first pass; `problems.rs`: what it found, told together;
//!   `copies.rs`: letters to one mission that would be word for word the same;
//! - `naming.rs`: each letter's file name; `existing.rs`: a file of the
//!   user's where a letter would go;
//! - `write.rs`: the second pass (or the one pass), into a `sink.rs`,
//!   recorded in `manifest.rs`;
//! - `summary.rs`: what a run says of itself, and `--dry-run`;
//! - `interrupt.rs`: a signal stops a run between letters.

mod check;
pub mod columns;
mod copies;
mod existing;
pub mod headers;
mod input;
pub mod interrupt;
mod jobs;
mod manifest;
pub mod naming;
mod plan;
mod problems;
pub mod senders;
mod sink;
mod summary;
mod write;

pub use input::Senders;
pub use plan::{check_destination, Destination, Plan, Recipients};
pub use summary::{Finished, Summary};

use plan::Earlier;

use crate::error::{Error, ErrorKind, Result};

/// Checks every letter of the plan, then writes them all, or with
/// `--dry-run` shows what it would write. An error is a run refused before
/// anything was written; once writing began, the run's end is told in
/// [`Finished`], with the counts.
pub fn run(mut plan: Plan) -> Result<Finished> {
    interrupt::install();
    // Before the first letter is composed: a run that could not be put
    // where it goes is refused at once, not after every letter is made.
    plan::check_destination_writable(&plan)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs.unwrap_or(0))
        .build()
        .map_err(|err| Error::new(ErrorKind::Io, format!("cannot start threads: {err}")))?;
    let earlier = plan::earlier_run(&mut plan)?;
    // The pool's threads, and with them their cached template data, end with the run.
    pool.install(|| run_passes(&plan, earlier))
}

fn run_passes(plan: &Plan, earlier: Earlier) -> Result<Finished> {
    if write::in_one_pass(plan) {
        // Nothing of an earlier run to compare: only a directory keeps one.
        return write::one_pass(plan);
    }
    let first = check::first_pass(plan)?;
    let total = first.count;
    if total == 0 {
        return Err(write::no_rows());
    }
    check_destination(total, plan.format, &plan.destination)?;
    if first.no_email > 0 && first.no_email == total - first.skip.len() {
        return Err(check::nothing_to_send(&first));
    }
    // Only a folder keeps a record of its run, and an earlier one to compare.
    let record = match plan.destination {
        Destination::Dir { .. } => Some(plan.run_record(&first.missions_used)?),
        _ => None,
    };
    let earlier = match &record {
        Some(record) => plan::compare_data(plan, earlier, record)?,
        None => earlier,
    };
    if let Destination::Dir { dir, .. } = &plan.destination {
        existing::check_users_files(
            dir,
            &first.names,
            &first.found,
            &first.already_there,
            plan.force,
            plan.dry_run,
        )?;
    }
    if plan.dry_run {
        return summary::dry_run(plan, first);
    }
    write::second_pass(plan, first, earlier, record)
}
