//! `protest campaigns`: the campaigns one can write for, built in and one's
//! own, with how current each one's data is.

use clap::Args;
use serde_json::{json, Value};

use super::options::DataArgs;
use super::print::print_json;
use crate::campaigns::{Known, Settings};
use crate::catalog::{CampaignSource, Catalog};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::table::Table;
use crate::text::count;

/// List the campaigns you can write for (the states and their prisoners), built in and your own
#[derive(Debug, Args)]
#[command(after_help = "\
A campaign is a folder: campaign.toml (the state, its words in each language of the letters,
its authorities, the privacy advice), letters/ (the letters, and the people in prisoners.toml)
and embassies.toml (the state's missions abroad). The built-in ones are in the binary; yours
are listed in ~/.config/protest/config.toml as campaigns = [\"/path/to/folder\", …], and
campaign = \"NAME\" there picks the one in force. --campaign NAME|DIR picks one for a command.
The data folder (PROTEST_DATA, or data = in config.toml) goes over the campaign it is of.
`protest check --campaign DIR` checks a folder; README \"Your own campaign\" explains it all.")]
pub struct CampaignsArgs {
    /// Print JSON for scripts: an array of objects, each with its `campaign`
    #[arg(long)]
    json: bool,
}

/// One campaign as listed: what it is, and its data loaded, or why it cannot be.
struct Listed {
    known: Known,
    in_force: bool,
    catalog: Result<Catalog>,
}

pub fn run(top: &DataArgs, args: CampaignsArgs) -> Result<()> {
    for (option, given) in [
        ("--letters", top.letters.is_some()),
        ("--embassies", top.embassies.is_some()),
    ] {
        if given {
            return Err(Error::usage(format!(
                "{option}: `protest campaigns` lists the campaigns as they are, so it does not take it"
            ))
            .with_help(format!("leave {option} out: see `protest campaigns --help`")));
        }
    }
    let settings = Settings::read()?;
    let in_force = settings.choose(top.campaign.as_deref())?;
    let mut known = settings.known()?;
    // A folder named by --campaign or `campaign =` alone is listed too.
    if !known.iter().any(|k| k.source == in_force.source) {
        known.push(in_force.clone());
    }
    let today = Date::today()?;
    let mut listed: Vec<Listed> = known
        .into_iter()
        .map(|known| Listed {
            in_force: known.source == in_force.source,
            catalog: Catalog::load(&known.paths(None, None)),
            known,
        })
        .collect();
    // A folder whose campaign.toml cannot be read has no name to go by.
    listed.extend(settings.unreadable().map(|(dir, err)| Listed {
        known: Known {
            name: String::new(),
            source: CampaignSource::Folder(dir.clone()),
            update: None,
        },
        in_force: false,
        catalog: Err(err.clone()),
    }));
    let broken = listed.iter().filter(|l| l.catalog.is_err()).count();
    if args.json {
        let all: Vec<Value> = listed.iter().map(|l| entry(l, today)).collect();
        print_json(&json!({ "campaigns": all }))?;
    } else {
        crate::output::write_stdout(table(&listed, today).as_bytes())?;
        for listed in &listed {
            if let Err(err) = &listed.catalog {
                crate::notice::say(format_args!("error: {err}"));
            }
        }
    }
    match broken {
        0 => Ok(()),
        n => Err(Error::data(format!(
            "{} cannot be read; `protest check --campaign NAME` says more",
            count(n, "campaign")
        ))),
    }
}

fn table(listed: &[Listed], today: Date) -> String {
    let mut table = Table::new(&["NAME", "STATE", "CURRENT", "DATA AS OF", "WHERE"]);
    for listed in listed {
        let name = match (listed.in_force, listed.known.name.as_str()) {
            (_, "") => "?".to_string(),
            (true, name) => format!("{name} *"),
            (false, name) => name.to_string(),
        };
        let mut place = listed.known.place();
        if let Some(update) = &listed.known.update {
            place.push_str(&format!(", under {}", update.path.display()));
        }
        let row = match &listed.catalog {
            Ok(catalog) => vec![
                name,
                catalog.campaign.state.clone(),
                catalog.current_letters(today).count().to_string(),
                catalog.data_date().unwrap_or_else(|| "-".into()),
                place,
            ],
            Err(_) => vec![name, "?".into(), "-".into(), "-".into(), place],
        };
        table.row(row);
    }
    let mut out = table.render();
    out.push_str(
        "\n* in force. Another one: protest --campaign NAME …, or campaign = \"NAME\" in \
         config.toml.\nCURRENT: the letters current today; DATA AS OF: the newest date a \
         mission was verified or a person's news reported.\n",
    );
    out
}

fn entry(listed: &Listed, today: Date) -> Value {
    let known = &listed.known;
    let mut value = json!({
        "campaign": (!known.name.is_empty()).then_some(&known.name),
        "in_force": listed.in_force,
        "builtin": matches!(known.source, CampaignSource::Builtin(_)),
        "folder": match &known.source {
            CampaignSource::Folder(dir) => Some(dir.path.display().to_string()),
            CampaignSource::Builtin(_) => None,
        },
        "data_folder": known.update.as_ref().map(|d| d.path.display().to_string()),
    });
    match &listed.catalog {
        Ok(catalog) => {
            let campaign = &catalog.campaign;
            value["state"] = json!(campaign.state);
            value["about"] = json!(campaign.about);
            value["languages"] = json!(campaign.languages.keys().collect::<Vec<_>>());
            value["letters"] = json!(catalog.templates.len());
            value["current_letters"] = json!(catalog.current_letters(today).count());
            value["missions"] = json!(catalog.missions.len());
            value["data_as_of"] = json!(catalog.data_date());
        }
        Err(err) => value["error"] = json!(err.message),
    }
    value
}
