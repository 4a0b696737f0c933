//! A user's own directory entry without the Russian forms a Russian letter
//! needs («в Чикаго», the country's name) makes an address without its
//! place («Генеральному консулу / Республики Казахстан»): `write` says so
//! before writing, in every format, naming the mission and the field to
//! add, and `check` reports it at the entry's line. With the forms given,
//! nothing is said and the place is there.

mod common;

use std::path::Path;

use common::{protest, run};

const CHICAGO: &str = r#"[[mission]]
id = "us-chicago"
kind = "consulate-general"
country = "US"
city = "Chicago"
name = "Consulate General of the Republic of Kazakhstan"
address = ["1 Main St", "Chicago IL 60601"]
email = "chicago@example.org"
source = "test"
verified = "2026-11-01"
confidence = "high"
"#;

const DUBLIN: &str = r#"[[mission]]
id = "ie-dublin"
kind = "embassy"
country = "IE"
city = "Dublin"
name = "Embassy of the Republic of Kazakhstan"
address = ["1 Main St", "Dublin"]
email = "dublin@example.org"
source = "test"
verified = "2026-11-01"
confidence = "high"
"#;

const CHICAGO_WARNING: &str = "warning: us-chicago: no Russian form of the city (with its \
     preposition), so a Russian letter's address goes without it; add `in_city` under \
     [mission.ru] (e.g. in_city = \"в Чикаго\")";

const DUBLIN_WARNING: &str = "warning: ie-dublin: no Russian form of the country's name, so a \
     Russian letter's address goes without it; add `office` and `name` under [mission.ru] (as \
     «Послу Республики Казахстан в …»)";

fn directory(dir: &Path, text: &str) -> String {
    let file = dir.join("mine.toml");
    std::fs::write(&file, text).unwrap();
    file.to_str().unwrap().to_string()
}

fn write(missions: &str, to: &str, language: &str, format: &str) -> (i32, String, String) {
    run(protest()
        .args(["write", "mukhammedkarim", "--to", to, "--lang", language])
        .args(["--embassies", missions, "--date", "2026-12-04"])
        .args([
            "--name",
            "Ann Lee",
            "--email",
            "ann@example.org",
            "-f",
            format,
        ]))
}

#[test]
fn a_russian_letter_to_an_entry_without_its_russian_forms_says_what_it_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let missions = directory(dir.path(), &format!("{CHICAGO}\n{DUBLIN}"));
    for (to, warning) in [
        ("us-chicago", CHICAGO_WARNING),
        ("ie-dublin", DUBLIN_WARNING),
    ] {
        for format in ["text", "eml", "mailto"] {
            let (code, out, err) = write(&missions, to, "ru", format);
            assert_eq!(code, 0, "{to} {format}: {err}");
            let said: Vec<&str> = err.lines().filter(|l| l.contains(to)).collect();
            assert_eq!(said, [warning], "{to} {format}: {err}");
            assert!(!out.is_empty());
        }
        // The English letter has every word it needs.
        let (code, _, err) = write(&missions, to, "en-GB", "text");
        assert_eq!(code, 0, "{err}");
        assert!(!err.contains(to), "{to} en: {err}");
    }
    // The PDF too, where the address block is what the post reads.
    let pdf = dir.path().join("chicago.pdf");
    let (code, _, err) = run(protest()
        .args([
            "write",
            "mukhammedkarim",
            "--to",
            "us-chicago",
            "--lang",
            "ru",
        ])
        .args(["--embassies", &missions, "--date", "2026-12-04"])
        .args(["--name", "Ann Lee", "-o"])
        .arg(&pdf));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(CHICAGO_WARNING), "{err}");

    // `check` reports each entry at its line.
    let (code, _, err) = run(protest().args(["check", "--embassies", &missions]));
    assert_eq!(code, 0, "{err}");
    let chicago = CHICAGO_WARNING.replace(
        "warning: ",
        &format!("warning: {}:2: ", dir.path().join("mine.toml").display()),
    );
    assert!(err.contains(&chicago), "{err}");
    assert!(
        err.contains("ie-dublin: no Russian form of the country's name"),
        "{err}"
    );
}

#[test]
fn with_its_russian_forms_the_place_is_in_the_address_and_nothing_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let missions = directory(
        dir.path(),
        &format!(
            "{CHICAGO}\n[mission.ru]\ncity = \"Чикаго\"\nin_city = \"в Чикаго\"\nsource = \"test\"\n\n\
             {DUBLIN}\n[mission.ru]\nname = \"Посольство Республики Казахстан в Ирландии\"\n\
             office = \"Послу Республики Казахстан в Ирландии\"\nsource = \"test\"\n"
        ),
    );
    for (to, place) in [("us-chicago", "в Чикаго"), ("ie-dublin", "в Ирландии")] {
        let (code, out, err) = write(&missions, to, "ru", "text");
        assert_eq!(code, 0, "{err}");
        assert!(!err.contains(to), "{to}: {err}");
        assert!(out.contains(place), "{to}: {out}");
    }
    let (code, _, err) = run(protest().args(["check", "--embassies", &missions]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("no Russian form"), "{err}");
}
