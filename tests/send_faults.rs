//! `protest send` against the faults a red team found after issue 19: a
//! server that takes a message and never answers, a refused sender, a reply
//! line that never ends, one log reached by two folders, unsafe password
//! commands, a `--from` of two mailboxes, certificate errors in words, a
//! log line without its newline, and a stop before the data goes. Each
//! against a real SMTP server on 127.0.0.1 (tests/common/smtp.rs).

mod common;

use std::path::Path;

use common::run;
use common::smtp::*;
use serde_json::Value;

/// `protest send PATHS... ARGS...` in `tmp`, logged in, in a clean configuration.
fn send_in(tmp: &Path, server: &Server, paths: &[&str], args: &[&str]) -> (i32, String, String) {
    run(with_password(tmp)
        .current_dir(tmp)
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

/// The log's events, in order, as "event draft" lines.
fn events(dir: &Path) -> Vec<String> {
    log_events(dir)
        .iter()
        .map(|e| {
            let draft = Path::new(str_of(&e["draft"])).file_name().unwrap();
            format!("{} {}", str_of(&e["event"]), draft.to_str().unwrap())
        })
        .collect()
}

fn str_of(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn draft_names(dir: &Path) -> Vec<String> {
    eml_files(dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect()
}

// --- A message handed over is never sent twice in one run ---------------------

#[test]
fn a_message_the_server_took_without_answering_is_not_sent_again_in_the_same_run() {
    let tmp = tempfile::tempdir().unwrap();
    // The server records message 2, then drops the connection before answering.
    let server = Server::start(tmp.path(), &["--drop-after-data", "2"]);
    let dir = drafts(tmp.path(), 3);
    let names = draft_names(&dir);
    let (code, _, err) = send_in(tmp.path(), &server, &["drafts"], &[]);
    assert_eq!(code, 75, "{err}");
    let second = format!("drafts/{}", names[1]);
    assert!(
        err.contains(&format!(
            "error: {second}: the server did not answer once it had the message ("
        )) && err.contains("): it may have it; stopped, so as not to send it twice"),
        "{err}"
    );
    assert!(
        err.contains("sent 1 message via 127.0.0.1")
            && err.contains(
                "1 handed over without an answer (the server may have it), 1 left for a later run"
            ),
        "{err}"
    );
    assert!(!err.contains("deferred"), "{err}");
    // Each arrived once; the log leaves message 2 at `sending`: it may be there.
    assert!(arrivals(&server).values().all(|&n| n == 1), "{err}");
    assert_eq!(server.received().len(), 2);
    assert_eq!(
        events(&dir),
        [
            format!("sending {}", names[0]),
            format!("accepted {}", names[0]),
            format!("sending {}", names[1]),
        ]
    );
    // The next run says what it does, and sends message 2 again, and 3.
    let (code, _, err) = send_in(tmp.path(), &server, &["drafts"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "warning: {second}: an earlier run handed it to the server and stopped before the answer: it may have arrived, and is sent again"
        )),
        "{err}"
    );
    assert_eq!(server.received().len(), 4);
}

#[test]
fn the_wait_for_the_answer_to_the_data_is_the_ten_minutes_rfc_5321_asks() {
    assert_eq!(
        protest::send::smtp::DATA_END_WAIT,
        std::time::Duration::from_secs(600)
    );
}

// --- A refused sender is no refused recipient ----------------------------------

#[test]
fn a_refused_sender_or_account_stops_the_run_and_refuses_no_recipient() {
    for reply in [
        "553 5.7.1 <member1@example.org>: Sender address rejected: not owned by user branch",
        "550 5.4.5 Daily user sending quota exceeded",
        "554 5.7.1 account suspended",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let server = Server::start(tmp.path(), &["--reject-sender", reply]);
        let dir = drafts(tmp.path(), 3);
        let (code, _, err) = send_in(tmp.path(), &server, &["drafts"], &[]);
        assert_eq!(code, 77, "{reply}: {err}");
        assert_eq!(
            err,
            format!(
                "error: the server refused the sender \"member1@example.org\": {reply}\n  \
                 help: send as an address this login may use, e.g. --from \"Branch Name \
                 <you@your-domain>\", or ask whoever runs the server; nothing more was sent \
                 and no refusal was recorded\n"
            )
        );
        assert!(!err.contains("refused:"), "{reply}: {err}");
        // Neither the log nor the history holds a refusal.
        assert!(
            log_events(&dir).iter().all(|e| e["event"] != "rejected"),
            "{reply}"
        );
        let history = std::fs::read_to_string(tmp.path().join("state/protest/sent.jsonl"))
            .unwrap_or_default();
        assert!(!history.contains("rejected"), "{reply}: {history}");
        // With a sender the server takes, every draft goes.
        let good = Server::start(&tmp.path().join("good"), &[]);
        let (code, _, err) = send_in(
            tmp.path(),
            &good,
            &["drafts"],
            &["--from", "Leeds Branch <branch@example.org>"],
        );
        assert_eq!(code, 0, "{reply}: {err}");
        assert_eq!(good.received().len(), 3, "{reply}: {err}");
    }
}

// --- A stop before the data goes stops before it -------------------------------

#[test]
fn a_stop_while_the_server_is_slow_on_a_recipient_sends_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--hold-rcpt"]);
    let dir = drafts(tmp.path(), 2);
    let child = spawn_send(
        tmp.path(),
        &server,
        &[&dir],
        &["--yes", "--rate", "unlimited"],
    );
    let marker = server.dir.join("holding-rcpt");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !marker.exists() {
        assert!(std::time::Instant::now() < deadline, "no RCPT came");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: kill on the id of a child this test started and still waits for.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    std::thread::sleep(std::time::Duration::from_millis(300));
    server.release();
    let (code, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    assert!(
        err.contains("error: stopped by SIGINT: 0 messages sent, 2 left\n"),
        "{err}"
    );
    assert!(server.received().is_empty(), "{err}");
    let names = draft_names(&dir);
    assert_eq!(
        events(&dir),
        [
            format!("sending {}", names[0]),
            format!("deferred {}", names[0])
        ]
    );
}

// --- A reply line that never ends is cut, not read into all of memory ---------

/// tests/smtp/endless.py, started in `mode`; killed when dropped.
struct Endless(std::process::Child, u16);

impl Endless {
    fn start(mode: &str) -> Endless {
        use std::io::BufRead;
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/endless.py");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .arg(mode)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap();
        Endless(child, port)
    }
}

impl Drop for Endless {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `protest send drafts` to 127.0.0.1:`port`, its memory capped at 512 MB:
/// a reply read without bound aborts there at once.
fn send_capped(tmp: &Path, port: u16, args: &[&str]) -> (i32, String, String) {
    let url = format!("smtp://127.0.0.1:{port}");
    let mut cmd = std::process::Command::new("prlimit");
    cmd.arg("--as=512000000")
        .arg(env!("CARGO_BIN_EXE_protest"))
        .args(["send", "drafts", "--smtp", &url, "--user", "branch"])
        .args(["--insecure-plain-auth", "--rate", "unlimited"])
        .args(args)
        .current_dir(tmp)
        .env("XDG_CONFIG_HOME", tmp.join("config"))
        .env("XDG_STATE_HOME", tmp.join("state"))
        .env("PROTEST_SMTP_PASSWORD", PASSWORD)
        .env_remove(REQUIRE_TLS);
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_greeting_that_never_ends_is_cut_with_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    drafts(tmp.path(), 1);
    let server = Endless::start("greeting");
    let (code, _, err) = send_capped(tmp.path(), server.1, &["--dry-run"]);
    assert_eq!(code, 75, "{err}");
    assert_eq!(
        err,
        format!(
            "error: 127.0.0.1:{} sent more than 1024 KiB without ending its reply: it does not \
             speak SMTP as a mail server should\n  help: check the server's address and port, \
             or try again later\n",
            server.1
        )
    );
}

#[test]
fn an_answer_to_the_data_that_never_ends_stops_the_run_and_keeps_the_message_unanswered() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = drafts(tmp.path(), 2);
    let names = draft_names(&dir);
    let server = Endless::start("data");
    let (code, _, err) = send_capped(tmp.path(), server.1, &["--yes"]);
    assert_eq!(code, 75, "{err}");
    assert!(
        err.contains(&format!(
            "error: drafts/{}: the server did not answer once it had the message (127.0.0.1:{} \
             sent more than 1024 KiB without ending its reply: it does not speak SMTP as a mail \
             server should): it may have it; stopped, so as not to send it twice",
            names[0], server.1
        )),
        "{err}"
    );
    assert_eq!(events(&dir), [format!("sending {}", names[0])]);
}

// --- One log is one lock, whatever path reaches it -----------------------------

/// `cp -al from to`: a copy of the folder whose files are hard links.
fn hard_linked_copy(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::hard_link(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

#[test]
fn a_hard_linked_copy_of_the_folder_shares_its_logs_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &["--hold"]);
    let dir = drafts(tmp.path(), 3);
    server.release();
    let (code, _, err) = send_in(tmp.path(), &server, &["drafts"], &["--max", "1"]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_file(server.dir.join("release")).unwrap();
    let snapshot = tmp.path().join("snapshot");
    hard_linked_copy(&dir, &snapshot);

    let first = spawn_send(
        tmp.path(),
        &server,
        &[&dir],
        &["--yes", "--rate", "unlimited"],
    );
    server.wait_for_holding(2);
    let (code, _, err) = send_in(tmp.path(), &server, &["snapshot"], &[]);
    assert_eq!(code, 75, "{err}");
    assert_eq!(
        err,
        format!(
            "error: {}: another `protest send` is using this send log (PID {pid}): nothing \
             was sent\n  help: let it finish, or stop it (kill {pid}); then run the same \
             command again: it sends only what is still to go\n",
            snapshot.join("send-log.jsonl").display(),
            pid = first.id()
        )
    );
    server.release();
    let (code, err) = finish(first);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.received().len(), 3);

    // Both folders in one run (as a bind mount would be): one log, taken
    // once, and every message once.
    let more = tmp.path().join("more");
    std::fs::create_dir(&more).unwrap();
    std::fs::write(
        more.join("members.csv"),
        "name,email,personal\nOther 1,other1@example.org,As a member.\nOther 2,other2@example.org,As a member.\nOther 3,other3@example.org,As a member.\n",
    )
    .unwrap();
    let (code, _, err) = run(&mut write_members(
        &more,
        &["--format", "eml", "--out", common::smtp::s(&more.join("d"))],
    ));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = send_in(tmp.path(), &server, &["more/d"], &["--max", "1"]);
    assert_eq!(code, 0, "{err}");
    hard_linked_copy(&more.join("d"), &more.join("copy"));
    let (code, _, err) = send_in(tmp.path(), &server, &["more/d", "more/copy"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(arrivals(&server).values().all(|&n| n == 1), "{err}");
    assert_eq!(server.received().len(), 6, "{err}");
}

// --- Every file a password_command names is checked ---------------------------

#[test]
fn a_password_command_naming_a_file_others_can_write_is_refused_however_it_is_written() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 1);
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("bin")).unwrap();
    let script = home.join("bin/mail-pw");
    let ran = tmp.path().join("ran");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ntouch '{}'\nprintf '%s\\n' '{PASSWORD}'\n",
            ran.display()
        ),
    )
    .unwrap();
    let config_dir = tmp.path().join("config/protest");
    std::fs::create_dir_all(&config_dir).unwrap();
    let config = config_dir.join("config.toml");
    for command in [
        "~/bin/mail-pw",
        "$HOME/bin/mail-pw",
        "${HOME}/bin/mail-pw",
        "sh ~/bin/mail-pw",
        "env ~/bin/mail-pw",
        "exec ~/bin/mail-pw",
        "X=1 ~/bin/mail-pw",
        "sh -c '~/bin/mail-pw'",
    ] {
        std::fs::write(
            &config,
            format!(
                "[smtp]\nurl = \"{}\"\nuser = \"branch\"\npassword_command = \"{}\"\n",
                server.url(),
                command.replace('\\', "\\\\").replace('"', "\\\"")
            ),
        )
        .unwrap();
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
        let send = || {
            run(configured(tmp.path())
                .env("HOME", &home)
                .env_remove("PROTEST_SMTP_PASSWORD")
                .args(["send", s(&dir), "--yes", "--insecure-plain-auth"]))
        };
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o777)).unwrap();
        let (code, _, err) = send();
        assert_eq!(code, 77, "{command}: {err}");
        assert_eq!(
            err,
            format!(
                "error: {at}: the password_command is writable by other users, who could send \
                 your letters and password to a server of theirs: it is not used\n  help: make \
                 it yours alone: chmod 700 {at} (as ssh requires of its config); nothing was \
                 sent\n",
                at = script.display()
            ),
            "{command}"
        );
        assert!(!ran.exists(), "{command} ran");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
        let (code, _, err) = send();
        assert_eq!(code, 0, "{command}: {err}");
        assert!(ran.exists(), "{command} did not run");
        std::fs::remove_file(&ran).unwrap();
        std::fs::remove_file(dir.join("send-log.jsonl")).unwrap();
        std::fs::remove_dir_all(tmp.path().join("state")).unwrap();
    }
}

// --- --from is one mailbox, its name no address --------------------------------

#[test]
fn from_is_one_mailbox_whose_name_holds_no_address_even_encoded() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    drafts(tmp.path(), 1);
    for (from, why) in [
        (
            r#""Leeds Branch" <branch@example.org> "Unite Leeds" <other@example.net>"#,
            r#"its name ""Leeds Branch" <branch@example.org> "Unite Leeds"" is not one quoted string"#,
        ),
        (
            r#""Leeds" <branch@example.org>"<other@example.net>"#,
            r#"its name ""Leeds" <branch@example.org>"" is not one quoted string"#,
        ),
        (
            "=?utf-8?q?Leeds_Branch_=3Cbranch=40example=2Eorg=3E=2C_x=40y=2Eorg?= <evil@attacker.example>",
            r#"its name "=?utf-8?q?Leeds_Branch_=3Cbranch=40example=2Eorg=3E=2C_x=40y=2Eorg?=" reads "Leeds Branch <branch@example.org>, x@y.org": it holds an address or a bracket"#,
        ),
        (
            "=?utf-8?b?PGJyYW5jaEBleGFtcGxlLm9yZz4=?= <evil@attacker.example>",
            r#"its name "=?utf-8?b?PGJyYW5jaEBleGFtcGxlLm9yZz4=?=" reads "<branch@example.org>": it holds an address or a bracket"#,
        ),
        (
            r#""Leeds \"<branch@example.org>\"" <evil@attacker.example>"#,
            r#"its name ""Leeds \"<branch@example.org>\""" reads "Leeds "<branch@example.org>"": it holds an address or a bracket"#,
        ),
    ] {
        let (code, _, err) = send_in(tmp.path(), &server, &["drafts"], &["--from", from]);
        assert_eq!(code, 2, "{from}: {err}");
        let first = err.lines().next().unwrap();
        assert!(
            first.starts_with("error: --from ") && first.ends_with(&format!(" is not one mailbox: {why}")),
            "{from}: {err}"
        );
    }
    assert!(server.received().is_empty());
    // An encoded name that is a name is read as one.
    let (code, _, err) = send_in(
        tmp.path(),
        &server,
        &["drafts"],
        &["--from", "=?utf-8?q?Leeds_Branch?= <branch@example.org>"],
    );
    assert_eq!(code, 0, "{err}");
    let (meta, bytes) = &server.received()[0];
    assert_eq!(meta["mail_from"], "branch@example.org");
    assert_eq!(
        header(bytes, "From"),
        "Member 1 via Leeds Branch <branch@example.org>"
    );
}

// --- A whole last log line without its line break is kept ---------------------

#[test]
fn a_last_log_entry_that_lost_its_line_break_is_honoured_and_ended() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(tmp.path(), &[]);
    let dir = drafts(tmp.path(), 2);
    let (code, _, err) = send_in(tmp.path(), &server, &["drafts"], &["--max", "1"]);
    assert_eq!(code, 0, "{err}");
    // Saved by an editor without the final line break, on a computer with no history.
    let log = dir.join("send-log.jsonl");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.strip_suffix('\n').unwrap()).unwrap();
    std::fs::remove_dir_all(tmp.path().join("state")).unwrap();
    let (code, _, err) = send_in(tmp.path(), &server, &["drafts"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("sent again"), "{err}");
    assert!(
        err.contains("sent 1 message via 127.0.0.1") && err.contains("1 already sent before"),
        "{err}"
    );
    assert!(arrivals(&server).values().all(|&n| n == 1), "{err}");
    assert_eq!(server.received().len(), 2);
    let names = draft_names(&dir);
    assert_eq!(
        events(&dir),
        [
            format!("sending {}", names[0]),
            format!("accepted {}", names[0]),
            format!("sending {}", names[1]),
            format!("accepted {}", names[1]),
        ]
    );
}
