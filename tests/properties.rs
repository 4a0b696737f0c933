//! Property tests: any sender data either makes a correct letter or is
//! refused with an error (never a panic, never a letter with a control
//! character or an empty line where a name belongs), and the same input
//! always gives the same bytes.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;
use protest::catalog::{Catalog, Sender};
use protest::compose::{compose, date::Date, Request};
use protest::render::{self, Format, RenderOptions};

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
            phone: None,
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
            force: false,
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
            protest::fuzzing::check_letter(&letter, &sender.name);
            let again = letter_for(&sender, personal.as_deref()).unwrap();
            prop_assert_eq!(render::text::render(&letter), render::text::render(&again));
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
