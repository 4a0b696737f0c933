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
        "zhanaozen",
        "--to",
        "gb-london",
        "--name",
        "A",
        "--json",
    ]));
    assert_eq!(code, 0, "{err}");
    let letters: serde_json::Value = serde_json::from_str(&out).unwrap();
    letters["letters"][0]["date"].as_str().unwrap().to_string()
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
            .args(["write", "zhanaozen", "--to", "gb-london", "--name", "A"]));
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("\n26\u{a0}May 2016\n"), "{out}");
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
                "zhanaozen",
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
            "zhanaozen",
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
            "zhanaozen",
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
        let (code, _, err) = run(protest().args(["letters", "--date", date]));
        assert_eq!(code, 0, "{date}: {err}");
    }
    let write = |date: &str| {
        run(protest().args([
            "write",
            "zhanaozen",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--date",
            date,
        ]))
    };
    let (code, _, err) = write("2200-12-31");
    assert_eq!(code, 0, "{err}");
    // A day in range, but before what the letter describes: refused for that, not the range.
    let (code, _, err) = write("1900-01-01");
    assert_eq!(code, 65, "{err}");
    assert!(
        err.starts_with("error: letter `zhanaozen` describes the fact of May 2011; it cannot be dated 1 January 1900"),
        "{err}"
    );
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
            "zhanaozen",
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
        "zhanaozen",
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
        assert!(parsed.body_text(0).unwrap().contains("Zhanaozen"));
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
        "zhanaozen",
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

const MM: f32 = 72.0 / 25.4;
const INCH: f32 = 72.0;

/// A word as pdftotext sees it: page, text, [xMin, yMin, xMax, yMax] in
/// points from the top-left corner.
type Word = (usize, String, [f32; 4]);

/// Words of every page of `pdf`, with the page's width and height.
fn pdf_words(pdf: &std::path::Path) -> (Vec<Word>, f32, f32) {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs: install poppler-utils");
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |s: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        let at = s.find(&key).unwrap() + key.len();
        s[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut words = Vec::new();
    let (mut width, mut height) = (0.0, 0.0);
    for (page, part) in html.split("<page ").skip(1).enumerate() {
        width = attr(part, "width");
        height = attr(part, "height");
        for w in part.split("<word ").skip(1) {
            let (head, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap().replace("&amp;", "&");
            let b = ["xMin", "yMin", "xMax", "yMax"].map(|k| attr(head, k));
            words.push((page + 1, text, b));
        }
    }
    (words, width, height)
}

/// Writes one PDF letter from a sender given as flags; the exit code, stderr
/// and, on success, the PDF's path.
fn pdf_letter(
    dir: &std::path::Path,
    to: &str,
    sender: &[&str],
    paper: &str,
) -> (i32, String, std::path::PathBuf) {
    let path = dir.join(format!("{to}-{paper}.pdf"));
    let _ = std::fs::remove_file(&path);
    let (code, _, err) = run(protest()
        .args([
            "write",
            "zhanaozen",
            "--to",
            to,
            "--date",
            "2020-01-01",
            "-f",
            "pdf",
            "--paper",
            paper,
            "-o",
        ])
        .arg(&path)
        .args(sender));
    (code, err, path)
}

fn address_flags<'a>(name: &'a str, lines: &'a [&'a str], country: &'a str) -> Vec<&'a str> {
    let mut flags = vec!["--name", name, "--from-country", country];
    for line in lines {
        flags.extend(["--address", line]);
    }
    flags
}

#[test]
fn the_return_line_stays_inside_the_envelope_window() {
    let dir = tempfile::tempdir().unwrap();
    // The window text column of each paper: [left, top, right, bottom] in points.
    let a4 = [25.0 * MM, 45.0 * MM, (25.0 + 78.0) * MM, 90.0 * MM];
    let top = 11.0 / 3.0 - 1.625;
    let letter = [1.0 * INCH, top * INCH, 4.75 * INCH, (top + 1.125) * INCH];
    let four_lines: &[&str] = &[
        "Flat 12b, Northumberland Court Residential Apartments",
        "1234 Long Industrial Estate Service Road East",
        "Little Snoring-on-the-Marsh, Much Wenlock",
        "Great Yarmouth NR30 1AA",
    ];
    let cyrillic: &[&str] = &[
        "Республика Казахстан, город Алматы, улица Жибек Жолы",
        "дом 135, корпус 3, квартира 1234567",
        "Алмалинский район, микрорайон Самал-2",
        "050000",
    ];
    let one_word = "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaft";
    let long_name = one_word.repeat(3);
    let three_words = [one_word; 3];
    let senders: Vec<(&str, &[&str])> = vec![
        (
            "Johanna Maria Elisabeth Schwarzenberger-Vandenheuvel",
            four_lines,
        ),
        ("Ann Lee", four_lines),
        ("Айгерим Нурсултановна Абдрахманова-Жаксыбекова", cyrillic),
        (&long_name, &["1 A St"]),
        ("Ann Lee", &three_words),
        ("Ann Lee", &["1 Short St"]),
    ];
    for (name, lines) in &senders {
        for country in ["US", "GB", "DE"] {
            for (paper, to, window) in
                [("a4", "gb-london", a4), ("letter", "us-washington", letter)]
            {
                let (code, err, pdf) =
                    pdf_letter(dir.path(), to, &address_flags(name, lines, country), paper);
                assert_eq!(code, 0, "{name} {paper}: {err}");
                let (words, _, _) = pdf_words(&pdf);
                // The return line is the first line of the window, left of the sender block.
                let in_window: Vec<_> = words
                    .iter()
                    .filter(|(p, _, b)| {
                        *p == 1 && b[1] >= window[1] - 1.0 && b[3] <= window[3] + 1.0
                    })
                    .filter(|(_, _, b)| b[0] < window[2])
                    .collect();
                assert!(!in_window.is_empty());
                // Its type is at most 7 pt; the recipient's at least 8 (the
                // return line gives way when the recipient needs the room).
                let return_line: Vec<&str> = in_window
                    .iter()
                    .filter(|w| w.2[3] - w.2[1] < 7.5 * 1.17)
                    .map(|w| w.1.as_str())
                    .collect();
                if paper == "a4" {
                    let first_word: String =
                        name.split(' ').next().unwrap().chars().take(10).collect();
                    assert!(return_line[0].starts_with(&first_word), "{return_line:?}");
                }
                for (_, text, b) in &in_window {
                    assert!(
                        b[0] >= window[0] - 0.5 && b[2] <= window[2] + 0.5,
                        "{name} {paper} {country}: `{text}` at {b:?} runs outside the window {window:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_sender_block_fits_on_the_page_or_is_an_error_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let long_line = "Unit 7 of the Old Tannery Building on the Riverside Walk ".repeat(4);
    for paper in ["a4", "letter"] {
        for n in [1, 10, 30, 39, 40, 41, 42, 60, 300] {
            let lines: Vec<String> = (1..=n).map(|i| format!("Line {i} of an address")).collect();
            let mut flags = vec![
                "--name",
                "Ann Lee",
                "--org",
                "Unite Leeds",
                "--from-country",
                "GB",
            ];
            for line in &lines {
                flags.extend(["--address", line.as_str()]);
            }
            check_sender_block(dir.path(), paper, &flags, &format!("{n} lines"));
        }
        for n in [1, 5, 10, 40] {
            let lines = vec![long_line.as_str(); n];
            let mut flags = vec!["--name", "Ann Lee", "--from-country", "GB"];
            for line in &lines {
                flags.extend(["--address", line]);
            }
            check_sender_block(dir.path(), paper, &flags, &format!("{n} long lines"));
        }
        let role = "Secretary ".repeat(400);
        check_sender_block(
            dir.path(),
            paper,
            &[
                "--name",
                "Ann Lee",
                "--role",
                &role,
                "--email",
                "ann@example.org",
            ],
            "a long role",
        );
    }
}

/// Either every word of the PDF lies on its page, above the foot, or the
/// run failed with the message that names the overflowing field and wrote nothing.
fn check_sender_block(dir: &std::path::Path, paper: &str, flags: &[&str], what: &str) {
    let to = if paper == "a4" {
        "gb-london"
    } else {
        "us-washington"
    };
    let (code, err, pdf) = pdf_letter(dir, to, flags, paper);
    match code {
        0 => {
            let (words, width, height) = pdf_words(&pdf);
            for (page, text, b) in &words {
                assert!(
                    b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= width && b[3] <= height - 5.0 * MM,
                    "{paper} {what}: `{text}` on page {page} at {b:?} is off the page"
                );
            }
        }
        65 => {
            assert!(
                err.starts_with("error: the sender block is longer than the ")
                    && err
                        .contains(" lines that fit beside the letter: it overflows at the sender "),
                "{paper} {what}: {err}"
            );
            assert!(!pdf.exists());
        }
        _ => panic!("{paper} {what}: exit {code}: {err}"),
    }
}

/// A senders file with a line longer than any row is refused as not a
/// senders file, whether it is read from a file or a pipe and wherever the
/// letters were to go, and nothing is written.
#[test]
fn a_line_longer_than_any_row_is_refused_on_every_path() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.csv");
    let mut text = String::from("name,email\n");
    text.push_str(&"a".repeat(17 << 20));
    text.push_str(",a@example.org\n");
    std::fs::write(&long, &text).unwrap();
    let destinations: [&[&str]; 3] = [
        &["--format", "mbox", "-o", "OUT.mbox"],
        &["--out", "OUT"],
        &["--format", "mbox", "-o", "-"],
    ];
    for destination in destinations {
        for piped in [false, true] {
            let out = dir.path().join("out");
            let args: Vec<String> = destination
                .iter()
                .map(|a| a.replace("OUT", &out.to_string_lossy()))
                .collect();
            let mut cmd = protest();
            cmd.args(["write", "mukhammedkarim", "--to", "gb-london", "-q"])
                .args(&args);
            let (code, stdout, err) = if piped {
                cmd.args(["--senders", "-"]).pipe_stdin(&long).unwrap();
                run(&mut cmd)
            } else {
                run(cmd.arg("--senders").arg(&long))
            };
            let shown = if piped {
                "<stdin>".to_string()
            } else {
                long.display().to_string()
            };
            assert_eq!(code, 65, "{destination:?} piped {piped}: {err}");
            assert_eq!(
                err,
                format!(
                    "error: {shown}: a line longer than 16 MiB: this is not a senders file\n  \
                     help: --senders takes a CSV file of one row per sender\n"
                ),
                "{destination:?} piped {piped}"
            );
            assert!(stdout.is_empty(), "{destination:?} piped {piped}");
            let left: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .filter(|name| name != "long.csv")
                .collect();
            assert!(left.is_empty(), "{destination:?} piped {piped}: {left:?}");
        }
    }
}
