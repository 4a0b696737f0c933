//! The people the letters name, and what the campaign last reported of them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Where a person stood when the campaign last reported on them. It is
/// history with a date, not today's truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Detained,
    OnTrial,
    Sentenced,
    Released,
    Unknown,
    /// Named in a demand (reinstate, "hands off") but never held.
    NotDetained,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Detained => "detained",
            Status::OnTrial => "on trial",
            Status::Sentenced => "sentenced",
            Status::Released => "released",
            Status::Unknown => "unknown",
            Status::NotDetained => "not detained",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prisoner {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_name: Option<String>,
    /// The name as sources write it in another script, by language: `ru`, `kk`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
    pub description: String,
    pub status: Status,
    /// As of when: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub status_date: String,
    pub status_note: String,
    pub source: String,
}

impl Prisoner {
    /// The name in `language` (a BCP 47 tag) where the data has one, else the Latin one.
    pub fn name_in(&self, language: &str) -> &str {
        let primary = language.split(['-', '_']).next().unwrap_or("");
        self.names
            .get(language)
            .or_else(|| self.names.get(primary))
            .unwrap_or(&self.name)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    pub prisoner: Vec<Prisoner>,
}
