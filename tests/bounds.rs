//! Bounds and silent wrong output: the date a letter carries, the thread
//! count, copies (`--cc`), mbox files in a directory, and PDF text that
//! must stay inside the envelope window and the page.

mod common;

use std::process::Command;

use common::{protest, run};

/// The day `date` says it is in `zone`.
fn system_day(zone: &str) -> String {
    let out = Command::new("date")
        .env("TZ", zone)
        .arg("+%F")
        .output()
        .expect("date runs");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn letter_date(zone: &str) -> String {
    let (code, out, err) = run(protest().env("TZ", zone).args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--name",
        "A",
        "--json",
    ]));
    assert_eq!(code, 0, "{err}");
    let letters: serde_json::Value = serde_json::from_str(&out).unwrap();
    letters[0]["date"].as_str().unwrap().to_string()
}

#[test]
fn the_default_date_is_the_writers_local_day() {
    // UTC+14 and UTC-12 are never on the same day as each other, so at least
    // one of them differs from UTC whatever the hour the test runs.
    let zones = ["<+14>-14", "<-12>12", "UTC0", "PST8PDT,M3.2.0,M11.1.0"];
    let mut days = std::collections::BTreeSet::new();
    for zone in zones {
        let before = system_day(zone);
        let ours = letter_date(zone);
        if before == system_day(zone) {
            assert_eq!(ours, before, "TZ={zone}");
            days.insert(ours);
        }
    }
    assert!(days.len() >= 2, "{days:?}");
}

#[test]
fn source_date_epoch_wins_over_the_clock_and_is_utc() {
    for zone in ["<+14>-14", "<-12>12"] {
        let (code, out, err) = run(protest()
            .env("TZ", zone)
            .env("SOURCE_DATE_EPOCH", "1464307199")
            .args(["write", "mamai", "--to", "gb-london", "--name", "A"]));
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("\n26 May 2016\n"), "{out}");
    }
}

#[test]
fn a_bad_source_date_epoch_is_refused_even_with_date() {
    for value in [
        "",
        "soon",
        "1.5e9",
        "-86400",
        " 1464307199",
        "1464307199 ",
        "7289654400",
        "184467440737095516160",
    ] {
        for date in [None, Some("2020-01-01")] {
            let mut cmd = protest();
            cmd.env("SOURCE_DATE_EPOCH", value).args([
                "write",
                "mamai",
                "--to",
                "gb-london",
                "--name",
                "A",
            ]);
            if let Some(date) = date {
                cmd.args(["--date", date]);
            }
            let (code, out, err) = run(&mut cmd);
            assert_eq!(code, 2, "{value:?} {date:?}: {err}");
            assert!(out.is_empty());
            assert!(
                err.starts_with(&format!("error: SOURCE_DATE_EPOCH is {value:?}: it must be whole seconds since 1970-01-01 UTC")),
                "{value:?}: {err}"
            );
        }
    }
    for command in [
        &["check"][..],
        &[
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--name",
            "A",
            "-f",
            "pdf",
            "-o",
            "x.pdf",
        ],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (code, _, err) = run(protest()
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "tomorrow")
            .args(command));
        assert_eq!(code, 2, "{command:?}: {err}");
        assert!(err.contains("SOURCE_DATE_EPOCH is \"tomorrow\""), "{err}");
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    }
}

#[test]
fn dates_outside_1900_to_2200_are_refused() {
    for date in [
        "1899-12-31",
        "0001-01-01",
        "2201-01-01",
        "9999-12-31",
        "0000-02-29",
    ] {
        let (code, out, err) = run(protest().args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--date",
            date,
        ]));
        assert_eq!(code, 2, "{date}: {err}");
        assert!(out.is_empty());
        assert_eq!(
            err.lines().next().unwrap(),
            format!("error: --date: `{date}` is out of range: a letter is dated in the years 1900 to 2200"),
            "{date}"
        );
    }
    for date in ["1900-01-01", "2200-12-31"] {
        let (code, _, err) = run(protest().args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--date",
            date,
        ]));
        assert_eq!(code, 0, "{date}: {err}");
    }
}

#[test]
fn jobs_are_capped_at_four_a_core_and_zero_is_one_a_core() {
    let cores = std::thread::available_parallelism().unwrap().get();
    let mut outputs = Vec::new();
    for jobs in [
        "1",
        "0",
        &(4 * cores).to_string(),
        &(4 * cores + 1).to_string(),
        "10000",
        "18446744073709551615",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (code, _, err) = run(protest().current_dir(dir.path()).args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--to",
            "de-berlin",
            "--name",
            "A",
            "--date",
            "2020-01-01",
            "--out",
            "o",
            "-j",
            jobs,
        ]));
        assert_eq!(code, 0, "-j {jobs}: {err}");
        let warning = format!(
            "warning: --jobs {jobs} is more than 4 a core; using {} threads ({cores} cores here)",
            4 * cores
        );
        let over = jobs.parse::<u128>().unwrap() > 4 * cores as u128;
        assert_eq!(err.lines().any(|l| l == warning), over, "-j {jobs}: {err}");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path().join("o"))
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_name() != "manifest.jsonl")
            .map(|e| {
                (
                    e.file_name().into_string().unwrap(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        assert_eq!(files.len(), 2);
        outputs.push(files);
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn each_mbox_file_in_a_directory_is_a_mailbox_of_its_letter() {
    use mail_parser::mailbox::mbox::MessageIterator;
    use mail_parser::MessageParser;
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(protest().current_dir(dir.path()).args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--to",
        "ch-bern",
        "--to",
        "pt-lisbon",
        "--name",
        "Ann Lee",
        "--email",
        "ann@example.org",
        "--date",
        "2020-01-01",
        "-f",
        "mbox",
        "--out",
        "o",
    ]));
    assert_eq!(code, 0, "{err}");
    let mut files: Vec<_> = std::fs::read_dir(dir.path().join("o"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mbox"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "{files:?}");
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        assert!(
            bytes.starts_with(b"From ann@example.org Wed Jan  1 00:00:00 2020\n"),
            "{path:?}"
        );
        let messages: Vec<_> = MessageIterator::new(bytes.as_slice()).collect();
        assert_eq!(messages.len(), 1, "{path:?}");
        let message = messages[0].as_ref().unwrap();
        let parsed = MessageParser::default().parse(message.contents()).unwrap();
        assert_eq!(
            parsed.from().unwrap().first().unwrap().address(),
            Some("ann@example.org")
        );
        assert!(parsed.body_text(0).unwrap().contains("Zhanbolat Mamai"));
        let to = parsed
            .to()
            .unwrap()
            .first()
            .unwrap()
            .address()
            .unwrap()
            .to_string();
        let mission = path
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap()
            .trim_start_matches("mamai-");
        assert!(to.contains('@'), "{to}");
        assert!(!mission.is_empty());
    }
    // The same letters as one mailbox hold the same messages.
    let (code, _, err) = run(protest().current_dir(dir.path()).args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--to",
        "ch-bern",
        "--to",
        "pt-lisbon",
        "--name",
        "Ann Lee",
        "--email",
        "ann@example.org",
        "--date",
        "2020-01-01",
        "-f",
        "mbox",
        "-o",
        "all.mbox",
    ]));
    assert_eq!(code, 0, "{err}");
    let all = std::fs::read(dir.path().join("all.mbox")).unwrap();
    let joined: Vec<u8> = files
        .iter()
        .flat_map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(all.len(), joined.len());
}
