//! `protest man`: the manual page, made from the same clap definitions as
//! `--help`, so the two never disagree.

use std::path::PathBuf;

use clap::{Args, ValueHint};

use crate::error::{Error, Result};

/// Print the manual page, or write one page per subcommand
#[derive(Debug, Args)]
#[command(after_help = "\
Install, for example:
  protest man --dir ~/.local/share/man/man1     then: man protest, man protest-write
  sudo protest man --dir /usr/local/share/man/man1
Read without installing: protest man | man -l -")]
pub struct ManArgs {
    /// Write protest.1 and protest-SUBCOMMAND.1 into DIR (pages there of the same name are replaced)
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    dir: Option<PathBuf>,
}

impl ManArgs {
    pub(super) fn prints_to_stdout(&self) -> bool {
        self.dir.is_none()
    }
}

/// `command` is the command line's definition, its help in the campaign's words.
pub fn run(args: ManArgs, command: clap::Command) -> Result<()> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let Some(dir) = args.dir else {
        return crate::output::write_stdout(&page(&command)?);
    };
    crate::output::ensure_dir(&dir)?;
    let mut pages = Vec::new();
    collect(&command, &mut pages);
    for sub in &pages {
        let man = clap_mangen::Man::new(sub.clone());
        let path = dir.join(man.get_filename());
        // The pages are ours, made anew on each upgrade: replacing them is the point.
        crate::output::write_file(&path, &page(sub)?, true)?;
        crate::notice::note(format_args!("wrote {}", path.display()));
    }
    Ok(())
}

/// `command` and every subcommand below it, but hidden ones.
fn collect(command: &clap::Command, into: &mut Vec<clap::Command>) {
    into.push(command.clone());
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, into);
    }
}

fn page(command: &clap::Command) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone())
        .manual("protest manual")
        .render(&mut out)
        .map_err(|err| Error::new(crate::error::ErrorKind::Io, format!("man page: {err}")))?;
    Ok(out)
}
