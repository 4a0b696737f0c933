//! `protest tally` (issue 24): what a branch wrote and sent, counted from
//! real runs of `write` and `send` (to the test SMTP server on 127.0.0.1),
//! each letter once; branches' tallies merged without counting a letter
//! twice; replies recorded and counted; names left out unless asked for; and
//! inputs that are not what protest wrote refused by name.

mod common;
mod markdown;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::smtp::{header, send, Server};
use common::{protest, run};
use serde_json::Value;
use sha2::Digest;

/// A branch's members: three write to London, one to Ottawa.
const MEMBERS: &str = "\
name,email,country
Aliya Testova,aliya@example.org,GB
Bartholomew Quill,bart@example.org,GB
Cordelia Vance,cordelia@example.org,CA
Desmond Ruefield,desmond@example.org,GB
";

/// Everything in the outputs that would name a member.
const PRIVATE: [&str; 11] = [
    "Aliya",
    "Testova",
    "Bartholomew",
    "Quill",
    "Cordelia",
    "Vance",
    "Desmond",
    "Ruefield",
    "example.org",
    "mfa.kz",
    "Received, thank you",
];

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `protest ARGS` in `cwd`; (exit code, stdout, stderr).
fn protest_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    run(protest().current_dir(cwd).args(args))
}

fn tally_json(cwd: &Path, args: &[&str]) -> Value {
    let mut all = vec!["tally", "--json"];
    all.extend(args);
    let (code, out, err) = protest_in(cwd, &all);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn write(cwd: &Path, args: &[&str]) {
    let mut all = vec!["write"];
    all.extend(args);
    let (code, _, err) = protest_in(cwd, &all);
    assert_eq!(code, 0, "{err}");
}

/// The branch's folder of PDFs: `mukhammedkarim` to each member's mission,
/// dated 2026-11-30, and below it `mamai-restrictions` to London, dated
/// 2026-12-01.
fn pdfs(cwd: &Path) -> PathBuf {
    std::fs::write(cwd.join("members.csv"), MEMBERS).unwrap();
    write(
        cwd,
        &[
            "mukhammedkarim",
            "--senders",
            "members.csv",
            "--format",
            "pdf",
            "--out",
            "pdfs",
            "--date",
            "2026-11-30",
        ],
    );
    write(
        cwd,
        &[
            "mamai-restrictions",
            "--to",
            "gb-london",
            "--senders",
            "members.csv",
            "--format",
            "pdf",
            "--out",
            "pdfs/second",
            "--date",
            "2026-12-01",
        ],
    );
    cwd.join("pdfs")
}

/// The branch's email drafts, one per member, dated 2026-11-30.
fn drafts(cwd: &Path) -> PathBuf {
    std::fs::write(cwd.join("members.csv"), MEMBERS).unwrap();
    write(
        cwd,
        &[
            "mukhammedkarim",
            "--senders",
            "members.csv",
            "--format",
            "eml",
            "--out",
            "drafts",
            "--date",
            "2026-11-30",
        ],
    );
    cwd.join("drafts")
}

/// Sends the first three drafts (the manifest's order: Aliya and
/// Bartholomew to London, Cordelia to Ottawa, which the server refuses) and
/// leaves Desmond's; returns the UTC day the server answered.
fn send_three(tmp: &Path, drafts: &Path) -> String {
    let server = Server::start(tmp, &["--reject", "ottawa@mfa.kz"]);
    let (code, _, err) =
        run(send(tmp, &server, drafts).args(["--yes", "--rate", "unlimited", "--max", "3"]));
    assert_eq!(code, 1, "one recipient refused: {err}");
    assert_eq!(server.received().len(), 2, "{err}");
    let log = std::fs::read_to_string(drafts.join("send-log.jsonl")).unwrap();
    let days: std::collections::BTreeSet<String> = log
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l["event"] != "sending")
        .map(|l| l["time"].as_str().unwrap()[..10].to_string())
        .collect();
    assert_eq!(days.len(), 1, "sent within one day: {days:?}");
    days.into_iter().next().unwrap()
}

fn sha256_of(path: &Path) -> String {
    sha2::Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The counts of a group or the total, without the zeros.
fn counts(value: &Value) -> BTreeMap<String, u64> {
    value
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_u64()?)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn numbers(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

/// A list of groups, by what each is the group of.
fn groups(tally: &Value, list: &str, key: &str) -> BTreeMap<String, BTreeMap<String, u64>> {
    tally[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g[key].as_str().unwrap_or("?").to_string(), counts(g)))
        .collect()
}

fn no_private_words(what: &str, output: &str) {
    for word in PRIVATE {
        assert!(
            !output.contains(word),
            "{what}: `{word}` is in the output, which names no one without --with-names:\n{output}"
        );
    }
}

#[test]
fn a_folder_of_pdfs_is_counted_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let folder = pdfs(dir);
    let tally = tally_json(dir, &["pdfs"]);
    assert_eq!(tally["schema"], "protest/1");
    assert_eq!(
        counts(&tally["total"]),
        numbers(&[("letters", 8), ("pdf", 8)])
    );
    assert_eq!(
        groups(&tally, "by_letter", "letter"),
        BTreeMap::from([
            (
                "mukhammedkarim".into(),
                numbers(&[("letters", 4), ("pdf", 4)])
            ),
            (
                "mamai-restrictions".into(),
                numbers(&[("letters", 4), ("pdf", 4)])
            ),
        ])
    );
    assert_eq!(
        groups(&tally, "by_mission", "mission"),
        BTreeMap::from([
            ("gb-london".into(), numbers(&[("letters", 7), ("pdf", 7)])),
            ("ca-ottawa".into(), numbers(&[("letters", 1), ("pdf", 1)])),
        ])
    );
    assert_eq!(
        groups(&tally, "by_day", "date"),
        BTreeMap::from([
            ("2026-11-30".into(), numbers(&[("letters", 4), ("pdf", 4)])),
            ("2026-12-01".into(), numbers(&[("letters", 4), ("pdf", 4)])),
        ])
    );
    assert_eq!(tally["first_day"], "2026-11-30");
    assert_eq!(tally["last_day"], "2026-12-01");
    assert_eq!(tally["read"]["manifests"], 2);
    // Each letter is keyed by the digest of the PDF on disk.
    let mut on_disk: Vec<String> = [folder.clone(), folder.join("second")]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| sha256_of(&p))
        .collect();
    on_disk.sort();
    let mut keyed: Vec<String> = tally["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sha256"].as_str().unwrap().to_string())
        .collect();
    keyed.sort();
    assert_eq!(keyed, on_disk);

    let (code, csv, err) = protest_in(dir, &["tally", "pdfs", "--csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        csv,
        "letter,mission,channel,date,letters,replies\n\
         mamai-restrictions,gb-london,pdf,2026-12-01,4,0\n\
         mukhammedkarim,ca-ottawa,pdf,2026-11-30,1,0\n\
         mukhammedkarim,gb-london,pdf,2026-11-30,3,0\n"
    );

    // The default: a summary to paste into an email, from the folder the
    // command runs in.
    let (code, text, err) = protest_in(&folder, &["tally"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        text,
        "\
8 letters from 30 November 2026 to 1 December 2026, each counted once:
  8 letters as PDF (to print)
No replies recorded.

By letter:
  mamai-restrictions: 4 (4 PDF)
  mukhammedkarim: 4 (4 PDF)

By mission:
  gb-london: 7 (7 PDF)
  ca-ottawa: 1 (1 PDF)

By day:
  30 November 2026: 4 (4 PDF)
  1 December 2026: 4 (4 PDF)

Counted by protest tally from 2 manifests: each letter once, however
many files record it. A letter written counts on the day it is dated;
an email sent, on the day the mission's mail server answered. No names
or addresses.
"
    );
}

#[test]
fn drafts_sent_are_one_letter_each_delivered_refused_or_not_yet() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let folder = drafts(dir);
    let before = tally_json(dir, &["drafts"]);
    assert_eq!(
        counts(&before["total"]),
        numbers(&[("letters", 4), ("draft", 4)])
    );
    let sent_on = send_three(dir, &folder);

    let tally = tally_json(dir, &["drafts"]);
    // Seven lines of the manifest and the log, four letters.
    assert_eq!(
        counts(&tally["total"]),
        numbers(&[
            ("letters", 4),
            ("delivered", 2),
            ("refused", 1),
            ("draft", 1)
        ])
    );
    assert_eq!(
        groups(&tally, "by_mission", "mission"),
        BTreeMap::from([
            (
                "gb-london".into(),
                numbers(&[("letters", 3), ("delivered", 2), ("draft", 1)])
            ),
            (
                "ca-ottawa".into(),
                numbers(&[("letters", 1), ("refused", 1)])
            ),
        ])
    );
    // Mail counts on the day the server answered; a draft on the day it is dated.
    assert_eq!(
        groups(&tally, "by_day", "date"),
        BTreeMap::from([
            (
                sent_on.clone(),
                numbers(&[("letters", 3), ("delivered", 2), ("refused", 1)])
            ),
            (
                "2026-11-30".into(),
                numbers(&[("letters", 1), ("draft", 1)])
            ),
        ])
    );
    assert_eq!(tally["read"]["manifests"], 1);
    assert_eq!(tally["read"]["send_logs"], 1);
    // Each letter is the draft on disk, the sent ones with their Message-ID.
    for entry in tally["entries"].as_array().unwrap() {
        let draft = common::smtp::eml_files(&folder)
            .into_iter()
            .find(|p| sha256_of(p) == entry["sha256"].as_str().unwrap())
            .unwrap_or_else(|| panic!("no draft has the digest of {entry}"));
        let message_id = header(&std::fs::read(&draft).unwrap(), "Message-ID");
        match entry["channel"].as_str().unwrap() {
            "draft" => assert!(entry.get("message_id").is_none(), "{entry}"),
            _ => assert_eq!(
                format!("<{}>", entry["message_id"].as_str().unwrap()),
                message_id
            ),
        }
    }

    let (code, text, err) = protest_in(dir, &["tally", "drafts"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains(
            ", each counted once:\n  \
             1 email written, not delivered (yet)\n  \
             2 emails delivered\n  \
             1 email refused by the mission's mail server\n\
             No replies recorded.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  gb-london: 3 (1 not delivered, 2 delivered)\n  ca-ottawa: 1 (1 refused)\n"
        ),
        "{text}"
    );
    assert!(text.contains("from 1 manifest and 1 send log"), "{text}");
}

#[test]
fn mail_known_only_by_its_log_counts_and_partly_delivered_is_said() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let own = dir.join("own");
    std::fs::create_dir(&own).unwrap();
    // A member's own email, to two missions, one of which refuses it.
    std::fs::write(
        own.join("mine.eml"),
        "From: Member <member@example.org>\r\nTo: london@mfa.kz, ottawa@mfa.kz\r\n\
         Subject: Free them\r\nMessage-ID: <mine-1@example.org>\r\n\r\nFree them all.\r\n",
    )
    .unwrap();
    let server = Server::start(dir, &["--reject", "ottawa@mfa.kz"]);
    let (code, _, err) = run(send(dir, &server, &own.join("mine.eml")).args(["--yes"]));
    assert_eq!(code, 1, "{err}");
    let tally = tally_json(dir, &["own"]);
    assert_eq!(
        counts(&tally["total"]),
        numbers(&[("letters", 1), ("partly", 1)])
    );
    let entry = &tally["entries"][0];
    assert_eq!(entry["message_id"], "mine-1@example.org");
    assert!(
        entry.get("letter").is_none() && entry.get("mission").is_none(),
        "{entry}"
    );
    let (_, text, _) = protest_in(dir, &["tally", "own"]);
    assert!(
        text.contains("  1 email delivered to some of its addresses, not all\n"),
        "{text}"
    );
    assert!(
        text.contains("\nBy letter:\n  (letter not known): 1 (1 partly delivered)\n"),
        "{text}"
    );
    // Its reply, by its Message-ID as the answer's In-Reply-To gives it.
    let (code, _, err) = protest_in(
        dir,
        &["tally", "own", "--reply", "<mine-1@example.org>", "Noted."],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "recorded the reply in own/replies.jsonl\n");
    assert_eq!(tally_json(dir, &["own"])["total"]["replies"], 1);
    // A reply longer than a letter of a few pages is refused.
    std::fs::write(dir.join("long.txt"), "x".repeat(40_000)).unwrap();
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "own",
            "--reply",
            "mine.eml",
            "--reply-file",
            "long.txt",
        ],
    );
    assert_eq!(code, 65, "{err}");
    assert_eq!(
        err,
        "error: long.txt: longer than 32 KiB\n  help: record what the mission said in a few \
         lines, or its first page\n"
    );
}

#[test]
fn branches_tallies_merge_and_each_letter_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    pdfs(dir);
    let folder = drafts(dir);
    let save = |name: &str, args: &[&str]| {
        let mut all = vec!["tally", "--json"];
        all.extend(args);
        let (code, out, err) = protest_in(dir, &all);
        assert_eq!(code, 0, "{err}");
        std::fs::write(dir.join(name), out).unwrap();
    };
    save("drafts-before.json", &["drafts"]);
    send_three(dir, &folder);
    save("leeds.json", &["pdfs"]);
    save("york.json", &["drafts"]);

    // Two branches, one of them given twice.
    let merged = tally_json(dir, &["leeds.json", "york.json", "leeds.json"]);
    assert_eq!(
        counts(&merged["total"]),
        numbers(&[
            ("letters", 12),
            ("pdf", 8),
            ("delivered", 2),
            ("refused", 1),
            ("draft", 1)
        ])
    );
    assert_eq!(
        merged["read"]["tallies"], 2,
        "the same file named twice is read once"
    );
    // The same letters whichever way they come: in another order, from the
    // folders, from a folder and the tally made of it.
    let entries = |v: &Value| v["entries"].clone();
    let other_order = tally_json(dir, &["york.json", "leeds.json"]);
    assert_eq!(entries(&other_order), entries(&merged));
    assert_eq!(other_order["by_day"], merged["by_day"]);
    let folders = tally_json(dir, &["pdfs", "drafts"]);
    assert_eq!(entries(&folders), entries(&merged));
    let both = tally_json(dir, &["pdfs", "leeds.json", "drafts", "york.json"]);
    assert_eq!(entries(&both), entries(&merged));
    assert_eq!(both["total"], merged["total"]);
    // A copy of the file is another name for the same tally.
    std::fs::copy(dir.join("leeds.json"), dir.join("leeds-copy.json")).unwrap();
    let copy = tally_json(dir, &["leeds.json", "leeds-copy.json"]);
    assert_eq!(
        counts(&copy["total"]),
        numbers(&[("letters", 8), ("pdf", 8)])
    );
    // A draft written, tallied, then delivered is one letter, delivered.
    let later = tally_json(dir, &["drafts-before.json", "york.json"]);
    assert_eq!(
        counts(&later["total"]),
        numbers(&[
            ("letters", 4),
            ("delivered", 2),
            ("refused", 1),
            ("draft", 1)
        ])
    );
    let later = tally_json(dir, &["york.json", "drafts-before.json"]);
    assert_eq!(later["total"]["delivered"], 2);
}

#[test]
fn replies_are_recorded_beside_the_letter_and_counted_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let pdf_folder = pdfs(dir);
    let draft_folder = drafts(dir);
    send_three(dir, &draft_folder);

    // A file name both folders of PDFs have: which letter is not clear.
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "pdfs",
            "--reply",
            "gb-london-Aliya-Testova.pdf",
            "Received, thank you.",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        "error: `gb-london-Aliya-Testova.pdf` names 2 letters (in pdfs, pdfs/second): which one \
         answered is not clear\n  help: give more of its digest, or name the folder that holds \
         the one meant\n"
    );
    // By its file's name, in its folder.
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "pdfs/second",
            "--reply",
            "gb-london-Aliya-Testova.pdf",
            "Received, thank you.",
            "--date",
            "2026-12-01",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "recorded the reply from gb-london in pdfs/second/replies.jsonl\n"
    );
    let replies = pdf_folder.join("second/replies.jsonl");
    let mode = std::fs::metadata(&replies).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the replies are their owner's alone");
    // By the first characters of its digest.
    let ottawa = sha256_of(&pdf_folder.join("ca-ottawa-Cordelia-Vance.pdf"));
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "--reply",
            &ottawa[..8],
            "We have forwarded your letter.",
            "--date",
            "2026-11-30",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "recorded the reply from ca-ottawa in pdfs/replies.jsonl\n"
    );
    // An email by its Message-ID, the text from standard input.
    let delivered = draft_folder.join("gb-london-Aliya-Testova.eml");
    let message_id = header(&std::fs::read(&delivered).unwrap(), "Message-ID");
    let (code, _, err) = run(protest()
        .current_dir(dir)
        .args(["tally", "--reply", &message_id, "--reply-file", "-"])
        .write_stdin("Dear Ms Testova,\r\nthank you for your letter.\r\n"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "recorded the reply from gb-london in drafts/replies.jsonl\n"
    );
    // The same reply again is the same reply.
    let before = std::fs::read(&replies).unwrap();
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "pdfs/second",
            "--reply",
            "gb-london-Aliya-Testova.pdf",
            "Received, thank you.",
            "--date",
            "2026-12-01",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "this reply from gb-london is in pdfs/second/replies.jsonl already: nothing added\n"
    );
    assert_eq!(std::fs::read(&replies).unwrap(), before);

    let tally = tally_json(dir, &[]);
    assert_eq!(tally["total"]["replies"], 3);
    assert_eq!(tally["total"]["answered"], 3);
    assert_eq!(tally["read"]["replies"], 3);
    assert_eq!(
        groups(&tally, "by_mission", "mission")["ca-ottawa"],
        numbers(&[
            ("letters", 2),
            ("pdf", 1),
            ("refused", 1),
            ("answered", 1),
            ("replies", 1)
        ])
    );
    let (_, text, _) = protest_in(dir, &["tally"]);
    assert!(
        text.contains("3 replies from missions, to 3 letters.\n"),
        "{text}"
    );
    // Kept in a tally, and counted once when the folders come too.
    let (_, json, _) = protest_in(dir, &["tally", "--json"]);
    std::fs::write(dir.join("all.json"), json).unwrap();
    let again = tally_json(dir, &["all.json", "pdfs", "drafts"]);
    assert_eq!(again["total"], tally["total"]);
    // The texts only with names.
    let named = tally_json(dir, &["--with-names"]);
    let texts: Vec<String> = named["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["replies"].as_array().unwrap().clone())
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts.len(), 3);
    assert!(texts.contains(&"Dear Ms Testova,\nthank you for your letter.".to_string()));

    // An id that names no letter says where the ids are.
    let (code, out, err) = protest_in(dir, &["tally", "--reply", "gb-london-Nobody.pdf", "Hello"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: no letter in drafts, pdfs, pdfs/second has the id `gb-london-Nobody.pdf`\n  \
         help: a letter's id is its file's name (as `protest write` named it), its digest \
         (`sha256` in `protest tally --json`; the first 8 characters do) or, for an email, its \
         Message-ID (`message_id` in send-log.jsonl; the In-Reply-To of the answer)\n"
    );
    // A tally alone cannot keep a reply.
    let (code, _, err) = protest_in(dir, &["tally", "all.json", "--reply", &ottawa, "Again"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is known only from a tally"), "{err}");
}

#[test]
fn names_and_addresses_are_left_out_of_every_form_unless_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    pdfs(dir);
    let folder = drafts(dir);
    send_three(dir, &folder);
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "pdfs/second",
            "--reply",
            "gb-london-Aliya-Testova.pdf",
            "Received, thank you.",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, json, _) = protest_in(dir, &["tally", "--json", "--with-names"]);
    std::fs::write(dir.join("named.json"), json).unwrap();
    for inputs in [&["pdfs", "drafts"][..], &["named.json"], &[]] {
        for form in [&[][..], &["--json"], &["--csv"]] {
            let mut args = vec!["tally"];
            args.extend(inputs);
            args.extend(form);
            let (code, out, err) = protest_in(dir, &args);
            assert_eq!(code, 0, "{args:?}: {err}");
            no_private_words(&format!("{args:?}"), &out);
            // With them asked for, they are there: the check above can fail.
            args.push("--with-names");
            let (code, out, err) = protest_in(dir, &args);
            assert_eq!(code, 0, "{args:?}: {err}");
            assert!(out.contains("Aliya Testova"), "{args:?}:\n{out}");
        }
    }
    let named = tally_json(dir, &["--with-names"]);
    let aliya: Vec<&Value> = named["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["sender"]["name"] == "Aliya Testova")
        .collect();
    assert_eq!(aliya.len(), 3, "two PDFs and a draft");
    assert!(aliya
        .iter()
        .any(|e| e["recipients"] == serde_json::json!(["london@mfa.kz"])));
}

#[test]
fn what_is_not_a_regular_file_is_refused_by_name_and_links_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    pdfs(dir);
    // A link to a folder of letters is not looked into.
    std::fs::create_dir(dir.join("branch")).unwrap();
    std::os::unix::fs::symlink(dir.join("pdfs"), dir.join("branch/link")).unwrap();
    let (code, _, err) = protest_in(dir, &["tally", "branch"]);
    assert_eq!(code, 66, "{err}");
    assert!(
        err.starts_with("error: branch: no manifest.jsonl, send-log.jsonl or replies.jsonl in it"),
        "{err}"
    );
    // A link in a manifest's place is refused, and so is a FIFO (without
    // waiting for a writer that never comes).
    std::fs::create_dir(dir.join("branch/linked")).unwrap();
    std::os::unix::fs::symlink(
        dir.join("pdfs/manifest.jsonl"),
        dir.join("branch/linked/manifest.jsonl"),
    )
    .unwrap();
    let (code, _, err) = protest_in(dir, &["tally", "branch"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with(
            "error: branch/linked/manifest.jsonl: not a regular file: a symbolic link\n"
        ),
        "{err}"
    );
    std::fs::remove_dir_all(dir.join("branch")).unwrap();
    std::fs::create_dir(dir.join("branch")).unwrap();
    let fifo = std::ffi::CString::new(s(&dir.join("branch/send-log.jsonl"))).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let (code, _, err) = protest_in(dir, &["tally", "branch"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with(
            "error: branch/send-log.jsonl: not a regular file: a FIFO, socket or device\n"
        ),
        "{err}"
    );
    // A line longer than any protest writes is refused by its number.
    std::fs::remove_dir_all(dir.join("branch")).unwrap();
    std::fs::create_dir(dir.join("branch")).unwrap();
    let mut long = std::fs::read_to_string(dir.join("pdfs/manifest.jsonl")).unwrap();
    long.push_str(&"x".repeat(100_000));
    std::fs::write(dir.join("branch/manifest.jsonl"), long).unwrap();
    let (code, _, err) = protest_in(dir, &["tally", "branch"]);
    assert_eq!(code, 65, "{err}");
    assert!(
        err.starts_with("error: branch/manifest.jsonl:5: a line longer than 64 KiB"),
        "{err}"
    );
}

#[test]
fn the_readme_shows_what_tally_prints() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("\n## Reporting back\n")
        .nth(1)
        .expect("the README has a \"Reporting back\" section");
    let section = section.split("\n## ").next().unwrap();
    let blocks = markdown::fenced_blocks(section);
    let commands = blocks
        .iter()
        .find(|b| b.lang == "sh")
        .expect("its commands");
    let shown = blocks
        .iter()
        .find(|b| b.lang == "text")
        .expect("the summary it prints");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("members.csv"),
        "name,org,email,country\nAnn Lee,Unite Leeds Branch,ann@example.org,GB\n\
         Hans Weber,ver.di,hans@example.org,DE\n",
    )
    .unwrap();
    std::fs::copy(common::example_sender(), dir.join("me.toml")).unwrap();
    let mut last = String::new();
    for line in markdown::command_lines(&commands.text) {
        let (words, _) = markdown::shell_words(&line);
        assert_eq!(words[0], "protest", "{line}");
        let (code, out, err) = protest_in(
            dir,
            &words[1..].iter().map(String::as_str).collect::<Vec<_>>(),
        );
        assert_eq!(code, 0, "{line}: {err}");
        last = out;
    }
    assert_eq!(
        last, shown.text,
        "README.md: the summary shown is not what the commands print"
    );
}

#[test]
fn the_command_is_in_the_help_the_manual_and_the_completions() {
    let (code, out, _) = run(protest().arg("--help"));
    assert_eq!(code, 0);
    assert!(out.contains("\n  tally "), "{out}");
    let (code, out, _) = run(protest().args(["tally", "--help"]));
    assert_eq!(code, 0);
    assert!(!out.contains('\\'), "{out}");
    assert!(out.contains("--with-names"), "{out}");
    let man = tempfile::tempdir().unwrap();
    let (code, _, err) = run(protest().arg("man").arg("--dir").arg(man.path()));
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(man.path().join("protest-tally.1")).unwrap();
    assert!(page.contains("with\\-names"), "{page}");
    let (code, out, err) = run(protest()
        .env("PROTEST_COMPLETE", "fish")
        .env("_CLAP_COMPLETE_INDEX", "1")
        .args(["--", "protest", "ta"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().any(|l| l.starts_with("tally")), "{out}");
}
