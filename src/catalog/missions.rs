//! Kazakhstan's diplomatic missions: the directory letters are addressed from.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissionKind {
    Embassy,
    ConsulateGeneral,
    Consulate,
    PermanentMission,
    /// Not a mission: an addressee in Kazakhstan, such as the President.
    Authority,
}

impl MissionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MissionKind::Embassy => "embassy",
            MissionKind::ConsulateGeneral => "consulate-general",
            MissionKind::Consulate => "consulate",
            MissionKind::PermanentMission => "permanent-mission",
            MissionKind::Authority => "authority",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific: Option<String>,
    pub title: String,
    pub as_of: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mission {
    pub id: String,
    pub kind: MissionKind,
    /// Host country, ISO 3166-1 alpha-2.
    pub country: String,
    pub city: String,
    pub name: String,
    /// Postal lines without the mission's name and the country line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_emails: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fax: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Other countries the head of this mission is accredited to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accredited_to: Vec<String>,
    /// Required by `protest check`: where every value came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Required by `protest check`: the date of the newest source, YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<Head>,
}

impl Mission {
    /// True when a letter can be posted: the directory has a street address.
    pub fn has_postal_address(&self) -> bool {
        self.address.as_ref().is_some_and(|lines| !lines.is_empty())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    #[serde(default)]
    pub mission: Vec<Mission>,
}
