//! What a run is asked to do: which letters, from whom, to whom, in which
//! format and where; and what of that its manifest records, so that a later
//! run into the same directory continues it, or is refused.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::input::{short_digest, Senders};
use super::manifest::{self, RunRecord};
use crate::catalog::{Catalog, LetterTemplate, Mission};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::render::{Format, RenderOptions};

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

impl Plan<'_> {
    pub(super) fn destination_pattern(&self) -> Option<&str> {
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

    pub(super) fn writes_to_stdout(&self) -> bool {
        match &self.destination {
            Destination::Stdout => true,
            Destination::File(path) => ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
                .contains(&path.to_string_lossy().as_ref()),
            Destination::Dir { .. } => false,
        }
    }

    /// The inputs that decide the letters and their names, for the manifest.
    pub(super) fn run_record(&self) -> RunRecord {
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

/// A run into a directory that holds an earlier one continues it: with its
/// date, unless `--date` says otherwise, and only with its inputs (or with
/// `--force`). True when the earlier manifest may be of this same run, so
/// that its lines are kept for letters this run does not make.
pub(super) fn resume(plan: &mut Plan) -> Result<bool> {
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
