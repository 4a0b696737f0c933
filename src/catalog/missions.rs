//! A campaign's directory: the state's diplomatic missions abroad, and the
//! authorities in it, that letters are addressed to.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissionKind {
    Embassy,
    ConsulateGeneral,
    Consulate,
    PermanentMission,
    /// Not a mission: an addressee in the campaign's state, such as its President.
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

    /// The kind of office in English, spelt as the printed letters and the
    /// directory's mission names spell it ("Consulate General", no hyphen);
    /// an authority is one in the campaign's `state`.
    pub fn label(self, state: &str) -> String {
        match self {
            MissionKind::Embassy => "Embassy".into(),
            MissionKind::ConsulateGeneral => "Consulate General".into(),
            MissionKind::Consulate => "Consulate".into(),
            MissionKind::PermanentMission => "Permanent Mission".into(),
            MissionKind::Authority => format!("Authority in {state}"),
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
    /// How a letter in another language names the head on its address, by
    /// language: `ru = "К.-Ж. К. Токаеву"` (Russian addresses in the dative).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub addressed: BTreeMap<String, String>,
}

/// What a Russian letter needs of a mission beyond its country's name
/// (data/countries.toml): the city's forms for a consulate, the names of a
/// mission that are not "Посольство ... в <country>", and the postal lines
/// where the host country's post reads Cyrillic.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RussianForms {
    /// The city in the nominative ("Сан-Франциско").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The city with its preposition, in the prepositional ("в Сан-Франциско").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_city: Option<String>,
    /// The mission's name in the nominative, where it is not made from the
    /// kind and place ("Постоянное представительство ... при ООН").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The addressee's office in the dative, likewise ("Президенту Республики Казахстан").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// Postal lines in Cyrillic, as the mission writes them, for a host
    /// country whose post reads Russian.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<RussianForms>,
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
