//! `protest embassies`: the directory of the campaign's state's missions.

use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::options::DataArgs;
use super::print::{name_id, print_json};
use crate::catalog::{Catalog, Mission, MissionKind};
use crate::error::Result;
use crate::table::Table;
use crate::text::count;

/// List the missions of {state} in the directory, or show one
#[derive(Debug, Args)]
#[command(after_help = "\
Addresses come from public sources, each with its source, the date it was last verified and a
confidence (high, medium, low). Check the mission's official page before you post a letter.
Add or correct entries in your own TOML file and pass it with --embassies FILE.")]
pub struct EmbassiesArgs {
    #[command(subcommand)]
    action: Option<Action>,
    /// Only missions in this country (ISO code such as GB, or a name such as "United Kingdom")
    #[arg(long, value_name = "COUNTRY")]
    country: Option<String>,
    /// Print JSON for scripts: an array of objects, each with its `id`
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Show every field of one mission, with its source
    Show {
        /// The mission's id, e.g. gb-london
        #[arg(add = clap_complete::engine::ArgValueCandidates::new(super::completions::mission_ids))]
        id: String,
    },
}

pub fn run(data: &DataArgs, args: EmbassiesArgs) -> Result<()> {
    let catalog = data.load()?;
    if let Some(Action::Show { id }) = &args.action {
        let mission = catalog.mission(id)?;
        return if args.json {
            print_json(&json!({ "missions": [entry(&catalog, mission)] }))
        } else {
            crate::output::write_stdout(show(&catalog, mission).as_bytes())
        };
    }
    let code = args
        .country
        .as_deref()
        .map(|c| catalog.country_code(c))
        .transpose()?;
    let missions: Vec<&Mission> = catalog
        .missions
        .iter()
        .filter(|m| {
            code.as_deref()
                .is_none_or(|c| m.country == c || m.accredited_to.iter().any(|a| a == c))
        })
        .collect();
    if args.json {
        let all: Vec<Value> = missions.iter().map(|m| entry(&catalog, m)).collect();
        return print_json(&json!({ "missions": all }));
    }
    let mut table = Table::new(&[
        "ID",
        "KIND",
        "CITY",
        "COUNTRY",
        "ADDRESS",
        "EMAIL",
        "VERIFIED",
        "CONFIDENCE",
    ]);
    for m in &missions {
        table.row(vec![
            m.id.clone(),
            m.kind.as_str().to_string(),
            m.city.clone(),
            catalog.countries.name_or_code(&m.country).to_string(),
            yes_no(m.has_postal_address()).to_string(),
            yes_no(m.email.is_some()).to_string(),
            m.verified.as_deref().unwrap_or("-").to_string(),
            m.confidence.map_or("-", confidence_str).to_string(),
        ]);
    }
    let mut out = String::new();
    if let Some(note) = code.as_deref().and_then(|c| catalog.coverage_note(c)) {
        out.push_str(&format!("{note}\n\n"));
    }
    out.push_str(&table.render());
    if missions.is_empty() {
        out.push_str("(none)\n");
    }
    let authorities = missions
        .iter()
        .filter(|m| m.kind == MissionKind::Authority)
        .count();
    let also = match authorities {
        0 => String::new(),
        1 => format!(
            " and 1 authority in {} (kind authority)",
            catalog.campaign.state
        ),
        n => format!(
            " and {n} authorities in {} (kind authority)",
            catalog.campaign.state
        ),
    };
    out.push_str(&format!(
        "\n{}{also}; {} with a postal address, {} with an email. Check before you post.\n",
        count(missions.len() - authorities, "mission"),
        missions.iter().filter(|m| m.has_postal_address()).count(),
        missions.iter().filter(|m| m.email.is_some()).count()
    ));
    crate::output::write_stdout(out.as_bytes())
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

pub fn confidence_str(c: crate::catalog::Confidence) -> &'static str {
    match c {
        crate::catalog::Confidence::High => "high",
        crate::catalog::Confidence::Medium => "medium",
        crate::catalog::Confidence::Low => "low",
    }
}

fn entry(catalog: &Catalog, mission: &Mission) -> Value {
    let mut value = serde_json::to_value(mission).expect("a mission serialises");
    value["country_name"] = json!(catalog.countries.name(&mission.country));
    name_id(&mut value, "mission");
    value
}

fn show(catalog: &Catalog, m: &Mission) -> String {
    let mut out = format!("{}: {}, {}\n", m.id, m.name, m.city);
    let field = |out: &mut String, name: &str, value: Option<&str>| {
        out.push_str(&format!("{name:<13}{}\n", value.unwrap_or("(not known)")));
    };
    field(&mut out, "kind:", Some(m.kind.as_str()));
    let country = format!(
        "{} ({})",
        catalog.countries.name(&m.country).unwrap_or("?"),
        m.country
    );
    field(&mut out, "country:", Some(&country));
    match &m.address {
        Some(lines) if !lines.is_empty() => {
            out.push_str("address:     ");
            out.push_str(&lines.join("\n             "));
            out.push('\n');
        }
        _ => field(&mut out, "address:", None),
    }
    field(&mut out, "email:", m.email.as_deref());
    if !m.other_emails.is_empty() {
        field(&mut out, "other email:", Some(&m.other_emails.join(", ")));
    }
    field(&mut out, "phone:", m.phone.as_deref());
    field(&mut out, "fax:", m.fax.as_deref());
    field(&mut out, "website:", m.website.as_deref());
    match &m.head {
        Some(h) => {
            let name = match &h.honorific {
                Some(hon) => format!("{hon} {}", h.name),
                None => h.name.clone(),
            };
            field(
                &mut out,
                "head:",
                Some(&format!(
                    "{name}, {} (as of {}; {})",
                    h.title, h.as_of, h.source
                )),
            );
        }
        None => field(&mut out, "head:", None),
    }
    if !m.accredited_to.is_empty() {
        let names = catalog.countries.names(&m.accredited_to);
        field(&mut out, "also covers:", Some(&names));
    }
    field(&mut out, "source:", m.source.as_deref());
    field(&mut out, "verified:", m.verified.as_deref());
    field(&mut out, "confidence:", m.confidence.map(confidence_str));
    if let Some(notes) = &m.notes {
        field(&mut out, "notes:", Some(notes));
    }
    out
}
