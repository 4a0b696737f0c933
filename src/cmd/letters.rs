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
        #[arg(add = clap_complete::engine::ArgValueCandidates::new(super::completions::letter_ids))]
        id: String,
    },
    /// List the people the letters name, with their last reported status
    Prisoners,
}

pub fn run(data: &DataArgs, args: LettersArgs) -> Result<()> {
    let catalog = data.load()?;
    match args.action {
        None => list(&catalog, args.json),
        Some(Action::Show { id }) => show(&catalog, catalog.template(&id)?, args.json),
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
    value["file"] = json!(template.origin.0);
    value
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
    let mut out = format!("{:<id_width$}  {:<6} TITLE\n", "ID", "LANG");
    for template in catalog.current_letters() {
        let front = &template.front;
        out.push_str(&format!(
            "{:<id_width$}  {:<6} {}\n",
            front.id, front.language, front.title
        ));
        let names = names(catalog, template);
        if !names.is_empty() {
            out.push_str(&format!(
                "{:<id_width$}  {:<6} naming {}\n",
                "",
                "",
                names.join(", ")
            ));
        }
    }
    out.push_str("\nWrite one with: protest write ID --to EMBASSY --name \"Your Name\"\n");
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
    let mut table = crate::table::Table::new(&["ID", "NAME", "STATUS", "AS OF", "NOTE"]);
    for p in catalog.prisoners.values() {
        table.row(vec![
            p.id.clone(),
            p.name.clone(),
            p.status.as_str().to_string(),
            p.status_date.clone(),
            p.status_note.clone(),
        ]);
    }
    let mut out = table.render();
    out.push_str("\nStatuses are what the campaign last reported, not today's truth.\n");
    crate::output::write_stdout(out.as_bytes())
}
