//! The SMTP side of the `protest send` tests: Python's aiosmtpd, started by
//! each test on 127.0.0.1 (tests/smtp/server.py), which records what it
//! receives, and the drafts, certificates and readers the tests share.
//! Nothing here connects anywhere but this computer.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{protest, run};

pub const DATE: &str = "2026-11-30";
pub const PASSWORD: &str = "correct horse battery staple";

/// The SMTP server of one test; killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    /// smtps for a server that speaks TLS from the first byte.
    scheme: &'static str,
    pub dir: PathBuf,
}

impl Server {
    pub fn start(tmp: &Path, extra: &[&str]) -> Server {
        let dir = tmp.join("received");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");
        let mut child = Command::new(python_with_aiosmtpd())
            .arg(&script)
            .args(["--dir", s(&dir), "--user", "branch", "--password", PASSWORD])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs the test SMTP server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the SMTP server printed no port: {line:?}"));
        let scheme = if extra.contains(&"--implicit-tls") {
            "smtps"
        } else {
            "smtp"
        };
        Server {
            child,
            port,
            scheme,
            dir,
        }
    }

    pub fn url(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.port)
    }

    /// Every message received, in order: (envelope and times, bytes).
    pub fn received(&self) -> Vec<(Value, Vec<u8>)> {
        let mut metas: Vec<PathBuf> = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect(),
            Err(_) => Vec::new(),
        };
        metas.sort();
        metas
            .into_iter()
            .map(|meta| {
                let value = serde_json::from_slice(&std::fs::read(&meta).unwrap()).unwrap();
                (value, std::fs::read(meta.with_extension("eml")).unwrap())
            })
            .collect()
    }

    /// Waits until the server holds the answer to its `n`th message (it was
    /// started with `--hold`).
    pub fn wait_for_holding(&self, n: usize) {
        let marker = self.dir.join(format!("holding-{n:04}"));
        let deadline = Instant::now() + Duration::from_secs(60);
        while !marker.exists() {
            assert!(
                Instant::now() < deadline,
                "the server never got message {n}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Lets a server started with `--hold` answer.
    pub fn release(&self) {
        std::fs::write(self.dir.join("release"), "").unwrap();
    }

    pub fn received_ids(&self) -> Vec<String> {
        self.received()
            .iter()
            .map(|(_, bytes)| header(bytes, "Message-ID"))
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Python that has aiosmtpd: the one on PATH, or Debian's (python3-aiosmtpd,
/// which .ci/install-test-tools installs) when PATH has another.
fn python_with_aiosmtpd() -> &'static str {
    let has = |python: &str| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if has("python3") {
        "python3"
    } else {
        assert!(
            has("/usr/bin/python3"),
            "the send tests need Python's aiosmtpd: run .ci/install-test-tools"
        );
        "/usr/bin/python3"
    }
}

pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `count` drafts to the London embassy, one per member, written by
/// `protest write`. Member 2's own paragraph starts a line with a dot, which
/// SMTP must stuff and unstuff.
pub fn drafts(tmp: &Path, count: usize) -> PathBuf {
    let mut csv = String::from("name,email,personal\n");
    for i in 1..=count {
        let personal = if i == 2 {
            ".A line that starts with a dot."
        } else {
            "I write as a member of the branch."
        };
        csv.push_str(&format!("Member {i},member{i}@example.org,{personal}\n"));
    }
    let csv_path = tmp.join("members.csv");
    std::fs::write(&csv_path, csv).unwrap();
    let out = tmp.join("drafts");
    let (code, _, err) = run(&mut write_members(
        tmp,
        &["--format", "eml", "--out", s(&out)],
    ));
    assert_eq!(code, 0, "{err}");
    out
}

/// `protest` in a configuration of the test's own, in `tmp`: no config.toml
/// but the one the test writes there, and its own send history.
pub fn configured(tmp: &Path) -> assert_cmd::Command {
    let mut cmd = protest();
    cmd.env("XDG_CONFIG_HOME", tmp.join("config"))
        .env("XDG_STATE_HOME", tmp.join("state"));
    cmd
}

/// [`configured`], with the test server's password in the environment.
pub fn with_password(tmp: &Path) -> assert_cmd::Command {
    let mut cmd = configured(tmp);
    cmd.env("PROTEST_SMTP_PASSWORD", PASSWORD);
    cmd
}

/// `protest write` of the letter the send tests use, to London, for the
/// members of `tmp/members.csv` (as [`drafts`] wrote it), then `args`.
pub fn write_members(tmp: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = protest();
    cmd.args([
        "write",
        "mamai-restrictions",
        "--date",
        DATE,
        "--to",
        "gb-london",
    ])
    .args(["--senders", s(&tmp.join("members.csv"))])
    .args(args);
    cmd
}

/// `protest send PATH` to `server`, logged in, in a clean configuration.
pub fn send(tmp: &Path, server: &Server, path: &Path) -> assert_cmd::Command {
    let mut cmd = with_password(tmp);
    cmd.env_remove(REQUIRE_TLS)
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .args(["send", s(path), "--smtp", &server.url(), "--user", "branch"])
        // The test server offers STARTTLS only when a test gives it a certificate.
        .arg("--insecure-plain-auth");
    cmd
}

pub const REQUIRE_TLS: &str = "PROTEST_SMTP_REQUIRE_TLS";

/// `protest send PATH ARGS...` as a process of its own, as `send` would
/// run it (standard error piped): for the tests that signal it or run two.
pub fn spawn_send(tmp: &Path, server: &Server, paths: &[&Path], args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_protest"))
        .env("XDG_CONFIG_HOME", tmp.join("config"))
        .env("XDG_STATE_HOME", tmp.join("state"))
        .env("PROTEST_SMTP_PASSWORD", PASSWORD)
        .env_remove(REQUIRE_TLS)
        .env_remove("PROTEST_DATA")
        .arg("send")
        .args(paths)
        .args([
            "--smtp",
            &server.url(),
            "--user",
            "branch",
            "--insecure-plain-auth",
        ])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("protest runs")
}

/// Waits for `child` and returns (exit code, stderr).
pub fn finish(child: Child) -> (i32, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// One header's value, unfolded, read by Python's email package.
pub fn header(message: &[u8], name: &str) -> String {
    parse_with_python(message, &format!("print(m[{name:?}] or '', end='')"))
}

pub fn parse_with_python(message: &[u8], statement: &str) -> String {
    let script = format!(
        "import sys, email, email.policy\n\
         m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)\n\
         {statement}\n"
    );
    let mut child = Command::new("python3")
        .env("PYTHONIOENCODING", "utf-8")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(message).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

pub fn eml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
}

/// The draft as the server should receive it: the same bytes, without
/// `X-Unsent`, with the `Date` the server got.
pub fn as_sent(draft: &[u8], received: &[u8]) -> Vec<u8> {
    let date_line = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .lines()
            .find(|l| l.starts_with("Date: "))
            .unwrap()
            .to_string()
    };
    String::from_utf8(draft.to_vec())
        .unwrap()
        .replace("X-Unsent: 1\r\n", "")
        .replace(&date_line(draft), &date_line(received))
        .into_bytes()
}

pub fn log_events(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("send-log.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A CA and a certificate for 127.0.0.1 signed by it, made with openssl.
pub fn certificates(dir: &Path, name: &str) -> (PathBuf, PathBuf, PathBuf) {
    certificates_for(dir, name, "IP:127.0.0.1")
}

/// A CA and a certificate for `names` (an openssl subjectAltName: `DNS:mail.example.org`).
pub fn certificates_for(dir: &Path, name: &str, names: &str) -> (PathBuf, PathBuf, PathBuf) {
    let ca = dir.join(format!("{name}-ca.pem"));
    let ca_key = dir.join(format!("{name}-ca.key"));
    let cert = dir.join(format!("{name}-cert.pem"));
    let key = dir.join(format!("{name}-key.pem"));
    let request = dir.join(format!("{name}.csr"));
    let ext = dir.join(format!("{name}.ext"));
    std::fs::write(
        &ext,
        format!("subjectAltName={names}\nbasicConstraints=CA:FALSE\n"),
    )
    .unwrap();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let new_key = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    // Each authority its own name: another one's is unknown, not a forgery.
    let subject = format!("/CN=protest test CA {name}");
    let mut args = vec!["req", "-x509", "-days", "2", "-subj", &subject];
    args.extend(new_key);
    args.extend(["-keyout", s(&ca_key), "-out", s(&ca)]);
    openssl(&args);
    let mut args = vec!["req", "-subj", "/CN=127.0.0.1"];
    args.extend(new_key);
    args.extend(["-keyout", s(&key), "-out", s(&request)]);
    openssl(&args);
    openssl(&[
        "x509",
        "-req",
        "-in",
        s(&request),
        "-CA",
        s(&ca),
        "-CAkey",
        s(&ca_key),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        s(&ext),
        "-out",
        s(&cert),
    ]);
    (ca, cert, key)
}
