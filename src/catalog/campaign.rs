//! A campaign's `campaign.toml`: the state its letters go to, in the words the
//! letters and the program's messages use, and the authorities in it that a
//! letter may be addressed to. Beside it, as in any data folder, `letters/`
//! and `embassies.toml`; the shipped campaigns are built into the binary.
//!
//! Nothing in the code names a state: an English address's "Ambassador of
//! the Republic of Kazakhstan", a Russian one's «Республики Казахстан», the
//! help's "the embassies of Kazakhstan" and the guided mode's privacy advice
//! all come from here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::Error as _;
use serde::{Deserialize, Serialize};

use super::files::{read_found_file, SourceFile};
use super::missions::{Mission, MissionKind};
use super::validate;
use crate::error::{Error, Result};
use crate::origin::{key_line, Origin};

/// A campaign built into the binary: its files' text, as build.rs found them.
pub struct Builtin {
    pub campaign: &'static str,
    pub prisoners: &'static str,
    pub embassies: &'static str,
    /// (file name, text) of each template in `letters/`.
    pub letters: &'static [(&'static str, &'static str)],
}

mod shipped {
    use super::Builtin;
    include!(concat!(env!("OUT_DIR"), "/builtin_campaigns.rs"));
}

impl Builtin {
    /// Whether `text` is one of this campaign's files, word for word.
    pub fn holds(&self, text: &str) -> bool {
        [self.campaign, self.prisoners, self.embassies].contains(&text)
            || self.letters.iter().any(|(_, letter)| *letter == text)
    }
}

/// The campaigns built into the binary, the default first.
pub fn builtin() -> &'static [Builtin] {
    shipped::CAMPAIGNS
}

/// The name the built-in campaign `builtin` gives itself, read from its
/// campaign.toml without the rest of it: `protest campaigns` and the choice
/// of a campaign need only the names.
pub fn builtin_name(builtin: &Builtin) -> String {
    #[derive(Deserialize)]
    struct Name {
        name: String,
    }
    toml::from_str::<toml::Table>(builtin.campaign)
        .ok()
        .and_then(|table| Name::deserialize(toml::Value::Table(table)).ok())
        .map(|n| n.name)
        .unwrap_or_default()
}

/// A folder of data: a campaign's (`campaign.toml`, `letters/` with the
/// templates and `prisoners.toml`, `embassies.toml`), or a data folder that
/// goes over a campaign's by id, with some of those.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    pub path: PathBuf,
    /// Where it was named, for messages: `PROTEST_DATA=…`, `config.toml:3: data = …`,
    /// `--campaign DIR`.
    pub set_by: String,
}

/// Which campaign the catalog is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CampaignSource {
    /// The built-in campaign at this place in [`builtin`].
    Builtin(usize),
    /// A campaign's folder, whole: its data alone, not over a built-in one.
    Folder(DataDir),
}

impl Default for CampaignSource {
    /// The first built-in campaign.
    fn default() -> CampaignSource {
        CampaignSource::Builtin(0)
    }
}

/// The file that makes a folder a campaign's.
pub const CAMPAIGN_FILE: &str = "campaign.toml";

/// The name of the campaign in a folder, from its campaign.toml.
pub fn campaign_name(dir: &DataDir) -> Result<String> {
    read_folder(dir).map(|(campaign, _, _)| campaign.name)
}

/// The campaign `source` names, without its letters and directory: what
/// the help and the list of campaigns need. The campaign.toml of a data
/// folder over it, if it has one, goes over it.
pub fn campaign_only(source: &CampaignSource, data: Option<&DataDir>) -> Result<Campaign> {
    let mut campaign = read(source)?.0;
    if let Some(data) = data {
        let path = data.path.join(CAMPAIGN_FILE);
        if path.is_file() {
            campaign = read_file(&path)?.0;
        }
    }
    Ok(campaign)
}

/// The campaign.toml of `source`: the campaign, its authorities and the
/// file, for the directory's messages.
pub fn read(source: &CampaignSource) -> Result<(Campaign, Vec<Mission>, SourceFile)> {
    match source {
        CampaignSource::Builtin(index) => {
            let shipped = builtin()
                .get(*index)
                .ok_or_else(|| Error::usage(format!("no built-in campaign number {index}")))?;
            let file = SourceFile {
                origin: Origin::builtin(CAMPAIGN_FILE),
                text: shipped.campaign.to_string(),
            };
            let (campaign, authorities) = Campaign::parse(&file.text, file.origin.clone())?;
            Ok((campaign, authorities, file))
        }
        CampaignSource::Folder(dir) => read_folder(dir),
    }
}

/// A campaign's folder's campaign.toml.
fn read_folder(dir: &DataDir) -> Result<(Campaign, Vec<Mission>, SourceFile)> {
    if !dir.path.is_dir() {
        let what = match dir.path.exists() {
            true => "not a folder",
            false => "no such directory",
        };
        return Err(Error::new(
            crate::error::ErrorKind::NoInput,
            format!("{}: {what}", dir.set_by),
        )
        .with_help(
            "`protest campaigns` lists the campaigns; a campaign's folder holds campaign.toml",
        ));
    }
    let path = dir.path.join(CAMPAIGN_FILE);
    if !path.exists() {
        return Err(Error::new(
            crate::error::ErrorKind::NoInput,
            format!("{}: not a campaign: no campaign.toml in it", dir.set_by),
        )
        .with_help(
            "a campaign's folder holds campaign.toml, letters/ and embassies.toml; see README \
             \"Your own campaign\"",
        ));
    }
    read_file(&path)
}

/// Reads and parses a campaign.toml found in a folder.
pub fn read_file(path: &Path) -> Result<(Campaign, Vec<Mission>, SourceFile)> {
    let text = read_found_file(path)?;
    let origin = Origin::file(path);
    let (campaign, authorities) = Campaign::parse(&text, origin.clone())?;
    Ok((campaign, authorities, SourceFile { origin, text }))
}

/// What campaign.toml says, parsed and checked.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// What `--campaign NAME` calls it.
    pub name: String,
    /// The state in English, for messages and help ("Kazakhstan").
    pub state: String,
    /// What the letters are for, as it reads after "a letter for".
    pub about: String,
    /// The advice where a writer may sign with initials and town only.
    pub privacy: String,
    /// The state's words by language (the primary tag: `en`, `ru`).
    pub languages: BTreeMap<String, Words>,
    /// The file it came from, and its text, for errors that point at a line.
    pub origin: Origin,
    pub text: String,
}

/// The state's words in one language.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// The state as it follows a title: "the Republic of Kazakhstan" (after
    /// "Ambassador of"), «Республики Казахстан» (the genitive).
    pub state: String,
    /// Who a letter is addressed to where the directory names no head of
    /// mission; in Russian, the dative office that heads every address.
    pub offices: Offices,
    /// The kinds of mission as a Russian copy line names them (nominative).
    #[serde(default)]
    pub missions: Option<Missions>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Offices {
    pub embassy: String,
    pub consulate_general: String,
    pub consulate: String,
    pub permanent_mission: String,
    /// An embassy headed by a chargé d'affaires (Russian addresses the office).
    #[serde(default)]
    pub charge_d_affaires: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Missions {
    pub embassy: String,
    pub consulate_general: String,
    pub consulate: String,
    pub permanent_mission: String,
}

impl Offices {
    /// The office of a mission's kind; `None` for an authority, whose name is its office.
    pub fn of(&self, kind: MissionKind) -> Option<&str> {
        let Offices {
            embassy,
            consulate_general,
            consulate,
            permanent_mission,
            ..
        } = self;
        by_kind(
            kind,
            [embassy, consulate_general, consulate, permanent_mission],
        )
    }
}

impl Missions {
    /// The name of a mission's kind; `None` for an authority.
    pub fn of(&self, kind: MissionKind) -> Option<&str> {
        let Missions {
            embassy,
            consulate_general,
            consulate,
            permanent_mission,
        } = self;
        by_kind(
            kind,
            [embassy, consulate_general, consulate, permanent_mission],
        )
    }
}

/// Of the words for an embassy, a consulate-general, a consulate and a
/// permanent mission, in that order, the one for `kind`; `None` for an
/// authority, which has none.
fn by_kind(kind: MissionKind, words: [&String; 4]) -> Option<&str> {
    let [embassy, consulate_general, consulate, permanent_mission] = words;
    Some(match kind {
        MissionKind::Embassy => embassy,
        MissionKind::ConsulateGeneral => consulate_general,
        MissionKind::Consulate => consulate,
        MissionKind::PermanentMission => permanent_mission,
        MissionKind::Authority => return None,
    })
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    state: String,
    about: String,
    privacy: String,
    language: BTreeMap<String, Words>,
    /// Each entry as written, with the place of its `[[authority]]` line:
    /// read into a [`Mission`] one by one, so that an error names the line
    /// of the entry it is in.
    #[serde(default)]
    authority: Vec<toml::Spanned<toml::Table>>,
}

/// An `[[authority]]`: a directory entry whose kind goes without saying.
fn authority(mut table: toml::Table) -> Result<Mission, toml::de::Error> {
    match table.get("kind") {
        None => {
            table.insert("kind".into(), "authority".into());
        }
        Some(toml::Value::String(kind)) if kind == "authority" => {}
        Some(_) => {
            return Err(toml::de::Error::custom(
                "`kind` of an [[authority]] is always `authority`: leave it out, and put a \
                 mission abroad in embassies.toml",
            ))
        }
    }
    Mission::deserialize(toml::Value::Table(table))
}

/// The `[[authority]]` entries, each read into a mission; an error is on the
/// line of the field it names in the entry it is in, else on the entry's
/// `[[authority]]` line (a field it lacks).
fn authorities(
    text: &str,
    origin: &Origin,
    entries: Vec<toml::Spanned<toml::Table>>,
) -> Result<Vec<Mission>> {
    entries
        .into_iter()
        .map(|entry| {
            let start = entry.span().start;
            authority(entry.into_inner()).map_err(|err| {
                let line = field_in_entry(text, start, err.message())
                    .unwrap_or_else(|| crate::origin::line_of(text, start));
                let error = origin.toml_message_at(Some(line), err.message());
                match error.help {
                    Some(_) => error,
                    None => error.with_help(HELP),
                }
            })
        })
        .collect()
}

/// The language every campaign has: the program speaks it, and a letter in a
/// language the campaign has no words for is addressed in it.
pub const PROGRAM_LANGUAGE: &str = "en";

const HELP: &str = "campaign.toml takes name, state, about, privacy, a [language.LANG] table for \
     English and each language of the letters (state, [language.LANG.offices], and for Russian \
     [language.ru.missions]), and [[authority]] entries; see README \"Your own campaign\"";

impl Campaign {
    /// Parses and checks campaign.toml; returns it and its authorities.
    pub fn parse(text: &str, origin: Origin) -> Result<(Campaign, Vec<Mission>)> {
        let file: File = toml::from_str(text).map_err(|err| {
            let error = origin.toml_error(text, &err, 0);
            match error.help {
                Some(_) => error,
                None => error.with_help(HELP),
            }
        })?;
        let line = |key: &str| key_line(text, key);
        let name_ok = !file.name.is_empty()
            && file
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !name_ok {
            return Err(origin
                .error_at(
                    line("name"),
                    format!(
                        "name `{}`: use lower-case letters, digits and hyphens",
                        file.name
                    ),
                )
                .with_help(
                    "it is what --campaign NAME calls the campaign, e.g. name = \"belarus\"",
                ));
        }
        for (key, value) in [
            ("state", &file.state),
            ("about", &file.about),
            ("privacy", &file.privacy),
        ] {
            visible(&origin, line(key), key, value)?;
        }
        for (tag, words) in &file.language {
            check_words(text, &origin, tag, words)?;
        }
        if !file.language.contains_key(PROGRAM_LANGUAGE) {
            let languages = text
                .lines()
                .position(|l| l.trim_start().starts_with("[language."))
                .map(|index| index + 1);
            return Err(origin
                .error_at(
                    languages,
                    "no [language.en]: every campaign has its English words",
                )
                .with_help(
                    "the program speaks English, and addresses a letter in a language the \
                     campaign has no words for in English: add [language.en] with state and \
                     [language.en.offices]",
                ));
        }
        let authorities = authorities(text, &origin, file.authority)?;
        let campaign = Campaign {
            name: file.name,
            state: file.state,
            about: file.about,
            privacy: file.privacy,
            languages: file.language,
            origin,
            text: text.to_string(),
        };
        Ok((campaign, authorities))
    }

    /// The state's words for a letter in `language` (a tag such as `en-GB`):
    /// the language's own, else English, in which such a letter is addressed.
    pub fn words(&self, language: &str) -> &Words {
        let primary = super::variants::primary_language(language);
        self.languages
            .get(&*primary)
            .or_else(|| self.languages.get(PROGRAM_LANGUAGE))
            .expect("parse makes sure every campaign has its English words")
    }

    /// Whether the campaign has words of its own for `language`.
    pub fn speaks(&self, language: &str) -> bool {
        self.languages
            .contains_key(&*super::variants::primary_language(language))
    }

    /// The line of `[language.TAG]` (or of a key in it), for messages.
    pub fn language_line(&self, tag: &str) -> Option<usize> {
        language_line(&self.text, tag)
    }
}

/// A word of the campaign: visible text, with no control character or
/// direction mark that would reach a letter.
fn visible(origin: &Origin, line: Option<usize>, field: &str, value: &str) -> Result<()> {
    let fields = serde_json::json!({ field: value });
    validate::entry_text(origin, "", &fields, &|_| line)?;
    if !crate::text::is_visible(value) {
        return Err(origin
            .error_at(line, format!("`{field}` is empty"))
            .with_help("give it a value: README \"Your own campaign\" says what each one is"));
    }
    Ok(())
}

/// The line of the field `message` names (between backticks) in the
/// `[[authority]]` entry whose header is at byte `start`: the entry's table
/// is read without its places, so the reader wants the field's.
fn field_in_entry(text: &str, start: usize, message: &str) -> Option<usize> {
    let (_, rest) = message.split_once('`')?;
    let (field, _) = rest.split_once('`')?;
    let entry = text.get(start..)?;
    let end = entry.find("\n[[").unwrap_or(entry.len());
    let line = key_line(&entry[..end], field)?;
    Some(crate::origin::line_of(text, start) + line - 1)
}

/// The line of `key = …` in the table `[language.TABLE]`.
fn key_in_table(text: &str, table: &str, key: &str) -> Option<usize> {
    let start = language_line(text, table)?;
    let rest: String = text
        .lines()
        .skip(start)
        .take_while(|l| !l.trim_start().starts_with('['))
        .map(|l| format!("{l}\n"))
        .collect();
    key_line(&rest, key).map(|line| start + line)
}

/// The line of the table `[language.TAG]` (or `[language.TAG.offices]`).
fn language_line(text: &str, tag: &str) -> Option<usize> {
    let header = format!("[language.{tag}]");
    text.lines()
        .position(|l| l.trim() == header)
        .map(|index| index + 1)
}

/// A language's table: a tag the letters can have, visible words, and the
/// forms its way of addressing needs.
fn check_words(text: &str, origin: &Origin, tag: &str, words: &Words) -> Result<()> {
    let line = language_line(text, tag);
    let tag_ok = (2..=3).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_lowercase());
    if !tag_ok {
        return Err(origin
            .error_at(
                line,
                format!("[language.{tag}]: `{tag}` is not a language's primary tag"),
            )
            .with_help(
                "name the table by the tag letters' `language` starts with: en, ru, de, kk…",
            ));
    }
    let offices = &words.offices;
    let table = |name: &str| language_line(text, &format!("{tag}.{name}")).or(line);
    let key = |table: &str, key: &str| key_in_table(text, table, key).or(line);
    let mut fields = vec![(
        key(tag, "state"),
        format!("language.{tag}.state"),
        Some(&words.state),
    )];
    for (name, value) in [
        ("embassy", Some(&offices.embassy)),
        ("consulate-general", Some(&offices.consulate_general)),
        ("consulate", Some(&offices.consulate)),
        ("permanent-mission", Some(&offices.permanent_mission)),
        ("charge-d-affaires", offices.charge_d_affaires.as_ref()),
    ] {
        let line = key(&format!("{tag}.offices"), name);
        fields.push((line, format!("language.{tag}.offices.{name}"), value));
    }
    if let Some(missions) = &words.missions {
        for (name, value) in [
            ("embassy", &missions.embassy),
            ("consulate-general", &missions.consulate_general),
            ("consulate", &missions.consulate),
            ("permanent-mission", &missions.permanent_mission),
        ] {
            let line = key(&format!("{tag}.missions"), name);
            fields.push((line, format!("language.{tag}.missions.{name}"), Some(value)));
        }
    }
    for (line, field, value) in fields {
        if let Some(value) = value {
            visible(origin, line, &field, value)?;
        }
    }
    // The Russian address is made of the office in the dative, the state in
    // the genitive and the place; its copy line of the mission's kind, the
    // state and the place. Nothing else can stand in for them.
    if tag == "ru" {
        if words.missions.is_none() {
            return Err(origin
                .error_at(line, "[language.ru]: no [language.ru.missions]")
                .with_help(
                    "a Russian letter names the mission in the nominative: add \
                     [language.ru.missions] with embassy = \"Посольство\", consulate-general, \
                     consulate and permanent-mission",
                ));
        }
        if offices.charge_d_affaires.is_none() {
            return Err(origin
                .error_at(
                    table("offices"),
                    "[language.ru.offices]: no `charge-d-affaires`",
                )
                .with_help(
                    "a Russian letter to an embassy headed by a chargé d'affaires addresses \
                     the office: charge-d-affaires = \"Временному поверенному в делах\"",
                ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Campaign, Vec<Mission>)> {
        Campaign::parse(text, Origin("c.toml".into()))
    }

    #[test]
    fn every_shipped_campaign_parses_with_english_words() {
        for shipped in builtin() {
            let (campaign, _) = parse(shipped.campaign).unwrap();
            assert_eq!(campaign.name, builtin_name(shipped));
            assert!(campaign.speaks("en-GB"));
        }
    }

    /// A half-saved or half-synced file: every prefix of a campaign.toml
    /// is refused as bad data on a line it has, or read, and never panics.
    #[test]
    fn every_prefix_of_a_campaign_file_is_refused_on_a_line_or_read() {
        let whole = builtin()[0].campaign;
        let lines = |text: &str| text.split('\n').count();
        for end in (0..=whole.len()).filter(|&end| whole.is_char_boundary(end)) {
            for prefix in [&whole[..end], &format!("\u{feff}{}", &whole[..end])] {
                let Err(err) = parse(prefix) else { continue };
                let line: Option<usize> = err
                    .message
                    .strip_prefix("c.toml:")
                    .and_then(|rest| rest.split_once(": "))
                    .and_then(|(line, _)| line.parse().ok());
                assert_eq!(err.kind, crate::error::ErrorKind::Data, "{prefix:?}");
                assert!(
                    line.is_some_and(|line| (1..=lines(prefix)).contains(&line)),
                    "no line of the file in {:?} for {prefix:?}",
                    err.message
                );
            }
        }
    }

    #[test]
    fn an_empty_or_cut_short_campaign_file_names_its_line() {
        let message = |text: &str| parse(text).unwrap_err().message;
        assert_eq!(message(""), "c.toml:1: missing field `name`");
        assert_eq!(
            message("name = \"c\"\nstate"),
            "c.toml:2: key with no value, expected `=`"
        );
        assert!(message("[").starts_with("c.toml:1: "));
        assert!(message("state = \"x").starts_with("c.toml:1: "));
    }

    /// The entry that lacks a field, or has a wrong one, is the one named.
    #[test]
    fn an_authority_error_is_on_the_line_of_its_own_entry() {
        let head = "name = \"c\"\nstate = \"S\"\nabout = \"a\"\nprivacy = \"p\"\n\
                    [language.en]\nstate = \"the S\"\n[language.en.offices]\n\
                    embassy = \"E\"\nconsulate-general = \"G\"\nconsulate = \"C\"\n\
                    permanent-mission = \"P\"\n";
        let entry = |id: &str, name: bool| {
            format!(
                "\n[[authority]]\nid = \"{id}\"\ncountry = \"CN\"\ncity = \"B\"\n{}\
                 source = \"s\"\n",
                if name { "name = \"N\"\n" } else { "" }
            )
        };
        let text = format!("{head}{}{}", entry("one", true), entry("two", false));
        let second = text.rfind("[[authority]]").unwrap();
        let at = crate::origin::line_of(&text, second);
        assert_eq!(
            parse(&text).unwrap_err().message,
            format!("c.toml:{at}: missing field `name`")
        );
        let text = format!("{head}{}\n[[authority]]\n", entry("one", true));
        assert_eq!(
            parse(&text).unwrap_err().message,
            format!("c.toml:{}: missing field `id`", text.lines().count())
        );
        let text = format!("{head}{}{}", entry("one", true), entry("two", true))
            .replacen("city = \"B\"", "city = \"B\"\nphone = 5", 2)
            .replacen("city = \"B\"\nphone = 5", "city = \"B\"", 1);
        // serde names no field for a wrong type: the entry's own line, not the first's.
        let second = text.rfind("[[authority]]").unwrap();
        assert_eq!(
            parse(&text).unwrap_err().message,
            format!(
                "c.toml:{}: invalid type: integer `5`, expected a string",
                crate::origin::line_of(&text, second)
            )
        );
    }
}
