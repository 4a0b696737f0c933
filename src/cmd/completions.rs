//! Tab completion: `protest completions SHELL` prints a script that asks
//! `protest` itself what to complete (clap_complete's dynamic completion),
//! so letter ids after `write` and mission ids after `--to` are the ones
//! this binary and its data know, not a list frozen into the script.

use clap::{Args, ValueEnum};
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{EnvCompleter, Shells};

use super::options::DataArgs;
use crate::date::Date;
use crate::error::{Error, ErrorKind, Result};

/// The variable that makes `protest` answer a completion request instead of
/// running: our own name, so that a `COMPLETE` some other tool set in the
/// environment never turns a letter into a completion.
pub const VAR: &str = "PROTEST_COMPLETE";

/// Print a shell completion script (it completes the letters current today)
#[derive(Debug, Args)]
#[command(after_help = "\
Install, for example:
  bash:  echo 'source <(protest completions bash)' >> ~/.bashrc
  zsh:   echo 'source <(protest completions zsh)' >> ~/.zshrc
  fish:  protest completions fish > ~/.config/fish/completions/protest.fish
The script asks protest for the letter and mission ids as you type: after an upgrade, open a
new shell (or, for fish, write the file again).")]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: Shell,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

pub fn run(args: CompletionsArgs) -> Result<()> {
    let name = args
        .shell
        .to_possible_value()
        .expect("every shell has a name");
    let shells = Shells::builtins();
    let shell: &dyn EnvCompleter = shells
        .completer(name.get_name())
        .expect("clap_complete knows every shell listed");
    let mut script = Vec::new();
    shell
        .write_registration(VAR, "protest", "protest", "protest", &mut script)
        .map_err(|err| Error::new(ErrorKind::Io, format!("completion script: {err}")))?;
    crate::output::write_stdout(&script)
}

/// Answers a completion request (`COMPLETE=bash protest -- protest write ma`)
/// and exits, if this run is one; otherwise returns at once. `command` makes
/// the command line's definition.
pub fn answer_if_asked(command: fn() -> clap::Command) {
    clap_complete::CompleteEnv::with_factory(command)
        .var(VAR)
        .complete();
}

/// The data of the campaign the line being completed names, else of the one in force.
fn data() -> DataArgs {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    DataArgs {
        campaign: crate::campaigns::flag_in(&args),
        ..DataArgs::default()
    }
}

/// The letters one may write, as `write` and `letters show` complete them.
pub fn letter_ids() -> Vec<CompletionCandidate> {
    let (Ok(catalog), Ok(today)) = (data().load(), Date::today()) else {
        return Vec::new();
    };
    catalog
        .current_letters(today)
        .map(|t| CompletionCandidate::new(&t.front.id).help(Some(t.front.title.clone().into())))
        .collect()
}

/// The missions, as `--to` and `embassies show` complete them.
pub fn mission_ids() -> Vec<CompletionCandidate> {
    let Ok(catalog) = data().load() else {
        return Vec::new();
    };
    catalog
        .missions
        .iter()
        .map(|m| {
            let place = format!("{}, {}", m.city, catalog.countries.name_or_code(&m.country));
            CompletionCandidate::new(&m.id).help(Some(place.into()))
        })
        .collect()
}
