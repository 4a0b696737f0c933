//! `protest write`: compose letters and render them.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, ValueHint};
use clap_complete::engine::ArgValueCandidates;
use serde_json::Map;

use super::DataArgs;
use crate::batch::{self, Destination, Plan, Recipients, Senders};
use crate::catalog::{Catalog, Confidence, LetterTemplate, Mission, MissionKind, Sender};
use crate::compose::{compose, Facts, Request};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::render::pdf::{Paper, PdfOptions};
use crate::render::{Format, RenderOptions};

/// Write letters to one mission, to the mission in a country, or to every mission
#[derive(Debug, Args)]
#[command(after_help = "\
Who it is to: --to ID (repeatable), --country COUNTRY (the mission in that country, or the one
accredited to it), or --all. Without them, the letter goes to the mission in the sender's country.

Who it is from: your saved details (`protest profile`), or --sender FILE (TOML, see
examples/sender.toml), and/or --name, --org, --role, --address (once per line), --town,
--postcode, --from-country, --email, --phone. Flags override the file; --no-profile ignores the
saved details.

A letter is written only when it fits the facts on its date and today: what it asks fits each
person's status, and it is not dated before the newest fact it states. An archived letter's
historical text is written with --as-of DATE, a day on which it fitted them, and dated that day.

Several letters (protest write ID ID …) go each to every recipient, in that order: letter by
letter, and within a letter as one letter would. Every one is checked before any is written.

Where it goes: one letter to standard output, or -o FILE; several letters to --out DIR, one file
each, with a manifest.jsonl. Existing files are never replaced without --force; the same command
run again (after Ctrl-C, or the next day) continues the run, with its date. mbox and mailto put every letter in one output;
--combine FILE puts every letter in one PDF.

A batch from a CSV (--senders): a header row, then one sender a row. Columns named name (or
first and last name), org, role, address (or address1, address2, …), town, postcode, country,
email, phone are the sender's, as are the headers of Google Forms, Microsoft Forms, Mailchimp
and Action Network exports; a `personal` column (\"Your message\") adds the member's own
paragraph; any other column reaches the template as {{extra.COLUMN}}. Without --to, --country
or --all, each sender writes to the mission in their country.

Examples:
  protest write mukhammedkarim --to gb-london --sender examples/sender.toml
  protest write mamai-restrictions --country UK --name \"Ann Lee\" --org \"Unite Leeds\" -o mamai.txt
  protest write political-prisoners-2026 --all --sender me.toml --out letters/
  protest write mukhammedkarim --to gb-london --senders branch.csv --format eml --out drafts/
  protest write mukhammedkarim --all --sender me.toml --combine print.pdf --duplex
  protest write mukhammedkarim abzhan zhylanbayev --to de-berlin --combine copies.pdf
  protest write mamai-restrictions --to kz-president --sender me.toml --cc-embassy")]
pub struct WriteArgs {
    /// The letters to write, by id (`protest letters` lists them): each goes to every recipient
    #[arg(value_name = "LETTER", required = true,
          add = ArgValueCandidates::new(super::completions::letter_ids))]
    letter_ids: Vec<String>,

    /// The mission to write to, by id (`protest embassies` lists them); repeat for several
    #[arg(long, value_name = "ID", help_heading = "Recipient",
          add = ArgValueCandidates::new(super::completions::mission_ids))]
    to: Vec<String>,
    /// Write to the mission of {state} in this country: an ISO code (GB) or a name ("United Kingdom")
    #[arg(
        long,
        value_name = "COUNTRY",
        help_heading = "Recipient",
        conflicts_with = "all"
    )]
    country: Option<String>,
    /// Write one letter to every mission in the directory (not to authorities)
    #[arg(long, help_heading = "Recipient", conflicts_with = "to")]
    all: bool,

    /// Read the sender's details from a TOML file [default: your saved details, if any]
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, help_heading = "Sender")]
    sender: Option<PathBuf>,
    /// Do not use your saved details (`protest profile`)
    #[arg(long, help_heading = "Sender", conflicts_with = "sender")]
    no_profile: bool,
    /// The sender's name (required, here or in the sender file)
    #[arg(long, help_heading = "Sender")]
    name: Option<String>,
    /// The organisation the sender writes for, e.g. a union branch
    #[arg(long, help_heading = "Sender")]
    org: Option<String>,
    /// The sender's role in the organisation, e.g. "Branch Secretary"
    #[arg(long, help_heading = "Sender")]
    role: Option<String>,
    /// One line of the sender's postal address; repeat for each line
    #[arg(long, value_name = "LINE", help_heading = "Sender")]
    address: Vec<String>,
    /// The sender's town, printed after the address lines unless one holds it
    /// (and before the date in letters whose custom is to)
    #[arg(long, help_heading = "Sender")]
    town: Option<String>,
    /// The sender's postcode, printed with the town
    #[arg(long, help_heading = "Sender")]
    postcode: Option<String>,
    /// The sender's country (code or name): decides whether addresses carry a country line,
    /// and picks the mission when no recipient is given
    #[arg(long, value_name = "COUNTRY", help_heading = "Sender")]
    from_country: Option<String>,
    /// The sender's email address
    #[arg(long, help_heading = "Sender")]
    email: Option<String>,
    /// The sender's phone number
    #[arg(long, help_heading = "Sender")]
    phone: Option<String>,

    /// The date the letter carries, 1900 to 2200 [default: today where you are (TZ),
    /// or the day of SOURCE_DATE_EPOCH in UTC]; the letter must fit the facts on it and today
    #[arg(long, value_name = "YYYY-MM-DD", help_heading = "Content")]
    date: Option<String>,
    /// Write a letter's historical text as it stood on a day it fitted the facts, dated
    /// that day: an archived letter is written only so
    #[arg(
        long,
        value_name = "YYYY-MM-DD",
        help_heading = "Content",
        conflicts_with = "date"
    )]
    as_of: Option<String>,
    /// A paragraph in your own words, added before the closing
    #[arg(
        long,
        value_name = "TEXT",
        help_heading = "Content",
        conflicts_with = "personal_file"
    )]
    personal: Option<String>,
    /// Read the personal paragraph from a file (- for standard input)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, help_heading = "Content")]
    personal_file: Option<PathBuf>,
    /// The language to write in: `ru`, `en`… (`protest letters` shows each letter's)
    #[arg(long, value_name = "LANG", help_heading = "Content")]
    lang: Option<String>,
    /// Send a copy to this person or address ("Name <addr>"); repeatable. An email
    /// draft needs an address; a name alone goes only on a paper letter
    #[arg(long, value_name = "WHO", help_heading = "Content")]
    cc: Vec<String>,
    /// Put the mission in the sender's country on the letter as a copy (cc), and in the
    /// email draft's Cc when its address is known: for letters to authorities in {state}
    #[arg(long, help_heading = "Content")]
    cc_embassy: bool,
    /// Replace existing output files (it never overrides the facts: a letter that no longer
    /// fits them is refused)
    #[arg(long, help_heading = "Output")]
    force: bool,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text, help_heading = "Output")]
    format: Format,
    /// Write the letter to FILE (- for standard output)
    #[arg(short = 'o', long = "output", value_name = "FILE", value_hint = ValueHint::FilePath, help_heading = "Output", conflicts_with_all = ["out", "combine"])]
    output: Option<PathBuf>,
    /// Write each letter to its own file in DIR, with a manifest.jsonl
    #[arg(
        long,
        value_name = "DIR",
        value_hint = ValueHint::DirPath,
        help_heading = "Output",
        conflicts_with = "combine"
    )]
    out: Option<PathBuf>,
    /// How --out names each file, a Handlebars pattern
    /// [default: {{letter.id}}-{{embassy.id}}, or {{embassy.id}}-{{sender.name}} with --senders,
    /// {{letter.id}}-{{embassy.id}}-{{sender.name}} with --senders and several letters]
    #[arg(
        long,
        value_name = "PATTERN",
        help_heading = "Output",
        requires = "out"
    )]
    file_name: Option<String>,
    /// Print the composed letters as JSON instead of rendering them
    #[arg(long, help_heading = "Output")]
    json: bool,

    /// Paper size [default: from the recipient's country: letter for the US and Canada, else A4]
    #[arg(long, value_enum, help_heading = "PDF")]
    paper: Option<Paper>,
    /// Print fold marks (and the punch-hole mark on A4) at the left edge
    #[arg(long, help_heading = "PDF")]
    fold_marks: bool,
    /// Put every letter in one print-ready PDF, each starting on a new page
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, help_heading = "PDF")]
    combine: Option<PathBuf>,
    /// With --combine: start every letter on a front page, for double-sided printing
    #[arg(long, help_heading = "PDF", requires = "combine")]
    duplex: bool,

    /// Attach the PDF of the letter to each email draft
    #[arg(long, help_heading = "Email")]
    attach_pdf: bool,
    /// Stop with an error at a mission without an email address, instead of skipping it
    #[arg(long, help_heading = "Email")]
    strict: bool,

    /// A CSV file of senders, one letter each (- for standard input); see --help
    #[arg(
        long,
        value_name = "FILE.csv",
        value_hint = ValueHint::FilePath,
        help_heading = "Batch",
        // Each row is a whole sender: a sender flag beside it would be silently ignored.
        conflicts_with_all = ["sender", "name", "org", "role", "address", "town", "postcode",
            "from_country", "email", "phone"]
    )]
    senders: Option<PathBuf>,
    /// Print what would be written, and the first letter in full; write nothing
    #[arg(long, help_heading = "Batch")]
    dry_run: bool,
    /// When a letter fails, write the others before exiting with 1
    #[arg(long, help_heading = "Batch")]
    keep_going: bool,
    /// Threads to render with, at most 4 per core (more is cut to that, with a warning);
    /// the output is the same whatever N [default: one per core, as is 0]
    #[arg(long, short = 'j', value_name = "N", help_heading = "Batch")]
    jobs: Option<usize>,
}

pub fn run(data: &DataArgs, args: WriteArgs) -> Result<()> {
    // From the start: a signal while the senders are still being read says
    // that nothing was written, and is exit 128 + its number like any other.
    batch::interrupt::install();
    let catalog = data.load()?;
    let templates = templates(&catalog, &args)?;
    for template in &templates {
        for warning in super::language_warnings(&catalog, template) {
            crate::notice::warn(warning);
        }
    }
    // Read even with --date: the PDF metadata is dated by SOURCE_DATE_EPOCH too.
    let today = Date::today()?;
    refuse_directory_as_file(&args)?;
    let as_of = super::date_option("--as-of", args.as_of.as_deref())?;
    let date = match as_of {
        Some(day) => day,
        None => super::date_option("--date", args.date.as_deref())?.unwrap_or(today),
    };
    // Before anything else is read or written: a letter that does not fit
    // the facts is wrong whoever signs it and wherever it goes. It must fit
    // them on its date and, unless its historical text is asked for by
    // --as-of, today: a letter that is history is not sent back-dated.
    for template in &templates {
        catalog.check_asks(template, date)?;
        if as_of.is_none() && date != today {
            catalog.check_asks(template, today)?;
        }
    }
    // Said once the run is known to be possible, not before its refusal.
    let warn_about_facts = || {
        for template in &templates {
            warn_about_facts(&catalog, template, date);
        }
    };
    let senders = match &args.senders {
        Some(path) => Senders::csv(path.clone())?,
        None => Senders::One(sender(&args)?),
    };
    if let Some(header) = senders.header() {
        let unused =
            batch::headers::unused_columns(header, &catalog, &templates, args.file_name.as_deref());
        say_unused_columns(&unused, args.dry_run)?;
    }
    let recipients = recipients(&catalog, &args)?;
    let fixed: Vec<&Mission> = match &recipients {
        Recipients::Fixed(missions) => missions.clone(),
        Recipients::SenderCountry => Vec::new(),
    };
    if let (Recipients::SenderCountry, Senders::One(sender)) = (&recipients, &senders) {
        // The mission is found later, per sender; one sender's note is said here.
        let code = sender.country.as_deref().map(|c| catalog.country_code(c));
        if let Some(note) = code
            .and_then(|c| c.ok())
            .and_then(|c| catalog.coverage_note(&c))
        {
            crate::notice::note(format!("note: {note}"));
        }
    }
    if args.json && args.dry_run {
        return Err(
            Error::usage("--json and --dry-run both print on standard output: choose one")
                .with_help(
                "--dry-run shows the plan and the first letter; --json with --out what a run did",
            ),
        );
    }
    if args.json && args.out.is_none() && (args.output.is_some() || args.combine.is_some()) {
        return Err(Error::usage(
                "--json prints the composed letters on standard output; it cannot be used with -o or --combine",
            )
            .with_help("leave out --json to write the file, or -o to print the letters as JSON"));
    }
    let format = if args.combine.is_some() {
        Format::Pdf
    } else {
        args.format
    };
    for cc in &args.cc {
        crate::render::email::check_cc_option(cc, format.is_email())?;
    }
    if args.json && args.out.is_none() {
        warn_about_facts();
        return print_letters(&catalog, &templates, &senders, &recipients, date, &args);
    }
    let destination = match (&args.out, &args.output, &args.combine) {
        (Some(dir), _, _) => Destination::Dir {
            dir: dir.clone(),
            pattern: args.file_name.clone(),
        },
        (_, Some(path), _) | (_, _, Some(path)) if path != Path::new("-") => {
            Destination::File(path.clone())
        }
        _ => Destination::Stdout,
    };
    refuse_binary_to_terminal(format, &destination)?;
    // The letters of one sender are counted here, so a run that cannot be
    // written stops before its warnings about the missions.
    if matches!(senders, Senders::One(_)) && !fixed.is_empty() {
        batch::check_destination(fixed.len() * templates.len(), format, &destination)?;
    }
    warn_about_facts();
    if !format.is_email() {
        for mission in &fixed {
            warn_about_address(mission);
        }
    }
    let plan = Plan {
        catalog: &catalog,
        templates,
        senders,
        recipients,
        date,
        date_given: args.date.is_some() || args.as_of.is_some(),
        personal: personal(&args)?,
        cc: args.cc.clone(),
        cc_embassy: args.cc_embassy,
        force: args.force,
        format,
        options: RenderOptions {
            pdf: PdfOptions {
                paper: args.paper,
                fold_marks: args.fold_marks,
                duplex: args.duplex,
            },
            attach_pdf: args.attach_pdf,
        },
        destination,
        strict: args.strict,
        keep_going: args.keep_going,
        jobs: args.jobs.map(threads),
        dry_run: args.dry_run,
    };
    let summary = batch::run(plan)?;
    // With --out, --json describes what the run did: the manifest has the rest.
    match args.json {
        true => super::print_json(&summary),
        false => Ok(()),
    }
}

/// `-o out/` names a directory, whether or not it exists yet: not a file
/// called `out`.
fn refuse_directory_as_file(args: &WriteArgs) -> Result<()> {
    let Some(path) = &args.output else {
        return Ok(());
    };
    let text = path.to_string_lossy();
    if text.len() > 1 && (text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)) {
        return Err(Error::usage(format!(
            "-o {text}: a name ending in a slash is a directory; -o writes one file"
        ))
        .with_help(format!(
            "use --out {text} to write one file per letter into it, or -o FILE for one file"
        )));
    }
    Ok(())
}

/// `--json`: the composed letters themselves, for scripts.
fn print_letters(
    catalog: &Catalog,
    templates: &[&LetterTemplate],
    senders: &Senders,
    recipients: &Recipients,
    date: Date,
    args: &WriteArgs,
) -> Result<()> {
    let Senders::One(sender) = senders else {
        return Err(Error::usage(
            "--json writes the letters of one sender; it cannot be used with --senders",
        )
        .with_help("use --out DIR: its manifest.jsonl lists every letter"));
    };
    let missions = match recipients {
        Recipients::Fixed(missions) => missions.clone(),
        Recipients::SenderCountry => {
            let country = sender.country.as_deref().unwrap_or_default();
            vec![catalog.mission_for_country(&catalog.country_code(country)?)?]
        }
    };
    let personal = personal(args)?;
    let extra = Map::new();
    let mut letters = Vec::with_capacity(templates.len() * missions.len());
    for template in templates {
        for mission in &missions {
            letters.push(compose(
                catalog,
                &Request {
                    template,
                    mission,
                    sender,
                    date,
                    personal: personal.as_deref(),
                    cc: &args.cc,
                    extra: &extra,
                    facts: Facts::Checked,
                    cc_embassy: args.cc_embassy,
                },
            )?);
        }
    }
    super::print_json(&serde_json::json!({ "letters": letters }))
}

/// The letters asked for, each once, in the order given; the first unknown
/// one (or one not written in --lang) stops the run.
fn templates<'c>(catalog: &'c Catalog, args: &WriteArgs) -> Result<Vec<&'c LetterTemplate>> {
    let mut templates: Vec<&LetterTemplate> = Vec::with_capacity(args.letter_ids.len());
    for id in &args.letter_ids {
        let template = catalog.template_in(id, args.lang.as_deref())?;
        if !templates.iter().any(|t| std::ptr::eq(*t, template)) {
            templates.push(template);
        }
    }
    Ok(templates)
}

/// Says, before the letter is written, what the facts behind it cannot
/// vouch for: news over a year older than the letter. (A historical text
/// is asked for by --as-of, and its date says what it is.)
fn warn_about_facts(catalog: &Catalog, template: &LetterTemplate, date: Date) {
    for (prisoner, _) in catalog.asks(template) {
        if let Some(warning) = prisoner.stale_warning(date) {
            crate::notice::warn(warning);
        }
    }
}

/// Columns of a senders CSV that reach no letter, said once: in the plan of
/// a dry run, else as a warning.
fn say_unused_columns(headers: &[String], dry_run: bool) -> Result<()> {
    if headers.is_empty() {
        return Ok(());
    }
    let list = headers
        .iter()
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        "no letter uses the {} {list}: not a sender's field, and the letter does not read it \
         (a template reads a column as {{{{extra.COLUMN}}}})",
        if headers.len() == 1 {
            "column"
        } else {
            "columns"
        }
    );
    match dry_run {
        true => crate::output::write_stdout(format!("Note: {text}\n\n").as_bytes()),
        false => {
            crate::notice::warn(text);
            Ok(())
        }
    }
}

/// The threads `--jobs N` asks for, cut to [`JOBS_PER_CORE`] a core: each
/// thread holds letters in memory and the work is all computation, so more
/// only costs (10,000 threads took a minute for two letters). 0 is one a core.
fn threads(requested: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = JOBS_PER_CORE * cores;
    match requested {
        0 => cores,
        n if n > most => {
            crate::notice::warn(format_args!(
                "--jobs {n} is more than {JOBS_PER_CORE} a core; using {most} threads \
                 ({cores} cores here)"
            ));
            most
        }
        n => n,
    }
}

const JOBS_PER_CORE: usize = 4;

/// A PDF on a terminal is a screenful of garbage that can leave the terminal
/// in a strange state: refused, as gzip refuses to write to one.
fn refuse_binary_to_terminal(format: Format, destination: &Destination) -> Result<()> {
    use std::io::IsTerminal;
    if format == Format::Pdf
        && *destination == Destination::Stdout
        && std::io::stdout().is_terminal()
    {
        return Err(Error::usage("PDF is binary; use -o FILE or redirect")
            .with_help("e.g. protest write ... --format pdf -o letter.pdf, or > letter.pdf"));
    }
    Ok(())
}

/// Says, before the letter is written, when its address cannot be trusted.
fn warn_about_address(mission: &Mission) {
    if !mission.has_postal_address() {
        let page = match &mission.website {
            Some(site) => format!("its official page, {site},"),
            None => "the mission's official page".to_string(),
        };
        crate::notice::warn(format_args!(
            "{}: the directory has no postal address; the letter names only the city. \
             Find the address on {page} before posting it.",
            mission.id
        ));
    } else if mission.confidence == Some(Confidence::Low) {
        crate::notice::warn(format_args!(
            "{}: the postal address is of low confidence (verified {}); check it before posting",
            mission.id,
            mission.verified.as_deref().unwrap_or("never")
        ));
    }
}

fn sender(args: &WriteArgs) -> Result<Sender> {
    let from_file = match &args.sender {
        Some(path) => Sender::from_file(path)?,
        None if args.no_profile => Sender::default(),
        None => saved_profile()?.unwrap_or_default(),
    };
    let flags = Sender {
        name: args.name.clone().unwrap_or_default(),
        role: args.role.clone(),
        org: args.org.clone(),
        address: args.address.clone(),
        town: args.town.clone(),
        postcode: args.postcode.clone(),
        country: args.from_country.clone(),
        email: args.email.clone(),
        phone: args.phone.clone(),
    };
    Ok(from_file.overlay(flags))
}

/// The saved details, the sender of every letter not given another: a
/// branch secretary saves them once in the guided mode and then only names
/// the letter. Said on stderr, so a letter is never signed by surprise.
fn saved_profile() -> Result<Option<Sender>> {
    // Without HOME there is nowhere a profile could have been saved.
    let Ok(path) = crate::profile::path() else {
        return Ok(None);
    };
    let profile = crate::profile::load(&path).map_err(|err| {
        let help = match &err.help {
            Some(help) => format!("{help}; or pass --no-profile to ignore the file"),
            None => "pass --no-profile to ignore the file".to_string(),
        };
        err.with_help(help)
    })?;
    if profile.is_some() {
        crate::notice::note(format_args!(
            "using your saved details from {} (--no-profile to ignore them)",
            path.display()
        ));
    }
    Ok(profile)
}

fn recipients<'c>(catalog: &'c Catalog, args: &WriteArgs) -> Result<Recipients<'c>> {
    if args.all {
        // Every mission abroad; an authority is written to by its id.
        return Ok(Recipients::Fixed(
            catalog
                .missions
                .iter()
                .filter(|m| m.kind != MissionKind::Authority)
                .collect(),
        ));
    }
    let mut missions: Vec<&Mission> = Vec::new();
    for id in &args.to {
        missions.push(catalog.mission(id)?);
    }
    if let Some(country) = &args.country {
        let code = catalog.country_code(country)?;
        if let Some(note) = catalog.coverage_note(&code) {
            crate::notice::note(format!("note: {note}"));
        }
        missions.push(catalog.mission_for_country(&code)?);
    }
    if missions.is_empty() {
        return Ok(Recipients::SenderCountry);
    }
    let mut seen = std::collections::HashSet::new();
    missions.retain(|m| seen.insert(m.id.clone()));
    Ok(Recipients::Fixed(missions))
}

/// The personal paragraph, held to the length a CSV's `personal` cell may have.
fn personal(args: &WriteArgs) -> Result<Option<String>> {
    let limit = crate::batch::senders::MAX_PERSONAL;
    let (text, source) = match (&args.personal, &args.personal_file) {
        (Some(text), _) => (text.clone(), "--personal".to_string()),
        (None, Some(path)) => {
            let shown = match path == Path::new("-") {
                true => Path::new("<stdin>"),
                false => path.as_path(),
            };
            let input: Box<dyn Read> = match path == Path::new("-") {
                true => Box::new(std::io::stdin()),
                false => {
                    Box::new(std::fs::File::open(path).map_err(|err| Error::read(path, &err))?)
                }
            };
            // Never more than the longest paragraph can be, so that
            // `--personal-file /dev/zero` ends.
            let most = (limit * 4 + 1) as u64;
            let mut bytes = Vec::new();
            input
                .take(most)
                .read_to_end(&mut bytes)
                .map_err(|err| Error::read(shown, &err))?;
            let source = format!("--personal-file {}", shown.display());
            if bytes.len() as u64 == most {
                return Err(too_long(&source, None, limit));
            }
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::data(format!("{source}: not valid UTF-8 text"))
                    .with_help("save the file as UTF-8 text")
            })?;
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            (text, source)
        }
        (None, None) => return Ok(None),
    };
    let length = text.trim().chars().count();
    if length > limit {
        return Err(too_long(&source, Some(length), limit));
    }
    Ok(Some(text))
}

fn too_long(source: &str, length: Option<usize>, limit: usize) -> Error {
    let length = match length {
        Some(length) => format!("is {length} characters long, more than"),
        None => "is longer than".to_string(),
    };
    Error::data(format!(
        "{source}: {length} the {limit} characters a letter can carry"
    ))
    .with_help("a personal paragraph is a few sentences in your own words")
}
