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
        pdf_text.contains("Страница 1 из 2") && pdf_text.contains("Страница 2 из 2"),
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
    // The postal block stays as the British post reads it.
    assert!(
        text.contains("Embassy of the Republic of Kazakhstan\nKazakhstan House"),
        "{text}"
    );
    assert!(text.contains("\nUNITED KINGDOM\n"), "{text}");
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("letters");
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
        "Құрметті Елші мырза!",
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
    for (mission, greeting) in [
        ("au-sydney", "Уважаемый господин Генеральный консул!"),
        ("ca-toronto", "Уважаемый господин Консул!"),
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
