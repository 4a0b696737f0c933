//! Which options make sense together: the one place every mode of `write`
//! goes through before anything is read. An option that would do nothing
//! in the mode asked for is refused with the reason, never silently
//! ignored: a `--paper letter` that changes nothing is a letter printed on
//! the wrong paper.

use std::fmt::Display;
use std::path::{Path, PathBuf};

use super::request::Request;
use crate::batch::Destination;
use crate::catalog::{Catalog, Mission};
use crate::error::{Error, Result};
use crate::render::Format;

/// What a request makes, and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mode {
    pub format: Format,
    pub output: Output,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// `--json` without `--out`: the composed letters, as JSON on standard output.
    Letters,
    /// Rendered letters, to standard output, a file or a directory.
    Rendered(Destination),
}

impl Mode {
    /// Whether the run prints on standard output: its letters, `--json`,
    /// or the plan of `--dry-run`.
    pub fn prints_to_stdout(&self, request: &Request) -> bool {
        request.json
            || request.dry_run
            || match &self.output {
                Output::Letters => true,
                Output::Rendered(destination) => destination.is_stdout(),
            }
    }
}

/// The mode the options ask for, or why they do not go together.
pub fn mode(request: &Request) -> Result<Mode> {
    if request.json && request.dry_run {
        return Err(
            Error::usage("--json and --dry-run both print on standard output: choose one")
                .with_help(
                "--dry-run shows the plan and the first letter; --json with --out what a run did",
            ),
        );
    }
    if request.json
        && request.out.is_none()
        && (request.output.is_some() || request.combine.is_some())
    {
        return Err(Error::usage(
                "--json prints the composed letters on standard output; it cannot be used with -o or --combine",
            )
            .with_help("leave out --json to write the file, or -o to print the letters as JSON"));
    }
    refuse_directory_as_file(request.output.as_deref())?;
    let output = match (&request.out, &request.output, &request.combine) {
        (Some(dir), _, _) => Output::Rendered(Destination::Dir {
            dir: dir.clone(),
            pattern: request.file_name.clone(),
        }),
        _ if request.json => Output::Letters,
        (_, Some(path), _) | (_, _, Some(path)) if path != Path::new("-") => {
            Output::Rendered(Destination::File(path.clone()))
        }
        _ => Output::Rendered(Destination::Stdout),
    };
    if output == Output::Letters && request.senders.is_some() {
        return Err(Error::usage(
            "--json writes the letters of one sender; it cannot be used with --senders",
        )
        .with_help("use --out DIR: its manifest.jsonl lists every letter"));
    }
    let format = match (request.combine.is_some(), request.format) {
        (true, Some(format)) if format != Format::Pdf => {
            return Err(Error::usage(format!(
                "--combine puts the letters in one PDF; -f {} cannot go in it",
                format.name()
            ))
            .with_help("leave out -f, or write one file per letter with --out DIR"));
        }
        (true, _) => Format::Pdf,
        (false, format) => format.unwrap_or(Format::Text),
    };
    let mode = Mode { format, output };
    refuse_what_does_nothing(request, &mode)?;
    Ok(mode)
}

/// `-o out/` names a directory, whether or not it exists yet: not a file
/// called `out`.
fn refuse_directory_as_file(output: Option<&Path>) -> Result<()> {
    let Some(path) = output else {
        return Ok(());
    };
    let text = path.to_string_lossy();
    if text.len() > 1 && (text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)) {
        let text = crate::text::quote(&text).bare();
        return Err(Error::usage(format!(
            "-o {text}: a name ending in a slash is a directory; -o writes one file"
        ))
        .with_help(format!(
            "use --out {text} to write one file per letter into it, or -o FILE for one file"
        )));
    }
    Ok(())
}

/// Every option the mode has no use for, refused with what it would have
/// done and what it does here instead.
fn refuse_what_does_nothing(request: &Request, mode: &Mode) -> Result<()> {
    let format = mode.format;
    let letters = matches!(mode.output, Output::Letters);
    // Why a mode of one output has no use for what names or pages several.
    let single = || -> Option<String> {
        match &mode.output {
            Output::Letters => Some("--json prints the composed letters".into()),
            Output::Rendered(Destination::Dir { .. }) => None,
            Output::Rendered(_) => Some(match (&request.combine, &request.output) {
                (Some(_), _) => "--combine writes one file".into(),
                (_, Some(path)) if path != Path::new("-") => "-o writes one file".into(),
                _ => "the letters go to standard output".into(),
            }),
        }
    };
    if request.file_name.is_some() {
        if let Some(why) = single() {
            return Err(does_nothing(
                "--file-name",
                format!("it names each file of --out DIR, and {why}"),
                "write one file per letter with --out DIR",
            ));
        }
    }
    if request.duplex && request.combine.is_none() {
        let why = single().unwrap_or_else(|| "--out writes one file per letter".into());
        return Err(does_nothing(
            "--duplex",
            format!("it starts each letter of a --combine PDF on a front page, and {why}"),
            "put the letters in one PDF with --combine FILE",
        ));
    }
    if letters {
        if let Some(format) = request.format {
            return Err(does_nothing(
                &format!("-f {}", format.name()),
                "--json prints the composed letters, in no format",
                &format!("leave out --json to write {}", described(format)),
            ));
        }
        for (given, option, what) in [
            (
                request.keep_going,
                "--keep-going",
                "the first letter that fails stops it",
            ),
            (request.jobs.is_some(), "--jobs", "it renders nothing"),
        ] {
            if given {
                return Err(does_nothing(
                    option,
                    format!("--json prints the composed letters, and {what}"),
                    "write them with --out DIR --json",
                ));
            }
        }
    }
    let pdf_made = format == Format::Pdf
        || (matches!(format, Format::Eml | Format::Mbox) && request.attach_pdf);
    for (given, option) in [
        (request.paper.is_some(), "--paper"),
        (request.fold_marks, "--fold-marks"),
    ] {
        if given && (letters || !pdf_made) {
            let why = match (letters, format) {
                (true, _) => "--json prints the composed letters, and no PDF".to_string(),
                (false, Format::Eml | Format::Mbox) => {
                    format!("{} have no PDF without --attach-pdf", described(format))
                }
                (false, _) => format!("{} have no PDF", described(format)),
            };
            return Err(does_nothing(
                option,
                why,
                "make a PDF: -f pdf, or --attach-pdf with -f eml or -f mbox",
            ));
        }
    }
    if request.attach_pdf && (letters || !matches!(format, Format::Eml | Format::Mbox)) {
        let why = match (letters, format) {
            (true, _) => "--json prints the composed letters, and no draft".to_string(),
            (false, Format::Mailto) => "a mailto link cannot carry an attachment".to_string(),
            (false, _) => format!("{} are not email drafts", described(format)),
        };
        return Err(does_nothing(
            "--attach-pdf",
            why,
            "write email drafts: -f eml or -f mbox",
        ));
    }
    if request.strict && (letters || !format.is_email()) {
        let why = match letters {
            true => "--json prints the composed letters, and sends nothing".to_string(),
            false => format!("{} need no email address", described(format)),
        };
        return Err(does_nothing(
            "--strict",
            format!("it stops at a mission without an email address, and {why}"),
            "write email drafts: -f eml, -f mbox or -f mailto",
        ));
    }
    if request.force {
        let to_stdout = match &mode.output {
            Output::Letters => true,
            Output::Rendered(destination) => *destination == Destination::Stdout,
        };
        if to_stdout {
            return Err(does_nothing(
                "--force",
                "it replaces existing files, and the letters go to standard output",
                "write to a file: -o FILE or --out DIR",
            ));
        }
    }
    if request.no_profile && request.senders.is_some() {
        return Err(does_nothing(
            "--no-profile",
            "each row of --senders is a whole sender, and saved details are never used with it",
            "sign with your saved details by leaving out --senders",
        ));
    }
    Ok(())
}

/// What the letters of a request with one sender are, once its data is
/// read: enough to tell an option that would do nothing for them.
pub struct OneSender<'a> {
    /// The sender's country, as given.
    pub country: Option<&'a str>,
    /// The missions the letters go to; empty: the one in the sender's country.
    pub missions: &'a [&'a Mission],
    /// How many letters (`write a b` is two to each mission).
    pub letters: usize,
}

/// The options that would do nothing for the letters of one sender, known
/// only once the data says where they go: refused with the reason, as
/// [`mode`] refuses those the options alone show.
pub fn refuse_for_one_sender(request: &Request, catalog: &Catalog, one: &OneSender) -> Result<()> {
    let count = one.letters * one.missions.len().max(1);
    if count == 1 {
        for (given, option, why) in [
            (
                request.jobs.is_some(),
                "--jobs",
                "there is one letter to make, and one thread makes it",
            ),
            (
                request.keep_going,
                "--keep-going",
                "there is one letter, and no other to go on to when it fails",
            ),
        ] {
            if given {
                return Err(does_nothing(
                    option,
                    why,
                    "give more letters or missions (--to, --all) or --senders FILE.csv",
                ));
            }
        }
    }
    let copied = one
        .country
        .and_then(|country| catalog.country_code(country).ok())
        .and_then(|code| catalog.mission_for_country(&code).ok());
    if let (true, Some(copied)) = (request.cc_embassy, copied) {
        let to_it = one.missions.iter().all(|mission| mission.id == copied.id);
        if to_it {
            let id = crate::text::escape_for_terminal(&copied.id);
            return Err(does_nothing(
                "--cc-embassy",
                format!("the letter goes to {id}, the mission in the sender's country"),
                "send it to another mission with --to",
            ));
        }
    }
    Ok(())
}

fn does_nothing(option: &str, why: impl Display, instead: &str) -> Error {
    Error::usage(format!("{option} does nothing here: {why}"))
        .with_help(format!("leave out {option}, or {instead}"))
}

/// The letters of a format, as a sentence names them.
fn described(format: Format) -> &'static str {
    match format {
        Format::Text => "plain-text letters",
        Format::Pdf => "PDF letters",
        Format::Eml => "eml drafts",
        Format::Mbox => "mbox drafts",
        Format::Mailto => "mailto links",
    }
}

/// The inputs of a request that name a file, as the user wrote them, with
/// whether the option takes `-` for standard input.
pub fn inputs(request: &Request) -> Vec<(String, &Path, bool)> {
    fn named<'r>(
        option: &str,
        path: &'r Option<PathBuf>,
        dash: bool,
    ) -> Option<(String, &'r Path, bool)> {
        path.as_deref()
            .map(|path| (format!("{option} {}", path.display()), path, dash))
    }
    [
        named("--embassies", &request.data.embassies_file, false),
        named("--sender", &request.sender_file, false),
        named("--senders", &request.senders, true),
        named("--personal-file", &request.personal_file, true),
    ]
    .into_iter()
    .flatten()
    .collect()
}
