//! The help in the campaign's words: `{state}` and `{privacy}` in a help
//! text are filled from the campaign the command line names, else the one
//! in force, so that `--help`, the manual and completion speak of it.

use crate::catalog::Campaign;

/// `command`, its help in the words of the campaign the line names
/// (`--campaign`), else of the one in force.
pub fn in_campaign_words(command: clap::Command) -> clap::Command {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let flag = crate::campaigns::flag_in(&args);
    let campaign = crate::campaigns::Settings::read()
        .and_then(|settings| settings.choose(flag.as_deref()))
        .and_then(|known| crate::catalog::campaign_only(&known.source, known.update.as_ref()))
        .ok();
    speak_for(command, campaign.as_ref())
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
