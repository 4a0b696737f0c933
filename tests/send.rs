//! `protest send` keeps "exactly once" whatever the user does (issue 19),
//! against a real SMTP server on 127.0.0.1 (tests/common/smtp.rs): one
//! identity per message whatever path reaches it, one run per send log, an
//! honest stop on a signal, only the drafts `write` made from a batch
//! folder, bounded inputs, safe settings, TLS as real set-ups have it, and
//! outcomes counted as they are. A test per rule; delivery itself is tested
//! in tests/send_delivery.rs.

mod common;

use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::smtp::*;
use common::{protest, run};
use serde_json::Value;

/// `protest send PATHS... ARGS...` run in `cwd`, logged in, in a clean configuration.
fn send_from(
    tmp: &Path,
    server: &Server,
    cwd: &Path,
    paths: &[&str],
    args: &[&str],
) -> (i32, String, String) {
    run(with_password(tmp)
        .current_dir(cwd)
        .env_remove(REQUIRE_TLS)
        .env_remove("SSL_CERT_FILE")
        .arg("send")
        .args(paths)
        .args(["--smtp", &server.url(), "--user", "branch"])
        .args(["--insecure-plain-auth", "--yes", "--rate", "unlimited"])
        .args(args))
}

/// Each Message-ID the server received, with how many times.
fn arrivals(server: &Server) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for id in server.received_ids() {
        *counts.entry(id).or_insert(0) += 1;
    }
    counts
}

fn message_id(path: &Path) -> String {
    header(&std::fs::read(path).unwrap(), "Message-ID")
}

fn signal(child: &std::process::Child, signal: i32) {
    // SAFETY: kill on the id of a child this test started and still waits for.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
}

// --- Rule 1: one identity per message, not per path ---------------------------

#[test]
fn one_message_reached_by_many_paths_is_sent_once() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 3);
    let drafted = eml_files(&dir);
    // The same drafts through a link to the folder, a link to one file, a
    // hard link in another folder, and an mbox of them all beside it.
    symlink(&dir, tmp.path().join("link")).unwrap();
    symlink(&drafted[0], tmp.path().join("one.eml")).unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::hard_link(&drafted[1], elsewhere.join("copy.eml")).unwrap();
    let (code, _, err) = run(&mut write_members(
        tmp.path(),
        &["--format", "mbox", "-o", s(&elsewhere.join("all.mbox"))],
    ));
    assert_eq!(code, 0, "{err}");

    let absolute = dir.display().to_string();
    let (code, _, err) = send_from(
        tmp.path(),
        &server,
        tmp.path(),
        &[
            "drafts",
            "./drafts",
            "drafts/",
            &absolute,
            "drafts/../drafts",
            "link",
            "one.eml",
            "elsewhere/copy.eml",
            "elsewhere/all.mbox",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sent 3 messages via 127.0.0.1"), "{err}");
    let arrived = arrivals(&server);
    assert_eq!(arrived.len(), 3, "{arrived:?}");
    assert!(arrived.values().all(|&n| n == 1), "each once: {arrived:?}");

    // Recorded where each copy was found: no later run from any of them sends again.
    for path in [
        "elsewhere/all.mbox",
        "elsewhere/copy.eml",
        "link",
        "one.eml",
    ] {
        let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &[path], &[]);
        assert_eq!(code, 0, "{path}: {err}");
        assert!(
            err.contains("nothing to send: the log says all"),
            "{path}: {err}"
        );
    }
    assert_eq!(server.received().len(), 3);
}

// --- Rule 2: one run per send log at a time -----------------------------------

#[test]
fn a_second_run_on_the_same_log_is_refused_whatever_the_folder_is_called() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--hold"]);
    let dir = drafts(tmp.path(), 2);
    symlink(&dir, tmp.path().join("link")).unwrap();
    let first = spawn_send(
        tmp.path(),
        &server,
        &[&dir],
        &["--yes", "--rate", "unlimited"],
    );
    server.wait_for_holding(1);

    let one_draft = eml_files(&dir)[1].display().to_string();
    let absolute = dir.display().to_string();
    for spelling in [
        absolute.as_str(),
        "drafts",
        "./drafts/",
        "link",
        "drafts/../drafts",
        &one_draft,
    ] {
        // A real second process, as a second terminal or a cron job would be.
        let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &[spelling], &[]);
        assert_eq!(code, 75, "{spelling}: {err}");
        assert!(
            err.contains(&format!(
                "another `protest send` is using this send log (PID {}, started ",
                first.id()
            )),
            "{spelling}: {err}"
        );
        assert!(err.contains("nothing was sent"), "{spelling}: {err}");
        assert!(err.contains(&format!("kill {}", first.id())), "{err}");
    }
    server.release();
    let (code, err) = finish(first);
    assert_eq!(code, 0, "{err}");
    let arrived = arrivals(&server);
    assert_eq!(arrived.len(), 2);
    assert!(arrived.values().all(|&n| n == 1), "{arrived:?}");
    assert!(
        !dir.join("send-log.jsonl.lock").exists(),
        "the lock goes with its run"
    );
}

#[test]
fn the_lock_of_a_killed_run_is_taken_over() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--hold"]);
    let dir = drafts(tmp.path(), 2);
    let mut first = spawn_send(
        tmp.path(),
        &server,
        &[&dir],
        &["--yes", "--rate", "unlimited"],
    );
    server.wait_for_holding(1);
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(dir.join("send-log.jsonl.lock").exists());
    server.release();

    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &[]);
    assert_eq!(code, 0, "{err}");
    // The killed run's message was the server's, and its answer never reached
    // the log: it is said, and sent again — the one duplicate possible.
    assert!(
        err.contains("an earlier run handed it to the server and stopped before the answer"),
        "{err}"
    );
    let arrived = arrivals(&server);
    assert_eq!(arrived.len(), 2);
    assert_eq!(arrived.values().sum::<usize>(), 3, "{arrived:?}");
    assert!(!dir.join("send-log.jsonl.lock").exists());
}

// --- Rule 3: a signal waits for the answer on its way, then stops honestly ----

#[test]
fn a_signal_while_the_server_holds_the_answer_waits_for_it_and_says_what_is_left() {
    for (number, code, name) in [
        (libc::SIGINT, 130, "SIGINT"),
        (libc::SIGTERM, 143, "SIGTERM"),
        (libc::SIGHUP, 129, "SIGHUP"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let server = Server::start(tmp.path(), &["--hold"]);
        let dir = drafts(tmp.path(), 3);
        let child = spawn_send(
            tmp.path(),
            &server,
            &[&dir],
            &["--yes", "--rate", "unlimited"],
        );
        server.wait_for_holding(1);
        signal(&child, number);
        // The answer comes after the signal: the run must wait for it.
        std::thread::sleep(Duration::from_millis(300));
        server.release();
        let (exit, err) = finish(child);
        assert_eq!(exit, code, "{name}: {err}");
        assert!(
            err.contains(&format!("error: stopped by {name}: 1 message sent, 2 left; the server's answer to the last message was recorded")),
            "{name}: {err}"
        );
        assert!(
            err.contains("help: to send the rest, run the same command again: ")
                && err.contains(&format!(" send {} --smtp ", dir.display())),
            "{name}: {err}"
        );
        // The log knows what the server has: an answer for the held message.
        let events = log_events(&dir);
        let held = &server.received()[0].1;
        let id = header(held, "Message-ID");
        let id = id.trim_matches(['<', '>']);
        assert!(
            events
                .iter()
                .any(|e| e["event"] == "accepted" && e["message_id"] == id),
            "{name}: {events:?}"
        );
        // The next run sends the rest, and nothing twice.
        let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &[]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(
            err.contains("sent 2 messages") && err.contains("1 already sent before"),
            "{err}"
        );
        let arrived = arrivals(&server);
        assert_eq!(arrived.len(), 3, "{name}");
        assert!(arrived.values().all(|&n| n == 1), "{name}: {arrived:?}");
    }
}

#[test]
fn a_second_signal_stops_at_once_and_says_the_last_message_may_have_arrived() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--hold"]);
    let dir = drafts(tmp.path(), 2);
    let child = spawn_send(
        tmp.path(),
        &server,
        &[&dir],
        &["--yes", "--rate", "unlimited"],
    );
    server.wait_for_holding(1);
    signal(&child, libc::SIGINT);
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, libc::SIGINT);
    let (code, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    assert!(
        err.contains("error: stopped by SIGINT: 0 messages sent, 2 left; the server had not answered the last message when the run stopped: it may have it"),
        "{err}"
    );
    // The log says it was handed over, and nothing more.
    let events = log_events(&dir);
    assert_eq!(
        events
            .iter()
            .map(|e| e["event"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["sending"],
        "{events:?}"
    );
    server.release();
    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("it may have arrived, and is sent again"),
        "{err}"
    );
}

#[test]
fn a_hang_up_with_no_terminal_left_to_write_to_still_stops_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--hold"]);
    let dir = drafts(tmp.path(), 2);
    // Standard error that cannot be written, as a terminal that hung up.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_protest"))
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env("XDG_STATE_HOME", tmp.path().join("state"))
        .env("PROTEST_SMTP_PASSWORD", PASSWORD)
        .args(["send", s(&dir), "--smtp", &server.url(), "--user", "branch"])
        .args(["--insecure-plain-auth", "--yes", "--rate", "unlimited"])
        .stderr(full)
        .spawn()
        .unwrap();
    server.wait_for_holding(1);
    signal(&child, libc::SIGHUP);
    std::thread::sleep(Duration::from_millis(300));
    server.release();
    let status = child.wait_with_output().unwrap().status;
    assert_eq!(status.code(), Some(129), "not a crash (101)");
    let events = log_events(&dir);
    assert_eq!(
        events
            .iter()
            .map(|e| e["event"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["sending", "accepted"]
    );
}

// --- Rule 4: from a batch folder, only the drafts `write` made -----------------

#[test]
fn from_a_batch_folder_only_the_drafts_write_made_are_sent() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 3);
    let drafted = eml_files(&dir);
    // A user's own email put in the folder, and a draft edited after `write`.
    let private = "From: Me <me@example.org>\r\nTo: friend@example.net\r\n\
                   Subject: private\r\nMessage-ID: <private@example.org>\r\n\r\nHi.\r\n";
    std::fs::write(dir.join("private.eml"), private).unwrap();
    let mut edited = std::fs::read(&drafted[2]).unwrap();
    edited.extend_from_slice(b"P.S. added by hand\r\n");
    std::fs::write(&drafted[2], edited).unwrap();

    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: drafts/private.eml: skipped: not one of the drafts `protest write` wrote \
             here (manifest.jsonl does not list it as written); to send it, name it: protest send \
             drafts/private.eml"
        ),
        "{err}"
    );
    let edited_name = format!(
        "drafts/{}",
        drafted[2].file_name().unwrap().to_str().unwrap()
    );
    assert!(
        err.contains(&format!(
            "warning: {edited_name}: skipped: changed since `protest write` wrote it"
        )),
        "{err}"
    );
    let arrived = arrivals(&server);
    assert_eq!(arrived.len(), 2);
    assert!(!arrived.contains_key("<private@example.org>"));
    assert!(!arrived.contains_key(&message_id(&drafted[2])));

    // Named one by one, the user's choice is sent as it is.
    let (code, _, err) = send_from(
        tmp.path(),
        &server,
        tmp.path(),
        &["drafts", "drafts/private.eml", &edited_name],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("skipped"), "{err}");
    let arrived = arrivals(&server);
    assert_eq!(arrived.len(), 4);
    assert!(arrived.values().all(|&n| n == 1), "{arrived:?}");
}

#[test]
fn a_users_own_email_that_write_would_not_replace_is_never_sent_with_the_drafts() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = tmp.path().join("drafts");
    std::fs::create_dir(&dir).unwrap();
    // The user's own email, under the name `write` gives Member 1's draft.
    let own = "From: Me <me@example.org>\r\nTo: friend@example.net\r\n\
               Subject: private\r\nMessage-ID: <own@example.org>\r\n\r\nHi.\r\n";
    std::fs::write(dir.join("gb-london-Member-1.eml"), own).unwrap();
    std::fs::write(
        tmp.path().join("members.csv"),
        "name,email\nMember 1,m1@example.org\n",
    )
    .unwrap();
    let (code, _, err) = run(&mut write_members(
        tmp.path(),
        &["--format", "eml", "--out", s(&dir)],
    ));
    // Refused before any draft is written: no manifest either.
    assert_eq!(code, 73, "{err}");
    assert!(
        err.contains("gb-london-Member-1.eml, which protest did not write"),
        "{err}"
    );
    assert!(!dir.join("manifest.jsonl").exists());

    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &[]);
    // With no manifest the folder holds no draft of protest's to send.
    assert_eq!(code, 66, "{err}");
    assert!(
        err.starts_with(
            "error: drafts: no manifest.jsonl: from a folder, send takes only the drafts"
        ),
        "{err}"
    );
    assert!(server.received().is_empty());
}

// --- Rule 5: bounded inputs ----------------------------------------------------

#[test]
fn a_send_log_that_is_not_a_regular_file_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 1);
    let log = dir.join("send-log.jsonl");
    let path = std::ffi::CString::new(s(&log)).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: {}: not a regular file: a FIFO, socket or device\n",
            log.display()
        )),
        "{err}"
    );
    assert!(!dir.join("send-log.jsonl.lock").exists());
    std::fs::remove_file(&log).unwrap();
    symlink("/dev/zero", &log).unwrap();
    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: {}: not a regular file: a symbolic link\n",
            log.display()
        )),
        "{err}"
    );
    assert!(!Path::new("/dev/zero.lock").exists());
    // A log of one endless line is refused at its first 64 KiB.
    std::fs::remove_file(&log).unwrap();
    std::fs::write(&log, vec![b'x'; 1 << 20]).unwrap();
    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &[]);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains(":1: a line longer than 64 KiB"), "{err}");
    assert_eq!(
        std::fs::metadata(&log).unwrap().len(),
        1 << 20,
        "left as it was"
    );
    assert!(server.received().is_empty());
}

#[test]
fn a_password_command_that_never_stops_printing_is_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 1);
    let config = tmp.path().join("config/protest");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[smtp]\nuser = \"branch\"\npassword_command = \"yes\"\n",
    )
    .unwrap();
    let (code, _, err) = run(configured(tmp.path())
        .env_remove("PROTEST_SMTP_PASSWORD")
        .args(["send", s(&dir), "--smtp", &server.url(), "--yes"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("error: password_command printed more than 4 KiB: a password is a line; it was stopped, and nothing was sent"),
        "{err}"
    );
    assert!(server.received().is_empty());
}

#[test]
fn a_draft_of_one_endless_line_gets_a_short_error() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let draft = tmp.path().join("big.eml");
    std::fs::write(&draft, vec![b'x'; 8 << 20]).unwrap();
    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["big.eml"], &[]);
    assert_eq!(code, 65, "{err}");
    assert!(
        err.starts_with(
            "error: big.eml: not an email draft: its header has a line that is not a field: \"xxx"
        ),
        "{err}"
    );
    assert!(err.len() < 500, "{} bytes of error", err.len());
}

#[test]
fn a_server_reply_is_escaped_and_cut_before_it_reaches_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let reply = format!("550 5.1.1 \\x1b[2J\\x1b[31mgone{}", "A".repeat(900));
    let server = Server::start(
        tmp.path(),
        &["--reject", "london@mfa.kz", "--reject-reply", &reply],
    );
    drafts(tmp.path(), 1);
    let (code, out, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &["--json"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        !err.contains('\u{1b}') && !out.contains('\u{1b}'),
        "{err:?}"
    );
    let refused = err.lines().find(|l| l.starts_with("refused: ")).unwrap();
    assert!(
        refused.contains("550 5.1.1 \\x1b[2J\\x1b[31mgoneAAA"),
        "{refused}"
    );
    // Cut as every quoted input is, with its length said.
    assert!(
        refused.contains("AAA… (") && refused.ends_with(" characters)") && refused.len() < 500,
        "{refused}"
    );
}

// --- Rule 6: safe settings -----------------------------------------------------

#[test]
fn a_config_or_password_command_others_can_write_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 1);
    let config_dir = tmp.path().join("config/protest");
    std::fs::create_dir_all(&config_dir).unwrap();
    let config = config_dir.join("config.toml");
    let script = tmp.path().join("password.sh");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' '{PASSWORD}'\n")).unwrap();
    std::fs::write(
        &config,
        format!(
            "[smtp]\nurl = \"{}\"\nuser = \"branch\"\npassword_command = \"{}\"\n",
            server.url(),
            script.display()
        ),
    )
    .unwrap();
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let send = || {
        run(configured(tmp.path())
            .env_remove("PROTEST_SMTP_PASSWORD")
            .args(["send", s(&dir), "--yes", "--insecure-plain-auth"]))
    };
    mode(&script, 0o700);
    for unsafe_mode in [0o666, 0o620, 0o602] {
        mode(&config, unsafe_mode);
        let (code, _, err) = send();
        assert_eq!(code, 77, "{unsafe_mode:o}: {err}");
        assert!(
            err.starts_with(&format!(
                "error: {}: the config file is writable by other users",
                config.display()
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!("chmod 600 {}", config.display())),
            "{err}"
        );
    }
    mode(&config, 0o600);
    mode(&script, 0o777);
    let (code, _, err) = send();
    assert_eq!(code, 77, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: {}: the password_command is writable by other users",
            script.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("chmod 700 {}", script.display())),
        "{err}"
    );
    assert!(server.received().is_empty());

    mode(&script, 0o700);
    let (code, _, err) = send();
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.received().len(), 1);
}

#[test]
fn from_holds_one_mailbox() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    drafts(tmp.path(), 1);
    for two in [
        "Leeds Branch <branch@example.org>, Other <other@example.net>",
        "Leeds Branch <branch@example.org> <other@example.net>",
        "branch@example.org other@example.net",
    ] {
        let (code, _, err) = send_from(
            tmp.path(),
            &server,
            tmp.path(),
            &["drafts"],
            &["--from", two],
        );
        assert_eq!(code, 2, "{two}: {err}");
        assert!(err.starts_with("error: --from "), "{err}");
    }
    assert!(server.received().is_empty());
}

#[test]
fn options_send_does_not_use_are_not_offered() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = drafts(tmp.path(), 1);
    for option in ["--embassies", "--letters"] {
        let (code, _, err) = run(protest().args(["send", s(&dir), option, "x", "--yes"]));
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains(&format!("unexpected argument '{option}' found")),
            "{err}"
        );
        let (code, _, err) = run(protest().args([option, "x", "send", s(&dir), "--yes"]));
        assert_eq!(code, 2, "{err}");
        assert!(
            err.starts_with(&format!(
                "error: {option}: `protest send` reads no letters or directory"
            )),
            "{err}"
        );
    }
    let (_, help, _) = run(protest().args(["send", "--help"]));
    assert!(
        !help.contains("--embassies") && !help.contains("--letters"),
        "{help}"
    );
}

// --- Rule 7: TLS that works on real set-ups -------------------------------------

#[test]
fn through_a_tunnel_the_certificate_is_checked_against_the_real_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates_for(tmp.path(), "named", "DNS:mail.example.org");
    let (other_ca, _, _) = certificates(tmp.path(), "other");
    let server = Server::start(tmp.path(), &["--tls", s(&cert), s(&key)]);
    drafts(tmp.path(), 2);
    let send = |ca: &Path, extra: &[&str]| {
        run(with_password(tmp.path())
            .current_dir(tmp.path())
            .env("SSL_CERT_FILE", ca)
            .env(REQUIRE_TLS, "1")
            .args([
                "send",
                "drafts",
                "--smtp",
                &server.url(),
                "--user",
                "branch",
            ])
            .args(["--yes", "--rate", "unlimited"])
            .args(extra))
    };
    let (code, _, err) = send(&ca, &[]);
    assert_eq!(code, 77, "{err}");
    assert!(
        err.starts_with("error: STARTTLS with 127.0.0.1 failed: the server's certificate is for mail.example.org, not 127.0.0.1\n"),
        "{err}"
    );
    assert!(err.contains("--tls-name mail.example.org"), "{err}");

    let (code, _, err) = send(&other_ca, &["--tls-name", "mail.example.org"]);
    assert_eq!(code, 77, "{err}");
    assert!(
        err.contains(
            "the server's certificate is signed by an authority this machine does not trust"
        ) && err.contains("SSL_CERT_FILE="),
        "{err}"
    );
    assert!(!err.contains("UnknownIssuer"), "{err}");
    assert!(server.received().is_empty());

    let (code, _, err) = send(&ca, &["--tls-name", "mail.example.org"]);
    assert_eq!(code, 0, "{err}");
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|(meta, _)| meta["tls"] == true));
}

#[test]
fn a_port_that_speaks_the_other_way_is_named_with_its_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(tmp.path(), "server");
    let tls_only = Server::start(tmp.path(), &["--tls", s(&cert), s(&key), "--implicit-tls"]);
    let dir = drafts(tmp.path(), 1);
    // A TLS-only port (465 behind a tunnel) given as smtp://.
    let (code, _, err) = run(with_password(tmp.path())
        .env("SSL_CERT_FILE", &ca)
        .args(["send", s(&dir), "--user", "branch", "--yes"])
        .args(["--smtp", &format!("smtp://127.0.0.1:{}", tls_only.port)]));
    assert_eq!(code, 77, "{err}");
    assert!(
        err.ends_with(&format!(
            "error: 127.0.0.1:{0} did not greet: this port speaks TLS from the start\n  \
             help: use smtps://127.0.0.1:{0}\n",
            tls_only.port
        )),
        "{err}"
    );
    // A plain port given as smtps://.
    let plain = tempfile::tempdir().unwrap();
    let plain = Server::start(plain.path(), &[]);
    let (code, _, err) = run(with_password(tmp.path())
        .args(["send", s(&dir), "--user", "branch", "--yes"])
        .args(["--smtp", &format!("smtps://127.0.0.1:{}", plain.port)]));
    assert_eq!(code, 77, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: 127.0.0.1:{0} answered in plain text, not TLS: this port speaks STARTTLS\n  \
             help: use smtp://127.0.0.1:{0}",
            plain.port
        )),
        "{err}"
    );
    // The standard ports, told before connecting.
    for (url, fix) in [
        ("smtp://127.0.0.1:465", "use smtps://127.0.0.1:465"),
        ("smtps://127.0.0.1:587", "use smtp://127.0.0.1:587"),
    ] {
        let (code, _, err) = run(protest().args(["send", s(&dir), "--smtp", url, "--yes"]));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(fix), "{err}");
    }
    assert!(tls_only.received().is_empty() && plain.received().is_empty());
}

// --- Rule 8: honest outcomes ---------------------------------------------------

/// A draft written by hand (named on its own) from ann to `to` and `cc`.
fn hand_draft(dir: &Path, name: &str, to: &str, cc: Option<&str>) -> PathBuf {
    let path = dir.join(name);
    let cc = cc.map_or(String::new(), |cc| format!("Cc: {cc}\r\n"));
    std::fs::write(
        &path,
        format!(
            "From: Ann <ann@example.org>\r\nTo: {to}\r\n{cc}Subject: Free them\r\n\
             Message-ID: <{name}@example.org>\r\n\r\nFree them.\r\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn a_refusal_is_final_and_outcomes_are_counted_to_all_some_and_none() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--reject", "bern@mfa.kz"]);
    let dir = tmp.path().join("mine");
    std::fs::create_dir(&dir).unwrap();
    let all = hand_draft(&dir, "all.eml", "london@mfa.kz", None);
    let some = hand_draft(&dir, "some.eml", "london@mfa.kz", Some("bern@mfa.kz"));
    let none = hand_draft(&dir, "none.eml", "bern@mfa.kz", None);
    let paths = [s(&all), s(&some), s(&none)];

    let (code, out, err) = send_from(tmp.path(), &server, tmp.path(), &paths, &["--json"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(" (1 to all their recipients, 1 to only some), 1 refused by every recipient"),
        "{err}"
    );
    assert!(err.starts_with("refused: "), "{err}");
    assert_eq!(err.matches("refused: ").count(), 2, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (&report["sent"], &report["partly"], &report["rejected"]),
        (&Value::from(1), &Value::from(1), &Value::from(1))
    );
    assert_eq!(server.received().len(), 2);

    // Reported once: the next run tries no refused recipient, and ends well.
    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &paths, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("refused: "), "{err}");
    assert!(
        err.contains("nothing to send: the log says 1 draft was accepted and 2 drafts were refused for good in an earlier run (--retry-refused tries them again)"),
        "{err}"
    );
    // Unless asked: then only the refused recipients are tried.
    let (code, _, err) = send_from(
        tmp.path(),
        &server,
        tmp.path(),
        &paths,
        &["--retry-refused"],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("refused: ").count(), 2, "{err}");
    assert_eq!(server.received().len(), 2, "london got each message once");

    // The log says which member wrote to which embassy: its owner's alone.
    let mode = std::fs::metadata(dir.join("send-log.jsonl"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_copy_of_a_sent_message_in_another_folder_is_known_as_sent() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    drafts(tmp.path(), 2);
    let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &["drafts"], &[]);
    assert_eq!(code, 0, "{err}");
    // The same letters written again into another folder, and as an mbox.
    for (format, out) in [("eml", "--out"), ("mbox", "-o")] {
        let target = tmp.path().join(format!("again.{format}"));
        let (code, _, err) = run(&mut write_members(
            tmp.path(),
            &["--format", format, out, s(&target)],
        ));
        assert_eq!(code, 0, "{err}");
    }
    for copy in ["again.eml", "again.mbox"] {
        let (code, _, err) = send_from(tmp.path(), &server, tmp.path(), &[copy], &[]);
        assert_eq!(code, 0, "{copy}: {err}");
        assert!(
            err.contains(&format!(
                "warning: 2 drafts were sent before from another folder (the send history {} records them): not sent again",
                tmp.path().join("state/protest/sent.jsonl").display()
            )),
            "{copy}: {err}"
        );
    }
    assert_eq!(server.received().len(), 2);
    let mode = std::fs::metadata(tmp.path().join("state/protest"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
}
