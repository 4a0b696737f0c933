//! The catalog: one campaign's letters, prisoners and missions, shipped in
//! the binary or read from its folder, and overlaid with the user's own files.

mod alternatives;
mod campaign;
mod claims;
mod countries;
mod facts;
mod files;
mod fit;
mod languages;
mod letters;
mod missions;
mod prisoners;
mod sender;
mod sourcing;
mod suggest;
mod validate;
mod variants;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use campaign::{
    builtin as builtin_campaigns, builtin_name, campaign_name, campaign_only, Builtin, Campaign,
    CampaignSource, DataDir, Words, CAMPAIGN_FILE, PROGRAM_LANGUAGE,
};
pub use claims::{claims, Claim, ClaimKind, Support};
pub use countries::{Countries, RussianName};
pub use facts::{Archived, Fact, Quotation, Stated};
use files::read_found_file;
pub use files::{read_text, SourceFile};
pub use fit::Refusal;
pub use languages::language_name;
pub use letters::{FrontMatter, LetterTemplate};
pub use missions::{Confidence, Head, Mission, MissionKind, RussianForms};
pub use prisoners::{Ask, Event, EventKind, Misfit, Prisoner, Standing, Status};
pub use sender::Sender;
pub use sourcing::Finding;
pub use suggest::suggest;
pub use variants::primary_language;

use crate::error::{Error, Result};
use crate::origin::{entry_line, line_of, Origin};
use crate::template::Engine;

/// Which campaign, and where the user's own data is on top of it.
#[derive(Debug, Clone, Default)]
pub struct CatalogPaths {
    pub campaign: CampaignSource,
    /// A data folder of the same campaign, between its data and the two below.
    pub data_dir: Option<DataDir>,
    /// More templates (`*.hbs`) and optionally a `prisoners.toml`; same id replaces.
    pub letters_dir: Option<PathBuf>,
    /// Directory entries merged over the shipped ones by id.
    pub embassies_file: Option<PathBuf>,
}

#[derive(Clone)]
pub struct Catalog {
    /// The state the letters go to, in their words.
    pub campaign: Campaign,
    /// Where the campaign came from.
    pub campaign_source: CampaignSource,
    pub templates: BTreeMap<String, LetterTemplate>,
    /// Language variants by letter id, then by the language of the file name.
    pub variants: BTreeMap<String, BTreeMap<String, LetterTemplate>>,
    pub prisoners: BTreeMap<String, Prisoner>,
    /// Sorted by id.
    pub missions: Vec<Mission>,
    pub countries: Countries,
    /// The files missions came from, and which file each mission id is in.
    pub mission_files: Vec<SourceFile>,
    pub mission_file_of: HashMap<String, usize>,
    pub prisoner_files: Vec<SourceFile>,
    pub prisoner_file_of: HashMap<String, usize>,
    pub engine: Engine,
    /// The data folder loaded, if any.
    pub data_dir: Option<DataDir>,
}

impl Catalog {
    pub fn load(paths: &CatalogPaths) -> Result<Catalog> {
        let (campaign, authorities, campaign_file) = campaign::read(&paths.campaign)?;
        let mut catalog = Catalog {
            campaign,
            campaign_source: paths.campaign.clone(),
            templates: BTreeMap::new(),
            variants: BTreeMap::new(),
            prisoners: BTreeMap::new(),
            missions: Vec::new(),
            countries: Countries::builtin()?,
            mission_files: Vec::new(),
            mission_file_of: HashMap::new(),
            prisoner_files: Vec::new(),
            prisoner_file_of: HashMap::new(),
            engine: Engine::default(),
            data_dir: paths.data_dir.clone(),
        };
        let ids = ids_of(&authorities);
        catalog.add_authorities(campaign_file, authorities)?;
        match &paths.campaign {
            CampaignSource::Builtin(index) => catalog.add_builtin(&builtin_campaigns()[*index])?,
            CampaignSource::Folder(dir) => catalog.add_folder(&dir.path)?,
        }
        catalog.refuse_shadowed(0, &ids)?;
        if let Some(data) = &paths.data_dir {
            catalog.add_data_dir(data)?;
        }
        if let Some(dir) = &paths.letters_dir {
            catalog.add_letters_dir(dir)?;
        }
        if let Some(file) = &paths.embassies_file {
            let text = read_text(file).map_err(|err| match err.help {
                Some(_) => err,
                None => err.with_help("--embassies takes a TOML file of [[mission]] entries"),
            })?;
            catalog.add_embassies(SourceFile {
                origin: Origin::file(file),
                text,
            })?;
        }
        Ok(catalog)
    }

    /// Only what ships in the binary: [`Catalog::load`] of the default
    /// campaign without the user's files.
    pub fn builtin() -> Result<Catalog> {
        Catalog::load(&CatalogPaths::default())
    }

    /// The templates, people and directory of a built-in campaign.
    fn add_builtin(&mut self, shipped: &Builtin) -> Result<()> {
        for (name, text) in variants_last(shipped.letters.iter().map(|(n, t)| (*n, *t))) {
            let origin = Origin::builtin(&format!("letters/{name}"));
            self.add_template(text, name, origin)?;
        }
        self.add_prisoners(SourceFile {
            origin: Origin::builtin("letters/prisoners.toml"),
            text: shipped.prisoners.to_string(),
        })?;
        self.add_embassies(SourceFile {
            origin: Origin::builtin("embassies.toml"),
            text: shipped.embassies.to_string(),
        })
    }

    /// The templates, people and directory of a campaign's folder, whose
    /// campaign.toml is read already.
    fn add_folder(&mut self, path: &Path) -> Result<()> {
        let letters = path.join("letters");
        let embassies = path.join("embassies.toml");
        if letters.is_dir() {
            self.add_letters_dir(&letters)?;
        }
        if embassies.exists() {
            let text = read_found_file(&embassies)?;
            self.add_embassies(SourceFile {
                origin: Origin::file(&embassies),
                text,
            })?;
        }
        if self.missions.is_empty() {
            return Err(Error::data(format!(
                "{}: the campaign has no missions and no authorities to write to",
                path.display()
            ))
            .with_help(
                "a campaign folder holds embassies.toml ([[mission]] entries) and/or \
                 [[authority]] entries in campaign.toml; see README \"Your own campaign\"",
            ));
        }
        Ok(())
    }

    /// The authorities of campaign.toml, into the directory like its entries.
    fn add_authorities(&mut self, file: SourceFile, authorities: Vec<Mission>) -> Result<()> {
        let mut missions: BTreeMap<String, Mission> = std::mem::take(&mut self.missions)
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect();
        let result = self.merge_missions(file, authorities, &mut missions);
        self.missions = missions.into_values().collect();
        result
    }

    /// Merges directory entries (the text of an embassies TOML file) over
    /// those loaded, by id, as `--embassies FILE` does. On an error nothing
    /// of the file is merged.
    pub fn add_embassies(&mut self, file: SourceFile) -> Result<()> {
        let mut missions: BTreeMap<String, Mission> = std::mem::take(&mut self.missions)
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect();
        // add_missions checks every entry before it merges any.
        let result = self.add_missions(file, &mut missions);
        self.missions = missions.into_values().collect();
        result
    }

    fn add_data_dir(&mut self, data: &DataDir) -> Result<()> {
        let help = "a data folder holds letters/*.hbs, letters/prisoners.toml and/or \
                    embassies.toml; fix the path, or unset PROTEST_DATA or the config file's `data`";
        if !data.path.is_dir() {
            return Err(Error::new(
                crate::error::ErrorKind::NoInput,
                format!("{}: no such directory", data.set_by),
            )
            .with_help(help));
        }
        let letters = data.path.join("letters");
        let embassies = data.path.join("embassies.toml");
        let campaign = data.path.join(CAMPAIGN_FILE);
        if !letters.is_dir() && !embassies.is_file() && !campaign.is_file() {
            return Err(Error::data(format!(
                "{}: neither letters/ nor embassies.toml is in it",
                data.set_by
            ))
            .with_help(help));
        }
        let mut authorities_file = None;
        if campaign.exists() {
            let (words, authorities, file) = campaign::read_file(&campaign)?;
            if words.name != self.campaign.name {
                return Err(Error::usage(format!(
                    "{}: its campaign.toml is of the campaign `{}`, not of `{}`",
                    data.set_by, words.name, self.campaign.name
                ))
                .with_help(format!(
                    "choose it with --campaign {}, or unset PROTEST_DATA or the config file's `data`",
                    words.name
                )));
            }
            self.campaign = words;
            authorities_file = Some((self.mission_files.len(), ids_of(&authorities)));
            self.add_authorities(file, authorities)?;
        }
        if letters.is_dir() {
            self.add_letters_dir(&letters)?;
        }
        if embassies.exists() {
            let text = read_found_file(&embassies)?;
            self.add_embassies(SourceFile {
                origin: Origin::file(&embassies),
                text,
            })?;
        }
        match authorities_file {
            Some((index, ids)) => self.refuse_shadowed(index, &ids),
            None => Ok(()),
        }
    }

    /// An authority of one campaign.toml (the file at `index` of the
    /// directory's files) whose id a mission of the embassies.toml beside it
    /// has too: one of the two could never be written to.
    fn refuse_shadowed(&self, index: usize, ids: &[String]) -> Result<()> {
        let Some(campaign) = self.mission_files.get(index) else {
            return Ok(());
        };
        for id in ids {
            if self.mission_file_of.get(id).is_none_or(|&at| at == index) {
                continue;
            }
            let (embassies, line) = self.mission_line(id, "id");
            let at = line.map_or(String::new(), |line| format!(":{line}"));
            return Err(campaign
                .origin
                .error_at(
                    entry_line(&campaign.text, id, "id"),
                    format!(
                        "id `{id}` is used twice: by this [[authority]] and by a mission in \
                         {embassies}{at}"
                    ),
                )
                .with_help(
                    "an id names one addressee: give the authority an id of its own, the \
                     state's country code first (as `kz-president`)",
                ));
        }
        Ok(())
    }

    fn add_letters_dir(&mut self, dir: &Path) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|err| {
            Error::read(dir, &err).with_help("--letters takes a directory of *.hbs templates")
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect();
        files.sort();
        let mut templates = Vec::new();
        for path in &files {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if name == "prisoners.toml" {
                let text = read_found_file(path)?;
                self.add_prisoners(SourceFile {
                    origin: Origin::file(path),
                    text,
                })?;
            } else if name.ends_with(".hbs") {
                templates.push((name, path));
            }
        }
        for (name, path) in variants_last(templates.into_iter()) {
            let text = read_found_file(path)?;
            self.add_template(&text, name, Origin::file(path))?;
        }
        Ok(())
    }

    /// Parses a template (`file_name` is `ID.hbs`, or `ID.LANG.hbs` for a
    /// language variant of a letter already added) and registers it,
    /// replacing one with the same id, as a file in `--letters DIR` does.
    /// A letter that replaces another drops the other's variants: they are
    /// translations of a text that is no longer there.
    pub fn add_template(&mut self, text: &str, file_name: &str, origin: Origin) -> Result<()> {
        let template = match variants::split_file_name(file_name) {
            Some((id, lang)) => {
                let Some(main) = self.templates.get(id) else {
                    return Err(origin
                        .error_at(
                            None,
                            format!(
                                "a `{lang}` variant of the letter `{id}`, which does not exist"
                            ),
                        )
                        .with_help(format!(
                            "put the letter itself beside it as `{id}.hbs`, or rename this file"
                        )));
                };
                variants::parse(text, lang, main, origin)?
            }
            None => {
                let stem = file_name.trim_end_matches(".hbs");
                LetterTemplate::parse(text, stem, origin)?
            }
        };
        // The shipped data is checked by the tests, not on every run.
        let shipped = is_shipped(text);
        if !shipped {
            let front = serde_json::to_value(&template.front).expect("front matter serialises");
            validate::entry_text(&template.origin, "", &front, &|key| {
                template.front_line(key)
            })?;
            // Not in the listings' JSON, but printed in `check`'s messages.
            let sources = serde_json::json!({
                "fact": template.front.facts,
                "quote": template.front.quotes,
                "titles": template.front.titles,
            });
            validate::entry_text(&template.origin, "", &sources, &|key| {
                template.front_line(key)
            })?;
            validate::body_text(&template.origin, &template.body, template.body_offset)?;
        }
        let name = template.engine_id();
        self.engine.register(
            &body_name(&name),
            &template.body,
            &template.origin,
            template.body_offset,
            None,
            shipped,
        )?;
        let subject_line = template.front_line("subject").map_or(0, |l| l - 1);
        self.engine.register(
            &subject_name(&name),
            &template.front.subject,
            &template.origin,
            subject_line,
            Some("subject"),
            shipped,
        )?;
        let id = template.front.id.clone();
        match template.variant.clone() {
            Some(lang) => {
                self.variants.entry(id).or_default().insert(lang, template);
            }
            None => {
                self.variants.remove(&id);
                self.templates.insert(id, template);
            }
        }
        Ok(())
    }

    fn add_prisoners(&mut self, file: SourceFile) -> Result<()> {
        let parsed: prisoners::File = toml::from_str(&file.text)
            .map_err(|err| file.origin.toml_error(&file.text, &err, 0))?;
        let index = self.prisoner_files.len();
        let mut seen = HashMap::new();
        let shipped = is_shipped(&file.text);
        for prisoner in parsed.prisoner.iter().filter(|_| !shipped) {
            let value = serde_json::to_value(prisoner).expect("a person serialises");
            let locate = validate::in_entry(&file.text, &prisoner.id);
            validate::entry_text(&file.origin, &prisoner.id, &value, &locate)?;
        }
        for prisoner in parsed.prisoner {
            if seen.insert(prisoner.id.clone(), ()).is_some() {
                return Err(duplicate(&file, &prisoner.id));
            }
            self.prisoner_file_of.insert(prisoner.id.clone(), index);
            self.prisoners.insert(prisoner.id.clone(), prisoner);
        }
        self.prisoner_files.push(file);
        Ok(())
    }

    fn add_missions(
        &mut self,
        file: SourceFile,
        into: &mut BTreeMap<String, Mission>,
    ) -> Result<()> {
        let parsed: missions::File = toml::from_str(&file.text)
            .map_err(|err| file.origin.toml_error(&file.text, &err, 0))?;
        if parsed.mission.is_empty() {
            return Err(file
                .origin
                .error_at(None, "no directory entries: the file has no [[mission]]")
                .with_help(
                    "each entry starts with a line [[mission]] followed by id, kind, country, city and name; \
                     see embassies.toml",
                ));
        }
        self.merge_missions(file, parsed.mission, into)
    }

    /// Checks every entry of one file, then merges them all by id.
    fn merge_missions(
        &mut self,
        file: SourceFile,
        entries: Vec<Mission>,
        into: &mut BTreeMap<String, Mission>,
    ) -> Result<()> {
        let mut seen = HashMap::new();
        let shipped = is_shipped(&file.text);
        for mission in &entries {
            if seen.insert(mission.id.clone(), ()).is_some() {
                return Err(duplicate(&file, &mission.id));
            }
            if shipped {
                continue;
            }
            let value = serde_json::to_value(mission).expect("a mission serialises");
            let locate = validate::in_entry(&file.text, &mission.id);
            validate::entry_text(&file.origin, &mission.id, &value, &locate)?;
        }
        let index = self.mission_files.len();
        for mission in entries {
            self.mission_file_of.insert(mission.id.clone(), index);
            into.insert(mission.id.clone(), mission);
        }
        self.mission_files.push(file);
        Ok(())
    }

    /// The letter with this id, in any case: `Mamai` is `mamai`.
    pub fn template(&self, id: &str) -> Result<&LetterTemplate> {
        let found = self.templates.get(id).or_else(|| {
            self.templates
                .values()
                .find(|t| t.front.id.to_lowercase() == id.to_lowercase())
        });
        found.ok_or_else(|| {
            unknown(
                "letter",
                id,
                self.templates.keys().map(String::as_str),
                "protest letters",
            )
        })
    }

    /// The letter `id` in `language` (a tag or its primary subtag: `ru`,
    /// `en`, `en-GB`), or the letter itself when no language is asked for.
    pub fn template_in(&self, id: &str, language: Option<&str>) -> Result<&LetterTemplate> {
        let main = self.template(id)?;
        let Some(wanted) = language else {
            return Ok(main);
        };
        let wanted_primary = primary_language(wanted);
        self.languages(id)
            .into_iter()
            .find(|t| {
                let language = &t.front.language;
                let same_primary = primary_language(language) == wanted_primary;
                language.replace('_', "-").eq_ignore_ascii_case(&wanted.replace('_', "-"))
                    || (!wanted.contains(['-', '_']) && same_primary)
                    // `ru-RU` (a locale, as LANG gives it) finds a letter written in `ru`,
                    // but `en-US` never one in `en-GB`: their dates and spellings differ.
                    || (!language.contains(['-', '_']) && same_primary)
            })
            .ok_or_else(|| {
                let have: Vec<String> = self
                    .languages(id)
                    .iter()
                    .map(|t| format!("`{}`", primary_language(&t.front.language)))
                    .collect();
                Error::usage(format!(
                    "the letter `{id}` is not written in {}",
                    crate::text::quote(wanted)
                ))
                .with_help(format!(
                    "it is written in {}; pass one of them to --lang",
                    have.join(", ")
                ))
            })
    }

    /// The letter `id` and its language variants, the letter first.
    pub fn languages(&self, id: &str) -> Vec<&LetterTemplate> {
        self.templates
            .get(id)
            .into_iter()
            .chain(self.variants.get(id).into_iter().flat_map(|v| v.values()))
            .collect()
    }

    /// Every letter in every language it is written in.
    pub fn all_templates(&self) -> impl Iterator<Item = &LetterTemplate> {
        self.templates.keys().flat_map(|id| self.languages(id))
    }

    /// The people a template names who are in the data.
    pub fn people_of<'a, 't>(
        &'a self,
        template: &'t LetterTemplate,
    ) -> impl Iterator<Item = &'a Prisoner> + use<'a, 't> {
        template
            .front
            .prisoners
            .iter()
            .filter_map(|id| self.prisoners.get(id))
    }

    /// The names a template's people have no spelling for in its language,
    /// so the letter writes them in Latin letters.
    pub fn names_missing(&self, template: &LetterTemplate) -> Vec<&str> {
        let language = &template.front.language;
        if !variants::has_own_script(language) {
            return Vec::new();
        }
        self.people_of(template)
            .filter(|p| p.name_in(language) == p.name)
            .map(|p| p.name.as_str())
            .collect()
    }

    /// The people of a letter not in English whose description the data has
    /// only in English, when the template reads `description`: the letter
    /// would carry an English phrase.
    pub fn descriptions_missing(&self, template: &LetterTemplate) -> Vec<&str> {
        let language = &template.front.language;
        if primary_language(language) == "en" || !template.body.contains("description") {
            return Vec::new();
        }
        self.people_of(template)
            .filter(|p| p.description_in(language) == p.description)
            .map(|p| p.name.as_str())
            .collect()
    }

    /// The mission with this id, in any case: `GB-LONDON` is `gb-london`.
    pub fn mission(&self, id: &str) -> Result<&Mission> {
        let found = self.missions.iter().find(|m| m.id == id).or_else(|| {
            self.missions
                .iter()
                .find(|m| m.id.to_lowercase() == id.to_lowercase())
        });
        found.ok_or_else(|| {
            unknown(
                "mission",
                id,
                self.missions.iter().map(|m| m.id.as_str()),
                "protest embassies",
            )
        })
    }

    /// How current the data is: the newest date a directory entry was
    /// verified or a person's news reported (as build.rs finds it for
    /// `--version`); dates read as text, so the newest is the greatest.
    pub fn data_date(&self) -> Option<String> {
        let verified = self.missions.iter().filter_map(|m| m.verified.clone());
        let reported = self
            .prisoners
            .values()
            .flat_map(|p| p.events.iter().map(|e| e.date.to_string()));
        verified.chain(reported).max()
    }

    /// The file and line a mission's field is on, for messages about it.
    pub fn mission_line(&self, id: &str, field: &str) -> (Origin, Option<usize>) {
        locate(&self.mission_files, self.mission_file_of.get(id), id, field)
    }

    pub fn prisoner_line(&self, id: &str, field: &str) -> (Origin, Option<usize>) {
        locate(
            &self.prisoner_files,
            self.prisoner_file_of.get(id),
            id,
            field,
        )
    }

    /// The ISO code for a country the user typed, or an error that suggests names.
    pub fn country_code(&self, input: &str) -> Result<String> {
        match self.countries.resolve(input) {
            Some(code) => Ok(code.to_string()),
            None => {
                let suggestions = self.countries.suggest(input);
                let mut err = Error::usage(format!(
                    "{} is not a country this tool knows",
                    crate::text::quote(input)
                ));
                err = if suggestions.is_empty() {
                    err.with_help("use an ISO 3166 code such as GB, or an English name such as \"United Kingdom\"")
                } else {
                    err.with_help(format!("did you mean {}?", quote_list(&suggestions)))
                };
                Err(err)
            }
        }
    }

    /// The mission a sender in `country` writes to: the embassy there, else any
    /// mission there, else the mission whose head is accredited to the country.
    pub fn mission_for_country(&self, code: &str) -> Result<&Mission> {
        self.coverage(code).map(|(mission, _)| mission)
    }

    /// [`Catalog::mission_for_country`], and whether that mission covers the
    /// country from another one (Stockholm for Denmark).
    pub fn coverage(&self, code: &str) -> Result<(&Mission, bool)> {
        let here = || self.missions.iter().filter(move |m| m.country == code);
        let own = here().find(|m| m.kind == MissionKind::Embassy).or_else(|| {
            here().find(|m| {
                !matches!(
                    m.kind,
                    MissionKind::PermanentMission | MissionKind::Authority
                )
            })
        });
        if let Some(mission) = own {
            return Ok((mission, false));
        }
        self.missions
            .iter()
            .find(|m| m.accredited_to.iter().any(|c| c == code))
            .map(|m| (m, true))
            .ok_or_else(|| {
                let name = self.countries.name_or_code(code);
                Error::usage(format!(
                    "the directory has no mission of {} in or accredited to {name}",
                    self.campaign.state
                ))
                .with_help("`protest embassies` lists every mission; pick one with --to ID")
            })
    }

    /// "Denmark: covered by the Embassy in Stockholm", when `code` has no
    /// mission of its own.
    pub fn coverage_note(&self, code: &str) -> Option<String> {
        let (mission, from_abroad) = self.coverage(code).ok()?;
        let office = match mission.kind {
            MissionKind::Authority => return None,
            kind => kind.label(&self.campaign.state),
        };
        from_abroad.then(|| {
            format!(
                "{}: covered by the {office} in {}",
                self.countries.name_or_code(code),
                mission.city
            )
        })
    }
}

/// Whether `text` is a file of a campaign shipped in the binary, word for
/// word: the tests check those as a user's files are checked on every run,
/// so a run need not (whatever the file's name, the same text passes the
/// same checks).
fn is_shipped(text: &str) -> bool {
    builtin_campaigns()
        .iter()
        .any(|shipped| shipped.holds(text))
}

/// Letters before language variants, which need their letter to be there.
fn variants_last<'a, T>(
    files: impl Iterator<Item = (&'a str, T)>,
) -> impl Iterator<Item = (&'a str, T)> {
    let (variants, letters): (Vec<_>, Vec<_>) =
        files.partition(|(name, _)| variants::split_file_name(name).is_some());
    letters.into_iter().chain(variants)
}

pub fn body_name(id: &str) -> String {
    format!("{id}/body")
}

pub fn subject_name(id: &str) -> String {
    format!("{id}/subject")
}

fn locate(
    files: &[SourceFile],
    index: Option<&usize>,
    id: &str,
    field: &str,
) -> (Origin, Option<usize>) {
    match index.and_then(|&i| files.get(i)) {
        Some(file) => (file.origin.clone(), entry_line(&file.text, id, field)),
        None => (Origin("(unknown file)".into()), None),
    }
}

fn ids_of(missions: &[Mission]) -> Vec<String> {
    missions.iter().map(|m| m.id.clone()).collect()
}

fn duplicate(file: &SourceFile, id: &str) -> Error {
    let line = file
        .text
        .match_indices(&format!("\"{id}\""))
        .nth(1)
        .map(|(pos, _)| line_of(&file.text, pos));
    file.origin
        .error_at(line, format!("id `{id}` is used twice"))
        .with_help("ids must be unique within a file; change or remove one of them")
}

/// An unknown id, with the closest known ids as suggestions.
fn unknown<'a>(what: &str, id: &str, known: impl Iterator<Item = &'a str>, list: &str) -> Error {
    let suggestions = suggest(id, known);
    let help = if suggestions.is_empty() {
        format!("`{list}` lists them")
    } else {
        format!(
            "did you mean {}? `{list}` lists them all",
            quote_list(&suggestions)
        )
    };
    Error::usage(format!("no {what} with id {}", crate::text::quote(id))).with_help(help)
}

fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    quoted.join(" or ")
}
