//! `protest letters`: the templates, and the people they name.

use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::{print_json, DataArgs};
use crate::catalog::{Catalog, LetterTemplate};
use crate::error::Result;

/// List the letters you can write, show one, or list the people they name
#[derive(Debug, Args)]
#[command(after_help = TEMPLATE_HELP)]
pub struct LettersArgs {
    #[command(subcommand)]
    action: Option<Action>,
    /// Print JSON for scripts: an array of objects, each with its `id`
    #[arg(long, global = true)]
    json: bool,
}

const TEMPLATE_HELP: &str = "\
Each letter is a template file ID.hbs: TOML front matter between two `+++` lines (id, title,
language, subject, source; optional prisoners, demands, salutation, closing, tags, deadline, cc),
then a Handlebars body. Put your own in a directory and pass it with --letters DIR; the same id
replaces a shipped letter. `protest letters show ID` prints a shipped one to start from.
A file ID.LANG.hbs beside it (e.g. ID.ru.hbs) is the same letter in another language, with
only language, title, subject and demands in its front matter; see letters/README.md.

Paragraphs are separated by a blank line; a paragraph whose lines start with \"- \" is a list.
Variables a template can use (a name it does not have is an error, never a blank):
  {{sender.name}} {{sender.org}} {{sender.role}} {{sender.town}} {{sender.email}}
  {{sender.phone}} {{sender.country}} {{sender.country_name}}      (empty when not given)
  {{recipient.mission}} {{recipient.city}} {{recipient.country}} {{recipient.country_name}}
  {{recipient.addressee}}  {{embassy.id}} {{embassy.kind}} and every directory field
  {{date}}  {{letter.id}} {{letter.title}} {{letter.language}} {{letter.deadline}}
  {{#each prisoners}}{{name}} {{description}} {{status}} {{status_date}} {{status_note}}{{/each}}
  {{names prisoners}}   the names joined: \"A, B and C\"
  {{#each demands}}- {{this}}  (newline)  {{/each}}   one list item per demand
  {{extra.COLUMN}}      other columns of a --senders CSV
  {{#if sender.org}}...{{else}}...{{/if}}";

#[derive(Debug, Subcommand)]
enum Action {
    /// Show one letter: its front matter, the people it names and its body
    Show {
        /// The letter's id, as `protest letters` lists it
        id: String,
        /// Show the letter in this language (`protest letters` lists each letter's)
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
    },
    /// List the people the letters name, with their last reported status
    Prisoners,
}

pub fn run(data: &DataArgs, args: LettersArgs) -> Result<()> {
    let catalog = data.load()?;
    match args.action {
        None => list(&catalog, args.json),
        Some(Action::Show { id, lang }) => show(
            &catalog,
            catalog.template_in(&id, lang.as_deref())?,
            args.json,
        ),
        Some(Action::Prisoners) => prisoners(&catalog, args.json),
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

fn summary(catalog: &Catalog, template: &LetterTemplate) -> Value {
    let mut value = serde_json::to_value(&template.front).expect("front matter serialises");
    value["prisoner_names"] = json!(names(catalog, template));
    value["languages"] = json!(languages(catalog, template));
    value["file"] = json!(template.origin.0);
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

fn list(catalog: &Catalog, json: bool) -> Result<()> {
    if json {
        let all: Vec<Value> = catalog
            .templates
            .values()
            .map(|t| summary(catalog, t))
            .collect();
        return print_json(&all);
    }
    let id_width = catalog
        .templates
        .keys()
        .map(|id| id.chars().count())
        .max()
        .unwrap_or(2);
    let languages: Vec<String> = catalog
        .templates
        .values()
        .map(|t| languages(catalog, t).join(" "))
        .collect();
    let lang_width = languages
        .iter()
        .map(|l| l.len())
        .max()
        .unwrap_or(0)
        .max("LANGUAGES".len());
    let mut out = format!("{:<id_width$}  {:<lang_width$}  TITLE\n", "ID", "LANGUAGES");
    for (template, languages) in catalog.templates.values().zip(&languages) {
        let front = &template.front;
        out.push_str(&format!(
            "{:<id_width$}  {languages:<lang_width$}  {}\n",
            front.id, front.title
        ));
        let names = names(catalog, template);
        if !names.is_empty() {
            out.push_str(&format!(
                "{:<id_width$}  {:<lang_width$}  naming {}\n",
                "",
                "",
                names.join(", ")
            ));
        }
    }
    out.push_str("\nWrite one with: protest write ID --to EMBASSY --name \"Your Name\"\n");
    if languages.iter().any(|l| l.contains(' ')) {
        out.push_str("In another of its languages: protest write ID --lang ru ...\n");
    }
    crate::output::write_stdout(out.as_bytes())
}

fn show(catalog: &Catalog, template: &LetterTemplate, json: bool) -> Result<()> {
    if json {
        let mut value = summary(catalog, template);
        value["body"] = json!(template.body);
        return print_json(&vec![value]);
    }
    let front = &template.front;
    let mut out = format!("{}: {}\n", front.id, front.title);
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
    if !front.prisoners.is_empty() {
        out.push_str("\nprisoners (status as last reported):\n");
        for id in &front.prisoners {
            match catalog.prisoners.get(id) {
                Some(p) => out.push_str(&format!(
                    "  {} - {} ({}): {}\n",
                    p.name,
                    p.status.as_str(),
                    p.status_date,
                    p.status_note
                )),
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

fn prisoners(catalog: &Catalog, json: bool) -> Result<()> {
    if json {
        let all: Vec<_> = catalog.prisoners.values().collect();
        return print_json(&all);
    }
    let mut out = format!(
        "{:<24} {:<26} {:<13} {:<8} NOTE\n",
        "ID", "NAME", "STATUS", "AS OF"
    );
    for p in catalog.prisoners.values() {
        out.push_str(&format!(
            "{:<24} {:<26} {:<13} {:<8} {}\n",
            p.id,
            p.name,
            p.status.as_str(),
            p.status_date,
            p.status_note
        ));
    }
    out.push_str("\nStatuses are what the campaign last reported, not today's truth.\n");
    crate::output::write_stdout(out.as_bytes())
}
