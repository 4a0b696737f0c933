//! Running a write: every (letter, sender, mission) composed, rendered and
//! written, in parallel, in bounded memory, with the same bytes whatever the
//! number of threads.
//!
//! A run reads its senders twice. The first pass checks every row, resolves
//! every recipient and names every file, so that bad data or two letters
//! with the same name stop the run before anything is written. The second
//! pass works through the jobs a chunk at a time: composed and rendered in
//! parallel, written atomically, and recorded in order in the manifest.

mod columns;
pub mod headers;
pub mod interrupt;
mod manifest;
pub mod naming;
pub mod senders;

use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use sha2::Digest;

use crate::catalog::{Catalog, LetterTemplate, Mission, Sender};
use crate::compose::{compose_with, date::Date, Facts, Letter, MissionData, Request};
use crate::error::{Error, ErrorKind, Result};
use crate::origin::Origin;
use crate::output::{self, AtomicFile, OutputDir, Written};
use crate::render::{self, Format, RenderOptions};
use crate::text::hex;
use manifest::{Manifest, RunRecord};
use naming::Namer;
use senders::{BadRow, SenderReader, SenderRow};

/// Where senders come from.
pub enum Senders {
    One(Sender),
    /// A CSV file. One that can be read only once (standard input, a pipe,
    /// `<(…)`) is copied to a private temporary file first, since a run reads
    /// its senders twice.
    Csv {
        path: PathBuf,
        spooled: Option<File>,
        sha256: String,
    },
}

/// The most a senders file read from a pipe may hold: far more than any
/// branch, and not the whole of a disk for `--senders /dev/zero`.
const MAX_SPOOLED: u64 = 1 << 30;

/// The senders file at its first row: the private copy of one that could
/// be read only once, else the file itself.
fn csv_reader(path: &Path, spooled: Option<&File>) -> Result<SenderReader> {
    let Some(file) = spooled else {
        return SenderReader::open(path);
    };
    let origin = match path == Path::new("-") {
        true => Origin("<stdin>".into()),
        false => Origin::file(path),
    };
    let mut file = file.try_clone().map_err(|err| Error::read(path, &err))?;
    file.rewind().map_err(|err| Error::read(path, &err))?;
    SenderReader::from_file(origin, file)
}

impl Senders {
    pub fn csv(path: PathBuf) -> Result<Senders> {
        let stdin = path == Path::new("-");
        let shown = if stdin { Path::new("<stdin>") } else { &path };
        let regular = !stdin && std::fs::metadata(&path).is_ok_and(|m| m.is_file());
        let input: Box<dyn Read> = if stdin {
            Box::new(std::io::stdin())
        } else {
            Box::new(File::open(&path).map_err(|err| Error::read(&path, &err))?)
        };
        let mut input = Hashing {
            inner: senders::LineLimit::new(input.take(MAX_SPOOLED + 1)),
            sha256: sha2::Sha256::new(),
        };
        let spooled = if regular {
            std::io::copy(&mut input, &mut std::io::sink())
                .map_err(|err| senders_error(shown, &err))?;
            None
        } else {
            let mut file = output::anonymous_temporary()
                .map_err(|err| Error::write(Path::new("<temporary file>"), &err))?;
            let copied =
                std::io::copy(&mut input, &mut file).map_err(|err| senders_error(shown, &err))?;
            if copied > MAX_SPOOLED {
                return Err(Error::data(format!(
                    "{}: more than {} MiB of senders",
                    shown.display(),
                    MAX_SPOOLED >> 20
                ))
                .with_help("give the senders as a CSV file of one row per sender"));
            }
            Some(file)
        };
        Ok(Senders::Csv {
            path,
            spooled,
            sha256: hex(&input.sha256.finalize()),
        })
    }

    /// The rows, in order, read as they are asked for.
    fn rows(&self) -> Result<Rows> {
        Ok(match self {
            Senders::One(sender) => Rows::One(Some(SenderRow {
                row: 1,
                line: 0,
                sender: sender.clone(),
                ..SenderRow::default()
            })),
            Senders::Csv { path, spooled, .. } => Rows::Csv(csv_reader(path, spooled.as_ref())?),
        })
    }

    /// A reader of the senders file from its first row; `None` for one sender.
    pub fn reader(&self) -> Result<Option<SenderReader>> {
        match self {
            Senders::One(_) => Ok(None),
            Senders::Csv { path, spooled, .. } => csv_reader(path, spooled.as_ref()).map(Some),
        }
    }

    fn is_csv(&self) -> bool {
        matches!(self, Senders::Csv { .. })
    }

    /// Who the letters are from, for the manifest: a digest, not the details.
    fn record(&self) -> String {
        match self {
            Senders::Csv { sha256, .. } => format!("csv sha256:{}", &sha256[..16]),
            Senders::One(sender) => {
                let json = serde_json::to_vec(sender).expect("a sender serialises");
                format!("sender sha256:{}", short_digest(&json))
            }
        }
    }
}

fn senders_error(path: &Path, err: &std::io::Error) -> Error {
    match err.kind() {
        std::io::ErrorKind::FileTooLarge => Error::data(format!("{}: {err}", path.display()))
            .with_help("--senders takes a CSV file of one row per sender"),
        _ => Error::read(path, err),
    }
}

/// Reads through, hashing what is read.
struct Hashing<R> {
    inner: R,
    sha256: sha2::Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha256.update(&buf[..n]);
        Ok(n)
    }
}

/// Senders being read.
enum Rows {
    One(Option<SenderRow>),
    Csv(SenderReader),
}

impl Rows {
    fn next_row(&mut self) -> Option<Result<SenderRow, BadRow>> {
        match self {
            Rows::One(row) => row.take().map(Ok),
            Rows::Csv(reader) => reader.next_row(),
        }
    }

    fn width(&self) -> usize {
        match self {
            Rows::One(_) => 1,
            Rows::Csv(reader) => reader.width(),
        }
    }
}

/// Who each letter goes to.
pub enum Recipients<'c> {
    /// The same missions for every sender (`--to`, `--country`, `--all`).
    Fixed(Vec<&'c Mission>),
    /// The mission in each sender's own country.
    SenderCountry,
}

/// Where the rendered letters go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    File(PathBuf),
    /// One file per letter, named from `pattern` (Handlebars), with a manifest.
    Dir {
        dir: PathBuf,
        pattern: Option<String>,
    },
}

pub struct Plan<'c> {
    pub catalog: &'c Catalog,
    /// The letters, in the order they are written: the first to every sender
    /// and mission, then the next, so that the copies of one letter stay together.
    pub templates: Vec<&'c LetterTemplate>,
    pub senders: Senders,
    pub recipients: Recipients<'c>,
    pub date: Date,
    /// `--date` was given: a re-run does not take the date of the run it continues.
    pub date_given: bool,
    /// A personal paragraph for every letter (a CSV row's own replaces it).
    pub personal: Option<String>,
    pub cc: Vec<String>,
    /// Copy each letter to the mission in its sender's country.
    pub cc_embassy: bool,
    /// Replace existing files.
    pub force: bool,
    pub format: Format,
    pub options: RenderOptions,
    pub destination: Destination,
    /// A mission without an email is an error for email formats, not a skip.
    pub strict: bool,
    pub keep_going: bool,
    /// Threads; `None` uses every core.
    pub jobs: Option<usize>,
    pub dry_run: bool,
}

/// What a run did, for the summary line and `--json`.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub letters: usize,
    /// mailto links longer than some mail clients take.
    pub long_links: usize,
    pub written: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Letters not written because the run stopped first (a failure without
    /// `--keep-going`, a signal, a closed output), or made for a single
    /// output that was then left out whole.
    pub not_written: usize,
    /// The manifest, for `--out`.
    pub manifest: Option<PathBuf>,
}

/// One letter to make, or a row that cannot give one.
struct Job<'c> {
    /// Its place in the run, the same in both passes.
    index: usize,
    /// Which of the plan's letters.
    letter: usize,
    row: Arc<SenderRow>,
    /// `None` when the row itself is bad, or names no mission we know.
    mission: Option<&'c Mission>,
    /// Why the row cannot give a letter, found as it was read.
    problem: Option<Error>,
    /// Its name in the output directory, from the first pass.
    file_name: Option<Arc<str>>,
}

enum Outcome {
    Done {
        /// The rendered letter, for outputs that concatenate (mbox, mailto, one letter
        /// to a file or stdout); empty once written to its own file, or for a combined PDF.
        bytes: Vec<u8>,
        sha256: Option<String>,
        written: Option<Written>,
        /// A mailto link longer than some mail clients take.
        long_link: bool,
        /// The letter's pages, laid out, for a PDF that holds every letter of the run.
        pdf: Option<Box<render::pdf::PreparedLetter>>,
    },
    Skipped(String),
    Failed(Error),
    /// The run was asked to stop before this letter.
    NotAttempted,
}

/// Letters handled together: enough to keep both cores busy, few enough that
/// memory stays flat however long the batch.
const CHUNK: usize = 512;
/// Cells handled together: a chunk of rows thousands of columns wide holds
/// fewer rows, so memory stays flat with the width of a file as with its length.
const CHUNK_CELLS: usize = 32 * 1024;
/// Letters a dry run lists by name.
const LISTED: usize = 10;
/// Problems told one by one before the rest are only counted.
const PROBLEMS_SHOWN: usize = 20;

pub fn run(mut plan: Plan) -> Result<Summary> {
    interrupt::install();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs.unwrap_or(0))
        .build()
        .map_err(|err| Error::new(ErrorKind::Io, format!("cannot start threads: {err}")))?;
    let continues = resume(&mut plan)?;
    // The pool's threads, and with them their cached template data, end with the run.
    pool.install(|| run_passes(&plan, continues))
}

/// A run into a directory that holds an earlier one continues it: with its
/// date, unless `--date` says otherwise, and only with its inputs (or with
/// `--force`). True when the earlier manifest may be of this same run, so
/// that its lines are kept for letters this run does not make.
fn resume(plan: &mut Plan) -> Result<bool> {
    let Destination::Dir { dir, .. } = &plan.destination else {
        return Ok(false);
    };
    let Some(previous) = manifest::previous(dir) else {
        return Ok(false);
    };
    if !previous.has_letters {
        return Ok(false);
    }
    // Written by a version that did not record its runs: kept where it is true.
    let Some(earlier) = previous.run else {
        return Ok(true);
    };
    let mut dated_earlier = false;
    if !plan.date_given && earlier.date != plan.date.to_string() {
        if let Ok(date) = Date::parse(&earlier.date) {
            plan.date = date;
            dated_earlier = true;
        }
    }
    let differences = plan.run_record().differences(&earlier);
    if differences.is_empty() {
        if dated_earlier {
            crate::notice::note(format!(
                "note: continuing the run of {} recorded in {}: its letters keep that date \
                 (pass --date to date them otherwise)",
                earlier.date,
                crate::text::escape_for_terminal(&previous.path.display().to_string())
            ));
        }
        return Ok(true);
    }
    if plan.force {
        return Ok(false);
    }
    Err(manifest::another_run(dir, &differences))
}

fn run_passes(plan: &Plan, continues: bool) -> Result<Summary> {
    let first = first_pass(plan)?;
    let total = first.count;
    if total == 0 {
        return Err(Error::usage(
            "no letters to write: the senders file has no rows",
        ));
    }
    check_destination(total, plan.format, &plan.destination)?;
    if first.no_email > 0 && first.no_email == total - first.skip.len() {
        return Err(nothing_to_send(&first));
    }
    if plan.dry_run {
        return dry_run(plan, first);
    }
    second_pass(plan, first, continues)
}

/// Refuses `total` letters to one output that cannot hold more than one.
pub fn check_destination(total: usize, format: Format, destination: &Destination) -> Result<()> {
    match destination {
        Destination::Stdout | Destination::File(_) if total > 1 && !format.concatenates() => Err(
            Error::usage(format!("{total} letters need a directory: pass --out DIR")).with_help(
                match format {
                    Format::Pdf => "or --combine FILE for one print-ready PDF",
                    _ => "or --format mbox for one file of email drafts",
                },
            ),
        ),
        _ => Ok(()),
    }
}

/// What the first pass learned: enough to write, or to show the plan.
struct FirstPass {
    count: usize,
    /// Every letter's file name, by its index (for a directory; empty otherwise).
    names: Vec<Option<Arc<str>>>,
    /// The missions written to, in the order first met.
    missions: Vec<String>,
    /// The first few letters, as `--dry-run` lists them.
    listed: Vec<Listed>,
    /// The first letter, composed, for `--dry-run` to show.
    first_letter: Option<Letter>,
    /// Letters that cannot be made, by index, and why (with `--keep-going`).
    skip: HashMap<usize, String>,
    /// Letters to email to a mission without an address.
    no_email: usize,
    /// The first of them, for the message when every letter is one.
    /// The first such mission, and whether it has a postal address.
    no_email_mission: Option<(String, bool)>,
}

/// Checks every row and every letter, and names every file, before anything
/// is written: every letter is composed and checked for its format (an
/// address an email cannot carry, a character the PDF font lacks), so that
/// a problem on row 700 stops the run before row 1 is written. Every
/// problem is told, in the order of the rows, whatever the threads.
fn first_pass(plan: &Plan) -> Result<FirstPass> {
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
    // Each name, as the file systems that ignore case compare it, and the
    // letter that took it first: its row, description and name as written.
    let mut seen: HashMap<String, (usize, String, Arc<str>)> = HashMap::new();
    let mut first = FirstPass {
        count: 0,
        names: Vec::new(),
        missions: Vec::new(),
        listed: Vec::new(),
        first_letter: None,
        skip: HashMap::new(),
        no_email: 0,
        no_email_mission: None,
    };
    let mut problems = Problems::default();
    in_chunks(plan, |jobs| {
        // Composing, checking and naming are the costly part: done on every
        // core, gathered in order.
        let checked: Vec<Checked> = jobs
            .par_iter()
            .map(|job| check_job(plan, namers.get(job.letter), job))
            .collect();
        for (job, checked) in jobs.iter_mut().zip(checked) {
            first.count += 1;
            let mut name = None;
            let checked = match job.problem.take() {
                Some(problem) => Err(Problem::Row(problem)),
                None => checked,
            };
            let problem = match checked {
                Ok((letter, file_name)) => {
                    let mission = job.mission.expect("a checked letter has a mission");
                    if first.first_letter.is_none() {
                        first.first_letter = letter;
                    }
                    if plan.format.is_email() && mission.email.is_none() {
                        first.no_email += 1;
                        first
                            .no_email_mission
                            .get_or_insert_with(|| (mission.id.clone(), mission.address.is_some()));
                    }
                    // What a dry run shows; a real run needs only the count and names.
                    if plan.dry_run && !first.missions.contains(&mission.id) {
                        first.missions.push(mission.id.clone());
                    }
                    if plan.dry_run && first.listed.len() < LISTED {
                        first.listed.push(Listed {
                            letter: plan.templates[job.letter].front.id.clone(),
                            sender: job.row.sender.name.clone(),
                            mission: mission.id.clone(),
                        });
                    }
                    match file_name.map(Arc::<str>::from) {
                        Some(file_name) => match seen.get(&naming::collision_key(&file_name)) {
                            Some((row, earlier, earlier_name)) => {
                                let (names, same) = if **earlier_name == *file_name {
                                    (format!("`{file_name}`"), "")
                                } else {
                                    (
                                        format!("`{earlier_name}` and `{file_name}`"),
                                        ", one file where case is ignored (macOS, Windows)",
                                    )
                                };
                                let which = match plan.templates.len() == 1 && plan.senders.is_csv()
                                {
                                    true => format!("rows {row} and {}", job.row.row),
                                    false => format!("{earlier} and {}", described(plan, job)),
                                };
                                Some(
                                    Error::data(format!(
                                        "two letters would be written to {names} ({which}){same}"
                                    ))
                                    .with_help(match plan.templates.len() {
                                        1 => "make --file-name give each letter its own name, e.g. add {{row}}",
                                        _ => "make --file-name give each letter its own name, e.g. add {{letter.id}} and {{row}}",
                                    }),
                                )
                            }
                            None => {
                                seen.insert(
                                    naming::collision_key(&file_name),
                                    (job.row.row, described(plan, job), file_name.clone()),
                                );
                                name = Some(file_name);
                                None
                            }
                        },
                        None => None,
                    }
                }
                Err(Problem::Run(err)) => return Err(err),
                Err(Problem::Row(err)) => Some(err),
            };
            if !namers.is_empty() {
                first.names.push(name);
            }
            if let Some(problem) = problem {
                if plan.keep_going {
                    first.skip.insert(job.index, problem.message.clone());
                }
                problems.add(problem);
            }
        }
        Ok(true)
    })?;
    if !problems.is_empty() {
        if !plan.keep_going {
            return Err(problems.into_error());
        }
        eprintln!("{}", problems.into_warning());
    }
    Ok(first)
}

/// A letter as `--dry-run` lists it.
struct Listed {
    letter: String,
    sender: String,
    mission: String,
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

/// A letter checked: the letter (the first, which a dry run shows) and its file name.
type Checked = Result<(Option<Letter>, Option<String>), Problem>;

/// Composes one letter and checks it as its format will need it.
fn check_job(plan: &Plan, namer: Option<&Namer>, job: &Job) -> Checked {
    if job.problem.is_some() {
        return Ok((None, None));
    }
    let mission = job.mission.expect("a row without a problem has a mission");
    let name = name_of(namer, job).map_err(Problem::Run)?;
    if plan.format.is_email() && mission.email.is_none() {
        if plan.strict {
            return Err(Problem::Row(no_email_error(mission)));
        }
        // Skipped when written, with a warning: nothing of it to check.
        return Ok((None, name));
    }
    let letter = compose_job(plan, job).map_err(Problem::Row)?;
    check_letter(plan, &letter).map_err(|err| Problem::Row(at_job(plan, job, err)))?;
    Ok((plan.dry_run.then_some(letter), name))
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
/// that is high (a PDF is laid out, not written).
fn check_letter(plan: &Plan, letter: &Letter) -> Result<()> {
    let pdf = || render::pdf::layout_letter(letter, &plan.options.pdf).map(drop);
    match plan.format {
        Format::Text => Ok(()),
        Format::Pdf => pdf(),
        Format::Eml | Format::Mbox | Format::Mailto => {
            let without_attachment = RenderOptions {
                attach_pdf: false,
                ..plan.options.clone()
            };
            render::render(plan.format, letter, &without_attachment)?;
            match plan.options.attach_pdf {
                true => pdf(),
                false => Ok(()),
            }
        }
    }
}

/// The problems of a run, told together: the first [`PROBLEMS_SHOWN`] in
/// full, then how many more.
#[derive(Default)]
struct Problems {
    shown: Vec<Error>,
    more: usize,
}

impl Problems {
    fn add(&mut self, problem: Error) {
        if self.shown.len() < PROBLEMS_SHOWN {
            self.shown.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    fn count(&self) -> usize {
        self.shown.len() + self.more
    }

    /// One problem is its own error; several are listed one a line, like
    /// a compiler's, and end with what to do.
    fn into_error(mut self) -> Error {
        if self.count() == 1 {
            return self.shown.remove(0);
        }
        let count = self.count();
        let kind = match self.shown.iter().all(|p| p.kind == self.shown[0].kind) {
            true => self.shown[0].kind,
            false => ErrorKind::Data,
        };
        let mut message = self.list();
        message.push_str(&format!(
            "error: {count} letters cannot be made; nothing was written"
        ));
        Error::new(kind, message).with_help(
            "correct them and run the command again, or pass --keep-going to write the other \
             letters and leave these out",
        )
    }

    /// With `--keep-going`: said, and the run goes on without them.
    fn into_warning(self) -> String {
        let mut text = String::from("error: ");
        text.push_str(&self.list());
        text.push_str(&format!(
            "warning: {} cannot be made and will be skipped (--keep-going)",
            crate::text::count(self.count(), "letter")
        ));
        crate::text::escape_message(&text).into_owned()
    }

    /// Every shown problem, the first without its `error: `, each with its
    /// help unless the one before said the same.
    fn list(&self) -> String {
        let mut out = String::new();
        let mut last_help = None;
        for (i, problem) in self.shown.iter().enumerate() {
            if i > 0 {
                out.push_str("error: ");
            }
            out.push_str(&problem.message);
            out.push('\n');
            if let Some(help) = problem.help.as_deref().filter(|h| Some(*h) != last_help) {
                out.push_str(&format!("  help: {help}\n"));
            }
            last_help = problem.help.as_deref();
        }
        if self.more > 0 {
            out.push_str(&format!("error: … and {} more\n", self.more));
        }
        out
    }
}

/// Every letter would go by email to a mission without an address.
fn nothing_to_send(first: &FirstPass) -> Error {
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

/// Hands `each` the letters to make, a chunk at a time and in order, while
/// the next chunk is read: reading the senders is serial, and would
/// otherwise leave the other cores waiting. Stops when `each` says false.
fn in_chunks<'c>(
    plan: &Plan<'c>,
    mut each: impl FnMut(&mut Vec<Job<'c>>) -> Result<bool> + Send,
) -> Result<()> {
    let mut at = Position {
        rows: plan.senders.rows()?,
        letter: 0,
        index: 0,
    };
    let mut jobs = next_jobs(plan, &mut at)?;
    while !jobs.is_empty() {
        let (go_on, next) = rayon::join(|| each(&mut jobs), || next_jobs(plan, &mut at));
        if !go_on? {
            return Ok(());
        }
        jobs = next?;
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
        match plan.missions_for(&row) {
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

fn second_pass(plan: &Plan, first: FirstPass, continues: bool) -> Result<Summary> {
    let total = first.count;
    let _writing = interrupt::writing();
    let mut sink = Sink::open(plan, continues)?;
    let progress = progress_bar(total);
    let mut summary = Summary {
        letters: total,
        manifest: sink.manifest.as_ref().map(|_| match &plan.destination {
            Destination::Dir { dir, .. } => dir.join(manifest::FILE_NAME),
            _ => unreachable!("a manifest is only kept with a directory"),
        }),
        ..Summary::default()
    };
    let watch_stdout = plan.writes_to_stdout();
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
    result?;
    let finished = match (finished, &first_error) {
        // The letter's failure is the one to end with; the manifest's is said too.
        (Err(err), Some(_)) => Err(Some(err)),
        (Err(err), None) => return Err(err),
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
    if let Some(stop) = stop {
        return Err(stop);
    }
    match first_error {
        Some(err) if !plan.keep_going => Err(err),
        _ if summary.failed + first.skip.len() > 0 => Err(Error::new(
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
        _ => Ok(summary),
    }
}

fn interrupted(signal: i32) -> Error {
    Error::new(
        ErrorKind::Interrupted(signal),
        format!(
            "interrupted by {}: the letters written so far are whole and recorded; \
             no temporary file is left",
            interrupt::name(signal)
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

fn no_email_error(mission: &Mission) -> Error {
    Error::data(format!("{}: no email address in the directory", mission.id))
        .with_help("leave out --strict to skip such missions")
}

/// An error of a row of a senders file, said with its file, line and row.
fn at_row(plan: &Plan, row: &SenderRow, err: Error) -> Error {
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
fn at_job(plan: &Plan, job: &Job, err: Error) -> Error {
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

fn compose_job(plan: &Plan, job: &Job) -> Result<Letter> {
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
                Entry::Vacant(place) => place.insert(MissionData::new(
                    plan.catalog,
                    template,
                    mission,
                    plan.date,
                    Facts::Checked,
                )?),
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
    /// Workers belong to the pool [`run`] makes, so this ends with the run.
    static MISSION_DATA: RefCell<HashMap<(usize, usize), MissionData>> = RefCell::new(HashMap::new());
}

impl<'c> Plan<'c> {
    fn missions_for(&self, row: &SenderRow) -> Result<Vec<&'c Mission>> {
        match &self.recipients {
            Recipients::Fixed(missions) => Ok(missions.clone()),
            Recipients::SenderCountry => {
                let at_row = |err: Error| at_row(self, row, err);
                let Some(country) = row
                    .sender
                    .country
                    .as_deref()
                    .filter(|c| !c.trim().is_empty())
                else {
                    return Err(at_row(Error::usage("who is the letter to? the sender has no country").with_help(
                        "pass --to ID, --country COUNTRY or --all, or give each sender a country",
                    )));
                };
                let code = self.catalog.country_code(country).map_err(at_row)?;
                Ok(vec![self
                    .catalog
                    .mission_for_country(&code)
                    .map_err(at_row)?])
            }
        }
    }

    fn destination_pattern(&self) -> Option<&str> {
        match &self.destination {
            Destination::Dir { pattern, .. } => Some(pattern.as_deref().unwrap_or(
                match (self.senders.is_csv(), self.templates.len()) {
                    (false, _) => "{{letter.id}}-{{embassy.id}}",
                    (true, 1) => "{{embassy.id}}-{{sender.name}}",
                    (true, _) => "{{letter.id}}-{{embassy.id}}-{{sender.name}}",
                },
            )),
            _ => None,
        }
    }

    fn writes_to_stdout(&self) -> bool {
        match &self.destination {
            Destination::Stdout => true,
            Destination::File(path) => ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
                .contains(&path.to_string_lossy().as_ref()),
            Destination::Dir { .. } => false,
        }
    }

    /// The inputs that decide the letters and their names, for the manifest.
    fn run_record(&self) -> RunRecord {
        let recipients = match &self.recipients {
            Recipients::Fixed(missions) => missions
                .iter()
                .map(|m| m.id.as_str())
                .collect::<Vec<_>>()
                .join(","),
            Recipients::SenderCountry => "each sender's country".into(),
        };
        // Only what was given: the record stays short, and says what the user said.
        let pdf = &self.options.pdf;
        let mut options = BTreeMap::new();
        let mut given = |key: &str, value: Option<String>| {
            if let Some(value) = value {
                options.insert(key.to_string(), value);
            }
        };
        let pattern = match &self.destination {
            Destination::Dir { pattern, .. } => pattern.clone(),
            _ => None,
        };
        given("--file-name", pattern);
        given(
            "--paper",
            pdf.paper.map(|p| format!("{p:?}").to_lowercase()),
        );
        given("--fold-marks", pdf.fold_marks.then(|| "yes".into()));
        given(
            "--attach-pdf",
            self.options.attach_pdf.then(|| "yes".into()),
        );
        given("--cc", (!self.cc.is_empty()).then(|| self.cc.join(", ")));
        given("--cc-embassy", self.cc_embassy.then(|| "yes".into()));
        // --lang picks the same language of every letter of the run.
        given(
            "--lang",
            self.templates
                .iter()
                .find(|t| t.variant.is_some())
                .map(|t| t.front.language.clone()),
        );
        given(
            "--personal",
            self.personal
                .as_deref()
                .map(|text| format!("sha256:{}", short_digest(text.as_bytes()))),
        );
        RunRecord {
            date: self.date.to_string(),
            letter: self
                .templates
                .iter()
                .map(|t| t.front.id.as_str())
                .collect::<Vec<_>>()
                .join(","),
            recipients,
            senders: self.senders.record(),
            format: self.format.name().into(),
            options,
        }
    }
}

/// Where rendered letters are put as they come.
struct Sink {
    dir: Option<OutputDir>,
    manifest: Option<Manifest>,
    /// Every letter's mbox message or mailto link, for a file or stdout,
    /// written to its place only when the run is complete.
    spool: Option<AtomicFile>,
    /// One letter, for a file or stdout.
    single: Vec<u8>,
    /// For a PDF to a file or stdout: pages are written as letters come, into
    /// `pdf_bytes`, which goes to the spool a megabyte at a time.
    pdf: Option<render::pdf::PdfWriter>,
    pdf_bytes: Vec<u8>,
}

impl Sink {
    fn open(plan: &Plan, continues: bool) -> Result<Sink> {
        let mut sink = Sink {
            dir: None,
            manifest: None,
            spool: None,
            single: Vec::new(),
            pdf: None,
            pdf_bytes: Vec::new(),
        };
        if matches!(plan.format, Format::Mbox | Format::Mailto | Format::Pdf) {
            sink.spool = match &plan.destination {
                Destination::File(path) => Some(AtomicFile::create(path, plan.force)?),
                Destination::Stdout => Some(AtomicFile::stdout()),
                Destination::Dir { .. } => None,
            };
        }
        if plan.format == Format::Pdf && sink.spool.is_some() {
            sink.pdf = Some(render::pdf::PdfWriter::new(
                &plan.options.pdf,
                &mut sink.pdf_bytes,
            ));
        }
        if let Destination::Dir { dir, .. } = &plan.destination {
            output::ensure_dir(dir)?;
            // A run that was killed may have left its temporary files.
            output::remove_stale_temporaries(dir);
            sink.manifest = Some(Manifest::create(dir, plan.run_record(), continues)?);
            sink.dir = Some(OutputDir::open(dir).map_err(|err| Error::write(dir, &err))?);
        }
        Ok(sink)
    }

    /// Counts and keeps what became of a letter; returns its error if it failed.
    fn record(
        &mut self,
        job: &Job,
        outcome: Outcome,
        manifest_line: Option<String>,
        skipped_for_data: bool,
        summary: &mut Summary,
    ) -> Result<Option<Error>> {
        if let Some(manifest) = &mut self.manifest {
            let letter = manifest::Letter {
                letter: job.letter,
                row: job.row.row,
                recipient: job.mission.map(|m| m.id.as_str()),
            };
            match manifest_line {
                Some(line) => {
                    let good = matches!(outcome, Outcome::Done { .. });
                    manifest.record(&letter, line, good)?;
                }
                None => manifest.keep_earlier(&letter)?,
            }
        }
        match outcome {
            Outcome::Done {
                bytes,
                written,
                long_link,
                pdf,
                ..
            } => {
                summary.long_links += usize::from(long_link);
                match written {
                    Some(Written::Unchanged) => summary.unchanged += 1,
                    _ => summary.written += 1,
                }
                if self.dir.is_none() {
                    self.append(bytes, pdf)?;
                }
                Ok(None)
            }
            Outcome::Skipped(reason) => {
                summary.skipped += 1;
                if !skipped_for_data {
                    let mission = job.mission.map_or("", |m| m.id.as_str());
                    crate::notice::warn(format_args!(
                        "skipped {}: {reason}",
                        crate::text::escape_for_terminal(mission)
                    ));
                }
                Ok(None)
            }
            Outcome::Failed(err) => {
                summary.failed += 1;
                Ok(Some(err))
            }
            Outcome::NotAttempted => Ok(None),
        }
    }

    /// Adds one rendered letter to the output.
    fn append(
        &mut self,
        bytes: Vec<u8>,
        pdf: Option<Box<render::pdf::PreparedLetter>>,
    ) -> Result<()> {
        if let (Some(pages), Some(writer), Some(spool)) = (pdf, &mut self.pdf, &mut self.spool) {
            writer.add(*pages, &mut self.pdf_bytes);
            if self.pdf_bytes.len() > 1 << 20 {
                spool.write_all(&self.pdf_bytes)?;
                self.pdf_bytes.clear();
            }
            return Ok(());
        }
        // An mbox message comes framed from the worker that rendered it.
        match &mut self.spool {
            Some(spool) => spool.write_all(&bytes)?,
            None => self.single = bytes,
        }
        Ok(())
    }

    /// `complete`: every letter was made (or skipped as asked), so a single
    /// output may be put in place; otherwise it is left out altogether.
    /// `stopped`: some letters were never made.
    fn finish(
        mut self,
        plan: &Plan,
        complete: bool,
        stopped: bool,
        summary: &Summary,
    ) -> Result<()> {
        if let Some(manifest) = self.manifest.take() {
            return manifest.commit(stopped);
        }
        if !complete || summary.written == 0 {
            return Ok(());
        }
        if let Some(pdf) = self.pdf.take() {
            pdf.finish(&mut self.pdf_bytes)?;
        }
        if let Some(mut spool) = self.spool.take() {
            spool.write_all(&self.pdf_bytes)?;
            return spool.commit();
        }
        let bytes = std::mem::take(&mut self.single);
        match &plan.destination {
            Destination::File(path) => {
                output::write_file(path, &bytes, plan.force)?;
            }
            _ => output::write_stdout(&bytes)?,
        }
        Ok(())
    }
}

/// One line of `manifest.jsonl`: what became of a letter, and where it is.
/// What is not known is left out, never null (docs/json.md).
#[derive(serde::Serialize)]
struct ManifestEntry<'a> {
    schema: &'static str,
    row: usize,
    letter: &'a str,
    /// Unknown for a row that names no mission we know.
    #[serde(skip_serializing_if = "Option::is_none")]
    mission: Option<&'a str>,
    /// Unknown for a row that cannot be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    sender: Option<SenderName<'a>>,
    format: Format,
    /// A skipped letter has no file.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<&'a str>,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

/// The sender as a manifest records it: the `sender` object of the other
/// documents, with the name alone (a manifest keeps no more of a person).
#[derive(serde::Serialize)]
struct SenderName<'a> {
    name: &'a str,
}

fn manifest_line(plan: &Plan, job: &Job, outcome: &Outcome) -> String {
    let (status, reason, sha256) = match outcome {
        Outcome::Done {
            sha256, written, ..
        } => {
            let status = match written {
                Some(Written::Created) | None => "written",
                Some(Written::Replaced) => "replaced",
                Some(Written::Unchanged) => "unchanged",
            };
            (status, None, sha256.as_deref())
        }
        Outcome::Skipped(reason) => ("skipped", Some(reason.as_str()), None),
        Outcome::Failed(err) => ("failed", Some(err.message.as_str()), None),
        Outcome::NotAttempted => unreachable!("a letter not attempted is not recorded"),
    };
    let entry = ManifestEntry {
        schema: crate::SCHEMA,
        row: job.row.row,
        letter: &plan.templates[job.letter].front.id,
        mission: job.mission.map(|m| m.id.as_str()),
        sender: Some(job.row.sender.name.as_str())
            .filter(|name| !name.is_empty())
            .map(|name| SenderName { name }),
        format: plan.format,
        path: job.file_name.as_deref().filter(|_| status != "skipped"),
        sha256,
        status,
        reason,
    };
    let mut line = Vec::with_capacity(512);
    serde_json::to_writer(&mut line, &entry).expect("a manifest entry serialises");
    line.push(b'\n');
    String::from_utf8(line).expect("JSON is UTF-8")
}

/// Enough of a SHA-256 to tell one input from another.
fn short_digest(bytes: &[u8]) -> String {
    let mut digest = hex(&sha2::Sha256::digest(bytes));
    digest.truncate(16);
    digest
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

/// "N letters in DIR: … written, … already there, … skipped, … failed", and
/// how many were never made, which adds the counts up to N.
fn summary_line(plan: &Plan, s: &Summary, stopped_by_failure: bool) -> String {
    let place = match &plan.destination {
        Destination::Dir { dir, .. } => format!(" in {}", dir.display()),
        Destination::File(path) => format!(" to {}", path.display()),
        Destination::Stdout => String::new(),
    };
    let mut line = format!(
        "{}{place}: {} written, {} already there, {} skipped, {} failed",
        crate::text::count(s.letters, "letter"),
        s.written,
        s.unchanged,
        s.skipped,
        s.failed
    );
    if s.not_written > 0 {
        line.push_str(&format!(", {} not written", s.not_written));
        if stopped_by_failure {
            line.push_str(" (--keep-going writes them despite the failure)");
        }
    }
    line
}

/// Prints the plan and the first letter in full, and writes nothing.
fn dry_run(plan: &Plan, first: FirstPass) -> Result<Summary> {
    let total = first.count;
    let mut out = String::new();
    let names: Vec<&Arc<str>> = first.names.iter().flatten().collect();
    for (i, listed) in first.listed.iter().enumerate() {
        let target = match names.get(i) {
            Some(name) => format!(" -> {name}"),
            None => String::new(),
        };
        let letter = match plan.templates.len() {
            1 => String::new(),
            _ => format!("{}: ", listed.letter),
        };
        out.push_str(&format!(
            "  {letter}{} to {}{target}\n",
            listed.sender, listed.mission
        ));
    }
    if total > first.listed.len() {
        out.push_str(&format!("  … and {} more\n", total - first.listed.len()));
    }
    let destination = match &plan.destination {
        Destination::Dir { dir, .. } => format!("files in {}", dir.display()),
        Destination::File(path) => path.display().to_string(),
        Destination::Stdout => "standard output".into(),
    };
    let missions = first.missions.len();
    let of_letters = match plan.templates.len() {
        1 => String::new(),
        _ => format!(
            "  In this order, the letters {}\n",
            plan.templates
                .iter()
                .map(|t| t.front.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut text = format!(
        "Would write {} ({}) to {}, to {destination}:\n{of_letters}{out}",
        crate::text::count(total, "letter"),
        plan.format.name(),
        crate::text::count(missions, "mission"),
    );
    if let Some(letter) = &first.first_letter {
        text.push_str("\nThe first letter:\n\n");
        text.push_str(&render::text::render(letter));
    }
    output::write_stdout(text.as_bytes())?;
    Ok(Summary {
        letters: total,
        ..Summary::default()
    })
}
