//! `protest tally --reply` refuses what cannot be an answer (issue 24):
//! a reply dated before the letter it answers, or before its delivery; a
//! reply to an email the mission's server refused for good (per the send
//! log); and a text with characters that reorder or hide it (bidi controls,
//! zero-width characters), as it refuses ESC. Each refusal exits 65, names
//! the letter and why, and records nothing.

mod common;

use std::path::Path;

use common::smtp::{header, send, Server};
use common::{protest, run};

/// Two members write to London, one to Ottawa (whose server refuses).
const MEMBERS: &str = "\
name,email,country
Aliya Testova,aliya@example.org,GB
Cordelia Vance,cordelia@example.org,CA
";

fn protest_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    run(protest().current_dir(cwd).args(args))
}

fn write(cwd: &Path, format: &str, out: &str) {
    std::fs::write(cwd.join("members.csv"), MEMBERS).unwrap();
    let (code, _, err) = protest_in(
        cwd,
        &[
            "write",
            "mukhammedkarim",
            "--senders",
            "members.csv",
            "--format",
            format,
            "--out",
            out,
            "--date",
            "2026-11-28",
        ],
    );
    assert_eq!(code, 0, "{err}");
}

/// No reply file, or the same one as `before`.
fn nothing_recorded(dir: &Path, before: &Option<Vec<u8>>) {
    assert_eq!(&std::fs::read(dir.join("replies.jsonl")).ok(), before);
}

#[test]
fn a_reply_before_its_letter_or_to_mail_refused_for_good_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "pdf", "letters");
    let letters = dir.join("letters");

    // A printed letter dated 2026-11-28: a reply on any day before is refused.
    for date in ["2026-11-01", "2026-11-27"] {
        let (code, out, err) = protest_in(
            dir,
            &[
                "tally",
                "letters",
                "--reply",
                "gb-london-Aliya-Testova.pdf",
                "ok",
                "--date",
                date,
            ],
        );
        assert_eq!((code, out.as_str()), (65, ""), "{err}");
        assert_eq!(
            err,
            format!(
                "error: --date {date}: the letter `gb-london-Aliya-Testova.pdf` (mukhammedkarim \
                 to gb-london) is dated 2026-11-28; a reply cannot have come before it\n  help: \
                 give the day the reply came with --date (on or after 2026-11-28)\n"
            )
        );
        nothing_recorded(&letters, &None);
    }
    // On its day it is an answer.
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "letters",
            "--reply",
            "gb-london-Aliya-Testova.pdf",
            "ok",
            "--date",
            "2026-11-28",
        ],
    );
    assert_eq!(code, 0, "{err}");

    // Email: London's delivered today, Ottawa's refused for good.
    write(dir, "eml", "drafts");
    let drafts = dir.join("drafts");
    let server = Server::start(dir, &["--reject", "ottawa@mfa.kz"]);
    let (code, _, err) = run(send(dir, &server, &drafts).args(["--yes", "--rate", "unlimited"]));
    assert_eq!(code, 1, "one refused: {err}");
    let log = std::fs::read_to_string(drafts.join("send-log.jsonl")).unwrap();
    let sent_day = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|l| l["event"] == "accepted")
        .map(|l| l["time"].as_str().unwrap()[..10].to_string())
        .unwrap_or_else(|| panic!("{log}"));

    let refused = header(
        &std::fs::read(drafts.join("ca-ottawa-Cordelia-Vance.eml")).unwrap(),
        "Message-ID",
    );
    for id in [refused.as_str(), "ca-ottawa-Cordelia-Vance.eml"] {
        let (code, _, err) = protest_in(dir, &["tally", "drafts", "--reply", id, "Thank you."]);
        assert_eq!(code, 65, "{err}");
        assert_eq!(
            err,
            format!(
                "error: the letter `{id}` (mukhammedkarim to ca-ottawa) was refused for good by \
                 the mission's mail server (its send log says so): it never arrived, so no reply \
                 answers it\n  help: if the mission answered a copy that reached it another way, \
                 record the reply against that copy\n"
            )
        );
        nothing_recorded(&drafts, &None);
    }

    // Delivered on `sent_day` (today): a reply the day before is refused.
    let day_before = std::process::Command::new("date")
        .args(["-u", "-d", &format!("{sent_day} - 1 day"), "+%F"])
        .output()
        .expect("date (coreutils) runs");
    let day_before = String::from_utf8(day_before.stdout)
        .unwrap()
        .trim()
        .to_string();
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "drafts",
            "--reply",
            "gb-london-Aliya-Testova.eml",
            "Received.",
            "--date",
            &day_before,
        ],
    );
    assert_eq!(code, 65, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: --date {day_before}: the letter `gb-london-Aliya-Testova.eml` \
             (mukhammedkarim to gb-london) was delivered on {sent_day}; a reply cannot have come \
             before it\n"
        )),
        "{err}"
    );
    nothing_recorded(&drafts, &None);
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "drafts",
            "--reply",
            "gb-london-Aliya-Testova.eml",
            "Received.",
        ],
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_reply_that_reorders_or_hides_its_text_is_refused_like_a_control_character() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "pdf", "letters");
    let letters = dir.join("letters");
    let hidden = [
        '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
        '\u{1b}',
    ];
    for c in hidden {
        for text in [
            format!("Rec{c}eived."),
            format!("{c}Received"),
            format!("Received{c}"),
        ] {
            // Given on the command line, and in a file.
            let file = dir.join("reply.txt");
            std::fs::write(&file, &text).unwrap();
            for (source, args) in [
                ("the reply", vec![text.as_str()]),
                ("reply.txt", vec!["--reply-file", "reply.txt"]),
            ] {
                let mut all = vec!["tally", "letters", "--reply", "gb-london-Aliya-Testova.pdf"];
                all.extend(args);
                let (code, _, err) = protest_in(dir, &all);
                assert_eq!(code, 65, "U+{:04X} {source}: {err}", c as u32);
                let what = match c.is_control() {
                    true => "a control character",
                    false => "an invisible character that reorders or hides text",
                };
                assert!(
                    err.starts_with(&format!("error: {source} holds {what} (")),
                    "U+{:04X}: {err}",
                    c as u32
                );
                // The message shows the character, never does what it does.
                assert!(!err.contains(c), "U+{:04X} reached the terminal", c as u32);
                nothing_recorded(&letters, &None);
            }
        }
    }
    // Plain text with line breaks and tabs is recorded.
    let (code, _, err) = protest_in(
        dir,
        &[
            "tally",
            "letters",
            "--reply",
            "gb-london-Aliya-Testova.pdf",
            "Received,\n\twith thanks.",
        ],
    );
    assert_eq!(code, 0, "{err}");
}
