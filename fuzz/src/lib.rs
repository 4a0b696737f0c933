//! Entry points for the fuzz targets (`fuzz_targets/`) and for the tests
//! that replay what they found (`tests/fuzz_regressions.rs`, which, like
//! `tests/properties.rs`, takes this file in by its path). Each takes raw
//! input, runs it through the same loading and composing code as the
//! command, and panics only when an invariant breaks: bad input must be an
//! [`Error`](protest::error::Error), and a letter that is written must be right.

use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use protest::batch::senders::SenderReader;
use protest::catalog::{Catalog, LetterTemplate, Mission, Sender, SourceFile};
use protest::compose::{compose, Facts, Letter, Request};
use protest::date::Date;
use protest::origin::Origin;
use protest::render::{self, Format, RenderOptions};
use protest::text::{first_forbidden, is_visible};

/// The shipped catalog, loaded once.
fn shipped() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().expect("the shipped data loads"))
}

/// A copy of the shipped catalog for each input, so no input changes what
/// the next one sees.
fn fresh() -> Catalog {
    shipped().clone()
}

fn date() -> Date {
    Date::parse("2016-05-26").expect("a valid date")
}

/// A template file (`ID.hbs`, the id taken from its own front matter so that
/// the body is reached), composed to two missions by two senders.
pub fn template(text: &str) {
    let mut catalog = fresh();
    let id = declared_id(text).unwrap_or("fuzz");
    let origin = Origin("fuzz.hbs".into());
    if catalog
        .add_template(text, &format!("{id}.hbs"), origin)
        .is_err()
    {
        return;
    }
    let template = catalog.templates.get(id).expect("the template was added");
    let extra = Map::new();
    let senders = [
        Sender {
            name: "Ann Lee".into(),
            org: Some("Unite Leeds".into()),
            address: vec!["1 Street".into(), "Leeds".into()],
            country: Some("GB".into()),
            email: Some("ann@example.org".into()),
            ..Sender::default()
        },
        Sender {
            name: "Жанболат".into(),
            ..Sender::default()
        },
    ];
    for mission in ["gb-london", "se-stockholm"] {
        let mission = catalog.mission(mission).expect("a shipped mission");
        for sender in &senders {
            checked_letter(&catalog, template, mission, sender, None, &extra);
        }
    }
}

/// The `id = "…"` line of a template's front matter, if it has a usable one.
fn declared_id(text: &str) -> Option<&str> {
    text.lines().take(40).find_map(|line| {
        let rest = line
            .trim()
            .strip_prefix("id")?
            .trim_start()
            .strip_prefix('=')?;
        let id = rest.trim().strip_prefix('"')?.strip_suffix('"')?;
        (!id.is_empty() && !id.contains(['/', '\\', '"'])).then_some(id)
    })
}

/// An embassies file merged over the shipped directory (`--embassies`),
/// and a letter to every entry it holds.
pub fn directory(text: &str) {
    let mut catalog = fresh();
    let before = catalog.missions.len();
    let file = SourceFile {
        origin: Origin("fuzz.toml".into()),
        text: text.to_string(),
    };
    if catalog.add_embassies(file).is_err() {
        assert_eq!(
            catalog.missions.len(),
            before,
            "a rejected file merges nothing"
        );
        return;
    }
    let index = catalog.mission_files.len() - 1;
    let added: Vec<&Mission> = catalog
        .missions
        .iter()
        .filter(|m| catalog.mission_file_of.get(&m.id) == Some(&index))
        .collect();
    let template = catalog.template("mamai").expect("a shipped letter");
    let sender = Sender {
        name: "Ann Lee".into(),
        country: Some("GB".into()),
        email: Some("ann@example.org".into()),
        ..Sender::default()
    };
    let extra = Map::new();
    for mission in added.iter().take(20) {
        if let Some(letter) = checked_letter(&catalog, template, mission, &sender, None, &extra) {
            for line in &letter.recipient.lines {
                assert!(is_visible(line), "an empty recipient line: {line:?}");
            }
        }
    }
}

/// A senders CSV, every row that reads composed into a letter.
pub fn senders(bytes: &[u8]) {
    let Ok(mut reader) = SenderReader::from_bytes(Arc::from(bytes)) else {
        return;
    };
    let catalog = shipped();
    let template = catalog.template("mamai").expect("a shipped letter");
    let mission = catalog.mission("gb-london").expect("a shipped mission");
    for _ in 0..64 {
        let Some(row) = reader.next_row() else {
            break;
        };
        let Ok(row) = row else {
            continue;
        };
        assert!(is_visible(&row.sender.name), "a row without a name reads");
        let personal = row.personal.as_deref();
        checked_letter(
            catalog,
            template,
            mission,
            &row.sender,
            personal,
            &row.extra,
        );
    }
}

/// The letter the command would write, checked, if the data makes one.
fn checked_letter(
    catalog: &Catalog,
    template: &LetterTemplate,
    mission: &Mission,
    sender: &Sender,
    personal: Option<&str>,
    extra: &Map<String, Value>,
) -> Option<Letter> {
    let request = Request {
        template,
        mission,
        sender,
        date: date(),
        personal,
        cc: &[],
        extra,
        facts: Facts::Ignored,
        cc_embassy: false,
    };
    let letter = compose(catalog, &request).ok()?;
    check_letter(&letter, &sender.name);
    Some(letter)
}

/// What every written letter must be: no control character or direction
/// override anywhere, the sender's name on its own visible line, and the
/// same bytes when rendered twice.
pub fn check_letter(letter: &Letter, name: &str) {
    let text = render::text::render(letter);
    if let Some(c) = first_forbidden(&text, &['\n']) {
        panic!("the letter holds U+{:04X}:\n{text}", c as u32);
    }
    assert_eq!(text, render::text::render(letter), "text is deterministic");
    let name = name.trim();
    assert!(is_visible(name), "a letter from an invisible name");
    assert!(
        text.lines().any(|line| line.trim() == name),
        "the letter lacks the line {name:?}:\n{text}"
    );
    for line in letter.sender.lines.iter().chain(&letter.recipient.lines) {
        assert!(is_visible(line), "an empty address line in:\n{text}");
    }
    let options = RenderOptions::default();
    if let Ok(eml) = render::render(Format::Eml, letter, &options) {
        let again = render::render(Format::Eml, letter, &options).expect("renders twice");
        assert_eq!(eml, again, "eml is deterministic");
    }
}
