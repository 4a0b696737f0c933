//! The options several subcommands read alike: where the campaign's data
//! is (`--campaign`, `--letters`, `--embassies`), before the subcommand or
//! after its own, and a day (`--date`).

use std::path::PathBuf;

use clap::{Args, ValueHint};

use crate::catalog::{Catalog, CatalogPaths};
use crate::date::Date;
use crate::error::{Error, Result};

pub const CAMPAIGN_HELP: &str =
    "The campaign to write for: a name `protest campaigns` lists, or a \
    campaign's folder [default: config.toml's `campaign`, else the built-in one]";
pub const LETTERS_HELP: &str = "A directory of your own templates (*.hbs) and prisoners.toml; a \
    template with a shipped id replaces it";
pub const EMBASSIES_HELP: &str =
    "A TOML file of directory entries, merged over the shipped embassies by id";

// Where the user's own templates and directory entries are: the options of
// every subcommand that reads them, global below it (`letters prisoners
// --letters DIR`). Not a doc comment: flattened into a subcommand, clap
// would take it for the subcommand's description.
#[derive(Debug, Clone, Default, Args)]
pub struct DataArgs {
    #[arg(long, global = true, value_name = "NAME|DIR", value_hint = ValueHint::DirPath, help = CAMPAIGN_HELP)]
    pub campaign: Option<String>,
    #[arg(long, global = true, value_name = "DIR", value_hint = ValueHint::DirPath, help = LETTERS_HELP)]
    pub letters: Option<PathBuf>,
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath, help = EMBASSIES_HELP)]
    pub embassies: Option<PathBuf>,
}

impl DataArgs {
    /// Where the catalog of the campaign in force is, with the user's own files over it.
    pub fn paths(&self) -> Result<CatalogPaths> {
        crate::campaigns::paths(
            self.campaign.as_deref(),
            self.letters.clone(),
            self.embassies.clone(),
        )
    }

    pub fn load(&self) -> Result<Catalog> {
        Catalog::load(&self.paths()?)
    }
}

// The options of a subcommand that reads the letters and the directory,
// with `--letters` and `--embassies` after its own. (Not a doc comment, for
// the reason DataArgs has none.)
#[derive(Debug, Args)]
pub struct WithData<T: Args> {
    #[command(flatten)]
    pub args: T,
    #[command(flatten)]
    pub data: DataArgs,
}

impl DataArgs {
    /// These options, or where one is not given, the one given before the subcommand.
    pub fn over(self, top: DataArgs) -> DataArgs {
        DataArgs {
            campaign: self.campaign.or(top.campaign),
            letters: self.letters.or(top.letters),
            embassies: self.embassies.or(top.embassies),
        }
    }

    /// A usage error when the options were given before a subcommand that
    /// reads no letters: an option that would do nothing is a mistake to say.
    pub fn refuse(&self, command: &str) -> Result<()> {
        let given = [
            ("--campaign", self.campaign.is_some()),
            ("--letters", self.letters.is_some()),
            ("--embassies", self.embassies.is_some()),
        ];
        match given.iter().find(|(_, given)| *given) {
            Some((option, _)) => Err(Error::usage(format!(
                "{option}: `protest {command}` reads no letters or directory, so it does not take it"
            ))
            .with_help(format!("leave {option} out: see `protest {command} --help`"))),
            None => Ok(()),
        }
    }
}

/// The day a date option (`--date`, `--as-of`) names, if it was given.
pub fn date_option(flag: &str, text: Option<&str>) -> Result<Option<Date>> {
    text.map(|text| Date::parse(text).map_err(|err| Error::usage(format!("{flag}: {err}"))))
        .transpose()
}
