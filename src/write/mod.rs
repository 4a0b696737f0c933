//! `protest write`, as the library does it. A [`Request`] holds what the
//! command line asked for; [`Writing::load`] checks it as a whole before
//! anything is read (options that would do nothing or that clash, two
//! inputs reading one stream, an output that is closed) and loads the data
//! it names; [`Writing::run`] reads the senders and recipients, and has
//! [`crate::batch`] compose and write every letter. The command only reads
//! its flags into a request (mdBook's `build` is the model: load, apply
//! the flags, build).
//!
//! Its files: `request.rs`, what the command line asked for;
//! `options.rs`, which options make sense together; `sender.rs`, who a
//! letter is from; `notes.rs`, what a run says first.

mod notes;
mod options;
mod request;
mod sender;

use serde_json::Map;

pub use options::{Mode, Output};
pub use request::Request;

use crate::batch::{self, Destination, Finished, Plan, Recipients, Senders};
use crate::catalog::{Catalog, LetterTemplate, Mission, MissionKind};
use crate::compose::{compose, Facts, Letter};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::render::pdf::PdfOptions;
use crate::render::{Format, RenderOptions};
use crate::stdio::Source;

/// What a run gives back to print.
pub enum Outcome {
    /// `--json` without `--out`: the composed letters.
    Letters(Vec<Letter>),
    /// Letters written (or, with `--dry-run`, shown): what became of them.
    Run(Finished),
}

/// A request checked, with the data it names loaded.
pub struct Writing {
    request: Request,
    mode: Mode,
    catalog: Catalog,
    /// The ids of the letters, each once, in the order given.
    letters: Vec<String>,
}

impl Writing {
    /// Checks the request before anything is read, then loads the data and
    /// finds its letters: the first unknown one (or one not written in
    /// `--lang`) stops it.
    pub fn load(request: Request) -> Result<Writing> {
        let mode = options::mode(&request)?;
        if mode.prints_to_stdout(&request) {
            crate::stdio::require_stdout()?;
        }
        let inputs: Vec<(String, Source)> = options::inputs(&request)
            .into_iter()
            .map(|(option, path, dash)| (option, Source::of(path, dash)))
            .collect();
        crate::stdio::one_reader_each(&inputs)?;
        // From here: a signal while the data or the senders are still being
        // read says that nothing was written, and is exit 128 + its number.
        batch::interrupt::install();
        let catalog = Catalog::load(&request.data)?;
        let mut letters: Vec<String> = Vec::with_capacity(request.letters.len());
        for id in &request.letters {
            let template = catalog.template_in(id, request.lang.as_deref())?;
            if !letters.contains(&template.front.id) {
                letters.push(template.front.id.clone());
            }
        }
        Ok(Writing {
            request,
            mode,
            catalog,
            letters,
        })
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The letters, in the order they are written.
    pub fn templates(&self) -> Vec<&LetterTemplate> {
        self.letters
            .iter()
            .map(|id| {
                self.catalog
                    .template_in(id, self.request.lang.as_deref())
                    .expect("found when the request was loaded")
            })
            .collect()
    }

    /// Reads the senders and recipients, checks what can be known before
    /// the first letter, and writes the letters (or composes them for `--json`).
    pub fn run(&self) -> Result<Outcome> {
        let (request, catalog) = (&self.request, &self.catalog);
        let templates = self.templates();
        // Read even with --date: the PDF metadata is dated by SOURCE_DATE_EPOCH too.
        let today = Date::today()?;
        let day = |flag: &str, text: &Option<String>| {
            text.as_deref()
                .map(|text| Date::parse(text).map_err(|err| Error::usage(format!("{flag}: {err}"))))
                .transpose()
        };
        let as_of = day("--as-of", &request.as_of)?;
        let date = match as_of {
            Some(day) => day,
            None => day("--date", &request.date)?.unwrap_or(today),
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
        let senders = match &request.senders {
            Some(path) => Senders::csv(path.clone())?,
            None => Senders::One(sender::sender(request)?),
        };
        if let Some(header) = senders.header() {
            let unused = batch::headers::unused_columns(
                header,
                catalog,
                &templates,
                request.file_name.as_deref(),
            );
            notes::say_unused_columns(&unused, request.dry_run)?;
        }
        let recipients = recipients(catalog, request)?;
        if let Senders::One(sender) = &senders {
            let missions: &[&Mission] = match &recipients {
                Recipients::Fixed(missions) => missions,
                Recipients::SenderCountry => &[],
            };
            options::refuse_for_one_sender(
                request,
                catalog,
                &options::OneSender {
                    country: sender.country.as_deref(),
                    missions,
                    letters: templates.len(),
                },
            )?;
        }
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
        let format = self.mode.format;
        for cc in &request.cc {
            crate::render::email::check_cc_option(cc, format.is_email())?;
        }
        let personal = sender::personal(request)?;
        // The missions known before the run: those named, or the one sender's own.
        let known_missions: Vec<&Mission> = match (&recipients, &senders) {
            (Recipients::Fixed(missions), _) => missions.clone(),
            (Recipients::SenderCountry, Senders::One(sender)) => sender
                .country
                .as_deref()
                .and_then(|c| catalog.country_code(c).ok())
                .and_then(|code| catalog.mission_for_country(&code).ok())
                .into_iter()
                .collect(),
            (Recipients::SenderCountry, _) => Vec::new(),
        };
        // Said once the run is known to be possible, not before its refusal.
        let warn_about_facts = || {
            for template in &templates {
                notes::warn_about_facts(catalog, template, date);
            }
            notes::warn_about_missing_forms(catalog, &templates, &known_missions);
        };
        let destination = match &self.mode.output {
            Output::Letters => {
                warn_about_facts();
                let letters = compose_letters(
                    catalog,
                    &templates,
                    &senders,
                    &recipients,
                    date,
                    personal.as_deref(),
                    request,
                )?;
                return Ok(Outcome::Letters(letters));
            }
            Output::Rendered(destination) => destination.clone(),
        };
        refuse_binary_to_terminal(format, &destination)?;
        let fixed: &[&Mission] = match &recipients {
            Recipients::Fixed(missions) => missions,
            Recipients::SenderCountry => &[],
        };
        // The letters of one sender are counted here, so a run that cannot be
        // written stops before its warnings about the missions.
        if matches!(senders, Senders::One(_)) && !fixed.is_empty() {
            batch::check_destination(fixed.len() * templates.len(), format, &destination)?;
        }
        warn_about_facts();
        if !format.is_email() {
            for mission in fixed {
                notes::warn_about_address(mission);
            }
        }
        let plan = Plan {
            catalog,
            templates,
            senders,
            recipients,
            date,
            date_given: request.date.is_some() || request.as_of.is_some(),
            personal,
            cc: request.cc.clone(),
            cc_embassy: request.cc_embassy,
            force: request.force,
            format,
            options: RenderOptions {
                pdf: PdfOptions {
                    paper: request.paper,
                    fold_marks: request.fold_marks,
                    duplex: request.duplex,
                },
                attach_pdf: request.attach_pdf,
            },
            destination,
            strict: request.strict,
            keep_going: request.keep_going,
            jobs: request.jobs.map(notes::threads),
            dry_run: request.dry_run,
        };
        batch::run(plan).map(Outcome::Run)
    }
}

/// The missions `--to`, `--country` or `--all` name, each once, in the
/// order given; without them, each sender's own country decides.
fn recipients<'c>(catalog: &'c Catalog, request: &Request) -> Result<Recipients<'c>> {
    if request.all {
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
    for id in &request.to {
        missions.push(catalog.mission(id)?);
    }
    if let Some(country) = &request.country {
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

/// `--json`: the composed letters themselves, for scripts.
fn compose_letters(
    catalog: &Catalog,
    templates: &[&LetterTemplate],
    senders: &Senders,
    recipients: &Recipients,
    date: Date,
    personal: Option<&str>,
    request: &Request,
) -> Result<Vec<Letter>> {
    let Senders::One(sender) = senders else {
        unreachable!("--json with --senders is refused with the options");
    };
    let missions = match recipients {
        Recipients::Fixed(missions) => missions.clone(),
        Recipients::SenderCountry => {
            let country = sender.country.as_deref().unwrap_or_default();
            vec![catalog.mission_for_country(&catalog.country_code(country)?)?]
        }
    };
    let extra = Map::new();
    let mut letters = Vec::with_capacity(templates.len() * missions.len());
    for template in templates {
        for mission in &missions {
            letters.push(compose(
                catalog,
                &crate::compose::Request {
                    template,
                    mission,
                    sender,
                    date,
                    personal,
                    cc: &request.cc,
                    extra: &extra,
                    facts: Facts::Checked,
                    cc_embassy: request.cc_embassy,
                },
            )?);
        }
    }
    Ok(letters)
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
