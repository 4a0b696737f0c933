//! The command line: one file per subcommand.

mod campaigns;
mod check;
mod completions;
mod embassies;
mod letters;
mod man;
mod profile;
mod prompt;
mod search;
mod send;
mod tally;
mod wizard;
mod write;

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueHint};

use crate::catalog::{Campaign, Catalog, CatalogPaths, LetterTemplate};
use crate::date::Date;
use crate::error::{Error, Result};

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

pub use completions::answer_if_asked as answer_completion_request;

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

const CAMPAIGN_HELP: &str = "The campaign to write for: a name `protest campaigns` lists, or a \
    campaign's folder [default: config.toml's `campaign`, else the built-in one]";
const LETTERS_HELP: &str = "A directory of your own templates (*.hbs) and prisoners.toml; a \
    template with a shipped id replaces it";
const EMBASSIES_HELP: &str =
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
    args: T,
    #[command(flatten)]
    data: DataArgs,
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
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let flag = crate::campaigns::flag_in(&args);
    let campaign = crate::campaigns::Settings::read()
        .and_then(|settings| settings.choose(flag.as_deref()))
        .and_then(|known| crate::catalog::campaign_only(&known.source, known.update.as_ref()))
        .ok();
    speak_for(Cli::command(), campaign.as_ref())
}

/// The command line as given, parsed, or clap's error for a mistake in it.
pub fn try_parse() -> std::result::Result<Cli, clap::Error> {
    command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
}

/// `{state}` and `{privacy}` in every help text of `command` as the campaign
/// says them; in general words where no campaign can be read (its help is
/// still shown, and the command will say what is wrong).
fn speak_for(command: clap::Command, campaign: Option<&Campaign>) -> clap::Command {
    let (state, privacy) = match campaign {
        Some(c) => (c.state.clone(), c.privacy.clone()),
        None => (
            "the campaign's state".to_string(),
            "advised if you or your family have ties to the campaign's state".to_string(),
        ),
    };
    let fill = |text: &str| {
        text.replace("{state}", &state)
            .replace("{privacy}", &privacy)
    };
    fill_help(command, &fill)
}

fn fill_help(mut command: clap::Command, fill: &dyn Fn(&str) -> String) -> clap::Command {
    let texts = |text: Option<&clap::builder::StyledStr>| text.map(|t| fill(&t.to_string()));
    if let Some(about) = texts(command.get_about()) {
        command = command.about(about);
    }
    if let Some(about) = texts(command.get_long_about()) {
        command = command.long_about(about);
    }
    if let Some(after) = texts(command.get_after_help()) {
        command = command.after_help(after);
    }
    if let Some(after) = texts(command.get_after_long_help()) {
        command = command.after_long_help(after);
    }
    // Only the arguments whose help has a word to fill: changing an argument
    // moves it in the help's order.
    let has_word =
        |text: Option<&clap::builder::StyledStr>| text.is_some_and(|t| t.to_string().contains('{'));
    let args: Vec<clap::Id> = command
        .get_arguments()
        .filter(|a| has_word(a.get_help()) || has_word(a.get_long_help()))
        .map(|a| a.get_id().clone())
        .collect();
    for id in args {
        command = command.mut_arg(id, |arg| {
            let help = texts(arg.get_help());
            let long = texts(arg.get_long_help());
            let arg = match help {
                Some(help) => arg.help(help),
                None => arg,
            };
            match long {
                Some(long) => arg.long_help(long),
                None => arg,
            }
        });
    }
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subcommands {
        command = command.mut_subcommand(name, |sub| fill_help(sub, fill));
    }
    command
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
    let Some(command) = cli.command else {
        return wizard::run(&top, wizard::WizardArgs {});
    };
    match command {
        Command::Write(with) => write::run(&with.data.over(top), with.args),
        Command::Letters(with) => letters::run(&with.data.over(top), with.args),
        Command::Embassies(with) => embassies::run(&with.data.over(top), with.args),
        Command::Check(with) => check::run(&with.data.over(top), with.args),
        Command::Wizard(with) => wizard::run(&with.data.over(top), with.args),
        Command::Profile(with) => profile::run(&with.data.over(top), with.args),
        Command::Completions(args) => top
            .refuse("completions")
            .and_then(|()| completions::run(args)),
        Command::Man(args) => top.refuse("man").and_then(|()| man::run(args)),
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

impl DataArgs {
    /// These options, or where one is not given, the one given before the subcommand.
    fn over(self, top: DataArgs) -> DataArgs {
        DataArgs {
            campaign: self.campaign.or(top.campaign),
            letters: self.letters.or(top.letters),
            embassies: self.embassies.or(top.embassies),
        }
    }

    /// A usage error when the options were given before a subcommand that
    /// reads no letters: an option that would do nothing is a mistake to say.
    fn refuse(&self, command: &str) -> Result<()> {
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
fn date_option(flag: &str, text: Option<&str>) -> Result<Option<Date>> {
    text.map(|text| Date::parse(text).map_err(|err| Error::usage(format!("{flag}: {err}"))))
        .transpose()
}

/// Prints `body`, an object, as a JSON document: its `schema` first, and no
/// key whose value is null, so a script tells "not known" by the key alone
/// (the rule of docs/json.md).
fn print_json(body: &impl serde::Serialize) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Document {
        schema: &'static str,
        #[serde(flatten)]
        body: serde_json::Value,
    }
    let mut body = serde_json::to_value(body).expect("values serialise");
    drop_nulls(&mut body);
    let document = Document {
        schema: crate::SCHEMA,
        body,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("values serialise");
    text.push('\n');
    crate::output::write_stdout(text.as_bytes())
}

fn drop_nulls(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(fields) => {
            fields.retain(|_, v| !v.is_null());
            fields.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Renames the `id` of a listed item to what it is the id of (`letter`,
/// `mission`, `prisoner`): one name for one kind of id in every document.
fn name_id(value: &mut serde_json::Value, name: &str) {
    if let Some(fields) = value.as_object_mut() {
        if let Some(id) = fields.remove("id") {
            fields.insert(name.to_string(), id);
        }
    }
}

/// What the user should know before sending a letter in its language: a text
/// marked for review, and names the data has no spelling of in its script.
fn language_warnings(catalog: &Catalog, template: &LetterTemplate) -> Vec<String> {
    let language = crate::catalog::language_name(&template.front.language);
    let mut warnings = Vec::new();
    if let Some(review) = &template.review {
        warnings.push(format!(
            "the {language} text of `{}` is marked for review ({review}); \
             have it read before you send it",
            template.front.id
        ));
    }
    for name in catalog.names_missing(template) {
        warnings.push(format!(
            "no {language} spelling of {name}'s name in the data; using the Latin one"
        ));
    }
    for name in catalog.descriptions_missing(template) {
        warnings.push(format!(
            "no {language} description of {name} in the data; using the English one"
        ));
    }
    warnings
}
