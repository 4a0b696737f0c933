//! `protest check`: validate the shipped data and the user's own.

use clap::Args;
use serde_json::{json, Map};

use super::options::DataArgs;
use super::print::print_json;
use super::warnings::language_warnings;
use crate::catalog::{CampaignSource, Catalog, Event, Mission, Prisoner, Sender};
use crate::compose::{compose_every_wording, Facts, Request};
use crate::date::{Date, PartialDate};
use crate::error::{Error, ErrorKind, Result};
use crate::origin::Origin;
use crate::text::count;

/// Check templates and directory entries for mistakes
#[derive(Debug, Args)]
#[command(after_help = "\
Checks that every template parses and renders against every mission, every prisoner id exists,
ids are unique, countries and emails are well formed, and every directory entry says where its
data came from and when it was verified, and every person has a dated history of events, oldest
first. Every number, date and quotation in a letter's text must be carried by one of its listed
facts ([[fact]], each with date and source), quotations ([[quote]], a source's exact words) or
titles; an error names the file, line and the words. The alternatives of a {{#vary}} block must
state the same numbers, dates, quotations, titles and people, and each is rendered. Listed as
warnings: entries verified more than two years ago, and people named by a current letter whose
newest event is more than a year old (check before sending). Then the data's age: for each
current letter, the date of its newest fact and each person's last report, oldest first, so a
campaign sees what to refresh first. The campaign (--campaign NAME|DIR: its campaign.toml too,
and the language of each letter against it) and the data folder in force (PROTEST_DATA or `data`
in config.toml) are checked with the rest. Exits 65 when there is an error.")]
pub struct CheckArgs {
    /// Print the findings as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Default, serde::Serialize)]
struct Findings {
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Findings {
    fn error(&mut self, origin: &Origin, line: Option<usize>, message: impl std::fmt::Display) {
        self.errors.push(origin.error_at(line, message).message);
    }

    fn warn(&mut self, origin: &Origin, line: Option<usize>, message: impl std::fmt::Display) {
        self.warnings.push(origin.error_at(line, message).message);
    }
}

/// How old a verification may be before `check` lists it.
const STALE_AFTER_DAYS: i64 = 2 * 365;

pub fn run(data: &DataArgs, args: CheckArgs) -> Result<()> {
    let catalog = match data.load() {
        Ok(catalog) => catalog,
        // What cannot be read at all is the first finding a script must see.
        Err(err) if args.json => {
            print_json(&json!({
                "ok": false,
                "errors": [err.message],
                "warnings": [],
            }))?;
            return Err(err);
        }
        Err(err) => return Err(err),
    };
    let mut findings = Findings::default();
    if let (true, CampaignSource::Folder(dir)) =
        (catalog.templates.is_empty(), &catalog.campaign_source)
    {
        findings.error(
            &Origin::file(&dir.path.join("letters")),
            None,
            "the campaign has no letters: nothing to write; add letters/ID.hbs (README \
             \"Your own campaign\")",
        );
    }
    let today = Date::today()?;
    let mut languages: Vec<&str> = catalog
        .all_templates()
        .map(|t| t.front.language.as_str())
        .collect();
    languages.sort();
    languages.dedup();
    for mission in &catalog.missions {
        check_mission(&catalog, mission, today, &mut findings);
        // What a letter in one of the campaign's languages leaves out.
        for language in &languages {
            for warning in crate::compose::missing_address_forms(&catalog, mission, language) {
                let (origin, line) = catalog.mission_line(&mission.id, "id");
                findings.warn(&origin, line, warning);
            }
        }
    }
    check_prisoners(&catalog, today, &mut findings);
    check_templates(&catalog, &mut findings);
    check_sources(&catalog, today, &mut findings);
    let age = data_age(&catalog, today);

    let people = match catalog.prisoners.len() {
        1 => "1 person".to_string(),
        n => format!("{n} people"),
    };
    let current = catalog.current_letters(today).count();
    // The built-in campaign is the one everybody has; any other is named.
    let campaign = match &catalog.campaign_source {
        CampaignSource::Builtin(0) => String::new(),
        CampaignSource::Builtin(_) => format!(" (campaign {})", catalog.campaign.name),
        CampaignSource::Folder(dir) => {
            format!(" (campaign {}: {})", catalog.campaign.name, dir.set_by)
        }
    };
    let data = catalog
        .data_dir
        .as_ref()
        .map_or(String::new(), |d| format!(" (data folder {})", d.set_by));
    let data = format!("{campaign}{data}");
    let counts = format!(
        "{} ({current} current), {people}, {}{data}",
        count(catalog.templates.len(), "letter"),
        count(catalog.missions.len(), "mission")
    );
    if args.json {
        print_json(&json!({
            "ok": findings.errors.is_empty(),
            "campaign": catalog.campaign.name,
            "letters": catalog.templates.len(),
            "current_letters": current,
            "data": catalog.data_dir.as_ref().map(|d| d.path.display().to_string()),
            "people": catalog.prisoners.len(),
            "missions": catalog.missions.len(),
            "errors": findings.errors,
            "warnings": findings.warnings,
            "age": age,
        }))?;
    } else {
        for warning in &findings.warnings {
            crate::notice::warn(warning);
        }
        for error in &findings.errors {
            eprintln!("error: {error}");
        }
    }
    if findings.errors.is_empty() {
        if !args.json {
            let ok = format!(
                "ok: {counts} ({})\n{}",
                count(findings.warnings.len(), "warning"),
                age_table(&age, today)
            );
            crate::output::write_stdout(ok.as_bytes())?;
        }
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Data,
            format!(
                "check found {} in {counts}",
                count(findings.errors.len(), "error")
            ),
        ))
    }
}

fn check_mission(catalog: &Catalog, m: &Mission, today: Date, findings: &mut Findings) {
    let at = |field: &str| catalog.mission_line(&m.id, field);
    let id_ok = !m.id.is_empty()
        && m.id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_ok {
        let (origin, line) = at("id");
        findings.error(
            &origin,
            line,
            format!(
                "id {}: use lower-case letters, digits and hyphens",
                crate::text::quote(&m.id)
            ),
        );
    }
    if !catalog.countries.is_code(&m.country) {
        let (origin, line) = at("country");
        findings.error(
            &origin,
            line,
            format!(
                "{}: country `{}` is not an ISO 3166-1 alpha-2 code",
                m.id, m.country
            ),
        );
    }
    for code in &m.accredited_to {
        if !catalog.countries.is_code(code) {
            let (origin, line) = at("accredited_to");
            findings.error(
                &origin,
                line,
                format!(
                    "{}: accredited_to `{code}` is not an ISO 3166-1 alpha-2 code",
                    m.id
                ),
            );
        }
    }
    for (field, email) in std::iter::once(("email", m.email.as_ref()))
        .chain(m.other_emails.iter().map(|e| ("other_emails", Some(e))))
    {
        if let Some(email) = email.filter(|e| !is_email(e)) {
            let (origin, line) = at(field);
            findings.error(
                &origin,
                line,
                format!(
                    "{}: {field} {} is not an email address",
                    m.id,
                    crate::text::quote(email)
                ),
            );
        }
    }
    if let Some(site) = m
        .website
        .as_ref()
        .filter(|w| !w.starts_with("https://") && !w.starts_with("http://"))
    {
        let (origin, line) = at("website");
        findings.error(
            &origin,
            line,
            format!(
                "{}: website {} must start with https://",
                m.id,
                crate::text::quote(site)
            ),
        );
    }
    if m.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
        let (origin, line) = at("id");
        findings.error(
            &origin,
            line,
            format!("{}: no `source`: say where the data came from", m.id),
        );
    }
    if m.confidence.is_none() {
        let (origin, line) = at("id");
        findings.error(
            &origin,
            line,
            format!("{}: no `confidence` (high, medium or low)", m.id),
        );
    }
    match m.verified.as_deref().map(Date::parse) {
        None => {
            let (origin, line) = at("id");
            findings.error(
                &origin,
                line,
                format!(
                    "{}: no `verified` date: when was the data last checked?",
                    m.id
                ),
            );
        }
        Some(Err(err)) => {
            let (origin, line) = at("verified");
            findings.error(&origin, line, format!("{}: verified: {err}", m.id));
        }
        Some(Ok(date)) if date > today => {
            let (origin, line) = at("verified");
            findings.error(
                &origin,
                line,
                format!("{}: verified {date} is in the future", m.id),
            );
        }
        Some(Ok(date)) if today.days_since_epoch() - date.days_since_epoch() > STALE_AFTER_DAYS => {
            let (origin, line) = at("verified");
            findings.warn(
                &origin,
                line,
                format!("{}: last verified {date}, over two years ago", m.id),
            );
        }
        Some(Ok(_)) => {}
    }
    if let Some(head) = &m.head {
        if Date::parse(&head.as_of).is_err() {
            let (origin, line) = at("as_of");
            findings.error(
                &origin,
                line,
                format!(
                    "{}: head.as_of `{}` is not a YYYY-MM-DD date",
                    m.id, head.as_of
                ),
            );
        }
    }
}

/// "the sentence of 2023-02-03": the term an event begins, as a noun.
fn term_noun(kind: crate::catalog::EventKind) -> &'static str {
    use crate::catalog::EventKind::*;
    match kind {
        Sentenced => "sentence",
        RestrictedFreedom => "restricted freedom",
        SuspendedSentence => "suspended sentence",
        Supervision => "supervision",
        Ban => "ban",
        _ => "term",
    }
}

/// The person's last sentence or restriction, when it has no end: a term
/// runs out, and a letter dated after it must not ask as if it had not.
fn open_ended_term(p: &Prisoner) -> Option<&Event> {
    use crate::catalog::Status;
    let last = p.events.iter().rev().find(|e| e.kind.status().is_some())?;
    let term = matches!(
        last.kind.status(),
        Some(Status::Sentenced | Status::Restricted)
    );
    (term && last.until.is_none()).then_some(last)
}

fn check_prisoners(catalog: &Catalog, today: Date, findings: &mut Findings) {
    for p in catalog.prisoners.values() {
        if p.events.is_empty() {
            let (origin, line) = catalog.prisoner_line(&p.id, "id");
            findings.error(
                &origin,
                line,
                format!(
                    "{}: no events: add at least one [[prisoner.event]] with date, kind, note, \
                     source and confidence",
                    p.id
                ),
            );
        }
        if let Some((later, earlier)) = p.misordered() {
            let (origin, line) = catalog.prisoner_line(&p.id, "id");
            findings.error(
                &origin,
                line,
                format!(
                    "{}: the event of {} comes after that of {}: list events oldest first",
                    p.id, later.date, earlier.date
                ),
            );
        }
        if let Some(term) = open_ended_term(p) {
            let (origin, line) = catalog.prisoner_line(&p.id, "id");
            findings.error(
                &origin,
                line,
                format!(
                    "{}: the {} of {} has no `until`: add the month its term ends (by your \
                     count, from the sentence and the time already served), or letters will \
                     ask for {} for ever",
                    p.id,
                    term_noun(term.kind),
                    term.date,
                    p.name
                ),
            );
        }
        for event in &p.events {
            // A slip of the keys (2062 for 2026) would hide the event from every letter.
            if event.date.first_day() > today {
                let (origin, line) = catalog.prisoner_line(&p.id, "id");
                findings.error(
                    &origin,
                    line,
                    format!(
                        "{}: the event of {} is in the future: an event records what has \
                         happened (when a term is expected to end is its `until`)",
                        p.id, event.date
                    ),
                );
            }
            if event
                .until
                .is_some_and(|u| u.last_day() < event.date.first_day())
            {
                let (origin, line) = catalog.prisoner_line(&p.id, "until");
                findings.error(
                    &origin,
                    line,
                    format!(
                        "{}: until {} is before the event's date {}",
                        p.id,
                        event.until.expect("checked"),
                        event.date
                    ),
                );
            }
        }
    }
    // Only the people current letters ask for: the others are history.
    let mut named: Vec<&str> = catalog
        .current_letters(today)
        .flat_map(|t| t.front.prisoners.iter().map(String::as_str))
        .collect();
    named.sort_unstable();
    named.dedup();
    for id in named {
        let Some(p) = catalog.prisoners.get(id) else {
            continue;
        };
        if let Some(warning) = p.stale_warning(today) {
            let (origin, line) = catalog.prisoner_line(&p.id, "id");
            findings.warn(&origin, line, warning);
        }
    }
}

fn check_templates(catalog: &Catalog, findings: &mut Findings) {
    let samples = sample_senders();
    let date = Date::parse("2016-05-26").expect("a valid date");
    for template in catalog.all_templates() {
        let front = &template.front;
        for warning in language_warnings(catalog, template) {
            findings.warn(&template.origin, None, warning);
        }
        if !catalog.campaign.speaks(&front.language) {
            findings.warn(
                &template.origin,
                template.front_line("language"),
                format!(
                    "language `{}`: {} has no [language.{}], so the letter is addressed in \
                     English; add the state's words in it",
                    front.language,
                    catalog.campaign.origin,
                    crate::catalog::primary_language(&front.language)
                ),
            );
        }
        if !is_language_tag(&front.language) {
            findings.error(
                &template.origin,
                template.front_line("language"),
                format!(
                    "language `{}` is not a BCP 47 tag such as en-GB",
                    front.language
                ),
            );
        }
        if let Some(Err(err)) = front.deadline.as_deref().map(Date::parse) {
            findings.error(
                &template.origin,
                template.front_line("deadline"),
                format!("deadline: {err}"),
            );
        }
        for id in &front.prisoners {
            if !catalog.prisoners.contains_key(id) {
                findings.error(
                    &template.origin,
                    template.front_line("prisoners"),
                    format!("prisoners: no person with id `{id}`"),
                );
            }
        }
        // Render against every mission and two kinds of sender, in every
        // alternative of its `{{#vary}}` blocks, so a variable that only some
        // entries lack is found here, not in someone's letter.
        let extra = Map::new();
        'missions: for mission in &catalog.missions {
            for sender in &samples {
                let request = Request {
                    template,
                    mission,
                    sender,
                    date,
                    personal: None,
                    cc: &[],
                    extra: &extra,
                    facts: Facts::Ignored,
                    cc_embassy: false,
                };
                if let Err(err) = compose_every_wording(catalog, &request) {
                    findings
                        .errors
                        .push(format!("{} (writing to {})", err.message, mission.id));
                    break 'missions;
                }
            }
        }
    }
}

/// Each letter's text against its facts, its alternatives against each
/// other, and its facts against the people's events: a letter that states
/// what it cannot source, or that says one thing in one wording and another
/// in the next, is an error.
fn check_sources(catalog: &Catalog, today: Date, findings: &mut Findings) {
    for template in catalog.templates.values() {
        for finding in catalog.fact_errors(template, today) {
            findings.error(&template.origin, finding.line, finding.message);
        }
        let no_since = template
            .front
            .archived
            .as_ref()
            .is_some_and(|a| a.since().is_none());
        if no_since {
            findings.warn(
                &template.origin,
                template.front_line("archived"),
                "archived with no `since`: no day is known on which it was current, so \
                 `write --as-of` cannot write its historical text",
            );
        }
    }
    for template in catalog.all_templates() {
        for finding in catalog.unsupported(template) {
            findings.error(&template.origin, finding.line, finding.message);
        }
        for finding in catalog.unequal_alternatives(template) {
            findings.error(&template.origin, finding.line, finding.message);
        }
    }
}

/// How old the news behind a current letter is.
#[derive(Debug, serde::Serialize)]
struct Age {
    letter: String,
    /// The date of the newest fact the letter states, when it lists any.
    #[serde(skip_serializing_if = "Option::is_none")]
    newest_fact: Option<PartialDate>,
    people: Vec<LastReport>,
}

#[derive(Debug, serde::Serialize)]
struct LastReport {
    prisoner: String,
    name: String,
    /// The date and kind of the person's newest event.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_reported: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
}

impl Age {
    /// The oldest of its dates: what to refresh first.
    fn oldest(&self) -> Option<Date> {
        self.people
            .iter()
            .filter_map(|p| p.last_reported)
            .chain(self.newest_fact)
            .map(|d| d.first_day())
            .min()
    }
}

/// Every current letter's newest fact and people's last reports, oldest first.
fn data_age(catalog: &Catalog, today: Date) -> Vec<Age> {
    let mut ages: Vec<Age> = catalog
        .current_letters(today)
        .map(|template| Age {
            letter: template.front.id.clone(),
            newest_fact: catalog.newest_fact(template).map(|fact| fact.date),
            people: catalog
                .asks(template)
                .into_iter()
                .map(|(person, _)| {
                    let latest = person.standing_on(today).latest;
                    LastReport {
                        prisoner: person.id.clone(),
                        name: person.name.clone(),
                        last_reported: latest.map(|e| e.date),
                        kind: latest.map(|e| e.kind.as_str()),
                    }
                })
                .collect(),
        })
        .collect();
    ages.sort_by_key(|age| (age.oldest(), age.letter.clone()));
    ages
}

fn age_table(ages: &[Age], today: Date) -> String {
    if ages.is_empty() {
        return String::new();
    }
    let mut out = format!("\nThe data's age on {today}, oldest first (refresh these first):\n");
    for age in ages {
        let mut parts = vec![match age.newest_fact {
            Some(date) => format!("newest fact {date}"),
            None => "no facts listed".to_string(),
        }];
        for person in &age.people {
            parts.push(match (person.last_reported, person.kind) {
                (Some(date), Some(kind)) => {
                    format!("{} last reported {date} ({kind})", person.name)
                }
                _ => format!("{}: nothing reported", person.name),
            });
        }
        out.push_str(&format!("  {:<26} {}\n", age.letter, parts.join("; ")));
    }
    out
}

fn sample_senders() -> [Sender; 2] {
    let branch = Sender {
        name: "Sample Secretary".into(),
        role: Some("Branch Secretary".into()),
        org: Some("Sample Branch".into()),
        address: vec!["1 Sample Street".into(), "Sampletown".into()],
        town: Some("Sampletown".into()),
        country: Some("GB".into()),
        email: Some("secretary@example.org".into()),
        ..Sender::default()
    };
    let person = Sender {
        name: "Sample Person".into(),
        ..Sender::default()
    };
    [branch, person]
}

/// What an email header accepts (the drafts' own check), with a dotted
/// domain: a mission's address is never on a bare host name.
fn is_email(s: &str) -> bool {
    crate::render::email::check_address(s).is_ok()
        && s.rsplit_once('@').is_some_and(|(_, domain)| {
            domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_emails_and_language_tags() {
        assert!(is_email("london@mfa.kz"));
        assert!(!is_email("london@mfa"));
        assert!(!is_email("lon don@mfa.kz"));
        assert!(!is_email("a@b@c.kz"));
        assert!(is_language_tag("en-GB"));
        assert!(is_language_tag("kk"));
        assert!(!is_language_tag("English"));
    }
}
