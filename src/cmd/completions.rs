//! `protest completions SHELL`: tab completion scripts.

use clap::builder::PossibleValuesParser;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::DataArgs;
use crate::date::Date;
use crate::error::Result;

/// Print a shell completion script (it completes the letters current today)
#[derive(Debug, Args)]
#[command(after_help = "\
Install, for example:
  bash:  protest completions bash > ~/.local/share/bash-completion/completions/protest
  zsh:   protest completions zsh > ~/.zfunc/_protest   (with fpath+=~/.zfunc in ~/.zshrc)
  fish:  protest completions fish > ~/.config/fish/completions/protest.fish")]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: Shell,
}

pub fn run(data: &DataArgs, args: CompletionsArgs) -> Result<()> {
    let catalog = data.load()?;
    // Only the letters current today are offered; the others are history.
    // The values go into the script only: parsing still takes any id, so an
    // archived one gets its reason, not a usage error.
    // clap (without its `string` feature) takes only static names; the
    // process ends once the script is printed.
    let current: Vec<&'static str> = catalog
        .current_letters(Date::today()?)
        .map(|t| &*t.front.id.clone().leak())
        .collect();
    let ids = || PossibleValuesParser::new(current.clone());
    let mut command = super::Cli::command()
        .mut_subcommand("write", |write| {
            write.mut_arg("letter", |arg| arg.value_parser(ids()))
        })
        .mut_subcommand("letters", |letters| {
            letters.mut_subcommand("show", |show| {
                show.mut_arg("id", |arg| arg.value_parser(ids()))
            })
        });
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "protest", &mut script);
    crate::output::write_stdout(&script)
}
