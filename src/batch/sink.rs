//! Where rendered letters go as they come, and what became of each: a
//! directory and its manifest, or one file or standard output, put in place
//! only once every letter is in it.

use std::collections::HashSet;

use super::check::FirstPass;
use super::jobs::Job;
use super::manifest::{self, Manifest, RunRecord};
use super::naming;
use super::plan::{Destination, Earlier, Plan};
use super::summary::Summary;
use crate::error::{Error, Result};
use crate::output::{self, AtomicFile, OutputDir, Written};
use crate::render::{self, Format};

pub(super) enum Outcome {
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

/// Where rendered letters are put as they come.
pub(super) struct Sink {
    pub(super) dir: Option<OutputDir>,
    pub(super) manifest: Option<Manifest>,
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
    /// `earlier`: what the directory holds of an earlier run; `record`: this
    /// run's, which a run into a directory keeps in its manifest.
    pub(super) fn open(
        plan: &Plan,
        first: &FirstPass,
        earlier: Earlier,
        record: Option<RunRecord>,
    ) -> Result<Sink> {
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
            if let Earlier::Replaced = earlier {
                remove_earlier_letters(dir, first);
            }
            let continues = matches!(earlier, Earlier::Continued { .. });
            let record = record.expect("a run into a directory has its record");
            sink.manifest = Some(Manifest::create(dir, record, continues)?);
            sink.dir = Some(OutputDir::open(dir).map_err(|err| Error::write(dir, &err))?);
        }
        Ok(sink)
    }

    /// Counts and keeps what became of a letter; returns its error if it failed.
    pub(super) fn record(
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
    pub(super) fn finish(
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

/// With `--force` over another run: its letters this run does not write
/// again are removed, said in a note.
fn remove_earlier_letters(dir: &std::path::Path, first: &FirstPass) {
    let names: HashSet<String> = first
        .names
        .iter()
        .flatten()
        .map(|name| naming::collision_key(name))
        .collect();
    let removed =
        manifest::remove_earlier_letters(dir, |path| names.contains(&naming::collision_key(path)));
    if removed > 0 {
        crate::notice::note(format_args!(
            "removed {} of the earlier run in {}, which this one does not write (--force)",
            crate::text::count(removed, "letter"),
            crate::text::escape_for_terminal(&dir.display().to_string())
        ));
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

pub(super) fn manifest_line(plan: &Plan, job: &Job, outcome: &Outcome) -> String {
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
