//! What a run says of itself: the counts (`--json`), the summary line, and
//! for `--dry-run` the plan and the first letter instead of the letters.

use std::path::PathBuf;
use std::sync::Arc;

use super::check::FirstPass;
use super::plan::{Destination, Plan};
use crate::error::{Error, Result};
use crate::output;
use crate::render;

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
    /// Letters not written because the run stopped first (a failure without
    /// `--keep-going`, a signal, a closed output), or made for a single
    /// output that was then left out whole.
    pub not_written: usize,
    /// The manifest, for `--out`, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<PathBuf>,
}

/// A run that got as far as writing (or showing, with `--dry-run`): what
/// it did, told however it ended, and the error it ended with.
#[derive(Debug)]
pub struct Finished {
    pub summary: Summary,
    pub error: Option<Error>,
}

impl Finished {
    pub(super) fn with_error(summary: Summary, error: Error) -> Finished {
        Finished {
            summary,
            error: Some(error),
        }
    }
}

/// "N letters in DIR: … written, … already there, … skipped, … failed", and
/// how many were never made, which adds the counts up to N.
pub(super) fn summary_line(plan: &Plan, s: &Summary, stopped_by_failure: bool) -> String {
    let place = match &plan.destination {
        Destination::Dir { dir, .. } => format!(" in {}", dir.display()),
        Destination::File(path) => format!(" to {}", path.display()),
        Destination::Stdout => String::new(),
    };
    let mut line = format!(
        "{}{place}: {} written, {} already there, {} skipped, {} failed",
        crate::text::count(s.letters, "letter"),
        s.written,
        s.unchanged,
        s.skipped,
        s.failed
    );
    if s.not_written > 0 {
        line.push_str(&format!(", {} not written", s.not_written));
        if stopped_by_failure {
            line.push_str(" (--keep-going writes them despite the failure)");
        }
    }
    line
}

/// Prints the plan and the first letter in full, and writes nothing.
pub(super) fn dry_run(plan: &Plan, first: FirstPass) -> Result<Finished> {
    let total = first.count;
    let mut out = String::new();
    let names: Vec<&Arc<str>> = first.names.iter().flatten().collect();
    for (i, listed) in first.listed.iter().enumerate() {
        let target = match names.get(i) {
            Some(name) => format!(" -> {name}"),
            None => String::new(),
        };
        let letter = match plan.templates.len() {
            1 => String::new(),
            _ => format!("{}: ", listed.letter),
        };
        out.push_str(&format!(
            "  {letter}{} to {}{target}\n",
            listed.sender, listed.mission
        ));
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
    let of_letters = match plan.templates.len() {
        1 => String::new(),
        _ => format!(
            "  In this order, the letters {}\n",
            plan.templates
                .iter()
                .map(|t| t.front.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut text = format!(
        "Would write {} ({}) to {}, to {destination}:\n{of_letters}{out}",
        crate::text::count(total, "letter"),
        plan.format.name(),
        crate::text::count(missions, "mission"),
    );
    if let Some(letter) = &first.first_letter {
        text.push_str("\nThe first letter:\n\n");
        text.push_str(&render::text::render(letter));
    }
    output::write_stdout(text.as_bytes())?;
    Ok(Finished {
        summary: Summary {
            letters: total,
            ..Summary::default()
        },
        error: None,
    })
}
