//! What a run says before it writes: what the facts behind a letter cannot
//! vouch for, an address not to trust, columns nothing reads, threads cut.

use crate::catalog::{Catalog, Confidence, LetterTemplate, Mission};
use crate::date::Date;
use crate::error::Result;

/// Says, before the letter is written, what the facts behind it cannot
/// vouch for: news over a year older than the letter. (A historical text
/// is asked for by --as-of, and its date says what it is.)
pub fn warn_about_facts(catalog: &Catalog, template: &LetterTemplate, date: Date) {
    for (prisoner, _) in catalog.asks(template) {
        if let Some(warning) = prisoner.stale_warning(date) {
            crate::notice::warn(warning);
        }
    }
}

/// Says, before the letters are written, what their addresses leave out for
/// want of the directory's forms in their language (a user's own entry
/// without [mission.ru]): once for each mission and language.
pub fn warn_about_missing_forms(
    catalog: &Catalog,
    templates: &[&LetterTemplate],
    missions: &[&Mission],
) {
    let mut said = std::collections::BTreeSet::new();
    for template in templates {
        for mission in missions {
            let language = &template.front.language;
            for warning in crate::compose::missing_address_forms(catalog, mission, language) {
                if said.insert(warning.clone()) {
                    crate::notice::warn(warning);
                }
            }
        }
    }
}

/// Says, before the letter is written, when its address cannot be trusted.
pub fn warn_about_address(mission: &Mission) {
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

/// Columns of a senders CSV that reach no letter, said once: in the plan of
/// a dry run, else as a warning.
pub fn say_unused_columns(headers: &[String], dry_run: bool) -> Result<()> {
    if headers.is_empty() {
        return Ok(());
    }
    let list = headers
        .iter()
        .map(|h| crate::text::quote(h).to_string())
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
pub fn threads(requested: usize) -> usize {
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
