//! The first pass: every row read, every letter composed, checked for its
//! format and named, before anything is written.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::copies::{body_digest, Copies};
use super::existing::Found;
use super::jobs::{at_job, compose_job, in_chunks, no_email_error, Job};
use super::naming::{self, Namer};
use super::plan::Plan;
use super::problems::Problems;
use crate::compose::Letter;
use crate::error::{Error, Result};
use crate::render::{self, Format, RenderOptions};

/// What the first pass learned: enough to write, or to show the plan.
#[derive(Default)]
pub(super) struct FirstPass {
    pub(super) count: usize,
    /// Every letter's file name, by its index (for a directory; empty otherwise).
    pub(super) names: Vec<Option<Arc<str>>>,
    /// The missions written to, in the order first met (for `--dry-run`).
    pub(super) missions: Vec<String>,
    /// Every mission a letter goes to, or is copied to (`--cc-embassy`), for
    /// the run record: what the letters are made from.
    pub(super) missions_used: BTreeSet<String>,
    /// The senders' countries whose mission `--cc-embassy` copies, each once.
    cc_countries: HashSet<String>,
    /// The first few letters, as `--dry-run` lists them.
    pub(super) listed: Vec<Listed>,
    /// The first letter, composed, for `--dry-run` to show.
    pub(super) first_letter: Option<Letter>,
    /// Letters that cannot be made, by index, and why (with `--keep-going`).
    pub(super) skip: HashMap<usize, String>,
    /// What the output folder held before the run.
    pub(super) found: Found,
    /// The letters a file of that name there already holds, as this run
    /// makes them (written by a run stopped before its manifest).
    pub(super) already_there: HashSet<Arc<str>>,
    /// Letters to email to a mission without an address.
    pub(super) no_email: usize,
    /// Letters whose senders row has no `personal` paragraph of its own.
    without_personal: usize,
    /// The first such mission, and whether it has a postal address, for
    /// the message when every letter is one.
    pub(super) no_email_mission: Option<(String, bool)>,
    /// The letters' bodies by mission, to say before writing when many are copies.
    copies: Copies,
}

/// Letters a dry run lists by name.
const LISTED: usize = 10;

/// Checks every row and every letter, and names every file, before anything
/// is written: every letter is composed and checked for its format (an
/// address an email cannot carry, a character the PDF font lacks), so that
/// a problem on row 700 stops the run before row 1 is written. Every
/// problem is told, in the order of the rows, whatever the threads.
pub(super) fn first_pass(plan: &Plan) -> Result<FirstPass> {
    check_all(plan, false, |_, _| Ok(true))
}

/// The letters of a chunk, checked: the jobs, each job's composed letter
/// (when the pass keeps them), and whether every letter so far is good.
pub(super) struct CheckedChunk<'a, 'c> {
    pub(super) jobs: &'a mut Vec<Job<'c>>,
    pub(super) letters: Vec<Option<Letter>>,
    pub(super) clean: bool,
}

/// [`first_pass`], handing `then` each chunk once it is checked, with its
/// letters when `keep_letters`, so that a run whose output appears only
/// when it is whole can write as it checks. When `then` says false, the
/// rest is only counted.
pub(super) fn check_all<'c>(
    plan: &Plan<'c>,
    keep_letters: bool,
    mut then: impl FnMut(&FirstPass, CheckedChunk<'_, 'c>) -> Result<bool> + Send,
) -> Result<FirstPass> {
    // Once, and first: the facts are the same for every copy of a letter.
    for template in &plan.templates {
        plan.catalog.check_asks(template, plan.date)?;
    }
    let namers = match plan.destination_pattern() {
        Some(pattern) => plan
            .templates
            .iter()
            .map(|template| Namer::new(pattern, template, plan.format.extension()))
            .collect::<Result<Vec<_>>>()?,
        None => Vec::new(),
    };
    let mut first = FirstPass {
        found: Found::before(plan),
        ..FirstPass::default()
    };
    let mut taken = Taken::default();
    let mut problems = Problems::default();
    let naming = !namers.is_empty();
    let mut counting_only = false;
    in_chunks(plan, |jobs| {
        if counting_only {
            first.count += jobs.len();
            return Ok(true);
        }
        // Composing, checking and naming are the costly part: done on every
        // core, gathered in order.
        let checked: Vec<Checked> = jobs
            .par_iter()
            .map(|job| {
                check_job(
                    plan,
                    namers.get(job.letter),
                    job,
                    keep_letters,
                    &first.found,
                )
            })
            .collect();
        let mut letters = Vec::with_capacity(if keep_letters { jobs.len() } else { 0 });
        for (job, mut checked) in jobs.iter_mut().zip(checked) {
            if keep_letters {
                letters.push(match &mut checked {
                    Ok((letter, ..)) => letter.take(),
                    Err(_) => None,
                });
            }
            if let Some(problem) = first.add(plan, job, checked, &mut taken, naming)? {
                if plan.keep_going {
                    first.skip.insert(job.index, problem.message.clone());
                }
                problems.add(problem);
            }
        }
        let clean = problems.is_empty();
        counting_only = !then(
            &first,
            CheckedChunk {
                jobs,
                letters,
                clean,
            },
        )?;
        Ok(true)
    })?;
    if !problems.is_empty() {
        if !plan.keep_going {
            return Err(problems.into_error());
        }
        eprintln!("{}", problems.into_warning());
    }
    if let Some(warning) = first.copies.warning(plan) {
        crate::notice::warn(warning);
    }
    // Known only once every row is read, when the run may already be
    // writing: said, not refused.
    if plan.personal.is_some() && plan.senders.is_csv() && first.without_personal == 0 {
        crate::notice::warn(format_args!(
            "--personal does nothing here: every row of {} has its own personal paragraph",
            crate::text::escape_for_terminal(&plan.senders.shown())
        ));
    }
    Ok(first)
}

impl FirstPass {
    /// Counts one letter, and keeps its name when `naming`; returns the
    /// problem of its row, or ends the run with one every letter shares.
    fn add(
        &mut self,
        plan: &Plan,
        job: &mut Job,
        checked: Checked,
        taken: &mut Taken,
        naming: bool,
    ) -> Result<Option<Error>> {
        self.count += 1;
        self.without_personal += usize::from(job.row.personal.is_none());
        let checked = match job.problem.take() {
            Some(problem) => Err(Problem::Row(problem)),
            None => checked,
        };
        let (name, problem) = match checked {
            Ok((letter, file_name, body, there)) => {
                self.learn(plan, job, letter);
                if let (Some(body), Some(mission)) = (body, job.mission) {
                    self.copies.add(job.letter, &mission.id, body);
                }
                match file_name.map(|name| taken.claim(plan, job, name.into())) {
                    Some(Ok(name)) => {
                        if there {
                            self.already_there.insert(name.clone());
                        }
                        (Some(name), None)
                    }
                    Some(Err(problem)) => (None, Some(problem)),
                    None => (None, None),
                }
            }
            Err(Problem::Run(err)) => return Err(err),
            Err(Problem::Row(err)) => (None, Some(err)),
        };
        if naming {
            self.names.push(name);
        }
        Ok(problem)
    }

    /// What a letter that can be made tells the run: the first letter, a
    /// mission without an email address, and what a dry run lists.
    fn learn(&mut self, plan: &Plan, job: &Job, letter: Option<Letter>) {
        let mission = job.mission.expect("a checked letter has a mission");
        if self.first_letter.is_none() {
            self.first_letter = letter;
        }
        if !self.missions_used.contains(&mission.id) {
            self.missions_used.insert(mission.id.clone());
        }
        if plan.cc_embassy {
            self.learn_copy(plan, job);
        }
        if plan.format.is_email() && mission.email.is_none() {
            self.no_email += 1;
            self.no_email_mission
                .get_or_insert_with(|| (mission.id.clone(), mission.address.is_some()));
        }
        // What a dry run shows; a real run needs only the count and names.
        if plan.dry_run && !self.missions.contains(&mission.id) {
            self.missions.push(mission.id.clone());
        }
        if plan.dry_run && self.listed.len() < LISTED {
            self.listed.push(Listed {
                letter: plan.templates[job.letter].front.id.clone(),
                sender: job.row.sender.name.clone(),
                mission: mission.id.clone(),
            });
        }
    }
}

impl FirstPass {
    /// The mission `--cc-embassy` copies a letter to: the one in its
    /// sender's country, found as composing finds it.
    fn learn_copy(&mut self, plan: &Plan, job: &Job) {
        let Some(country) = job.row.sender.country.as_deref() else {
            return;
        };
        if !self.cc_countries.insert(country.to_string()) {
            return;
        }
        let catalog = plan.catalog;
        if let Some(mission) = catalog
            .country_code(country)
            .ok()
            .and_then(|code| catalog.mission_for_country(&code).ok())
        {
            self.missions_used.insert(mission.id.clone());
        }
    }
}

/// Each name, as the file systems that ignore case compare it, and the
/// letter that took it first: its row, description and name as written.
#[derive(Default)]
struct Taken(HashMap<String, (usize, String, Arc<str>)>);

impl Taken {
    /// `file_name` for this letter, unless an earlier letter has it.
    fn claim(&mut self, plan: &Plan, job: &Job, file_name: Arc<str>) -> Result<Arc<str>> {
        let key = naming::collision_key(&file_name);
        let Some((row, earlier, earlier_name)) = self.0.get(&key) else {
            self.0
                .insert(key, (job.row.row, described(plan, job), file_name.clone()));
            return Ok(file_name);
        };
        let (names, same) = if **earlier_name == *file_name {
            (format!("`{file_name}`"), "")
        } else {
            (
                format!("`{earlier_name}` and `{file_name}`"),
                ", one file where case is ignored (macOS, Windows)",
            )
        };
        let which = match plan.templates.len() == 1 && plan.senders.is_csv() {
            true => format!("rows {row} and {}", job.row.row),
            false => format!("{earlier} and {}", described(plan, job)),
        };
        Err(Error::data(format!(
            "two letters would be written to {names} ({which}){same}"
        ))
        .with_help(match plan.templates.len() {
            1 => "make --file-name give each letter its own name, e.g. add {{row}}",
            _ => {
                "make --file-name give each letter its own name, e.g. add {{letter.id}} and {{row}}"
            }
        }))
    }
}

/// A letter as `--dry-run` lists it.
pub(super) struct Listed {
    pub(super) letter: String,
    pub(super) sender: String,
    pub(super) mission: String,
}

/// "`abzhan` to de-berlin, row 3": which letter of the run a job is, said
/// with only what tells it apart (the letter id when there are several, the
/// row with a senders file).
fn described(plan: &Plan, job: &Job) -> String {
    let mission = job.mission.map_or("", |m| m.id.as_str());
    let mut text = match plan.templates.len() {
        1 => format!("to {mission}"),
        _ => format!("`{}` to {mission}", plan.templates[job.letter].front.id),
    };
    if plan.senders.is_csv() {
        text.push_str(&format!(", row {}", job.row.row));
    }
    text
}

/// What stops a letter: its own row, or what every letter shares (the
/// `--file-name` pattern), which is said once and ends the run.
enum Problem {
    Row(Error),
    Run(Error),
}

/// A letter checked: the letter (the first, which a dry run shows), its
/// file name, its body's digest (see `copies`) when it was composed, and
/// whether a file of its name the output folder holds is this letter.
type Checked = Result<(Option<Letter>, Option<String>, Option<u64>, bool), Problem>;

/// Composes one letter and checks it as its format will need it; the
/// letter is kept for a dry run, which shows the first, and when `keep`.
fn check_job(plan: &Plan, namer: Option<&Namer>, job: &Job, keep: bool, found: &Found) -> Checked {
    if job.problem.is_some() {
        return Ok((None, None, None, false));
    }
    let mission = job.mission.expect("a row without a problem has a mission");
    let name = name_of(namer, job).map_err(Problem::Run)?;
    if plan.format.is_email() && mission.email.is_none() {
        if plan.strict {
            return Err(Problem::Row(no_email_error(mission)));
        }
        // Skipped when written, with a warning: nothing of it to check.
        return Ok((None, name, None, false));
    }
    let letter = compose_job(plan, job).map_err(Problem::Row)?;
    check_letter(plan, &letter).map_err(|err| Problem::Row(at_job(plan, job, err)))?;
    let body = body_digest(&letter);
    let there = name
        .as_deref()
        .is_some_and(|name| found.holds(plan, name, &letter));
    Ok((
        (plan.dry_run || keep).then_some(letter),
        name,
        Some(body),
        there,
    ))
}

/// A letter's file name. The pattern is the same for every letter, so what
/// is wrong with it is said without a row.
fn name_of(namer: Option<&Namer>, job: &Job) -> Result<Option<String>> {
    let Some(namer) = namer else {
        return Ok(None);
    };
    let mission = job.mission.expect("a named letter has a mission");
    namer.name(&job.row, mission).map(Some)
}

/// What rendering would refuse, found without the cost of rendering where
/// that is high (a PDF is checked, not laid out; a message's addresses and
/// subject, not the message written).
fn check_letter(plan: &Plan, letter: &Letter) -> Result<()> {
    let pdf = || render::pdf::check(letter, &plan.options.pdf);
    match plan.format {
        Format::Text => Ok(()),
        Format::Pdf => pdf(),
        Format::Eml | Format::Mbox | Format::Mailto => {
            match plan.format {
                Format::Mailto => {
                    let without_attachment = RenderOptions {
                        attach_pdf: false,
                        ..plan.options.clone()
                    };
                    render::render(plan.format, letter, &without_attachment)?;
                }
                _ => render::email::check_eml(letter, &Default::default())?,
            }
            match plan.options.attach_pdf {
                true => pdf(),
                false => Ok(()),
            }
        }
    }
}

/// Every letter would go by email to a mission without an address.
pub(super) fn nothing_to_send(first: &FirstPass) -> Error {
    let (mission, has_address) = first
        .no_email_mission
        .as_ref()
        .map_or(("", true), |(id, has)| (id.as_str(), *has));
    let help = render::email::no_email_help(mission, has_address);
    match first.no_email {
        1 => Error::data(format!("{mission}: no email address in the directory")).with_help(help),
        n => Error::data(format!(
            "no letter to write: none of the {n} missions has an email address in the directory"
        ))
        .with_help(help),
    }
}
