//! The command line as a user meets it: letters, lookups, errors and exit codes.

mod common;

use common::{example_sender, fixture, protest, run};
use std::path::Path;

#[test]
fn london_letter_names_both_prisoners_the_mission_and_the_sender() {
    let (code, out, err) = run(protest()
        .args([
            "write",
            "bokayev-ayanov",
            "--to",
            "gb-london",
            // When the letter was true: both men were serving their sentences.
            "--as-of",
            "2017-02-01",
            "--sender",
        ])
        .arg(example_sender()));
    assert_eq!(code, 0, "{err}");
    for expected in [
        "Max Bokayev",
        "Talgat Ayanov",
        "Embassy of the Republic of Kazakhstan\n",
        "125 Pall Mall\nLondon SW1Y 5EA\n",
        "Jane Smith\nBranch Secretary\nUnite the Union, Leeds Community Branch\n12 Example Street\n",
        "\n1\u{a0}February 2017\n",
        "The Ambassador\n",
        "\nYour Excellency,\n",
        "\nYours sincerely,\n",
    ] {
        assert!(out.contains(expected), "letter lacks {expected:?}:\n{out}");
    }
    // A sender in the UK writing to London: no country line on the address.
    assert!(!out.contains("UNITED KINGDOM"), "{out}");
    for line in out.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 72,
            "too wide: {line:?}"
        );
    }
}

#[test]
fn a_letter_abroad_carries_the_country_in_capitals_and_the_us_date() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("usa.hbs"),
        "+++\nid = \"usa\"\ntitle = \"T\"\nlanguage = \"en-US\"\nsubject = \"Free {{names prisoners}}\"\nprisoners = [\"zhanbolat-mamai\", \"max-bokayev\", \"talgat-ayanov\"]\nsource = \"test\"\n+++\nFree {{names prisoners}} now.\n",
    )
    .unwrap();
    let (code, out, err) = run(protest()
        .args([
            "write",
            "usa",
            "--to",
            "de-berlin",
            "--as-of",
            "2017-05-01",
            "--name",
            "Ann Lee",
            "--letters",
        ])
        .arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\nMay 1, 2017\n"), "{out}");
    assert!(
        out.contains("Nordendstraße 14-17\n13156 Berlin\nGERMANY\n"),
        "{out}"
    );
    assert!(
        out.contains("Free Zhanbolat Mamai, Max Bokayev and Talgat Ayanov\n"),
        "{out}"
    );
    assert!(out.contains("\nRespectfully,\n"), "{out}");
}

#[test]
fn country_names_codes_and_aliases_pick_the_same_embassy() {
    let mut letters = Vec::new();
    for country in ["GB", "UK", "United Kingdom"] {
        let (code, out, err) = run(protest().args([
            "write",
            "mamai",
            "--country",
            country,
            "--name",
            "A",
            "--as-of",
            "2017-05-01",
        ]));
        assert_eq!(code, 0, "{country}: {err}");
        letters.push(out);
    }
    assert!(letters[0].contains("125 Pall Mall"));
    assert_eq!(letters[0], letters[1]);
    assert_eq!(letters[1], letters[2]);
}

#[test]
fn missing_variable_names_file_line_and_variable() {
    let (code, out, err) = run(protest()
        .args([
            "write",
            "typo",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--as-of",
            "2017-05-01",
            "--letters",
        ])
        .arg(fixture("broken-letters")));
    assert_eq!(code, 65);
    assert_eq!(out, "", "no letter with a blank in it is written");
    let file = fixture("broken-letters/typo.hbs");
    assert_eq!(
        err,
        format!(
            "error: {}:11: `recipient.ambassador_name` is not a variable the letter data has\n  help: `protest letters --help` lists the variables a template can use\n",
            file.display()
        )
    );
}

#[test]
fn an_overlay_entry_replaces_the_shipped_one_and_adds_new_ones() {
    let (code, out, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--as-of",
            "2017-05-01",
            "--embassies",
        ])
        .arg(fixture("own-embassies.toml")));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("H.E.\u{a0}Ms Test Ambassador\nAmbassador of the Republic of Kazakhstan\n"),
        "{out}"
    );
    let (code, out, _) = run(protest()
        .args(["embassies", "--json", "--embassies"])
        .arg(fixture("own-embassies.toml")));
    assert_eq!(code, 0);
    let all: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = all["missions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mission"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"ie-dublin") && ids.contains(&"de-berlin"));
    assert_eq!(ids.iter().filter(|id| **id == "gb-london").count(), 1);
}

#[test]
fn an_own_template_replaces_the_shipped_one_with_the_same_id() {
    let (code, out, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--as-of",
            "2017-05-01",
            "--letters",
        ])
        .arg(fixture("own-letters")));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Our branch asks you to free Zhanbolat Mamai, the editor of Sayasi Qalam."),
        "{out}"
    );
}

#[test]
fn unknown_ids_suggest_the_closest_and_exit_2() {
    let (code, _, err) =
        run(protest().args(["write", "bokayev-ayanv", "--to", "gb-london", "--name", "A"]));
    assert_eq!(code, 2);
    assert_eq!(err, "error: no letter with id `bokayev-ayanv`\n  help: did you mean `bokayev-ayanov`? `protest letters` lists them all\n");
    let (code, _, err) = run(protest().args(["embassies", "show", "gb-londn"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `gb-london`?"), "{err}");
}

#[test]
fn no_name_no_recipient_and_missing_files_have_their_own_messages() {
    let (code, _, err) = run(protest().args([
        "write",
        "mamai",
        "--as-of",
        "2017-05-01",
        "--to",
        "gb-london",
    ]));
    assert_eq!(
        (code, err.lines().next().unwrap()),
        (2, "error: the sender has no name")
    );
    let (code, _, err) =
        run(protest().args(["write", "mamai", "--as-of", "2017-05-01", "--name", "A"]));
    assert_eq!(
        (code, err.lines().next().unwrap()),
        (2, "error: who is the letter to? the sender has no country")
    );
    let (code, _, err) = run(protest().args([
        "write",
        "mamai",
        "--as-of",
        "2017-05-01",
        "--to",
        "gb-london",
        "--sender",
        "/nonexistent/me.toml",
    ]));
    assert_eq!(
        (code, err.as_str()),
        (66, "error: /nonexistent/me.toml: no such file\n")
    );
}

#[test]
fn a_bad_sender_file_names_the_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("me.toml");
    std::fs::write(&path, "name = \"Ann Lee\"\nemial = \"ann@example.org\"\n").unwrap();
    let (code, _, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--as-of",
            "2017-05-01",
            "--to",
            "gb-london",
            "--sender",
        ])
        .arg(&path));
    assert_eq!(code, 65);
    assert!(
        err.starts_with(&format!(
            "error: {}:2: unknown field `emial`, expected one of",
            path.display()
        )),
        "{err}"
    );
}

#[test]
fn output_file_is_written_once_and_never_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.txt");
    std::fs::write(&path, "my own notes\n").unwrap();
    let (code, _, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--as-of",
            "2017-05-01",
            "--to",
            "gb-london",
            "--name",
            "A",
            "-o",
        ])
        .arg(&path));
    assert_eq!(code, 73);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my own notes\n");
    let (code, _, _) = run(protest()
        .args([
            "write",
            "mamai",
            "--as-of",
            "2017-05-01",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--force",
            "-o",
        ])
        .arg(&path));
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("Zhanbolat Mamai"));
}

#[test]
fn check_passes_on_shipped_data() {
    let (code, out, err) = run(protest().arg("check"));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ok: "), "{out}");
    assert!(!err.contains("error:"), "{err}");
}

#[test]
fn the_shipped_data_passes_the_checks_a_users_files_get() {
    // A run does not check again a file whose text is, word for word, one
    // of a shipped campaign's. Each shipped campaign's folder, copied with a
    // comment added to every file, is checked as a user's files are, and
    // passes; a bad value in any kind of its files is refused.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns");
    let mut campaigns = 0;
    for campaign in std::fs::read_dir(&root).unwrap() {
        let campaign = campaign.unwrap().path();
        let copy = tempfile::tempdir().unwrap();
        let mut files = vec!["campaign.toml".to_string(), "embassies.toml".to_string()];
        for entry in std::fs::read_dir(campaign.join("letters")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            files.push(format!("letters/{name}"));
        }
        std::fs::create_dir(copy.path().join("letters")).unwrap();
        let mut letters = 0;
        for file in &files {
            let text = std::fs::read_to_string(campaign.join(file)).unwrap();
            let comment = match file.ends_with(".hbs") {
                true => "{{!-- a copy --}}",
                false => "# a copy",
            };
            std::fs::write(copy.path().join(file), format!("{text}{comment}\n")).unwrap();
            letters += file.ends_with(".hbs") as usize;
        }
        assert!(letters > 10, "{}: {letters} letters", campaign.display());
        let check = || {
            run(protest()
                .arg("--campaign")
                .arg(copy.path())
                .arg("check")
                .env("NO_COLOR", "1"))
        };
        let (code, out, err) = check();
        assert_eq!(code, 0, "{}: {err}", campaign.display());
        assert!(out.starts_with("ok: "), "{out}");
        let letter = files.iter().find(|f| f.ends_with(".hbs")).unwrap();
        for (file, after, key) in [
            ("embassies.toml", "[[mission]]", "name = \""),
            ("letters/prisoners.toml", "[[prisoner]]", "name = \""),
            ("campaign.toml", "[[authority]]", "name = \""),
            (letter.as_str(), "+++", "subject = \""),
        ] {
            let path = copy.path().join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let Some(start) = text.find(after) else {
                continue;
            };
            let at = start + text[start..].find(key).unwrap() + key.len();
            let bad = format!("{}\u{202e}{}", &text[..at], &text[at..]);
            std::fs::write(&path, bad).unwrap();
            let (code, _, err) = check();
            assert_eq!(code, 65, "{file}: {err}");
            assert!(
                err.contains(&format!("{file}:")) && err.contains("the control character U+202E"),
                "{file}: {err}"
            );
            std::fs::write(&path, text).unwrap();
        }
        campaigns += 1;
    }
    assert!(campaigns >= 1);
}

#[test]
fn check_fails_on_broken_fixtures_with_file_line_and_field() {
    let (code, _, err) = run(protest()
        .args(["check", "--embassies"])
        .arg(fixture("broken-embassies.toml"))
        .arg("--letters")
        .arg(fixture("broken-letters")));
    assert_eq!(code, 65, "{err}");
    let file = fixture("broken-embassies.toml").display().to_string();
    for expected in [
        format!("error: {file}:4: xx-nowhere: country `XX` is not an ISO 3166-1 alpha-2 code"),
        format!("error: {file}:7: xx-nowhere: email `not-an-email` is not an email address"),
        format!("error: {file}:2: xx-nowhere: no `source`: say where the data came from"),
        format!(
            "error: {}:11: `recipient.ambassador_name` is not a variable the letter data has",
            fixture("broken-letters/typo.hbs").display()
        ),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn json_listings_have_an_id_and_the_fields_the_text_shows() {
    let (code, out, _) = run(protest().args(["letters", "--json", "--date", "2017-06-01"]));
    assert_eq!(code, 0);
    let letters: serde_json::Value = serde_json::from_str(&out).unwrap();
    let letters = letters["letters"].as_array().unwrap();
    assert!(letters.len() >= 5);
    let bokayev = letters
        .iter()
        .find(|l| l["letter"] == "bokayev-ayanov")
        .unwrap();
    assert_eq!(bokayev["language"], "en-GB");
    assert_eq!(
        bokayev["prisoner_names"],
        serde_json::json!(["Max Bokayev", "Talgat Ayanov"])
    );

    let (code, out, _) = run(protest().args(["embassies", "show", "gb-london", "--json"]));
    assert_eq!(code, 0);
    let london: serde_json::Value = serde_json::from_str(&out).unwrap();
    let london = &london["missions"];
    assert_eq!(
        london[0]["address"],
        serde_json::json!(["Kazakhstan House", "125 Pall Mall", "London SW1Y 5EA"])
    );
    assert_eq!(london[0]["country_name"], "United Kingdom");
    assert!(london[0]["verified"].is_string() && london[0]["confidence"].is_string());
}

#[test]
fn a_mission_without_a_postal_address_is_said_before_writing() {
    let (code, out, err) = run(protest().args([
        "write",
        "mamai",
        "--as-of",
        "2017-05-01",
        "--to",
        "se-stockholm",
        "--name",
        "A",
    ]));
    assert_eq!(code, 0);
    assert!(
        err.contains("warning: se-stockholm: the directory has no postal address"),
        "{err}"
    );
    assert!(
        out.contains("Embassy of the Republic of Kazakhstan\nStockholm\nSWEDEN\n"),
        "{out}"
    );
}

#[test]
fn the_senders_country_decides_the_country_line_and_the_default_mission() {
    let (code, out, err) = run(protest().args([
        "write",
        "mamai",
        "--as-of",
        "2017-05-01",
        "--name",
        "A",
        "--from-country",
        "Germany",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Nordendstraße 14-17\n13156 Berlin\n\n"),
        "no country line at home:\n{out}"
    );
    let (code, out, _) = run(protest().args([
        "write",
        "mamai",
        "--as-of",
        "2017-05-01",
        "--name",
        "A",
        "--from-country",
        "DE",
        "--to",
        "gb-london",
    ]));
    assert_eq!(code, 0);
    assert!(
        out.contains("A\nGermany\n"),
        "the sender's country abroad:\n{out}"
    );
    assert!(out.contains("London SW1Y 5EA\nUNITED KINGDOM\n"), "{out}");
}
