//! Letters that are true on the day they are dated: every way an ask stops
//! fitting is refused with the event behind it, before anything is written;
//! old news is warned about; archived letters are listed apart; authorities
//! are addressed as such; a data folder can replace the built-in data.
//!
//! The people and letters are fixtures (tests/fixtures/timeline), so these
//! tests do not change when the shipped data is brought up to date.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, protest, run};

/// The help of a refusal when no other letter is current for the person: `as_of` is the first
/// day the letter was current, `DATE` when there is none.
fn no_current(as_of: &str) -> String {
    format!("  help: `protest letters` lists the current letters, and `protest letters prisoners` each person's timeline with its sources; --as-of {as_of} writes its historical text, dated a day it was current; --force does not change facts\n")
}

/// `protest write LETTER --to gb-london --name A --date DATE --letters <fixtures>`.
fn write(letter: &str, date: &str) -> assert_cmd::Command {
    let mut cmd = protest();
    cmd.args([
        "write",
        letter,
        "--to",
        "gb-london",
        "--name",
        "A",
        "--date",
        date,
    ])
    .arg("--letters")
    .arg(fixture("timeline"));
    cmd
}

/// A batch of two senders to `--out DIR`, which must not exist afterwards.
fn batch_writes_nothing(letter: &str, date: &str, expected_err: &str) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("members.csv");
    std::fs::write(&csv, "name,country\nAnn Lee,GB\nBo Chan,DE\n").unwrap();
    let out = dir.path().join("out");
    let (code, stdout, err) = run(protest()
        .args(["write", letter, "--date", date, "--senders"])
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .arg("--letters")
        .arg(fixture("timeline")));
    assert_eq!((code, stdout.as_str()), (65, ""), "{err}");
    assert_eq!(err, expected_err);
    assert!(!out.exists(), "a refused batch created {}", out.display());
}

/// Each kind of refusal: the exact message and exit 65, alone and in a
/// batch (where nothing is written), and --force changes none of it.
fn refused(letter: &str, date: &str, expected_err: &str) {
    let (code, out, err) = run(&mut write(letter, date));
    assert_eq!((code, out.as_str()), (65, ""), "{err}");
    assert_eq!(err, expected_err);
    // Onto a file that is there, which --force would replace.
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("letter.txt");
    std::fs::write(&mine, "mine\n").unwrap();
    let (code, _, forced) = run(write(letter, date).arg("--force").arg("-o").arg(&mine));
    assert_eq!((code, forced.as_str()), (65, expected_err));
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine\n");
    batch_writes_nothing(letter, date, expected_err);
}

#[test]
fn release_for_someone_released_is_refused() {
    refused(
        "free-freed",
        "2026-11-30",
        &format!(
            "error: letter `free-freed` asks for the release of Freed Person, who was released on 2021-03-01 (released: released at the end of the term; source: Test Source B)\n{}",
            no_current("2020-01-10")
        ),
    );
}

#[test]
fn release_for_someone_who_died_is_refused_and_points_to_the_current_letter() {
    refused(
        "free-late",
        "2026-11-30",
        "error: letter `free-late` asks for the release of Late Person, who died on 2022-05-05 (died: died in hospital; source: Test Source D)\n  help: use `protest write remember-late`, the current letter for Late Person; --as-of 2019-01-01 writes its historical text, dated a day it was current; --force does not change facts\n",
    );
}

#[test]
fn release_for_someone_under_restrictions_is_refused() {
    refused(
        "free-limited",
        "2026-11-30",
        "error: letter `free-limited` asks for the release of Limited Person, who is at liberty under restrictions since 2023-04-10 (suspended-sentence: sentenced to six years suspended, with a ban on journalism; source: Test Source F)\n  help: use `protest write lift-limited`, the current letter for Limited Person; --as-of 2022-02-25 writes its historical text, dated a day it was current; --force does not change facts\n",
    );
}

#[test]
fn release_for_someone_never_detained_is_refused() {
    refused(
        "free-named",
        "2026-11-30",
        &format!(
            "error: letter `free-named` asks for the release of Named Person, who was never detained, only named on 2015-09-28 (named: named at a picket; source: Test Source G)\n{}",
            no_current("DATE")
        ),
    );
}

#[test]
fn a_term_past_its_expected_end_makes_the_status_unknown() {
    // The day the term may end the letter still fits; after it, nobody knows.
    let (code, out, err) = run(&mut write("free-held", "2027-07-31"));
    assert_eq!(code, 0, "{err}");
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(
            "Held Person, test person in prison, is sentenced: sentenced to four years (2023-02-03)."
        ),
        "{out}"
    );
    refused(
        "free-held",
        "2027-08-01",
        &format!(
            "error: letter `free-held` asks for the release of Held Person, whose term was expected to end 2027-07, before 2027-08-01: the situation is unknown, check it (sentenced: sentenced to four years; source: Test Source I)\n{}",
            no_current("2022-07-03")
        ),
    );
}

#[test]
fn nothing_recorded_by_the_letters_date_is_unknown() {
    refused(
        "free-held",
        "2022-07-02",
        &format!(
            "error: letter `free-held` asks for the release of Held Person, but the data records nothing of Held Person on or before 2022-07-02\n{}",
            no_current("2022-07-03")
        ),
    );
}

#[test]
fn lifting_restrictions_fits_only_while_they_last() {
    let (code, _, err) = run(&mut write("lift-limited", "2026-11-30"));
    assert_eq!(code, 0, "{err}");
    // Before the suspended sentence he was held: lifting restrictions did not fit.
    let (code, _, err) = run(&mut write("lift-limited", "2022-03-01"));
    assert_eq!(code, 65);
    assert!(err.starts_with("error: letter `lift-limited` asks for the lifting of the restrictions on Limited Person, who is detained since 2022-02-25"), "{err}");
}

#[test]
fn old_news_is_warned_about_on_write_and_listed_by_check() {
    let (code, _, err) = run(&mut write("lift-limited", "2024-04-10"));
    assert_eq!(code, 0);
    assert_eq!(err, "", "news a year old to the day is not stale yet");
    let (code, out, err) = run(&mut write("lift-limited", "2029-01-01"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Limited Person"));
    assert_eq!(
        err,
        "warning: Limited Person: last reported 2023-04-10 (suspended-sentence); check before sending\n"
    );
    let (code, _, err) = run(protest()
        .env("SOURCE_DATE_EPOCH", "1861920000") // 2029-01-01
        .arg("check")
        .arg("--letters")
        .arg(fixture("timeline")));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "warning: {}:42: Limited Person: last reported 2023-04-10 (suspended-sentence); check before sending\n",
            fixture("timeline/prisoners.toml").display()
        )),
        "{err}"
    );
    // A death is not news that goes stale.
    assert!(!err.contains("Late Person: last reported"), "{err}");
}

#[test]
fn archived_letters_are_listed_apart_with_the_reason() {
    let letters = |date: &str, extra: &[&str]| {
        let (code, out, err) = run(protest()
            .args(["letters", "--date", date])
            .args(extra)
            .arg("--letters")
            .arg(fixture("timeline")));
        assert_eq!(code, 0, "{err}");
        out
    };
    let current = letters("2026-11-30", &[]);
    for id in ["lift-limited", "remember-late"] {
        assert!(
            current.contains(&format!("\n{id} ")),
            "{id} missing:\n{current}"
        );
    }
    for id in ["free-freed", "free-late", "bokayev-ayanov"] {
        assert!(
            !current.contains(&format!("\n{id} ")),
            "{id} offered:\n{current}"
        );
    }
    let archived = letters("2026-11-30", &["--archived"]);
    assert!(
        archived.contains(
            "archived: asks for the release of Freed Person, who was released on 2021-03-01\n"
        ),
        "{archived}"
    );
    assert!(!archived.contains("\nlift-limited "), "{archived}");
    // The same letter was current when it was true.
    let then = letters("2020-06-01", &[]);
    assert!(then.contains("\nfree-freed "), "{then}");

    let (code, out, _) = run(protest()
        .args([
            "letters",
            "show",
            "free-freed",
            "--date",
            "2026-11-30",
            "--letters",
        ])
        .arg(fixture("timeline")));
    assert_eq!(code, 0);
    assert!(
        out.contains("ARCHIVED on 2026-11-30: asks for the release of Freed Person, who was released on 2021-03-01\n"),
        "{out}"
    );
    assert!(
        out.contains("    2021-03-01  released            released at the end of the term\n"),
        "{out}"
    );
    assert!(
        out.contains("source: Test Source B (confidence high)"),
        "{out}"
    );
}

#[test]
fn the_timeline_is_listed_with_sources_and_as_json() {
    let (code, out, _) = run(protest()
        .args(["letters", "prisoners", "--date", "2026-11-30", "--letters"])
        .arg(fixture("timeline")));
    assert_eq!(code, 0);
    assert!(
        out.contains("  Limited Person (limited-person): restricted since 2023-04-10\n"),
        "{out}"
    );
    assert!(out.contains("    2023-04-10  suspended-sentence  sentenced to six years suspended, with a ban on journalism (until 2029-04)\n"), "{out}");
    let (code, out, _) = run(protest()
        .args([
            "letters",
            "prisoners",
            "--json",
            "--date",
            "2026-11-30",
            "--letters",
        ])
        .arg(fixture("timeline")));
    assert_eq!(code, 0);
    let people: serde_json::Value = serde_json::from_str(&out).unwrap();
    let held = people["prisoners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["prisoner"] == "held-person")
        .unwrap();
    assert_eq!(held["status"], "sentenced");
    assert_eq!(held["status_since"], "2023-02-03");
    assert_eq!(held["event"][1]["until"], "2027-07");
    assert_eq!(held["event"][1]["source"], "Test Source I");
}

/// `write lift-limited` to the President, from the United Kingdom.
fn to_the_president(extra: &[&str]) -> (i32, String, String) {
    run(protest()
        .args([
            "write",
            "lift-limited",
            "--to",
            "kz-president",
            "--date",
            "2026-11-30",
            "--name",
            "Ann Lee",
            "--from-country",
            "GB",
            "--email",
            "ann@example.org",
        ])
        .args(extra)
        .arg("--letters")
        .arg(fixture("timeline"))
        .arg("--embassies")
        .arg(fixture("authorities.toml")))
}

#[test]
fn an_authority_is_addressed_by_title_with_the_country_line() {
    let (code, out, err) = to_the_president(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("H.E.\u{a0}Kassym-Jomart Tokayev\nPresident of the Republic of Kazakhstan\nGovernment House (Akorda)\nMangilik Yel St 6\nAstana\nKAZAKHSTAN\n"),
        "{out}"
    );
    assert!(out.contains("\nYour Excellency,\n"), "{out}");
    // Not a mission abroad: --all leaves it out.
    let (code, out, _) = run(protest()
        .args(["embassies", "--embassies"])
        .arg(fixture("authorities.toml")));
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .any(|l| l.starts_with("kz-president ")
                && l.split_whitespace().nth(1) == Some("authority")),
        "{out}"
    );
    assert!(
        out.contains(" and 1 authority in Kazakhstan (kind authority)"),
        "{out}"
    );
}

#[test]
fn cc_embassy_names_the_senders_embassy_on_the_letter_and_in_the_draft() {
    let (code, out, err) = to_the_president(&["--cc-embassy"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("cc: Embassy of the Republic of Kazakhstan, London"),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("letter.eml");
    let (code, _, err) = to_the_president(&[
        "--cc-embassy",
        "--format",
        "eml",
        "-o",
        eml.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&eml).unwrap();
    let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(
        message.to().unwrap().first().unwrap().address(),
        Some("udp@udp-rk.kz")
    );
    let cc = message.cc().expect("a Cc header").first().unwrap();
    assert_eq!(cc.address(), Some("london@mfa.kz"));
    assert_eq!(
        cc.name(),
        Some("Embassy of the Republic of Kazakhstan, London")
    );
    // Without the sender's country there is no embassy to copy.
    let (code, _, err) = run(protest()
        .args([
            "write",
            "lift-limited",
            "--to",
            "kz-president",
            "--name",
            "A",
            "--cc-embassy",
            "--date",
            "2026-11-30",
        ])
        .arg("--letters")
        .arg(fixture("timeline"))
        .arg("--embassies")
        .arg(fixture("authorities.toml")));
    assert_eq!(code, 2);
    assert!(err.contains("error: --cc-embassy copies the letter to the mission in the sender's country, but the sender has no country\n"), "{err}");
}

#[test]
fn a_country_without_a_mission_says_which_one_covers_it() {
    let (code, out, err) = run(&mut {
        let mut cmd = protest();
        cmd.args([
            "write",
            "lift-limited",
            "--country",
            "DK",
            "--name",
            "A",
            "--date",
            "2026-11-30",
        ])
        .arg("--letters")
        .arg(fixture("timeline"));
        cmd
    });
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Stockholm"), "{out}");
    assert!(
        err.contains("note: Denmark: covered by the Embassy in Stockholm\n"),
        "{err}"
    );
    // The same when the sender's country picks the mission.
    let (code, _, err) = run(protest()
        .args([
            "write",
            "lift-limited",
            "--from-country",
            "Denmark",
            "--name",
            "A",
            "--date",
            "2026-11-30",
            "--letters",
        ])
        .arg(fixture("timeline")));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("note: Denmark: covered by the Embassy in Stockholm\n"),
        "{err}"
    );
    let (code, out, _) = run(protest().args(["embassies", "--country", "DK"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Denmark: covered by the Embassy in Stockholm\n"),
        "{out}"
    );
}

/// A data folder laid out as a campaign would publish it.
fn data_folder(root: &Path) -> PathBuf {
    let data = root.join("campaign");
    std::fs::create_dir_all(data.join("letters")).unwrap();
    for entry in std::fs::read_dir(fixture("timeline")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join("letters").join(path.file_name().unwrap())).unwrap();
    }
    std::fs::copy(fixture("authorities.toml"), data.join("embassies.toml")).unwrap();
    data
}

fn listed_ids(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    run(cmd.args(["letters", "--date", "2026-11-30"]))
}

#[test]
fn protest_data_and_the_config_file_add_a_campaigns_data() {
    let home = tempfile::tempdir().unwrap();
    let data = data_folder(home.path());
    let config_home = home.path().join("config");
    std::fs::create_dir_all(config_home.join("protest")).unwrap();
    let isolated = || {
        let mut cmd = protest();
        cmd.env("HOME", home.path())
            .env("XDG_CONFIG_HOME", &config_home);
        cmd
    };

    let (_, out, _) = listed_ids(&mut isolated());
    assert!(!out.contains("lift-limited"), "{out}");

    let (code, out, err) = listed_ids(isolated().env("PROTEST_DATA", &data));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\nlift-limited "), "{out}");

    let config = config_home.join("protest/config.toml");
    std::fs::write(
        &config,
        "# our campaign\ndata = \"../../campaign\"\n[smtp]\nurl = \"smtp://127.0.0.1:2525\"\n",
    )
    .unwrap();
    let (code, out, err) = listed_ids(&mut isolated());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\nlift-limited "), "{out}");
    // The folder's embassies.toml is merged too.
    let (code, _, err) = run(isolated().args([
        "write",
        "lift-limited",
        "--to",
        "kz-president",
        "--name",
        "A",
        "--date",
        "2026-11-30",
    ]));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(isolated().arg("check"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(data folder "), "{out}");

    // The variable wins over the file: a folder that is not there is an error naming it.
    let (code, _, err) = run(isolated()
        .env("PROTEST_DATA", home.path().join("none"))
        .arg("check"));
    assert_eq!(code, 66);
    assert!(
        err.starts_with(&format!(
            "error: PROTEST_DATA={}: no such directory\n",
            home.path().join("none").display()
        )),
        "{err}"
    );
    std::fs::write(&config, "data = \"/nowhere/campaign\"\n").unwrap();
    let (code, _, err) = run(isolated().arg("check"));
    assert_eq!(code, 66);
    assert!(
        err.starts_with(&format!(
            "error: {}:1: data = \"/nowhere/campaign\": no such directory\n",
            config.display()
        )),
        "{err}"
    );
    std::fs::write(&config, "data = [\"x\"]\n").unwrap();
    let (code, _, err) = run(isolated().arg("letters"));
    assert_eq!(code, 65);
    assert!(
        err.starts_with(&format!("error: {}:1: ", config.display())),
        "{err}"
    );
}

#[test]
fn flags_go_over_the_data_folder() {
    let home = tempfile::tempdir().unwrap();
    let data = data_folder(home.path());
    let own = home.path().join("own");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::write(
        own.join("lift-limited.hbs"),
        "+++\nid = \"lift-limited\"\ntitle = \"Our own\"\nlanguage = \"en-GB\"\nsubject = \"S\"\nprisoners = [\"limited-person\"]\nask = \"lift-restrictions\"\nsource = \"s\"\n+++\nOur own words for {{names prisoners}}.\n",
    )
    .unwrap();
    let (code, out, err) = run(protest()
        .env("PROTEST_DATA", &data)
        .args([
            "write",
            "lift-limited",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--date",
            "2026-11-30",
            "--letters",
        ])
        .arg(&own));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Our own words for Limited Person."), "{out}");
}

#[test]
fn every_command_that_reads_facts_as_of_a_date_refuses_a_bad_date_alike() {
    for bad in ["2026-13-01", "30.11.2026", "2999-01-01"] {
        let (write_code, _, write_err) = run(&mut write("free-held", bad));
        let (code, out, err) = run(protest().args(["letters", "--date", bad]));
        assert_eq!((code, write_code), (2, 2), "{err}{write_err}");
        assert!(
            err.starts_with(&format!("error: --date: `{bad}` ")),
            "{err}"
        );
        assert_eq!(err, write_err);
        assert_eq!(out, "");
    }
}

/// A data folder's files are found by listing it: one that is a FIFO, a
/// device or a directory is refused by name, never read (a FIFO would hang).
#[test]
fn a_data_folder_file_that_is_not_a_regular_file_is_refused() {
    for name in ["letters/x.hbs", "letters/prisoners.toml", "embassies.toml"] {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join("data");
        std::fs::create_dir_all(data.join("letters")).unwrap();
        let path = data.join(name);
        assert!(std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap()
            .success());
        let (code, _, err) = run(protest()
            .env("PROTEST_DATA", &data)
            .arg("letters")
            .timeout(std::time::Duration::from_secs(60)));
        assert_eq!(code, 65, "{name}: {err}");
        assert_eq!(
            err,
            format!(
                "error: {}: not a regular file: a FIFO, socket or device\n  help: a data folder holds letters/*.hbs, letters/prisoners.toml and embassies.toml as ordinary files; move this away or rename it\n",
                path.display()
            )
        );
    }
}

/// The timeline fixtures in a folder of their own, with `edit` made to the
/// people: `--letters DIR` for the edited copy.
fn edited_people(root: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let letters = root.join("letters");
    common::copy_dir(&fixture("timeline"), &letters);
    let people = letters.join("prisoners.toml");
    let text = std::fs::read_to_string(&people).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changes the people");
    std::fs::write(&people, edited).unwrap();
    letters
}

#[test]
fn a_sentence_or_restriction_without_its_end_is_refused_by_check() {
    for (kind, until) in [
        ("sentenced", "until = \"2027-07\"\n"),
        ("suspended-sentence", "until = \"2029-04\"\n"),
    ] {
        let root = tempfile::tempdir().unwrap();
        let letters = edited_people(root.path(), |text| text.replacen(until, "", 1));
        let (code, _, err) = run(protest()
            .env("SOURCE_DATE_EPOCH", "1796083200") // 2026-12-01
            .args(["check", "--letters"])
            .arg(&letters));
        assert_eq!(code, 65, "{kind}: {err}");
        let (person, date, name, noun) = match kind {
            "sentenced" => ("held-person", "2023-02-03", "Held Person", "sentence"),
            _ => (
                "limited-person",
                "2023-04-10",
                "Limited Person",
                "suspended sentence",
            ),
        };
        assert!(
            err.contains(&format!(
                "{person}: the {noun} of {date} has no `until`: add the month its term ends (by your count, from the sentence and the time already served), or letters will ask for {name} for ever"
            )),
            "{kind}: {err}"
        );
    }
}

#[test]
fn a_detention_a_year_unreported_is_unknown_and_refused() {
    // Held Person arrested on 2022-07-03, and nothing heard of since.
    let root = tempfile::tempdir().unwrap();
    let letters = edited_people(root.path(), |text| {
        let sentence = text.find("date = \"2023-02-03\"").unwrap();
        let event = text[..sentence].rfind("[[prisoner.event]]").unwrap();
        text[..event].to_string()
    });
    let write = |date: &str| {
        let mut cmd = protest();
        cmd.args(["write", "free-held", "--to", "gb-london", "--name", "A"])
            .args(["--as-of", date, "--letters"])
            .arg(&letters);
        run(&mut cmd)
    };
    let (code, _, err) = write("2023-07-03");
    assert_eq!(code, 0, "a year to the day is still news: {err}");
    let (code, out, err) = write("2023-07-04");
    assert_eq!((code, out.as_str()), (65, ""), "{err}");
    assert!(
        err.starts_with("error: letter `free-held` asks for the release of Held Person, who was arrested on 2022-07-03, with nothing reported since 2022-07-03: by 2023-07-04 the situation is unknown, check it (arrested: detained by the police; source: Test Source H)\n"),
        "{err}"
    );
}
