//! Running a write: every (sender, mission) pair composed, rendered and
//! written, in parallel, in bounded memory, with the same bytes whatever the
//! number of threads.
//!
//! A run reads its senders twice. The first pass checks every row, resolves
//! every recipient and names every file, so that bad data or two letters
//! with the same name stop the run before anything is written. The second
//! pass works through the jobs a chunk at a time: composed and rendered in
//! parallel, written atomically, and recorded in order in the manifest.

pub mod headers;
pub mod naming;
pub mod senders;

use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use sha2::Digest;

use crate::catalog::{Catalog, LetterTemplate, Mission, Sender};
use crate::compose::{compose_with, date::Date, Letter, MissionData, Request};
use crate::error::{Error, ErrorKind, Result};
use crate::output::{self, AtomicFile, OutputDir, Written};
use crate::render::{self, Format, RenderOptions};
use naming::Namer;
use senders::{SenderReader, SenderRow};

/// Where senders come from.
pub enum Senders {
    One(Sender),
    /// A CSV file; `-` is standard input, read once into memory so it can be read twice.
    Csv {
        path: PathBuf,
        stdin: Option<Arc<[u8]>>,
    },
}

impl Senders {
    pub fn csv(path: PathBuf) -> Result<Senders> {
        if path != Path::new("-") {
            return Ok(Senders::Csv { path, stdin: None });
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|err| Error::read(Path::new("<stdin>"), &err))?;
        Ok(Senders::Csv {
            path,
            stdin: Some(bytes.into()),
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
            Senders::Csv { path, stdin } => Rows::Csv(match stdin {
                Some(bytes) => SenderReader::from_bytes(bytes.clone())?,
                None => SenderReader::open(path)?,
            }),
        })
    }

    fn is_csv(&self) -> bool {
        matches!(self, Senders::Csv { .. })
    }
}

/// Senders being read.
enum Rows {
    One(Option<SenderRow>),
    Csv(SenderReader),
}

impl Rows {
    fn next_row(&mut self) -> Option<Result<SenderRow>> {
        match self {
            Rows::One(row) => row.take().map(Ok),
            Rows::Csv(reader) => reader.next_row(),
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
    pub template: &'c LetterTemplate,
    pub senders: Senders,
    pub recipients: Recipients<'c>,
    pub date: Date,
    /// A personal paragraph for every letter (a CSV row's own replaces it).
    pub personal: Option<String>,
    pub cc: Vec<String>,
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
}

/// One letter to make.
struct Job<'c> {
    row: Arc<SenderRow>,
    mission: &'c Mission,
    /// Its name in the output directory, from the first pass.
    file_name: Option<Arc<str>>,
}

enum Outcome {
    /// `letter` is kept for outputs that gather letters (mbox, combined PDF).
    Done {
        /// The rendered letter, for outputs that concatenate (mbox, mailto, one letter
        /// to a file or stdout); empty once written to its own file, or for a combined PDF.
        bytes: Vec<u8>,
        sha256: Option<String>,
        written: Option<Written>,
        /// A mailto link longer than some mail clients take.
        long_link: bool,
        letter: Option<Box<Letter>>,
    },
    Skipped(String),
    Failed(Error),
}

/// Jobs handled together: enough to keep both cores busy, few enough that
/// memory stays flat however long the batch.
const CHUNK: usize = 512;

pub fn run(plan: &Plan) -> Result<Summary> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs.unwrap_or(0))
        .build()
        .map_err(|err| Error::new(ErrorKind::Io, format!("cannot start threads: {err}")))?;
    // The pool's threads, and with them their cached template data, end with the run.
    pool.install(|| run_passes(plan))
}

fn run_passes(plan: &Plan) -> Result<Summary> {
    let first = first_pass(plan)?;
    let total = first.count;
    if total == 0 {
        return Err(Error::usage(
            "no letters to write: the senders file has no rows",
        ));
    }
    check_destination(total, plan.format, &plan.destination)?;
    if plan.dry_run {
        return dry_run(plan, first);
    }
    second_pass(plan, first)
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
    /// Every letter's file name, in order (for a directory; empty otherwise).
    names: Vec<Arc<str>>,
    /// The missions written to, in the order first met.
    missions: Vec<String>,
    /// The first few letters, as `--dry-run` lists them: sender and mission.
    listed: Vec<(String, String)>,
    /// The first letter, composed: a template that cannot make one letter
    /// cannot make any, and `--dry-run` shows it.
    first_letter: Option<Letter>,
}

/// Letters a dry run lists by name.
const LISTED: usize = 10;

/// Checks every row and names every file before anything is written. Errors
/// come in the order of the rows, whatever the threads.
fn first_pass(plan: &Plan) -> Result<FirstPass> {
    let namer = plan
        .destination_pattern()
        .map(|pattern| Namer::new(pattern, plan.template, plan.format.extension()))
        .transpose()?;
    let mut seen: HashMap<Arc<str>, usize> = HashMap::new();
    let mut first = FirstPass {
        count: 0,
        names: Vec::new(),
        missions: Vec::new(),
        listed: Vec::new(),
        first_letter: None,
    };
    in_chunks(plan, |jobs| {
        // Naming is the costly part: done on every core, checked in order.
        let names: Vec<Result<String>> = match &namer {
            Some(namer) => jobs
                .par_iter()
                .map(|job| namer.name(&job.row, job.mission))
                .collect(),
            None => Vec::new(),
        };
        let mut names = names.into_iter();
        for job in jobs.iter() {
            if plan.strict && plan.format.is_email() && job.mission.email.is_none() {
                return Err(no_email_error(job.mission));
            }
            if first.first_letter.is_none() {
                first.first_letter = Some(compose_job(plan, job)?);
            }
            first.count += 1;
            // What a dry run shows; a real run needs only the count and names.
            if plan.dry_run && !first.missions.contains(&job.mission.id) {
                first.missions.push(job.mission.id.clone());
            }
            if plan.dry_run && first.listed.len() < LISTED {
                first
                    .listed
                    .push((job.row.sender.name.clone(), job.mission.id.clone()));
            }
            if let Some(name) = names.next() {
                let name: Arc<str> = name?.into();
                if let Some(earlier) = seen.insert(name.clone(), job.row.row) {
                    return Err(Error::data(format!(
                        "two letters would be written to `{name}` (rows {earlier} and {})",
                        job.row.row
                    ))
                    .with_help(
                        "make --file-name give each letter its own name, e.g. add {{row}}",
                    ));
                }
                first.names.push(name);
            }
        }
        Ok(true)
    })?;
    Ok(first)
}

/// Hands `each` the letters to make, a chunk at a time and in order, while
/// the next chunk is read: reading the senders is serial, and would
/// otherwise leave the other cores waiting. Stops when `each` says false.
fn in_chunks<'c>(
    plan: &Plan<'c>,
    mut each: impl FnMut(&mut Vec<Job<'c>>) -> Result<bool> + Send,
) -> Result<()> {
    let mut rows = plan.senders.rows()?;
    let mut jobs = next_jobs(plan, &mut rows)?;
    while !jobs.is_empty() {
        let (go_on, next) = rayon::join(|| each(&mut jobs), || next_jobs(plan, &mut rows));
        // An error in this chunk comes before one in the rows after it.
        if !go_on? {
            return Ok(());
        }
        jobs = next?;
    }
    Ok(())
}

/// The next [`CHUNK`] or so letters to make, from as many rows as that takes.
fn next_jobs<'c>(plan: &Plan<'c>, rows: &mut Rows) -> Result<Vec<Job<'c>>> {
    let mut jobs = Vec::with_capacity(CHUNK);
    while jobs.len() < CHUNK {
        let Some(row) = rows.next_row() else {
            break;
        };
        let row = Arc::new(row?);
        for mission in plan.missions_for(&row)? {
            jobs.push(Job {
                row: row.clone(),
                mission,
                file_name: None,
            });
        }
    }
    Ok(jobs)
}

fn second_pass(plan: &Plan, first: FirstPass) -> Result<Summary> {
    let total = first.count;
    let mut names = first.names.into_iter();
    let mut sink = Sink::open(plan)?;
    let progress = progress_bar(total);
    let mut summary = Summary {
        letters: total,
        ..Summary::default()
    };
    let mut first_error: Option<Error> = None;
    let result = in_chunks(plan, |jobs| {
        if sink.dir.is_some() {
            for job in jobs.iter_mut() {
                job.file_name = names.next();
            }
        }
        // Making and describing each letter happen on the workers; only
        // the recording, in order, is left to this thread.
        let with_manifest = sink.manifest.is_some();
        let dir = sink.dir.as_ref();
        let outcomes: Vec<(Outcome, Option<String>)> = jobs
            .par_iter()
            .map(|job| {
                let outcome = make(plan, dir, job);
                let line = with_manifest.then(|| manifest_line(plan, job, &outcome));
                (outcome, line)
            })
            .collect();
        for (job, (outcome, line)) in jobs.iter().zip(outcomes) {
            if let Some(err) = sink.record(plan, job, outcome, line, &mut summary)? {
                if plan.keep_going {
                    eprintln!(
                        "error: {} to {}: {err}",
                        job.row.sender.name, job.mission.id
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
    sink.finish(plan, &summary)?;
    result?;
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
        crate::notice::note(summary_line(plan, &summary));
    }
    match first_error {
        Some(_) if plan.keep_going => Err(Error::new(
            ErrorKind::Partial,
            format!(
                "{} of {} failed",
                summary.failed,
                crate::table::count(summary.letters, "letter")
            ),
        )),
        Some(err) => Err(err),
        None => Ok(summary),
    }
}

/// Composes, renders and (for a directory) writes one letter.
fn make(plan: &Plan, dir: Option<&OutputDir>, job: &Job) -> Outcome {
    let letter = match compose_job(plan, job) {
        Ok(letter) => letter,
        Err(err) => return Outcome::Failed(err),
    };
    if plan.format.is_email() && letter.recipient.email.is_none() {
        return if plan.strict {
            Outcome::Failed(no_email_error(job.mission))
        } else {
            Outcome::Skipped("no email address".into())
        };
    }
    let gathered = dir.is_none() && matches!(plan.format, Format::Pdf | Format::Mbox);
    if gathered && plan.format == Format::Pdf {
        // A combined PDF is laid out once, from every letter, at the end.
        return Outcome::Done {
            bytes: Vec::new(),
            sha256: None,
            written: None,
            long_link: false,
            letter: Some(Box::new(letter)),
        };
    }
    let bytes = match render::render(plan.format, &letter, &plan.options) {
        Ok(bytes) => bytes,
        Err(err) => return Outcome::Failed(err),
    };
    let long_link =
        plan.format == Format::Mailto && bytes.len() > crate::render::email::MAILTO_WARN_LEN + 1;

    if let Some(dir) = dir {
        let Some(name) = &job.file_name else {
            // The first pass named every row it read; this one read more.
            return Outcome::Failed(
                Error::data("the senders file changed while the run was reading it")
                    .with_help("run the command again: letters already written are kept"),
            );
        };
        // Hashed here, on the worker thread, and not kept: memory stays flat.
        let sha256 = hex(&sha2::Sha256::digest(&bytes));
        return match dir.write(std::ffi::OsStr::new(&**name), &bytes, plan.force) {
            Ok(written) => Outcome::Done {
                bytes: Vec::new(),
                sha256: Some(sha256),
                written: Some(written),
                long_link,
                letter: None,
            },
            Err(err) => Outcome::Failed(err),
        };
    }
    Outcome::Done {
        bytes,
        sha256: None,
        written: None,
        long_link,
        letter: gathered.then(|| Box::new(letter)),
    }
}

fn no_email_error(mission: &Mission) -> Error {
    Error::data(format!("{}: no email address in the directory", mission.id))
        .with_help("leave out --strict to skip such missions")
}

fn compose_job(plan: &Plan, job: &Job) -> Result<Letter> {
    let personal = job.row.personal.as_deref().or(plan.personal.as_deref());
    let request = Request {
        template: plan.template,
        mission: job.mission,
        sender: &job.row.sender,
        date: plan.date,
        personal,
        cc: &plan.cc,
        extra: &job.row.extra,
        force: plan.force,
    };
    let mission = job.mission as *const Mission as usize;
    MISSION_DATA
        .with(|cell| {
            let mut missions = cell.borrow_mut();
            let data = match missions.entry(mission) {
                Entry::Occupied(cached) => cached.into_mut(),
                Entry::Vacant(place) => place.insert(MissionData::new(
                    plan.catalog,
                    plan.template,
                    job.mission,
                    plan.date,
                    plan.force,
                )?),
            };
            compose_with(plan.catalog, &request, data)
        })
        .map_err(|err| {
            if plan.senders.is_csv() {
                Error {
                    message: format!("row {}: {}", job.row.row, err.message),
                    ..err
                }
            } else {
                err
            }
        })
}

thread_local! {
    /// Each worker's template data for the missions it has written to, by
    /// the address of the [`Mission`] in the catalog: only the sender's part
    /// changes from one letter of a batch to the next, so the rest (mission,
    /// prisoners, demands, rendered texts) is built once per mission, not per
    /// letter, even when every sender writes to every mission (`--all`).
    /// Workers belong to the pool [`run`] makes, so this ends with the run.
    static MISSION_DATA: RefCell<HashMap<usize, MissionData>> = RefCell::new(HashMap::new());
}

impl<'c> Plan<'c> {
    fn missions_for(&self, row: &SenderRow) -> Result<Vec<&'c Mission>> {
        match &self.recipients {
            Recipients::Fixed(missions) => Ok(missions.clone()),
            Recipients::SenderCountry => {
                let at_row = |err: Error| match self.senders.is_csv() {
                    true => Error {
                        message: format!("row {}: {}", row.row, err.message),
                        ..err
                    },
                    false => err,
                };
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
            Destination::Dir { pattern, .. } => {
                Some(pattern.as_deref().unwrap_or(if self.senders.is_csv() {
                    "{{embassy.id}}-{{sender.name}}"
                } else {
                    "{{letter.id}}-{{embassy.id}}"
                }))
            }
            _ => None,
        }
    }
}

/// Where rendered letters are put as they come.
struct Sink {
    dir: Option<OutputDir>,
    manifest: Option<AtomicFile>,
    /// Concatenated output (mbox, mailto, one letter) for stdout or a file.
    stream: Vec<u8>,
    /// Where a long mbox or list of links goes as it grows, so memory stays flat.
    spool: Option<AtomicFile>,
    /// For a combined PDF: every letter, rendered together at the end.
    letters: Vec<Letter>,
}

impl Sink {
    fn open(plan: &Plan) -> Result<Sink> {
        let mut sink = Sink {
            dir: None,
            manifest: None,
            stream: Vec::new(),
            spool: None,
            letters: Vec::new(),
        };
        if let Destination::File(path) = &plan.destination {
            if matches!(plan.format, Format::Mbox | Format::Mailto) {
                sink.spool = Some(AtomicFile::create(path, plan.force)?);
            }
        }
        if let Destination::Dir { dir, .. } = &plan.destination {
            output::ensure_dir(dir)?;
            // A run that was killed may have left its temporary files.
            output::remove_stale_temporaries(dir);
            sink.manifest = Some(AtomicFile::create(&dir.join("manifest.jsonl"), true)?);
            sink.dir = Some(OutputDir::open(dir).map_err(|err| Error::write(dir, &err))?);
        }
        Ok(sink)
    }

    /// Counts and keeps what became of a letter; returns its error if it failed.
    fn record(
        &mut self,
        plan: &Plan,
        job: &Job,
        outcome: Outcome,
        manifest_line: Option<String>,
        summary: &mut Summary,
    ) -> Result<Option<Error>> {
        if let (Some(manifest), Some(line)) = (&mut self.manifest, manifest_line) {
            manifest.write_all(line.as_bytes())?;
        }
        match outcome {
            Outcome::Done {
                bytes,
                written,
                long_link,
                letter,
                ..
            } => {
                summary.long_links += usize::from(long_link);
                match written {
                    Some(Written::Unchanged) => summary.unchanged += 1,
                    _ => summary.written += 1,
                }
                if self.dir.is_none() {
                    self.append(plan, &bytes, letter)?;
                }
                Ok(None)
            }
            Outcome::Skipped(reason) => {
                summary.skipped += 1;
                crate::notice::warn(format_args!("skipped {}: {reason}", job.mission.id));
                Ok(None)
            }
            Outcome::Failed(err) => {
                summary.failed += 1;
                Ok(Some(err))
            }
        }
    }

    /// Adds one rendered letter to the concatenated output.
    fn append(&mut self, plan: &Plan, bytes: &[u8], letter: Option<Box<Letter>>) -> Result<()> {
        match (plan.format, letter) {
            (Format::Mbox, Some(letter)) => {
                crate::render::email::append_mbox(&mut self.stream, bytes, &letter)
            }
            (Format::Pdf, Some(letter)) => self.letters.push(*letter),
            _ => self.stream.extend_from_slice(bytes),
        }
        if self.stream.len() > 1 << 20 {
            if let Some(spool) = &mut self.spool {
                spool.write_all(&self.stream)?;
                self.stream.clear();
            } else if matches!(plan.destination, Destination::Stdout) && plan.format != Format::Pdf
            {
                output::write_stdout(&self.stream)?;
                self.stream.clear();
            }
        }
        Ok(())
    }

    fn finish(mut self, plan: &Plan, summary: &Summary) -> Result<()> {
        if let Some(manifest) = self.manifest.take() {
            return manifest.commit();
        }
        if summary.written == 0 {
            return Ok(());
        }
        if let Some(mut spool) = self.spool.take() {
            spool.write_all(&self.stream)?;
            return spool.commit();
        }
        if plan.format == Format::Pdf && !self.letters.is_empty() {
            self.stream = render::pdf::render_pdf(&self.letters, &plan.options.pdf)?;
        }
        match &plan.destination {
            Destination::File(path) => {
                output::write_file(path, &self.stream, plan.force)?;
            }
            _ => output::write_stdout(&self.stream)?,
        }
        Ok(())
    }
}

/// One line of `manifest.jsonl`: what became of a letter, and where it is.
#[derive(serde::Serialize)]
struct ManifestEntry<'a> {
    row: usize,
    letter: &'a str,
    recipient: &'a str,
    sender: &'a str,
    format: Format,
    /// A skipped letter has no file.
    path: Option<&'a str>,
    sha256: Option<&'a str>,
    status: &'a str,
    reason: Option<&'a str>,
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
    };
    let entry = ManifestEntry {
        row: job.row.row,
        letter: &plan.template.front.id,
        recipient: &job.mission.id,
        sender: &job.row.sender.name,
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

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
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

fn summary_line(plan: &Plan, s: &Summary) -> String {
    let place = match &plan.destination {
        Destination::Dir { dir, .. } => format!(" in {}", dir.display()),
        Destination::File(path) => format!(" to {}", path.display()),
        Destination::Stdout => String::new(),
    };
    let letters = if s.letters == 1 { "letter" } else { "letters" };
    format!(
        "{} {letters}{place}: {} written, {} already there, {} skipped, {} failed",
        s.letters, s.written, s.unchanged, s.skipped, s.failed
    )
}

/// Prints the plan and the first letter in full, and writes nothing.
fn dry_run(plan: &Plan, first: FirstPass) -> Result<Summary> {
    let total = first.count;
    let mut out = String::new();
    for (i, (sender, mission)) in first.listed.iter().enumerate() {
        let target = match first.names.get(i) {
            Some(name) => format!(" -> {name}"),
            None => String::new(),
        };
        out.push_str(&format!("  {sender} to {mission}{target}\n"));
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
    let mut text = format!(
        "Would write {total} {} ({}) to {missions} {}, to {destination}:\n{out}",
        if total == 1 { "letter" } else { "letters" },
        plan.format.name(),
        if missions == 1 { "mission" } else { "missions" },
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
