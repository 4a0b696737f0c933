//! Batches as a user runs them: a branch's CSV of senders, one file per letter
//! with a manifest, every format, interrupted and resumed, checked the way a
//! user would check the result.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::{protest, run};
use mail_parser::mailbox::mbox::MessageIterator;
use mail_parser::MessageParser;
use serde_json::Value;
use sha2::{Digest, Sha256};

// A day the mamai letter was true: he was held awaiting trial.
const DATE: &str = "2017-05-01";

/// `n` members of one branch: `name,org,email`, no country.
fn members(n: usize) -> String {
    let mut csv = String::from("name,org,email\n");
    for i in 0..n {
        csv.push_str(&format!("Member {i:04},Unite Leeds,m{i}@example.org\n"));
    }
    csv
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// `protest write mamai --date DATE ARGS…`.
fn write_cmd(args: &[&str]) -> assert_cmd::Command {
    let mut cmd = protest();
    cmd.args(["write", "mamai", "--as-of", DATE]).args(args);
    cmd
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The files in `dir` by name (letters and the manifest), not recursing.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            assert!(e.file_type().unwrap().is_file(), "{:?}", e.path());
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The letters in `dir`: every file but the manifest and dot-files.
fn letters(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = files(dir);
    all.retain(|name, _| name != "manifest.jsonl" && !name.starts_with('.'));
    all
}

fn manifest(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("manifest.jsonl"))
        .expect("the run wrote manifest.jsonl")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each manifest line is JSON"))
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks the manifest against the directory: `letters` entries, in row order;
/// every letter written is there with the recorded sha256, and every file in
/// the directory is in the manifest exactly once. Returns the entries.
fn check_manifest(dir: &Path, format: &str, count: usize) -> Vec<Value> {
    let entries = manifest(dir);
    let on_disk = letters(dir);
    assert_eq!(entries.len(), count, "one manifest entry per letter");
    let mut row = 1;
    let mut listed = BTreeSet::new();
    // A letter that failed because a file of the user's has its name.
    let mut not_ours = BTreeSet::new();
    for entry in &entries {
        let this = entry["row"].as_u64().expect("a row number");
        assert!(this == row || this == row + 1, "rows in order: {entry}");
        row = this;
        assert_eq!(entry["format"], format, "{entry}");
        assert_eq!(entry["schema"], "protest/1", "{entry}");
        assert!(
            entry["mission"].is_string() && entry["sender"]["name"].is_string(),
            "{entry}"
        );
        // Unknown is left out, never null.
        assert!(
            entry.as_object().unwrap().values().all(|v| !v.is_null()),
            "{entry}"
        );
        match entry["status"].as_str().unwrap() {
            "written" | "unchanged" | "replaced" => {
                let path = entry["path"].as_str().expect("a written letter has a path");
                assert!(listed.insert(path.to_string()), "{path} listed twice");
                let bytes = on_disk.get(path).unwrap_or_else(|| {
                    panic!("{path} is in the manifest but not in the directory")
                });
                assert_eq!(entry["sha256"], sha256(bytes), "{path}");
                assert!(entry["reason"].is_null());
            }
            "skipped" => {
                assert!(
                    entry["path"].is_null() && entry["sha256"].is_null(),
                    "{entry}"
                );
                assert!(entry["reason"].is_string(), "{entry}");
            }
            "failed" => {
                assert!(
                    entry["reason"].is_string() && entry["sha256"].is_null(),
                    "{entry}"
                );
                if let Some(path) = entry["path"].as_str() {
                    not_ours.insert(path.to_string());
                }
            }
            other => panic!("unknown status {other}"),
        }
    }
    let names: BTreeSet<String> = on_disk
        .keys()
        .filter(|name| !not_ours.contains(*name))
        .cloned()
        .collect();
    assert_eq!(
        names, listed,
        "the directory holds exactly the letters listed"
    );
    entries
}

/// The summary line on stderr: "N letters in DIR: … written, … already there, …".
fn summary(err: &str) -> &str {
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains(" already there, "))
        .collect();
    assert_eq!(lines.len(), 1, "one summary line in:\n{err}");
    lines[0]
}

/// A text letter from a sender without an organisation ends with their signature.
fn is_complete_text_letter(bytes: &[u8], name: &str) -> bool {
    let text = std::str::from_utf8(bytes).unwrap();
    text.starts_with(&format!("{name}\n"))
        && text.ends_with(&format!("\nYours sincerely,\n\n\n\n{name}\n"))
}

fn assert_no_letters(dir: &Path) {
    if dir.exists() {
        let left = files(dir);
        assert!(left.is_empty(), "nothing may be written: {:?}", left.keys());
    }
}

/// Every file under `root`, recursively.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}

fn assert_valid_pdf(bytes: &[u8], path: &Path, author: &str) {
    assert!(bytes.starts_with(b"%PDF-"), "{}", path.display());
    assert!(
        bytes.trim_ascii_end().ends_with(b"%%EOF"),
        "{} is cut short",
        path.display()
    );
    // poppler, where installed, reads it and finds the sender.
    if let Ok(out) = StdCommand::new("pdfinfo").arg(path).output() {
        let info = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "pdfinfo {}: {info}", path.display());
        assert!(
            info.contains(&format!("Author:          {author}\n")),
            "{info}"
        );
    }
}

// ---------------------------------------------------------------------------
// The senders file

#[test]
fn csv_columns_fill_the_sender_block_extra_fields_and_personal_paragraphs() {
    let tmp = tempfile::tempdir().unwrap();
    let letters_dir = tmp.path().join("letters");
    std::fs::create_dir(&letters_dir).unwrap();
    write(
        &letters_dir,
        "branch.hbs",
        "+++\nid = \"branch\"\ntitle = \"T\"\nlanguage = \"en-GB\"\nsubject = \"Free {{names prisoners}}\"\n\
         prisoners = [\"zhanbolat-mamai\"]\nsource = \"test\"\n+++\n\
         As member {{extra.membership_no}} of {{sender.org}} I ask you to free {{names prisoners}}.\n",
    );
    // A spreadsheet's export: a BOM, semicolons, headers as people write them,
    // and a quoted cell holding the delimiter.
    let csv = write(
        tmp.path(),
        "branch.csv",
        "\u{feff}Name;Organisation;Position;Address 1;Address 2;E-mail;Telephone;Country;Membership No;Personal\n\
         Ann Lee;\"Unite; Leeds Branch\";Branch Secretary;12 Example Street;Leeds LS1 1AA;ann@example.org;+44 113 000;GB;1234;I met Mr Mamai's wife in Almaty.\n\
         Bob Roe;GMB;;;;;;GB;98;\n",
    );
    let out = tmp.path().join("out");
    let (code, _, err) = run(protest()
        .args(["write", "branch", "--as-of", DATE, "--senders", s(&csv)])
        .args(["--letters", s(&letters_dir), "--out", s(&out)]));
    assert_eq!(code, 0, "{err}");
    let written = letters(&out);
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        ["gb-london-Ann-Lee.txt", "gb-london-Bob-Roe.txt"]
    );
    let ann = std::str::from_utf8(&written["gb-london-Ann-Lee.txt"]).unwrap();
    assert!(
        ann.starts_with(
            "Ann Lee\nBranch Secretary\nUnite; Leeds Branch\n12 Example Street\nLeeds LS1 1AA\nann@example.org\n+44 113 000\n\n"
        ),
        "{ann}"
    );
    assert!(
        ann.contains("As member 1234 of Unite; Leeds Branch I ask you to free Zhanbolat Mamai."),
        "{ann}"
    );
    assert!(
        ann.contains("\nI met Mr Mamai's wife in Almaty.\n"),
        "{ann}"
    );
    let bob = std::str::from_utf8(&written["gb-london-Bob-Roe.txt"]).unwrap();
    assert!(bob.starts_with("Bob Roe\nGMB\n\n"), "{bob}");
    assert!(bob.contains("As member 98 of GMB I ask"), "{bob}");
    assert!(
        !bob.contains("Almaty"),
        "one member's paragraph is theirs alone"
    );
    let entries = check_manifest(&out, "text", 2);
    assert_eq!(entries[0]["sender"]["name"], "Ann Lee");
    assert_eq!(entries[0]["letter"], "branch");
}

/// Templates are handed only the sender and extra fields they read: every
/// way a template can reach one (a path, `lookup`, `with`, `each`, `if`, an
/// index, `this`, `../`, `@root`), each in a letter of its own so that none
/// hides another, still finds it, in the body and in the subject.
#[test]
fn every_way_a_template_reaches_a_field_finds_it() {
    let tmp = tempfile::tempdir().unwrap();
    let letters_dir = tmp.path().join("letters");
    std::fs::create_dir(&letters_dir).unwrap();
    let csv = write(
        tmp.path(),
        "s.csv",
        "name,org,town,phone,address,topic,other\nAnn Lee,Unite,Leeds,0123,1 Road,water,x1\n\
         Bob Roe,GMB,York,,2 Lane,air,x2\n",
    );
    let ways = [
        ("{{extra.topic}}", "water", "air"),
        ("{{lookup extra 'topic'}}", "water", "air"),
        ("{{lookup sender 'org'}}", "Unite", "GMB"),
        (
            "{{#with sender}}{{org}} {{town}}{{/with}}",
            "Unite Leeds",
            "GMB York",
        ),
        ("{{#with extra}}{{topic}}{{/with}}", "water", "air"),
        (
            "{{#each extra}}{{@key}}={{this}};{{/each}}",
            "other=x1;topic=water;",
            "other=x2;topic=air;",
        ),
        ("{{sender.address.[0]}}", "1 Road", "2 Lane"),
        (
            "{{#if sender.phone}}phone {{sender.phone}}{{/if}}",
            "phone 0123",
            "",
        ),
        ("{{this.sender.org}}", "Unite", "GMB"),
        ("{{@root.sender.town}}", "Leeds", "York"),
        ("{{../sender.name}}", "Ann Lee", "Bob Roe"),
    ];
    for (n, (way, ann, bob)) in ways.iter().enumerate() {
        let id = format!("probe-{n}");
        write(
            &letters_dir,
            &format!("{id}.hbs"),
            format!(
                "+++\nid = \"{id}\"\ntitle = \"T\"\nlanguage = \"en-GB\"\n\
                 subject = \"S <{way}>\"\nprisoners = []\nsource = \"test\"\n+++\nB <{way}>.\n"
            ),
        );
        let out = tmp.path().join(&id);
        let (code, _, err) = run(protest()
            .args(["write", &id, "--as-of", DATE, "--senders", s(&csv)])
            .args([
                "--letters",
                s(&letters_dir),
                "--to",
                "gb-london",
                "--out",
                s(&out),
            ]));
        assert_eq!(code, 0, "{way}: {err}");
        let written = letters(&out);
        for (file, value) in [
            ("gb-london-Ann-Lee.txt", ann),
            ("gb-london-Bob-Roe.txt", bob),
        ] {
            let text = std::str::from_utf8(&written[file]).unwrap();
            for line in [format!("S <{value}>"), format!("B <{value}>.")] {
                assert!(
                    text.lines().any(|l| l == line),
                    "{way}, {file}: {line:?} in\n{text}"
                );
            }
        }
    }
}

#[test]
fn each_sender_writes_to_the_embassy_in_their_own_country() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = write(
        tmp.path(),
        "s.csv",
        "name,country\nAnn Lee,GB\nHans Weber,Germany\nCai Li,United Kingdom\n",
    );
    let out = tmp.path().join("out");
    let (code, _, err) = run(&mut write_cmd(&["--senders", s(&csv), "--out", s(&out)]));
    assert_eq!(code, 0, "{err}");
    let recipients: Vec<Value> = check_manifest(&out, "text", 3)
        .iter()
        .map(|e| e["mission"].clone())
        .collect();
    assert_eq!(recipients, ["gb-london", "de-berlin", "gb-london"]);
    let written = letters(&out);
    let berlin = String::from_utf8(written["de-berlin-Hans-Weber.txt"].clone()).unwrap();
    assert!(
        berlin.contains("Nordendstraße 14-17\n13156 Berlin\n"),
        "{berlin}"
    );
    let london = String::from_utf8(written["gb-london-Cai-Li.txt"].clone()).unwrap();
    assert!(
        london.contains("125 Pall Mall\nLondon SW1Y 5EA\n"),
        "{london}"
    );
}

#[test]
fn bad_rows_are_named_by_row_and_column_and_nothing_is_written() {
    let good = "name,org,country\nAnn Lee,Unite,GB\nBob Roe,Unite,GB\n";
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "empty name",
            format!("{good},Unite,GB\n").into(),
            "row 3, column `name`: is empty",
        ),
        (
            "ragged row",
            format!("{good}Cy Dee,Unite,GB,extra\n").into(),
            "row 3 has 4 cells where the header has 3",
        ),
        (
            "invalid UTF-8",
            [good.as_bytes(), b"Cy Dee,Un\xffite,GB\n"].concat(),
            "row 3, column `org`: not valid UTF-8",
        ),
        (
            "control character",
            format!("{good}Cy Dee,\"Un\u{7}ite\",GB\n").into(),
            "row 3, column `org`: contains the control character U+0007",
        ),
        (
            "line break in a name",
            format!("{good}\"Cy\nDee\",Unite,GB\n").into(),
            "row 3, column `name`: contains the control character U+000A",
        ),
    ];
    for (what, csv, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let csv = write(tmp.path(), "branch.csv", csv);
        let out = tmp.path().join("out");
        let (code, stdout, err) = run(&mut write_cmd(&["--senders", s(&csv), "--out", s(&out)]));
        assert_eq!(code, 65, "{what}: {err}");
        assert_eq!(stdout, "");
        assert!(
            err.starts_with(&format!("error: {}:4: {expected}\n", csv.display())),
            "{what}: {err}"
        );
        assert!(err.contains("help: "), "{what}: {err}");
        assert_no_letters(&out);
    }
}

// ---------------------------------------------------------------------------
// File names

#[test]
fn file_names_from_senders_never_leave_the_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let hostile = [
        "../../evil",
        "/etc/x",
        "CON",
        "a/b",
        "..",
        "..\\..\\windows",
        ".hidden",
        "nul.txt",
    ];
    let mut csv = String::from("name,country\n");
    for name in hostile {
        csv.push_str(&format!("\"{name}\",GB\n"));
    }
    let csv = write(tmp.path(), "s.csv", csv);
    let root = tmp.path().join("a/b");
    let out = root.join("out");
    for (dir, pattern) in [
        ("names", "{{sender.name}}"),
        ("escape", "../../{{sender.name}}/{{row}}"),
    ] {
        let dir = out.join(dir);
        let (code, _, err) = run(&mut write_cmd(&[
            "--senders",
            s(&csv),
            "--out",
            s(&dir),
            "--file-name",
            pattern,
        ]));
        assert_eq!(code, 0, "{pattern}: {err}");
        let entries = check_manifest(&dir, "text", hostile.len());
        for entry in &entries {
            let path = entry["path"].as_str().unwrap();
            assert!(
                !path.contains(['/', '\\']) && !path.starts_with('.'),
                "{path}"
            );
            let stem = path.split('.').next().unwrap().to_ascii_uppercase();
            assert!(!["CON", "NUL"].contains(&stem.as_str()), "{path}");
        }
    }
    // Nothing anywhere under the temporary directory but the two output
    // directories' files and the CSV.
    for file in walk(tmp.path()) {
        if file == csv {
            continue;
        }
        let parent = file.parent().unwrap();
        assert!(
            parent == out.join("names") || parent == out.join("escape"),
            "{} is outside the output directory",
            file.display()
        );
    }
    assert_eq!(walk(tmp.path()).len(), 1 + 2 * (hostile.len() + 1));
}

#[test]
fn two_letters_with_one_name_stop_the_run_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    // The same name, and two names that are the same once made safe.
    for (csv, first, second, name) in [
        (
            "name,country\nAnn Lee,GB\nBob,GB\nAnn Lee,GB\n",
            1,
            3,
            "gb-london-Ann-Lee.txt",
        ),
        ("name,country\nA/b,GB\nA b,GB\n", 1, 2, "gb-london-A-b.txt"),
    ] {
        let csv = write(tmp.path(), "s.csv", csv);
        let out = tmp.path().join("out");
        let (code, _, err) = run(&mut write_cmd(&["--senders", s(&csv), "--out", s(&out)]));
        assert_eq!(code, 65, "{err}");
        assert!(
            err.starts_with(&format!(
                "error: two letters would be written to `{name}` (rows {first} and {second})\n"
            )),
            "{err}"
        );
        assert!(
            err.contains("--file-name"),
            "the help names the flag: {err}"
        );
        assert!(!out.exists(), "nothing is written, not even the directory");
    }
    // Told how, every letter gets its own name.
    let out = tmp.path().join("numbered");
    let (code, _, err) = run(&mut write_cmd(&[
        "--senders",
        s(&tmp.path().join("s.csv")),
        "--out",
        s(&out),
        "--file-name",
        "{{row}}-{{sender.name}}",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        letters(&out).keys().collect::<Vec<_>>(),
        ["1-A-b.txt", "2-A-b.txt"]
    );
}

// ---------------------------------------------------------------------------
// Existing files, failures, re-runs

#[test]
fn a_users_file_is_never_overwritten_and_stops_the_run_before_any_letter() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 600;
    let csv = write(
        tmp.path(),
        "s.csv",
        members(rows).replace(",Unite Leeds,", ",,"),
    );
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // The last letter's name: found before the first is written.
    let mine = write(&out, "gb-london-Member-0599.txt", "my own notes\n");
    let args = ["--to", "gb-london", "--senders", s(&csv), "--out", s(&out)];
    let refused = format!(
        "error: {}, which protest did not write: a letter of this run would be written there\n  help: move it away, or choose another --out directory; --force replaces it\n",
        mine.display()
    );
    for extra in [&[][..], &["--keep-going"][..], &["--dry-run"][..]] {
        let (code, _, err) = run(write_cmd(&args).args(extra));
        assert_eq!(code, 73, "{extra:?}: {err}");
        assert!(err.ends_with(&refused), "{extra:?}: {err}");
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own notes\n");
        // Nothing written, no manifest.
        assert_eq!(files(&out).len(), 1, "{extra:?}");
    }

    // --force replaces it, names it, and writes the rest.
    let (code, _, err) = run(write_cmd(&args).arg("--force"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "warning: replacing {}, which protest did not write (--force)\n",
            mine.display()
        )),
        "{err}"
    );
    assert!(is_complete_text_letter(
        &std::fs::read(&mine).unwrap(),
        "Member 0599"
    ));
    assert_eq!(
        summary(&err),
        format!(
            "600 letters in {}: 600 written, 0 already there, 0 skipped, 0 failed",
            out.display()
        )
    );
    let entries = check_manifest(&out, "text", rows);
    assert_eq!(entries[599]["status"], "replaced");
}

#[test]
fn a_killed_run_leaves_only_whole_letters_and_a_rerun_completes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 600;
    let csv = write(
        tmp.path(),
        "s.csv",
        members(rows).replace(",Unite Leeds,", ",,"),
    );
    let out = tmp.path().join("out");
    let args = [
        "write",
        "mamai",
        "--as-of",
        DATE,
        "--to",
        "gb-london",
        "--senders",
        s(&csv),
        "--out",
        s(&out),
    ];
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_protest"))
        .args(args)
        .args(["--jobs", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        // Only names: the run is still renaming files in and out.
        let named = std::fs::read_dir(&out).map_or(0, |entries| {
            entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".txt"))
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .count()
        });
        if named >= 10 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run finished before it could be interrupted"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no letters appeared"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();

    // Whatever carries a letter's name is a whole letter.
    let survivors = letters(&out);
    assert!(survivors.len() < rows, "the run was interrupted part way");
    for (name, bytes) in &survivors {
        let member = name
            .trim_start_matches("gb-london-")
            .trim_end_matches(".txt")
            .replace('-', " ");
        assert!(
            is_complete_text_letter(bytes, &member),
            "{name} is half written"
        );
    }
    // A half-written temporary file of a run long gone (a process id above
    // the kernel's maximum), and a user's own dot-files, some named much
    // like a temporary file.
    write(
        &out,
        ".protest-tmp-4194399-00c0ffee00c0ffee",
        "Member 0599\nYour Exc",
    );
    write(&out, ".notes.tmp", "mine");
    write(&out, ".draft.v2.tmp", "mine");
    write(&out, ".notes.99999.tmp", "mine");
    write(&out, ".gb-london-Member-0599.txt.4194399.tmp", "mine");

    let (code, _, err) = run(protest().args(args));
    assert_eq!(code, 0, "{err}");
    let k = survivors.len();
    assert_eq!(
        summary(&err),
        format!(
            "{rows} letters in {}: {} written, {k} already there, 0 skipped, 0 failed",
            out.display(),
            rows - k
        )
    );
    let all = files(&out);
    let dot: Vec<&String> = all.keys().filter(|n| n.starts_with('.')).collect();
    assert_eq!(
        dot,
        [
            ".draft.v2.tmp",
            ".gb-london-Member-0599.txt.4194399.tmp",
            ".notes.99999.tmp",
            ".notes.tmp"
        ],
        "stray temporary files are cleaned up, and only they"
    );
    let written = letters(&out);
    assert_eq!(written.len(), rows);
    for (i, (name, bytes)) in written.iter().enumerate() {
        assert_eq!(name, &format!("gb-london-Member-{i:04}.txt"));
        assert!(
            is_complete_text_letter(bytes, &format!("Member {i:04}")),
            "{name}"
        );
        if let Some(before) = survivors.get(name) {
            assert_eq!(before, bytes);
        }
    }
    let entries = check_manifest(&out, "text", rows);
    let unchanged = entries
        .iter()
        .filter(|e| e["status"] == "unchanged")
        .count();
    let new = entries.iter().filter(|e| e["status"] == "written").count();
    assert_eq!((unchanged, new), (k, rows - k));
}

// ---------------------------------------------------------------------------
// Skips, --strict, --dry-run

#[test]
fn missions_without_email_are_skipped_with_a_reason_unless_strict() {
    let (code, listing, _) = run(protest().args(["embassies", "--json"]));
    assert_eq!(code, 0);
    let listing: Value = serde_json::from_str(&listing).unwrap();
    let listed = listing["missions"].as_array().unwrap();
    // `--all` writes to missions, not to authorities such as the President.
    let missions: Vec<&Value> = listed.iter().filter(|m| m["kind"] != "authority").collect();
    assert!(missions.len() < listed.len());
    let without: BTreeSet<&str> = missions
        .iter()
        .filter(|m| m["email"].as_str().is_none_or(str::is_empty))
        .map(|m| m["mission"].as_str().unwrap())
        .collect();
    assert!(!without.is_empty() && without.len() < missions.len());

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("drafts");
    let args = [
        "--all",
        "--name",
        "Ann Lee",
        "--email",
        "ann@example.org",
        "--format",
        "eml",
    ];
    let (code, _, err) = run(write_cmd(&args).args(["--out", s(&out)]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        summary(&err),
        format!(
            "{} letters in {}: {} written, 0 already there, {} skipped, 0 failed",
            missions.len(),
            out.display(),
            missions.len() - without.len(),
            without.len()
        )
    );
    let entries = check_manifest(&out, "eml", missions.len());
    for entry in &entries {
        let id = entry["mission"].as_str().unwrap();
        if without.contains(id) {
            assert_eq!(entry["status"], "skipped", "{entry}");
            assert_eq!(entry["reason"], "no email address", "{entry}");
            assert!(err.contains(&format!("warning: skipped {id}: no email address\n")));
        } else {
            assert_eq!(entry["status"], "written", "{entry}");
        }
    }
    assert_eq!(letters(&out).len(), missions.len() - without.len());

    // --strict: an error, before anything is written.
    let strict = tmp.path().join("strict");
    let (code, _, err) = run(write_cmd(&args).args(["--strict", "--out", s(&strict)]));
    assert_eq!(code, 65, "{err}");
    let first = missions
        .iter()
        .map(|m| m["mission"].as_str().unwrap())
        .find(|id| without.contains(id))
        .unwrap();
    assert!(
        err.starts_with(&format!(
            "error: {first}: no email address in the directory\n"
        )),
        "{err}"
    );
    assert!(!strict.exists(), "nothing is written");
}

#[test]
fn dry_run_prints_the_plan_and_the_first_letter_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut csv = String::from("name,country\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "Member {i:04},{}\n",
            ["GB", "DE", "Germany"][i % 3]
        ));
    }
    let csv = write(tmp.path(), "s.csv", csv);
    let out = tmp.path().join("out");
    let (code, plan, err) = run(&mut write_cmd(&[
        "--senders",
        s(&csv),
        "--out",
        s(&out),
        "--dry-run",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(!out.exists(), "a dry run creates nothing");
    assert!(
        plan.starts_with(&format!(
            "Would write 300 letters (text) to 2 missions, to files in {}:\n  \
             Member 0000 to gb-london -> gb-london-Member-0000.txt\n  \
             Member 0001 to de-berlin -> de-berlin-Member-0001.txt\n",
            out.display()
        )),
        "{plan}"
    );
    assert!(
        plan.contains("  … and 290 more\n\nThe first letter:\n\n"),
        "{plan}"
    );

    // The first letter is shown exactly as it will be written.
    let (code, _, err) = run(&mut write_cmd(&["--senders", s(&csv), "--out", s(&out)]));
    assert_eq!(code, 0, "{err}");
    let first = String::from_utf8(letters(&out)["gb-london-Member-0000.txt"].clone()).unwrap();
    assert!(plan.ends_with(&format!("\n\n{first}")), "{plan}");
    check_manifest(&out, "text", 300);
}

// ---------------------------------------------------------------------------
// Every format, a branch at a time; the same bytes whatever the threads

/// Runs one batch with `--jobs 1` and `--jobs 4` into `DIR/j1` and `DIR/j4`,
/// checks both runs succeed and every file (the manifest too) is identical.
fn batch_twice(tmp: &Path, args: &[&str]) -> (PathBuf, String) {
    let mut dirs = Vec::new();
    let mut first_err = String::new();
    for jobs in ["1", "4"] {
        let out = tmp.join(format!("j{jobs}"));
        let (code, stdout, err) = run(write_cmd(args).args(["--jobs", jobs, "--out", s(&out)]));
        assert_eq!(code, 0, "{err}");
        assert_eq!(stdout, "");
        assert!(
            !err.contains('\r') && !err.contains('\u{1b}'),
            "no progress bar when stderr is not a terminal: {err:?}"
        );
        if first_err.is_empty() {
            first_err = err;
        }
        dirs.push(out);
    }
    let (one, four) = (files(&dirs[0]), files(&dirs[1]));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        four.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(
            bytes == &four[name],
            "{name} differs between --jobs 1 and --jobs 4"
        );
    }
    (dirs.swap_remove(0), first_err)
}

#[test]
fn text_batch_one_file_per_member_with_a_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 300;
    let csv = write(tmp.path(), "s.csv", members(rows));
    let (out, err) = batch_twice(tmp.path(), &["--to", "gb-london", "--senders", s(&csv)]);
    // `mamai` has no alternatives: every member's letter is the same text.
    assert_eq!(
        err,
        format!(
            "warning: {rows} letters of `mamai` to gb-london would have 1 distinct text between \
             them ({rows} copies of one): officials and mail filters discount letters the same \
             but for the sender's details\n  help: `mamai` (en-GB) can take 1 wording; give a \
             letter more with {{{{#vary}}}} alternatives (letters/README.md, \"Alternatives\"), or \
             give each sender a paragraph of their own in a `personal` column\n\
             {rows} letters in {}: {rows} written, 0 already there, 0 skipped, 0 failed\n",
            out.display()
        )
    );
    let entries = check_manifest(&out, "text", rows);
    let written = letters(&out);
    for (i, entry) in entries.iter().enumerate() {
        let name = format!("Member {i:04}");
        assert_eq!(entry["row"], i + 1);
        assert_eq!(entry["sender"]["name"], name);
        assert_eq!(entry["mission"], "gb-london");
        assert_eq!(entry["status"], "written");
        let text = std::str::from_utf8(&written[entry["path"].as_str().unwrap()]).unwrap();
        assert!(
            text.starts_with(&format!("{name}\nUnite Leeds\nm{i}@example.org\n\n")),
            "{text}"
        );
        assert!(
            text.ends_with(&format!("\nYours sincerely,\n\n\n\n{name}\nUnite Leeds\n")),
            "{text}"
        );
        assert!(text.contains("\n125 Pall Mall\nLondon SW1Y 5EA\n"));
    }
}

#[test]
fn eml_batch_one_draft_per_member_from_their_own_address() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 300;
    let csv = write(tmp.path(), "s.csv", members(rows));
    let (out, _) = batch_twice(
        tmp.path(),
        &["--to", "gb-london", "--senders", s(&csv), "--format", "eml"],
    );
    let entries = check_manifest(&out, "eml", rows);
    let written = letters(&out);
    for (i, entry) in entries.iter().enumerate() {
        let eml = &written[entry["path"].as_str().unwrap()];
        let msg = MessageParser::default()
            .parse(eml)
            .expect("the draft parses");
        let from = msg.from().unwrap().first().unwrap();
        assert_eq!(from.name(), Some(format!("Member {i:04}").as_str()));
        assert_eq!(from.address(), Some(format!("m{i}@example.org").as_str()));
        assert_eq!(
            msg.to().unwrap().first().unwrap().address(),
            Some("london@mfa.kz")
        );
        assert_eq!(
            msg.subject(),
            Some("Release of the journalist Zhanbolat Mamai")
        );
        let body = msg.body_text(0).unwrap();
        assert!(body.contains(&format!("Member {i:04}")), "{body}");
    }
}

#[test]
fn pdf_batch_one_valid_pdf_per_member() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 20;
    let csv = write(tmp.path(), "s.csv", members(rows));
    let (out, _) = batch_twice(
        tmp.path(),
        &["--to", "gb-london", "--senders", s(&csv), "--format", "pdf"],
    );
    let entries = check_manifest(&out, "pdf", rows);
    for (i, entry) in entries.iter().enumerate() {
        let path = out.join(entry["path"].as_str().unwrap());
        assert_valid_pdf(
            &std::fs::read(&path).unwrap(),
            &path,
            &format!("Member {i:04}"),
        );
    }
}

#[test]
fn mbox_and_mailto_batches_put_every_letter_in_one_file() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 300;
    let csv = write(tmp.path(), "s.csv", members(rows));
    for format in ["mbox", "mailto"] {
        let mut outputs = Vec::new();
        for jobs in ["1", "4"] {
            let file = tmp.path().join(format!("{format}-{jobs}"));
            let (code, stdout, err) = run(&mut write_cmd(&[
                "--to",
                "gb-london",
                "--senders",
                s(&csv),
                "--format",
                format,
                "--jobs",
                jobs,
                "-o",
                s(&file),
            ]));
            assert_eq!(code, 0, "{err}");
            assert_eq!(stdout, "");
            assert_eq!(
                summary(&err),
                format!(
                    "{rows} letters to {}: {rows} written, 0 already there, 0 skipped, 0 failed",
                    file.display()
                )
            );
            outputs.push(std::fs::read(&file).unwrap());
        }
        assert!(outputs[0] == outputs[1], "{format}: --jobs 1 and 4 differ");
        let bytes = &outputs[0];
        if format == "mbox" {
            let messages: Vec<_> = MessageIterator::new(bytes.as_slice())
                .map(|m| m.expect("the mbox reads back"))
                .collect();
            assert_eq!(messages.len(), rows);
            for (i, m) in messages.iter().enumerate() {
                assert_eq!(m.from(), format!("m{i}@example.org"));
                let msg = MessageParser::default().parse(m.contents()).unwrap();
                assert_eq!(
                    msg.to().unwrap().first().unwrap().address(),
                    Some("london@mfa.kz")
                );
            }
        } else {
            let text = std::str::from_utf8(bytes).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), rows, "one line per letter");
            for (i, line) in lines.iter().enumerate() {
                assert!(line.starts_with("mailto:london@mfa.kz?"), "{line}");
                assert!(
                    line.contains(&format!("Member%20{i:04}")),
                    "line {i} is member {i}'s"
                );
            }
        }
    }
}

/// One file for every letter (an mbox, a mailto list, a combined PDF, to a
/// file or standard output) is written as its letters are checked, in one
/// pass: a bad row long after the first letters were made must still leave
/// nothing behind (no file, no temporary, no bytes on standard output, the
/// user's own file as it was), and `--keep-going` writes every other letter.
#[test]
fn a_bad_row_late_in_a_one_file_run_leaves_no_file_and_keep_going_writes_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 1300;
    // Row 1200 is in the third chunk of letters, after two were made.
    let csv = members(rows).replace("Member 1199,Unite Leeds,", ",Unite Leeds,");
    let csv = write(tmp.path(), "s.csv", csv);
    let expected = format!(
        "error: {}:1201: row 1200, column `name`: is empty",
        csv.display()
    );
    let outputs: [(&str, &[&str]); 4] = [
        ("mbox", &["--format", "mbox", "-o"]),
        ("mailto", &["--format", "mailto", "-o"]),
        ("pdf", &["--combine"]),
        ("mbox to stdout", &["--format", "mbox", "-o", "-"]),
    ];
    for (what, flags) in outputs {
        let out = tempfile::tempdir().unwrap();
        let file = out.path().join("letters");
        let users = b"the user's own file, kept";
        let mut args = vec!["--to", "gb-london", "--senders", s(&csv), "--jobs", "2"];
        args.extend(flags);
        if !what.ends_with("stdout") {
            std::fs::write(&file, users).unwrap();
            args.extend([s(&file), "--force"]);
        }
        let (code, stdout, err) = run(&mut write_cmd(&args));
        assert_eq!(code, 65, "{what}: {err}");
        assert!(err.starts_with(&expected), "{what}: {err}");
        assert_eq!(stdout, "", "{what}");
        let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().flatten().collect();
        if what.ends_with("stdout") {
            assert!(left.is_empty(), "{what}: {left:?}");
        } else {
            assert_eq!(left.len(), 1, "{what}: only the user's file: {left:?}");
            assert_eq!(std::fs::read(&file).unwrap(), users, "{what}");
        }
    }

    let file = tmp.path().join("kept.mbox");
    let (code, _, err) = run(&mut write_cmd(&[
        "--to",
        "gb-london",
        "--senders",
        s(&csv),
        "--format",
        "mbox",
        "--keep-going",
        "-o",
        s(&file),
    ]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("row 1200, column `name`: is empty"), "{err}");
    assert!(
        err.contains(&format!(
            "{rows} letters to {}: {} written, 0 already there, 1 skipped, 0 failed",
            file.display(),
            rows - 1
        )),
        "{err}"
    );
    let bytes = std::fs::read(&file).unwrap();
    let senders: Vec<String> = MessageIterator::new(bytes.as_slice())
        .map(|m| m.expect("the mbox reads back").from().to_string())
        .collect();
    assert_eq!(senders.len(), rows - 1);
    assert!(!senders.contains(&"m1199@example.org".to_string()));
    assert_eq!(
        senders.last().unwrap(),
        &format!("m{}@example.org", rows - 1)
    );
}

// ---------------------------------------------------------------------------
// Signals, resuming, and outputs that are not regular files

/// Starts a long batch (`--jobs 1`) and returns it once `ready` says so of
/// the output directory, so that a signal comes part way.
fn start_and_wait(args: &[&str], dir: &Path, ready: impl Fn(&Path) -> bool) -> std::process::Child {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_protest"))
        .args(args)
        .args(["--jobs", "1"])
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !ready(dir) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run finished before it could be interrupted"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the run never got going"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}

fn named_letters(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".txt"))
            .count()
    })
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".protest-tmp-"))
                .collect()
        })
        .unwrap_or_default()
}

fn signal(child: &std::process::Child, signal: i32) {
    // SAFETY: kill(2) on the process we started and have not yet waited for.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
}

#[test]
fn a_signal_stops_the_run_between_letters_leaves_no_temporary_file_and_a_true_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 3000;
    let csv = write(
        tmp.path(),
        "s.csv",
        members(rows).replace(",Unite Leeds,", ",,"),
    );
    for (sig, name, code) in [
        (libc::SIGINT, "SIGINT", 130),
        (libc::SIGTERM, "SIGTERM", 143),
        (libc::SIGHUP, "SIGHUP", 129),
    ] {
        let out = tmp.path().join(name);
        let args = [
            "write",
            "mamai",
            "--as-of",
            DATE,
            "--to",
            "gb-london",
            "--senders",
            s(&csv),
            "--out",
            s(&out),
        ];
        let child = start_and_wait(&args, &out, |dir| named_letters(dir) >= 10);
        signal(&child, sig);
        let output = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{name}: {err}");
        assert!(
            err.contains(&format!("error: interrupted by {name}: "))
                && err.contains("run the same command again"),
            "{name}: {err}"
        );
        assert_eq!(temporaries(&out), Vec::<String>::new(), "{name}");
        // The manifest lists exactly the letters there, each whole.
        let written = letters(&out);
        assert!(written.len() < rows, "{name}: the run stopped part way");
        let entries = check_manifest(&out, "text", written.len());
        assert!(entries.iter().all(|e| e["status"] == "written"));
        for (file, bytes) in &written {
            let member = file
                .trim_start_matches("gb-london-")
                .trim_end_matches(".txt")
                .replace('-', " ");
            assert!(is_complete_text_letter(bytes, &member), "{file}");
        }
        let line = summary(&err);
        assert!(
            line.ends_with(&format!(
                "{} written, 0 already there, 0 skipped, 0 failed, {} not written",
                written.len(),
                rows - written.len()
            )),
            "{name}: the counts add up: {line}"
        );
        // Run again, it completes the batch.
        let (code, _, err) = run(protest().args(args));
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            summary(&err),
            format!(
                "{rows} letters in {}: {} written, {} already there, 0 skipped, 0 failed",
                out.display(),
                rows - written.len(),
                written.len()
            )
        );
        check_manifest(&out, "text", rows);
    }
}

#[test]
fn a_signal_leaves_no_part_of_a_single_output() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = write(tmp.path(), "s.csv", members(3000));
    for (format, file) in [("mbox", "all.mbox"), ("mailto", "links.txt")] {
        let dir = tmp.path().join(format);
        std::fs::create_dir(&dir).unwrap();
        let path = dir.join(file);
        let args = [
            "write",
            "mamai",
            "--as-of",
            DATE,
            "--to",
            "gb-london",
            "--senders",
            s(&csv),
            "--format",
            format,
            "-o",
            s(&path),
        ];
        // Once the output has begun to be written beside its place.
        let child = start_and_wait(&args, &dir, |dir| {
            std::fs::read_dir(dir).unwrap().flatten().any(|e| {
                e.file_name().to_string_lossy().starts_with(".protest-tmp-")
                    && e.metadata().is_ok_and(|m| m.len() > 0)
            })
        });
        signal(&child, libc::SIGTERM);
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(143),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(left.is_empty(), "{format}: nothing is left: {left:?}");
    }
}

/// A run into one file that has found a bad row goes on checking the rest,
/// to tell every problem; asked to stop then, it stops, and says nothing of
/// problems it has not finished finding.
#[test]
fn a_signal_after_a_bad_row_in_a_one_file_run_stops_the_checking() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = members(40_000).replace("Member 0001,Unite Leeds,", ",Unite Leeds,");
    let csv = write(tmp.path(), "s.csv", csv);
    let dir = tmp.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    let path = dir.join("all.mbox");
    let args = [
        "write",
        "mamai",
        "--as-of",
        DATE,
        "--to",
        "gb-london",
        "--senders",
        s(&csv),
        "--format",
        "mbox",
        "-o",
        s(&path),
    ];
    // The output's place is taken as the run starts, once signals are its.
    let child = start_and_wait(&args, &dir, |dir| {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".protest-tmp-"))
    });
    signal(&child, libc::SIGINT);
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: interrupted: nothing was written\n"
    );
    assert_eq!(output.status.code(), Some(130));
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert!(left.is_empty(), "nothing is left: {left:?}");
}

#[test]
fn a_rerun_on_another_day_continues_the_run_with_its_date() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = write(
        tmp.path(),
        "s.csv",
        members(700).replace(",Unite Leeds,", ",,"),
    );
    let out = tmp.path().join("out");
    let args = [
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--senders",
        s(&csv),
        "--out",
        s(&out),
    ];
    let monday = "1493596800"; // 2017-05-01
    let tuesday = "1493683200"; // 2017-05-02

    // Monday: interrupted part way.
    let child = StdCommand::new(env!("CARGO_BIN_EXE_protest"))
        .args(args)
        .args(["--jobs", "1"])
        .env("SOURCE_DATE_EPOCH", monday)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while named_letters(&out) < 10 {
        std::thread::sleep(Duration::from_millis(2));
        assert!(start.elapsed() < Duration::from_secs(120));
    }
    signal(&child, libc::SIGTERM);
    let mut child = child;
    child.wait().unwrap();
    let k = letters(&out).len();
    let manifest_monday = std::fs::read(out.join("manifest.jsonl")).unwrap();

    // Tuesday, without --date: the run goes on, dated Monday, and says so.
    let (code, _, err) = run(protest().args(args).env("SOURCE_DATE_EPOCH", tuesday));
    assert_eq!(code, 0, "{err}");
    // (After the warning that 700 members send one text: `mamai` has no alternatives.)
    assert!(
        err.lines().any(|line| line.starts_with(&format!(
            "note: continuing the run of 2017-05-01 recorded in {}: its letters keep that date",
            out.join("manifest.jsonl").display()
        ))),
        "{err}"
    );
    assert_eq!(
        summary(&err),
        format!(
            "700 letters in {}: {} written, {k} already there, 0 skipped, 0 failed",
            out.display(),
            700 - k
        )
    );
    let entries = check_manifest(&out, "text", 700);
    assert_eq!(entries[0]["run"]["date"], "2017-05-01");
    for bytes in letters(&out).values() {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.contains("\n1\u{a0}May 2017\n"), "{text}");
    }
    let manifest_done = std::fs::read(out.join("manifest.jsonl")).unwrap();
    assert_ne!(manifest_done, manifest_monday);

    // Tuesday with --date: what differs is said, and nothing is touched.
    for (extra, what) in [
        (
            vec!["--as-of", "2017-05-02"],
            "its letters are dated 2017-05-01, these would be dated 2017-05-02",
        ),
        (vec!["--format", "eml"], "its format was text, this is eml"),
        (
            vec!["--file-name", "{{row}}"],
            "--file-name was not given, now {{row}}",
        ),
    ] {
        let (code, _, err) = run(protest()
            .args(args)
            .args(&extra)
            .env("SOURCE_DATE_EPOCH", tuesday));
        assert_eq!(code, 73, "{err}");
        assert!(
            err.contains(&format!(
                "error: {} holds the letters of another run (manifest.jsonl): ",
                out.display()
            )) && err.contains(what)
                && err.contains("--force"),
            "{extra:?}: {err}"
        );
        assert_eq!(
            std::fs::read(out.join("manifest.jsonl")).unwrap(),
            manifest_done
        );
    }
    // A changed senders file is another run too.
    let changed = write(
        tmp.path(),
        "s.csv",
        members(701).replace(",Unite Leeds,", ",,"),
    );
    let (code, _, err) = run(protest().args(args).env("SOURCE_DATE_EPOCH", tuesday));
    assert_eq!(code, 73, "{err}");
    assert!(err.contains("the senders file has changed since"), "{err}");
    write(
        tmp.path(),
        "s.csv",
        members(700).replace(",Unite Leeds,", ",,"),
    );
    let _ = changed;

    // --force writes the new run over the old.
    let (code, _, err) = run(protest()
        .args(args)
        .args(["--as-of", "2017-05-02", "--force"])
        .env("SOURCE_DATE_EPOCH", tuesday));
    assert_eq!(code, 0, "{err}");
    let entries = check_manifest(&out, "text", 700);
    assert!(entries.iter().all(|e| e["status"] == "replaced"));
    assert_eq!(entries[0]["run"]["date"], "2017-05-02");
}

#[test]
fn a_manifest_is_never_replaced_by_a_worse_one() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 600;
    let csv = write(
        tmp.path(),
        "s.csv",
        members(rows).replace(",Unite Leeds,", ",,"),
    );
    let out = tmp.path().join("out");
    let args = ["--to", "gb-london", "--senders", s(&csv), "--out", s(&out)];
    let (code, _, err) = run(&mut write_cmd(&args));
    assert_eq!(code, 0, "{err}");
    check_manifest(&out, "text", rows);

    // A user's own file where the first letter was (the letter moved away):
    // the re-run stops before any letter, and the manifest is as it was.
    let manifest_before = std::fs::read(out.join("manifest.jsonl")).unwrap();
    let mine = write(&out, "gb-london-Member-0000.txt", "my own notes\n");
    let (code, _, err) = run(&mut write_cmd(&args));
    assert_eq!(code, 73, "{err}");
    assert!(
        err.contains("gb-london-Member-0000.txt, changed since protest wrote it"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own notes\n");
    assert_eq!(
        std::fs::read(out.join("manifest.jsonl")).unwrap(),
        manifest_before
    );

    // A manifest of a version that recorded no run, and a re-run on another
    // day that can make none of its letters: every good line stays.
    std::fs::remove_file(&mine).unwrap();
    let (code, _, err) = run(&mut write_cmd(&args));
    assert_eq!(code, 0, "{err}");
    let path = out.join("manifest.jsonl");
    let without_run: String = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|line| {
            let mut entry: Value = serde_json::from_str(line).unwrap();
            entry.as_object_mut().unwrap().remove("run");
            format!("{entry}\n")
        })
        .collect();
    std::fs::write(&path, &without_run).unwrap();
    let (code, _, err) = run(protest()
        .args(["write", "mamai", "--as-of", "2017-05-02"])
        .args(args));
    assert_eq!(code, 73, "{err}");
    assert!(err.contains("already exists"), "{err}");
    let entries = check_manifest(&out, "text", rows);
    assert!(
        entries
            .iter()
            .all(|e| ["unchanged", "written"].contains(&e["status"].as_str().unwrap())),
        "no failed line replaces a good one"
    );
}

#[test]
fn a_replaced_letter_keeps_its_permissions_never_wider_than_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let args = [
        "--to",
        "gb-london",
        "--to",
        "de-berlin",
        "--name",
        "Ann Lee",
        "--out",
        s(&out),
    ];
    let (code, _, err) = run(&mut write_cmd(&args));
    assert_eq!(code, 0, "{err}");
    for (name, mode) in [
        ("mamai-gb-london.txt", 0o400),
        ("mamai-de-berlin.txt", 0o640),
    ] {
        let path = out.join(name);
        std::fs::write(&path, "changed\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let (code, _, err) = run(write_cmd(&args).arg("--force"));
    assert_eq!(code, 0, "{err}");
    // Never wider than private: a letter names its sender.
    for (name, mode) in [
        ("mamai-gb-london.txt", 0o400),
        ("mamai-de-berlin.txt", 0o600),
    ] {
        let path = out.join(name);
        assert!(is_complete_text_letter(
            &std::fs::read(&path).unwrap(),
            "Ann Lee"
        ));
        let now = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(now, mode, "{name}");
    }
    // -o too.
    let file = tmp.path().join("one.txt");
    std::fs::write(&file, "old\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, _, err) = run(&mut write_cmd(&[
        "--to",
        "gb-london",
        "--name",
        "Ann Lee",
        "-o",
        s(&file),
        "--force",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn devices_pipes_and_links_to_devices_are_never_read() {
    let tmp = tempfile::tempdir().unwrap();
    let base = ["--to", "gb-london", "--name", "Ann Lee"];
    let (_, letter, _) = run(&mut write_cmd(&base));
    assert!(is_complete_text_letter(letter.as_bytes(), "Ann Lee"));

    // -o /dev/stdout writes to standard output.
    let (code, stdout, err) = run(write_cmd(&base).args(["-o", "/dev/stdout"]));
    assert_eq!((code, stdout.as_str()), (0, letter.as_str()), "{err}");
    // An mbox through /dev/stdout holds every draft.
    let (code, stdout, err) = run(write_cmd(&base).args([
        "--to",
        "de-berlin",
        "--email",
        "ann@example.org",
        "--format",
        "mbox",
        "-o",
        "/dev/stdout",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        MessageIterator::new(stdout.as_bytes()).count(),
        1,
        "{stdout}"
    );

    // A letter's name taken by a link to an endless device is a file in the way.
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink("/dev/zero", out.join("mamai-gb-london.txt")).unwrap();
    let (code, _, err) = run(write_cmd(&base).args(["--out", s(&out)]));
    assert_eq!(code, 73, "{err}");
    assert!(
        err.contains("mamai-gb-london.txt, which protest did not write"),
        "{err}"
    );

    // Senders from a pipe, a FIFO and a process substitution: read once.
    let fifo = tmp.path().join("fifo");
    assert!(StdCommand::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let feeder = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "name\nAnn Lee\nBob Roe\n").unwrap())
    };
    let via_fifo = tmp.path().join("fifo-out");
    let (code, _, err) = run(&mut write_cmd(&[
        "--to",
        "gb-london",
        "--senders",
        s(&fifo),
        "--out",
        s(&via_fifo),
    ]));
    feeder.join().unwrap();
    assert_eq!(code, 0, "{err}");
    check_manifest(&via_fifo, "text", 2);
    let via_substitution = tmp.path().join("subst-out");
    let script = format!(
        "exec \"$0\" write mamai --as-of {DATE} --to gb-london --senders <(printf 'name\\nAnn Lee\\nBob Roe\\n') --out '{}'",
        via_substitution.display()
    );
    let status = StdCommand::new("bash")
        .args(["-c", &script, env!("CARGO_BIN_EXE_protest")])
        .env_remove("SOURCE_DATE_EPOCH")
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    check_manifest(&via_substitution, "text", 2);
    assert_eq!(letters(&via_fifo), letters(&via_substitution));
    let via_stdin = tmp.path().join("stdin-out");
    let (code, _, err) = run(write_cmd(&[
        "--to",
        "gb-london",
        "--senders",
        "/dev/stdin",
        "--out",
        s(&via_stdin),
    ])
    .write_stdin("name\nAnn Lee\nBob Roe\n"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(letters(&via_fifo), letters(&via_stdin));
}

#[test]
fn a_closed_standard_output_is_exit_74_and_stops_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = write(tmp.path(), "s.csv", members(2000));
    for format in ["mailto", "mbox"] {
        let mut child = StdCommand::new(env!("CARGO_BIN_EXE_protest"))
            .args([
                "write",
                "mamai",
                "--as-of",
                DATE,
                "--to",
                "gb-london",
                "--senders",
                s(&csv),
            ])
            .args(["--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away at once, as `| head -c 0` would.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(74), "{format}: {err}");
        assert!(
            err.ends_with(
                "error: standard output was closed before everything was written\n  help: the program reading the output (such as `head`) stopped early; write to a file with -o FILE to keep everything\n"
            ),
            "{format}: {err}"
        );
    }
}

#[test]
fn json_with_out_prints_what_the_run_did() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = write(tmp.path(), "s.csv", members(3));
    let out = tmp.path().join("out");
    let (code, stdout, err) = run(&mut write_cmd(&[
        "--to",
        "gb-london",
        "--senders",
        s(&csv),
        "--out",
        s(&out),
        "--json",
    ]));
    assert_eq!(code, 0, "{err}");
    let summary: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(summary["letters"], 3);
    assert_eq!(summary["written"], 3);
    assert_eq!(summary["failed"], 0);
    assert_eq!(summary["manifest"], s(&out.join("manifest.jsonl")));
    check_manifest(&out, "text", 3);
}

#[test]
fn a_signal_before_anything_is_written_ends_the_run_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for (sig, code) in [
        (libc::SIGINT, 130),
        (libc::SIGTERM, 143),
        (libc::SIGHUP, 129),
    ] {
        let mut child = StdCommand::new(env!("CARGO_BIN_EXE_protest"))
            .args([
                "write",
                "mamai",
                "--as-of",
                DATE,
                "--to",
                "gb-london",
                "--senders",
                "-",
            ])
            .args(["--out", s(&out)])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The senders are still coming: the run is reading them, not
        // writing. More than a pipe holds, so that once this is written the
        // run has begun to read.
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        let senders = members(5000);
        assert!(senders.len() > 2 * 65536);
        stdin.write_all(senders.as_bytes()).unwrap();
        signal(&child, sig);
        let output = child.wait_with_output().unwrap();
        drop(stdin);
        assert_eq!(output.status.code(), Some(code));
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "interrupted: nothing was written\n"
        );
        assert!(!out.exists(), "nothing is written");
    }
}

#[test]
fn a_rerun_interrupted_keeps_every_earlier_line_whose_letter_is_there() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = 3000;
    let csv = write(
        tmp.path(),
        "s.csv",
        members(rows).replace(",Unite Leeds,", ",,"),
    );
    let out = tmp.path().join("out");
    let args = [
        "write",
        "mamai",
        "--as-of",
        DATE,
        "--to",
        "gb-london",
        "--senders",
        s(&csv),
        "--out",
        s(&out),
        "--jobs",
        "4",
    ];
    let (code, _, err) = run(protest().args(args));
    assert_eq!(code, 0, "{err}");
    // Once the new manifest has begun, the re-run is stopped, letters in
    // flight on four threads.
    let child = StdCommand::new(env!("CARGO_BIN_EXE_protest"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !std::fs::read_dir(&out).unwrap().flatten().any(|e| {
        e.file_name().to_string_lossy().starts_with(".protest-tmp-")
            && e.metadata().is_ok_and(|m| m.len() > 0)
    }) {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the re-run never got going"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    signal(&child, libc::SIGTERM);
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    // Had it finished first, it would have said so with 0.
    assert!(matches!(output.status.code(), Some(143) | Some(0)), "{err}");
    assert_eq!(temporaries(&out), Vec::<String>::new());
    let entries = check_manifest(&out, "text", rows);
    assert_eq!(entries[0]["run"]["date"], DATE);
}

/// A manifest written before `protest/1` (`recipient`, a `sender` string,
/// nulls) is still the record of its run: a re-run continues it, and the
/// manifest it leaves speaks today's words only.
#[test]
fn a_manifest_in_the_old_words_is_continued_and_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = write(tmp.path(), "s.csv", members(3));
    let out = tmp.path().join("out");
    let args = ["--to", "gb-london", "--senders", s(&csv), "--out", s(&out)];
    let (code, _, err) = run(&mut write_cmd(&args));
    assert_eq!(code, 0, "{err}");
    let old: String = manifest(&out)
        .into_iter()
        .map(|mut entry| {
            let fields = entry.as_object_mut().unwrap();
            fields.remove("schema");
            let mission = fields.remove("mission").unwrap();
            fields.insert("recipient".into(), mission);
            let name = fields["sender"]["name"].clone();
            fields.insert("sender".into(), name);
            fields.insert("reason".into(), Value::Null);
            format!("{entry}\n")
        })
        .collect();
    std::fs::write(out.join("manifest.jsonl"), old).unwrap();
    let lost = letters(&out).into_keys().nth(1).unwrap();
    std::fs::remove_file(out.join(&lost)).unwrap();

    let (code, _, err) = run(&mut write_cmd(&args));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        summary(&err),
        format!(
            "3 letters in {}: 1 written, 2 already there, 0 skipped, 0 failed",
            out.display()
        )
    );
    // check_manifest holds every line to the words of protest/1.
    let entries = check_manifest(&out, "text", 3);
    assert!(entries[0]["run"].is_object());
}
