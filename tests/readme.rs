//! The README's examples are run, so that they cannot drift from the
//! program: every `protest …` line of its ```sh blocks that can run offline
//! runs in a fresh directory holding the files the examples name, and must
//! exit 0 (or the code its comment states, `# … (exit N)`).

mod common;
mod markdown;

use std::path::Path;

use common::{copy_dir, example_campaigns, example_sender, protest};

/// Lines that are not run, by their start, and why. A README line can also
/// say so itself with a trailing `# not run`.
const NOT_RUN: &[(&str, &str)] = &[
    ("protest send", "needs a mail server and a password"),
    ("protest profile edit", "asks questions in a terminal"),
    ("protest profile delete", "asks first, in a terminal"),
    (
        "protest wizard",
        "the guided mode asks questions in a terminal",
    ),
];

const MEMBERS: &str = "\
name,org,email,country
Ann Lee,Unite Leeds Branch,ann@example.org,GB
Hans Weber,ver.di,hans@example.org,DE
";

/// A README line as the test runs it.
struct Example {
    line: usize,
    text: String,
    args: Vec<String>,
    stdin: Option<String>,
    stdout: Option<String>,
    code: i32,
}

/// The runnable lines of one ```sh block; `cargo run --release --` is the
/// uninstalled `protest`.
fn examples(block: &markdown::Block) -> Vec<Example> {
    let mut out = Vec::new();
    for (offset, text) in block.text.lines().enumerate() {
        let line = block.line + 1 + offset;
        let text = text.trim().replace("cargo run --release -- ", "protest ");
        let (mut words, comment) = markdown::shell_words(&text);
        if words.first().map(String::as_str) != Some("protest")
            || comment.as_deref() == Some("not run")
            || NOT_RUN.iter().any(|(start, _)| text.starts_with(start))
        {
            continue;
        }
        assert!(
            !text.ends_with('\\') && !words.iter().any(|w| w == "|" || w == "&&"),
            "README.md:{line}: a line the test cannot run alone; end it with `# not run`"
        );
        let mut redirect = |symbol: &str| {
            let at = words.iter().position(|w| w == symbol)?;
            let file = words.get(at + 1).cloned();
            words.drain(at..(at + 2).min(words.len()));
            file
        };
        let stdin = redirect("<");
        let stdout = redirect(">");
        let code = comment
            .as_deref()
            .and_then(|c| c.rsplit_once("(exit ")?.1.strip_suffix(')')?.parse().ok())
            .unwrap_or(0);
        out.push(Example {
            line,
            text,
            args: words.split_off(1),
            stdin,
            stdout,
            code,
        });
    }
    out
}

/// A fresh directory with the files the README's examples name.
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    std::fs::create_dir_all(dir.join("home")).unwrap();
    std::fs::copy(example_sender(), dir.join("examples/sender.toml")).unwrap();
    copy_dir(&example_campaigns(), &dir.join("examples/campaigns"));
    std::fs::copy(example_sender(), dir.join("me.toml")).unwrap();
    std::fs::write(dir.join("members.csv"), MEMBERS).unwrap();
    std::fs::write(
        dir.join("mine.txt"),
        "I have followed this case since 2023 and I ask you to act now.\n",
    )
    .unwrap();
    tmp
}

#[test]
fn every_example_in_the_readme_runs() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for block in markdown::fenced_blocks(&readme)
        .iter()
        .filter(|b| b.lang == "sh")
    {
        // Each block is a story of its own: its own directory.
        let tmp = workspace();
        let dir = tmp.path();
        let home = dir.join("home");
        // The profile's examples are of details already saved.
        if block.text.contains("protest profile") {
            let saved = home.join(".config/protest/profile.toml");
            std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
            std::fs::copy(example_sender(), &saved).unwrap();
            std::fs::set_permissions(&saved, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .unwrap();
        }
        for example in examples(block) {
            let mut cmd = protest();
            cmd.current_dir(dir)
                .env("HOME", &home)
                .env("XDG_CONFIG_HOME", home.join(".config"))
                .args(&example.args);
            if let Some(file) = &example.stdin {
                cmd.pipe_stdin(dir.join(file)).unwrap();
            }
            let output = cmd.output().unwrap();
            ran += 1;
            let code = output.status.code().unwrap_or(-1);
            if code != example.code {
                failures.push(format!(
                    "README.md:{}: `{}` exited {code}, not {}:\n{}",
                    example.line,
                    example.text,
                    example.code,
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            if let Some(file) = &example.stdout {
                let path = match file.strip_prefix("~/") {
                    Some(rest) => home.join(rest),
                    None => dir.join(file),
                };
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, &output.stdout).unwrap();
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The test runs the README, not nothing: its examples are many.
    assert!(ran >= 25, "only {ran} README lines ran");
}

/// What the test runs of a block, and what it leaves: so that a line it
/// should run is not skipped unseen.
#[test]
fn the_runnable_lines_are_found_with_their_files_and_exit_codes() {
    let page = "```sh\n\
        # a comment\n\
        cargo run --release -- letters --json\n\
        protest write x --name \"Ann Lee\" --personal-file - < mine.txt  # own words\n\
        protest completions fish > ~/.config/fish/completions/protest.fish\n\
        protest write y --to nowhere   # an unknown mission (exit 2)\n\
        protest send drafts/ --smtp smtp://smtp.example.org:587 \\\n    --user me --dry-run\n\
        protest profile edit\n\
        protest write z --to gb-london | head   # not run\n\
        echo done\n\
        ```\n";
    let blocks = markdown::fenced_blocks(page);
    let found = examples(&blocks[0]);
    /// Arguments, standard input, standard output, exit code.
    type Run<'a> = (Vec<&'a str>, Option<&'a str>, Option<&'a str>, i32);
    let summary: Vec<Run> = found
        .iter()
        .map(|e| {
            (
                e.args.iter().map(String::as_str).collect(),
                e.stdin.as_deref(),
                e.stdout.as_deref(),
                e.code,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (vec!["letters", "--json"], None, None, 0),
            (
                vec!["write", "x", "--name", "Ann Lee", "--personal-file", "-"],
                Some("mine.txt"),
                None,
                0
            ),
            (
                vec!["completions", "fish"],
                None,
                Some("~/.config/fish/completions/protest.fish"),
                0
            ),
            (vec!["write", "y", "--to", "nowhere"], None, None, 2),
        ]
    );
}
