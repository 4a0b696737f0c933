//! A mission's answer. `protest tally --reply ID "TEXT"` records it in
//! `replies.jsonl` beside the letter's manifest (or send log), a file its
//! owner's alone, and every tally after counts it. Nothing is sent anywhere.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::check::{check_schema, date_field, json_problem, letter_key, reply_id_field, with_help};
use super::entries::{Channel, Entry, Reply, Tally};
use crate::date::Date;
use crate::error::{Error, ErrorKind, Result};
use crate::send::files::{for_each_line, shown};
use crate::text::{escape_for_terminal, first_forbidden};

pub const FILE_NAME: &str = "replies.jsonl";

pub const HELP: &str = "replies.jsonl is the file `protest tally --reply` keeps beside the \
    letters: restore it, or move it away";

/// The longest reply: a letter of a few pages, which one line of the file holds.
pub const MAX_TEXT: usize = 32 << 10;

/// Where the text of a reply comes from.
#[derive(Debug)]
pub enum ReplyText {
    Given(String),
    /// A file, or standard input for `-`.
    File(PathBuf),
}

/// A mission's answer, to record.
#[derive(Debug)]
pub struct NewReply {
    /// The letter's file name, digest (or its first characters), or Message-ID.
    pub id: String,
    pub text: ReplyText,
    /// The day it came.
    pub date: Date,
}

/// A reply recorded.
#[derive(Debug)]
pub struct Recorded {
    pub file: PathBuf,
    pub mission: Option<String>,
    /// The same reply was recorded before: nothing was added.
    pub already: bool,
}

/// A line of `replies.jsonl`.
#[derive(Serialize, Deserialize)]
struct Line {
    schema: Option<String>,
    reply: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    letter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mission: Option<String>,
    date: String,
    text: String,
}

/// A reply read, and the letter it answers.
pub struct Answer {
    at: String,
    sha256: Option<String>,
    message_id: Option<String>,
    reply: Reply,
}

/// Reads the replies of one file.
pub fn read(file: std::fs::File, path: &Path, into: &mut Vec<Answer>) -> Result<()> {
    for_each_line(file, path, |number, line| {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let at = format!("{}:{number}", path.display());
        let line: Line = serde_json::from_slice(line)
            .map_err(|err| Error::data(format!("{at}: not a reply: {}", json_problem(&err))))?;
        check_schema(&at, line.schema.as_deref())?;
        reply_id_field(&at, &line.reply)?;
        let date = date_field(&at, "date", &line.date)?;
        letter_key(
            &at,
            line.sha256.as_deref(),
            line.message_id.as_deref(),
            "it answers",
        )?;
        into.push(Answer {
            at,
            sha256: line.sha256,
            message_id: line.message_id,
            reply: Reply {
                id: line.reply,
                date,
                text: Some(line.text),
            },
        });
        Ok(())
    })
    .map_err(|err| with_help(err, HELP))
}

/// Gives each reply to the letter it answers; a reply to a letter none of
/// the inputs lists is said, and not counted.
pub fn attach(tally: &mut Tally, answers: Vec<Answer>) {
    for answer in answers {
        match tally.find_mut(answer.sha256.as_deref(), answer.message_id.as_deref()) {
            Some(entry) => entry.add_reply(answer.reply),
            None => crate::notice::warn(format_args!(
                "{}: a reply to a letter that no manifest or send log read lists: not counted",
                escape_for_terminal(&answer.at)
            )),
        }
    }
}

/// Records `new` beside the letter it answers.
pub fn record(tally: &Tally, new: &NewReply) -> Result<Recorded> {
    let text = text_of(&new.text)?;
    let today = Date::today()?;
    if new.date > today {
        return Err(Error::usage(format!(
            "--date {}: a reply cannot have come on a day still to come",
            new.date
        )));
    }
    let entry = the_letter(tally, &new.id)?;
    can_answer(entry, &new.id, new.date)?;
    let Some(home) = entry.home else {
        return Err(Error::usage(format!(
            "the letter `{}` is known only from a tally: its replies are kept beside its \
             manifest or send log",
            escape_for_terminal(&new.id)
        ))
        .with_help("give the folder that holds the letter's manifest.jsonl or send-log.jsonl"));
    };
    let file = tally.folders[home].join(FILE_NAME);
    let key = entry.sha256.as_ref().or(entry.message_id.as_ref()).cloned();
    let id = reply_id(key.as_deref().unwrap_or_default(), new.date, &text);
    if entry.replies.contains_key(&id) {
        return Ok(Recorded {
            file,
            mission: entry.mission.clone(),
            already: true,
        });
    }
    let line = Line {
        schema: Some(crate::SCHEMA.to_string()),
        reply: id,
        sha256: entry.sha256.clone(),
        message_id: entry.message_id.clone(),
        letter: entry.letter.clone(),
        mission: entry.mission.clone(),
        date: new.date.to_string(),
        text,
    };
    let mut bytes = serde_json::to_vec(&line).expect("a reply serialises");
    bytes.push(b'\n');
    append_private(&file, &bytes)?;
    Ok(Recorded {
        file,
        mission: entry.mission.clone(),
        already: false,
    })
}

/// Refuses a reply that cannot answer `entry`: one to an email the mission's
/// server refused for good (it never arrived), or one dated before the
/// letter (or before its delivery, for mail sent).
fn can_answer(entry: &Entry, id: &str, date: Date) -> Result<()> {
    let named = match (&entry.letter, &entry.mission) {
        (Some(letter), Some(mission)) => format!(" ({letter} to {mission})"),
        (Some(letter), None) => format!(" ({letter})"),
        _ => String::new(),
    };
    let letter = format!(
        "the letter `{}`{}",
        escape_for_terminal(&shown(id.trim(), 100)),
        escape_for_terminal(&named)
    );
    if entry.channel == Channel::Refused {
        return Err(Error::data(format!(
            "{letter} was refused for good by the mission's mail server (its send log says \
             so): it never arrived, so no reply answers it"
        ))
        .with_help(
            "if the mission answered a copy that reached it another way, record the reply \
             against that copy",
        ));
    }
    match entry.date {
        Some(since) if date < since => {
            let what = match entry.channel {
                Channel::Delivered | Channel::Partly => "was delivered on",
                _ => "is dated",
            };
            Err(Error::data(format!(
                "--date {date}: {letter} {what} {since}; a reply cannot have come before it"
            ))
            .with_help(format!(
                "give the day the reply came with --date (on or after {since})"
            )))
        }
        _ => Ok(()),
    }
}

/// The one letter `id` names: by its file's name, the start of its digest,
/// or its Message-ID.
fn the_letter<'a>(tally: &'a Tally, id: &str) -> Result<&'a Entry> {
    let id = id.trim();
    let message_id = id
        .strip_prefix('<')
        .and_then(|id| id.strip_suffix('>'))
        .unwrap_or(id);
    let digest = id
        .strip_prefix("sha256:")
        .unwrap_or(id)
        .to_ascii_lowercase();
    let is_digest_start =
        (8..=64).contains(&digest.len()) && digest.bytes().all(|b| b.is_ascii_hexdigit());
    let file = Path::new(id).file_name().and_then(|f| f.to_str());
    let found: Vec<&Entry> = tally
        .entries
        .values()
        .filter(|e| {
            (is_digest_start && e.sha256.as_ref().is_some_and(|s| s.starts_with(&digest)))
                || e.message_id.as_deref() == Some(message_id)
                || (file.is_some() && e.file.as_deref() == file)
        })
        .collect();
    let folders = |entries: &[&Entry]| {
        let mut shown: Vec<String> = entries
            .iter()
            .filter_map(|e| e.home)
            .map(|home| tally.folders[home].display().to_string())
            .collect();
        shown.sort();
        shown.dedup();
        shown
    };
    match found[..] {
        [entry] => Ok(entry),
        [] => {
            let mut read = folders(&tally.entries.values().collect::<Vec<_>>());
            let more = read.len().saturating_sub(3);
            read.truncate(3);
            let mut place = read.join(", ");
            if more > 0 {
                place.push_str(&format!(" and {more} more"));
            }
            Err(Error::usage(format!(
                "no letter {} has the id `{}`",
                match place.is_empty() {
                    true => "read".to_string(),
                    false => format!("in {}", escape_for_terminal(&place)),
                },
                escape_for_terminal(&shown(id, 100))
            ))
            .with_help(
                "a letter's id is its file's name (as `protest write` named it), its digest \
                 (`sha256` in `protest tally --json`; the first 8 characters do) or, for an \
                 email, its Message-ID (`message_id` in send-log.jsonl; the In-Reply-To of the \
                 answer)",
            ))
        }
        _ => Err(Error::usage(format!(
            "`{}` names {} letters (in {}): which one answered is not clear",
            escape_for_terminal(&shown(id, 100)),
            found.len(),
            escape_for_terminal(&folders(&found).join(", "))
        ))
        .with_help("give more of its digest, or name the folder that holds the one meant")),
    }
}

/// A reply's id: the same letter, day and text are the same reply.
fn reply_id(letter: &str, date: Date, text: &str) -> String {
    let digest = Sha256::digest(format!("{letter}\n{date}\n{text}"));
    crate::text::hex(&digest[..8])
}

/// The text of a reply: given, or read from a file or standard input, within
/// bounds; its line ends made LF.
fn text_of(source: &ReplyText) -> Result<String> {
    let (bytes, name) = match source {
        ReplyText::Given(text) => (text.clone().into_bytes(), "the reply".to_string()),
        ReplyText::File(path) => {
            let mut bytes = Vec::new();
            let name = match path.as_os_str() == "-" {
                true => "the standard input".to_string(),
                false => path.display().to_string(),
            };
            let read = match path.as_os_str() == "-" {
                true => std::io::stdin()
                    .lock()
                    .take(MAX_TEXT as u64 + 1)
                    .read_to_end(&mut bytes),
                false => std::fs::File::open(path)
                    .and_then(|file| file.take(MAX_TEXT as u64 + 1).read_to_end(&mut bytes)),
            };
            read.map_err(|err| Error::read(path, &err))?;
            (bytes, name)
        }
    };
    if bytes.len() > MAX_TEXT {
        return Err(
            Error::data(format!("{name}: longer than {} KiB", MAX_TEXT >> 10))
                .with_help("record what the mission said in a few lines, or its first page"),
        );
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::data(format!("{name}: not UTF-8 text")))?
        .replace("\r\n", "\n");
    let text = text.trim();
    if !crate::text::is_visible(text) {
        return Err(Error::usage(format!("{name} is empty"))
            .with_help("say what the mission answered, in a word if need be"));
    }
    // Controls, and the characters that reorder or hide text (bidi controls,
    // zero-width spaces and joiners, the byte-order mark), as a sender's
    // fields refuse them: a reply is what a tally shows a campaign.
    let invisible = |c: char| matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}');
    let forbidden =
        first_forbidden(text, &['\n', '\t']).or_else(|| text.chars().find(|c| invisible(*c)));
    if let Some(c) = forbidden {
        let what = match c.is_control() {
            true => "a control character",
            false => "an invisible character that reorders or hides text",
        };
        // Shown as an escape, never as itself: it would act on the terminal.
        return Err(
            Error::data(format!("{name} holds {what} (\\u{{{:x}}})", c as u32))
                .with_help("record the reply as plain text"),
        );
    }
    Ok(text.to_string())
}

/// Appends `bytes` to the file at `path`, made if need be, its owner's alone;
/// never through a link, and never to a FIFO or a device.
fn append_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|err| Error::write(path, &err))?;
    let meta = file.metadata().map_err(|err| Error::write(path, &err))?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::CantCreate,
            format!("{}: not a regular file", path.display()),
        )
        .with_help(HELP));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        // It says who wrote to which mission: its owner's alone.
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    file.write_all(bytes)
        .and_then(|()| file.sync_data())
        .map_err(|err| Error::write(path, &err))
}
