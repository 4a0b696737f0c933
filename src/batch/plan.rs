//! What a run is asked to do: which letters, from whom, to whom, in which
//! format and where; and what of that its manifest records, so that a later
//! run into the same directory continues it, or is refused.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::input::{short_digest, Senders};
use super::manifest::{self, DataDigests, RunRecord};
use crate::catalog::{primary_language, Catalog, LetterTemplate, Mission};
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

impl Destination {
    /// Standard output, by any of its names.
    pub fn is_stdout(&self) -> bool {
        match self {
            Destination::Stdout => true,
            Destination::File(path) => ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
                .contains(&path.to_string_lossy().as_ref()),
            Destination::Dir { .. } => false,
        }
    }
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

    /// The inputs that decide the letters and their names, for the manifest;
    /// `missions`: every mission the letters go to or are copied to.
    pub(super) fn run_record(&self, missions: &BTreeSet<String>) -> Result<RunRecord> {
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
        Ok(RunRecord {
            date: self.date.to_string(),
            letter: self
                .templates
                .iter()
                .map(|t| t.front.id.as_str())
                .collect::<Vec<_>>()
                .join(","),
            recipients,
            senders: self.senders.record()?,
            format: self.format.name().into(),
            options,
            campaign: Some(self.catalog.campaign.name.clone()),
            data: Some(self.data_digests(missions)),
        })
    }

    /// What the letters are made from in the data: the letters' texts, the
    /// people they name, the missions they go (or are copied) to, and the
    /// campaign's words for the state in the letters' languages (the
    /// addresses and copy lines are made of them).
    fn data_digests(&self, missions: &BTreeSet<String>) -> DataDigests {
        let letters: Vec<_> = self
            .templates
            .iter()
            .map(|t| (&t.front, &t.body, &t.variant))
            .collect();
        let prisoners: BTreeMap<&String, _> = self
            .templates
            .iter()
            .flat_map(|t| &t.front.prisoners)
            .filter_map(|id| Some((id, self.catalog.prisoners.get(id)?)))
            .collect();
        let missions: Vec<&Mission> = self
            .catalog
            .missions
            .iter()
            .filter(|m| missions.contains(&m.id))
            .collect();
        let campaign = &self.catalog.campaign;
        let words: BTreeMap<String, _> = self
            .templates
            .iter()
            .map(|t| {
                let language = &t.front.language;
                (
                    primary_language(language).into_owned(),
                    campaign.words(language),
                )
            })
            .collect();
        fn digest(value: &impl serde::Serialize) -> String {
            let mut value = serde_json::to_value(value).expect("data serialises");
            drop_defaults(&mut value);
            let mut digest = short_digest(&serde_json::to_vec(&value).expect("JSON serialises"));
            digest.truncate(12);
            digest
        }
        DataDigests {
            letters: digest(&letters),
            prisoners: digest(&prisoners),
            missions: digest(&missions),
            campaign: digest(&words),
        }
    }
}

/// Leaves out what says nothing (null, false, empty), so that a field a
/// later version adds, unset, does not make the same data digest otherwise.
fn drop_defaults(value: &mut serde_json::Value) {
    use serde_json::Value;
    let said = |value: &Value| match value {
        Value::Null | Value::Bool(false) => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(fields) => !fields.is_empty(),
        _ => true,
    };
    match value {
        Value::Object(fields) => {
            fields.values_mut().for_each(drop_defaults);
            fields.retain(|_, value| said(value));
        }
        Value::Array(items) => items.iter_mut().for_each(drop_defaults),
        _ => {}
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

/// Refuses a destination that cannot take the letters, as writing them
/// would at its end: a file that is there (without `--force`), a directory
/// that cannot be made or written into, a standard output that is closed.
pub fn check_destination_writable(plan: &Plan) -> Result<()> {
    match &plan.destination {
        Destination::Stdout => crate::stdio::require_stdout(),
        Destination::File(path) => crate::output::check_creatable(path, plan.force),
        Destination::Dir { dir, .. } => crate::output::check_directory_creatable(dir),
    }
}

/// What a directory holds of an earlier run, and what this run does with it.
pub(super) enum Earlier {
    /// Nothing of a run worth continuing: the manifest is written anew.
    None,
    /// The same run, continued: its manifest's lines are kept for letters
    /// this run does not make. `record`: its run record (none in manifests
    /// written before runs were recorded), whose data is compared once the
    /// first pass has found every mission; `note`: said when it is.
    Continued {
        record: Option<Box<RunRecord>>,
        note: Option<String>,
    },
    /// Another run, replaced whole with `--force`.
    Replaced,
}

/// A run into a directory that holds an earlier one continues it: with its
/// date, unless `--date` says otherwise, and only with its inputs (or with
/// `--force`). A file named like the manifest that protest did not write
/// is never replaced without `--force`.
pub(super) fn earlier_run(plan: &mut Plan) -> Result<Earlier> {
    let Destination::Dir { dir, .. } = &plan.destination else {
        return Ok(Earlier::None);
    };
    let Some(previous) = manifest::previous(dir) else {
        return Ok(Earlier::None);
    };
    let shown = crate::text::escape_for_terminal(&previous.path.display().to_string()).into_owned();
    if !previous.ours {
        // Not even --force can put a manifest where a directory is.
        if previous.path.is_dir() {
            return Err(manifest::a_directory(&previous.path));
        }
        if !plan.force {
            return Err(manifest::not_ours(&previous.path));
        }
        crate::notice::warn(format_args!(
            "replacing {shown}, which protest did not write (--force)"
        ));
        return Ok(Earlier::None);
    }
    if !previous.has_letters {
        return Ok(Earlier::None);
    }
    // Written by a version that did not record its runs: kept where it is true.
    let Some(earlier) = previous.run else {
        return Ok(Earlier::Continued {
            record: None,
            note: None,
        });
    };
    let mut dated_earlier = false;
    if !plan.date_given && earlier.date != plan.date.to_string() {
        if let Ok(date) = Date::parse(&earlier.date) {
            plan.date = date;
            dated_earlier = true;
        }
    }
    // The data is compared after the first pass, which finds every mission.
    let mut record = plan.run_record(&BTreeSet::new())?;
    record.data = earlier.data.clone();
    let differences = record.differences(&earlier);
    if differences.is_empty() {
        let note = dated_earlier.then(|| {
            format!(
                "note: continuing the run of {} recorded in {shown}: its letters keep that date \
                 (pass --date to date them otherwise)",
                earlier.date,
            )
        });
        return Ok(Earlier::Continued {
            record: Some(Box::new(earlier)),
            note,
        });
    }
    if plan.force {
        return Ok(Earlier::Replaced);
    }
    Err(manifest::another_run(dir, &differences, false))
}

/// The data this run's letters are made from (`record`, with every mission
/// the first pass found), against what the run it continues recorded: a
/// mission's address corrected since makes it another run, never one
/// finished with letters of both.
pub(super) fn compare_data(plan: &Plan, earlier: Earlier, record: &RunRecord) -> Result<Earlier> {
    let Earlier::Continued {
        record: Some(was),
        note,
    } = &earlier
    else {
        return Ok(earlier);
    };
    let changes = record.data_changes(was);
    if changes.is_empty() {
        if let Some(note) = note {
            crate::notice::note(note);
        }
        return Ok(earlier);
    }
    if plan.force {
        return Ok(Earlier::Replaced);
    }
    let Destination::Dir { dir, .. } = &plan.destination else {
        unreachable!("only a directory holds an earlier run");
    };
    Err(manifest::another_run(dir, &changes, true))
}
