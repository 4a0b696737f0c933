//! `protest write`: compose letters and render them.

use std::path::PathBuf;

use clap::{Args, ValueHint};
use clap_complete::engine::ArgValueCandidates;

use super::options::DataArgs;
use super::print::print_json;
use super::warnings::language_warnings;
use crate::batch::Finished;
use crate::catalog::Sender;
use crate::error::Result;
use crate::render::pdf::Paper;
use crate::render::Format;
use crate::write::{Outcome, Request, Writing};

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

    /// Output format [default: text; pdf with --combine]
    #[arg(long, short = 'f', value_enum, help_heading = "Output")]
    format: Option<Format>,
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
    #[arg(long, value_name = "PATTERN", help_heading = "Output")]
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
    #[arg(long, help_heading = "PDF")]
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
    let json = args.json;
    // -o is a choice only where the letters would go to standard output.
    let may_use_output = args.out.is_none() && args.combine.is_none();
    let result = write(data, args, json);
    match may_use_output {
        true => result.map_err(crate::output::suggesting_output_file),
        false => result,
    }
}

fn write(data: &DataArgs, args: WriteArgs, json: bool) -> Result<()> {
    let writing = Writing::load(args.into_request(data)?)?;
    for template in writing.templates() {
        for warning in language_warnings(writing.catalog(), template) {
            crate::notice::warn(warning);
        }
    }
    match writing.run()? {
        Outcome::Letters(letters) => print_json(&serde_json::json!({ "letters": letters })),
        // With --out, --json says what the run did however it ended; the
        // manifest has the rest.
        Outcome::Run(Finished { summary, error }) => {
            let printed = match json {
                true => print_json(&summary),
                false => Ok(()),
            };
            error.map_or(printed, Err)
        }
    }
}

impl WriteArgs {
    fn into_request(self, data: &DataArgs) -> Result<Request> {
        Ok(Request {
            data: data.paths()?,
            letters: self.letter_ids,
            to: self.to,
            country: self.country,
            all: self.all,
            sender_file: self.sender,
            no_profile: self.no_profile,
            sender: Sender {
                name: self.name.unwrap_or_default(),
                role: self.role,
                org: self.org,
                address: self.address,
                town: self.town,
                postcode: self.postcode,
                country: self.from_country,
                email: self.email,
                phone: self.phone,
            },
            senders: self.senders,
            date: self.date,
            as_of: self.as_of,
            personal: self.personal,
            personal_file: self.personal_file,
            lang: self.lang,
            cc: self.cc,
            cc_embassy: self.cc_embassy,
            format: self.format,
            output: self.output,
            out: self.out,
            file_name: self.file_name,
            combine: self.combine,
            json: self.json,
            force: self.force,
            paper: self.paper,
            fold_marks: self.fold_marks,
            duplex: self.duplex,
            attach_pdf: self.attach_pdf,
            strict: self.strict,
            dry_run: self.dry_run,
            keep_going: self.keep_going,
            jobs: self.jobs,
        })
    }
}
