//! Property tests: any sender data either makes a correct letter or is
//! refused with an error (never a panic, never a letter with a control
//! character or an empty line where a name belongs), and the same input
//! always gives the same bytes.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;
use protest::catalog::{Catalog, Sender};
use protest::compose::{compose, compose_with, Facts, MissionData, Request};
use protest::date::Date;
use protest::origin::Origin;
use protest::render::pdf::{Paper, PdfOptions};
use protest::render::{self, Format, RenderOptions};

// The fuzz targets' invariants; only `check_letter` is used here.
#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzzing;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().unwrap())
}

/// Characters people paste: Latin, Cyrillic and Kazakh letters, spaces, and
/// the controls, direction overrides and invisible marks that must never
/// reach a letter.
fn a_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => select(vec!['a', 'Z', ' ', '-', '.', '\'', 'Ж', 'ә', 'ң', 'ү', 'і', 'ö', 'ß']),
        1 => select(vec![
            '\n', '\r', '\t', '\0', '\u{7}', '\u{1b}', '\u{85}', '\u{202e}', '\u{202d}',
            '\u{2066}', '\u{200b}', '\u{200e}', '\u{feff}', '\u{2028}', '\u{3164}', '\u{a0}',
        ]),
        1 => any::<char>(),
    ]
}

fn a_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(a_char(), 0..max).prop_map(String::from_iter)
}

fn a_sender() -> impl Strategy<Value = Sender> {
    (
        prop_oneof![a_string(12), a_string(400)],
        prop::option::of(a_string(20)),
        prop::option::of(a_string(20)),
        prop::collection::vec(a_string(20), 0..3),
        prop::option::of(a_string(12)),
        prop::option::of(select(vec!["GB", "KZ", "Narnia", "United Kingdom", ""])),
        prop::option::of(select(vec!["ann@example.org", "ann@@x", "a\nb@x.org"])),
    )
        .prop_map(|(name, org, role, address, town, country, email)| Sender {
            name,
            org,
            role,
            address,
            town,
            country: country.map(str::to_string),
            email: email.map(str::to_string),
            ..Sender::default()
        })
}

fn letter_for(
    sender: &Sender,
    personal: Option<&str>,
) -> protest::error::Result<protest::compose::Letter> {
    let catalog = catalog();
    let extra = serde_json::Map::new();
    compose(
        catalog,
        &Request {
            template: catalog.template("mamai").unwrap(),
            mission: catalog.mission("gb-london").unwrap(),
            sender,
            date: Date::parse("2017-05-01").unwrap(),
            personal,
            cc: &[],
            extra: &extra,
            facts: Facts::Checked,
            cc_embassy: false,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_sender_gives_a_correct_letter_or_an_error(
        sender in a_sender(),
        personal in prop::option::of(a_string(60)),
    ) {
        if let Ok(letter) = letter_for(&sender, personal.as_deref()) {
            // No control character, no invisible name, no empty address
            // line, and text and eml the same bytes twice.
            fuzzing::check_letter(&letter, &sender.name);
            let again = letter_for(&sender, personal.as_deref()).unwrap();
            prop_assert_eq!(render::text::render(&letter), render::text::render(&again));
            // A batch checks each letter with render::pdf::check before it
            // writes any: it must refuse exactly what laying out refuses.
            for paper in [None, Some(Paper::A4), Some(Paper::Letter)] {
                let options = PdfOptions { paper, ..PdfOptions::default() };
                let checked = render::pdf::check(&letter, &options).map_err(|e| e.message);
                let laid_out = render::pdf::layout_letter(&letter, &options)
                    .map(drop)
                    .map_err(|e| e.message);
                prop_assert_eq!(checked, laid_out);
            }
        }
    }
}

#[test]
fn pdf_is_deterministic() {
    for name in ["Ann Lee", "Жанболат Мамай", "Әсел Нұрланқызы"] {
        let sender = Sender {
            name: name.into(),
            country: Some("KZ".into()),
            ..Sender::default()
        };
        let options = RenderOptions::default();
        let one =
            render::render(Format::Pdf, &letter_for(&sender, None).unwrap(), &options).unwrap();
        let two =
            render::render(Format::Pdf, &letter_for(&sender, None).unwrap(), &options).unwrap();
        assert!(one == two, "{name}: two renderings differ");
    }
}

/// The shipped letters, and letters that reach the sender's data every way
/// Handlebars allows: a batch that renders a text once for several senders
/// must give each of them exactly the letter they would get alone.
fn catalog_with_sender_readers() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut catalog = Catalog::builtin().unwrap();
        let bodies = [
            ("reads-name", "From {{sender.name}} of {{sender.org}}."),
            (
                "reads-with",
                "{{#with sender}}From {{name}} in {{town}}.{{/with}}",
            ),
            (
                "reads-lookup",
                "From {{lookup sender \"name\"}}, {{lookup sender.address 0}}.",
            ),
            (
                "reads-root",
                "{{#each demands}}{{@root.sender.name}}: {{this}}\n{{/each}}",
            ),
            (
                "reads-parent",
                "{{#each demands}}{{../sender.role}}: {{this}}\n{{/each}}",
            ),
            (
                "reads-this",
                "{{#each this}}{{#if name}}{{name}} {{/if}}{{/each}}ends.",
            ),
            (
                "reads-extra",
                "{{#each extra as |value key|}}{{key}}={{value}} {{/each}}.",
            ),
            (
                "reads-if",
                "{{#if (eq sender.country \"GB\")}}Dear{{else}}Hello{{/if}} {{extra.branch}}.",
            ),
            ("reads-subject", "A letter."),
            // Alternatives: the choice follows the sender's name and email,
            // which no field the text reads gives away.
            (
                "vary",
                "{{#vary}}\nI write.\n{{or}}\nI am writing.\n{{or}}\nThis letter asks.\n{{/vary}}\n\n\
                 {{#if sender.org}}{{#vary}}For {{sender.org}}.{{or}}On behalf of {{sender.org}}.{{/vary}}{{/if}}\n\n\
                 {{#each demands}}{{#vary}}- {{this}}\n{{or}}- Please: {{this}}\n{{/vary}}{{/each}}",
            ),
            ("vary-subject", "{{#vary}}Yours{{or}}Sincerely{{/vary}}, {{extra.branch}}."),
        ];
        for (id, body) in bodies {
            let subject = match id {
                "reads-subject" => "From {{sender.name}}",
                "vary-subject" => "{{#vary}}A subject{{or}}Our subject{{or}}The subject{{/vary}}",
                _ => "A subject",
            };
            let text = format!(
                "+++\nid = \"{id}\"\ntitle = \"t\"\nlanguage = \"en-GB\"\nsubject = \"{subject}\"\n\
                 demands = [\"Free them\"]\nsource = \"test\"\n+++\n{body}\n"
            );
            catalog
                .add_template(&text, &format!("{id}.hbs"), Origin("test".into()))
                .unwrap();
        }
        catalog
    })
}

/// Senders who share some fields and not others, as a branch's members do.
fn a_member() -> impl Strategy<Value = (Sender, serde_json::Map<String, serde_json::Value>)> {
    (
        select(vec!["Ann Lee", "Bo Chen", "Жанболат Мамай"]),
        prop::option::of(select(vec!["Unite Leeds", "GMB York"])),
        prop::option::of(select(vec!["Steward", "Member"])),
        prop::option::of(select(vec!["1 High St", "2 Mill Rd"])),
        prop::option::of(select(vec!["GB", "DE"])),
        select(vec!["", "North", "South"]),
        prop::option::of(select(vec![
            "a@example.org",
            "B@Example.org",
            "c@example.org",
        ])),
    )
        .prop_map(|(name, org, role, street, country, branch, email)| {
            let sender = Sender {
                name: name.into(),
                org: org.map(str::to_string),
                role: role.map(str::to_string),
                address: street.into_iter().map(str::to_string).collect(),
                town: Some("Leeds".into()),
                country: country.map(str::to_string),
                email: email.map(str::to_string),
                ..Sender::default()
            };
            let mut extra = serde_json::Map::new();
            extra.insert("branch".into(), branch.into());
            (sender, extra)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_batch_gives_each_sender_the_letter_they_would_get_alone(
        members in prop::collection::vec(a_member(), 1..12),
    ) {
        let catalog = catalog_with_sender_readers();
        let mission = catalog.mission("gb-london").unwrap();
        let date = Date::parse("2017-05-01").unwrap();
        for template in catalog.all_templates() {
            let id = template.engine_id();
            let mut shared = MissionData::new(catalog, template, mission, date, Facts::Ignored).unwrap();
            for (sender, extra) in &members {
                let request = Request {
                    template,
                    mission,
                    sender,
                    date,
                    personal: None,
                    cc: &[],
                    extra,
                    facts: Facts::Ignored,
                    cc_embassy: false,
                };
                // A template may fail for some senders (a strict-mode miss): then
                // it must fail in the batch too, with the same message.
                let alone = compose(catalog, &request).map_err(|err| err.message);
                let in_batch = compose_with(catalog, &request, &mut shared).map_err(|err| err.message);
                prop_assert_eq!(&in_batch, &alone, "letter {} for {}", id, sender.name);
            }
        }
    }
}
