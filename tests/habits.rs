//! The tool fits the habits people bring: a saved profile that signs, the
//! exports of form and mailing tools, terminals, man pages and completions.

mod common;

use std::path::Path;

use common::{fixture, protest, run};

/// A configuration directory holding a saved profile, as the guided mode saves it.
fn with_profile(text: &str) -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("protest")).unwrap();
    std::fs::write(config.path().join("protest/profile.toml"), text).unwrap();
    config
}

const PROFILE: &str = "name = \"Ann Lee\"\norg = \"Unite Leeds\"\ncountry = \"GB\"\n";

#[test]
fn the_saved_profile_signs_unless_flags_override_it_or_no_profile_ignores_it() {
    let config = with_profile(PROFILE);
    let profile_path = config.path().join("protest/profile.toml");
    let write = |args: &[&str]| {
        run(protest()
            .env("XDG_CONFIG_HOME", config.path())
            .args(["write", "mamai", "--date", "2017-01-01"])
            .args(args))
    };

    // No --to: the profile's country picks the mission, its name signs.
    let (code, out, err) = write(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Ann Lee\nUnite Leeds\n"), "{out}");
    assert!(
        out.contains("Embassy of the Republic of Kazakhstan"),
        "{out}"
    );
    let note = format!(
        "using your saved details from {} (--no-profile to ignore them)",
        profile_path.display()
    );
    assert_eq!(err.matches(&note).count(), 1, "{err}");

    // A flag replaces one field and keeps the rest.
    let (code, out, _) = write(&["--name", "Bob Roe", "--to", "de-berlin"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Bob Roe\nUnite Leeds\n"), "{out}");

    // --sender FILE is used instead, without the note.
    let sender = common::example_sender();
    let (code, out, err) = write(&["--sender", sender.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Jane Smith\n"), "{out}");
    assert!(!err.contains("saved details"), "{err}");

    // --no-profile: as if there were none.
    let (code, _, err) = write(&["--no-profile", "--to", "gb-london"]);
    assert_eq!(code, 2);
    assert!(err.contains("error: the sender has no name"), "{err}");
    assert!(!err.contains("saved details"), "{err}");

    // A broken profile is an error naming it, with the way out.
    std::fs::write(&profile_path, "nmae = \"Ann\"\n").unwrap();
    let (code, _, err) = write(&["--to", "gb-london"]);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains(&profile_path.display().to_string()), "{err}");
    assert!(err.contains("--no-profile"), "{err}");
}

#[test]
fn a_senders_csv_is_not_mixed_with_the_profile() {
    let config = with_profile(PROFILE);
    let (code, out, err) = run(protest()
        .env("XDG_CONFIG_HOME", config.path())
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--date",
            "2017-01-01",
        ])
        .arg("--senders")
        .arg(fixture("exports/de-spreadsheet.csv")));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Anna Schmidt\nver.di Berlin\n"), "{out}");
    assert!(!err.contains("saved details"), "{err}");
}

/// Each file of `dir` but the manifest, read, in name order.
fn letters_in(dir: &Path) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "manifest.jsonl")
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn a_google_forms_export_gives_letters_with_every_detail_and_no_warning() {
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--date",
            "2017-01-01",
        ])
        .arg("--senders")
        .arg(fixture("exports/google-forms.csv"))
        .arg("--out")
        .arg(out.path()));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let letters = letters_in(out.path());
    assert_eq!(letters.len(), 2);
    let ann = letters.iter().find(|l| l.starts_with("Ann Lee\n")).unwrap();
    for detail in [
        "Unite Leeds Community Branch",
        "Leeds LS1 4AP",
        "ann.lee@example.org",
        "0113 496 0000",
        "Free them now.",
    ] {
        assert!(ann.contains(detail), "{detail} missing from:\n{ann}");
    }
    assert!(
        !ann.contains("2026/11/28"),
        "the timestamp is not a letter's: {ann}"
    );
    let bob = letters.iter().find(|l| l.starts_with("Bob Roe\n")).unwrap();
    assert!(bob.contains("Bradford BD1 1AA"), "{bob}");
}

#[test]
fn exports_of_each_tool_and_language_fill_the_senders_fields() {
    // (file, what the sender block must hold, in order)
    let cases: &[(&str, &[&str])] = &[
        (
            "mailchimp.csv",
            &[
                "Ann Lee",
                "12 Example Street",
                "ann.lee@example.org",
                "0113 496 0000",
            ],
        ),
        (
            "microsoft-forms.csv",
            &[
                "Ann Lee",
                "Teamsters Local 100",
                "Washington 20001",
                "ann.lee@example.org",
            ],
        ),
        (
            "action-network.csv",
            &[
                "Ann Lee",
                "Washington 20001",
                "United States",
                "ann.lee@example.org",
                "+1 202 555 0100",
            ],
        ),
        (
            "de-spreadsheet.csv",
            &[
                "Anna Schmidt",
                "ver.di Berlin",
                "Hauptstraße 1",
                "10115 Berlin",
                "Germany",
                "anna@example.de",
            ],
        ),
        (
            "fr-spreadsheet.csv",
            &["Anne Martin", "75001 Paris", "France", "anne@example.fr"],
        ),
        (
            "sv-spreadsheet.csv",
            &[
                "Anna Svensson",
                "111 22 Stockholm",
                "Sweden",
                "anna@example.se",
            ],
        ),
        (
            "ru-spreadsheet.csv",
            &["Анна Иванова", "Москва", "Russia", "anna@example.ru"],
        ),
    ];
    for (file, block) in cases {
        let (code, out, err) = run(protest()
            .args([
                "write",
                "mamai",
                "--to",
                "gb-london",
                "--date",
                "2017-01-01",
            ])
            .arg("--senders")
            .arg(fixture(&format!("exports/{file}"))));
        assert_eq!(code, 0, "{file}: {err}");
        let expected = block.join("\n") + "\n";
        assert!(out.starts_with(&expected), "{file}:\n{out}");
    }
}

#[test]
fn columns_nothing_reads_are_listed_by_a_dry_run_and_warned_about_once() {
    let csv = fixture("exports/mailchimp.csv");
    let (code, out, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--date",
            "2017-01-01",
            "--dry-run",
        ])
        .arg("--senders")
        .arg(&csv));
    assert_eq!(code, 0, "{err}");
    // Birthday is the member's own data no letter reads; MEMBER_RATING, OPTIN_TIME and
    // the like are Mailchimp's and not worth a word.
    assert!(
        out.starts_with("Note: no letter uses the column `Birthday`:"),
        "{out}"
    );
    assert!(
        !out.contains("MEMBER_RATING") && !err.contains("Birthday"),
        "{out}{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--date",
            "2017-01-01",
        ])
        .arg("--senders")
        .arg(&csv)
        .arg("--out")
        .arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert_eq!(err.matches("`Birthday`").count(), 1, "{err}");
    assert!(
        err.contains("warning: no letter uses the column `Birthday`"),
        "{err}"
    );

    // A column the file name reads is used.
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--date",
            "2017-01-01",
        ])
        .args(["--file-name", "{{extra.birthday}}-{{sender.name}}"])
        .arg("--senders")
        .arg(&csv)
        .arg("--out")
        .arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("Birthday"), "{err}");
}

#[test]
fn the_town_and_postcode_reach_the_sender_block_and_the_pdf_return_line() {
    let (code, out, err) = run(protest().args([
        "write",
        "mamai",
        "--to",
        "de-berlin",
        "--date",
        "2017-01-01",
        "--name",
        "Ann Lee",
        "--address",
        "1 High St",
        "--town",
        "Leeds",
        "--postcode",
        "LS1 4AP",
        "--from-country",
        "GB",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Ann Lee\n1 High St\nLeeds LS1 4AP\nUnited Kingdom\n"),
        "{out}"
    );

    // The town alone, without an address: still printed, once.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("letter.pdf");
    let (code, _, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--date",
            "2017-01-01",
        ])
        .args([
            "--name", "Ann Lee", "--town", "Leeds", "--format", "pdf", "-o",
        ])
        .arg(&pdf));
    assert_eq!(code, 0, "{err}");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8(text.stdout).unwrap();
    let return_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("Ann Lee,"))
        .unwrap_or_else(|| panic!("no return line in:\n{text}"));
    assert_eq!(return_line.trim(), "Ann Lee, Leeds", "{text}");
    assert_eq!(
        text.matches("Leeds").count(),
        2,
        "return line and sender block: {text}"
    );
}
