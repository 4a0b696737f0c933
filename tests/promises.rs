//! The promises of writing, each held over every path a user can take, not
//! one example: every command with its standard output closed, every
//! format onto a destination that cannot take it, every pair of options
//! that can read standard input, every mode with every option it has no
//! use for, every option given an input far too long to quote.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use clap::CommandFactory;
use common::{no_config_dir, protest, run};

/// A day the mamai letter was true: he was held awaiting trial.
const DATE: &str = "2017-05-01";

/// `protest ARGS` in `dir` with one standard stream closed (`>&-` or `<&-`).
fn run_closed(stream: &str, dir: &Path, args: &[&str]) -> (i32, String) {
    let redirect = match stream {
        "stdout" => ">&-",
        "stdin" => "<&-",
        other => panic!("no stream {other}"),
    };
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" \"$@\" {redirect}"))
        .arg(assert_cmd::cargo::cargo_bin("protest"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("PROTEST_DATA")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", no_config_dir())
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("sh runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The exit code and standard error; standard output may be a PDF.
fn code_and_stderr(cmd: &mut assert_cmd::Command) -> (i32, String) {
    let output = cmd.output().expect("protest runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

/// Every subcommand, as the words that name it (`letters show`), but
/// clap's own `help`.
fn subcommands() -> BTreeSet<String> {
    fn walk(command: &clap::Command, prefix: &str, into: &mut BTreeSet<String>) {
        for sub in command.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let name = format!("{prefix}{}", sub.get_name());
            into.insert(name.clone());
            walk(sub, &format!("{name} "), into);
        }
    }
    let mut all = BTreeSet::new();
    walk(&protest::cmd::Cli::command(), "", &mut all);
    all
}

const CLOSED: &str = "error: standard output is closed\n  help: run the command with its output going somewhere: to a file (> FILE) or a pipe\n";

// Rule 1: exit codes say what happened.

/// Each subcommand (and `protest` alone, `--help`, `--version`), in each way
/// it prints, run with standard output closed: 74 and the same message,
/// before it does any of its work. A command clap learns of that this list
/// lacks fails the test, so a new one is covered by being added here.
#[test]
fn every_command_that_prints_fails_with_74_when_standard_output_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    std::fs::write(
        dir.path().join("drafts/a.eml"),
        "From: Ann <ann@example.org>\nTo: london@mfa.kz\nSubject: Free him\nMessage-ID: <a@example.org>\n\nFrom Ann.\n",
    )
    .unwrap();
    let write = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--name",
            "Ann Lee",
            "--as-of",
            DATE,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let strings = |args: &[&str]| args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // (subcommand, an invocation that prints on standard output)
    let printing: Vec<(&str, Vec<String>)> = vec![
        ("", strings(&[])),
        ("", strings(&["--help"])),
        ("", strings(&["--version"])),
        ("", strings(&["help", "write"])),
        ("write", write(&[])),
        ("write", write(&["--json"])),
        (
            "write",
            write(&["-f", "mbox", "--email", "ann@example.org"]),
        ),
        ("write", write(&["-f", "pdf", "-o", "-"])),
        ("write", write(&["-f", "pdf", "--combine", "-"])),
        ("write", write(&["-o", "/dev/stdout"])),
        ("write", write(&["--out", &format!("{d}/out"), "--json"])),
        ("write", write(&["--out", &format!("{d}/out"), "--dry-run"])),
        ("write", write(&["--help"])),
        ("letters", strings(&["letters"])),
        ("letters", strings(&["letters", "--json"])),
        ("letters", strings(&["letters", "--archived"])),
        ("letters show", strings(&["letters", "show", "mamai"])),
        (
            "letters show",
            strings(&["letters", "show", "mamai", "--json"]),
        ),
        ("letters prisoners", strings(&["letters", "prisoners"])),
        (
            "letters prisoners",
            strings(&["letters", "prisoners", "--json"]),
        ),
        ("embassies", strings(&["embassies"])),
        (
            "embassies",
            strings(&["embassies", "--json", "--country", "GB"]),
        ),
        (
            "embassies show",
            strings(&["embassies", "show", "gb-london"]),
        ),
        (
            "embassies show",
            strings(&["embassies", "show", "gb-london", "--json"]),
        ),
        ("check", strings(&["check"])),
        ("check", strings(&["check", "--json"])),
        ("completions", strings(&["completions", "bash"])),
        ("completions", strings(&["completions", "fish"])),
        ("man", strings(&["man"])),
        ("wizard", strings(&["wizard"])),
        ("profile", strings(&["profile", "--path"])),
        ("profile show", strings(&["profile", "show"])),
        // Refused before it connects: the server on port 1 is never reached.
        (
            "send",
            strings(&[
                "send",
                "drafts",
                "--smtp",
                "smtp://127.0.0.1:1",
                "--dry-run",
            ]),
        ),
        (
            "send",
            strings(&[
                "send",
                "drafts",
                "--smtp",
                "smtp://127.0.0.1:1",
                "--yes",
                "--json",
            ]),
        ),
        ("campaigns", strings(&["campaigns"])),
        ("campaigns", strings(&["campaigns", "--json"])),
        ("tally", strings(&["tally", &d])),
        ("tally", strings(&["tally", &d, "--json"])),
        ("tally", strings(&["tally", &d, "--csv"])),
    ];
    // Subcommands that print nothing on standard output: they talk on
    // standard error, in a terminal.
    let silent = ["profile edit", "profile delete"];
    let covered: BTreeSet<String> = printing
        .iter()
        .map(|(name, _)| name.to_string())
        .chain(silent.iter().map(|s| s.to_string()))
        .filter(|name| !name.is_empty())
        .collect();
    assert_eq!(
        covered,
        subcommands(),
        "every subcommand is run here with its standard output closed"
    );
    for (_, args) in &printing {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, err) = run_closed("stdout", dir.path(), &args);
        assert_eq!(
            (code, err.as_str()),
            (74, CLOSED),
            "protest {}",
            args.join(" ")
        );
    }
    // Nothing was done: no letters, no send log.
    assert!(!dir.path().join("out").exists());
    assert!(!dir.path().join("drafts/send-log.jsonl").exists());
}

/// Standard output as a pipe whose reader has already gone: every write
/// to it fails (EPIPE), with no race against a reader closing late.
fn pipe_without_reader() -> Stdio {
    use std::os::fd::FromRawFd;
    let mut ends = [0; 2];
    // SAFETY: a two-descriptor array for pipe(2) to fill.
    assert_eq!(unsafe { libc::pipe(ends.as_mut_ptr()) }, 0);
    // SAFETY: both are open descriptors this process owns from here on.
    unsafe {
        drop(std::fs::File::from_raw_fd(ends[0]));
        Stdio::from(std::fs::File::from_raw_fd(ends[1]))
    }
}

/// The help and version texts, which clap prints itself, fail as any
/// command's output does: every way to ask for help (`--help`, `-h`,
/// `help`, `help SUB`, `SUB --help`, for every subcommand) and for the
/// version, onto a full device and onto a pipe whose reader has gone.
#[test]
fn help_and_version_fail_with_74_when_they_cannot_be_written() {
    let mut asks: Vec<Vec<String>> = [
        vec!["--help"],
        vec!["-h"],
        vec!["help"],
        vec!["--version"],
        vec!["-V"],
    ]
    .iter()
    .map(|a| a.iter().map(|s| s.to_string()).collect())
    .collect();
    for sub in subcommands() {
        let words: Vec<String> = sub.split(' ').map(str::to_string).collect();
        for flag in ["--help", "-h"] {
            let mut ask = words.clone();
            ask.push(flag.to_string());
            asks.push(ask);
        }
        let mut help = vec!["help".to_string()];
        help.extend(words);
        asks.push(help);
    }
    let full = "error: <stdout>: cannot write: No space left on device (os error 28)\n";
    let gone = "error: standard output was closed before everything was written\n  help: the program reading the output (such as `head`) stopped early; send the output to a file (> FILE) to keep everything\n";
    for ask in &asks {
        let dev_full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        for (stdout, expected) in [(Stdio::from(dev_full), full), (pipe_without_reader(), gone)] {
            // Not assert_cmd's, which would pipe standard output itself.
            let output = Command::new(assert_cmd::cargo::cargo_bin("protest"))
                .args(ask)
                .env_remove("PROTEST_DATA")
                .env("XDG_CONFIG_HOME", no_config_dir())
                .stdin(Stdio::null())
                .stdout(stdout)
                .stderr(Stdio::piped())
                .output()
                .expect("protest runs");
            assert_eq!(
                (
                    output.status.code(),
                    String::from_utf8_lossy(&output.stderr).as_ref()
                ),
                (Some(74), expected),
                "protest {}",
                ask.join(" ")
            );
        }
    }
}

/// After a pipe's reader has gone, only `write`, the one command with
/// `-o FILE`, suggests it; every other command that prints suggests a file
/// by redirection.
#[test]
fn only_a_command_with_an_output_option_suggests_it_after_a_closed_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let to_file = "write to a file with -o FILE to keep everything";
    let redirect = "send the output to a file (> FILE) to keep everything";
    let commands: Vec<(Vec<&str>, &str)> = vec![
        (vec!["letters"], redirect),
        (vec!["letters", "--json"], redirect),
        (vec!["letters", "prisoners"], redirect),
        (vec!["embassies"], redirect),
        (vec!["check"], redirect),
        (vec!["man"], redirect),
        (vec!["completions", "bash"], redirect),
        (vec!["campaigns"], redirect),
        (
            vec![
                "write",
                "mamai",
                "--to",
                "gb-london",
                "--name",
                "A",
                "--as-of",
                DATE,
            ],
            to_file,
        ),
        (
            vec![
                "write", "mamai", "--all", "--name", "A", "--as-of", DATE, "--json",
            ],
            to_file,
        ),
    ];
    for (args, help) in commands {
        let output = Command::new(assert_cmd::cargo::cargo_bin("protest"))
            .args(&args)
            .current_dir(dir.path())
            .env_remove("PROTEST_DATA")
            .env("XDG_CONFIG_HOME", no_config_dir())
            .stdin(Stdio::null())
            .stdout(pipe_without_reader())
            .stderr(Stdio::piped())
            .output()
            .expect("protest runs");
        let expected = format!(
            "error: standard output was closed before everything was written\n  help: the program reading the output (such as `head`) stopped early; {help}\n"
        );
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            (output.status.code(), err.ends_with(&expected)),
            (Some(74), true),
            "protest {}: {err}",
            args.join(" ")
        );
    }
}

/// What does not print works with standard output closed, and a file it
/// opens never takes the closed descriptor's place: the letter is in it,
/// whole, and nothing meant for standard output is.
#[test]
fn a_command_writing_files_works_with_standard_output_closed() {
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--name",
        "Ann Lee",
        "--as-of",
        DATE,
        "-q",
    ];
    let (code, err) = run_closed(
        "stdout",
        dir.path(),
        &[&base[..], &["-o", "a.txt"]].concat(),
    );
    assert_eq!((code, err.as_str()), (0, ""));
    let (_, expected, _) = run(protest().args(base));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        expected
    );
    let (code, err) = run_closed(
        "stdout",
        dir.path(),
        &[&base[..], &["--out", "out", "--to", "de-berlin"]].concat(),
    );
    assert_eq!((code, err.as_str()), (0, ""));
    let manifest = std::fs::read_to_string(dir.path().join("out/manifest.jsonl")).unwrap();
    assert_eq!(manifest.lines().count(), 2, "{manifest}");
    let (code, err) = run_closed("stdout", dir.path(), &["man", "--dir", "man", "-q"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(dir.path().join("man/protest-write.1").is_file());
}

// Rule 2: everything knowable is checked before the work.

/// Every format, to each destination that cannot take it: refused with the
/// error its writing would have ended with, and before any letter is
/// composed: the second row, which cannot make a letter, is never reached.
#[test]
fn every_format_checks_its_destination_before_the_first_letter() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("taken"), "mine\n").unwrap();
    std::fs::create_dir(d.join("folder")).unwrap();
    std::fs::write(
        d.join("s.csv"),
        "name,email,country\nAnn Lee,ann@example.org,GB\nBob Roe,bob@example.org,Atlantis\n",
    )
    .unwrap();
    let path = |name: &str| d.join(name).to_str().unwrap().to_string();
    // (destination arguments, the error)
    let destinations = |ext: &str| {
        vec![
            (
                vec!["-o".to_string(), path("taken")],
                format!(
                    "error: {}: already exists\n  help: pass --force to replace it, or choose another name\n",
                    path("taken")
                ),
            ),
            (
                vec!["-o".to_string(), path("folder")],
                format!("error: {}: is a directory\n", path("folder")),
            ),
            (
                vec!["-o".to_string(), path(&format!("missing/letter.{ext}"))],
                format!(
                    "error: {}: cannot write: the directory {} does not exist\n  help: create it first, or write with --out DIR, which creates it\n",
                    path(&format!("missing/letter.{ext}")),
                    path("missing")
                ),
            ),
            (
                vec!["-o".to_string(), path(&format!("taken/letter.{ext}"))],
                format!(
                    "error: {}: cannot write: {} is a file, not a directory\n  help: choose an output path inside a directory\n",
                    path(&format!("taken/letter.{ext}")),
                    path("taken")
                ),
            ),
            (
                vec!["--out".to_string(), path("taken")],
                format!(
                    "error: {}: is a file, not a directory\n  help: --out takes a directory; use -o FILE for a single letter\n",
                    path("taken")
                ),
            ),
        ]
    };
    let mut runs = 0;
    for format in ["text", "pdf", "eml", "mbox", "mailto"] {
        let ext = if format == "mailto" { "txt" } else { format };
        let mut cases = destinations(ext);
        if format == "pdf" {
            // --combine is a PDF's one file, and is checked as -o is.
            cases.extend(
                destinations(ext)
                    .into_iter()
                    .filter(|(args, _)| args[0] == "-o")
                    .map(|(mut args, err)| {
                        args[0] = "--combine".into();
                        (args, err)
                    }),
            );
        }
        for (destination, expected) in cases {
            // One letter each for -o of a format that holds one; the rest
            // hold every letter of the senders file.
            let one_output = destination[0] == "-o" && (format == "text" || format == "eml");
            let mut cmd = protest();
            cmd.current_dir(d)
                .args([
                    "write",
                    "mamai",
                    "--to",
                    "gb-london",
                    "--as-of",
                    DATE,
                    "-f",
                    format,
                ])
                .args(&destination);
            match one_output {
                true => cmd.args(["--name", "Ann Lee", "--email", "ann@example.org"]),
                false => cmd.args(["--senders", "s.csv"]),
            };
            let (code, out, err) = run(&mut cmd);
            let what = format!("-f {format} {}", destination.join(" "));
            assert_eq!(
                (code, out.as_str(), err.as_str()),
                (73, "", expected.as_str()),
                "{what}"
            );
            runs += 1;
        }
    }
    assert_eq!(runs, 29);
    assert_eq!(std::fs::read_to_string(d.join("taken")).unwrap(), "mine\n");
    assert!(!d.join("missing").exists());
    let mut left: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["folder", "s.csv", "taken"],
        "nothing was left behind"
    );
}

// Rule 3: one input, one reader.

/// The options of `write` (and the global ones) that name a file: each
/// either an output or an input that can be standard input.
const OUTPUTS: [&str; 2] = ["output", "combine"];
const INPUTS: [(&str, &str); 4] = [
    // (clap's id, the option as typed)
    ("embassies", "--embassies"),
    ("sender", "--sender"),
    ("senders", "--senders"),
    ("personal_file", "--personal-file"),
];

#[test]
fn every_file_option_of_write_is_known_as_an_input_or_an_output() {
    let cli = protest::cmd::Cli::command();
    let write = cli.find_subcommand("write").unwrap();
    let files: BTreeSet<String> = write
        .get_arguments()
        .chain(cli.get_arguments())
        .filter(|arg| {
            matches!(
                arg.get_value_hint(),
                clap::ValueHint::FilePath | clap::ValueHint::AnyPath
            )
        })
        .map(|arg| arg.get_id().to_string())
        .collect();
    let known: BTreeSet<String> = OUTPUTS
        .iter()
        .map(|s| s.to_string())
        .chain(INPUTS.iter().map(|(id, _)| id.to_string()))
        .collect();
    assert_eq!(files, known);
}

/// Every pair of inputs given standard input (as `-` where the option takes
/// it, as /dev/stdin otherwise, or as one FIFO): refused with exit 2,
/// naming both, before either reads anything.
#[test]
fn every_pair_of_inputs_reading_one_stream_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let fifo = fifo.to_str().unwrap();
    let dash = |option: &str| match option {
        "--senders" | "--personal-file" => "-",
        _ => "/dev/stdin",
    };
    let mut pairs = 0;
    for (i, (_, first)) in INPUTS.iter().enumerate() {
        for (_, second) in &INPUTS[i + 1..] {
            for (a, b) in [
                (dash(first), dash(second)),
                ("/dev/stdin", "/dev/stdin"),
                (fifo, fifo),
            ] {
                let mut cmd = protest();
                cmd.current_dir(dir.path())
                    .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
                    .args(["--out", "out"])
                    .args([first, a, second, b])
                    .write_stdin("name\nAnn Lee\n");
                let (code, out, err) = run(&mut cmd);
                let what = format!("{first} {a} {second} {b}");
                assert_eq!((code, out.as_str()), (2, ""), "{what}: {err}");
                let clap_conflict = *first == "--sender" && *second == "--senders";
                let expected = match (clap_conflict, a == fifo) {
                    (true, _) => "error: the argument '--sender <FILE>' cannot be used with '--senders <FILE.csv>'".to_string(),
                    (false, true) => format!(
                        "error: {first} {a} and {second} {b} both read the same stream, which can be read only once\n  help: give one of them as a file\n"
                    ),
                    (false, false) => format!(
                        "error: {first} {a} and {second} {b} both read standard input, which can be read only once\n  help: give one of them as a file\n"
                    ),
                };
                assert!(err.starts_with(&expected), "{what}:\n{err}");
                pairs += 1;
            }
        }
    }
    assert_eq!(pairs, 18);
    assert!(!dir.path().join("out").exists());
}

/// Each input from a standard input that was closed: said, exit 66, not
/// read as an empty file.
#[test]
fn every_input_from_a_closed_standard_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (_, option) in INPUTS {
        let value = match option {
            "--senders" | "--personal-file" => "-",
            _ => "/dev/stdin",
        };
        let (code, err) = run_closed(
            "stdin",
            dir.path(),
            &[
                "write",
                "mamai",
                "--to",
                "gb-london",
                "--as-of",
                DATE,
                "--out",
                "out",
                option,
                value,
            ],
        );
        assert_eq!(
            (code, err.as_str()),
            (
                66,
                format!(
                    "error: {option} {value}: standard input is closed\n  help: give the file itself, or send the input in: ... < FILE\n"
                )
                .as_str()
            ),
            "{option}"
        );
    }
    assert!(!dir.path().join("out").exists());
}

// Rule 6: options that would do nothing are refused, in every mode.

/// A mode of `write`: its name, its destination arguments, and the formats
/// it takes (`None`: no -f).
type Mode = (&'static str, Vec<&'static str>, Vec<Option<&'static str>>);

/// Every mode of `write`.
fn modes() -> Vec<Mode> {
    let all = vec![
        None,
        Some("text"),
        Some("pdf"),
        Some("eml"),
        Some("mbox"),
        Some("mailto"),
    ];
    vec![
        ("stdout", vec![], all.clone()),
        ("-o -", vec!["-o", "-"], all.clone()),
        ("-o FILE", vec!["-o", "letter"], all.clone()),
        (
            "--combine FILE",
            vec!["--combine", "all.pdf"],
            vec![None, Some("pdf")],
        ),
        (
            "--combine -",
            vec!["--combine", "-"],
            vec![None, Some("pdf")],
        ),
        ("--out DIR", vec!["--out", "out"], all.clone()),
        (
            "--out DIR --json",
            vec!["--out", "out", "--json"],
            all.clone(),
        ),
        (
            "--out DIR --dry-run",
            vec!["--out", "out", "--dry-run"],
            all,
        ),
        ("--json", vec!["--json"], vec![None]),
    ]
}

/// Whether `option` does something in a mode writing `format`: the rule of
/// the README, written out option by option.
fn useful(option: &str, mode: &str, format: &str) -> bool {
    let json_letters = mode == "--json";
    let to_stdout = matches!(mode, "stdout" | "-o -" | "--combine -") || json_letters;
    match option {
        "--paper" | "--fold-marks" => !json_letters && format == "pdf",
        "--attach-pdf" | "--paper+attach" => !json_letters && (format == "eml" || format == "mbox"),
        "--duplex" => mode.starts_with("--combine"),
        "--file-name" => mode.starts_with("--out"),
        "--strict" => !json_letters && matches!(format, "eml" | "mbox" | "mailto"),
        "--force" => !to_stdout,
        // The runs here make one letter: nothing to spread over threads,
        // nothing after it to go on to (see
        // `options_for_several_letters_or_another_mission_are_kept`).
        "--keep-going" | "--jobs" => false,
        // The letter goes to gb-london, the mission it would copy.
        "--cc-embassy" => false,
        other => panic!("no rule for {other}"),
    }
}

#[test]
fn every_option_a_mode_has_no_use_for_is_refused_with_the_reason() {
    let options: [(&str, &[&str]); 11] = [
        ("--paper", &["--paper", "letter"]),
        ("--fold-marks", &["--fold-marks"]),
        ("--attach-pdf", &["--attach-pdf"]),
        ("--paper+attach", &["--attach-pdf", "--paper", "a4"]),
        ("--duplex", &["--duplex"]),
        ("--file-name", &["--file-name", "{{embassy.id}}"]),
        ("--strict", &["--strict"]),
        ("--force", &["--force"]),
        ("--keep-going", &["--keep-going"]),
        ("--jobs", &["--jobs", "1"]),
        ("--cc-embassy", &["--cc-embassy", "--from-country", "GB"]),
    ];
    let mut refused = 0;
    let mut applied = 0;
    for (mode, destination, formats) in modes() {
        for format in formats {
            let shown = format.unwrap_or(if mode.starts_with("--combine") {
                "pdf"
            } else {
                "text"
            });
            for (option, args) in options {
                let dir = tempfile::tempdir().unwrap();
                let mut cmd = protest();
                cmd.current_dir(dir.path())
                    .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
                    .args(["--name", "Ann Lee", "--email", "ann@example.org"])
                    .args(&destination)
                    .args(args);
                if let Some(format) = format {
                    cmd.args(["-f", format]);
                }
                let (code, err) = code_and_stderr(&mut cmd);
                let what = format!("{mode} -f {shown} {}", args.join(" "));
                // The option refused is one of those given.
                let first = args
                    .iter()
                    .filter(|a| a.starts_with("--"))
                    .find(|a| err.starts_with(&format!("error: {a} does nothing here: ")));
                if useful(option, mode, shown) {
                    assert!(!err.contains(" does nothing here"), "{what}: {err}");
                    assert_eq!(code, 0, "{what}: {err}");
                    applied += 1;
                } else {
                    assert_eq!(code, 2, "{what}: {err}");
                    let Some(first) = first else {
                        panic!("{what}: not refused as doing nothing: {err}");
                    };
                    assert!(
                        err.contains(&format!("\n  help: leave out {first}, or ")),
                        "{what}: {err}"
                    );
                    assert_eq!(
                        std::fs::read_dir(dir.path()).unwrap().count(),
                        0,
                        "{what}: a refused run wrote nothing"
                    );
                    refused += 1;
                }
            }
        }
    }
    assert!(
        refused > 150 && applied > 100,
        "{refused} refused, {applied} applied"
    );
}

/// The options refused for one letter above are kept where they do
/// something: --jobs and --keep-going for several letters, --cc-embassy for
/// a letter to another mission than the sender's, in every mode that takes
/// them. --personal beside a senders file whose every row has its own is
/// said to do nothing; beside one with a row without, it is used.
#[test]
fn options_for_several_letters_or_another_mission_are_kept() {
    let several: [&[&str]; 5] = [
        &["--out", "out"],
        &["--out", "out", "--json"],
        &["-f", "mbox"],
        &["-f", "mailto", "-o", "links"],
        &["--combine", "all.pdf"],
    ];
    let cases: [(&[&str], &[&str]); 3] = [
        (
            &["--to", "gb-london", "--to", "us-washington"],
            &["--jobs", "2"],
        ),
        (
            &["--to", "gb-london", "--to", "us-washington"],
            &["--keep-going"],
        ),
        (
            &["--to", "gb-london", "--to", "us-washington"],
            &["--cc-embassy", "--from-country", "GB"],
        ),
    ];
    for destination in several {
        for (to, option) in cases {
            let dir = tempfile::tempdir().unwrap();
            let (code, err) = code_and_stderr(
                protest()
                    .current_dir(dir.path())
                    .args(["write", "mamai", "--as-of", DATE])
                    .args(["--name", "Ann Lee", "--email", "ann@example.org"])
                    .args(to)
                    .args(destination)
                    .args(option),
            );
            let what = format!("{destination:?} {option:?}");
            assert_eq!(code, 0, "{what}: {err}");
            assert!(!err.contains("does nothing"), "{what}: {err}");
        }
    }
    // One letter, copied to the mission in another country: kept.
    let (code, err) = code_and_stderr(
        protest()
            .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
            .args(["--name", "Ann Lee", "--from-country", "US", "--cc-embassy"]),
    );
    assert_eq!((code, err.contains("does nothing")), (0, false), "{err}");

    // --personal beside senders files: every row its own, and one without.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("all.csv"),
        "name,personal\nAnn Lee,Mine\nBob Roe,Yours\n",
    )
    .unwrap();
    std::fs::write(
        d.join("some.csv"),
        "name,personal\nAnn Lee,Mine\nBob Roe,\n",
    )
    .unwrap();
    for (csv, destination) in [
        ("all.csv", &["--out", "o1"][..]),
        ("all.csv", &["--combine", "all.pdf"][..]),
        ("some.csv", &["--out", "o2"][..]),
    ] {
        let (code, err) = code_and_stderr(
            protest()
                .current_dir(d)
                .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
                .args(["--senders", csv, "--personal", "XPERSONAL"])
                .args(destination),
        );
        let said = err.contains(&format!(
            "warning: --personal does nothing here: every row of {csv} has its own personal paragraph\n"
        ));
        assert_eq!((code, said), (0, csv == "all.csv"), "{csv}: {err}");
    }
    let some = std::fs::read_to_string(d.join("o2/gb-london-Bob-Roe.txt")).unwrap();
    assert!(some.contains("XPERSONAL"), "{some}");
}

/// `-f` beside `--json` or a `--combine` of another format, and
/// `--no-profile` beside `--senders`: said, not ignored.
#[test]
fn a_format_or_profile_option_that_does_nothing_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("s.csv");
    std::fs::write(&csv, "name\nAnn Lee\n").unwrap();
    let base = ["write", "mamai", "--to", "gb-london", "--as-of", DATE];
    for (args, expected) in [
        (
            vec!["--name", "A", "--json", "-f", "eml"],
            "error: -f eml does nothing here: --json prints the composed letters, in no format\n  help: leave out -f eml, or leave out --json to write eml drafts\n",
        ),
        (
            vec!["--name", "A", "--combine", "x.pdf", "-f", "mbox"],
            "error: --combine puts the letters in one PDF; -f mbox cannot go in it\n  help: leave out -f, or write one file per letter with --out DIR\n",
        ),
        (
            vec!["--senders", csv.to_str().unwrap(), "--no-profile", "--out", "out"],
            "error: --no-profile does nothing here: each row of --senders is a whole sender, and saved details are never used with it\n  help: leave out --no-profile, or sign with your saved details by leaving out --senders\n",
        ),
    ] {
        let (code, out, err) = run(protest().current_dir(dir.path()).args(base).args(&args));
        assert_eq!((code, out.as_str(), err.as_str()), (2, "", expected), "{args:?}");
    }
}

// Rule 9: messages stay short.

/// Every option of every command, and every positional argument, given an
/// input of 5,000 characters: no line of what is said is longer than a
/// message and the quoted part of it, and what is cut says its length.
#[test]
fn every_input_far_too_long_is_quoted_cut_with_its_length() {
    let long = "Q".repeat(5000);
    let dir = tempfile::tempdir().unwrap();
    // A letter of the user's own, current whatever the day: with no date
    // given, every option of `write` is read.
    own_letter(&dir.path().join("L"), "Free them.", "a teacher");
    let letters = dir.path().join("L");
    let letters = letters.to_str().unwrap();
    let base: Vec<(&str, Vec<&str>)> = vec![
        (
            "write",
            vec![
                "write",
                "vigil",
                "--letters",
                letters,
                "--to",
                "gb-london",
                "--name",
                "A",
                "--out",
                "out",
            ],
        ),
        // And as email drafts, whose addresses are checked.
        (
            "write",
            vec![
                "write",
                "vigil",
                "--letters",
                letters,
                "--to",
                "gb-london",
                "--name",
                "A",
                "-f",
                "eml",
                "--email",
                "a@example.org",
                "--out",
                "out",
            ],
        ),
        ("letters", vec!["letters"]),
        ("letters show", vec!["letters", "show", "mamai"]),
        ("letters prisoners", vec!["letters", "prisoners"]),
        ("embassies", vec!["embassies"]),
        ("embassies show", vec!["embassies", "show", "gb-london"]),
        ("check", vec!["check"]),
        ("completions", vec!["completions", "bash"]),
        ("man", vec!["man"]),
        ("profile", vec!["profile"]),
        (
            "send",
            vec![
                "send",
                "drafts",
                "--smtp",
                "smtp://127.0.0.1:1",
                "--dry-run",
            ],
        ),
    ];
    let cli = protest::cmd::Cli::command();
    let mut tried = 0;
    let mut failures = Vec::new();
    for (name, args) in &base {
        let mut command = &cli;
        for word in name.split(' ') {
            command = command.find_subcommand(word).unwrap();
        }
        let globals = cli.get_arguments().filter(|a| !a.is_positional());
        for arg in command.get_arguments().chain(globals) {
            if !arg.get_action().takes_values() || arg.get_id() == "help" {
                continue;
            }
            let mut argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            match (arg.get_long(), arg.get_short(), arg.get_index()) {
                (Some(long_name), _, _) => {
                    argv.push(format!("--{long_name}"));
                    argv.push(long.clone());
                }
                (None, Some(short), _) => {
                    argv.push(format!("-{short}"));
                    argv.push(long.clone());
                }
                (None, None, Some(index)) => {
                    // The positional argument itself: the first word after the subcommand.
                    let at = name.split(' ').count() + index - 1;
                    if at < argv.len() {
                        argv[at] = long.clone();
                    } else {
                        argv.push(long.clone());
                    }
                }
                _ => continue,
            }
            let (code, err) = code_and_stderr(protest().current_dir(dir.path()).args(&argv));
            let what = format!("protest {name} {}", arg.get_id());
            if let Some(line) = err.lines().find(|line| line.chars().count() > 400) {
                let shown: String = line.chars().take(300).collect();
                failures.push(format!(
                    "{what} (exit {code}) says a line of {} characters: {shown}",
                    line.chars().count()
                ));
            } else if err.contains(&"Q".repeat(200)) && !err.contains(" (5000 characters)") {
                failures.push(format!("{what}: cut without its length: {err}"));
            }
            tried += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(tried > 40, "{tried} options tried");
}

/// Every kind of data file, and what a letter or pattern names, holding a
/// key or a value far too long where a key or value is refused: the error
/// names the file and line, and quotes the input cut, with its length.
#[test]
fn every_data_file_quotes_a_far_too_long_key_or_value_cut() {
    let long = "k".repeat(5000);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let front =
        "+++\nid = \"x\"\ntitle = \"T\"\nlanguage = \"en-GB\"\nsubject = \"S\"\nsource = \"s\"\n";
    let person = |field: &str| {
        format!(
            "[[prisoner]]\nid = \"p\"\nname = \"P\"\ndescription = \"d\"\n[[prisoner.event]]\n\
             date = \"2020-01-01\"\nkind = \"arrested\"\nsource = \"s\"\nconfidence = \"high\"\n{field}\n"
        )
    };
    let campaign =
        std::fs::read_to_string(common::example_campaigns().join("hong-kong/campaign.toml"))
            .unwrap();
    // (what, files to write, the command, the file and line the error names)
    type Case = (&'static str, Vec<(String, String)>, Vec<String>, String);
    let write = |extra: &[&str]| -> Vec<String> {
        [
            "write",
            "x",
            "--to",
            "gb-london",
            "--name",
            "A",
            "--letters",
            "L",
        ]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
    };
    let words = |words: &[&str]| -> Vec<String> { words.iter().map(|s| s.to_string()).collect() };
    let letter = |front_extra: String, body: &str| {
        (
            "L/x.hbs".to_string(),
            format!("{front}{front_extra}+++\n{body}\n"),
        )
    };
    let cases: Vec<Case> = vec![
        (
            "config.toml, a key",
            vec![("cfg/protest/config.toml".into(), format!("{long} = 1\n"))],
            words(&["letters"]),
            format!("{}/cfg/protest/config.toml:1:", d.display()),
        ),
        (
            "a sender file, a key",
            vec![("s.toml".into(), format!("name = \"A\"\n{long} = \"x\"\n"))],
            words(&[
                "write",
                "mamai",
                "--to",
                "gb-london",
                "--as-of",
                DATE,
                "--sender",
                "s.toml",
            ]),
            "s.toml:2:".into(),
        ),
        (
            "embassies.toml, a key",
            vec![(
                "e.toml".into(),
                format!("[[mission]]\nid = \"gb-london\"\n{long} = \"x\"\n"),
            )],
            words(&["embassies", "--embassies", "e.toml"]),
            "e.toml:3:".into(),
        ),
        (
            "embassies.toml, a kind",
            vec![(
                "e.toml".into(),
                format!("[[mission]]\nid = \"gb-london\"\nkind = \"{long}\"\n"),
            )],
            words(&["embassies", "--embassies", "e.toml"]),
            "e.toml:3:".into(),
        ),
        (
            "campaign.toml, a key",
            vec![(
                "hk/campaign.toml".into(),
                campaign.replacen("\nstate = ", &format!("\nstate{long} = "), 1),
            )],
            words(&["--campaign", "./hk", "letters"]),
            "./hk/campaign.toml:".into(),
        ),
        (
            "a letter's front matter, a key",
            vec![letter(format!("{long} = \"x\"\n"), "Hi")],
            write(&[]),
            "L/x.hbs:7:".into(),
        ),
        (
            "a letter's front matter, an ask",
            vec![letter(format!("ask = \"{long}\"\n"), "Hi")],
            write(&[]),
            "L/x.hbs:7:".into(),
        ),
        (
            "a letter's front matter, a person",
            vec![letter(format!("prisoners = [\"{long}\"]\n"), "Hi")],
            write(&[]),
            "L/x.hbs:".into(),
        ),
        (
            "a letter's partial",
            vec![letter(String::new(), &format!("Hello {{{{> {long}}}}}"))],
            write(&[]),
            "L/x.hbs:".into(),
        ),
        (
            "prisoners.toml, an event kind",
            vec![(
                "L/prisoners.toml".into(),
                person("").replace("kind = \"arrested\"", &format!("kind = \"{long}\"")),
            )],
            words(&["letters", "--letters", "L"]),
            "L/prisoners.toml:7:".into(),
        ),
        (
            "prisoners.toml, a confidence",
            vec![(
                "L/prisoners.toml".into(),
                person("").replace("confidence = \"high\"", &format!("confidence = \"{long}\"")),
            )],
            words(&["letters", "--letters", "L"]),
            "L/prisoners.toml:9:".into(),
        ),
        (
            "prisoners.toml, a key",
            vec![("L/prisoners.toml".into(), person(&format!("{long} = 1")))],
            words(&["letters", "--letters", "L"]),
            "L/prisoners.toml:10:".into(),
        ),
        (
            "a --file-name pattern",
            vec![],
            words(&[
                "write",
                "mamai",
                "--as-of",
                DATE,
                "--to",
                "gb-london",
                "--name",
                "A",
                "--out",
                "o",
                "--file-name",
                &format!("{{{{{long}}}}}"),
            ]),
            "--file-name".into(),
        ),
    ];
    for (what, files, args, at) in cases {
        let _ = std::fs::remove_dir_all(d.join("L"));
        let _ = std::fs::remove_dir_all(d.join("cfg"));
        for (path, text) in &files {
            let path = d.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (code, err) = code_and_stderr(
            protest()
                .current_dir(d)
                .env("XDG_CONFIG_HOME", d.join("cfg"))
                .args(&args),
        );
        let first = err.lines().find(|l| l.starts_with("error: ")).unwrap_or("");
        assert!(
            matches!(code, 2 | 65) && first.starts_with(&format!("error: {at}")),
            "{what}: exit {code}: {}",
            err.chars().take(600).collect::<String>()
        );
        assert!(
            err.lines().all(|line| line.chars().count() < 600),
            "{what}: a line too long: {}",
            err.chars().take(600).collect::<String>()
        );
        assert!(
            err.contains(&format!("{}…` (500", "k".repeat(190))) && err.contains(" characters)"),
            "{what}: not cut with its length: {}",
            err.chars().take(600).collect::<String>()
        );
    }
}

// Rule 4: the user's files are never the tool's.

/// `protest write mamai --to gb-london --name "Ann Lee" --as-of DATE --out DIR`.
fn write_into(dir: &Path) -> assert_cmd::Command {
    let mut cmd = protest();
    cmd.args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--name",
        "Ann Lee",
        "--as-of",
        DATE,
        "--out",
    ])
    .arg(dir);
    cmd
}

/// Every kind of file named manifest.jsonl that protest did not write: left
/// as it is (and nothing written beside it) without --force; with --force,
/// named, and replaced by a manifest (a link's target untouched).
#[test]
fn a_manifest_protest_did_not_write_is_never_replaced_without_force() {
    let theirs: [(&str, &[u8]); 6] = [
        ("notes", b"my packing list\n"),
        ("empty", b""),
        ("other JSON", b"{\"name\": \"Ann\", \"row\": \"1\"}\n"),
        (
            "another schema",
            b"{\"schema\":\"protest/9\",\"row\":1,\"status\":\"written\"}\n",
        ),
        (
            "a run that is not one",
            b"{\"run\":7,\"row\":1,\"status\":\"written\"}\n",
        ),
        ("binary", b"\x00\xff\xfe manifest\n"),
    ];
    for (kind, bytes) in theirs {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("d");
        std::fs::create_dir(&dir).unwrap();
        let manifest = dir.join("manifest.jsonl");
        std::fs::write(&manifest, bytes).unwrap();
        let (code, out, err) = run(&mut write_into(&dir));
        let expected = format!(
            "error: {}: not a manifest protest wrote, and a run would replace it\n  help: move it away, or choose another --out directory; --force replaces it\n",
            manifest.display()
        );
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (73, "", expected.as_str()),
            "{kind}"
        );
        assert_eq!(std::fs::read(&manifest).unwrap(), bytes, "{kind}");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "{kind}: nothing beside it"
        );

        let (code, _, err) = run(write_into(&dir).arg("--force"));
        assert_eq!(code, 0, "{kind}: {err}");
        assert!(
            err.contains(&format!(
                "warning: replacing {}, which protest did not write (--force)\n",
                manifest.display()
            )),
            "{kind}: {err}"
        );
        let now = std::fs::read_to_string(&manifest).unwrap();
        assert!(now.starts_with("{\"run\":"), "{kind}: {now}");
    }
    // A link to the user's own file: the link is not ours either, and its
    // target is never written through.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    std::fs::create_dir(&dir).unwrap();
    let mine = tmp.path().join("mine.txt");
    std::fs::write(&mine, "mine\n").unwrap();
    std::os::unix::fs::symlink(&mine, dir.join("manifest.jsonl")).unwrap();
    let (code, _, _) = run(&mut write_into(&dir));
    assert_eq!(code, 73);
    let (code, _, err) = run(write_into(&dir).arg("--force"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine\n");
    assert!(!std::fs::symlink_metadata(dir.join("manifest.jsonl"))
        .unwrap()
        .file_type()
        .is_symlink());
    // A manifest protest wrote is continued, as ever.
    let (code, _, err) = run(&mut write_into(&dir));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 written, 1 already there"), "{err}");
    // A directory where the manifest goes: refused, --force or not, and
    // never said to be replaced.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    std::fs::create_dir_all(dir.join("manifest.jsonl/inside")).unwrap();
    for force in [&[][..], &["--force"][..]] {
        let (code, out, err) = run(write_into(&dir).args(force));
        let expected = format!(
            "error: {}: a directory, where the run's manifest goes\n  help: move it away, or choose another --out directory\n",
            dir.join("manifest.jsonl").display()
        );
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (73, "", expected.as_str()),
            "{force:?}"
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "{force:?}");
    }
}

/// Every kind of file of the user's where a letter of the run goes, in
/// every format a folder takes, on a new run and on a continued one: found
/// before the first letter is written (nothing written, the manifest as it
/// was), named; with --force, named as replaced and replaced by a private
/// letter. A letter exactly as the run makes it (a run stopped before its
/// manifest) is no one's loss, and stays.
#[test]
fn a_users_file_where_a_letter_goes_is_found_first_and_named_even_with_force() {
    use std::os::unix::fs::PermissionsExt;
    // (what is there, as made in the folder of a letter at `path`; why it
    // is the user's, as the message says it)
    type Make = fn(&Path, &Path);
    let kinds: [(&str, Make, &str); 5] = [
        (
            "a file of its name",
            |dir, path| std::fs::write(dir.join(path.file_name().unwrap()), "mine\n").unwrap(),
            "which protest did not write",
        ),
        (
            "a file of its name in other case",
            |dir, path| {
                let upper = path.file_name().unwrap().to_str().unwrap().to_uppercase();
                std::fs::write(dir.join(upper), "mine\n").unwrap()
            },
            "which protest did not write, and which is one file with the letter",
        ),
        (
            "a link to a file of the user's",
            |dir, path| {
                let target = dir.parent().unwrap().join("target.txt");
                std::fs::write(&target, "mine\n").unwrap();
                std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
                std::os::unix::fs::symlink(&target, dir.join(path.file_name().unwrap())).unwrap()
            },
            "which protest did not write",
        ),
        (
            "a link to an endless device",
            |dir, path| {
                std::os::unix::fs::symlink("/dev/zero", dir.join(path.file_name().unwrap()))
                    .unwrap()
            },
            "which protest did not write",
        ),
        (
            "a letter protest wrote, edited since",
            |dir, path| {
                // Only in a continued run: the manifest lists the letter.
                std::fs::write(dir.join(path.file_name().unwrap()), "edited\n").unwrap()
            },
            "changed since protest wrote it",
        ),
    ];
    let formats = [
        ("text", "txt", &[][..]),
        ("eml", "eml", &["--email", "ann@example.org"][..]),
        ("mbox", "mbox", &["--email", "ann@example.org"][..]),
        ("pdf", "pdf", &[][..]),
    ];
    for (format, extension, extra) in formats {
        for (kind, make, why) in kinds {
            for continued in [false, true] {
                let edited = why.starts_with("changed");
                if edited && !continued {
                    continue;
                }
                let what = format!("{format}, {kind}, continued: {continued}");
                let tmp = tempfile::tempdir().unwrap();
                let dir = tmp.path().join("d");
                std::fs::create_dir(&dir).unwrap();
                let write = |dir: &Path| {
                    let mut cmd = protest();
                    cmd.args([
                        "write",
                        "mamai",
                        "--to",
                        "gb-london",
                        "--to",
                        "us-washington",
                    ])
                    .args(["--name", "Ann Lee", "--as-of", DATE, "-f", format])
                    .args(extra)
                    .arg("--out")
                    .arg(dir);
                    cmd
                };
                let letter = dir.join(format!("mamai-gb-london.{extension}"));
                if continued {
                    let (code, _, err) = run(&mut write(&dir));
                    assert_eq!(code, 0, "{what}: {err}");
                    std::fs::remove_file(&letter).unwrap();
                }
                make(&dir, &letter);
                let there = |dir: &Path| -> std::collections::BTreeMap<String, Vec<u8>> {
                    std::fs::read_dir(dir)
                        .unwrap()
                        .map(|e| e.unwrap())
                        .map(|e| {
                            let target = std::fs::read_link(e.path())
                                .map(|t| t.display().to_string().into_bytes());
                            let bytes = target.unwrap_or_else(|_| std::fs::read(e.path()).unwrap());
                            (e.file_name().into_string().unwrap(), bytes)
                        })
                        .collect()
                };
                let before = there(&dir);
                let users: Vec<String> = before
                    .keys()
                    .filter(|name| name.to_lowercase() == format!("mamai-gb-london.{extension}"))
                    .cloned()
                    .collect();
                assert_eq!(users.len(), 1, "{what}");
                let users = dir.join(&users[0]);
                // The manifest of a continued run lists a letter by that
                // name: what is there now is not as protest wrote it.
                let why = match why.ends_with("the letter") {
                    true => format!(
                        "{why} `mamai-gb-london.{extension}` where case is ignored (macOS, Windows)"
                    ),
                    false if continued => "changed since protest wrote it".to_string(),
                    false => why.to_string(),
                };
                let (code, out, err) = run(&mut write(&dir));
                let expected = format!(
                    "error: {}, {why}: a letter of this run would be written there\n  help: move it away, or choose another --out directory; --force replaces it\n",
                    users.display()
                );
                assert_eq!(
                    (code, out.as_str(), err.ends_with(&expected)),
                    (73, "", true),
                    "{what}: {err}"
                );
                assert_eq!(there(&dir), before, "{what}: nothing written");

                let (code, _, err) = run(write(&dir).arg("--force"));
                assert_eq!(code, 0, "{what}: {err}");
                let named = format!("warning: replacing {}, {why} (--force)\n", users.display());
                assert!(err.contains(&named), "{what}: {err}");
                let meta = std::fs::symlink_metadata(&letter).unwrap();
                assert!(meta.is_file(), "{what}");
                assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{what}");
                // One file where case is ignored.
                let same: Vec<String> = there(&dir)
                    .into_keys()
                    .filter(|name| name.to_lowercase() == format!("mamai-gb-london.{extension}"))
                    .collect();
                assert_eq!(same.len(), 1, "{what}: {same:?}");
                if let Ok(target) = std::fs::read_to_string(tmp.path().join("target.txt")) {
                    assert_eq!(target, "mine\n", "{what}: a link's target is never written");
                }
            }
        }
        // A letter as the run makes it, left by a run stopped before its
        // manifest: it stays, and the run completes.
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("d");
        let write = || {
            let mut cmd = protest();
            cmd.args([
                "write",
                "mamai",
                "--to",
                "gb-london",
                "--to",
                "us-washington",
            ])
            .args(["--name", "Ann Lee", "--as-of", DATE, "-f", format])
            .args(extra)
            .arg("--out")
            .arg(&dir);
            cmd
        };
        let (code, _, err) = run(&mut write());
        assert_eq!(code, 0, "{format}: {err}");
        std::fs::remove_file(dir.join("manifest.jsonl")).unwrap();
        let (code, _, err) = run(&mut write());
        assert_eq!(code, 0, "{format}: {err}");
        assert!(
            err.contains("0 written, 2 already there"),
            "{format}: {err}"
        );
    }
}

// Rule 5: changed inputs are changed inputs.

/// A data file of one mission, gb-london, with `email`.
fn london(email: &str) -> String {
    format!(
        "[[mission]]\nid = \"gb-london\"\nkind = \"embassy\"\ncountry = \"GB\"\ncity = \"London\"\n\
         name = \"Embassy of the Republic of Kazakhstan\"\naddress = [\"125 Pall Mall\"]\n\
         email = \"{email}\"\nsource = \"test\"\nverified = \"2026-01-01\"\nconfidence = \"high\"\n"
    )
}

/// A letter of the user's own naming one person of their own.
fn own_letter(dir: &Path, body: &str, person: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("vigil.hbs"),
        format!(
            "+++\nid = \"vigil\"\ntitle = \"Vigil\"\nlanguage = \"en-GB\"\nsubject = \"A vigil\"\n\
             source = \"test\"\nprisoners = [\"test-person\"]\nask = \"justice\"\n+++\n{body}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("prisoners.toml"),
        format!(
            "[[prisoner]]\nid = \"test-person\"\nname = \"Test Person\"\ndescription = \"{person}\"\n\n\
             [[prisoner.event]]\ndate = \"2016-01-01\"\nkind = \"arrested\"\nnote = \"arrested\"\n\
             source = \"s\"\nconfidence = \"high\"\n"
        ),
    )
    .unwrap();
}

/// Each kind of data a letter is made from, changed between two runs of
/// the same batch: the second is refused, saying what changed, and leaves
/// the folder as it was; with --force every letter is made again from the
/// new data, and the folder never holds letters of both.
#[test]
fn data_changed_between_two_runs_is_another_run_never_a_mix() {
    // (what changes, the letters folder before and after, the words said,
    // what every letter says after --force)
    type Change = (&'static str, &'static str, &'static str, &'static str);
    let changes: [Change; 3] = [
        (
            "mission",
            "old@mfa.example",
            "the directory's entry for gb-london has changed since",
            "<new@mfa.example>",
        ),
        (
            "letter",
            "Free them.",
            "the text of the letter `vigil` has changed since",
            "Hold a vigil.",
        ),
        (
            "person",
            "a teacher",
            "what the data says of the people the letters name has changed since",
            "a journalist",
        ),
    ];
    for (what, _, said, after) in changes {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        std::fs::write(
            d.join("s.csv"),
            "name,email\nAnn Lee,ann@example.org\nBob Roe,bob@example.org\nCy Doe,cy@example.org\n",
        )
        .unwrap();
        std::fs::write(d.join("old.toml"), london("old@mfa.example")).unwrap();
        std::fs::write(
            d.join("new.toml"),
            london(if what == "mission" {
                "new@mfa.example"
            } else {
                "old@mfa.example"
            }),
        )
        .unwrap();
        own_letter(
            &d.join("old"),
            "Free them. {{prisoners.0.description}}",
            "a teacher",
        );
        match what {
            "letter" => own_letter(
                &d.join("new"),
                "Hold a vigil. {{prisoners.0.description}}",
                "a teacher",
            ),
            "person" => own_letter(
                &d.join("new"),
                "Free them. {{prisoners.0.description}}",
                "a journalist",
            ),
            _ => own_letter(
                &d.join("new"),
                "Free them. {{prisoners.0.description}}",
                "a teacher",
            ),
        }
        let batch = |data: &str| {
            let mut cmd = protest();
            cmd.current_dir(d)
                .args([
                    "write",
                    "vigil",
                    "--to",
                    "gb-london",
                    "--date",
                    "2026-11-30",
                ])
                .args(["--senders", "s.csv", "-f", "eml", "--out", "drafts"])
                .args([
                    "--embassies",
                    &format!("{data}.toml"),
                    "--letters",
                    data,
                    "-q",
                ]);
            cmd
        };
        let (code, _, err) = run(&mut batch("old"));
        assert_eq!(code, 0, "{what}: {err}");
        let before = folder(&d.join("drafts"));
        let (code, out, err) = run(&mut batch("new"));
        let expected = format!(
            "error: drafts holds the letters of another run (manifest.jsonl): {said}\n  help: its letters were made from other data: pass --force to write them all again from this data (its letters that this run does not write are removed), or choose another --out directory\n"
        );
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (73, "", expected.as_str()),
            "{what}"
        );
        assert_eq!(
            folder(&d.join("drafts")),
            before,
            "{what}: the folder is as it was"
        );
        // The same data again continues the run: its letters are there.
        let (code, _, err) = run(&mut batch("old"));
        assert_eq!(code, 0, "{what}: {err}");
        let mut again = folder(&d.join("drafts"));
        let mut letters_before = before.clone();
        again.remove("manifest.jsonl");
        letters_before.remove("manifest.jsonl");
        assert_eq!(again, letters_before, "{what}");

        let (code, _, err) = run(batch("new").arg("--force"));
        assert_eq!(code, 0, "{what}: {err}");
        let drafts = folder(&d.join("drafts"));
        assert_eq!(drafts.len(), 4, "{what}: {:?}", drafts.keys());
        for (name, text) in drafts.iter().filter(|(name, _)| name.ends_with(".eml")) {
            assert!(
                text.contains(after),
                "{what}: {name} is of the old data:\n{text}"
            );
        }
        // The folder continues the new run from now on.
        let (code, _, err) = run(&mut batch("new"));
        assert_eq!(code, 0, "{what}: {err}");
    }
}

/// The files of a folder, by name, as text.
fn folder(dir: &Path) -> std::collections::BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().into_string().unwrap(),
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned(),
            )
        })
        .collect()
}

/// With --force over another run, the letters of that run this one does not
/// write are removed, but one the user changed since, which is kept and named.
#[test]
fn a_forced_run_leaves_no_letter_of_the_run_it_replaces() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("three.csv"), "name\nAnn Lee\nBob Roe\nCy Doe\n").unwrap();
    std::fs::write(d.join("two.csv"), "name\nAnn Lee\nBob Roe\n").unwrap();
    let batch = |csv: &str| {
        let mut cmd = protest();
        cmd.current_dir(d)
            .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
            .args(["--senders", csv, "--out", "out"]);
        cmd
    };
    let (code, _, err) = run(&mut batch("three.csv"));
    assert_eq!(code, 0, "{err}");
    // Another run over it, --file-name naming every letter anew.
    let (code, _, err) = run(batch("two.csv").args(["--file-name", "{{row}}", "--force"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "removed 3 letters of the earlier run in out, which this one does not write (--force)"
        ),
        "{err}"
    );
    let names: Vec<String> = folder(&d.join("out")).into_keys().collect();
    assert_eq!(names, ["1.txt", "2.txt", "manifest.jsonl"]);
    // One the user edited since is theirs: kept, and said.
    std::fs::write(d.join("out/2.txt"), "my own version\n").unwrap();
    let (code, _, err) = run(batch("three.csv").arg("--force"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: kept out/2.txt: a letter of the earlier run, changed since it was written\n"
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("out/2.txt")).unwrap(),
        "my own version\n"
    );
    assert!(!d.join("out/1.txt").exists());
}

// Rule 7: --json always prints its document.

/// However a run into a folder ends once it has written, --json says what
/// it did, with counts that add up: a bad row skipped.
#[test]
fn the_json_summary_is_printed_however_the_run_ends() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("bad.csv"), "name,country\nAnn Lee,GB\nBob Roe,XX\n").unwrap();
    std::fs::write(d.join("good.csv"), "name\nAnn Lee\nBob Roe\nCy Doe\n").unwrap();
    // (senders, folder, extra, exit code, skipped, failed)
    type Run = (
        &'static str,
        &'static str,
        &'static [&'static str],
        i32,
        u64,
        u64,
    );
    // A user's file where a letter goes is no run that began: it is
    // refused before any letter (see the rule 4 tests), and has no summary.
    let runs: [Run; 2] = [
        ("bad.csv", "a", &["--keep-going"], 1, 1, 0),
        ("good.csv", "b", &[], 0, 0, 0),
    ];
    for (csv, out, extra, expected_code, skipped, failed) in runs {
        let (code, stdout, err) = run(protest()
            .current_dir(d)
            .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
            .args(["--senders", csv, "--out", out, "--json", "-j", "1"])
            .args(extra));
        let what = format!("{csv} into {out} {extra:?}");
        assert_eq!(code, expected_code, "{what}: {err}");
        let summary: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{what}: no JSON ({e}): {stdout:?}\n{err}"));
        assert_eq!(summary["schema"], "protest/1", "{what}");
        assert_eq!(summary["skipped"], skipped, "{what}: {summary}");
        assert_eq!(summary["failed"], failed, "{what}: {summary}");
        let counted: u64 = ["written", "unchanged", "skipped", "failed", "not_written"]
            .iter()
            .map(|key| summary[key].as_u64().unwrap())
            .sum();
        assert_eq!(
            Some(counted),
            summary["letters"].as_u64(),
            "{what}: {summary}"
        );
    }
}

// Rule 8: exports as people download them.

/// Every way Microsoft Forms and the form's own questions can fill a row:
/// the name and address the form asked for win, what Forms recorded of the
/// account serves when they are left empty, and "anonymous" is never a name
/// or an address.
#[test]
fn a_microsoft_forms_export_signs_with_the_name_that_is_there() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // (Email, Name as Forms recorded them; Your name, Your email; the
    // sender's name and email on the letter)
    let rows: [(&str, &str, &str, &str, &str, &str); 6] = [
        (
            "anonymous",
            "anonymous",
            "Ann Lee",
            "ann@example.org",
            "Ann Lee",
            "ann@example.org",
        ),
        ("anonymous", "", "Bob Roe", "", "Bob Roe", ""),
        (
            "ANONYMOUS",
            "Anonymous",
            "Cy Doe",
            "cy@example.org",
            "Cy Doe",
            "cy@example.org",
        ),
        (
            "dee@org.example",
            "Dee Account",
            "",
            "",
            "Dee Account",
            "dee@org.example",
        ),
        (
            "eve@org.example",
            "Eve Account",
            "Eve Typed",
            "eve@home.example",
            "Eve Typed",
            "eve@home.example",
        ),
        (
            "",
            "",
            "Fay Low",
            "fay@example.org",
            "Fay Low",
            "fay@example.org",
        ),
    ];
    let mut csv = String::from("ID,Start time,Completion time,Email,Name,Your name,Your email\n");
    for (i, (email, name, your_name, your_email, _, _)) in rows.iter().enumerate() {
        csv.push_str(&format!(
            "{},11/28/26 9:14:02,11/28/26 9:16:40,{email},{name},{your_name},{your_email}\n",
            i + 1
        ));
    }
    std::fs::write(d.join("forms.csv"), &csv).unwrap();
    let (code, _, err) = run(protest()
        .current_dir(d)
        .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
        .args([
            "--senders",
            "forms.csv",
            "--out",
            "out",
            "--file-name",
            "{{row}}",
        ]));
    assert_eq!(code, 0, "{err}");
    for (i, (.., signer, address)) in rows.iter().enumerate() {
        let letter = std::fs::read_to_string(d.join(format!("out/{}.txt", i + 1))).unwrap();
        let block: Vec<&str> = letter.lines().take_while(|l| !l.is_empty()).collect();
        assert_eq!(block[0], *signer, "row {}:\n{letter}", i + 1);
        assert_eq!(
            block.contains(address),
            !address.is_empty(),
            "row {}:\n{letter}",
            i + 1
        );
        assert!(
            !letter.to_lowercase().contains("anonymous"),
            "row {}:\n{letter}",
            i + 1
        );
    }
    // An anonymous export of a form that asks no name has none to sign with.
    std::fs::write(
        d.join("nameless.csv"),
        "ID,Start time,Completion time,Email,Name,City\n1,11/28/26 9:14:02,11/28/26 9:16:40,anonymous,,Leeds\n",
    )
    .unwrap();
    let (code, _, err) = run(protest()
        .current_dir(d)
        .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
        .args(["--senders", "nameless.csv", "--out", "none"]));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.starts_with("error: nameless.csv:2: row 1, column `Name`: is empty\n  help: every sender needs a name\n"),
        "{err}"
    );
    // And "anonymous" is said as it is, not as empty.
    std::fs::write(
        d.join("anonymous.csv"),
        "ID,Start time,Completion time,Email,Name,City\n1,11/28/26 9:14:02,11/28/26 9:16:40,anonymous,anonymous,Leeds\n",
    )
    .unwrap();
    let (code, _, err) = run(protest()
        .current_dir(d)
        .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
        .args(["--senders", "anonymous.csv", "--out", "none"]));
    assert_eq!(
        (code, err.as_str()),
        (65, "error: anonymous.csv:2: row 1, column `Name`: is \"anonymous\": the form recorded no one's name\n  help: every sender needs a name: ask for it in the form, or fill the cell\n"),
    );
}

/// Every wording of a form's name question, in every language the headers
/// are read in, as one full name or a first and a last name, beside the bare
/// `Name` Forms recorded ("anonymous", or empty), with or without the export's
/// time columns: the question's answer signs the letter.
#[test]
fn every_wording_of_a_name_question_beside_an_anonymous_name_is_taken() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let full = [
        "Your name",
        "Your full name",
        "Full name",
        "Ihr Name",
        "Ihr vollständiger Name",
        "Votre nom complet",
        "Ditt namn",
        "Uw naam",
        "Ваше ФИО",
    ];
    let parts = [
        ("Your first name", "Your last name"),
        ("First name", "Last name"),
        ("Vorname", "Nachname"),
        ("Ihr Vorname", "Ihr Nachname"),
        ("Votre prénom", "Votre nom de famille"),
        ("Ваше имя", "Ваша фамилия"),
    ];
    let mut headers: Vec<(String, String)> = Vec::new();
    for question in full {
        headers.push((question.to_string(), "Ann Lee".to_string()));
    }
    for (first, last) in parts {
        headers.push((format!("{first},{last}"), "Ann,Lee".to_string()));
    }
    let mut tried = 0;
    for (question, answer) in &headers {
        for forms in [true, false] {
            for recorded in ["anonymous", ""] {
                let (head, cells) = match forms {
                    true => (
                        "ID,Start time,Completion time,",
                        "1,11/28/26 9:14:02,11/28/26 9:16:40,",
                    ),
                    false => ("", ""),
                };
                let csv =
                    format!("{head}Email,Name,{question}\n{cells}anonymous,{recorded},{answer}\n");
                std::fs::write(d.join("f.csv"), &csv).unwrap();
                let out = d.join(format!("out{tried}"));
                let (code, _, err) = run(protest()
                    .current_dir(d)
                    .args(["write", "mamai", "--to", "gb-london", "--as-of", DATE])
                    .args(["--senders", "f.csv", "--file-name", "x", "--out"])
                    .arg(&out));
                assert_eq!(code, 0, "{csv}: {err}");
                let letter = std::fs::read_to_string(out.join("x.txt")).unwrap();
                assert!(letter.starts_with("Ann Lee\n"), "{csv}: {letter}");
                assert!(
                    !letter.to_lowercase().contains("anonymous"),
                    "{csv}: {letter}"
                );
                tried += 1;
            }
        }
    }
    assert_eq!(tried, 60);
}

/// Every file `write` makes, in every format and to every kind of
/// destination, is its owner's alone (0600), and so is every folder it makes
/// (0700), under the usual umask: letters and manifests name who signed and
/// where they wrote.
#[test]
fn every_file_and_folder_write_makes_is_private_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("members.csv"),
        "name,email\nAnn Lee,ann@example.org\nБорис Ким,boris@example.org\n",
    )
    .unwrap();
    let one = ["--name", "Ann Lee", "--email", "ann@example.org"];
    let members = ["--senders", "members.csv"];
    let runs: Vec<(Vec<&str>, &[&str])> = vec![
        (vec!["-o", "one.txt"], &one),
        (vec!["-f", "eml", "-o", "one.eml"], &one),
        (vec!["-f", "mbox", "-o", "all.mbox"], &members),
        (vec!["-f", "mailto", "-o", "links.txt"], &members),
        (vec!["-f", "pdf", "-o", "one.pdf"], &one),
        (vec!["--combine", "all.pdf"], &members),
        (vec!["--out", "g/h"], &members),
        (vec!["-f", "eml", "--out", "i"], &members),
        (vec!["-f", "pdf", "--out", "j"], &members),
        (vec!["-f", "mbox", "--out", "k"], &members),
        (vec!["-f", "eml", "--attach-pdf", "--out", "l"], &members),
    ];
    for (output, sender) in &runs {
        let status = Command::new("sh")
            .arg("-c")
            .arg("umask 022; exec \"$0\" \"$@\"")
            .arg(assert_cmd::cargo::cargo_bin("protest"))
            .args(["write", "mukhammedkarim", "--to", "gb-london", "-q"])
            .args(*sender)
            .args(output)
            .current_dir(d)
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("PROTEST_DATA")
            .env("HOME", d)
            .env("XDG_CONFIG_HOME", no_config_dir())
            .stdin(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{output:?}");
    }
    let mut seen = 0;
    let mut stack = vec![d.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|name| name == "members.csv") {
                continue;
            }
            let mode = std::os::unix::fs::PermissionsExt::mode(
                &std::fs::metadata(&path).unwrap().permissions(),
            ) & 0o777;
            if path.is_dir() {
                assert_eq!(mode, 0o700, "{}", path.display());
                stack.push(path);
            } else {
                assert_eq!(mode, 0o600, "{}", path.display());
                seen += 1;
            }
        }
    }
    // A file for each -o and --combine run; two letters and a manifest for
    // each --out folder (g/h made with its parent).
    assert_eq!(seen, 6 + 5 * 3, "files checked");
}
