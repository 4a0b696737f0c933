//! Letter templates: TOML front matter between `+++` lines, then a Handlebars body.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::facts::{Archived, Fact, Quotation};
use super::prisoners::Ask;
use crate::error::Result;
use crate::origin::Origin;

/// What a template says about itself, from its front matter.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub id: String,
    pub title: String,
    /// BCP 47 tag, e.g. `en-GB`: decides the date format, salutation and closing.
    pub language: String,
    pub subject: String,
    /// Ids into `prisoners.toml` of the people the letter names.
    #[serde(default)]
    pub prisoners: Vec<String>,
    /// What the letter asks for everyone in `prisoners`, unless `asks` says otherwise.
    #[serde(default = "release")]
    pub ask: Ask,
    /// Per-person exceptions to `ask`, by prisoner id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub asks: BTreeMap<String, Ask>,
    /// Why the letter is history, whatever its asks, and from when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<Archived>,
    #[serde(default)]
    pub demands: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salutation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Campaign addresses that get a copy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    /// The campaign article and date the letter is based on.
    pub source: String,
    /// What the text states, each with its date and source (`[[fact]]`).
    /// Not in the JSON listings: `letters/README.md` documents them.
    #[serde(default, rename = "fact", skip_serializing)]
    pub facts: Vec<Fact>,
    /// The quotations the text makes, in their sources' words (`[[quote]]`).
    #[serde(default, rename = "quote", skip_serializing)]
    pub quotes: Vec<Quotation>,
    /// Names the text puts in quotation marks: parties, newspapers, channels.
    #[serde(default, skip_serializing)]
    pub titles: Vec<String>,
}

/// Letters written before asks were stated asked for release.
fn release() -> Ask {
    Ask::Release
}

impl FrontMatter {
    /// What the letter asks for the person with id `prisoner`.
    pub fn ask_for(&self, prisoner: &str) -> Ask {
        self.asks.get(prisoner).copied().unwrap_or(self.ask)
    }
}

#[derive(Debug, Clone)]
pub struct LetterTemplate {
    pub front: FrontMatter,
    /// The Handlebars body, as written.
    pub body: String,
    /// Lines of the file before the body, to turn template line numbers into file line numbers.
    pub body_offset: usize,
    pub origin: Origin,
    pub(super) front_text: String,
    /// The language tag of a variant's file name (`ru` in `mamai.ru.hbs`);
    /// `None` for the letter itself.
    pub variant: Option<String>,
    /// Why the text must not go out unread, e.g. "needs a native speaker".
    pub review: Option<String>,
}

impl LetterTemplate {
    /// Splits and parses a template file. `file_stem` is the file name without
    /// `.hbs`, which must equal the front matter's `id`.
    pub fn parse(text: &str, file_stem: &str, origin: Origin) -> Result<LetterTemplate> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let missing = || {
            origin.error_at(Some(1), "no front matter").with_help(
                "a template starts with a line `+++`, TOML keys (id, title, language, subject, source), \
                 another `+++`, then the body; see letters/README.md",
            )
        };
        let rest = strip_fence(text).ok_or_else(missing)?;
        let (front_text, body) = split_at_fence(rest).ok_or_else(|| {
            origin
                .error_at(Some(1), "the front matter is not closed")
                .with_help("end the front matter with a line holding only `+++`")
        })?;
        let front: FrontMatter =
            toml::from_str(front_text).map_err(|err| origin.toml_error(front_text, &err, 1))?;
        if front.id != file_stem {
            let line = crate::origin::key_line(front_text, "id").map(|line| line + 1);
            return Err(origin
                .error_at(
                    line,
                    format!(
                        "id `{}` differs from the file name `{file_stem}.hbs`",
                        front.id
                    ),
                )
                .with_help(format!(
                    "rename the file to `{}.hbs` or set id = \"{file_stem}\"",
                    front.id
                )));
        }
        if let Some(id) = front.asks.keys().find(|id| !front.prisoners.contains(id)) {
            let line = crate::origin::key_line(front_text, "asks").map(|line| line + 1);
            return Err(origin
                .error_at(
                    line,
                    format!(
                        "asks: {} is not one of the letter's prisoners",
                        crate::text::quote(id)
                    ),
                )
                .with_help(format!("add \"{id}\" to prisoners, or remove it from asks")));
        }
        let body_offset = front_text.lines().count() + 2;
        Ok(LetterTemplate {
            front,
            body: body.to_string(),
            body_offset,
            origin,
            front_text: front_text.to_string(),
            variant: None,
            review: None,
        })
    }

    /// The name its subject and body are registered under in the template
    /// engine: a variant shares the letter's id, so it needs its own.
    pub fn engine_id(&self) -> String {
        match &self.variant {
            Some(lang) => format!("{}.{lang}", self.front.id),
            None => self.front.id.clone(),
        }
    }

    /// The file line of a front matter key, for errors about its value.
    pub fn front_line(&self, key: &str) -> Option<usize> {
        crate::origin::key_line(&self.front_text, key).map(|line| line + 1)
    }
}

/// The text after a first line of `+++`, if the text starts with one.
pub(super) fn strip_fence(text: &str) -> Option<&str> {
    let (first, rest) = text.split_once('\n')?;
    (first.trim_end() == "+++").then_some(rest)
}

/// Splits at the next line holding only `+++`: (front matter, body).
pub(super) fn split_at_fence(text: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&text[..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nid = \"t\"\ntitle = \"T\"\nlanguage = \"en-GB\"\nsubject = \"S\"\nsource = \"x\"\n+++\nHello {{sender.name}}\n";

    #[test]
    fn splits_front_matter_and_body() {
        let t = LetterTemplate::parse(GOOD, "t", Origin::builtin("t.hbs")).unwrap();
        assert_eq!(t.front.title, "T");
        assert_eq!(t.body, "Hello {{sender.name}}\n");
        assert_eq!(t.body_offset, 7);
    }

    #[test]
    fn names_the_line_of_a_bad_key() {
        let text = GOOD.replace("title", "titel");
        let err = LetterTemplate::parse(&text, "t", Origin::builtin("t.hbs")).unwrap_err();
        assert!(
            err.message
                .starts_with("t.hbs (built in):3: unknown field `titel`"),
            "{}",
            err.message
        );
    }
}
