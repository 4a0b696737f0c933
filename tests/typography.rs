//! The language's typography on every line a letter writes, as a reader
//! meets it: the plain text, the PDF read back with pdftotext, and the
//! text of an .eml parsed with mail-parser.
//!
//! - No-break spaces (issue 21): between initials and a surname, a number
//!   and its month, «№»/"No." and a number, and before a dash, in the
//!   address block, subject, greeting, closing, signature and copies as in
//!   the body, for every kind of mission and the authorities, in Russian
//!   and English.
//! - Quotation marks and dashes a keyboard lacks: straight double quotes in
//!   what a user types (their own template, personal paragraph,
//!   organisation) print as «…» („…“ inside) in Russian and “…” (‘…’
//!   inside) in English, and a spaced hyphen between words as a dash.

mod common;

use std::path::{Path, PathBuf};

use common::campaign::pdftotext;
use common::{copy_dir, fixture, protest, run};
use mail_parser::MessageParser;

const DATE: &str = "2026-12-04";

const MONTHS: &[&str] = &[
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Initials: capitals each followed by a dot ("К.", "К.-Ж.", "H.E.").
fn is_initials(word: &str) -> bool {
    let mut chars = word.chars().peekable();
    let mut letters = 0;
    while let Some(c) = chars.next() {
        if !c.is_uppercase() || chars.next() != Some('.') {
            return false;
        }
        letters += 1;
        if chars.peek() == Some(&'-') {
            chars.next();
        }
    }
    letters > 0
}

/// Whether a line may not break between `word` and `next`.
fn must_hold(word: &str, next: &str) -> bool {
    let bare_next = next.trim_end_matches([',', '.', ';', ':', '!']);
    (is_initials(word) && next.chars().next().is_some_and(char::is_uppercase))
        || (!word.is_empty()
            && word.chars().all(|c| c.is_ascii_digit())
            && MONTHS.contains(&bare_next))
        || (matches!(word, "№" | "No.") && next.starts_with(|c: char| c.is_ascii_digit()))
        || next.starts_with(['—', '–'])
}

/// The places in `text` where a line may break but must not: two words
/// that must hold together with a plain space or a line break between them.
/// With `line_ends_only` (pdftotext, which prints a no-break space as a
/// space), only a line break counts.
fn breakable_holds(text: &str, line_ends_only: bool) -> Vec<String> {
    let mut found = Vec::new();
    for line_pair in [false, true] {
        // Pairs on one line (split at ASCII spaces), then across lines.
        if line_pair {
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            for pair in lines.windows(2) {
                let last = pair[0].rsplit([' ', '\u{a0}']).next().unwrap_or("");
                let first = pair[1].split([' ', '\u{a0}']).next().unwrap_or("");
                if must_hold(last, first) {
                    found.push(format!("line break: {:?} / {:?}", pair[0], pair[1]));
                }
            }
        } else if !line_ends_only {
            for line in text.lines() {
                let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
                for pair in words.windows(2) {
                    let last = pair[0].rsplit('\u{a0}').next().unwrap_or("");
                    let first = pair[1].split('\u{a0}').next().unwrap_or("");
                    if must_hold(last, first) {
                        found.push(format!("plain space: {:?} in {line:?}", pair.join(" ")));
                    }
                }
            }
        }
    }
    found
}

/// A user's own templates beside the fixture's people: `typo` in English
/// and Russian, with something to hold together in every line it sets.
fn letters(root: &Path) -> PathBuf {
    let dir = root.join("letters");
    copy_dir(&fixture("russian-letters"), &dir);
    std::fs::write(
        dir.join("typo.hbs"),
        r#"+++
id = "typo"
title = "Free Asel Nurlanova"
language = "en-GB"
subject = "No. 4: the "Freedom" case - A. B. Nurlanova, 4 December"
salutation = "Dear Ms A. B. Smith,"
closing = "With respect - and hope,"
prisoners = ["asel-nurlanova"]
source = "fixture"
+++
I write about the "Freedom" prize - so she wrote - and about {{names prisoners}}{{#if sender.org}}, for "{{sender.org}}"{{/if}}.
"#
        .replace(r#""Freedom" case"#, r#"\"Freedom\" case"#),
    )
    .unwrap();
    std::fs::write(
        dir.join("typo.ru.hbs"),
        r#"+++
language = "ru"
title = "Свободу Асель Нурлановой"
subject = "№ 4: дело \"Свобода\" - А. Б. Нурланова, 4 декабря"
salutation = "Уважаемая госпожа А. Б. Смит!"
closing = "С уважением - и надеждой,"
+++
Пишу о премии "Свобода" - так писала она - и о деле: {{names prisoners}}{{#if sender.org}}, от имени организации «{{sender.org}}»{{/if}}.
"#,
    )
    .unwrap();
    dir
}

/// One mission of every kind, and an authority, each headed by someone with
/// initials and reached by email: the addressee lines hold something for
/// the rules in every kind of address block.
fn directory(root: &Path) -> PathBuf {
    let mut toml = String::new();
    for (id, kind, city, ru) in [
        ("xx-embassy", "embassy", "Chicago", ""),
        (
            "xx-consulate-general",
            "consulate-general",
            "Chicago",
            "city = \"Чикаго\"\nin_city = \"в Чикаго\"\n",
        ),
        (
            "xx-consulate",
            "consulate",
            "Chicago",
            "city = \"Чикаго\"\nin_city = \"в Чикаго\"\n",
        ),
        (
            "xx-permanent-mission",
            "permanent-mission",
            "New York",
            "name = \"Постоянное представительство Республики Казахстан при ООН\"\n\
             office = \"Постоянному представителю Республики Казахстан при ООН\"\n",
        ),
        (
            "xx-authority",
            "authority",
            "Astana",
            "name = \"Генеральная прокуратура Республики Казахстан\"\n\
             office = \"Генеральному прокурору Республики Казахстан\"\n",
        ),
    ] {
        let country = if kind == "authority" { "KZ" } else { "US" };
        toml.push_str(&format!(
            "[[mission]]\nid = \"{id}\"\nkind = \"{kind}\"\ncountry = \"{country}\"\n\
             city = \"{city}\"\nname = \"Mission of the Republic of Kazakhstan\"\n\
             address = [\"Suite No. 5, 1 Main St, {city}\"]\n\
             email = \"{id}@example.org\"\nsource = \"test\"\nverified = \"2026-11-01\"\n\
             confidence = \"high\"\n\n[mission.head]\nname = \"A. B. Smith\"\n\
             title = \"Head\"\nas_of = \"2026-11-01\"\nsource = \"test\"\n\
             addressed = {{ ru = \"А. Б. Смиту\" }}\n\n[mission.ru]\n{ru}source = \"test\"\n\n"
        ));
    }
    let file = root.join("missions.toml");
    std::fs::write(&file, toml).unwrap();
    file
}

/// The first shipped mission of every kind that has an email address.
fn shipped_missions_of_every_kind() -> Vec<String> {
    let (code, out, err) = run(protest().args(["embassies", "--json"]));
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut kinds: Vec<String> = Vec::new();
    let mut ids = Vec::new();
    for mission in json["missions"].as_array().unwrap() {
        let kind = mission["kind"].as_str().unwrap().to_string();
        if mission["email"].is_string() && !kinds.contains(&kind) {
            kinds.push(kind);
            ids.push(mission["mission"].as_str().unwrap().to_string());
        }
    }
    assert!(kinds.len() >= 3, "{kinds:?}");
    ids
}

/// A value that puts «№», a date, a dash and initials at every position of
/// a line in turn, so that a line break would fall on each somewhere.
fn shifting(russian: bool) -> String {
    (0..24)
        .map(|i| {
            let pad = "x".repeat(i % 9 + 1);
            match russian {
                true => format!("{pad} № {i} от 1{} апреля — А. Б. Ли", i % 9),
                false => format!("{pad} No. {i} of 1{} April — A. B. Lee", i % 9),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn write(
    root: &Path,
    mission: &str,
    language: &str,
    format: &str,
    extra: &[&str],
) -> (String, Vec<u8>) {
    let letters = letters(root);
    let missions = directory(root);
    let russian = language == "ru";
    let out = root.join(format!("{mission}-{language}.{format}"));
    let (code, _, err) = run(protest()
        .args(["write", "typo", "--to", mission, "--lang", language])
        .args(["--letters", letters.to_str().unwrap()])
        .args(["--embassies", missions.to_str().unwrap()])
        .args([
            "--date",
            DATE,
            "-f",
            format,
            "-o",
            out.to_str().unwrap(),
            "--force",
        ])
        .args(["--name", if russian { "А. Б. Ли" } else { "A. B. Lee" }])
        .args(["--email", "lee@example.org", "--from-country", "GB"])
        .args(["--role", &shifting(russian)])
        .args(["--cc", "C. D. Smith <smith@example.org>"])
        .args(extra));
    assert_eq!(code, 0, "{mission} {language} {format}: {err}");
    let bytes = std::fs::read(&out).unwrap();
    let text = match format {
        "pdf" => pdftotext(&out),
        "eml" => {
            let message = MessageParser::default().parse(&bytes).unwrap();
            let to = message.to().unwrap().first().unwrap();
            let name = to.name().unwrap_or_default();
            assert!(
                !name.contains('\u{a0}'),
                "{mission} {language}: the To name keeps a no-break space: {name:?}"
            );
            message.body_text(0).unwrap().replace("\r\n", "\n")
        }
        _ => String::from_utf8(bytes.clone()).unwrap(),
    };
    (text, bytes)
}

#[test]
fn every_line_holds_together_where_the_language_says_for_every_kind_of_mission() {
    let root = tempfile::tempdir().unwrap();
    let mut missions: Vec<String> = [
        "xx-embassy",
        "xx-consulate-general",
        "xx-consulate",
        "xx-permanent-mission",
        "xx-authority",
    ]
    .map(String::from)
    .to_vec();
    missions.extend(shipped_missions_of_every_kind());
    missions.push("kz-president".into());
    for mission in &missions {
        for language in ["en-GB", "ru"] {
            let russian = language == "ru";
            for format in ["text", "pdf", "eml"] {
                let (text, _) = write(root.path(), mission, language, format, &[]);
                let bad = breakable_holds(&text, format == "pdf");
                assert!(
                    bad.is_empty(),
                    "{mission} {language} {format}: {bad:#?}\n{text}"
                );
                // What the rules are for is there to be held: the signature's
                // initials (and the shifting role) in every format.
                let name = if russian { "А. Б. Ли" } else { "A. B. Lee" };
                assert!(
                    common::campaign::words(&text).contains(name),
                    "{mission} {language} {format}: {text}"
                );
                if format == "text" {
                    assert!(
                        text.contains(&name.replace(' ', "\u{a0}")),
                        "{mission} {language}: {text}"
                    );
                }
            }
            // The address block, which an email carries in its headers.
            let (text, _) = write(root.path(), mission, language, "text", &[]);
            let addressee = match (mission.as_str(), russian) {
                ("kz-president", true) => Some("К.-Ж.\u{a0}К.\u{a0}Токаеву"),
                ("kz-president", false) => Some("H.E.\u{a0}Kassym-Jomart Tokayev"),
                (id, true) if id.starts_with("xx-") => Some("А.\u{a0}Б.\u{a0}Смиту"),
                (id, false) if id.starts_with("xx-") => Some("A.\u{a0}B.\u{a0}Smith"),
                _ => None,
            };
            if let Some(addressee) = addressee {
                let block = text.split("\n\n").nth(2).unwrap_or_default();
                assert!(block.contains(addressee), "{mission} {language}: {block:?}");
            }
        }
    }
}

/// Whether the quotation marks of `text` open and close in the language's
/// order: outer, inner, outer…; none straight.
fn quotes_nest(text: &str, russian: bool) -> Result<(), String> {
    let (outer, inner) = match russian {
        true => (('«', '»'), ('„', '“')),
        false => (('“', '”'), ('‘', '’')),
    };
    let mut open: Vec<char> = Vec::new();
    for c in text.chars() {
        let expected = if open.len() % 2 == 0 { outer } else { inner };
        if c == '"' {
            return Err(format!("a straight quote in {text:?}"));
        } else if c == expected.0 {
            open.push(expected.1);
        } else if open.last() == Some(&c) {
            open.pop();
        } else if [outer.0, outer.1, inner.0, inner.1].contains(&c)
            // An English apostrophe is a closing single quote too.
            && (russian || c != '’')
        {
            return Err(format!("{c} out of order in {text:?}"));
        }
    }
    match open.is_empty() {
        true => Ok(()),
        false => Err(format!("left open in {text:?}")),
    }
}

/// Paragraphs a user might type: words, straight quotes nested up to three
/// deep, spaced hyphens between words; each generated from its number, so
/// a failure names the case.
fn typed_paragraphs(russian: bool) -> Vec<String> {
    let words = match russian {
        true => ["Свобода", "мир", "профсоюз", "право"],
        false => ["Freedom", "peace", "union", "right"],
    };
    (0..60usize)
        .map(|n| {
            let word = |k: usize| words[(n / (k + 1) + k) % words.len()];
            let depth = n % 4;
            let mut quoted = word(0).to_string();
            for d in 0..depth {
                quoted = match (n / 4 + d) % 3 {
                    0 => format!("\"{quoted}\""),
                    1 => format!("\"{} {quoted}\"", word(d + 1)),
                    _ => format!("\"{quoted} {}\"", word(d + 2)),
                };
            }
            let dash = match n % 3 {
                0 => " - ",
                1 => " -- ",
                _ => " ",
            };
            format!("{} {quoted}{dash}{} ({n}).", word(3), word(1))
        })
        .collect()
}

#[test]
fn straight_quotes_and_spaced_hyphens_a_user_types_print_as_the_language_prints_them() {
    let root = tempfile::tempdir().unwrap();
    for language in ["ru", "en-GB"] {
        let russian = language == "ru";
        let paragraphs = typed_paragraphs(russian);
        let personal = paragraphs.join("\n\n");
        let org = match russian {
            true => "Профсоюз \"Свобода\" - филиал",
            false => "Union \"Freedom\" - branch",
        };
        let dash = if russian { "\u{a0}— " } else { "\u{a0}– " };
        for format in ["text", "pdf", "eml"] {
            let (text, _) = write(
                root.path(),
                "xx-embassy",
                language,
                format,
                &["--personal", &personal, "--org", org],
            );
            let flat = common::campaign::words(&text);
            assert!(
                !text.contains('"'),
                "{language} {format}: a straight quote is left: {text}"
            );
            assert!(
                !flat.contains(" - ") && !flat.contains(" -- "),
                "{language} {format}: a spaced hyphen is left: {text}"
            );
            if format == "pdf" {
                // pdftotext prints a no-break space as a space; the words are
                // compared with white space folded.
                let expected = match russian {
                    true => "организации «Профсоюз „Свобода“ — филиал»",
                    false => "for “Union ‘Freedom’ – branch”",
                };
                assert!(flat.contains(expected), "{language}: {flat}");
                continue;
            }
            for (n, _) in paragraphs.iter().enumerate() {
                let marker = format!("({n}).");
                let paragraph = text
                    .split("\n\n")
                    .find(|p| p.trim_end().ends_with(&marker))
                    .unwrap_or_else(|| panic!("{language} {format}: no paragraph {n}: {text}"));
                let paragraph = paragraph.replace('\n', " ");
                quotes_nest(&paragraph, russian)
                    .unwrap_or_else(|e| panic!("{language} {format} case {n}: {e}"));
                if n % 3 != 2 {
                    assert!(
                        paragraph.contains(dash),
                        "{language} {format}: {paragraph:?}"
                    );
                }
            }
            // The organisation in the signature, and quoted by the template.
            let signed = match russian {
                true => "Профсоюз «Свобода»\u{a0}— филиал",
                false => "Union “Freedom”\u{a0}– branch",
            };
            assert!(text.contains(signed), "{language} {format}: {text}");
            let quoted = match russian {
                true => "«Профсоюз „Свобода“\u{a0}— филиал»",
                false => "“Union ‘Freedom’\u{a0}– branch”",
            };
            assert!(
                text.replace('\n', " ").contains(quoted),
                "{language} {format}: {text}"
            );
        }
    }
}

#[test]
fn quotes_that_cannot_be_paired_are_left_as_typed() {
    let root = tempfile::tempdir().unwrap();
    let (text, _) = write(
        root.path(),
        "xx-embassy",
        "ru",
        "text",
        &["--personal", "Экран 5\" и ещё одно слово."],
    );
    assert!(text.contains("Экран 5\" и ещё"), "{text}");
}
