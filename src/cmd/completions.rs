//! `protest completions SHELL`: tab completion scripts.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::error::Result;

/// Print a shell completion script
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

pub fn run(args: CompletionsArgs) -> Result<()> {
    let mut command = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "protest", &mut script);
    crate::output::write_stdout(&script)
}
