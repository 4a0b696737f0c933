//! `protest tally`: count what was written and sent, for a report to the
//! campaign, and record the missions' replies.

use std::path::{Path, PathBuf};

use clap::{Args, ValueHint};

use super::options::date_option;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::tally::{self, Action, Done, Form, NewReply, ReplyText, Request};
use crate::text::escape_for_terminal;

/// Count the letters written and sent, and the replies, to report back to the campaign
#[derive(Debug, Args)]
#[command(after_help = "\
What it counts: each letter `protest write --out DIR` wrote (its manifest.jsonl) and what became
of each email `protest send` sent (send-log.jsonl beside the drafts): a PDF, a text, a draft not
delivered, an email delivered, partly delivered or refused; by letter, mission and day, with the
replies recorded. Each letter once, by the digest of its text: a draft written and then
delivered is one letter, delivered, and the same tally given twice counts once.

Report back: paste the summary into an email, or send the campaign the JSON, which adds up with
other branches' (protest tally leeds.json york.json). Names and addresses are left out unless
--with-names.

Replies: --reply ID \"TEXT\" records that a mission answered the letter ID (its file's name, its
digest or its Message-ID) in replies.jsonl beside the letter's manifest, readable by you alone.
Nothing is sent anywhere.

Exit codes: 0 ok, 2 usage (an id that names no letter), 65 a file that is not what protest
wrote, 66 nothing to count, 73 or 74 the replies file cannot be written.

Examples:
  protest tally letters/ drafts/
  protest tally --json > leeds.json
  protest tally leeds.json york.json branches/
  protest tally --reply gb-london-Ann-Lee.pdf \"Received; forwarded to the ministry.\"")]
pub struct TallyArgs {
    /// Folders written by `write --out` or sent from (and those below them), or tallies made
    /// with --json [default: .]
    #[arg(value_name = "DIR|FILE", value_hint = ValueHint::AnyPath)]
    paths: Vec<PathBuf>,
    /// Print every letter and the counts as JSON: what another tally adds up
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print the counts as CSV: a row per letter, mission, channel and day
    #[arg(long)]
    csv: bool,
    /// Show the senders' names, the files' names, the addresses mail went to, the replies' text
    #[arg(long)]
    with_names: bool,
    /// Record that a mission answered the letter ID (its file's name, digest or Message-ID)
    #[arg(long, num_args = 1..=2, value_names = ["ID", "TEXT"],
          conflicts_with_all = ["json", "csv", "with_names"])]
    reply: Option<Vec<String>>,
    /// The reply's text from FILE (- for standard input), with --reply ID
    #[arg(long, value_name = "FILE", requires = "reply", value_hint = ValueHint::FilePath)]
    reply_file: Option<PathBuf>,
    /// The day the reply came [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", requires = "reply")]
    date: Option<String>,
}

impl TallyArgs {
    /// A report is printed; a reply is recorded in a file and said on standard error.
    pub fn prints_to_stdout(&self) -> bool {
        self.reply.is_none()
    }
}

pub fn run(args: TallyArgs) -> Result<()> {
    let action = match args.reply {
        Some(values) => Action::Reply(new_reply(values, args.reply_file, args.date)?),
        None => Action::Report {
            form: match (args.json, args.csv) {
                (true, _) => Form::Json,
                (_, true) => Form::Csv,
                _ => Form::Text,
            },
            with_names: args.with_names,
        },
    };
    let request = Request {
        paths: args.paths,
        action,
    };
    match tally::run(&request)? {
        Done::Report(bytes) => crate::output::write_stdout(&bytes),
        Done::Recorded(recorded) => {
            let file = recorded.file.display().to_string();
            let from = recorded.mission.map_or(String::new(), |m| {
                format!(" from {}", escape_for_terminal(&m))
            });
            crate::notice::note(match recorded.already {
                true => format!(
                    "this reply{from} is in {} already: nothing added",
                    escape_for_terminal(&file)
                ),
                false => format!("recorded the reply{from} in {}", escape_for_terminal(&file)),
            });
            Ok(())
        }
    }
}

fn new_reply(values: Vec<String>, file: Option<PathBuf>, date: Option<String>) -> Result<NewReply> {
    let mut values = values.into_iter();
    let id = values.next().unwrap_or_default();
    let text = match (values.next(), file) {
        (Some(_), Some(_)) => {
            return Err(Error::usage(
                "--reply ID TEXT and --reply-file: give the reply's text once",
            ))
        }
        (None, None) => {
            return Err(Error::usage(format!(
                "--reply {}: what did the mission answer?",
                escape_for_terminal(&id)
            ))
            .with_help("give its text after the id (--reply ID \"TEXT\"), or --reply-file FILE"))
        }
        // A folder or file after the id was meant as an input, or as the text's file.
        (Some(text), None) if std::fs::symlink_metadata(Path::new(&text)).is_ok() => {
            return Err(Error::usage(format!(
                "--reply ID TEXT: `{}` is a file or folder, not the text of a reply",
                escape_for_terminal(&text)
            ))
            .with_help(
                "put the folders before --reply, and a reply's text in a file after --reply-file",
            ))
        }
        (Some(text), None) => ReplyText::Given(text),
        (None, Some(file)) => ReplyText::File(file),
    };
    let date = match date_option("--date", date.as_deref())? {
        Some(date) => date,
        None => Date::today()?,
    };
    Ok(NewReply { id, text, date })
}
