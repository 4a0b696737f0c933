//! The command line: one file per subcommand.

mod check;
mod completions;
mod embassies;
mod letters;
mod man;
mod profile;
mod prompt;
mod search;
mod wizard;
mod write;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueHint};

use crate::catalog::{Catalog, CatalogPaths};
use crate::error::Result;

const EXAMPLES: &str = "\
In a terminal, `protest` alone starts the guided mode: it asks which letter, who it is from and
which embassy it goes to, shows the letter, and writes it. `protest profile` saves your details.

Examples:
  protest                                           the guided mode: one letter, step by step
  protest letters                                   list the shipped letters
  protest embassies --country GB                    the mission in the United Kingdom
  protest write bokayev-ayanov --to gb-london --sender examples/sender.toml
  protest write mamai --country \"United States\" --name \"Ann Lee\" -o letter.txt
  protest write all-political-prisoners --all --sender me.toml --out letters/
  protest check --letters my-letters/ --embassies my-embassies.toml

Exit codes: 0 ok, 1 some letters of a batch failed, 2 usage, 65 bad data,
66 input file missing, 73 output cannot be created, 74 write failed, 130 cancelled.";

/// The version, and how current the built-in data is: the newest date it was
/// verified or a prisoner's news reported (build.rs finds it).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (data as of ",
    env!("PROTEST_DATA_DATE"),
    ")"
);

pub use completions::answer_if_asked as answer_completion_request;

/// Write protest letters to Kazakhstan's embassies for the release of political prisoners.
#[derive(Debug, Parser)]
#[command(name = "protest", version = VERSION, after_help = EXAMPLES, max_term_width = 100)]
#[command(long_about = "\
Write protest letters to Kazakhstan's embassies for the release of political prisoners.

protest combines a letter template (the demands, the prisoners named) with the directory of
Kazakhstan's missions abroad and your details, and writes a personalised letter: plain text,
an email draft (.eml, mbox, mailto) or a print-ready PDF, for one sender or a whole CSV of them.
The shipped letters and directory are built in; add your own with --letters and --embassies.
Nothing is sent and nothing leaves this computer: protest makes no network connections.

Run `protest` alone in a terminal for the guided mode, which asks its questions one by one.")]
pub struct Cli {
    #[command(flatten)]
    pub data: DataArgs,
    /// Print only errors on standard error: no warnings, notes or progress
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do; without one, in a terminal, the guided mode
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where the user's own templates and directory entries are.
#[derive(Debug, Clone, Default, Args)]
pub struct DataArgs {
    /// A directory of your own templates (*.hbs) and prisoners.toml; a template with a shipped id replaces it
    #[arg(long, global = true, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub letters: Option<PathBuf>,
    /// A TOML file of directory entries, merged over the shipped embassies by id
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub embassies: Option<PathBuf>,
}

impl DataArgs {
    pub fn load(&self) -> Result<Catalog> {
        Catalog::load(&CatalogPaths {
            letters_dir: self.letters.clone(),
            embassies_file: self.embassies.clone(),
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Write(Box<write::WriteArgs>),
    Letters(letters::LettersArgs),
    Embassies(embassies::EmbassiesArgs),
    Check(check::CheckArgs),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
    Wizard(wizard::WizardArgs),
    Profile(profile::ProfileArgs),
}

pub fn run(cli: Cli) -> Result<()> {
    crate::notice::set_quiet(cli.quiet);
    let Some(command) = cli.command else {
        return wizard::run(&cli.data, wizard::WizardArgs {});
    };
    match command {
        Command::Write(args) => write::run(&cli.data, *args),
        Command::Letters(args) => letters::run(&cli.data, args),
        Command::Embassies(args) => embassies::run(&cli.data, args),
        Command::Check(args) => check::run(&cli.data, args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Wizard(args) => wizard::run(&cli.data, args),
        Command::Profile(args) => profile::run(&cli.data, args),
    }
}

/// Prints `value` as pretty JSON followed by a newline.
fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).expect("values serialise");
    text.push('\n');
    crate::output::write_stdout(text.as_bytes())
}
