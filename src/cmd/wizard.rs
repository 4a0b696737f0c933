//! `protest` alone in a terminal, or `protest wizard`: one letter, question
//! by question, for someone who has never used a command line.
//!
//! Nothing is written before the last "Write these files?", and then only
//! through [`batch::run`], atomically: Esc or Ctrl-C at any question exits
//! with 130 and leaves nothing behind. At the end it prints the files and
//! the `protest write` command that makes the same letter without questions.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Map;

use super::options::DataArgs;
use super::prompt::{self, describe_sender, interrupt, Prompter};
use super::search::Keys;
use super::warnings::language_warnings;
use crate::batch::{self, Destination, Plan, Recipients, Senders};
use crate::campaigns::{Known, Settings};
use crate::catalog::{campaign_only, Catalog, Confidence, LetterTemplate, Mission, Sender};
use crate::compose::{compose, Facts, Request};
use crate::config::expand_home;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::profile;
use crate::render::{self, Format, RenderOptions};

/// Write one letter step by step, answering questions (the same as `protest` alone)
#[derive(Debug, Args)]
#[command(after_help = "\
Asks which letter, who it is from, which embassy it goes to, adds a paragraph in your own words
if you like, shows the letter, and writes it as a PDF, an email draft or text. Your details come
from the saved profile (`protest profile`), and are saved only if you say so at the end.
Esc or Ctrl-C at any question stops without writing anything (exit 130).")]
pub struct WizardArgs {}

/// The message, and the commands to use instead, where nobody can answer.
pub fn needs_terminal() -> Error {
    prompt::needs_terminal(
        "the guided mode",
        "to write a letter without it: protest write LETTER --to ID --name NAME (see protest --help)",
    )
}

pub fn run(data: &DataArgs, _args: WizardArgs) -> Result<()> {
    if !prompt::is_interactive() {
        return Err(needs_terminal());
    }
    let p = Prompter::new();
    let (catalog, campaign, asked) = choose_campaign(&p, data)?;
    let date = Date::today()?;
    let profile_path = profile::path().ok();
    let saved = match profile_path.as_deref().map(profile::load).transpose() {
        Ok(saved) => saved.flatten(),
        Err(err) => {
            p.note(&format!(
                "your saved details cannot be read, so they are not used: {err}"
            ));
            None
        }
    };

    p.say(&format!(
        "protest writes a letter for {}.",
        catalog.campaign.about
    ));
    if !asked {
        p.hint(ANSWER);
    }

    let mut template = choose_letter(&p, &catalog, date)?;
    let mut sender = match &saved {
        Some(saved) => {
            p.say(&format!(
                "Your saved details:\n{}",
                describe_sender(&catalog, saved)
            ));
            match p.confirm("Sign the letter with these details?", true)? {
                true => saved.clone(),
                false => prompt::ask_sender(&p, &catalog, saved)?,
            }
        }
        None => {
            p.say("Your details, as they go on the letter. Only your name is needed.");
            prompt::ask_sender(&p, &catalog, &Sender::default())?
        }
    };
    let mut mission = choose_mission(&p, &catalog, &sender)?;
    let mut personal = ask_personal(&p, "")?;

    let cwd = std::env::current_dir().map_err(|err| Error::read(Path::new("."), &err))?;
    // "No" to the last question goes back to the letter, not out of the program.
    let (formats, dir, files, replace, names) = loop {
        loop {
            let letter = compose(
                &catalog,
                &Request {
                    template,
                    mission,
                    sender: &sender,
                    date,
                    personal: personal.as_deref(),
                    cc: &[],
                    extra: &Map::new(),
                    facts: Facts::Checked,
                    cc_embassy: false,
                },
            )?;
            let rule = "─".repeat(render::text::WIDTH);
            p.say(&format!("\nThe letter:\n{rule}"));
            p.say(render::text::render(&letter).trim_end());
            p.say(&format!("{rule}\n"));
            let choices = [
                "It is right: go on".to_string(),
                "Change my own paragraph".to_string(),
                "Change my details".to_string(),
                "Choose another embassy".to_string(),
                "Choose another letter".to_string(),
            ];
            match p.select("Is the letter right?", &choices, 0)? {
                0 => break,
                1 => personal = ask_personal(&p, personal.as_deref().unwrap_or(""))?,
                2 => sender = prompt::ask_sender(&p, &catalog, &sender)?,
                3 => mission = choose_mission(&p, &catalog, &sender)?,
                _ => template = choose_letter(&p, &catalog, date)?,
            }
        }

        let formats = choose_formats(&p, mission, &sender)?;
        let (dir, files, replace) = choose_place(&p, &cwd, template, mission, &formats)?;
        let names: Vec<String> = files.iter().map(|f| shown(&cwd, f)).collect();
        if p.confirm(&format!("Write {}?", names.join(" and ")), true)? {
            break (formats, dir, files, replace, names);
        }
        p.hint("Nothing was written. Change what you like and go on, or Esc to stop.");
    };

    let (written, interrupted) = interrupt::hold(|| -> Result<()> {
        crate::output::ensure_dir(&dir)?;
        for (format, path) in formats.iter().zip(&files) {
            batch::run(Plan {
                catalog: &catalog,
                templates: vec![template],
                senders: Senders::One(sender.clone()),
                recipients: Recipients::Fixed(vec![mission]),
                date,
                date_given: true,
                personal: personal.clone(),
                cc: Vec::new(),
                cc_embassy: false,
                force: replace,
                format: *format,
                options: RenderOptions::default(),
                destination: Destination::File(path.clone()),
                strict: true,
                keep_going: false,
                jobs: Some(1),
                dry_run: false,
            })?;
        }
        Ok(())
    });
    written?;
    p.say("");
    for name in &names {
        p.say(&format!("Written: {name}"));
    }
    if interrupted {
        return Err(Error {
            message: "cancelled after the letter was written".into(),
            ..prompt::cancelled()
        });
    }

    let mut from_profile = None;
    if let Some(path) = &profile_path {
        if saved.as_ref() == Some(&sender) {
            from_profile = Some(path.clone());
        } else {
            let question = match saved {
                Some(_) => "Save these details for next time, replacing the saved ones?",
                None => "Save these details for next time?",
            };
            p.say(&format!(
                "(They would be kept in {}, readable only by you.)",
                tilde(path)
            ));
            // The letter is written by now: Esc here only means "no".
            let save = match p.confirm(question, false) {
                Err(err) if err.kind == crate::error::ErrorKind::Cancelled => false,
                answer => answer?,
            };
            if save {
                interrupt::hold(|| profile::save(path, &sender)).0?;
                p.say(&format!("Saved: {}", tilde(path)));
                from_profile = Some(path.clone());
            }
        }
    }

    let mut out = String::from("\nThe same, without the questions, next time:\n");
    for (format, path) in formats.iter().zip(&files) {
        let command = Equivalent {
            data,
            campaign: campaign.as_deref(),
            template,
            mission,
            sender: &sender,
            profile: from_profile.as_deref(),
            personal: personal.as_deref(),
            format: *format,
            output: &shown(&cwd, path),
        };
        out.push_str(&format!("  {}\n", command.line()));
    }
    crate::output::write_stdout(out.as_bytes())
}

const ANSWER: &str =
    "Answer each question with Enter. Esc or Ctrl-C stops without writing anything.\n";

/// The campaign to write for, asked first when several are known and the
/// command line named none: its catalog, the `--campaign` value that makes
/// the same choice without the question, and whether it was asked.
fn choose_campaign(p: &Prompter, data: &DataArgs) -> Result<(Catalog, Option<String>, bool)> {
    let settings = Settings::read()?;
    let in_force = settings.choose(data.campaign.as_deref())?;
    let known = match &data.campaign {
        Some(_) => Vec::new(),
        None => settings.known()?,
    };
    let load =
        |known: &Known| Catalog::load(&known.paths(data.letters.clone(), data.embassies.clone()));
    if known.len() < 2 {
        return Ok((load(&in_force)?, data.campaign.clone(), false));
    }
    p.hint(ANSWER);
    let items: Vec<String> = known
        .iter()
        .map(|k| match campaign_only(&k.source, k.update.as_ref()) {
            Ok(c) => format!("{}: {} ({}, {})", c.state, c.about, k.name, k.place()),
            Err(_) => format!("{} ({}, cannot be read)", k.name, k.place()),
        })
        .collect();
    let first = known
        .iter()
        .position(|k| k.source == in_force.source)
        .unwrap_or(0);
    let chosen = &known[p.select("Which campaign?", &items, first)?];
    Ok((load(chosen)?, Some(chosen.name.clone()), true))
}

/// The letter to write, searched by title and the names of the people it is for.
fn choose_letter<'c>(
    p: &Prompter,
    catalog: &'c Catalog,
    today: Date,
) -> Result<&'c LetterTemplate> {
    let templates: Vec<&LetterTemplate> = catalog.current_letters(today).collect();
    if templates.is_empty() {
        return Err(Error::data(format!(
            "no letter is current on {today}: every letter names someone whose situation has changed"
        ))
        .with_help("`protest letters --archived` lists them with the reason; a campaign's data folder may have newer ones (README \"Data\")"));
    }
    let items: Vec<String> = templates
        .iter()
        .map(|t| letter_item(catalog, t, today))
        .collect();
    let keys: Vec<Keys> = templates
        .iter()
        .map(|t| Keys {
            id: t.front.id.clone(),
            title: t.front.title.clone(),
            names: catalog
                .asks(t)
                .into_iter()
                .map(|(person, _)| person.name.as_str())
                .flat_map(|name| [name, name.rsplit(' ').next().unwrap_or(name)])
                .map(str::to_string)
                .collect(),
        })
        .collect();
    p.hint("Type a title or a name to search, ↑↓ to move, Enter to choose.");
    let index = p.search("Which letter?", &items, &keys, 0)?;
    let template = templates[index];
    for (prisoner, _) in catalog.asks(template) {
        let standing = prisoner.standing_on(today);
        let since = standing
            .cause
            .map_or(String::new(), |e| format!(" since {}", e.date));
        p.say(&format!(
            "  {}: {}{since}",
            prisoner.name,
            standing.status.as_str(),
        ));
    }
    let template = choose_language(p, catalog, template)?;
    for warning in language_warnings(catalog, template) {
        p.note(&warning);
    }
    Ok(template)
}

/// The language to write in, asked only of a letter written in more than one.
fn choose_language<'c>(
    p: &Prompter,
    catalog: &'c Catalog,
    template: &'c LetterTemplate,
) -> Result<&'c LetterTemplate> {
    let languages = catalog.languages(&template.front.id);
    if languages.len() < 2 {
        return Ok(template);
    }
    let items: Vec<String> = languages
        .iter()
        .map(|t| {
            let mut item = format!(
                "{} ({}): {}",
                crate::catalog::language_name(&t.front.language),
                t.front.language,
                t.front.title
            );
            if t.review.is_some() {
                item.push_str(" · not yet checked by a native speaker");
            }
            item
        })
        .collect();
    let index = p.select("In which language?", &items, 0)?;
    Ok(languages[index])
}

/// "Title · deadline … · the people it names that the title does not name".
fn letter_item(catalog: &Catalog, template: &LetterTemplate, today: Date) -> String {
    let front = &template.front;
    let mut item = front.title.clone();
    if let Some(deadline) = &front.deadline {
        let passed = Date::parse(deadline).is_ok_and(|d| d < today);
        item.push_str(&format!(
            " · deadline {deadline}{}",
            if passed { " (passed)" } else { "" }
        ));
    }
    // Surnames, so that more of them fit on the line.
    let others: Vec<&str> = catalog
        .asks(template)
        .into_iter()
        .map(|(p, _)| p.name.as_str())
        .filter(|name| !front.title.contains(name))
        .map(|name| name.rsplit(' ').next().unwrap_or(name))
        .collect();
    if !others.is_empty() {
        item.push_str(&format!(" · {}", others.join(", ")));
    }
    let others: Vec<String> = catalog
        .languages(&front.id)
        .iter()
        .skip(1)
        .map(|t| crate::catalog::language_name(&t.front.language))
        .collect();
    if !others.is_empty() {
        item.push_str(&format!(" · also in {}", others.join(", ")));
    }
    item
}

/// The mission, the one in the sender's country first, searched by country or city.
fn choose_mission<'c>(p: &Prompter, catalog: &'c Catalog, sender: &Sender) -> Result<&'c Mission> {
    let nearest = sender
        .country
        .as_deref()
        .and_then(|c| catalog.country_code(c).ok())
        .and_then(|code| catalog.mission_for_country(&code).ok());
    let country = |m: &Mission| catalog.countries.name_or_code(&m.country).to_string();
    let mut missions: Vec<&Mission> = catalog.missions.iter().collect();
    missions.sort_by_cached_key(|m| {
        (
            nearest.is_none_or(|n| n.id != m.id),
            country(m),
            m.city.clone(),
        )
    });
    let items: Vec<String> = missions
        .iter()
        .map(|m| {
            let mut item = format!(
                "{} · {} · {} ({})",
                country(m),
                m.city,
                m.kind.label(&catalog.campaign.state),
                m.id
            );
            if !m.has_postal_address() {
                item.push_str(" · no postal address");
            }
            if m.email.is_none() {
                item.push_str(" · no email");
            }
            if !m.accredited_to.is_empty() {
                let also = catalog.countries.names(&m.accredited_to);
                item.push_str(&format!(" · also for {also}"));
            }
            item
        })
        .collect();
    p.hint(match nearest {
        Some(_) => "The first is the one for your country; type a country or city to search.",
        None => "Type a country or city to search, ↑↓ to move, Enter to choose.",
    });
    let keys: Vec<Keys> = missions
        .iter()
        .map(|m| Keys {
            id: m.id.clone(),
            title: m.city.clone(),
            names: vec![country(m)],
        })
        .collect();
    let mission = missions[p.search("Which embassy?", &items, &keys, 0)?];
    if !mission.has_postal_address() {
        p.note(
            "the directory has no postal address for this mission: a printed letter names only \
             the city. Find the address on the mission's official page before posting it.",
        );
    } else if mission.confidence == Some(Confidence::Low) {
        p.note(&format!(
            "the postal address is of low confidence (verified {}): check it before posting.",
            mission.verified.as_deref().unwrap_or("never")
        ));
    }
    if mission.email.is_none() {
        p.note("the directory has no email address for this mission: no email draft.");
    }
    Ok(mission)
}

/// The sender's own paragraphs, or none.
fn ask_personal(p: &Prompter, current: &str) -> Result<Option<String>> {
    let question = match current.is_empty() {
        true => {
            p.hint("Letters in the writer's own words carry more weight than identical ones.");
            "Add a paragraph of your own?"
        }
        false => "Keep a paragraph of your own?",
    };
    if !p.confirm(question, !current.is_empty())? {
        return Ok(None);
    }
    let mut paragraphs: Vec<String> = Vec::new();
    let mut old = current.split("\n\n").filter(|s| !s.trim().is_empty());
    loop {
        let prompt = match paragraphs.len() {
            0 => "Your paragraph",
            _ => "Another paragraph (empty when done)",
        };
        let required = paragraphs.is_empty();
        let text = p.text(prompt, old.next().unwrap_or(""), required, |_| Ok(()))?;
        if text.is_empty() {
            break;
        }
        paragraphs.push(text);
    }
    Ok(Some(paragraphs.join("\n\n")))
}

/// The formats to write. Email drafts need an address at both ends.
fn choose_formats(p: &Prompter, mission: &Mission, sender: &Sender) -> Result<Vec<Format>> {
    let mut formats = vec![Format::Pdf];
    let mut items = vec!["PDF, to print and post (.pdf)".to_string()];
    match (&mission.email, &sender.email) {
        (Some(_), Some(_)) => {
            formats.push(Format::Eml);
            items.push("Email draft, to open in your mail program and send (.eml)".into());
        }
        (None, _) => p.note("no email draft: the directory has no email address for this mission."),
        (_, None) => p.note("no email draft: you gave no email address to send it from."),
    }
    formats.push(Format::Text);
    items.push("Plain text (.txt)".into());
    let ticked: Vec<bool> = formats.iter().map(|f| *f != Format::Text).collect();
    p.hint("Space ticks or unticks, Enter goes on.");
    let chosen = p.choose_some("Which files?", &items, &ticked)?;
    Ok(chosen.into_iter().map(|i| formats[i]).collect())
}

/// The folder, and the file in it for each format; whether to replace files already there.
fn choose_place(
    p: &Prompter,
    cwd: &Path,
    template: &LetterTemplate,
    mission: &Mission,
    formats: &[Format],
) -> Result<(PathBuf, Vec<PathBuf>, bool)> {
    loop {
        let answer = p.text("Folder to save in (Enter: this one)", "", false, |_| Ok(()))?;
        let dir = match answer.as_str() {
            "" => cwd.to_path_buf(),
            _ => cwd.join(expand_home(Path::new(&answer)).unwrap_or_else(|| answer.into())),
        };
        if dir.is_file() {
            p.note(&format!("{} is a file, not a folder.", dir.display()));
            continue;
        }
        let stem = format!("{}-{}", template.front.id, mission.id);
        let files: Vec<PathBuf> = formats
            .iter()
            .map(|f| dir.join(batch::naming::file_name(&stem, f.extension())))
            .collect();
        let existing: Vec<String> = files
            .iter()
            .filter(|f| f.exists())
            .map(|f| shown(cwd, f))
            .collect();
        if existing.is_empty() {
            return Ok((dir, files, false));
        }
        if p.confirm(
            &format!("{} already there. Replace?", existing.join(" and ")),
            false,
        )? {
            return Ok((dir, files, true));
        }
    }
}

/// A path as the user should read and type it: relative to the current folder if inside it.
fn shown(cwd: &Path, path: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

/// A path under the home directory as `~/…`.
fn tilde(path: &Path) -> String {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

/// The `protest write` command that makes the same letter.
struct Equivalent<'a> {
    data: &'a DataArgs,
    /// The `--campaign` that picks the campaign written for, if one is needed.
    campaign: Option<&'a str>,
    template: &'a LetterTemplate,
    mission: &'a Mission,
    sender: &'a Sender,
    /// The saved profile, when the sender's details are the saved ones.
    profile: Option<&'a Path>,
    personal: Option<&'a str>,
    format: Format,
    output: &'a str,
}

impl Equivalent<'_> {
    fn line(&self) -> String {
        let mut words: Vec<String> = vec![
            "protest".into(),
            "write".into(),
            quote(&self.template.front.id),
            "--to".into(),
            quote(&self.mission.id),
        ];
        if self.template.variant.is_some() {
            words.extend(["--lang".into(), quote(&self.template.front.language)]);
        }
        if let Some(campaign) = self.campaign {
            words.extend(["--campaign".into(), quote(campaign)]);
        }
        if let Some(dir) = &self.data.letters {
            words.extend(["--letters".into(), quote_path(dir)]);
        }
        if let Some(file) = &self.data.embassies {
            words.extend(["--embassies".into(), quote_path(file)]);
        }
        match self.profile {
            Some(path) => words.extend(["--sender".into(), quote_path(path)]),
            None => {
                let s = self.sender;
                let mut flag = |name: &str, value: &str| {
                    words.push(format!("--{name}"));
                    words.push(quote(value));
                };
                flag("name", &s.name);
                for (name, value) in [("org", &s.org), ("role", &s.role)] {
                    if let Some(value) = value {
                        flag(name, value);
                    }
                }
                for line in &s.address {
                    flag("address", line);
                }
                for (name, value) in [
                    ("town", &s.town),
                    ("from-country", &s.country),
                    ("email", &s.email),
                    ("phone", &s.phone),
                ] {
                    if let Some(value) = value {
                        flag(name, value);
                    }
                }
            }
        }
        if let Some(personal) = self.personal {
            words.extend(["--personal".into(), quote(personal)]);
        }
        if self.format != Format::Text {
            words.extend(["--format".into(), self.format.name().into()]);
        }
        words.extend(["-o".into(), quote(self.output)]);
        words.join(" ")
    }
}

/// A word as a POSIX shell reads it back unchanged.
fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:@,+=%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A path, as `~/…` when under the home directory and the rest needs no quotes.
fn quote_path(path: &Path) -> String {
    let short = tilde(path);
    match short.strip_prefix("~/") {
        Some(rest) if quote(rest) == rest => short,
        _ => quote(&path.display().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_words_for_the_shell() {
        assert_eq!(quote("gb-london"), "gb-london");
        assert_eq!(quote("Ann Lee"), "'Ann Lee'");
        assert_eq!(quote("O'Neil"), r"'O'\''Neil'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("$HOME"), "'$HOME'");
    }
}
