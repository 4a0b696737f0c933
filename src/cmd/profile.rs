//! `protest profile`: the saved sender details, created, shown, changed and
//! deleted. The file is a sender file: `protest write … --sender PATH` reads it.

use std::path::Path;

use clap::{Args, Subcommand};

use super::options::DataArgs;
use super::prompt::{self, cancelled, describe_sender, interrupt, Prompter};
use crate::catalog::{Catalog, Sender};
use crate::error::{Error, ErrorKind, Result};
use crate::output::write_stdout;
use crate::profile;

/// Show, create, change or delete your saved sender details
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "\
Your details are kept in your configuration directory ($XDG_CONFIG_HOME/protest/profile.toml, or
~/.config/protest/profile.toml), readable only by you, and only when you ask. The file is a
sender file: use it with `protest write LETTER --sender PATH`.

Signing with initials and town only ({privacy})
puts only the initials and the town on the letter, and keeps only them and the country.

Without a subcommand: show the details, or, in a terminal, create them if there are none.")]
pub struct ProfileArgs {
    /// Print where the details are kept (whether or not they exist), and nothing else
    #[arg(long)]
    path: bool,
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Show the saved details
    Show,
    /// Create or change the saved details, question by question (in a terminal)
    Edit,
    /// Delete the saved details (asks first)
    Delete {
        /// Do not ask: delete at once
        #[arg(long)]
        yes: bool,
    },
}

impl ProfileArgs {
    /// `--path` and `show` print; without an action the details are shown
    /// when there are some. Editing and deleting talk on standard error.
    pub(super) fn prints_to_stdout(&self) -> bool {
        self.path || matches!(self.action, None | Some(Action::Show))
    }
}

pub fn run(data: &DataArgs, args: ProfileArgs) -> Result<()> {
    let path = profile::path()?;
    if args.path {
        return write_stdout(format!("{}\n", path.display()).as_bytes());
    }
    match args.action {
        None if !path.exists() && prompt::is_interactive() => edit(data, &path),
        None | Some(Action::Show) => show(data, &path),
        Some(Action::Edit) => edit(data, &path),
        Some(Action::Delete { yes }) => delete(&path, yes),
    }
}

fn show(data: &DataArgs, path: &Path) -> Result<()> {
    let Some(sender) = profile::load(path)? else {
        return Err(none_saved(path));
    };
    let catalog = data.load()?;
    let text = format!(
        "Your saved details ({}):\n{}\nUse them: protest write LETTER --sender {}\n\
         Change them: protest profile edit\n",
        path.display(),
        describe_sender(&catalog, &sender),
        path.display()
    );
    write_stdout(text.as_bytes())
}

fn none_saved(path: &Path) -> Error {
    Error::new(
        ErrorKind::NoInput,
        format!("no details are saved ({} does not exist)", path.display()),
    )
    .with_help(
        "run `protest profile edit` in a terminal to save them, or write the file by hand: \
         it is a sender file, like examples/sender.toml",
    )
}

fn edit(data: &DataArgs, path: &Path) -> Result<()> {
    if !prompt::is_interactive() {
        return Err(prompt::needs_terminal(
            "`protest profile edit`",
            format!(
                "write the file by hand instead: it is a sender file, like examples/sender.toml, at {}",
                path.display()
            )
            .as_str(),
        ));
    }
    let catalog = data.load()?;
    let p = Prompter::new();
    let current = match profile::load(path) {
        Ok(current) => current,
        Err(err) => {
            p.note(&format!(
                "the saved details cannot be read, so you start afresh: {err}"
            ));
            None
        }
    };
    let current = match current {
        Some(current) => {
            p.say(&format!(
                "Your saved details; change what you like (Ctrl-C stops without saving):\n{}",
                describe_sender(&catalog, &current)
            ));
            current
        }
        None => {
            p.say("Your details, as they go on your letters. Only your name is needed.");
            p.say("Ctrl-C stops without saving.\n");
            Sender::default()
        }
    };
    let sender = prompt::ask_sender(&p, &catalog, &current)?;
    save(&p, &catalog, path, &sender)
}

fn save(p: &Prompter, catalog: &Catalog, path: &Path, sender: &Sender) -> Result<()> {
    p.say(&format!("\n{}", describe_sender(catalog, sender)));
    if !p.confirm(&format!("Save these details in {}?", path.display()), true)? {
        return Err(Error {
            message: "cancelled: nothing was saved".into(),
            ..cancelled()
        });
    }
    let (saved, _) = interrupt::hold(|| profile::save(path, sender));
    saved?;
    p.say(&format!(
        "Saved (readable only by you). Use them: protest write LETTER --sender {}",
        path.display()
    ));
    Ok(())
}

fn delete(path: &Path, yes: bool) -> Result<()> {
    if !path.exists() {
        crate::notice::note(format_args!(
            "no details are saved: {} does not exist",
            path.display()
        ));
        return Ok(());
    }
    if !yes {
        if !prompt::is_interactive() {
            return Err(prompt::needs_terminal(
                "to ask before deleting",
                "pass --yes to delete without asking",
            ));
        }
        let p = Prompter::new();
        if !p.confirm(&format!("Delete {}?", path.display()), false)? {
            return Err(Error {
                message: "cancelled: nothing was deleted".into(),
                ..cancelled()
            });
        }
    }
    if profile::delete(path)? {
        crate::notice::note(format_args!("deleted {}", path.display()));
    }
    Ok(())
}
