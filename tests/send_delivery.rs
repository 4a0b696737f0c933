//! `protest send` against a real SMTP server (tests/common/smtp.rs): what
//! arrives, its bytes, the rate, deferrals, refusals, TLS and the login. The
//! rules of "exactly once whatever the user does" are in tests/send.rs.
//!
//! The rule "STARTTLS is required unless the server is on this computer" is
//! checked with PROTEST_SMTP_REQUIRE_TLS=1, which makes the client treat the
//! local server as it treats a remote one (it can only make it stricter).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::smtp::*;
use common::{example_sender, protest, run};
use serde_json::Value;

#[test]
fn every_draft_arrives_once_with_its_bytes_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 4);
    let (code, _, err) =
        run(send(tmp.path(), &server, &dir).args(["--yes", "--rate", "unlimited"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sent 4 messages via 127.0.0.1"), "{err}");

    let received = server.received();
    assert_eq!(received.len(), 4);
    for draft in eml_files(&dir) {
        let bytes = std::fs::read(&draft).unwrap();
        let id = header(&bytes, "Message-ID");
        let copies: Vec<_> = received
            .iter()
            .filter(|(_, got)| header(got, "Message-ID") == id)
            .collect();
        assert_eq!(
            copies.len(),
            1,
            "{} arrived {} times",
            draft.display(),
            copies.len()
        );
        let (meta, got) = copies[0];
        assert_eq!(
            *got,
            as_sent(&bytes, got),
            "{} changed on the way",
            draft.display()
        );
        assert_eq!(meta["rcpt_tos"], serde_json::json!(["london@mfa.kz"]));
        assert_eq!(
            meta["mail_from"],
            header(&bytes, "From").split(['<', '>']).nth(1).unwrap()
        );
        assert_eq!(meta["authenticated"], true);
        // The Date is the time of sending, not the letter's midnight.
        let age = parse_with_python(
            got,
            "import email.utils, time\nprint(abs(time.time() - m['Date'].datetime.timestamp()), end='')",
        );
        assert!(age.parse::<f64>().unwrap() < 600.0, "Date is {age}s off");
        assert_eq!(header(got, "X-Unsent"), "");
    }
    let dotted = received
        .iter()
        .find(|(_, got)| header(got, "From").contains("Member 2"))
        .unwrap();
    assert!(String::from_utf8_lossy(&dotted.1).contains("\r\n.A line that starts with a dot."));

    // A second run finds everything in the log and sends nothing.
    let (code, _, err) = run(send(tmp.path(), &server, &dir).args(["--yes"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("nothing to send: the log says all 4 drafts were accepted"),
        "{err}"
    );
    // A note like any other: -q silences it.
    let (code, _, err) = run(send(tmp.path(), &server, &dir).args(["--yes", "-q"]));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(server.received().len(), 4);
}

#[test]
fn the_rate_spaces_the_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 4);
    let (code, _, err) = run(send(tmp.path(), &server, &dir).args(["--yes", "--rate", "300/min"]));
    assert_eq!(code, 0, "{err}");
    let times: Vec<f64> = server
        .received()
        .iter()
        .map(|(meta, _)| meta["mail_time"].as_f64().unwrap())
        .collect();
    assert_eq!(times.len(), 4);
    // 300/min is one every 0.2 s. The server's clock reads the MAIL commands;
    // its own scheduling may delay one reading a little, never the whole run.
    let span = times[3] - times[0];
    assert!(span >= 3.0 * 0.2 * 0.9, "4 messages in {span:.3}s");
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= 0.1,
            "messages {:.3}s apart",
            pair[1] - pair[0]
        );
    }
}

#[test]
fn a_run_killed_mid_way_is_completed_by_the_next_without_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 8);
    let mut child = Command::new(env!("CARGO_BIN_EXE_protest"))
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env("XDG_STATE_HOME", tmp.path().join("state"))
        .env("PROTEST_SMTP_PASSWORD", PASSWORD)
        .env_remove(REQUIRE_TLS)
        .args(["send", s(&dir), "--smtp", &server.url(), "--user", "branch"])
        .args(["--yes", "--rate", "240/min", "--insecure-plain-auth"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.received().len() < 3 {
        assert!(Instant::now() < deadline, "the first run sent nothing");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no clean-up of any kind
    child.wait().unwrap();
    let before = server.received().len();
    assert!(before < 8, "the first run finished before it was killed");

    let (code, _, err) = run(send(tmp.path(), &server, &dir).args(["--yes", "--rate", "0"]));
    assert_eq!(code, 0, "{err}");
    let ids = server.received_ids();
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 8, "every draft arrived");
    assert!(
        ids.len() <= 9,
        "{} messages for 8 drafts: more than one duplicate",
        ids.len()
    );
}

#[test]
fn a_refused_recipient_is_recorded_while_the_others_go() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--reject", "bern@mfa.kz"]);
    let dir = tmp.path().join("drafts");
    let (code, _, err) = run(protest()
        .args([
            "write",
            "mamai-restrictions",
            "--date",
            DATE,
            "--sender",
            s(&example_sender()),
        ])
        .args(["--to", "gb-london", "--to", "ch-bern", "--to", "ge-tbilisi"])
        .args(["--format", "eml", "--out", s(&dir)]));
    assert_eq!(code, 0, "{err}");

    let (code, _, err) = run(send(tmp.path(), &server, &dir).args(["--yes", "--rate", "0"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("to bern@mfa.kz: 550 5.1.1 <bern@mfa.kz>: mailbox unavailable"),
        "{err}"
    );
    assert!(err.contains("1 recipient refused for good"), "{err}");
    let to: Vec<Value> = server
        .received()
        .iter()
        .map(|(meta, _)| meta["rcpt_tos"][0].clone())
        .collect();
    assert_eq!(to, ["london@mfa.kz", "tbilisi@mfa.kz"]);
    let rejected: Vec<Value> = log_events(&dir)
        .into_iter()
        .filter(|e| e["event"] == "rejected")
        .collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        rejected[0]["recipients"],
        serde_json::json!(["bern@mfa.kz"])
    );
    assert!(rejected[0]["reply"].as_str().unwrap().starts_with("550 "));

    // Again: the refusal is final, and the others do not go twice (tests/send.rs
    // has the rest of the rule).
    let (code, _, err) = run(send(tmp.path(), &server, &dir).args(["--yes", "--rate", "0"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.received().len(), 2);
}

#[test]
fn a_deferred_message_is_tried_again() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--defer-once", "london@mfa.kz"]);
    let dir = drafts(tmp.path(), 2);
    let (code, _, err) = run(send(tmp.path(), &server, &dir).args(["--yes", "--rate", "0"]));
    assert_eq!(code, 0, "{err}");
    let mut ids = server.received_ids();
    ids.sort();
    let mut drafted: Vec<String> = eml_files(&dir)
        .iter()
        .map(|p| header(&std::fs::read(p).unwrap(), "Message-ID"))
        .collect();
    drafted.sort();
    assert_eq!(ids, drafted, "each draft once, the deferred one included");
    let deferred: Vec<Value> = log_events(&dir)
        .into_iter()
        .filter(|e| e["event"] == "deferred")
        .collect();
    assert_eq!(deferred.len(), 1);
    assert!(deferred[0]["reply"].as_str().unwrap().starts_with("451 "));
}

#[test]
fn wrong_credentials_stop_the_run_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 3);
    let (code, out, err) = run(send(tmp.path(), &server, &dir)
        .env("PROTEST_SMTP_PASSWORD", "wrong password")
        .args(["--yes", "--rate", "0"]));
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("127.0.0.1 refused the login: 535"), "{err}");
    assert!(!err.contains("wrong password") && !out.contains("wrong password"));
    assert!(server.received().is_empty());
}

#[test]
fn a_remote_server_without_starttls_is_refused_before_the_login() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 1);
    for dry_run in [false, true] {
        let mut cmd = send(tmp.path(), &server, &dir);
        cmd.env(REQUIRE_TLS, "1").args(["--yes"]);
        if dry_run {
            cmd.arg("--dry-run");
        }
        let (code, _, err) = run(&mut cmd);
        assert_eq!(code, 77, "{err}");
        assert!(err.contains("127.0.0.1 does not offer STARTTLS"), "{err}");
    }
    assert!(server.received().is_empty());
}

#[test]
fn starttls_carries_the_login_and_the_letters() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(tmp.path(), "server");
    let server = Server::start(tmp.path(), &["--tls", s(&cert), s(&key)]);
    let dir = drafts(tmp.path(), 2);
    let (code, _, err) = run(send(tmp.path(), &server, &dir)
        .env(REQUIRE_TLS, "1")
        .env("SSL_CERT_FILE", &ca)
        .args(["--yes", "--rate", "0"]));
    assert_eq!(code, 0, "{err}");
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|(meta, _)| meta["tls"] == true));
}

#[test]
fn a_certificate_nobody_vouches_for_stops_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, cert, key) = certificates(tmp.path(), "server");
    let (other_ca, _, _) = certificates(tmp.path(), "other");
    let server = Server::start(tmp.path(), &["--tls", s(&cert), s(&key)]);
    let dir = drafts(tmp.path(), 2);
    let (code, _, err) = run(send(tmp.path(), &server, &dir)
        .env(REQUIRE_TLS, "1")
        .env("SSL_CERT_FILE", &other_ca)
        .args(["--yes", "--rate", "0"]));
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("STARTTLS with 127.0.0.1 failed"), "{err}");
    assert!(server.received().is_empty());
}

#[test]
fn without_a_terminal_it_asks_for_yes_and_sends_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 3);
    let (code, _, err) = run(&mut send(tmp.path(), &server, &dir));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("Send 3 messages to 1 recipient address via 127.0.0.1 as 3 senders"),
        "{err}"
    );
    assert!(err.contains("add --yes"), "{err}");
    assert!(server.received().is_empty());
    assert!(!dir.join("send-log.jsonl").exists());
}

#[test]
fn a_dry_run_logs_in_and_sends_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 3);
    let (code, out, err) = run(send(tmp.path(), &server, &dir).args(["--dry-run", "--json"]));
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["would_send"].as_array().unwrap().len(), 3);
    assert!(server.received().is_empty());
    assert!(!dir.join("send-log.jsonl").exists());

    // Logging in is part of it: a wrong password fails the dry run too.
    let (code, _, err) = run(send(tmp.path(), &server, &dir)
        .env("PROTEST_SMTP_PASSWORD", "nope")
        .arg("--dry-run"));
    assert_eq!(code, 77, "{err}");
}

#[test]
fn max_sends_part_and_a_rerun_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 5);
    let (code, out, err) =
        run(send(tmp.path(), &server, &dir).args(["--yes", "--rate", "0", "--max", "2", "--json"]));
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (report["sent"].as_u64(), report["left"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(server.received().len(), 2);
    let (code, _, err) = run(send(tmp.path(), &server, &dir).args(["--yes", "--rate", "0"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("sent 3 messages") && err.contains("2 already sent before"),
        "{err}"
    );
    let mut ids = server.received_ids();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5);
}

#[test]
fn from_an_account_the_member_is_named_and_replied_to() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 1);
    let (code, _, err) = run(send(tmp.path(), &server, &dir).args([
        "--yes",
        "--from",
        "Leeds Branch <branch@example.net>",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("DMARC"), "{err}");
    let (meta, got) = &server.received()[0];
    assert_eq!(meta["mail_from"], "branch@example.net");
    assert_eq!(
        header(got, "From"),
        "Member 1 via Leeds Branch <branch@example.net>"
    );
    assert_eq!(header(got, "Reply-To"), "Member 1 <member1@example.org>");
}

#[test]
fn drafts_from_another_domain_than_the_account_are_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 2);
    let (code, _, err) = run(with_password(tmp.path())
        .args([
            "send",
            s(&dir),
            "--smtp",
            &server.url(),
            "--user",
            "branch@example.net",
        ])
        .args(["--yes", "--dry-run", "--insecure-plain-auth"]));
    // The server knows the user as "branch": the login fails, after the warning.
    assert_eq!(code, 77, "{err}");
    assert!(
        err.contains("warning: 2 drafts are From an address outside example.net"),
        "{err}"
    );
    assert!(err.contains("--from"), "{err}");
}

#[test]
fn an_mbox_is_sent_as_its_eml_drafts_would_be() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 3);
    let mbox = tmp.path().join("all.mbox");
    let (code, _, err) = run(&mut write_members(
        tmp.path(),
        &["--format", "mbox", "-o", s(&mbox)],
    ));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(send(tmp.path(), &server, &mbox).args(["--yes", "--rate", "0"]));
    assert_eq!(code, 0, "{err}");
    let received = server.received();
    assert_eq!(received.len(), 3);
    for (draft, (_, got)) in eml_files(&dir).iter().zip(&received) {
        assert_eq!(
            String::from_utf8_lossy(got),
            String::from_utf8_lossy(&as_sent(&std::fs::read(draft).unwrap(), got))
        );
    }
}

#[test]
fn the_password_never_comes_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = drafts(tmp.path(), 1);
    let (code, _, err) = run(configured(tmp.path()).args([
        "send",
        s(&dir),
        "--smtp",
        "smtp://branch:hunter2@127.0.0.1:9",
        "--yes",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("PROTEST_SMTP_PASSWORD") && !err.contains("hunter2"),
        "{err}"
    );

    let (code, _, err) = run(configured(tmp.path())
        .env_remove("PROTEST_SMTP_PASSWORD")
        .args([
            "send",
            s(&dir),
            "--smtp",
            "smtp://127.0.0.1:9",
            "--user",
            "branch",
            "--yes",
        ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no password for branch"), "{err}");
}

#[test]
fn the_config_file_holds_the_server_and_a_password_command() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 1);
    let config = tmp.path().join("config/protest");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "data = \"elsewhere\"\n[smtp]\nurl = \"{}\"\nuser = \"branch\"\nrate = \"unlimited\"\n\
             password_command = \"printf '%s\\\\n' '{PASSWORD}'\"\n",
            server.url()
        ),
    )
    .unwrap();
    let (code, _, err) = run(configured(tmp.path())
        .env_remove("PROTEST_SMTP_PASSWORD")
        .args(["send", s(&dir), "--yes", "--insecure-plain-auth"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.received().len(), 1);
}

#[test]
fn smtps_is_tls_from_the_first_byte_and_checks_the_certificate() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(tmp.path(), "server");
    let (other_ca, _, _) = certificates(tmp.path(), "other");
    let server = Server::start(tmp.path(), &["--tls", s(&cert), s(&key), "--implicit-tls"]);
    let dir = drafts(tmp.path(), 2);

    let (code, _, err) = run(send(tmp.path(), &server, &dir)
        .args(["--yes", "--rate", "0"])
        .env("SSL_CERT_FILE", &other_ca));
    assert_eq!(code, 77, "{err}");
    assert!(
        err.contains(&format!("TLS with 127.0.0.1:{} failed", server.port)),
        "{err}"
    );
    assert!(server.received().is_empty());

    let (code, _, err) = run(send(tmp.path(), &server, &dir)
        .args(["--yes", "--rate", "0"])
        .env("SSL_CERT_FILE", &ca));
    assert_eq!(code, 0, "{err}");
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|(meta, _)| meta["tls"] == true));
}

#[test]
fn a_dropped_connection_is_reconnected_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--drop-once-after", "2"]);
    let dir = drafts(tmp.path(), 4);
    let (code, _, err) = run(send(tmp.path(), &server, &dir).args(["--yes", "--rate", "0"]));
    assert_eq!(code, 0, "{err}");
    let mut ids = server.received_ids();
    ids.sort();
    ids.dedup();
    assert_eq!(
        (ids.len(), server.received().len()),
        (4, 4),
        "each draft once"
    );
    let deferred = log_events(&dir)
        .into_iter()
        .filter(|e| e["event"] == "deferred")
        .count();
    assert_eq!(deferred, 1);
}

#[test]
fn a_server_that_cannot_be_reached_is_a_temporary_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = drafts(tmp.path(), 1);
    // A port on 127.0.0.1 that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, _, err) = run(with_password(tmp.path())
        .args([
            "send",
            s(&dir),
            "--smtp",
            &format!("smtp://127.0.0.1:{port}"),
        ])
        .args(["--user", "branch", "--dry-run"]));
    assert_eq!(code, 75, "{err}");
    assert!(
        err.contains(&format!("cannot connect to 127.0.0.1:{port}")),
        "{err}"
    );

    // Sending tries five times, pausing 1, 2, 4 and 8 seconds, then stops.
    let (code, _, err) = run(with_password(tmp.path())
        .args([
            "send",
            s(&dir),
            "--smtp",
            &format!("smtp://127.0.0.1:{port}"),
        ])
        .args(["--user", "branch", "--yes"]));
    assert_eq!(code, 75, "{err}");
    assert!(
        err.contains("not sent after 5 tries (cannot connect"),
        "{err}"
    );
    assert!(err.contains("run the same command again later"), "{err}");
}

#[test]
fn in_a_terminal_it_asks_first_and_no_sends_nothing() {
    use expectrl::{Eof, Expect, Session};
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 2);
    for (answer, sent) in [("n", 0), ("y", 2)] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_protest"));
        cmd.env("XDG_CONFIG_HOME", tmp.path().join("config"))
            .env("XDG_STATE_HOME", tmp.path().join("state"))
            .env("PROTEST_SMTP_PASSWORD", PASSWORD)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .args(["send", s(&dir), "--smtp", &server.url(), "--user", "branch"])
            .args(["--rate", "0", "--from", "Leeds Branch <branch@example.org>"])
            .arg("--insecure-plain-auth");
        let mut session = Session::spawn(cmd).unwrap();
        session.set_expect_timeout(Some(Duration::from_secs(20)));
        session
            .expect("Send 2 messages to 1 recipient address via 127.0.0.1 as branch@example.org?")
            .unwrap();
        session.send(answer).unwrap();
        session.expect(Eof).unwrap();
        assert_eq!(server.received().len(), sent, "after {answer}");
    }
}

#[test]
fn a_server_that_wants_a_login_stops_the_run_without_refusing_every_draft() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 3);
    let (code, _, err) = run(configured(tmp.path())
        .env_remove("PROTEST_SMTP_PASSWORD")
        .args(["send", s(&dir), "--smtp", &server.url()])
        .args(["--yes", "--rate", "0"]));
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("the server wants a login first (530"), "{err}");
    assert!(server.received().is_empty());
    let refused = log_events(&dir)
        .into_iter()
        .filter(|e| e["event"] == "rejected")
        .count();
    assert_eq!(refused, 0);
}

#[test]
fn starttls_is_used_whenever_offered_even_on_this_computer() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(tmp.path(), "server");
    // STARTTLS offered, not required; the login only after it (as Postfix on 587).
    let server = Server::start(tmp.path(), &["--tls", s(&cert), s(&key), "--tls-optional"]);
    drafts(tmp.path(), 1);
    let (code, _, err) = run(with_password(tmp.path())
        .current_dir(tmp.path())
        .env("SSL_CERT_FILE", &ca)
        .env_remove(REQUIRE_TLS)
        .args([
            "send",
            "drafts",
            "--smtp",
            &server.url(),
            "--user",
            "branch",
            "--yes",
        ]));
    assert_eq!(code, 0, "{err}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0["tls"], true);
    assert_eq!(received[0].0["authenticated"], true);
}

#[test]
fn a_login_without_tls_on_this_computer_needs_to_be_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 1);
    let (code, _, err) = run(with_password(tmp.path()).env_remove(REQUIRE_TLS).args([
        "send",
        s(&dir),
        "--smtp",
        &server.url(),
        "--user",
        "branch",
        "--yes",
    ]));
    assert_eq!(code, 77, "{err}");
    assert!(
        err.starts_with("error: 127.0.0.1 does not offer STARTTLS: the password would go unencrypted\n  help: on this computer that can be safe: say so with --insecure-plain-auth"),
        "{err}"
    );
    assert!(server.received().is_empty());
    // Over a network, never.
    let (code, _, err) = run(with_password(tmp.path())
        .args([
            "send",
            s(&dir),
            "--smtp",
            "smtp://mail.example.org",
            "--user",
            "b",
        ])
        .args(["--insecure-plain-auth", "--yes"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("error: --insecure-plain-auth is for a server on this computer, and mail.example.org is not"),
        "{err}"
    );
}
