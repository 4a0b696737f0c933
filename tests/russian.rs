//! Letters in Russian (and Kazakh): language variants `ID.LANG.hbs`, as a
//! reader of the letter meets them. Every Russian letter, the fixture's and
//! every shipped one, is rendered to text, PDF (read back with pdftotext) and
//! an email draft (parsed with Python's email package), and checked for the
//! things a Russian-speaking official would notice: the date, greeting and
//! closing in Russian, people's names in Cyrillic, no English left in the
//! running text.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture, protest, python, run};

const DATE: &str = "2026-11-30";
const DATE_RU: &str = "30 ноября 2026 г.";
const LONDON: &str = "gb-london";

fn letters_dir() -> PathBuf {
    fixture("russian-letters")
}

/// English a translated letter must not keep: words, not letters, so that a
/// name or an organisation in Latin letters (the sender's "Unite Leeds") is
/// no finding.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "for",
    "in",
    "on",
    "with",
    "your",
    "yours",
    "dear",
    "excellency",
    "sincerely",
    "respectfully",
    "release",
    "please",
    "urge",
    "immediately",
    "we",
    "i",
    "page",
    "subject",
];

/// The English words of `text`, as a list to show in a failure.
fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .map(str::to_ascii_lowercase)
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .collect()
}

/// From the salutation to the closing: the running text, where the postal
/// block (Latin letters, as the host country's post reads it) is not.
fn running_text<'t>(text: &'t str, salutation: &str) -> &'t str {
    let start = text
        .find(salutation)
        .unwrap_or_else(|| panic!("no salutation {salutation:?} in:\n{text}"));
    let end = text
        .find("С уважением,")
        .unwrap_or_else(|| panic!("no Russian closing in:\n{text}"));
    assert!(
        start < end,
        "the closing comes before the salutation:\n{text}"
    );
    &text[start..end]
}

/// What a rendered Russian letter must show, in any format.
struct Expect<'a> {
    salutation: &'a str,
    /// The people's names as the data spells them in Russian.
    names: Vec<String>,
    /// Their Latin spellings, which must not appear.
    latin_names: Vec<String>,
}

impl Expect<'_> {
    fn check(&self, what: &str, text: &str) {
        // pdftotext -layout may break a line between two words of a name.
        let squashed = squash(text);
        assert!(
            squashed.contains(DATE_RU),
            "{what}: no Russian date:\n{text}"
        );
        let running = running_text(text, self.salutation);
        let english = english_words(running);
        assert!(
            english.is_empty(),
            "{what}: English words {english:?} in the running text:\n{running}"
        );
        for name in &self.names {
            assert!(
                squash(running).contains(&squash(name)),
                "{what}: no {name} in:\n{running}"
            );
        }
        for name in &self.latin_names {
            assert!(
                !squashed.contains(&squash(name)),
                "{what}: {name} in Latin letters:\n{text}"
            );
        }
    }
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `protest write LETTER --lang ru` with `extra` arguments; the standard output and error.
fn write_ru(letters: Option<&Path>, letter: &str, extra: &[&str]) -> (String, String) {
    let mut cmd = protest();
    if let Some(dir) = letters {
        cmd.arg("--letters").arg(dir);
    }
    cmd.args([
        "write", letter, "--lang", "ru", "--to", LONDON, "--date", DATE,
    ])
    .args(["--name", "Ann Lee", "--org", "Unite Leeds"])
    .args(["--email", "ann@example.org"])
    .args(extra);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{letter}: {err}");
    (out, err)
}

/// A paragraph long enough to push the letter onto a second page.
fn long_personal() -> String {
    "Я пишу Вам как член профсоюза, который давно следит за судьбой этих людей. ".repeat(40)
}

/// Renders `letter` in Russian to text, PDF and eml, checking each.
fn check_all_formats(letters: Option<&Path>, letter: &str, expect: &Expect) {
    let (text, err) = write_ru(letters, letter, &[]);
    assert!(!err.contains("spelling"), "{letter}: {err}");
    expect.check(&format!("{letter} text"), &text);
    // Sender, date, recipient, then the subject, a block each.
    let subject_line = text.split("\n\n").nth(3).unwrap_or_default();
    assert!(
        english_words(subject_line).is_empty(),
        "{letter}: the subject {subject_line:?} is English"
    );

    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("letter.pdf");
    let personal = long_personal();
    write_ru(
        letters,
        letter,
        &[
            "--format",
            "pdf",
            "-o",
            pdf.to_str().unwrap(),
            "--personal",
            &personal,
        ],
    );
    let pdf_text = pdftotext(&pdf);
    expect.check(&format!("{letter} PDF"), &pdf_text);
    assert!(
        pdf_text.contains("Страница 1 из ") && pdf_text.contains("Страница 2 из "),
        "{letter}: no Russian page labels:\n{pdf_text}"
    );
    assert!(!pdf_text.contains("Page "), "{letter}: {pdf_text}");

    let eml = dir.path().join("letter.eml");
    write_ru(
        letters,
        letter,
        &["--format", "eml", "-o", eml.to_str().unwrap()],
    );
    let parsed = python(
        "import sys, email\n\
         from email import policy\n\
         m = email.message_from_binary_file(sys.stdin.buffer, policy=policy.default)\n\
         print(m['Content-Language'])\n\
         print(m['Subject'])\n\
         print(m.get_body(('plain',)).get_content())\n",
        &std::fs::read(&eml).unwrap(),
    );
    let mut lines = parsed.lines();
    assert_eq!(lines.next(), Some("ru"), "{letter}: Content-Language");
    let subject = lines.next().unwrap();
    assert!(
        english_words(subject).is_empty() && !subject.is_empty(),
        "{letter}: subject {subject:?}"
    );
    let body: String = lines.collect::<Vec<_>>().join("\n");
    let running = running_text(&body, expect.salutation);
    assert!(
        english_words(running).is_empty(),
        "{letter} eml: English words {:?} in:\n{running}",
        english_words(running)
    );
    for name in &expect.names {
        assert!(
            squash(running).contains(name),
            "{letter} eml: no {name} in:\n{body}"
        );
    }
}

fn pdftotext(file: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_fixture_reads_as_russian_in_text_pdf_and_email() {
    let expect = Expect {
        salutation: "Ваше Превосходительство!",
        names: ["Асель Нурланова", "Ерлан Калиев", "Гульнур Онгарова"]
            .map(String::from)
            .to_vec(),
        latin_names: ["Asel Nurlanova", "Yerlan Kaliyev", "Gulnur Ongarova"]
            .map(String::from)
            .to_vec(),
    };
    check_all_formats(Some(&letters_dir()), "three-prisoners", &expect);
    // {{names prisoners}} joins with a Russian "и".
    let (text, _) = write_ru(Some(&letters_dir()), "three-prisoners", &[]);
    assert!(
        squash(&text).contains("Асель Нурланова, Ерлан Калиев и Гульнур Онгарова"),
        "{text}"
    );
    // Addressed in Russian; the postal lines stay as the British post reads them.
    assert!(
        text.contains(
            "\nЧрезвычайному и Полномочному Послу\nРеспублики Казахстан\n\
             в Соединённом Королевстве\nВеликобритании и Северной Ирландии\n\
             Kazakhstan House\n125 Pall Mall\nLondon SW1Y 5EA\nUNITED KINGDOM\n"
        ),
        "{text}"
    );
    assert!(!text.contains("Embassy of"), "{text}");
}

/// Every shipped Russian letter, written whenever its English letter can be
/// on the same day (a letter the facts have overtaken is refused in every
/// language alike).
#[test]
fn every_shipped_russian_letter_reads_as_russian() {
    let (code, out, err) = run(protest().args(["letters", "--json"]));
    assert_eq!(code, 0, "{err}");
    let letters: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (code, out, err) = run(protest().args(["letters", "prisoners", "--json"]));
    assert_eq!(code, 0, "{err}");
    let people: serde_json::Value = serde_json::from_str(&out).unwrap();
    let russian_name = |id: &str| -> String {
        let person = people["prisoners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["prisoner"] == id)
            .unwrap_or_else(|| panic!("no {id} in `letters prisoners`"));
        person["names"]["ru"]
            .as_str()
            .unwrap_or_else(|| panic!("{id} has no names.ru in prisoners.toml"))
            .to_string()
    };
    let mut written = Vec::new();
    for letter in letters["letters"].as_array().unwrap() {
        let id = letter["letter"].as_str().unwrap();
        let languages: Vec<&str> = letter["languages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        if !languages.iter().any(|l| l.starts_with("ru")) {
            continue;
        }
        let (english, _, _) = run(protest().args([
            "write", id, "--to", LONDON, "--date", DATE, "--name", "Ann Lee",
        ]));
        if english != 0 {
            continue;
        }
        let latin: Vec<String> = letter["prisoner_names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect();
        let names = letter["prisoners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| russian_name(id.as_str().unwrap()))
            .collect();
        let expect = Expect {
            salutation: "Ваше Превосходительство!",
            names,
            latin_names: latin,
        };
        check_all_formats(None, id, &expect);
        written.push(id.to_string());
    }
    // Every `letters/*.ru.hbs` ships, current or not.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns/kazakhstan/letters");
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(id) = name.strip_suffix(".ru.hbs") else {
            continue;
        };
        let (code, out, err) = run(protest().args(["letters", "show", id, "--lang", "ru"]));
        assert_eq!(code, 0, "{name} is not shipped: {err}");
        assert!(out.contains("\nlanguage: ru"), "{name}: {out}");
    }
    eprintln!("Russian letters checked: {written:?}");
}

#[test]
fn letters_lists_the_languages_of_each_letter() {
    let (code, out, err) = run(protest().arg("--letters").arg(letters_dir()).arg("letters"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("LANGUAGES"), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("three-prisoners "))
        .unwrap();
    assert!(line.contains(" en-GB kk ru "), "{line}");
    assert!(out.contains("--lang ru"), "{out}");
}

#[test]
fn a_language_the_letter_lacks_is_an_error_listing_those_it_has() {
    let (code, out, err) = run(protest()
        .arg("--letters")
        .arg(letters_dir())
        .args(["write", "three-prisoners", "--lang", "de", "--to", LONDON])
        .args(["--name", "Ann Lee"]));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.starts_with("error: the letter `three-prisoners` is not written in `de`\n"),
        "{err}"
    );
    assert!(err.contains("it is written in `en`, `kk`, `ru`"), "{err}");
}

#[test]
fn the_language_is_matched_by_its_tag_or_its_primary_subtag() {
    for lang in ["en", "en-GB", "EN-gb"] {
        let (code, out, err) = run(protest()
            .arg("--letters")
            .arg(letters_dir())
            .args(["write", "three-prisoners", "--lang", lang, "--to", LONDON])
            .args(["--name", "Ann Lee"]));
        assert_eq!(code, 0, "{lang}: {err}");
        assert!(out.contains("Your Excellency,"), "{lang}: {out}");
    }
    let (code, _, err) = run(protest()
        .arg("--letters")
        .arg(letters_dir())
        .args([
            "write",
            "three-prisoners",
            "--lang",
            "en-US",
            "--to",
            LONDON,
        ])
        .args(["--name", "Ann Lee"]));
    assert_eq!(code, 2, "en-US is not the en-GB letter: {err}");
}

#[test]
fn a_text_marked_for_review_warns_but_is_written() {
    let (code, out, err) = run(protest()
        .arg("--letters")
        .arg(letters_dir())
        .args(["write", "three-prisoners", "--lang", "kk", "--to", LONDON])
        .args(["--name", "Ann Lee", "--date", DATE]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: the Kazakh text of `three-prisoners` is marked for review \
             (needs a native speaker); have it read before you send it"
        ),
        "{err}"
    );
    // Kazakh date, greeting, closing, list and names, in Kazakh letters.
    for wanted in [
        "2026 жылғы 30 қараша",
        "Құрметті Елші!",
        "Құрметпен,",
        "Әсел Нұрланова, Ерлан Қалиев және Гүлнұр Оңғарова",
    ] {
        assert!(squash(&out).contains(wanted), "no {wanted:?} in:\n{out}");
    }
    let (_, _, err) = run(protest()
        .arg("--letters")
        .arg(letters_dir())
        .args(["write", "three-prisoners", "--lang", "ru", "--to", LONDON])
        .args(["--name", "Ann Lee"]));
    assert!(!err.contains("review"), "{err}");
}

#[test]
fn kazakh_letters_survive_the_pdf_and_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(protest()
        .arg("--letters")
        .arg(letters_dir())
        .args(["write", "three-prisoners", "--lang", "kk", "--to", LONDON])
        .args([
            "--name",
            "Гүлнәр Өтебаева",
            "--date",
            DATE,
            "--format",
            "pdf",
        ])
        .arg("--out")
        .arg(dir.path())
        .args(["--file-name", "{{letter.language}} {{sender.name}}"]));
    assert_eq!(code, 0, "{err}");
    let pdf = dir.path().join("kk-Гүлнәр-Өтебаева.pdf");
    assert!(
        pdf.exists(),
        "{:?}",
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect::<Vec<_>>()
    );
    let text = squash(&pdftotext(&pdf));
    for wanted in [
        "Әсел Нұрланова",
        "Гүлнұр Оңғарова",
        "Құрметпен,",
        "шақырамын",
        "Гүлнәр Өтебаева",
    ] {
        assert!(text.contains(wanted), "no {wanted:?} in:\n{text}");
    }
}

#[test]
fn a_name_without_a_russian_spelling_is_written_in_latin_letters_with_a_warning() {
    let (code, out, err) = run(protest()
        .arg("--letters")
        .arg(letters_dir())
        .args(["write", "one-unspelled", "--lang", "ru", "--to", LONDON])
        .args(["--name", "Ann Lee"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: no Russian spelling of Bolat Tursyn's name in the data; using the Latin one"
        ),
        "{err}"
    );
    assert!(out.contains("Прошу освободить: Bolat Tursyn."), "{out}");
    // The English letter needs no other spelling, and says nothing.
    let (_, _, err) = run(protest()
        .arg("--letters")
        .arg(letters_dir())
        .args(["write", "one-unspelled", "--to", LONDON])
        .args(["--name", "Ann Lee"]));
    assert!(!err.contains("spelling"), "{err}");
}

#[test]
fn a_consul_is_greeted_as_a_russian_letter_greets_one() {
    // No head of mission recorded: the office alone, neither «господин» nor «госпожа».
    for (mission, greeting) in [
        ("au-sydney", "Уважаемый Генеральный консул!"),
        ("ca-toronto", "Уважаемый Консул!"),
    ] {
        let (code, out, err) = run(protest()
            .arg("--letters")
            .arg(letters_dir())
            .args(["write", "three-prisoners", "--lang", "ru", "--to", mission])
            .args(["--name", "Ann Lee"]));
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(&format!("\n{greeting}\n")), "{mission}: {out}");
    }
}

/// A letters directory holding `files` (name, text), beside a copy of the fixture's people.
fn own_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        letters_dir().join("prisoners.toml"),
        dir.path().join("prisoners.toml"),
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn a_variant_without_its_letter_is_an_error_naming_the_file() {
    let ru = std::fs::read_to_string(letters_dir().join("one-unspelled.ru.hbs")).unwrap();
    let dir = own_dir(&[("one-unspelled.ru.hbs", &ru)]);
    let (code, _, err) = run(protest().arg("--letters").arg(dir.path()).arg("letters"));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains(
            "one-unspelled.ru.hbs: a `ru` variant of the letter `one-unspelled`, which does not exist"
        ),
        "{err}"
    );
    assert!(
        err.contains("put the letter itself beside it as `one-unspelled.hbs`"),
        "{err}"
    );
}

#[test]
fn a_variant_cannot_name_other_people() {
    let main = std::fs::read_to_string(letters_dir().join("one-unspelled.hbs")).unwrap();
    let ru = std::fs::read_to_string(letters_dir().join("one-unspelled.ru.hbs"))
        .unwrap()
        .replace("language", "prisoners = [\"asel-nurlanova\"]\nlanguage");
    let dir = own_dir(&[("one-unspelled.hbs", &main), ("one-unspelled.ru.hbs", &ru)]);
    let (code, _, err) = run(protest().arg("--letters").arg(dir.path()).arg("letters"));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains("one-unspelled.ru.hbs:2: unknown field `prisoners`"),
        "{err}"
    );
    assert!(
        err.contains("takes the people, asks, tags and deadline from `one-unspelled.hbs`"),
        "{err}"
    );
}

#[test]
fn check_renders_the_variants_and_reports_missing_spellings() {
    let (code, _, err) = run(protest().arg("--letters").arg(letters_dir()).arg("check"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("one-unspelled.ru.hbs: no Russian spelling of Bolat Tursyn's name"),
        "{err}"
    );
    assert!(
        err.contains(
            "three-prisoners.kk.hbs: the Kazakh text of `three-prisoners` is marked for review"
        ),
        "{err}"
    );

    // A variant's body error is found by check too, naming the variant's file and line.
    let main = std::fs::read_to_string(letters_dir().join("one-unspelled.hbs")).unwrap();
    let ru = std::fs::read_to_string(letters_dir().join("one-unspelled.ru.hbs"))
        .unwrap()
        .replace("Прошу", "{{recipient.nowhere}} Прошу");
    let dir = own_dir(&[("one-unspelled.hbs", &main), ("one-unspelled.ru.hbs", &ru)]);
    let (code, _, err) = run(protest().arg("--letters").arg(dir.path()).arg("check"));
    assert_eq!(code, 65, "{err}");
    assert!(err.contains("one-unspelled.ru.hbs:6"), "{err}");
}

#[test]
fn letters_show_takes_a_language() {
    let (code, out, err) = run(protest().arg("--letters").arg(letters_dir()).args([
        "letters",
        "show",
        "three-prisoners",
        "--lang",
        "ru",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("three-prisoners: Свободу Асель Нурлановой"),
        "{out}"
    );
    assert!(out.contains("language: ru\n"), "{out}");
    assert!(out.contains("three-prisoners.ru.hbs"), "{out}");
    assert!(
        out.contains("  - Немедленно и безоговорочно освободить их\n"),
        "{out}"
    );
    assert!(
        out.contains("Призываю власти Республики Казахстан:"),
        "{out}"
    );
}

#[test]
fn copies_are_labelled_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("letter.pdf");
    let cc = ["--cc", "Campaign Kazakhstan <campaign@example.org>"];
    let (text, _) = write_ru(Some(&letters_dir()), "three-prisoners", &cc);
    assert!(
        text.contains("\nКопия: Campaign Kazakhstan <campaign@example.org>\n"),
        "{text}"
    );
    assert!(!text.contains("cc:"), "{text}");
    let mut args = cc.to_vec();
    args.extend(["--format", "pdf", "-o", pdf.to_str().unwrap()]);
    write_ru(Some(&letters_dir()), "three-prisoners", &args);
    let pdf_text = pdftotext(&pdf);
    assert!(pdf_text.contains("Копия:"), "{pdf_text}");
    assert!(!pdf_text.contains("cc:"), "{pdf_text}");
}

/// The shipped letters written in Russian, by id.
fn shipped_russian_letters() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns/kazakhstan/letters");
    let mut ids: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".ru.hbs").map(str::to_string)
        })
        .collect();
    ids.sort();
    assert!(ids.len() >= 6, "{ids:?}");
    ids
}

/// The date option on which `letter` may be written: an archived letter is
/// refused today, so `tleuzhan` is written `--as-of` a day it was current.
fn date_for(letter: &str) -> [&'static str; 2] {
    match letter {
        "tleuzhan" => ["--as-of", "2026-11-01"],
        _ => ["--date", "2026-12-04"],
    }
}

/// `protest write LETTER --lang ru --to MISSION` and `extra`; the output.
fn write_to(letter: &str, mission: &str, extra: &[&str]) -> String {
    let (code, out, err) = run(protest()
        .args(["write", letter, "--lang", "ru", "--to", mission])
        .args(date_for(letter))
        .args(["--name", "Ann Lee"])
        .args(["--email", "ann@example.org", "--from-country", "GB"])
        .args(extra));
    assert_eq!(code, 0, "{letter} to {mission}: {err}");
    out
}

/// The postal lines of `mission` as the directory gives them (Latin or
/// Cyrillic) and its country line: the only lines a Russian letter may have
/// in another script, with the sender's own details.
fn postal_lines(mission: &str) -> Vec<String> {
    let (code, out, err) = run(protest().args(["embassies", "show", mission, "--json"]));
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let m = &json["missions"][0];
    let mut lines: Vec<String> = m["address"]
        .as_array()
        .map(|a| a.iter().map(|l| l.as_str().unwrap().to_string()).collect())
        .unwrap_or_else(|| vec![m["city"].as_str().unwrap().to_string()]);
    lines.push(m["country_name"].as_str().unwrap().to_uppercase());
    lines
}

const MISSIONS: [&str; 7] = [
    "kz-president",
    "gb-london",
    "us-san-francisco",
    "sk-bratislava",
    "ru-moscow",
    "ru-omsk",
    "un-geneva",
];

/// Every shipped Russian letter to the President, embassies, consulates and
/// a permanent mission is Russian from its first line to its last: only the
/// sender's own details and the postal lines the host post reads are not.
/// The addressee is in the dative; the copy line names the embassy in Russian.
#[test]
fn every_russian_letter_is_russian_from_the_first_line_to_the_last() {
    let dative = [
        "Президенту Республики Казахстан",
        "Чрезвычайному и Полномочному Послу",
        "Генеральному консулу",
        "Консулу Республики Казахстан",
        "Постоянному представителю",
    ];
    for letter in shipped_russian_letters() {
        for mission in MISSIONS {
            // The sender is in GB: to gb-london there is no other embassy to copy.
            let copy: &[&str] = match mission {
                "gb-london" => &[],
                _ => &["--cc-embassy"],
            };
            let text = write_to(&letter, mission, copy);
            let postal = postal_lines(mission);
            let blocks: Vec<&str> = text.split("\n\n").collect();
            // Sender, date, then the recipient block, whose first line is the addressee's office.
            let recipient = blocks[2];
            assert!(
                dative.iter().any(|d| recipient.starts_with(d)),
                "{letter} to {mission}: not in the dative:\n{recipient}"
            );
            for line in text.lines() {
                let own = ["Ann Lee", "ann@example.org", "United Kingdom"];
                if own.contains(&line) || postal.iter().any(|p| p == line) {
                    continue;
                }
                let english = english_words(line);
                assert!(
                    english.is_empty() && !line.contains("Embassy") && !line.contains("H.E."),
                    "{letter} to {mission}: {english:?} in {line:?}:\n{text}"
                );
            }
            match mission {
                "kz-president" => assert!(
                    recipient.starts_with(
                        "Президенту Республики Казахстан\nК.-Ж.\u{a0}К.\u{a0}Токаеву\n"
                    ),
                    "{recipient}"
                ),
                "gb-london" => {}
                _ => assert!(
                    squash(&text).contains(
                        "Копия: Посольство Республики Казахстан в Великобритании <london@mfa.kz>"
                    ),
                    "{letter} to {mission}: copy line:\n{text}"
                ),
            }
        }
    }
    // Moscow and Omsk take their Cyrillic postal lines, as the missions write them.
    let moscow = write_to("mukhammedkarim", "ru-moscow", &[]);
    assert!(
        moscow
            .contains("в Российской Федерации\nЧистопрудный бульвар, 3А\nМосква\n101000\nRUSSIA\n"),
        "{moscow}"
    );
    let omsk = write_to("mukhammedkarim", "ru-omsk", &[]);
    assert!(
        omsk.contains("Консулу Республики Казахстан в Омске\nул. Ленина, 39\nОмск\n"),
        "{omsk}"
    );
}

/// The draft's To and Cc, read back with a mail parser: the mission named in
/// Russian, in the nominative; the copy to the embassy likewise; the PDF
/// attached under the subject's name.
#[test]
fn the_russian_draft_names_the_mission_and_its_attachment_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    for (mission, to) in [
        (
            "gb-london",
            "Посольство Республики Казахстан в Великобритании",
        ),
        ("kz-president", "Президент Республики Казахстан"),
        ("ru-moscow", "Посольство Республики Казахстан в России"),
    ] {
        let eml = dir.path().join(format!("{mission}.eml"));
        let mut args = vec!["--attach-pdf", "-f", "eml", "-o", eml.to_str().unwrap()];
        // The sender is in GB: to gb-london there is no other embassy to copy.
        if mission != "gb-london" {
            args.push("--cc-embassy");
        }
        write_to("mukhammedkarim", mission, &args);
        let bytes = std::fs::read(&eml).unwrap();
        let msg = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        let first = msg.to().unwrap().first().unwrap();
        assert_eq!(first.name(), Some(to), "{mission}");
        assert!(first.address().unwrap().contains('@'));
        let cc: Vec<Option<&str>> = msg
            .cc()
            .map(|cc| cc.iter().map(|a| a.name()).collect())
            .unwrap_or_default();
        if mission != "gb-london" {
            assert_eq!(
                cc,
                [Some("Посольство Республики Казахстан в Великобритании")],
                "{mission}"
            );
        }
        let subject = msg.subject().unwrap();
        assert_eq!(subject, "Об освобождении журналиста Думана Мухаммедкарима");
        let attachment = msg.attachment(0).unwrap();
        assert_eq!(
            mail_parser::MimeHeaders::attachment_name(attachment),
            Some(format!("{subject}.pdf").as_str())
        );
    }
}

/// The greeting follows the head's recorded form of address in every
/// language: a woman is «Уважаемая госпожа», a man «Уважаемый господин», and
/// a head whose form nobody recorded is greeted by the office alone.
#[test]
fn a_woman_is_greeted_as_a_woman_and_an_unrecorded_form_by_the_office() {
    let dir = tempfile::tempdir().unwrap();
    let embassies = dir.path().join("embassies.toml");
    let entry = |id: &str, honorific: &str| {
        format!(
            "[[mission]]\nid = \"{id}\"\nkind = \"consulate-general\"\ncountry = \"US\"\n\
             city = \"San Francisco\"\nname = \"Consulate General of the Republic of Kazakhstan in San Francisco\"\n\
             source = \"test\"\nverified = \"2026-01-01\"\nconfidence = \"low\"\n\n\
             [mission.head]\nname = \"A. B.\"\n{honorific}title = \"Consul General\"\n\
             as_of = \"2026-01-01\"\nsource = \"test\"\n\n\
             [mission.ru]\ncity = \"Сан-Франциско\"\nin_city = \"в Сан-Франциско\"\n\n"
        )
    };
    std::fs::write(
        &embassies,
        entry("us-sf-woman", "honorific = \"Ms\"\n")
            + &entry("us-sf-man", "honorific = \"Mr\"\n")
            + &entry("us-sf-unknown", ""),
    )
    .unwrap();
    for (mission, ru, en) in [
        (
            "us-sf-woman",
            "Уважаемая госпожа Генеральный консул!",
            "Dear Consul General,",
        ),
        (
            "us-sf-man",
            "Уважаемый господин Генеральный консул!",
            "Dear Consul General,",
        ),
        (
            "us-sf-unknown",
            "Уважаемый Генеральный консул!",
            "Dear Consul General,",
        ),
    ] {
        for (lang, greeting) in [("ru", ru), ("en", en)] {
            let (code, out, err) = run(protest()
                .arg("--embassies")
                .arg(&embassies)
                .args(["write", "mukhammedkarim", "--lang", lang, "--to", mission])
                .args(["--date", "2026-12-04", "--name", "Ann Lee"]));
            assert_eq!(code, 0, "{err}");
            assert!(
                out.contains(&format!("\n{greeting}\n")),
                "{mission} {lang}:\n{out}"
            );
            assert!(
                out.contains("Генеральному консулу\nРеспублики Казахстан в Сан-Франциско\n")
                    == (lang == "ru"),
                "{mission} {lang}:\n{out}"
            );
        }
    }
    // The shipped directory: Bratislava's ambassador is recorded as Ms
    // (kt.kz: "briefed her interlocutor"), and an Excellency is greeted alike
    // whoever holds the post; San Francisco's form of address is not recorded.
    let bratislava = write_to("mukhammedkarim", "sk-bratislava", &[]);
    assert!(
        bratislava.contains("\nВаше Превосходительство!\n"),
        "{bratislava}"
    );
    let (_, english, _) = run(protest()
        .args(["write", "mukhammedkarim", "--to", "sk-bratislava"])
        .args(["--date", "2026-12-04", "--name", "Ann Lee"]));
    assert!(
        english.contains("\nH.E.\u{a0}Ms Zhanna Saginova\n"),
        "{english}"
    );
    let san_francisco = write_to("mukhammedkarim", "us-san-francisco", &[]);
    assert!(
        san_francisco.contains("\nУважаемый Генеральный консул!\n"),
        "{san_francisco}"
    );
}

/// The list items of a text letter, each joined from its wrapped lines.
fn list_items(text: &str) -> Vec<Vec<String>> {
    let mut lists: Vec<Vec<String>> = Vec::new();
    let mut in_list = false;
    for line in text.lines() {
        if let Some(item) = line.strip_prefix("  - ") {
            if !in_list {
                lists.push(Vec::new());
            }
            lists.last_mut().unwrap().push(item.to_string());
            in_list = true;
        } else if let (Some(more), true) = (line.strip_prefix("    "), in_list) {
            let item = lists.last_mut().unwrap().last_mut().unwrap();
            item.push(' ');
            item.push_str(more);
        } else {
            in_list = false;
        }
    }
    lists
}

/// Russian lists as Russian punctuates them, in every shipped letter: items
/// in lower case (a person's name keeps its capital), «;» between them, «.»
/// after the last. English lists stay as written.
#[test]
fn russian_lists_take_lower_case_semicolons_and_a_final_full_stop() {
    let (_, out, _) = run(protest().args(["letters", "prisoners", "--json"]));
    let people: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<String> = people["prisoners"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["names"]["ru"].as_str().map(str::to_string))
        .collect();
    let mut demands = 0;
    for letter in shipped_russian_letters() {
        let text = write_to(&letter, "gb-london", &[]);
        let lists = list_items(&text);
        assert!(!lists.is_empty(), "{letter}: no list:\n{text}");
        for items in lists {
            for (i, item) in items.iter().enumerate() {
                let last = i + 1 == items.len();
                let end = if last { '.' } else { ';' };
                assert!(
                    item.ends_with(end),
                    "{letter}: {item:?} does not end in {end}"
                );
                let first = item.chars().next().unwrap();
                let named = names.iter().any(|n| item.starts_with(n.as_str()));
                assert!(
                    first.is_lowercase() || named,
                    "{letter}: {item:?} starts with a capital and no name"
                );
                demands += usize::from(!named);
            }
        }
        // The English letter's list is left as it is written.
        let (_, english, _) = run(protest()
            .args(["write", &letter, "--to", "gb-london", "--name", "Ann Lee"])
            .args(date_for(&letter)));
        for items in list_items(&english) {
            for item in items {
                assert!(!item.ends_with(';') && !item.ends_with('.'), "{item}");
                assert!(item.chars().next().unwrap().is_uppercase(), "{item}");
            }
        }
    }
    assert!(demands >= 20, "{demands}");
}

/// Words a line must not be broken after, and the words (months) a number
/// must not be parted from.
const MONTHS: [&str; 12] = [
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
];

/// The places where a line must not break, found in `text` (text or
/// pdftotext): a line ending in «№», a number at a line's end whose next line
/// starts with a month, a line starting with a dash.
fn forbidden_breaks(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let mut found = Vec::new();
    for pair in lines.windows(2) {
        let (line, next) = (pair[0], pair[1]);
        let last_word = line.rsplit([' ', '\u{a0}']).next().unwrap_or("");
        let next_word = next.split([' ', '\u{a0}', ',']).next().unwrap_or("");
        if line.ends_with('№') || line.ends_with("No.") {
            found.push(format!("{line:?} / {next:?}"));
        }
        if last_word.chars().all(|c| c.is_ascii_digit())
            && !last_word.is_empty()
            && MONTHS.contains(&next_word)
        {
            found.push(format!("{line:?} / {next:?}"));
        }
        if next.starts_with("— ") || next.starts_with("– ") {
            found.push(format!("{line:?} / {next:?}"));
        }
    }
    found
}

/// A paragraph that puts a «№», a date and a dash at every position of a
/// line in turn, so that an unprotected space would be broken somewhere.
fn shifting_paragraph() -> String {
    (0..40)
        .map(|i| {
            format!(
                "{} учреждение № {} от 1{} апреля — и далее.",
                "а".repeat(i % 9 + 1),
                i,
                i % 9
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// No line breaks after «№», between a day and its month or before a dash,
/// in the text and in the PDF, over every shipped Russian letter.
#[test]
fn no_line_breaks_after_a_number_sign_inside_a_date_or_before_a_dash() {
    let dir = tempfile::tempdir().unwrap();
    let personal = shifting_paragraph();
    for letter in shipped_russian_letters() {
        let text = write_to(&letter, "us-san-francisco", &["--personal", &personal]);
        assert!(
            text.contains("№\u{a0}"),
            "{letter}: no no-break space after №"
        );
        let bad = forbidden_breaks(&text);
        assert!(bad.is_empty(), "{letter} text: {bad:#?}");
        for paper in ["a4", "letter"] {
            let pdf = dir.path().join(format!("{letter}-{paper}.pdf"));
            write_to(
                &letter,
                "us-san-francisco",
                &[
                    "--personal",
                    &personal,
                    "-f",
                    "pdf",
                    "--paper",
                    paper,
                    "-o",
                    pdf.to_str().unwrap(),
                ],
            );
            let pdf_text = pdftotext(&pdf);
            let bad = forbidden_breaks(&pdf_text);
            assert!(bad.is_empty(), "{letter} PDF {paper}: {bad:#?}");
            assert!(
                squash(&pdf_text).contains("учреждение №"),
                "{letter}: {pdf_text}"
            );
        }
    }
    // The same rules hold in an English letter's dates ("4 December").
    let (_, english, _) = run(protest()
        .args([
            "write",
            "zhanaozen",
            "--to",
            "gb-london",
            "--name",
            "Ann Lee",
        ])
        .args(["--date", "2026-12-04", "--personal", &personal]));
    assert!(english.contains("4\u{a0}December 2026"), "{english}");
}

/// The text of page `n` of `pdf`, as pdftotext reads it.
fn pdf_page(pdf: &Path, n: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &n.to_string(), "-l", &n.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// How many pages `pdf` has, as pdfinfo reads it.
fn page_count(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// The body lines of a page: without the page label.
fn page_lines(page: &str) -> Vec<String> {
    page.lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with("Страница ") && !l.starts_with("Page "))
        .collect()
}

/// A line that introduces a list never ends a page, in any language: the
/// restricted-freedom letter to the President with a copy to the embassy once
/// left «Призываю власти Республики Казахстан:» alone at the foot of page 1.
/// Checked page by page over every shipped Russian letter and its English
/// original, with personal paragraphs of several lengths to move the breaks.
#[test]
fn a_line_that_introduces_a_list_keeps_with_its_first_item_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("rf.pdf");
    write_to(
        "restricted-freedom-2025",
        "kz-president",
        &["--cc-embassy", "-f", "pdf", "-o", pdf.to_str().unwrap()],
    );
    // The intro is one of the letter's alternatives («Призываю власти
    // Республики Казахстан:», …): whichever it is, it ends the line above
    // the first item, on the same page.
    let first_item = "• отменить приговоры";
    let page = (1..=page_count(&pdf))
        .find(|&n| pdf_page(&pdf, n).contains(first_item))
        .expect("the list is printed");
    let lines = page_lines(&pdf_page(&pdf, page));
    let at = lines
        .iter()
        .position(|l| l.starts_with(first_item))
        .unwrap();
    assert!(
        at > 0 && (lines[at - 1].ends_with("Казахстан:") || lines[at - 1].ends_with("призывом:")),
        "page {page}: {lines:#?}"
    );

    let filler = "Я прошу Вас передать это письмо властям Республики Казахстан. ";
    let mut checked = 0;
    for letter in shipped_russian_letters() {
        for (lang, personal) in [("ru", 0), ("ru", 3), ("ru", 7), ("en", 0), ("en", 5)] {
            let pdf = dir.path().join(format!("{letter}-{lang}-{personal}.pdf"));
            let personal_text = filler.repeat(personal);
            let mut cmd = protest();
            cmd.args(["write", &letter, "--lang", lang, "--to", "kz-president"])
                .args(date_for(&letter))
                .args(["--name", "Ann Lee", "--from-country", "GB"])
                .args(["--cc-embassy", "-f", "pdf", "-o", pdf.to_str().unwrap()]);
            if personal > 0 {
                cmd.args(["--personal", &personal_text]);
            }
            let (code, _, err) = run(&mut cmd);
            assert_eq!(code, 0, "{err}");
            for n in 1..=page_count(&pdf) {
                let lines = page_lines(&pdf_page(&pdf, n));
                if let Some(last) = lines.last() {
                    assert!(
                        !last.ends_with(':'),
                        "{letter} {lang} +{personal}: page {n} ends with {last:?}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 40, "{checked}");
}
