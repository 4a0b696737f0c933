//! Helpers shared by the integration tests: run the built binary.
#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use assert_cmd::Command;

pub mod campaign;
pub mod smtp;

pub fn protest() -> Command {
    let mut cmd = Command::cargo_bin("protest").expect("the protest binary is built");
    cmd.env_remove("SOURCE_DATE_EPOCH");
    // A data folder the machine's user set up must not change what tests see.
    cmd.env_remove("PROTEST_DATA");
    // The developer's own saved profile must not sign the tests' letters.
    cmd.env("XDG_CONFIG_HOME", no_config_dir());
    // Nor the send history of one run tell another that its drafts were sent
    // (the tests' drafts share their Message-IDs): one of its own, made only
    // if it sends.
    cmd.env("XDG_STATE_HOME", fresh_state_dir());
    cmd
}

/// A state directory no other run has: where `send` would keep its history.
pub fn fresh_state_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "protest-tests-state-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A configuration directory that holds no profile.
pub fn no_config_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("protest-tests-no-config")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn example_sender() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sender.toml")
}

/// The folder of the example campaigns (examples/campaigns/hong-kong).
pub fn example_campaigns() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/campaigns")
}

/// Copies the directory `from`, and everything under it, to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let output = cmd.output().expect("protest runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

/// Runs a Python script with `input` on stdin and returns its stdout.
pub fn python(script: &str, input: &[u8]) -> String {
    let mut child = std::process::Command::new("python3")
        .env("PYTHONIOENCODING", "utf-8")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (the tests read what protest writes back with Python)");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
