//! The tally as JSON (`protest tally --json`, docs/json.md): the counts, and
//! every letter with its digest, which is what another tally merges. Read
//! back, only the letters are taken; the counts are made again from them.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::check::{
    bad_field, check_schema, date_field, json_problem, letter_key, name_field, open,
    reply_id_field, with_help,
};
use super::count::{Counts, Numbers};
use super::entries::{Channel, Entry, Read, Reply, Tally};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::send::files::read_bounded;

/// The largest tally read: some hundreds of thousands of letters.
pub const MAX_BYTES: u64 = 256 << 20;

const HELP: &str = "a tally is what `protest tally --json` prints: make it again from the \
    branch's folders (tally reads manifest.jsonl, send-log.jsonl and replies.jsonl by their \
    names, and any other file as a tally)";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_day: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_day: Option<Date>,
    total: Numbers,
    by_letter: Vec<Value>,
    by_mission: Vec<Value>,
    by_day: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_sender: Option<Vec<Value>>,
    read: Read,
    entries: Vec<EntryOut<'a>>,
}

/// One letter, as a tally prints it.
#[derive(Serialize)]
struct EntryOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    letter: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mission: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'a str>,
    channel: Channel,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Date>,
    replies: Vec<ReplyOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sender: Option<Sender<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipients: Option<Vec<&'a str>>,
}

#[derive(Serialize)]
struct ReplyOut<'a> {
    reply: &'a str,
    date: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

#[derive(Serialize)]
struct Sender<'a> {
    name: &'a str,
}

pub fn print(tally: &Tally, counts: &Counts, with_names: bool) -> String {
    let group = |key: &str, groups: &[(Option<String>, Numbers)]| -> Vec<Value> {
        groups
            .iter()
            .map(|(value, numbers)| with_key(key, value.as_deref(), numbers))
            .collect()
    };
    let entries: Vec<Entry> = tally
        .entries
        .values()
        .map(|e| match with_names {
            true => e.clone(),
            false => e.clone().without_names(),
        })
        .collect();
    let document = Document {
        schema: crate::SCHEMA,
        first_day: counts.first_day,
        last_day: counts.last_day,
        total: counts.total,
        by_letter: group("letter", &counts.by_letter),
        by_mission: group("mission", &counts.by_mission),
        by_day: counts
            .by_day
            .iter()
            .map(|(day, numbers)| with_key("date", day.map(|d| d.to_string()).as_deref(), numbers))
            .collect(),
        by_sender: counts.by_sender.as_ref().map(|groups| {
            // `sender` is an object wherever it is (docs/json.md).
            groups
                .iter()
                .map(|(name, numbers)| {
                    let mut object = with_key("sender", None, numbers);
                    if let (Some(name), Value::Object(fields)) = (name, &mut object) {
                        fields.insert("sender".into(), serde_json::json!({ "name": name }));
                    }
                    object
                })
                .collect()
        }),
        read: counts.read,
        entries: entries.iter().map(|e| entry_out(e, with_names)).collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("a tally serialises");
    text.push('\n');
    text
}

/// A group's counts, with what it is the group of (left out when not known).
fn with_key(key: &str, value: Option<&str>, numbers: &Numbers) -> Value {
    let mut object = serde_json::to_value(numbers).expect("numbers serialise");
    if let (Some(value), Value::Object(fields)) = (value, &mut object) {
        fields.insert(key.to_string(), Value::from(value));
    }
    object
}

fn entry_out(e: &Entry, with_names: bool) -> EntryOut<'_> {
    EntryOut {
        sha256: e.sha256.as_deref(),
        message_id: e.message_id.as_deref(),
        letter: e.letter.as_deref(),
        mission: e.mission.as_deref(),
        format: e.format.as_deref(),
        channel: e.channel,
        date: e.date,
        replies: e
            .replies
            .values()
            .map(|r| ReplyOut {
                reply: &r.id,
                date: r.date,
                text: r.text.as_deref(),
            })
            .collect(),
        sender: e.sender.as_deref().map(|name| Sender { name }),
        file: e.file.as_deref(),
        recipients: with_names.then(|| e.recipients.iter().map(String::as_str).collect()),
    }
}

/// What a tally read back holds: its schema, checked first, then its letters.
#[derive(Deserialize)]
struct SchemaOnly {
    schema: Option<String>,
}

#[derive(Deserialize)]
struct DocumentIn {
    entries: Option<Vec<EntryIn>>,
}

#[derive(Deserialize)]
struct EntryIn {
    sha256: Option<String>,
    message_id: Option<String>,
    letter: Option<String>,
    mission: Option<String>,
    format: Option<String>,
    channel: String,
    date: Option<String>,
    #[serde(default)]
    replies: Vec<ReplyIn>,
    sender: Option<SenderIn>,
    file: Option<String>,
    #[serde(default)]
    recipients: Vec<String>,
}

#[derive(Deserialize)]
struct ReplyIn {
    reply: String,
    date: String,
    text: Option<String>,
}

#[derive(Deserialize)]
struct SenderIn {
    name: Option<String>,
}

/// Adds the letters of the tally at `path` (given by name).
pub fn read(path: &Path, tally: &mut Tally) -> Result<()> {
    let file = open(path, false, HELP)?;
    let bytes = read_bounded(
        file,
        path,
        MAX_BYTES,
        "a tally",
        "tally the branches in parts",
    )?;
    let not_a_tally = |err: serde_json::Error| {
        Error::data(format!(
            "{}:{}:{}: not a tally: {}",
            path.display(),
            err.line(),
            err.column(),
            json_problem(&err)
        ))
    };
    let schema: SchemaOnly = serde_json::from_slice(&bytes)
        .map_err(not_a_tally)
        .map_err(|err| with_help(err, HELP))?;
    let at = path.display().to_string();
    if schema.schema.is_none() {
        return Err(Error::data(format!("{at}: not a tally: it has no `schema`")).with_help(HELP));
    }
    check_schema(&at, schema.schema.as_deref())?;
    let document: DocumentIn = serde_json::from_slice(&bytes)
        .map_err(not_a_tally)
        .map_err(|err| with_help(err, HELP))?;
    drop(bytes);
    let Some(entries) = document.entries else {
        return Err(Error::data(format!("{at}: not a tally: it has no `entries`")).with_help(HELP));
    };
    for (index, entry) in entries.into_iter().enumerate() {
        let entry = entry_in(&format!("{at}: entries[{index}]"), entry)
            .map_err(|err| with_help(err, HELP))?;
        tally.add(entry)?;
    }
    Ok(())
}

fn entry_in(at: &str, e: EntryIn) -> Result<Entry> {
    let channel = Channel::parse(&e.channel).ok_or_else(|| {
        bad_field(
            at,
            "channel",
            &e.channel,
            "a channel (pdf, text, draft, delivered, partly, refused)",
        )
    })?;
    let mut entry = Entry::new(channel);
    letter_key(at, e.sha256.as_deref(), e.message_id.as_deref(), "it is")?;
    entry.sha256 = e.sha256;
    entry.message_id = e.message_id;
    entry.letter = name_field(at, "letter", e.letter)?;
    entry.mission = name_field(at, "mission", e.mission)?;
    entry.format = name_field(at, "format", e.format)?;
    entry.file = name_field(at, "file", e.file)?;
    entry.sender = name_field(at, "sender.name", e.sender.and_then(|s| s.name))?;
    entry.date = e.date.map(|d| date_field(at, "date", &d)).transpose()?;
    for (index, reply) in e.replies.into_iter().enumerate() {
        let at = format!("{at}.replies[{index}]");
        reply_id_field(&at, &reply.reply)?;
        let date = date_field(&at, "date", &reply.date)?;
        entry.add_reply(Reply {
            id: reply.reply,
            date,
            text: reply.text,
        });
    }
    entry.recipients = e
        .recipients
        .into_iter()
        .map(|r| r.to_ascii_lowercase())
        .collect();
    Ok(entry)
}
