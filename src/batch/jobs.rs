//! The letters a run makes, one job each, read from the senders a chunk at
//! a time; composing one; and saying which letter an error is of.

use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::input::{Rows, Senders};
use super::plan::{Plan, Recipients};
use super::senders::{BadRow, SenderRow};
use crate::catalog::{LetterTemplate, Mission};
use crate::compose::{compose_with, Facts, Letter, MissionData, Request};
use crate::error::{Error, ErrorKind, Result};

/// One letter to make, or a row that cannot give one.
pub(super) struct Job<'c> {
    /// Its place in the run, the same in both passes.
    pub(super) index: usize,
    /// Which of the plan's letters.
    pub(super) letter: usize,
    pub(super) row: Arc<SenderRow>,
    /// `None` when the row itself is bad, or names no mission we know.
    pub(super) mission: Option<&'c Mission>,
    /// Why the row cannot give a letter, found as it was read.
    pub(super) problem: Option<Error>,
    /// Its name in the output directory, from the first pass.
    pub(super) file_name: Option<Arc<str>>,
}

/// Letters handled together: enough to keep both cores busy, few enough that
/// memory stays flat however long the batch.
const CHUNK: usize = 512;
/// Cells handled together: a chunk of rows thousands of columns wide holds
/// fewer rows, so memory stays flat with the width of a file as with its length.
const CHUNK_CELLS: usize = 32 * 1024;

/// Hands `each` the letters to make, a chunk at a time and in order, while
/// the next chunk is read: reading the senders is serial, and would
/// otherwise leave the other cores waiting. Stops when `each` says false.
pub(super) fn in_chunks<'c>(
    plan: &Plan<'c>,
    mut each: impl FnMut(&mut Vec<Job<'c>>) -> Result<bool> + Send,
) -> Result<()> {
    let mut at = Position {
        rows: plan.senders.rows()?,
        letter: 0,
        index: 0,
    };
    let mut jobs = next_jobs(plan, &mut at)?;
    let mut done = Vec::new();
    while !jobs.is_empty() {
        // The last chunk's jobs are dropped as the next is read, beside the
        // work rather than between two chunks of it.
        let (go_on, next) = rayon::join(
            || each(&mut jobs),
            || {
                drop(std::mem::take(&mut done));
                next_jobs(plan, &mut at)
            },
        );
        if !go_on? {
            return Ok(());
        }
        done = std::mem::replace(&mut jobs, next?);
    }
    Ok(())
}

/// Where the reading of a run's letters is: the senders are read once for
/// each letter.
struct Position {
    rows: Rows,
    /// Which of the plan's letters the rows are read for.
    letter: usize,
    /// The next job's index.
    index: usize,
}

/// The next [`CHUNK`] or so letters to make, from as many rows as that takes.
fn next_jobs<'c>(plan: &Plan<'c>, at: &mut Position) -> Result<Vec<Job<'c>>> {
    let mut jobs = Vec::with_capacity(CHUNK);
    let mut cells = 0;
    while jobs.len() < CHUNK && cells < CHUNK_CELLS {
        let Some(row) = at.rows.next_row() else {
            if at.letter + 1 == plan.templates.len() {
                break;
            }
            at.letter += 1;
            at.rows = plan.senders.rows()?;
            continue;
        };
        cells += at.rows.width();
        let letter = at.letter;
        let index = &mut at.index;
        let mut push = |row: Arc<SenderRow>, mission, problem: Option<Error>| {
            // A row that gives no letter is one problem, told with the first letter.
            if problem.is_some() && letter > 0 {
                return;
            }
            jobs.push(Job {
                index: *index,
                letter,
                row,
                mission,
                problem,
                file_name: None,
            });
            *index += 1;
        };
        let row = match row {
            Ok(row) => Arc::new(row),
            Err(BadRow { row, error }) => {
                let row = Arc::new(SenderRow {
                    row,
                    ..SenderRow::default()
                });
                push(row, None, Some(error));
                continue;
            }
        };
        match missions_for(plan, &row) {
            Ok(missions) => {
                for mission in missions {
                    push(row.clone(), Some(mission), None);
                }
            }
            Err(err) => push(row, None, Some(err)),
        }
    }
    Ok(jobs)
}

/// The missions a row's letters go to.
fn missions_for<'c>(plan: &Plan<'c>, row: &SenderRow) -> Result<Vec<&'c Mission>> {
    match &plan.recipients {
        Recipients::Fixed(missions) => Ok(missions.clone()),
        Recipients::SenderCountry => {
            let at_row = |err: Error| at_row(plan, row, err);
            let Some(country) = row
                .sender
                .country
                .as_deref()
                .filter(|c| !c.trim().is_empty())
            else {
                return Err(at_row(
                    Error::usage("who is the letter to? the sender has no country").with_help(
                        "pass --to ID, --country COUNTRY or --all, or give each sender a country",
                    ),
                ));
            };
            let code = plan.catalog.country_code(country).map_err(at_row)?;
            Ok(vec![plan
                .catalog
                .mission_for_country(&code)
                .map_err(at_row)?])
        }
    }
}

pub(super) fn compose_job(plan: &Plan, job: &Job) -> Result<Letter> {
    let mission = job.mission.expect("a composed letter has a mission");
    let personal = job.row.personal.as_deref().or(plan.personal.as_deref());
    let template = plan.templates[job.letter];
    let request = Request {
        template,
        mission,
        sender: &job.row.sender,
        date: plan.date,
        personal,
        cc: &plan.cc,
        extra: &job.row.extra,
        facts: Facts::Checked,
        cc_embassy: plan.cc_embassy,
    };
    let key = (
        template as *const LetterTemplate as usize,
        mission as *const Mission as usize,
    );
    MISSION_DATA
        .with(|cell| {
            let mut missions = cell.borrow_mut();
            let data = match missions.entry(key) {
                Entry::Occupied(cached) => cached.into_mut(),
                Entry::Vacant(place) => place.insert(MissionData::of(plan.catalog, &request)?),
            };
            compose_with(plan.catalog, &request, data)
        })
        .map_err(|err| at_job(plan, job, err))
}

thread_local! {
    /// Each worker's template data for the letters and missions it has
    /// written, by the addresses of the [`LetterTemplate`] and [`Mission`] in
    /// the catalog: only the sender's part
    /// changes from one letter of a batch to the next, so the rest (mission,
    /// prisoners, demands, rendered texts) is built once per mission, not per
    /// letter, even when every sender writes to every mission (`--all`).
    /// Workers belong to the pool `batch::run` makes, so this ends with the run.
    static MISSION_DATA: RefCell<HashMap<(usize, usize), MissionData>> = RefCell::new(HashMap::new());
}

/// An error of a row of a senders file, said with its file, line and row.
pub(super) fn at_row(plan: &Plan, row: &SenderRow, err: Error) -> Error {
    let Senders::Csv { path, .. } = &plan.senders else {
        return err;
    };
    let file = match path == Path::new("-") {
        true => "<stdin>".to_string(),
        false => path.display().to_string(),
    };
    Error {
        message: format!("{file}:{}: row {}: {}", row.line, row.row, err.message),
        // What a row says is data, even where the same on the command line is usage.
        kind: match err.kind {
            ErrorKind::Usage => ErrorKind::Data,
            kind => kind,
        },
        ..err
    }
}

/// An error of one letter: with its row, and which letter it is when the
/// run writes several.
pub(super) fn at_job(plan: &Plan, job: &Job, err: Error) -> Error {
    let err = match plan.templates.len() {
        1 => err,
        _ => Error {
            message: format!(
                "letter `{}`: {}",
                plan.templates[job.letter].front.id, err.message
            ),
            ..err
        },
    };
    at_row(plan, &job.row, err)
}

pub(super) fn no_email_error(mission: &Mission) -> Error {
    Error::data(format!("{}: no email address in the directory", mission.id))
        .with_help("leave out --strict to skip such missions")
}

/// A letter's bytes as its output holds them: an mbox message opens with
/// its `From ` line, in one mailbox of every letter as in a file of its own.
pub(super) fn letter_bytes(plan: &Plan, letter: &Letter) -> Result<Vec<u8>> {
    let bytes = crate::render::render(plan.format, letter, &plan.options)?;
    Ok(match plan.format {
        crate::render::Format::Mbox => {
            let mut mbox = Vec::with_capacity(bytes.len() + 128);
            crate::render::email::append_mbox(&mut mbox, &bytes, letter);
            mbox
        }
        _ => bytes,
    })
}
