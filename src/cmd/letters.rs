//! `protest letters`: the templates, and the people they name.

use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::options::{date_option, DataArgs};
use super::print::{name_id, print_json};
use crate::catalog::{body_name, subject_name, Catalog, LetterTemplate, Prisoner};
use crate::date::Date;
use crate::error::Result;
use crate::table::Table;

/// List the letters you can write, show one, or list the people they name
#[derive(Debug, Args)]
#[command(after_help = TEMPLATE_HELP)]
pub struct LettersArgs {
    #[command(subcommand)]
    action: Option<Action>,
    /// List the archived letters (history: they do not fit the facts), each reason its own
    #[arg(long)]
    archived: bool,
    /// The day the facts are read as of [default: today, or SOURCE_DATE_EPOCH]
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Print JSON for scripts: an array of objects, each with its `id`
    #[arg(long, global = true)]
    json: bool,
}

const TEMPLATE_HELP: &str = "\
Each letter is a template file ID.hbs: TOML front matter between two `+++` lines (id, title,
language, subject, source; optional prisoners, ask, asks, archived, demands, salutation, closing,
tags, deadline, cc, titles, and [[fact]] and [[quote]] tables: what the text states, each with
its date and source), then a Handlebars body. Put your own in a directory and pass it with
--letters DIR; the same id replaces a shipped letter. `protest letters show ID` prints one.
A file ID.LANG.hbs beside it (e.g. ID.ru.hbs) is the same letter in another language, with
only language, title, subject and demands in its front matter; see letters/README.md.

A letter is current when what it asks for each person (ask = release, lift-restrictions,
drop-charges or justice) fits that person's status on the day, as their dated events in
prisoners.toml say, and the day is not before the newest fact it states ([[fact]] in its front
matter). Otherwise it is archived: listed only by --archived, and `protest write` refuses it
(exit 65); `protest write ID --as-of DATE` writes its text as it stood on a day it was current.

Paragraphs are separated by a blank line; a paragraph whose lines start with \"- \" is a list.
Variables a template can use (a name it does not have is an error, never a blank):
  {{sender.name}} {{sender.org}} {{sender.role}} {{sender.town}} {{sender.email}}
  {{sender.phone}} {{sender.country}} {{sender.country_name}}      (empty when not given)
  {{recipient.mission}} {{recipient.city}} {{recipient.country}} {{recipient.country_name}}
  {{recipient.addressee}}  {{embassy.id}} {{embassy.kind}} and every directory field
  {{date}}  {{letter.id}} {{letter.title}} {{letter.language}} {{letter.deadline}}
  {{#each prisoners}}{{name}} {{description}} {{ask}} {{status}} {{last_event.date}}
    {{last_event.note}}{{/each}}   as of the letter's date
  {{names prisoners}}   the names joined: \"A, B and C\"
  {{#each demands}}- {{this}}  (newline)  {{/each}}   one list item per demand
  {{extra.COLUMN}}      other columns of a --senders CSV
  {{#if sender.org}}...{{else}}...{{/if}}
  {{#vary}}one wording{{or}}another{{/vary}}   each letter takes one alternative, chosen from the
    sender, so a branch's letters differ; every alternative states the same facts (`check`)";

#[derive(Debug, Subcommand)]
enum Action {
    /// Show one letter: whether it is current, the people it names with their timelines, its body
    Show {
        /// The letter's id, as `protest letters` lists it
        #[arg(add = clap_complete::engine::ArgValueCandidates::new(super::completions::letter_ids))]
        id: String,
        /// Show the letter in this language (`protest letters` lists each letter's)
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
    },
    /// List the people the letters name, each with the dated events behind their status
    Prisoners,
}

pub fn run(data: &DataArgs, args: LettersArgs) -> Result<()> {
    let catalog = data.load()?;
    let day = match date_option("--date", args.date.as_deref())? {
        Some(day) => day,
        None => Date::today()?,
    };
    match args.action {
        None => list(&catalog, day, args.archived, args.json),
        Some(Action::Show { id, lang }) => show(
            &catalog,
            catalog.template_in(&id, lang.as_deref())?,
            day,
            args.json,
        ),
        Some(Action::Prisoners) => prisoners(&catalog, day, args.json),
    }
}

fn names(catalog: &Catalog, template: &LetterTemplate) -> Vec<String> {
    template
        .front
        .prisoners
        .iter()
        .map(|id| {
            catalog
                .prisoners
                .get(id)
                .map_or_else(|| id.clone(), |p| p.name.clone())
        })
        .collect()
}

fn summary(catalog: &Catalog, template: &LetterTemplate, day: Date) -> Value {
    let mut value = serde_json::to_value(&template.front).expect("front matter serialises");
    value["prisoner_names"] = json!(names(catalog, template));
    value["languages"] = json!(languages(catalog, template));
    value["file"] = json!(template.origin.0);
    let reason = catalog.archived_reason(template, day);
    value["current"] = json!(reason.is_none());
    value["archived"] = json!(reason);
    name_id(&mut value, "letter");
    value
}

/// The language tags a letter is written in, its own first.
fn languages(catalog: &Catalog, template: &LetterTemplate) -> Vec<String> {
    catalog
        .languages(&template.front.id)
        .iter()
        .map(|t| t.front.language.clone())
        .collect()
}

fn list(catalog: &Catalog, day: Date, archived: bool, json: bool) -> Result<()> {
    let chosen: Vec<(&LetterTemplate, Vec<String>)> = catalog
        .templates
        .values()
        .map(|t| {
            let reasons = catalog
                .refusal(t, day)
                .map_or_else(Vec::new, |r| r.reasons());
            (t, reasons)
        })
        .filter(|(_, reasons)| reasons.is_empty() != archived)
        .collect();
    if json {
        let all: Vec<Value> = chosen
            .iter()
            .map(|(t, _)| summary(catalog, t, day))
            .collect();
        return print_json(&json!({ "letters": all }));
    }
    let languages: Vec<String> = chosen
        .iter()
        .map(|(t, _)| languages(catalog, t).join(" "))
        .collect();
    let mut table = Table::new(&["ID", "LANGUAGES", "TITLE"]);
    let under = |text: String| vec![String::new(), String::new(), text];
    for ((template, reasons), languages) in chosen.iter().zip(&languages) {
        let front = &template.front;
        table.row(vec![
            front.id.clone(),
            languages.clone(),
            front.title.clone(),
        ]);
        let names = names(catalog, template);
        if !names.is_empty() {
            table.row(under(format!("naming {}", names.join(", "))));
        }
        for reason in reasons {
            table.row(under(format!("archived: {reason}")));
        }
    }
    let mut out = table.render();
    if chosen.is_empty() {
        out.push_str("(none)\n");
    }
    let others = catalog.templates.len() - chosen.len();
    if archived {
        out.push_str(&format!(
            "\nArchived letters are history: they do not fit the facts on {day}, and \
             `protest write` refuses them (exit 65).\nTo reprint one as it stood, dated a day it \
             was current: protest write ID --as-of YYYY-MM-DD\n"
        ));
    } else {
        out.push_str(&format!(
            "\nCurrent on {day}. Write one with: protest write ID --to EMBASSY --name \"Your Name\"\n"
        ));
        if others > 0 {
            out.push_str(&format!(
                "{others} archived letters (history): protest letters --archived\n"
            ));
        }
    }
    if languages.iter().any(|l| l.contains(' ')) {
        out.push_str("In another of its languages: protest write ID --lang ru ...\n");
    }
    crate::output::write_stdout(out.as_bytes())
}

fn show(catalog: &Catalog, template: &LetterTemplate, day: Date, json: bool) -> Result<()> {
    if json {
        let mut value = summary(catalog, template, day);
        value["people"] = json!(catalog
            .people_of(template)
            .map(|p| person(p, day))
            .collect::<Vec<_>>());
        // Not `body`: that is the composed text's list of blocks in `write --json`.
        value["template"] = json!(template.body);
        value["wordings"] = json!(catalog
            .languages(&template.front.id)
            .iter()
            .map(|t| {
                let (texts, blocks) = wordings(catalog, t);
                json!({ "language": t.front.language, "texts": texts, "blocks": blocks })
            })
            .collect::<Vec<_>>());
        return print_json(&json!({ "letters": [value] }));
    }
    let front = &template.front;
    let mut out = format!("{}: {}\n", front.id, front.title);
    let reasons = catalog
        .refusal(template, day)
        .map_or_else(Vec::new, |r| r.reasons());
    let reason = match reasons.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        many => Some(
            many.iter()
                .map(|r| format!("\n  - {r}"))
                .collect::<String>(),
        ),
    };
    match reason {
        Some(reason) => out.push_str(&format!(
            "ARCHIVED on {day}: {reason}\n(history: `protest write` refuses it; \
             --as-of DATE writes its text as it stood on a day it was current)\n"
        )),
        None => out.push_str(&format!("current on {day}\n")),
    }
    out.push_str(&format!(
        "language: {}\nsubject:  {}\n",
        front.language, front.subject
    ));
    if let Some(deadline) = &front.deadline {
        out.push_str(&format!("deadline: {deadline}\n"));
    }
    if !front.tags.is_empty() {
        out.push_str(&format!("tags:     {}\n", front.tags.join(", ")));
    }
    out.push_str(&format!(
        "source:   {}\nfile:     {}\n",
        front.source, template.origin
    ));
    let languages: Vec<String> = catalog
        .languages(&front.id)
        .iter()
        .map(|t| {
            let (texts, blocks) = wordings(catalog, t);
            let sizes: Vec<String> = blocks.iter().map(usize::to_string).collect();
            match blocks.len() {
                0 => format!("{} 1 (no {{{{#vary}}}} block)", t.front.language),
                n => format!(
                    "{} {texts} ({}: {})",
                    t.front.language,
                    crate::text::count(n, "{{#vary}} block"),
                    sizes.join(" × ")
                ),
            }
        })
        .collect();
    out.push_str(&format!("wordings: {}\n", languages.join("; ")));
    if !front.prisoners.is_empty() {
        out.push_str("\npeople (what the letter asks; status and timeline):\n");
        for id in &front.prisoners {
            match catalog.prisoners.get(id) {
                Some(p) => {
                    out.push_str(&format!("  asks: {}\n", front.ask_for(id).as_str()));
                    out.push_str(&timeline(p, day));
                }
                None => out.push_str(&format!("  {id} - not in prisoners.toml\n")),
            }
        }
    }
    if !front.demands.is_empty() {
        out.push_str("\ndemands:\n");
        for demand in &front.demands {
            out.push_str(&format!("  - {demand}\n"));
        }
    }
    out.push_str("\n--- body ---\n");
    out.push_str(&template.body);
    crate::output::write_stdout(out.as_bytes())
}

/// How many texts a letter can give one sender's data (the product of its
/// blocks' alternatives, subject and body), and the alternatives of each block.
fn wordings(catalog: &Catalog, template: &LetterTemplate) -> (u64, Vec<usize>) {
    let id = template.engine_id();
    let mut blocks = catalog.engine.alternatives(&subject_name(&id));
    blocks.extend(catalog.engine.alternatives(&body_name(&id)));
    let texts = blocks
        .iter()
        .fold(1u64, |product, &size| product.saturating_mul(size as u64));
    (texts, blocks)
}

/// A person for scripts: the record, and the status on `day` with the event behind it.
fn person(p: &Prisoner, day: Date) -> Value {
    let standing = p.standing_on(day);
    let mut value = serde_json::to_value(p).expect("a person serialises");
    value["status"] = json!(standing.status.as_str());
    value["status_since"] = json!(standing.cause.map(|e| e.date));
    value["as_of"] = json!(day);
    value["stale"] = json!(standing.is_stale(day));
    name_id(&mut value, "prisoner");
    value
}

/// The person's status on `day`, then every event with its source, oldest first.
fn timeline(p: &Prisoner, day: Date) -> String {
    let standing = p.standing_on(day);
    let since = match (standing.cause, standing.lapsed) {
        (Some(e), true) => match (e.until, standing.latest) {
            (Some(until), _) => format!(" (term expected to end {until}; check)"),
            (None, latest) => format!(
                " ({} {}, nothing reported since {}; check)",
                e.kind.as_str(),
                e.date,
                latest.map_or(e.date, |l| l.date)
            ),
        },
        (Some(e), false) => format!(" since {}", e.date),
        (None, _) => String::new(),
    };
    let mut out = format!(
        "  {} ({}): {}{since}\n",
        p.name,
        p.id,
        standing.status.as_str()
    );
    for (event, happened_by) in p.chronology() {
        let later = happened_by > day;
        let until = event
            .until
            .map_or(String::new(), |u| format!(" (until {u})"));
        out.push_str(&format!(
            "    {:<10}  {:<18}  {}{until}{}\n",
            event.date.to_string(),
            event.kind.as_str(),
            event.note,
            if later { " [after this date]" } else { "" }
        ));
        out.push_str(&format!(
            "    {:<10}  {:<18}  source: {} (confidence {})\n",
            "",
            "",
            event.source,
            super::embassies::confidence_str(event.confidence)
        ));
    }
    if let Some(warning) = p.stale_warning(day) {
        out.push_str(&format!("    warning: {warning}\n"));
    }
    out
}

fn prisoners(catalog: &Catalog, day: Date, json: bool) -> Result<()> {
    if json {
        let all: Vec<Value> = catalog.prisoners.values().map(|p| person(p, day)).collect();
        return print_json(&json!({ "prisoners": all }));
    }
    let mut out = format!("The people the letters name, as of {day}: status, then every dated event with its source.\n\n");
    for p in catalog.prisoners.values() {
        out.push_str(&timeline(p, day));
        out.push('\n');
    }
    out.push_str("A status is what the newest event on or before the date says; check a current source before you send.\n");
    crate::output::write_stdout(out.as_bytes())
}
