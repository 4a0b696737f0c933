//! Several letters in one run (`protest write A B C`): the activist printing
//! hand-in copies for three cases at one embassy, with one command instead of
//! three, checked the way she would check them.

mod common;

use std::path::Path;
use std::process::Command;

use common::{protest, run};
use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::MessageParser;
use serde_json::Value;

/// A day all three letters fit the facts, and `mamai` (he is out, under
/// restrictions) does not.
const DATE: &str = "2026-11-30";

/// The three cases, and how each letter's subject begins.
const CASES: [(&str, &str); 3] = [
    (
        "mukhammedkarim",
        "Release of the journalist Duman Mukhammedkarim",
    ),
    ("abzhan", "Release of the journalist Makhambet Abzhan"),
    ("zhylanbayev", "Release of Marat Zhylanbayev"),
];

fn subject(letter: &str) -> &'static str {
    CASES.iter().find(|(id, _)| *id == letter).unwrap().1
}

/// `protest write LETTERS… --date DATE` from one sender, and `args`.
fn write_cmd(letters: &[&str], args: &[&str]) -> assert_cmd::Command {
    let mut cmd = protest();
    cmd.arg("write")
        .args(letters)
        .args(["--date", DATE, "--name", "Ann Lee", "--from-country", "GB"])
        .args(["--email", "ann@example.org"])
        .args(args);
    cmd
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(file)
        .args(if name == "pdftotext" { &["-"][..] } else { &[] })
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{name}` ({e}): apt-get install poppler-utils qpdf")
        });
    assert!(
        out.status.success(),
        "{name} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Each letter of a combined PDF as (its subject, the city it is to), in
/// the order they are printed: found on the page that carries the subject.
fn printed_letters(pdf: &Path) -> Vec<(&'static str, &'static str)> {
    tool("pdftotext", &[], pdf)
        .split('\u{c}')
        .filter_map(|page| {
            let (_, subject) = CASES.iter().find(|(_, subject)| page.contains(subject))?;
            let city = match (page.contains("Nordendstraße"), page.contains("Pall Mall")) {
                (true, false) => "Berlin",
                (false, true) => "London",
                _ => panic!("one address a page:\n{page}"),
            };
            Some((*subject, city))
        })
        .collect()
}

fn manifest(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("manifest.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn three_letters_to_one_embassy_make_one_pdf_in_the_order_given() {
    let tmp = tempfile::tempdir().unwrap();
    // Whatever the order on the command line, the PDF follows it.
    for letters in [
        ["mukhammedkarim", "abzhan", "zhylanbayev"],
        ["zhylanbayev", "mukhammedkarim", "abzhan"],
    ] {
        let pdf = tmp.path().join(format!("{}.pdf", letters[0]));
        let (code, out, err) = run(&mut write_cmd(
            &letters,
            &["--to", "de-berlin", "--combine", s(&pdf)],
        ));
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, "");
        assert!(
            err.contains(&format!(
                "3 letters to {}: 3 written, 0 already there",
                pdf.display()
            )),
            "{err}"
        );
        let expected: Vec<_> = letters.iter().map(|l| (subject(l), "Berlin")).collect();
        assert_eq!(printed_letters(&pdf), expected);
        tool("qpdf", &["--check"], &pdf);
    }
}

#[test]
fn letters_and_missions_are_printed_letter_by_letter_then_mission_by_mission() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("copies.pdf");
    let (code, _, err) = run(&mut write_cmd(
        &["abzhan", "mukhammedkarim"],
        &[
            "--to",
            "gb-london",
            "--to",
            "de-berlin",
            "--combine",
            s(&pdf),
            "--duplex",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        printed_letters(&pdf),
        [
            (subject("abzhan"), "London"),
            (subject("abzhan"), "Berlin"),
            (subject("mukhammedkarim"), "London"),
            (subject("mukhammedkarim"), "Berlin"),
        ]
    );
    tool("qpdf", &["--check"], &pdf);
}

#[test]
fn separate_files_with_out_are_named_by_letter_and_the_manifest_says_which() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("copies");
    let letters = ["mukhammedkarim", "abzhan", "zhylanbayev"];
    let (code, _, err) = run(&mut write_cmd(
        &letters,
        &["--to", "de-berlin", "-f", "pdf", "--out", s(&out)],
    ));
    assert_eq!(code, 0, "{err}");
    for letter in letters {
        let file = out.join(format!("{letter}-de-berlin.pdf"));
        assert_eq!(printed_letters(&file), [(subject(letter), "Berlin")]);
    }
    let lines = manifest(&out);
    assert_eq!(
        lines[0]["run"]["letter"],
        "mukhammedkarim,abzhan,zhylanbayev"
    );
    let named: Vec<_> = lines
        .iter()
        .map(|l| (l["letter"].as_str().unwrap(), l["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        named,
        [
            ("mukhammedkarim", "mukhammedkarim-de-berlin.pdf"),
            ("abzhan", "abzhan-de-berlin.pdf"),
            ("zhylanbayev", "zhylanbayev-de-berlin.pdf"),
        ]
    );

    // The same command again continues the run: a lost copy is made again,
    // the others are left as they are, and the manifest still names each.
    std::fs::remove_file(out.join("abzhan-de-berlin.pdf")).unwrap();
    let (code, _, err) = run(&mut write_cmd(
        &letters,
        &["--to", "de-berlin", "-f", "pdf", "--out", s(&out)],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 written, 2 already there"), "{err}");
    let statuses: Vec<_> = manifest(&out)
        .iter()
        .map(|l| (l["letter"].clone(), l["status"].clone()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("mukhammedkarim".into(), "unchanged".into()),
            ("abzhan".into(), "written".into()),
            ("zhylanbayev".into(), "unchanged".into()),
        ]
    );

    // Other letters are another run, said with both lists.
    let (code, _, err) = run(&mut write_cmd(
        &["abzhan"],
        &["--to", "de-berlin", "-f", "pdf", "--out", s(&out)],
    ));
    assert_eq!(code, 73, "{err}");
    assert!(
        err.contains(
            "it wrote the letters `mukhammedkarim,abzhan,zhylanbayev`, this is the letter `abzhan`"
        ),
        "{err}"
    );
}

#[test]
fn a_senders_file_gets_a_file_per_letter_mission_and_sender_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("branch.csv");
    std::fs::write(&csv, "name,country\nAnn Lee,GB\nBob Roe,GB\n").unwrap();
    let out = tmp.path().join("out");
    let (code, _, err) = run(protest().args([
        "write",
        "abzhan",
        "zhylanbayev",
        "--date",
        DATE,
        "--senders",
        s(&csv),
        "--out",
        s(&out),
    ]));
    assert_eq!(code, 0, "{err}");
    // Letter by letter, then the senders in the file's order.
    let paths: Vec<_> = manifest(&out)
        .iter()
        .map(|l| l["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "abzhan-gb-london-Ann-Lee.txt",
            "abzhan-gb-london-Bob-Roe.txt",
            "zhylanbayev-gb-london-Ann-Lee.txt",
            "zhylanbayev-gb-london-Bob-Roe.txt",
        ]
    );
    for path in &paths {
        let text = std::fs::read_to_string(out.join(path)).unwrap();
        let letter = path.split('-').next().unwrap();
        assert!(text.contains(subject(letter)), "{path}");
    }

    // A pattern that gives two letters one name is refused, saying which.
    let (code, _, err) = run(protest().args([
        "write",
        "abzhan",
        "zhylanbayev",
        "--date",
        DATE,
        "--senders",
        s(&csv),
        "--out",
        s(&tmp.path().join("clash")),
        "--file-name",
        "{{embassy.id}}-{{sender.name}}",
    ]));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains(
            "error: two letters would be written to `gb-london-Ann-Lee.txt` \
             (`abzhan` to gb-london, row 1 and `zhylanbayev` to gb-london, row 1)\n"
        ),
        "{err}"
    );
    assert!(err.contains("{{letter.id}}"), "{err}");
    assert!(!tmp.path().join("clash").exists());
}

#[test]
fn an_archived_or_unknown_letter_among_them_stops_the_run_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    // Wherever it stands among the others, and whatever the output.
    for (letters, code, says) in [
        (
            ["mukhammedkarim", "abzhan", "mamai"],
            65,
            "error: letter `mamai` asks for the release of Zhanbolat Mamai",
        ),
        (
            ["mamai", "abzhan", "zhylanbayev"],
            65,
            "error: letter `mamai` asks for the release of Zhanbolat Mamai",
        ),
        (
            ["mukhammedkarim", "no-such-letter", "abzhan"],
            2,
            "error: no letter with id `no-such-letter`",
        ),
    ] {
        let pdf = tmp.path().join("copies.pdf");
        let dir = tmp.path().join("copies");
        let mbox = tmp.path().join("drafts.mbox");
        for output in [
            vec!["--combine", s(&pdf)],
            vec!["--out", s(&dir)],
            vec!["-f", "mbox", "-o", s(&mbox)],
        ] {
            let mut args = vec!["--to", "gb-london"];
            args.extend(output.iter().copied());
            let (got, out, err) = run(&mut write_cmd(&letters, &args));
            assert_eq!(got, code, "{letters:?} {output:?}: {err}");
            assert!(err.starts_with(says), "{letters:?} {output:?}: {err}");
            assert_eq!(out, "");
            assert_eq!(
                std::fs::read_dir(tmp.path()).unwrap().count(),
                0,
                "{letters:?} {output:?}: nothing is written"
            );
        }
    }
}

#[test]
fn an_mbox_holds_one_message_per_letter_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let mbox = tmp.path().join("drafts.mbox");
    let letters = ["mukhammedkarim", "abzhan", "zhylanbayev"];
    let (code, _, err) = run(&mut write_cmd(
        &letters,
        &["--to", "gb-london", "-f", "mbox", "-o", s(&mbox)],
    ));
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&mbox).unwrap();
    let subjects: Vec<String> = MessageIterator::new(bytes.as_slice())
        .map(|m| {
            let m = m.expect("the mbox reads back");
            let msg = MessageParser::default().parse(m.contents()).unwrap();
            assert_eq!(
                msg.to().unwrap().first().unwrap().address(),
                Some("london@mfa.kz")
            );
            msg.subject().unwrap().to_string()
        })
        .collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    for (got, letter) in subjects.iter().zip(letters) {
        assert!(got.starts_with(subject(letter)), "{got}");
    }
}

#[test]
fn json_prints_every_letter_and_a_dry_run_lists_them() {
    let letters = ["abzhan", "mukhammedkarim"];
    let (code, out, err) = run(&mut write_cmd(
        &letters,
        &["--to", "gb-london", "--to", "de-berlin", "--json"],
    ));
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["schema"], "protest/1");
    let subjects: Vec<&str> = json["letters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            subject("abzhan"),
            subject("abzhan"),
            subject("mukhammedkarim"),
            subject("mukhammedkarim"),
        ]
    );

    let (code, out, err) = run(&mut write_cmd(
        &letters,
        &["--to", "de-berlin", "--out", "never-written", "--dry-run"],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "Would write 2 letters (text) to 1 mission, to files in never-written:\n\
             \x20 In this order, the letters abzhan, mukhammedkarim\n\
             \x20 abzhan: Ann Lee to de-berlin -> abzhan-de-berlin.txt\n\
             \x20 mukhammedkarim: Ann Lee to de-berlin -> mukhammedkarim-de-berlin.txt\n"
        ),
        "{out}"
    );
    assert!(!Path::new("never-written").exists());
}

#[test]
fn several_letters_as_text_need_a_place_of_their_own_said_before_any_warning() {
    let (code, out, err) = run(&mut write_cmd(
        &["abzhan", "zhylanbayev"],
        &["--to", "de-berlin"],
    ));
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert!(
        err.starts_with("error: 2 letters need a directory: pass --out DIR\n"),
        "{err}"
    );
}

#[test]
fn completion_offers_letter_ids_for_every_letter_after_the_first() {
    let (code, out, err) = run(protest()
        .env("PROTEST_COMPLETE", "fish")
        .env("_CLAP_COMPLETE_INDEX", "3")
        .args(["--", "protest", "write", "mukhammedkarim", "ab"]));
    assert_eq!(code, 0, "{err}");
    let offered: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(offered, ["abzhan"]);
}

/// Starts `protest ARGS…` and returns it once `ready` holds of `dir`.
fn start_when(args: &[&str], dir: &Path, ready: impl Fn(&Path) -> bool) -> std::process::Child {
    let child = Command::new(env!("CARGO_BIN_EXE_protest"))
        .args(args)
        .env("XDG_CONFIG_HOME", common::no_config_dir())
        .env_remove("PROTEST_DATA")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !ready(dir) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "the run never got going"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child
}

fn interrupt(child: std::process::Child) -> (Option<i32>, String) {
    // SAFETY: kill(2) on the process we started and have not yet waited for.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn entries(dir: &Path) -> impl Iterator<Item = String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
}

#[test]
fn an_interrupted_run_of_several_letters_is_continued_letter_by_letter() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 1500;
    let mut csv = String::from("name,email\n");
    for i in 0..rows {
        csv.push_str(&format!("Member {i:04},m{i}@example.org\n"));
    }
    let csv_path = tmp.path().join("branch.csv");
    std::fs::write(&csv_path, csv).unwrap();
    let out = tmp.path().join("out");
    let args = [
        "write",
        "abzhan",
        "zhylanbayev",
        "--date",
        DATE,
        "--to",
        "gb-london",
        "--senders",
        s(&csv_path),
        "--out",
        s(&out),
    ];
    // Every letter, in the run's order: the first letter from every
    // member, then the second (which is also the order of the names).
    let expected: Vec<(String, u64)> = ["abzhan", "zhylanbayev"]
        .iter()
        .flat_map(|letter| (1..=rows as u64).map(move |row| (letter.to_string(), row)))
        .collect();
    let recorded = || -> Vec<(String, u64)> {
        let lines = manifest(&out);
        for line in &lines {
            let path = line["path"].as_str().unwrap();
            assert!(out.join(path).is_file(), "{path} is listed and there");
            assert!(path.starts_with(line["letter"].as_str().unwrap()), "{path}");
        }
        lines
            .iter()
            .map(|l| {
                (
                    l["letter"].as_str().unwrap().into(),
                    l["row"].as_u64().unwrap(),
                )
            })
            .collect()
    };

    let child = start_when(&args, &out, |dir| {
        entries(dir).filter(|n| n.ends_with(".txt")).count() >= 10
    });
    let (code, err) = interrupt(child);
    assert_eq!(code, Some(130), "{err}");
    let made = recorded();
    assert!(made.len() < expected.len(), "the run stopped part way");
    // Letters in flight on other threads were finished, the rest left: the
    // manifest lists those made, in the run's order.
    let mut in_order = made.clone();
    in_order.sort();
    in_order.dedup();
    assert_eq!(made, in_order);

    let (code, _, err) = run(protest().args(args));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "{} written, {} already there",
            expected.len() - made.len(),
            made.len()
        )),
        "{err}"
    );
    assert_eq!(recorded(), expected);

    // Stopped again, once it has begun: every earlier line stays, in order.
    let child = start_when(&args, &out, |dir| {
        entries(dir).any(|n| n.starts_with(".protest-tmp-"))
    });
    let (code, err) = interrupt(child);
    assert!(matches!(code, Some(130) | Some(0)), "{err}");
    assert_eq!(recorded(), expected);
}
