//! `protest write`: compose letters and render them.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, ValueHint};
use clap_complete::engine::ArgValueCandidates;
use serde_json::Map;

use super::DataArgs;
use crate::batch::senders::SenderReader;
use crate::batch::{self, Destination, Plan, Recipients, Senders};
use crate::catalog::{read_text, Catalog, Confidence, Mission, Sender};
use crate::compose::{compose, date::Date, Request};
use crate::error::{Error, Result};
use crate::render::pdf::{Paper, PdfOptions};
use crate::render::{Format, RenderOptions};

/// Write a letter to one mission, to the mission in a country, or to every mission
#[derive(Debug, Args)]
#[command(after_help = "\
Who it is to: --to ID (repeatable), --country COUNTRY (the mission in that country, or the one
accredited to it), or --all. Without them, the letter goes to the mission in the sender's country.

Who it is from: your saved details (`protest profile`), or --sender FILE (TOML, see
examples/sender.toml), and/or --name, --org, --role, --address (once per line), --town,
--postcode, --from-country, --email, --phone. Flags override the file; --no-profile ignores the
saved details.

Where it goes: one letter to standard output, or -o FILE; several letters to --out DIR, one file
each, with a manifest.jsonl. Existing files are never replaced without --force; a re-run after an
interruption skips the letters already written. mbox and mailto put every letter in one output;
--combine FILE puts every letter in one PDF.

A batch from a CSV (--senders): a header row, then one sender a row. Columns named name (or
first and last name), org, role, address (or address1, address2, …), town, postcode, country,
email, phone are the sender's, as are the headers of Google Forms, Microsoft Forms, Mailchimp
and Action Network exports; a `personal` column (\"Your message\") adds the member's own
paragraph; any other column reaches the template as {{extra.COLUMN}}. Without --to, --country
or --all, each sender writes to the mission in their country.

Examples:
  protest write bokayev-ayanov --to gb-london --sender examples/sender.toml
  protest write mamai --country UK --name \"Ann Lee\" --org \"Unite Leeds\" -o mamai.txt
  protest write all-political-prisoners --all --sender me.toml --out letters/
  protest write mamai --to gb-london --senders branch.csv --format eml --out drafts/
  protest write bokayev-ayanov --all --sender me.toml --combine print.pdf --duplex")]
pub struct WriteArgs {
    /// The letter to write (its id: `protest letters` lists them)
    #[arg(add = ArgValueCandidates::new(super::completions::letter_ids))]
    letter: String,

    /// The mission to write to, by id (`protest embassies` lists them); repeat for several
    #[arg(long, value_name = "ID", help_heading = "Recipient",
          add = ArgValueCandidates::new(super::completions::mission_ids))]
    to: Vec<String>,
    /// Write to Kazakhstan's mission in this country: an ISO code (GB) or a name ("United Kingdom")
    #[arg(
        long,
        value_name = "COUNTRY",
        help_heading = "Recipient",
        conflicts_with = "all"
    )]
    country: Option<String>,
    /// Write one letter to every mission in the directory
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

    /// The date the letter carries (default: today, or SOURCE_DATE_EPOCH)
    #[arg(long, value_name = "YYYY-MM-DD", help_heading = "Content")]
    date: Option<String>,
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
    /// Send a copy to this person or address ("Name <addr>"); repeatable
    #[arg(long, value_name = "WHO", help_heading = "Content")]
    cc: Vec<String>,
    /// Write the letter even if it demands the release of someone recorded as released,
    /// and replace existing output files
    #[arg(long, help_heading = "Content")]
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
    /// [default: {{letter.id}}-{{embassy.id}}, or {{embassy.id}}-{{sender.name}} with --senders]
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
        conflicts_with = "sender"
    )]
    senders: Option<PathBuf>,
    /// Print what would be written, and the first letter in full; write nothing
    #[arg(long, help_heading = "Batch")]
    dry_run: bool,
    /// When a letter fails, write the others before exiting with 1
    #[arg(long, help_heading = "Batch")]
    keep_going: bool,
    /// Threads to render with [default: one per core]; the output is the same whatever N
    #[arg(long, short = 'j', value_name = "N", help_heading = "Batch")]
    jobs: Option<usize>,
}

pub fn run(data: &DataArgs, args: WriteArgs) -> Result<()> {
    let catalog = data.load()?;
    let template = catalog.template(&args.letter)?;
    let date = match &args.date {
        Some(text) => Date::parse(text).map_err(|err| Error::usage(format!("--date: {err}")))?,
        None => Date::today(),
    };
    let senders = match &args.senders {
        Some(path) => Senders::csv(path.clone())?,
        None => Senders::One(sender(&args)?),
    };
    if let Senders::Csv { path, stdin } = &senders {
        let reader = match stdin {
            Some(bytes) => SenderReader::from_bytes(bytes.clone())?,
            None => SenderReader::open(path)?,
        };
        let unused =
            batch::headers::unused_columns(&reader, &catalog, template, args.file_name.as_deref());
        say_unused_columns(&unused, args.dry_run)?;
    }
    let recipients = recipients(&catalog, &args)?;
    let fixed: Vec<&Mission> = match &recipients {
        Recipients::Fixed(missions) => missions.clone(),
        Recipients::SenderCountry => Vec::new(),
    };
    if args.json {
        return print_letters(&catalog, template, &senders, &recipients, date, &args);
    }
    let format = if args.combine.is_some() {
        Format::Pdf
    } else {
        args.format
    };
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
        batch::check_destination(fixed.len(), format, &destination)?;
    }
    if !format.is_email() {
        for mission in &fixed {
            warn_about_address(mission);
        }
    }
    let plan = Plan {
        catalog: &catalog,
        template,
        senders,
        recipients,
        date,
        personal: personal(&args)?,
        cc: args.cc.clone(),
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
        jobs: args.jobs,
        dry_run: args.dry_run,
    };
    batch::run(&plan).map(|_| ())
}

/// `--json`: the composed letters themselves, for scripts.
fn print_letters(
    catalog: &Catalog,
    template: &crate::catalog::LetterTemplate,
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
    let mut letters = Vec::with_capacity(missions.len());
    for mission in missions {
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
                force: args.force,
            },
        )?);
    }
    super::print_json(&letters)
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
        crate::notice::warn(format_args!(
            "{}: the directory has no postal address; the letter names only the city. \
             Find the address on the mission's official page before posting it.",
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
        return Ok(Recipients::Fixed(catalog.missions.iter().collect()));
    }
    let mut missions: Vec<&Mission> = Vec::new();
    for id in &args.to {
        missions.push(catalog.mission(id)?);
    }
    if let Some(country) = &args.country {
        missions.push(catalog.mission_for_country(&catalog.country_code(country)?)?);
    }
    if missions.is_empty() {
        return Ok(Recipients::SenderCountry);
    }
    let mut seen = std::collections::HashSet::new();
    missions.retain(|m| seen.insert(m.id.clone()));
    Ok(Recipients::Fixed(missions))
}

fn personal(args: &WriteArgs) -> Result<Option<String>> {
    match (&args.personal, &args.personal_file) {
        (Some(text), _) => Ok(Some(text.clone())),
        (None, Some(path)) if path == Path::new("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|err| Error::read(Path::new("<stdin>"), &err))?;
            Ok(Some(text))
        }
        (None, Some(path)) => read_text(path).map(Some),
        (None, None) => Ok(None),
    }
}
