//! The command line: one file per subcommand.

mod check;
mod completions;
mod embassies;
mod letters;
mod man;
mod profile;
mod prompt;
mod search;
mod send;
mod wizard;
mod write;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueHint};

use crate::catalog::{primary_language, Catalog, CatalogPaths, LetterTemplate};
use crate::date::Date;
use crate::error::{Error, Result};

const EXAMPLES: &str = "\
In a terminal, `protest` alone starts the guided mode: it asks which letter, who it is from and
which embassy it goes to, shows the letter, and writes it. `protest profile` saves your details.

Examples:
  protest                                           the guided mode: one letter, step by step
  protest letters                                   list the shipped letters
  protest embassies --country GB                    the mission in the United Kingdom
  protest write mukhammedkarim --to gb-london --sender examples/sender.toml
  protest write mamai-restrictions --country \"United States\" --name \"Ann Lee\" -o letter.txt
  protest write political-prisoners-2026 --all --sender me.toml --out letters/
  protest check --letters my-letters/ --embassies my-embassies.toml
  protest send drafts/ --smtp smtp://smtp.example.org --user me@example.org --dry-run

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

/// Write protest letters to Kazakhstan's embassies for the release of political prisoners.
#[derive(Debug, Parser)]
#[command(name = "protest", version = VERSION, after_help = EXAMPLES, max_term_width = 100)]
#[command(long_about = "\
Write protest letters to Kazakhstan's embassies for the release of political prisoners.

protest combines a letter template (the demands, the prisoners named) with the directory of
Kazakhstan's missions abroad and your details, and writes a personalised letter: plain text,
an email draft (.eml, mbox, mailto) or a print-ready PDF, for one sender or a whole CSV of them.
The shipped letters and directory are built in; add your own with --letters and --embassies.
Nothing leaves this computer unless you run `protest send`, the one command that connects
to a network: to the mail server you name, to deliver drafts you have written and read.

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
            data_dir: crate::config::data_dir()?,
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
    Send(send::SendArgs),
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
        Command::Send(args) => send::run(args),
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
    let language = language_name(&template.front.language);
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
    warnings
}

/// The English name of a language, for messages.
fn language_name(tag: &str) -> String {
    let primary = primary_language(tag);
    match primary.as_str() {
        "en" => "English".into(),
        "ru" => "Russian".into(),
        "kk" => "Kazakh".into(),
        "de" => "German".into(),
        "fr" => "French".into(),
        "sv" => "Swedish".into(),
        _ => format!("`{tag}`"),
    }
}
