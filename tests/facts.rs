//! Issue 20: every sentence of a letter true and sourced. A refusal names
//! each person whose status does not fit with their own event; an archived
//! letter is refused in every mode and written only with `--as-of`, dated
//! that day; a letter is never dated before the newest fact it states; and
//! `check` refuses a number, date or quotation no listed fact carries.

mod common;

use std::path::{Path, PathBuf};

use common::{example_sender, fixture, protest};

/// Runs protest and reads its output as words: the no-break spaces that
/// typography puts in dates ("1\u{a0}May 2017") are pinned in tests/russian.rs,
/// and here would only hide the facts these tests are about.
fn run(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let (code, out, err) = common::run(cmd);
    let words = |s: String| s.replace('\u{a0}', " ");
    (code, words(out), words(err))
}

/// A letters directory holding the timeline fixtures' people and `files`.
fn letters_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("timeline/prisoners.toml"),
        dir.path().join("prisoners.toml"),
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const FREE_TWO: &str = "+++\nid = \"free-two\"\ntitle = \"Free them\"\nlanguage = \"en-GB\"\n\
    subject = \"Release of these people\"\nprisoners = [\"freed-person\", \"late-person\"]\n\
    source = \"test\"\n+++\nI ask for the release of {{names prisoners}}.\n";

/// Every way a user can ask for letters: one to standard output, one to a
/// file, every mission, a senders batch, and several letters at once.
fn every_mode(letter: &str, dir: &Path) -> Vec<(String, Vec<String>, PathBuf)> {
    let csv = dir.join("members.csv");
    std::fs::write(&csv, "name,country\nAnn Lee,GB\nBo Chan,DE\n").unwrap();
    let out = |name: &str| dir.join(name);
    let s = |p: PathBuf| p.display().to_string();
    let sender = s(example_sender());
    vec![
        (
            "one letter".into(),
            vec![letter, "--to", "gb-london", "--sender", &sender]
                .into_iter()
                .map(String::from)
                .collect(),
            out("none"),
        ),
        (
            "-o FILE".into(),
            vec![
                letter.into(),
                "--to".into(),
                "gb-london".into(),
                "--sender".into(),
                sender.clone(),
                "-o".into(),
                s(out("one.txt")),
            ],
            out("one.txt"),
        ),
        (
            "--all".into(),
            vec![
                letter.into(),
                "--all".into(),
                "--sender".into(),
                sender.clone(),
                "--out".into(),
                s(out("all")),
            ],
            out("all"),
        ),
        (
            "--senders".into(),
            vec![
                letter.into(),
                "--to".into(),
                "gb-london".into(),
                "--senders".into(),
                s(csv.clone()),
                "--format".into(),
                "pdf".into(),
                "--out".into(),
                s(out("batch")),
            ],
            out("batch"),
        ),
        (
            "several letters".into(),
            vec![
                "zhanaozen".into(),
                letter.into(),
                "--to".into(),
                "de-berlin".into(),
                "--sender".into(),
                sender,
                "--combine".into(),
                s(out("copies.pdf")),
            ],
            out("copies.pdf"),
        ),
    ]
}

#[test]
fn a_refusal_gives_each_person_their_own_event_date_and_source_in_every_mode() {
    let letters = letters_dir(&[("free-two.hbs", FREE_TWO)]);
    let expected = "error: letter `free-two` does not fit the facts on 2026-11-30:\n  \
        - it asks for the release of Freed Person, who was released on 2021-03-01 (released: released at the end of the term; source: Test Source B)\n  \
        - it asks for the release of Late Person, who died on 2022-05-05 (died: died in hospital; source: Test Source D)\n  \
        help: `protest letters` lists the current letters, and `protest letters prisoners` each person's timeline with its sources; \
        --as-of 2020-01-10 writes its historical text, dated a day it was current; --force does not change facts\n";
    for (mode, args, output) in every_mode("free-two", letters.path()) {
        // --force replaces files, never facts; standard output has no file
        // to replace, and refuses it as doing nothing.
        let force = (mode != "one letter").then_some("--force");
        let (code, out, err) = run(protest()
            .arg("write")
            .args(&args)
            .args(["--date", "2026-11-30"])
            .args(force)
            .arg("--letters")
            .arg(letters.path()));
        assert_eq!((code, out.as_str()), (65, ""), "{mode}: {err}");
        assert_eq!(err, expected, "{mode}");
        assert!(!err.contains("the same goes for"), "{mode}");
        assert!(!output.exists(), "{mode}: {} was written", output.display());
    }
    // The listing gives each reason on its own line too.
    let (code, out, _) = run(protest()
        .args(["letters", "--archived", "--date", "2026-11-30", "--letters"])
        .arg(letters.path()));
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "archived: asks for the release of Freed Person, who was released on 2021-03-01\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("archived: asks for the release of Late Person, who died on 2022-05-05\n"),
        "{out}"
    );
}

#[test]
fn the_shipped_letter_for_all_political_prisoners_names_atabeks_death_apart_from_the_releases() {
    let (code, _, err) = run(protest().args([
        "write",
        "all-political-prisoners",
        "--to",
        "gb-london",
        "--name",
        "A",
        "--date",
        "2026-11-30",
    ]));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains(
            "\n  - it asks for the release of Aron Atabek, who died on 2021-11-24 (died: "
        ),
        "{err}"
    );
    assert!(
        err.contains("\n  - it asks for the release of Max Bokayev, who was released on 2021-02-04 (released: "),
        "{err}"
    );
    assert!(
        err.contains("Vadim Kuramshin, who was released on 2024-02-01 (a low-confidence report)"),
        "{err}"
    );
    assert!(!err.contains("the same goes for"), "{err}");
}

#[test]
fn an_archived_letter_is_refused_in_every_mode_and_written_with_as_of_dated_that_day() {
    let dir = tempfile::tempdir().unwrap();
    for letter in ["mamai", "january-2022"] {
        for (mode, args, output) in every_mode(letter, dir.path()) {
            let (code, out, err) = run(protest().arg("write").args(&args));
            assert_eq!((code, out.as_str()), (65, ""), "{letter}, {mode}: {err}");
            assert!(
                err.starts_with(&format!("error: letter `{letter}` ")),
                "{letter}, {mode}: {err}"
            );
            assert!(err.contains("--as-of "), "{letter}, {mode}: {err}");
            assert!(
                !output.exists(),
                "{letter}, {mode}: {} was written",
                output.display()
            );
        }
    }
    // Back-dating with --date does not write it either: it must fit today too.
    let (code, _, err) = run(protest().args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--name",
        "A",
        "--date",
        "2017-05-01",
    ]));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.starts_with("error: letter `mamai` asks for the release of Zhanbolat Mamai, who is at liberty under restrictions since 2023-04-10"),
        "{err}"
    );

    // --as-of a day it was current: the historical text, dated that day, in every mode.
    for (mode, args, output) in every_mode("mamai", dir.path()) {
        let (code, out, err) = run(protest()
            .arg("write")
            .args(&args)
            .args(["--as-of", "2017-05-01"]));
        assert_eq!(code, 0, "{mode}: {err}");
        let text = match mode.as_str() {
            "one letter" => out,
            "-o FILE" => std::fs::read_to_string(&output)
                .unwrap()
                .replace('\u{a0}', " "),
            _ => {
                assert!(output.exists(), "{mode}");
                continue;
            }
        };
        assert!(text.contains("1 May 2017"), "{mode}: {text}");
        assert!(
            text.contains("extended his detention to at least 10 June"),
            "{mode}"
        );
    }
    let (code, out, err) = run(protest().args([
        "write",
        "january-2022",
        "--to",
        "gb-london",
        "--name",
        "A",
        "--as-of",
        "2022-01-10",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("10 January 2022"), "{out}");

    // Not on a day it was history, nor before what it describes.
    for (day, first_line) in [
        ("2022-01-19", "error: letter `january-2022` is archived: an appeal of January 2022"),
        ("2022-01-09", "error: letter `january-2022` describes the fact of 10 January 2022; it cannot be dated 9 January 2022"),
    ] {
        let (code, _, err) = run(protest().args([
            "write", "january-2022", "--to", "gb-london", "--name", "A", "--as-of", day,
        ]));
        assert_eq!(code, 65, "{day}: {err}");
        assert!(err.starts_with(first_line), "{day}: {err}");
    }
    // --as-of and --date together are a usage error.
    let (code, _, _) = run(protest().args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--name",
        "A",
        "--as-of",
        "2017-05-01",
        "--date",
        "2017-05-01",
    ]));
    assert_eq!(code, 2);
}

#[test]
fn a_letter_archived_with_no_since_cannot_be_written_at_all() {
    let letter = FREE_TWO
        .replace("id = \"free-two\"", "id = \"old\"")
        .replace(
            "prisoners = [\"freed-person\", \"late-person\"]\n",
            "archived = \"an old appeal\"\n",
        );
    let letters = letters_dir(&[("old.hbs", &letter)]);
    let (code, _, err) = run(protest()
        .args([
            "write",
            "old",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--as-of",
            "2010-01-01",
            "--letters",
        ])
        .arg(letters.path()));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.starts_with("error: letter `old` is archived: an old appeal\n"),
        "{err}"
    );
    assert!(err.contains("it was archived with no `since`"), "{err}");
    let (code, _, err) = run(protest().arg("--letters").arg(letters.path()).arg("check"));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("old.hbs:6: archived with no `since`"), "{err}");
}

#[test]
fn a_letter_is_never_dated_before_the_newest_fact_it_states() {
    let (code, out, err) = run(protest().args([
        "write",
        "mukhammedkarim",
        "--to",
        "gb-london",
        "--name",
        "A",
        "--date",
        "2023-07-01",
    ]));
    assert_eq!((code, out.as_str()), (65, ""));
    assert!(
        err.starts_with("error: letter `mukhammedkarim` describes the sentence of 2 August 2024; it cannot be dated 1 July 2023 (Duman Mukhammedkarim: sentenced by the Qonaev city court"),
        "{err}"
    );
    assert!(
        err.contains("help: its newest fact is of 23 October 2025: date the letter on or after it"),
        "{err}"
    );
    // In every mode, before anything is written.
    let dir = tempfile::tempdir().unwrap();
    for (mode, args, output) in every_mode("mukhammedkarim", dir.path()) {
        let (code, out, err) = run(protest()
            .arg("write")
            .args(&args)
            .args(["--date", "2023-07-01"]));
        assert_eq!((code, out.as_str()), (65, ""), "{mode}: {err}");
        assert!(
            err.starts_with("error: letter `mukhammedkarim` describes the sentence of 2 August 2024; it cannot be dated 1 July 2023"),
            "{mode}: {err}"
        );
        assert!(!output.exists(), "{mode}: {} was written", output.display());
    }
    // --as-of is held to the same rule.
    let (code, _, err) = run(protest().args([
        "write",
        "mukhammedkarim",
        "--to",
        "gb-london",
        "--name",
        "A",
        "--as-of",
        "2025-10-22",
    ]));
    assert_eq!(code, 65);
    assert!(
        err.contains("describes the report of 23 October 2025; it cannot be dated 22 October 2025"),
        "{err}"
    );
    // And it is not listed as current on such a day.
    let (code, out, _) = run(protest().args(["letters", "--date", "2023-07-01", "--json"]));
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        !listing["letters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["letter"] == "mukhammedkarim"),
        "{out}"
    );
    let (_, out, _) = run(protest().args(["letters", "--date", "2023-07-01", "--archived"]));
    assert!(
        out.contains(
            "archived: describes the sentence of 2 August 2024; it cannot be dated 1 July 2023"
        ),
        "{out}"
    );
    // On the day of the newest fact it is written.
    let (code, out, err) = run(protest().args([
        "write",
        "mukhammedkarim",
        "--to",
        "gb-london",
        "--name",
        "A",
        "--date",
        "2025-10-23",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("23 October 2025"));
}

/// A fact dated to a month or a year may be of its last day: a letter is
/// dated on or after that day, whether the fact is a [[fact]] or a
/// [[quote]], and `letters` lists it as current from then on only.
#[test]
fn a_fact_dated_to_a_month_or_a_year_dates_the_letter_after_its_last_day() {
    for (kind, date, last, before) in [
        ("fact", "2017-04", "2017-04-30", "2017-04-29"),
        ("fact", "2016", "2016-12-31", "2016-12-30"),
        ("quote", "2026-02", "2026-02-28", "2026-02-27"),
        ("fact", "2024-02", "2024-02-29", "2024-02-28"),
    ] {
        let entry = match kind {
            "fact" => {
                format!("[[fact]]\nsays = \"it happened\"\ndate = \"{date}\"\nsource = \"Test\"\n")
            }
            _ => format!(
                "[[quote]]\nwords = \"a grave crime\"\ndate = \"{date}\"\nsource = \"Test\"\n"
            ),
        };
        let letter = format!(
            "+++\nid = \"dated\"\ntitle = \"Dated\"\nlanguage = \"en-GB\"\n\
             subject = \"A fact\"\nsource = \"test\"\n{entry}+++\nI write. It was \"a grave crime\".\n"
        );
        let letters = letters_dir(&[("dated.hbs", &letter)]);
        let write = |day: &str| {
            run(protest()
                .arg("--letters")
                .arg(letters.path())
                .args(["write", "dated", "--to", "gb-london", "--name", "A"])
                .args(["--date", day]))
        };
        let (code, _, err) = write(before);
        assert_eq!(code, 65, "{kind} {date} on {before}: {err}");
        assert!(err.contains("it cannot be dated"), "{err}");
        assert!(
            err.contains(&format!("date the letter on or after {}", long(last))),
            "{err}"
        );
        let (code, _, err) = write(last);
        assert_eq!(code, 0, "{kind} {date} on {last}: {err}");
        let listed = |day: &str| {
            let (_, out, _) = run(protest()
                .arg("--letters")
                .arg(letters.path())
                .args(["letters", "--date", day, "--json"]));
            out.contains("\"dated\"")
        };
        assert!(!listed(before) && listed(last), "{kind} {date}");
    }
}

/// "2017-04-30" as the letters write it: "30 April 2017".
fn long(day: &str) -> String {
    let parts: Vec<usize> = day.split('-').map(|p| p.parse().unwrap()).collect();
    let month = protest::date::MONTHS_EN[parts[1] - 1];
    format!("{} {month} {}", parts[2], parts[0])
}

/// A Russian variant's number words are held to the letter's facts as
/// English ones are: "eight years" where the facts say seven is refused.
#[test]
fn check_holds_a_russian_variants_number_words_to_the_facts() {
    let english = "+++\nid = \"t\"\ntitle = \"T\"\nlanguage = \"en-GB\"\n\
        subject = \"Release of Held Person\"\nprisoners = [\"held-person\"]\nsource = \"test\"\n\
        [[fact]]\nprisoner = \"held-person\"\ndate = \"2023-02-03\"\n+++\n\
        I write about {{names prisoners}}, sentenced to four years.\n";
    for (years, ok) in [
        ("четырём годам", true),
        ("восьми годам", false),
        ("пяти годам", false),
    ] {
        let russian = format!(
            "+++\nlanguage = \"ru\"\ntitle = \"Т\"\nsubject = \"Об освобождении\"\n+++\n\
             Пишу о {{{{names prisoners}}}}, которого приговорили к {years}.\n"
        );
        let letters = letters_dir(&[("t.hbs", english), ("t.ru.hbs", &russian)]);
        let (code, _, err) = run(protest()
            .env("SOURCE_DATE_EPOCH", "1796083200")
            .arg("--letters")
            .arg(letters.path())
            .arg("check"));
        let word = years.split(' ').next().unwrap();
        let refused = format!(
            "{}:6: the number `{word}` is in no listed fact",
            letters.path().join("t.ru.hbs").display()
        );
        assert_eq!(err.contains(&refused), !ok, "{years}: {err}");
        assert_eq!(code == 0, ok, "{years}: {err}");
    }
}

const QUOTING: &str = "+++\nid = \"quoting\"\ntitle = \"Quoting\"\nlanguage = \"en-GB\"\n\
    subject = \"A quotation\"\nsource = \"test\"\n+++\nI write.\n\n\
    The court called it \"a grave crime\".\n";

#[test]
fn check_refuses_a_quotation_without_its_source_and_accepts_it_with_one() {
    let letters = letters_dir(&[("quoting.hbs", QUOTING)]);
    let file = letters.path().join("quoting.hbs");
    let (code, out, err) = run(protest().arg("--letters").arg(letters.path()).arg("check"));
    assert_eq!(code, 65, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains(&format!(
            "error: {}:10: the quotation \"a grave crime\" is neither a [[quote]] (its source's exact words, with source and date) nor one of `titles`: list it, or take the quotation marks away\n",
            file.display()
        )),
        "{err}"
    );

    // Listed with other words, it is still refused: a quotation is the source's exact words.
    let misquoted = QUOTING.replace(
        "+++\nI write.",
        "[[quote]]\nwords = \"a very grave crime\"\nsource = \"Court ruling\"\ndate = \"2020-01-01\"\n+++\nI write.",
    );
    std::fs::write(&file, &misquoted).unwrap();
    let (code, _, err) = run(protest().arg("--letters").arg(letters.path()).arg("check"));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains(":14: the quotation \"a grave crime\" is neither"),
        "{err}"
    );

    // With its words and source it passes; so does a name in `titles`.
    let quoted = QUOTING.replace(
        "+++\nI write.",
        "[[quote]]\nwords = \"it was a grave crime\"\nsource = \"Court ruling\"\ndate = \"2020-01-01\"\n+++\nI write.",
    );
    std::fs::write(&file, &quoted).unwrap();
    let (code, _, err) = run(protest().arg("--letters").arg(letters.path()).arg("check"));
    assert_eq!(code, 0, "{err}");
    let named = QUOTING.replace(
        "source = \"test\"\n+++",
        "source = \"test\"\ntitles = [\"a grave crime\"]\n+++",
    );
    std::fs::write(&file, &named).unwrap();
    let (code, _, err) = run(protest().arg("--letters").arg(letters.path()).arg("check"));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn check_refuses_numbers_and_dates_no_fact_carries_and_facts_that_point_at_nothing() {
    let text = "+++\nid = \"counted\"\ntitle = \"Counted\"\nlanguage = \"en-GB\"\n\
        subject = \"Counted\"\nsource = \"test\"\n\n[[fact]]\ndate = \"2021-03-01\"\n\
        says = \"held for seven years\"\nsource = \"Test Source\"\n\n[[fact]]\n\
        prisoner = \"freed-person\"\ndate = \"2020-02-02\"\n+++\n\
        He was held for seven years, until 1 March 2021.\nThen eight more, from 2022.\n";
    let letters = letters_dir(&[("counted.hbs", text)]);
    let file = letters.path().join("counted.hbs").display().to_string();
    let (code, _, err) = run(protest().arg("--letters").arg(letters.path()).arg("check"));
    assert_eq!(code, 65, "{err}");
    for expected in [
        format!("error: {file}:18: the number `eight` is in no listed fact"),
        format!("error: {file}:18: the date `2022` is in no listed fact"),
        format!("error: {file}:13: fact of 2020-02-02: Freed Person has no event of that date (theirs: 2020-01-10, 2021-03-01)"),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
    // What the facts carry is not reported.
    assert!(
        !err.contains("`seven`") && !err.contains("1 March 2021"),
        "{err}"
    );
}

#[test]
fn check_reports_the_datas_age_per_current_letter() {
    let (code, out, err) = run(protest().arg("check"));
    assert_eq!(code, 0, "{err}");
    let age = out
        .split_once("The data's age on ")
        .expect("an age table")
        .1;
    assert!(
        age.contains("mukhammedkarim             newest fact 2025-10-23; Duman Mukhammedkarim last reported 2025-10-23 (noted)\n"),
        "{out}"
    );
    // Oldest first: the letter whose news is oldest leads.
    let first = age.lines().nth(1).unwrap();
    assert!(first.trim_start().starts_with("zhanaozen"), "{out}");
    // Archived letters are not in it.
    assert!(!age.contains("\n  mamai "), "{out}");

    let (code, out, _) = run(protest().args(["check", "--json"]));
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let abzhan = json["age"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["letter"] == "abzhan")
        .unwrap();
    assert_eq!(abzhan["newest_fact"], "2023-02-18");
    assert_eq!(abzhan["people"][0]["prisoner"], "makhambet-abzhan");
    assert_eq!(abzhan["people"][0]["last_reported"], "2023-02-18");
}

#[test]
fn the_atajurt_letter_asks_to_drop_the_charges_while_the_trial_lasts_and_no_longer() {
    let (code, out, err) =
        run(protest().args(["write", "atajurt", "--to", "gb-london", "--name", "A"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("23 January 2026"), "{out}");
    // A verdict recorded makes it history: the ask fits people held or on trial only.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("prisoners.toml"),
        "[[prisoner]]\nid = \"bekzat-maksutkhan\"\nname = \"Bekzat Maksutkhan\"\ndescription = \"d\"\n\n\
         [[prisoner.event]]\ndate = \"2026-01-23\"\nkind = \"trial\"\nnote = \"on trial\"\nsource = \"s\"\nconfidence = \"high\"\n\n\
         [[prisoner.event]]\ndate = \"2026-03-01\"\nkind = \"sentenced\"\nnote = \"sentenced to five years\"\nsource = \"Test Verdict\"\nconfidence = \"high\"\n",
    )
    .unwrap();
    let (code, _, err) = run(protest()
        .args([
            "write",
            "atajurt",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--letters",
        ])
        .arg(dir.path()));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.starts_with("error: letter `atajurt` asks for the dropping of the charges against Bekzat Maksutkhan, who is serving a sentence since 2026-03-01 (sentenced: sentenced to five years; source: Test Verdict)"),
        "{err}"
    );
}
