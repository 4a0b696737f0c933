//! The adversarial corpus: hostile and broken input, each case with the exact
//! message and exit code it must produce, and no output left behind.
//!
//! The cases are data, in `tests/adversarial/cases.toml` (its head says how
//! to write one). This one test runs them all and reports every mismatch,
//! not just the first. `ADVERSARIAL_ONLY=NAME` runs the cases whose name
//! contains NAME.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    args: Vec<String>,
    code: i32,
    stderr: String,
    /// The same when not run as root (a read-only directory stops only others).
    stderr_nonroot: Option<String>,
    /// Exact standard output; without it, it must be empty when the code is not 0.
    stdout: Option<String>,
    #[serde(default)]
    stdout_contains: Vec<String>,
    stdin: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    /// Files to create, as text.
    #[serde(default)]
    files: BTreeMap<String, String>,
    /// Files to create from a literal string with `\n`, `\r`, `\t`, `\\` and `\xNN` escapes.
    #[serde(default)]
    bytes: BTreeMap<String, String>,
    /// Files the run may create (a manifest recording a failure).
    #[serde(default)]
    allow: Vec<String>,
    /// Drop the shipped data's own warnings (stale directory entries, people last reported
    /// over a year ago) and its counts from stderr: they change with every data update.
    #[serde(default)]
    ignore_builtin_warnings: bool,
    /// `file-size-limit`, `full-disk`, `read-only`, `stdout-closed` or
    /// `stdin-closed` (see `prepare` and `command`).
    setup: Option<String>,
    /// Commands run first, each of which must succeed: an earlier run the
    /// case's command meets (its files are not "left behind").
    #[serde(default)]
    before: Vec<Vec<String>>,
}

fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            let (byte, used) = match bytes[i + 1] {
                b'n' => (b'\n', 2),
                b'r' => (b'\r', 2),
                b't' => (b'\t', 2),
                b'0' => (0, 2),
                b'\\' => (b'\\', 2),
                b'x' => {
                    let hex = std::str::from_utf8(&bytes[i + 2..i + 4]).expect("two hex digits");
                    (u8::from_str_radix(hex, 16).expect("\\xNN"), 4)
                }
                other => panic!("unknown escape \\{}", other as char),
            };
            out.push(byte);
            i += used;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Every file under `dir`, relative.
fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Unmounts what a case mounted, whatever happens.
struct Mounted(Option<PathBuf>);

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = Command::new("umount").arg(path).status();
        }
    }
}

/// Makes the conditions of a `setup`. Returns a reason to skip when the
/// machine cannot make them.
fn prepare(setup: &str, dir: &Path) -> Result<Mounted, String> {
    match setup {
        // Set in the shell that runs the command (see `command`).
        "file-size-limit" | "stdout-closed" | "stdin-closed" => Ok(Mounted(None)),
        // A 4 kB tmpfs at {dir}/full, filled to the last byte.
        "full-disk" => {
            let mount = dir.join("full");
            std::fs::create_dir(&mount).unwrap();
            let status = Command::new("mount")
                .args(["-t", "tmpfs", "-o", "size=4k", "tmpfs"])
                .arg(&mount)
                .stderr(Stdio::piped())
                .output();
            match status {
                Ok(out) if out.status.success() => {}
                Ok(out) => {
                    return Err(format!(
                        "mount failed: {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    ))
                }
                Err(err) => return Err(format!("mount failed: {err}")),
            }
            let guard = Mounted(Some(mount.clone()));
            use std::io::Write;
            let mut filler = std::fs::File::create(mount.join("filler")).unwrap();
            while filler.write_all(&[b'x'; 512]).is_ok() {}
            drop(filler);
            Ok(guard)
        }
        // {dir}/ro that the program cannot write into. Root ignores
        // permissions, so as root it is a tmpfs mounted read-only (EROFS);
        // otherwise a directory with mode 0555 (EACCES): see stderr_nonroot.
        "read-only" => {
            let ro = dir.join("ro");
            std::fs::create_dir(&ro).unwrap();
            if !is_root() {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
                return Ok(Mounted(None));
            }
            let out = Command::new("mount")
                .args(["-t", "tmpfs", "-o", "ro,size=4k", "tmpfs"])
                .arg(&ro)
                .output()
                .map_err(|err| format!("mount failed: {err}"))?;
            if !out.status.success() {
                return Err(format!(
                    "mount failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            Ok(Mounted(Some(ro)))
        }
        other => panic!("unknown setup `{other}`"),
    }
}

fn command(case: &Case, dir: &Path) -> Command {
    let bin = assert_cmd::cargo::cargo_bin("protest");
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| a.replace("{dir}", &dir.display().to_string()))
        .collect();
    let shell = match case.setup.as_deref() {
        // Ignore SIGXFSZ, so that writing past the limit fails with EFBIG
        // instead of killing the process; ulimit -f counts 512-byte blocks in dash.
        Some("file-size-limit") => Some("trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\""),
        Some("stdout-closed") => Some("exec \"$0\" \"$@\" >&-"),
        Some("stdin-closed") => Some("exec \"$0\" \"$@\" <&-"),
        _ => None,
    };
    let mut cmd = match shell {
        Some(script) => {
            let mut sh = Command::new("sh");
            sh.arg("-c").arg(script).arg(bin).args(&args);
            sh
        }
        None => {
            let mut cmd = Command::new(bin);
            cmd.args(&args);
            cmd
        }
    };
    cmd.current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .envs(&case.env)
        .stdin(if case.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs one case; returns what differs from what it must be.
fn run_case(case: &Case) -> (Vec<String>, (i32, String)) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    for (name, text) in &case.files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text.replace("{dir}", &dir.display().to_string())).unwrap();
    }
    for (name, text) in &case.bytes {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, unescape(text)).unwrap();
    }
    let _mounted = match case.setup.as_deref().map(|s| prepare(s, dir)) {
        Some(Err(reason)) => {
            eprintln!("SKIPPED adversarial case `{}`: {reason}", case.name);
            return (Vec::new(), (case.code, case.stderr.clone()));
        }
        Some(Ok(mounted)) => Some(mounted),
        None => None,
    };
    for args in &case.before {
        let earlier = Case {
            name: case.name.clone(),
            args: args.clone(),
            code: 0,
            stderr: String::new(),
            stderr_nonroot: None,
            stdout: None,
            stdout_contains: Vec::new(),
            stdin: None,
            env: case.env.clone(),
            files: BTreeMap::new(),
            bytes: BTreeMap::new(),
            allow: Vec::new(),
            ignore_builtin_warnings: false,
            setup: None,
            before: Vec::new(),
        };
        let output = command(&earlier, dir).output().expect("protest runs");
        assert!(
            output.status.success(),
            "case `{}`: `before` command {args:?} failed: {}",
            case.name,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let before = files_under(dir);
    let mut child = command(case, dir).spawn().expect("protest runs");
    if let Some(input) = &case.stdin {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(&unescape(input));
    }
    let output = child.wait_with_output().unwrap();
    let code = output.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let dir_text = dir.display().to_string();
    let mut stderr = String::from_utf8_lossy(&output.stderr).replace(&dir_text, "{dir}");
    if case.ignore_builtin_warnings {
        stderr = stderr
            .lines()
            .filter(|l| !(l.starts_with("warning: ") && is_about_shipped_data(l)))
            .map(|l| format!("{}\n", counts_as_placeholder(l)))
            .collect();
    }
    let mut problems = Vec::new();
    if code != case.code {
        problems.push(format!("exit code {code}, expected {}", case.code));
    }
    let expected = match (&case.stderr_nonroot, is_root()) {
        (Some(other), false) => other,
        _ => &case.stderr,
    };
    if &stderr != expected {
        problems.push(format!(
            "stderr differs:\n--- expected\n{expected}--- actual\n{stderr}---"
        ));
    }
    match &case.stdout {
        Some(exact) if &stdout != exact => problems.push(format!(
            "stdout differs:\n--- expected\n{exact}--- actual\n{stdout}---"
        )),
        None if case.code != 0 && !stdout.is_empty() => {
            problems.push(format!("a failed run printed:\n{stdout}"))
        }
        _ => {}
    }
    for part in &case.stdout_contains {
        if !stdout.contains(part.as_str()) {
            problems.push(format!("stdout lacks {part:?}"));
        }
    }
    // Nothing left behind: no letter, no temporary file, nothing but what
    // the case allows (a manifest that records the failure).
    let allowed: BTreeSet<PathBuf> = case.allow.iter().map(PathBuf::from).collect();
    for path in files_under(dir).difference(&before) {
        if !allowed.contains(path) {
            problems.push(format!("left behind: {}", path.display()));
        }
    }
    (problems, (code, stderr))
}

#[test]
fn every_adversarial_case_gives_its_message_and_exit_code_and_leaves_nothing() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial/cases.toml");
    let cases: Cases = toml::from_str(&std::fs::read_to_string(&file).unwrap())
        .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
    let only = std::env::var("ADVERSARIAL_ONLY").ok();
    let mut names = BTreeSet::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in &cases.case {
        assert!(names.insert(&case.name), "two cases named {}", case.name);
        if only
            .as_ref()
            .is_some_and(|o| !case.name.contains(o.as_str()))
        {
            continue;
        }
        ran += 1;
        let (problems, actual) = run_case(case);
        if let Ok(path) = std::env::var("ADVERSARIAL_ACTUAL") {
            // For writing new cases: append what this run printed, to review and paste.
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .unwrap();
            let (code, stderr) = &actual;
            let line = serde_json::json!({"name": case.name, "code": code, "stderr": stderr});
            writeln!(file, "{line}").unwrap();
        }
        if !problems.is_empty() {
            failures.push(format!("case `{}`:\n{}", case.name, problems.join("\n")));
        }
    }
    assert!(
        only.is_some() || ran >= 40,
        "the corpus has {ran} cases; it should have at least 40"
    );
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// `check found 2 errors in 15 letters (7 current), 27 people, 78 missions` becomes
/// `check found 2 errors in {counts}`: the counts are the shipped data's, not the case's.
fn counts_as_placeholder(line: &str) -> String {
    match line
        .split_once(" errors in ")
        .or_else(|| line.split_once(" error in "))
    {
        Some((head, _)) if line.starts_with("error: check found ") => {
            let word = if line.contains(" errors in ") {
                "errors"
            } else {
                "error"
            };
            format!("{head} {word} in {{counts}}")
        }
        _ => line.to_string(),
    }
}

/// A warning the shipped data earns on its own: a directory entry verified long ago, or a
/// person last reported over a year before the letter's date.
fn is_about_shipped_data(line: &str) -> bool {
    line.contains(" (built in):") || line.ends_with("; check before sending")
}
