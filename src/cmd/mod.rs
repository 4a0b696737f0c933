//! The command line: the [`Cli`], and `run`, which hands each subcommand
//! to its file.
//!
//! One file per subcommand: `write.rs`, `letters.rs`, `embassies.rs`,
//! `check.rs`, `completions.rs`, `man.rs`, `wizard.rs` (the guided mode, with
//! `prompt.rs` and `search.rs`), `profile.rs`, `campaigns.rs`, `send.rs`,
//! `tally.rs`. Below them, what several share:
//! - `options.rs`: where the campaign's data is, and a `--date`;
//! - `print.rs`: a JSON document on standard output;
//! - `warnings.rs`: what to know of a letter's language before sending it;
//! - `help.rs`: the help in the campaign's words.

mod campaigns;
mod check;
mod completions;
mod embassies;
mod help;
mod letters;
mod man;
mod options;
mod print;
mod profile;
mod prompt;
mod search;
mod send;
mod tally;
mod warnings;
mod wizard;
mod write;

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueHint};

use crate::error::Result;
use options::{DataArgs, WithData, CAMPAIGN_HELP, EMBASSIES_HELP, LETTERS_HELP};

const EXAMPLES: &str = "\
In a terminal, `protest` alone starts the guided mode: it asks which letter, who it is from and
which embassy it goes to, shows the letter, and writes it. `protest profile` saves your details.

Examples:
  protest                                           the guided mode: one letter, step by step
  protest campaigns                                 the campaigns: built in and your own
  protest letters                                   list the campaign's letters
  protest embassies --country GB                    the mission in the United Kingdom
  protest write mukhammedkarim --to gb-london --sender examples/sender.toml
  protest write mamai-restrictions --country \"United States\" --name \"Ann Lee\" -o letter.txt
  protest write political-prisoners-2026 --all --sender me.toml --out letters/
  protest check --letters my-letters/ --embassies my-embassies.toml
  protest check --campaign my-campaign/
  protest send drafts/ --smtp smtp://smtp.example.org --user me@example.org --dry-run
  protest tally letters/ drafts/                    what was written and sent, to report back

Exit codes: 0 ok, 1 some letters of a batch failed, 2 usage, 65 bad data,
66 input file missing, 73 output cannot be created, 74 write failed, 75 mail server
deferring (send), 77 mail login or TLS refused (send), 130 cancelled.";

/// The version, and how current the built-in data is: the newest date it was
/// verified or a prisoner's news reported (build.rs finds it).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (data as of ",
    env!("PROTEST_DATA_DATE"),
    ")"
);

/// Answers a completion request (`COMPLETE=bash protest -- protest write ma`)
/// and exits, if this run is one; otherwise returns at once.
pub fn answer_completion_request() {
    completions::answer_if_asked(command)
}

// The help speaks of the campaign's state through its data: `{state}` and
// `{privacy}` in a help text are the campaign's words (see `command`).
/// Write protest letters to the embassies of {state} for the release of political prisoners.
#[derive(Debug, Parser)]
#[command(name = "protest", version = VERSION, after_help = EXAMPLES, max_term_width = 100)]
#[command(long_about = "\
Write protest letters to the embassies of {state} for the release of political prisoners.

protest combines a letter template (the demands, the prisoners named) with the directory of
the missions of {state} abroad and your details, and writes a personalised letter: plain
text, an email draft (.eml, mbox, mailto) or a print-ready PDF, for one sender or a whole CSV
of them. A campaign (the state, its prisoners' letters, its missions) is built in or a folder
of yours: `protest campaigns` lists them, --campaign picks one. Add your own letters and
directory entries with --letters and --embassies.
Nothing leaves this computer unless you run `protest send`, the one command that connects
to a network: to the mail server you name, to deliver drafts you have written and read.

Run `protest` alone in a terminal for the guided mode, which asks its questions one by one.")]
pub struct Cli {
    // --campaign, --letters and --embassies before the subcommand (`protest
    // --letters DIR write ...`), and for the guided mode. Not global: a
    // subcommand that reads no letters does not offer them, and refuses them
    // given here.
    #[arg(long, value_name = "NAME|DIR", value_hint = ValueHint::DirPath, help = CAMPAIGN_HELP)]
    campaign: Option<String>,
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath, help = LETTERS_HELP)]
    letters: Option<PathBuf>,
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, help = EMBASSIES_HELP)]
    embassies: Option<PathBuf>,
    /// Print only errors on standard error: no warnings, notes or progress
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do; without one, in a terminal, the guided mode
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Write(Box<WithData<write::WriteArgs>>),
    Letters(WithData<letters::LettersArgs>),
    Embassies(WithData<embassies::EmbassiesArgs>),
    Check(WithData<check::CheckArgs>),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
    Wizard(WithData<wizard::WizardArgs>),
    Profile(WithData<profile::ProfileArgs>),
    Campaigns(campaigns::CampaignsArgs),
    Send(send::SendArgs),
    Tally(tally::TallyArgs),
}

/// The command line's definition, its help in the words of the campaign the
/// line names (`--campaign`), else of the one in force.
pub fn command() -> clap::Command {
    help::in_campaign_words(Cli::command())
}

/// The command line as given, parsed, or clap's error for a mistake in it.
pub fn try_parse() -> std::result::Result<Cli, clap::Error> {
    command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
}

pub fn run(cli: Cli) -> Result<()> {
    crate::notice::set_quiet(cli.quiet);
    // A command that prints into a closed standard output would say it
    // succeeded: refused before it does anything (exit 74).
    if prints_to_stdout(cli.command.as_ref()) {
        crate::stdio::require_stdout()?;
    }
    let top = DataArgs {
        campaign: cli.campaign,
        letters: cli.letters,
        embassies: cli.embassies,
    };
    let Some(subcommand) = cli.command else {
        return wizard::run(&top, wizard::WizardArgs {});
    };
    match subcommand {
        Command::Write(with) => write::run(&with.data.over(top), with.args),
        Command::Letters(with) => letters::run(&with.data.over(top), with.args),
        Command::Embassies(with) => embassies::run(&with.data.over(top), with.args),
        Command::Check(with) => check::run(&with.data.over(top), with.args),
        Command::Wizard(with) => wizard::run(&with.data.over(top), with.args),
        Command::Profile(with) => profile::run(&with.data.over(top), with.args),
        Command::Completions(args) => top
            .refuse("completions")
            .and_then(|()| completions::run(args)),
        Command::Man(args) => top.refuse("man").and_then(|()| man::run(args, command())),
        Command::Campaigns(args) => campaigns::run(&top, args),
        Command::Send(args) => top.refuse("send").and_then(|()| send::run(args)),
        Command::Tally(args) => top.refuse("tally").and_then(|()| tally::run(args)),
    }
}

/// Whether a command prints on standard output.
fn prints_to_stdout(command: Option<&Command>) -> bool {
    match command {
        // The guided mode ends by printing the command that does the same.
        None | Some(Command::Wizard(_)) => true,
        Some(Command::Letters(_) | Command::Embassies(_) | Command::Check(_)) => true,
        Some(Command::Completions(_) | Command::Campaigns(_)) => true,
        Some(Command::Man(args)) => args.prints_to_stdout(),
        Some(Command::Profile(with)) => with.args.prints_to_stdout(),
        Some(Command::Send(args)) => args.prints_to_stdout(),
        Some(Command::Tally(args)) => args.prints_to_stdout(),
        // Known once its options are read as a whole: `write::Writing::load` asks.
        Some(Command::Write(_)) => false,
    }
}
