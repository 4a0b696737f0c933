//! The facts a letter states, as its front matter lists them, each with its
//! date and source: what `check` holds the letter's text against, and what
//! `write` holds the letter's date against.

use serde::{Deserialize, Serialize};

use super::missions::Confidence;
use super::prisoners::{EventKind, Prisoner};
use crate::date::PartialDate;

/// One fact the letter states (`[[fact]]`): either in its own words, with
/// `says` and `source`, or a person's recorded event of `date` (`prisoner`),
/// whose note and source it takes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub date: PartialDate,
    /// An id in `prisoners.toml`: the fact is that person's event of `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prisoner: Option<String>,
    /// What the text states, with the numbers and dates it uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub says: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

/// A quotation the letter makes (`[[quote]]`), in its source's exact words.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quotation {
    pub words: String,
    pub source: String,
    pub date: PartialDate,
}

/// Why a letter is history (`archived`): the reason alone, or the reason
/// and the day from which it applies, so that `write --as-of` can still
/// write the letter as it was before then.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Archived {
    Why(String),
    Since { since: PartialDate, why: String },
}

/// By hand rather than `untagged`, so that a table missing a key is told
/// which, not "data did not match any variant".
impl<'de> Deserialize<'de> for Archived {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Archived;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a reason, or { since = \"YYYY-MM-DD\", why = \"...\" }")
            }
            fn visit_str<E: serde::de::Error>(self, why: &str) -> Result<Archived, E> {
                Ok(Archived::Why(why.to_string()))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Archived, M::Error> {
                use serde::de::Error;
                let (mut since, mut why) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "since" => since = Some(map.next_value::<PartialDate>()?),
                        "why" => why = Some(map.next_value::<String>()?),
                        other => return Err(M::Error::unknown_field(other, &["since", "why"])),
                    }
                }
                match (since, why) {
                    (Some(since), Some(why)) => Ok(Archived::Since { since, why }),
                    (_, None) => Err(M::Error::missing_field("why")),
                    (None, _) => Err(M::Error::missing_field("since")),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl Archived {
    pub fn why(&self) -> &str {
        match self {
            Archived::Why(why) | Archived::Since { why, .. } => why,
        }
    }

    /// The first day it is history; `None` for one with no `since`: always.
    pub fn since(&self) -> Option<PartialDate> {
        match self {
            Archived::Why(_) => None,
            Archived::Since { since, .. } => Some(*since),
        }
    }
}

/// A fact as the letter relies on it, its person's event looked up.
#[derive(Debug, Clone)]
pub struct Stated<'c> {
    pub date: PartialDate,
    /// "the sentence", "the report": what a message calls it.
    pub what: &'static str,
    pub person: Option<&'c Prisoner>,
    pub says: String,
    pub source: String,
}

impl Stated<'_> {
    /// "the sentence of 2 August 2024", for a refusal's first line.
    pub fn headline(&self) -> String {
        format!("{} of {}", self.what, self.date.format_en())
    }

    /// "(Duman Mukhammedkarim: sentenced …; source: RFE/RL …)".
    pub fn details(&self) -> String {
        match self.person {
            Some(person) => format!("({}: {}; source: {})", person.name, self.says, self.source),
            None => format!("({}; source: {})", self.says, self.source),
        }
    }
}

/// What a refusal calls an event of each kind.
pub fn event_noun(kind: EventKind) -> &'static str {
    use EventKind::*;
    match kind {
        Arrested => "the arrest",
        Detained => "the detention",
        HouseArrest => "the house arrest",
        Trial => "the trial",
        Sentenced | RestrictedFreedom | SuspendedSentence => "the sentence",
        Supervision => "the supervision order",
        Ban => "the ban",
        Released => "the release",
        Paroled => "the release on parole",
        Pardoned => "the pardon",
        Acquitted => "the acquittal",
        TermEnded => "the end of the term",
        Died => "the death",
        Named => "the campaign's appeal",
        Noted => "the report",
    }
}
