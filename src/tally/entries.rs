//! The vocabulary of a tally: one [`Entry`] per letter, keyed by the digest
//! of its text, and the [`Tally`] that merges every record of a letter into
//! one.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use serde::Serialize;

use crate::date::Date;
use crate::error::{Error, Result};

/// The most letters one tally holds: a campaign's branches together write
/// far fewer, and the bound keeps a hostile input from filling memory.
pub const MAX_LETTERS: usize = 1_000_000;

/// How far a letter went, from least to furthest: of two records of one
/// letter, the further one holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A plain-text letter written.
    Text,
    /// A PDF written, to print and post or hand in.
    Pdf,
    /// An email draft written (an .eml, mbox or mailto link), not delivered:
    /// not sent, or the server has not answered for good.
    Draft,
    /// The mission's mail server refused it for good, for every recipient.
    Refused,
    /// Delivered to some of its recipients, not all.
    Partly,
    /// Delivered to every recipient.
    Delivered,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Pdf,
        Channel::Text,
        Channel::Draft,
        Channel::Delivered,
        Channel::Partly,
        Channel::Refused,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Channel::Text => "text",
            Channel::Pdf => "pdf",
            Channel::Draft => "draft",
            Channel::Refused => "refused",
            Channel::Partly => "partly",
            Channel::Delivered => "delivered",
        }
    }

    pub fn parse(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Where a letter written in `format` (a manifest's word) is, unsent.
    pub fn of_format(format: &str) -> Option<Channel> {
        match format {
            "text" => Some(Channel::Text),
            "pdf" => Some(Channel::Pdf),
            "eml" | "mbox" | "mailto" => Some(Channel::Draft),
            _ => None,
        }
    }
}

/// What identifies one letter: the digest of its text, or for mail known
/// only by a log that predates digests, its Message-ID.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Sha256(String),
    MessageId(String),
}

/// A mission's answer to a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Its id: a digest of the letter, the day and the text.
    pub id: String,
    pub date: Date,
    /// Left out of a tally printed without names.
    pub text: Option<String>,
}

impl Reply {
    fn order(&self) -> (bool, Date, Option<&String>) {
        (self.text.is_none(), self.date, self.text.as_ref())
    }
}

/// One letter, as every input that knows it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub sha256: Option<String>,
    pub message_id: Option<String>,
    pub letter: Option<String>,
    pub mission: Option<String>,
    /// The format it was written in (`pdf`, `eml`…), when a manifest says.
    pub format: Option<String>,
    pub channel: Channel,
    /// The day the server answered, for mail sent; else the day the letter is dated.
    pub date: Option<Date>,
    /// By id.
    pub replies: BTreeMap<String, Reply>,
    /// Shown only when asked (`--with-names`): the signer's name, the file's
    /// name (which often holds it) and the addresses mail went to.
    pub sender: Option<String>,
    pub file: Option<String>,
    pub recipients: BTreeSet<String>,
    /// The first folder it was found in, where a reply to it is kept (an index
    /// into [`Tally::folders`]); none for a letter known from a tally alone.
    pub home: Option<usize>,
}

impl Entry {
    pub fn new(channel: Channel) -> Entry {
        Entry {
            sha256: None,
            message_id: None,
            letter: None,
            mission: None,
            format: None,
            channel,
            date: None,
            replies: BTreeMap::new(),
            sender: None,
            file: None,
            recipients: BTreeSet::new(),
            home: None,
        }
    }

    pub fn key(&self) -> Key {
        match (&self.sha256, &self.message_id) {
            (Some(sha256), _) => Key::Sha256(sha256.clone()),
            (None, Some(id)) => Key::MessageId(id.clone()),
            (None, None) => unreachable!("every reader gives an entry a digest or a Message-ID"),
        }
    }

    /// Takes in what `other`, a record of the same letter, knows. The result
    /// is the same whatever the order the records come in, so that a tally
    /// does not depend on the order of its inputs: the furthest channel with
    /// its day (the earlier day of two), and of two values for one field,
    /// the smaller.
    fn merge(&mut self, other: Entry) {
        let rank = |e: &Entry| (e.channel, e.date.is_some(), Reverse(e.date));
        if rank(&other) > rank(self) {
            self.channel = other.channel;
            self.date = other.date;
        }
        fn least(mine: &mut Option<String>, theirs: Option<String>) {
            if let Some(theirs) = theirs {
                if mine.as_ref().is_none_or(|m| theirs < *m) {
                    *mine = Some(theirs);
                }
            }
        }
        least(&mut self.sha256, other.sha256);
        least(&mut self.message_id, other.message_id);
        least(&mut self.letter, other.letter);
        least(&mut self.mission, other.mission);
        least(&mut self.format, other.format);
        least(&mut self.sender, other.sender);
        least(&mut self.file, other.file);
        self.recipients.extend(other.recipients);
        for reply in other.replies.into_values() {
            self.add_reply(reply);
        }
        self.home = match (self.home, other.home) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    /// Adds a reply; of two with one id, the one with its text, else the
    /// earlier, else the smaller, whatever the order they come in.
    pub fn add_reply(&mut self, reply: Reply) {
        match self.replies.get_mut(&reply.id) {
            Some(mine) if reply.order() < mine.order() => *mine = reply,
            Some(_) => {}
            None => {
                self.replies.insert(reply.id.clone(), reply);
            }
        }
    }

    /// Leaves out what names a person: the signer, the file, the addresses,
    /// and the text of the replies (which answer a person by name).
    pub fn without_names(mut self) -> Entry {
        self.sender = None;
        self.file = None;
        self.recipients.clear();
        for reply in self.replies.values_mut() {
            reply.text = None;
        }
        self
    }
}

/// How many inputs of each kind a tally read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Read {
    pub manifests: usize,
    pub send_logs: usize,
    pub replies: usize,
    pub tallies: usize,
}

/// Every letter the inputs know, each once.
#[derive(Debug, Default)]
pub struct Tally {
    pub entries: BTreeMap<Key, Entry>,
    /// Each Message-ID's entry, for the replies that name a letter by it.
    by_message_id: HashMap<String, Key>,
    /// The folders the entries were found in, as the user would name them.
    pub folders: Vec<PathBuf>,
    pub read: Read,
}

impl Tally {
    /// Adds a record of a letter, merged with any other of the same letter.
    pub fn add(&mut self, entry: Entry) -> Result<()> {
        let key = entry.key();
        if let Some(id) = &entry.message_id {
            self.by_message_id.insert(id.clone(), key.clone());
        }
        let full = self.entries.len() >= MAX_LETTERS;
        match self.entries.get_mut(&key) {
            Some(known) => known.merge(entry),
            None if full => return Err(too_many()),
            None => {
                self.entries.insert(key, entry);
            }
        }
        Ok(())
    }

    /// The entry a reply names: by its digest, else by its Message-ID.
    pub fn find_mut(
        &mut self,
        sha256: Option<&str>,
        message_id: Option<&str>,
    ) -> Option<&mut Entry> {
        let key = sha256
            .map(|s| Key::Sha256(s.to_string()))
            .filter(|key| self.entries.contains_key(key))
            .or_else(|| self.by_message_id.get(message_id?).cloned())?;
        self.entries.get_mut(&key)
    }
}

fn too_many() -> Error {
    Error::data(format!(
        "more than {MAX_LETTERS} letters in the inputs: more than one tally holds"
    ))
    .with_help("tally the branches' folders in parts, and add up the parts' totals")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(channel: Channel, date: Option<&str>) -> Entry {
        let mut e = Entry::new(channel);
        e.sha256 = Some("a".repeat(64));
        e.date = date.map(|d| Date::parse(d).unwrap());
        e
    }

    #[test]
    fn a_draft_written_and_then_delivered_is_one_letter_delivered() {
        let mut tally = Tally::default();
        let mut draft = entry(Channel::Draft, Some("2026-11-30"));
        draft.letter = Some("mamai".into());
        draft.mission = Some("gb-london".into());
        let mut sent = entry(Channel::Delivered, Some("2026-12-02"));
        sent.message_id = Some("m@protest.invalid".into());
        tally.add(draft).unwrap();
        tally.add(sent).unwrap();
        assert_eq!(tally.entries.len(), 1);
        let e = tally.entries.values().next().unwrap();
        assert_eq!(e.channel, Channel::Delivered);
        assert_eq!(e.date, Some(Date::parse("2026-12-02").unwrap()));
        assert_eq!(e.letter.as_deref(), Some("mamai"));
        assert_eq!(e.message_id.as_deref(), Some("m@protest.invalid"));
    }

    proptest::proptest! {
        /// Merging does not depend on the order, and a record merged twice
        /// is merged once.
        #[test]
        fn merging_is_the_same_in_any_order_and_twice_is_once(
            records in proptest::collection::vec(
                (0usize..6, proptest::option::of(0i64..5), proptest::option::of("[ab]"),
                 proptest::option::of(0u8..3)),
                1..6,
            )
        ) {
            let records: Vec<Entry> = records
                .into_iter()
                .map(|(channel, day, letter, reply)| {
                    let mut e = entry(Channel::ALL[channel], None);
                    e.date = day.map(|d| Date::from_days_since_epoch(20_000 + d));
                    e.letter = letter;
                    if let Some(r) = reply {
                        e.replies.insert(format!("{r}"), Reply {
                            id: format!("{r}"),
                            date: Date::from_days_since_epoch(20_000),
                            text: (r > 0).then(|| format!("text {r}")),
                        });
                    }
                    e
                })
                .collect();
            let merged = |order: &mut dyn Iterator<Item = Entry>| {
                let mut tally = Tally::default();
                for e in order {
                    tally.add(e).unwrap();
                }
                tally.entries
            };
            let forward = merged(&mut records.clone().into_iter());
            let backward = merged(&mut records.clone().into_iter().rev());
            let twice = merged(&mut records.iter().chain(records.iter()).cloned());
            proptest::prop_assert_eq!(&forward, &backward);
            proptest::prop_assert_eq!(&forward, &twice);
        }
    }
}
