//! The composed letter: one structured document that every renderer reads.
//!
//! Composition decides *what* the letter says (who writes, to whom, the
//! salutation that fits the recipient, the date in the reader's convention);
//! renderers only decide *how* it looks. Nothing in here is format-specific.

use crate::date::Date;

/// A finished letter, ready to render as text, email or PDF.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Letter {
    /// Id of the template the letter was written from (e.g. `bokayev-ayanov`).
    #[serde(rename = "letter")]
    pub template_id: String,
    /// BCP 47 language tag of the letter (e.g. `en-GB`).
    pub language: String,
    /// Who writes.
    pub sender: SenderBlock,
    /// The date the letter carries, and how it is written in the letter's language.
    pub date: Date,
    pub date_text: String,
    /// Where the letter is written from (sender's town), shown before the date when known.
    pub place: Option<String>,
    /// Who receives it.
    pub recipient: RecipientBlock,
    pub subject: String,
    /// E.g. "Your Excellency," (punctuation included).
    pub salutation: String,
    /// The body, in order.
    pub body: Vec<Block>,
    /// E.g. "Yours sincerely," (punctuation included).
    pub closing: String,
    /// Signature lines under the space to sign: name, then role, then organisation.
    pub signature: Vec<String>,
    /// Copies: campaign addresses or people, one per entry ("Name <addr>" or plain text).
    pub cc: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SenderBlock {
    pub name: String,
    /// Lines under the name in the sender block: role, organisation, postal address lines.
    pub lines: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// One-line return address for a window envelope ("A. Activist, 1 High St, Leeds LS1 1AA").
    pub return_line: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecipientBlock {
    /// Directory id of the mission (e.g. `gb-london`).
    #[serde(rename = "mission")]
    pub mission_id: String,
    /// Host country, ISO 3166-1 alpha-2 (upper case). Renderers pick paper size from it.
    pub country: String,
    /// The postal block in order: addressee, mission, address lines, country (when abroad).
    pub lines: Vec<String>,
    /// The mission's email address, when the directory has one.
    pub email: Option<String>,
    /// The display name of that address in a draft's `To`, where it is not
    /// the first of `lines` (a Russian letter's addressee is in the dative;
    /// its `To` names the mission in the nominative).
    #[serde(skip)]
    pub email_name: Option<String>,
    /// True when the directory has no postal address for the mission: `lines` then holds
    /// only the addressee, mission name, city and country.
    pub address_missing: bool,
}

/// A piece of the body. In JSON, `{"kind": "paragraph", "text": "…"}` or
/// `{"kind": "list", "items": […]}`: one key, one type (docs/json.md).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Block {
    /// A paragraph of running text, without line breaks.
    Paragraph(String),
    /// A bulleted list; each item is running text without line breaks.
    List(Vec<String>),
}

impl serde::Serialize for Block {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        match self {
            Block::Paragraph(text) => {
                map.serialize_entry("kind", "paragraph")?;
                map.serialize_entry("text", text)?;
            }
            Block::List(items) => {
                map.serialize_entry("kind", "list")?;
                map.serialize_entry("items", items)?;
            }
        }
        map.end()
    }
}
