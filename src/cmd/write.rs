//! `protest write`: compose letters and render them.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Map;

use super::DataArgs;
use crate::catalog::{read_text, Catalog, Confidence, Mission, Origin, Sender};
use crate::compose::{compose, date::Date, Letter, Request};
use crate::error::{Error, ErrorKind, Result};
use crate::output::{self, Written};
use crate::render::{self, Format};

/// Write a letter to one mission, to the mission in a country, or to every mission
#[derive(Debug, Args)]
#[command(after_help = "\
Who it is to: --to ID (repeatable), --country COUNTRY (the mission in that country, or the one
accredited to it), or --all. Without them, the letter goes to the mission in the sender's country.

Who it is from: --sender FILE (TOML, see examples/sender.toml) and/or --name, --org, --role,
--address (once per line), --town, --email, --phone. Flags override the file.

Where it goes: one letter to standard output, or -o FILE; several letters to --out DIR, one file
each, with a manifest.jsonl. Existing files are never replaced without --force.

Examples:
  protest write bokayev-ayanov --to gb-london --sender examples/sender.toml
  protest write mamai --country UK --name \"Ann Lee\" --org \"Unite Leeds\" -o mamai.txt
  protest write all-political-prisoners --all --sender me.toml --out letters/")]
pub struct WriteArgs {
    /// The letter to write (its id: `protest letters` lists them)
    letter: String,

    /// The mission to write to, by id (`protest embassies` lists them); repeat for several
    #[arg(long, value_name = "ID", help_heading = "Recipient")]
    to: Vec<String>,
    /// Write to Kazakhstan's mission in this country: an ISO code (GB) or a name (\"United Kingdom\")
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

    /// Read the sender's details from a TOML file
    #[arg(long, value_name = "FILE", help_heading = "Sender")]
    sender: Option<PathBuf>,
    /// The sender's name (required, here or in the sender file)
    #[arg(long, help_heading = "Sender")]
    name: Option<String>,
    /// The organisation the sender writes for, e.g. a union branch
    #[arg(long, help_heading = "Sender")]
    org: Option<String>,
    /// The sender's role in the organisation, e.g. \"Branch Secretary\"
    #[arg(long, help_heading = "Sender")]
    role: Option<String>,
    /// One line of the sender's postal address; repeat for each line
    #[arg(long, value_name = "LINE", help_heading = "Sender")]
    address: Vec<String>,
    /// The sender's town (written before the date in letters whose custom is to)
    #[arg(long, help_heading = "Sender")]
    town: Option<String>,
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
    #[arg(long, value_name = "FILE", help_heading = "Content")]
    personal_file: Option<PathBuf>,
    /// Send a copy to this person or address (\"Name <addr>\"); repeatable
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
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        help_heading = "Output",
        conflicts_with = "out"
    )]
    output: Option<PathBuf>,
    /// Write each letter to its own file in DIR, with a manifest.jsonl
    #[arg(long, value_name = "DIR", help_heading = "Output")]
    out: Option<PathBuf>,
    /// Print the composed letters as JSON instead of rendering them
    #[arg(long, help_heading = "Output")]
    json: bool,
}

pub fn run(data: &DataArgs, args: WriteArgs) -> Result<()> {
    let catalog = data.load()?;
    let template = catalog.template(&args.letter)?;
    let sender = sender(&args)?;
    let missions = recipients(&catalog, &args, &sender)?;
    let date = match &args.date {
        Some(text) => Date::parse(text).map_err(|err| Error::usage(format!("--date: {err}")))?,
        None => Date::today(),
    };
    let personal = personal(&args)?;
    let extra = Map::new();
    let mut letters = Vec::with_capacity(missions.len());
    for mission in &missions {
        let request = Request {
            template,
            mission,
            sender: &sender,
            date,
            personal: personal.as_deref(),
            cc: &args.cc,
            extra: &extra,
            force: args.force,
        };
        letters.push(compose(&catalog, &request)?);
        warn_about_address(mission);
    }
    if args.json {
        return super::print_json(&letters);
    }
    deliver(&args, &letters)
}

/// Says, before the letter is written, when its address cannot be trusted.
fn warn_about_address(mission: &Mission) {
    if !mission.has_postal_address() {
        eprintln!(
            "warning: {}: the directory has no postal address; the letter names only the city. \
             Find the address on the mission's official page before posting it.",
            mission.id
        );
    } else if mission.confidence == Some(Confidence::Low) {
        eprintln!(
            "warning: {}: the postal address is of low confidence (verified {}); check it before posting",
            mission.id,
            mission.verified.as_deref().unwrap_or("never")
        );
    }
}

fn sender(args: &WriteArgs) -> Result<Sender> {
    let from_file = match &args.sender {
        Some(path) => {
            let text = read_text(path)?;
            let origin = Origin::file(path);
            toml::from_str(&text).map_err(|err| {
                origin.toml_error(&text, &err, 0).with_help(
                    "a sender file has name, and optionally role, org, address = [lines], town, country, email, phone",
                )
            })?
        }
        None => Sender::default(),
    };
    let flags = Sender {
        name: args.name.clone().unwrap_or_default(),
        role: args.role.clone(),
        org: args.org.clone(),
        address: args.address.clone(),
        town: args.town.clone(),
        country: None,
        email: args.email.clone(),
        phone: args.phone.clone(),
    };
    Ok(from_file.overlay(flags))
}

fn recipients<'c>(
    catalog: &'c Catalog,
    args: &WriteArgs,
    sender: &Sender,
) -> Result<Vec<&'c Mission>> {
    if args.all {
        return Ok(catalog.missions.iter().collect());
    }
    let mut missions = Vec::new();
    for id in &args.to {
        missions.push(catalog.mission(id)?);
    }
    if let Some(country) = &args.country {
        missions.push(catalog.mission_for_country(&catalog.country_code(country)?)?);
    }
    if missions.is_empty() {
        match sender.country.as_deref() {
            Some(country) => {
                missions.push(catalog.mission_for_country(&catalog.country_code(country)?)?)
            }
            None => {
                return Err(Error::usage("who is the letter to?").with_help(
                    "pass --to ID (see `protest embassies`), --country COUNTRY or --all, \
                     or set country in the sender file",
                ))
            }
        }
    }
    missions.dedup_by_key(|m| m.id.clone());
    Ok(missions)
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

/// Renders and writes the letters where the user asked.
fn deliver(args: &WriteArgs, letters: &[Letter]) -> Result<()> {
    let to_stdout = args.output.as_deref() == Some(Path::new("-"));
    match (&args.output, &args.out) {
        (_, Some(dir)) => write_dir(dir, args, letters),
        (Some(_), None) | (None, None) if letters.len() > 1 => Err(Error::usage(format!(
            "{} letters need a directory: pass --out DIR",
            letters.len()
        ))),
        (Some(path), None) if !to_stdout => {
            let bytes = render_one(args.format, &letters[0])?;
            output::write_file(path, &bytes, args.force)?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        _ => output::write_stdout(&render_one(args.format, &letters[0])?),
    }
}

fn render_one(format: Format, letter: &Letter) -> Result<Vec<u8>> {
    match format {
        Format::Text => Ok(render::text::render(letter).into_bytes()),
    }
}

fn write_dir(dir: &Path, args: &WriteArgs, letters: &[Letter]) -> Result<()> {
    output::ensure_dir(dir)?;
    let mut manifest = String::new();
    let mut failures = 0;
    for letter in letters {
        let name = format!(
            "{}-{}.{}",
            letter.template_id,
            letter.recipient.mission_id,
            args.format.extension()
        );
        let path = dir.join(&name);
        let bytes = render_one(args.format, letter)?;
        let entry = match output::write_file(&path, &bytes, args.force) {
            Ok(written) => manifest_entry(letter, args.format, &name, Some(&bytes), written, None),
            Err(err) if err.kind == ErrorKind::CantCreate => {
                eprintln!("error: {err}");
                failures += 1;
                manifest_entry(
                    letter,
                    args.format,
                    &name,
                    None,
                    Written::Unchanged,
                    Some(&err.message),
                )
            }
            Err(err) => return Err(err),
        };
        manifest.push_str(&entry);
        manifest.push('\n');
    }
    output::write_file(&dir.join("manifest.jsonl"), manifest.as_bytes(), true)?;
    eprintln!(
        "wrote {} letters to {} ({} failed)",
        letters.len() - failures,
        dir.display(),
        failures
    );
    if failures > 0 {
        return Err(Error::new(
            ErrorKind::Partial,
            format!("{failures} letters were not written"),
        ));
    }
    Ok(())
}

fn manifest_entry(
    letter: &Letter,
    format: Format,
    path: &str,
    bytes: Option<&[u8]>,
    written: Written,
    error: Option<&str>,
) -> String {
    use sha2::Digest;
    let sha256 = bytes.map(|b| {
        sha2::Sha256::digest(b)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
    });
    let value = serde_json::json!({
        "letter": letter.template_id,
        "recipient": letter.recipient.mission_id,
        "sender": letter.sender.name,
        "format": format,
        "path": path,
        "sha256": sha256,
        "status": if error.is_some() { "failed" } else { match written { Written::Created => "created", Written::Replaced => "replaced", Written::Unchanged => "unchanged" } },
        "error": error,
    });
    value.to_string()
}
