//! The tool fits the habits people bring: a saved profile that signs, the
//! exports of form and mailing tools, terminals, man pages and completions.

mod common;

use std::path::Path;

use common::{fixture, protest, run};

/// `protest write mamai --to gb-london` on a day when that letter was true:
/// the tests here are about senders and terminals, not about the facts.
fn write_mamai_to_london() -> assert_cmd::Command {
    let mut cmd = protest();
    cmd.args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--as-of",
        "2017-05-01",
    ]);
    cmd
}

/// A configuration directory holding a saved profile, as the guided mode saves it.
fn with_profile(text: &str) -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("protest")).unwrap();
    std::fs::write(config.path().join("protest/profile.toml"), text).unwrap();
    config
}

const PROFILE: &str = "name = \"Ann Lee\"\norg = \"Unite Leeds\"\ncountry = \"GB\"\n";

#[test]
fn the_saved_profile_signs_unless_flags_override_it_or_no_profile_ignores_it() {
    let config = with_profile(PROFILE);
    let profile_path = config.path().join("protest/profile.toml");
    let write = |args: &[&str]| {
        run(protest()
            .env("XDG_CONFIG_HOME", config.path())
            .args(["write", "mamai", "--as-of", "2017-05-01"])
            .args(args))
    };

    // No --to: the profile's country picks the mission, its name signs.
    let (code, out, err) = write(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Ann Lee\nUnite Leeds\n"), "{out}");
    assert!(
        out.contains("Embassy of the Republic of Kazakhstan"),
        "{out}"
    );
    let note = format!(
        "using your saved details from {} (--no-profile to ignore them)",
        profile_path.display()
    );
    assert_eq!(err.matches(&note).count(), 1, "{err}");

    // A flag replaces one field and keeps the rest.
    let (code, out, _) = write(&["--name", "Bob Roe", "--to", "de-berlin"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Bob Roe\nUnite Leeds\n"), "{out}");

    // --sender FILE is used instead, without the note.
    let sender = common::example_sender();
    let (code, out, err) = write(&["--sender", sender.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Jane Smith\n"), "{out}");
    assert!(!err.contains("saved details"), "{err}");

    // --no-profile: as if there were none.
    let (code, _, err) = write(&["--no-profile", "--to", "gb-london"]);
    assert_eq!(code, 2);
    assert!(err.contains("error: the sender has no name"), "{err}");
    assert!(!err.contains("saved details"), "{err}");

    // A broken profile is an error naming it, with the way out.
    std::fs::write(&profile_path, "nmae = \"Ann\"\n").unwrap();
    let (code, _, err) = write(&["--to", "gb-london"]);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains(&profile_path.display().to_string()), "{err}");
    assert!(err.contains("--no-profile"), "{err}");
}

#[test]
fn a_senders_csv_is_not_mixed_with_the_profile() {
    let config = with_profile(PROFILE);
    let (code, out, err) = run(protest()
        .env("XDG_CONFIG_HOME", config.path())
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--as-of",
            "2017-05-01",
        ])
        .arg("--senders")
        .arg(fixture("exports/de-spreadsheet.csv")));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Anna Schmidt\nver.di Berlin\n"), "{out}");
    assert!(!err.contains("saved details"), "{err}");
}

/// Each file of `dir` but the manifest, read, in name order.
fn letters_in(dir: &Path) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "manifest.jsonl")
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn a_google_forms_export_gives_letters_with_every_detail_and_no_warning() {
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(write_mamai_to_london()
        .arg("--senders")
        .arg(fixture("exports/google-forms.csv"))
        .arg("--out")
        .arg(out.path()));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let letters = letters_in(out.path());
    assert_eq!(letters.len(), 2);
    let ann = letters.iter().find(|l| l.starts_with("Ann Lee\n")).unwrap();
    for detail in [
        "Unite Leeds Community Branch",
        "Leeds LS1 4AP",
        "ann.lee@example.org",
        "0113 496 0000",
        "Free them now.",
    ] {
        assert!(ann.contains(detail), "{detail} missing from:\n{ann}");
    }
    assert!(
        !ann.contains("2026/11/28"),
        "the timestamp is not a letter's: {ann}"
    );
    let bob = letters.iter().find(|l| l.starts_with("Bob Roe\n")).unwrap();
    assert!(bob.contains("Bradford BD1 1AA"), "{bob}");
}

#[test]
fn exports_of_each_tool_and_language_fill_the_senders_fields() {
    // (file, what the sender block must hold, in order)
    let cases: &[(&str, &[&str])] = &[
        (
            "mailchimp.csv",
            &[
                "Ann Lee",
                "12 Example Street",
                "ann.lee@example.org",
                "0113 496 0000",
            ],
        ),
        (
            "microsoft-forms.csv",
            &[
                "Ann Lee",
                "Teamsters Local 100",
                "Washington 20001",
                "ann.lee@example.org",
            ],
        ),
        (
            // Anyone could answer: Forms recorded "anonymous", the form asked the name.
            "microsoft-forms-anonymous.csv",
            &[
                "Ann Lee",
                "Teamsters Local 100",
                "Washington 20001",
                "ann.lee@example.org",
            ],
        ),
        (
            "action-network.csv",
            &[
                "Ann Lee",
                "Washington 20001",
                "United States",
                "ann.lee@example.org",
                "+1 202 555 0100",
            ],
        ),
        (
            "de-spreadsheet.csv",
            &[
                "Anna Schmidt",
                "ver.di Berlin",
                "Hauptstraße 1",
                "10115 Berlin",
                "Germany",
                "anna@example.de",
            ],
        ),
        (
            "fr-spreadsheet.csv",
            &["Anne Martin", "75001 Paris", "France", "anne@example.fr"],
        ),
        (
            "sv-spreadsheet.csv",
            &[
                "Anna Svensson",
                "111 22 Stockholm",
                "Sweden",
                "anna@example.se",
            ],
        ),
        (
            "ru-spreadsheet.csv",
            &["Анна Иванова", "Москва", "Russia", "anna@example.ru"],
        ),
    ];
    for (file, block) in cases {
        let (code, out, err) = run(protest()
            .args([
                "write",
                "mamai",
                "--to",
                "gb-london",
                "--as-of",
                "2017-05-01",
            ])
            .arg("--senders")
            .arg(fixture(&format!("exports/{file}"))));
        assert_eq!(code, 0, "{file}: {err}");
        let expected = block.join("\n") + "\n";
        assert!(out.starts_with(&expected), "{file}:\n{out}");
    }
}

#[test]
fn columns_nothing_reads_are_listed_by_a_dry_run_and_warned_about_once() {
    let csv = fixture("exports/mailchimp.csv");
    let (code, out, err) = run(protest()
        .args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--as-of",
            "2017-05-01",
            "--dry-run",
        ])
        .arg("--senders")
        .arg(&csv));
    assert_eq!(code, 0, "{err}");
    // Birthday is the member's own data no letter reads; MEMBER_RATING, OPTIN_TIME and
    // the like are Mailchimp's and not worth a word.
    assert!(
        out.starts_with("Note: no letter uses the column `Birthday`:"),
        "{out}"
    );
    assert!(
        !out.contains("MEMBER_RATING") && !err.contains("Birthday"),
        "{out}{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(write_mamai_to_london()
        .arg("--senders")
        .arg(&csv)
        .arg("--out")
        .arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert_eq!(err.matches("`Birthday`").count(), 1, "{err}");
    assert!(
        err.contains("warning: no letter uses the column `Birthday`"),
        "{err}"
    );

    // A column the file name reads is used.
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(write_mamai_to_london()
        .args(["--file-name", "{{extra.birthday}}-{{sender.name}}"])
        .arg("--senders")
        .arg(&csv)
        .arg("--out")
        .arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("Birthday"), "{err}");
}

#[test]
fn the_town_and_postcode_reach_the_sender_block_and_the_pdf_return_line() {
    let (code, out, err) = run(protest().args([
        "write",
        "mamai",
        "--to",
        "de-berlin",
        "--as-of",
        "2017-05-01",
        "--name",
        "Ann Lee",
        "--address",
        "1 High St",
        "--town",
        "Leeds",
        "--postcode",
        "LS1 4AP",
        "--from-country",
        "GB",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Ann Lee\n1 High St\nLeeds LS1 4AP\nUnited Kingdom\n"),
        "{out}"
    );

    // The town alone, without an address: still printed, once.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("letter.pdf");
    let (code, _, err) = run(write_mamai_to_london()
        .args([
            "--name", "Ann Lee", "--town", "Leeds", "--format", "pdf", "-o",
        ])
        .arg(&pdf));
    assert_eq!(code, 0, "{err}");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8(text.stdout).unwrap();
    let return_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("Ann Lee,"))
        .unwrap_or_else(|| panic!("no return line in:\n{text}"));
    assert_eq!(return_line.trim(), "Ann Lee, Leeds", "{text}");
    assert_eq!(
        text.matches("Leeds").count(),
        2,
        "return line and sender block: {text}"
    );
}

#[test]
#[cfg(unix)]
fn a_pdf_is_not_written_onto_a_terminal() {
    use expectrl::{Eof, Expect};
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_protest"));
    cmd.args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--as-of",
        "2017-05-01",
    ])
    .args(["--name", "Ann Lee", "--format", "pdf"])
    .env("XDG_CONFIG_HOME", common::no_config_dir());
    let mut session = expectrl::Session::spawn(cmd).expect("protest starts in a pseudo-terminal");
    session.set_expect_timeout(Some(std::time::Duration::from_secs(10)));
    let found = session
        .expect("error: PDF is binary; use -o FILE or redirect")
        .expect("the refusal is said");
    assert!(!String::from_utf8_lossy(found.before()).contains("%PDF"));
    let rest = session.expect(Eof).expect("protest ends");
    assert!(!String::from_utf8_lossy(rest.as_bytes()).contains("%PDF"));
    let status = session.get_process().wait().unwrap();
    assert_eq!(
        status,
        expectrl::process::unix::WaitStatus::Exited(session.get_process().pid(), 2)
    );

    // Redirected, the same command writes the PDF.
    let output = write_mamai_to_london()
        .args(["--name", "Ann Lee", "--format", "pdf"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(output.stdout.starts_with(b"%PDF-"));
}

#[test]
fn all_without_out_is_refused_before_any_warning() {
    let (code, out, err) = run(protest().args([
        "write",
        "mamai",
        "--all",
        "--name",
        "Ann Lee",
        "--as-of",
        "2017-05-01",
    ]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains("letters need a directory: pass --out DIR"),
        "{err}"
    );
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn quiet_silences_warnings_notes_and_summaries_but_not_errors() {
    let config = with_profile(PROFILE);
    let dir = tempfile::tempdir().unwrap();
    let loud = |quiet: bool| {
        let mut cmd = protest();
        cmd.env("XDG_CONFIG_HOME", config.path())
            .args(["write", "mamai", "--all", "--as-of", "2017-05-01", "--out"])
            .arg(dir.path())
            .arg("--force");
        if quiet {
            cmd.arg("-q");
        }
        run(&mut cmd)
    };
    let (code, _, err) = loud(false);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: ") && err.contains("saved details"),
        "{err}"
    );
    assert!(err.contains(" letters in "), "{err}");
    let (code, _, err) = loud(true);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");

    // Errors are still said.
    let (code, _, err) = run(protest().args(["-q", "write", "nosuch", "--name", "A"]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: no letter with id `nosuch`"),
        "{err}"
    );
}

#[test]
fn ids_of_letters_and_missions_are_found_in_any_case() {
    let lower = run(protest().args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--name",
        "Ann Lee",
        "--as-of",
        "2017-05-01",
    ]));
    assert_eq!(lower.0, 0, "{}", lower.2);
    for (letter, mission) in [("Mamai", "GB-LONDON"), ("MAMAI", "Gb-London")] {
        let (code, out, err) = run(protest().args([
            "write",
            letter,
            "--to",
            mission,
            "--name",
            "Ann Lee",
            "--as-of",
            "2017-05-01",
        ]));
        assert_eq!(code, 0, "{letter} {mission}: {err}");
        assert_eq!(out, lower.1);
    }
    let (code, out, _) = run(protest().args(["embassies", "show", "GB-London"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("gb-london: "), "{out}");
    let (code, out, _) = run(protest().args(["letters", "show", "MAMAI"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("mamai: "), "{out}");
}

#[test]
fn tables_keep_a_gap_between_columns_and_counts_agree_with_their_nouns() {
    let (code, out, _) = run(protest().args(["embassies"]));
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().take_while(|l| !l.is_empty()).collect();
    let header = lines[0];
    let columns = [
        "KIND",
        "CITY",
        "COUNTRY",
        "ADDRESS",
        "EMAIL",
        "VERIFIED",
        "CONFIDENCE",
    ];
    let starts: Vec<usize> = columns.iter().map(|c| header.find(c).unwrap()).collect();
    for line in &lines[1..] {
        let chars: Vec<char> = line.chars().collect();
        for (column, start) in columns.iter().zip(&starts) {
            // Every mission's cell starts where its heading does, after a gap.
            assert_eq!(chars[start - 1], ' ', "{column} in {line}");
            assert_eq!(chars[start - 2], ' ', "{column} in {line}");
            assert_ne!(chars[*start], ' ', "{column} in {line}");
        }
    }
    assert!(out.contains("Frankfurt am Main  Germany"), "{out}");

    let (code, out, _) = run(protest().args(["embassies", "--country", "GB"]));
    assert_eq!(code, 0);
    assert!(out.contains("\n1 mission; "), "{out}");
}

#[test]
fn help_texts_show_quotes_without_backslashes() {
    let commands: &[&[&str]] = &[
        &[],
        &["write"],
        &["letters"],
        &["embassies"],
        &["check"],
        &["completions"],
        &["profile"],
        &["man"],
    ];
    for command in commands {
        let (code, out, err) = run(protest().args(*command).arg("--help"));
        assert_eq!(code, 0, "{command:?}: {err}");
        assert!(!out.contains('\\'), "{command:?}:\n{out}");
    }
    let (_, out, _) = run(protest().args(["write", "--help"]));
    assert!(out.contains("(\"United Kingdom\")"), "{out}");
}

#[test]
fn a_mailto_link_is_warned_about_only_beyond_what_mail_clients_take() {
    let link = |personal: &str| {
        run(protest().args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--name",
            "Ann Lee",
            "--as-of",
            "2017-05-01",
            "--format",
            "mailto",
            "--personal",
            personal,
        ]))
    };
    let (code, out, err) = link("Free him.");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.len() > 2_000,
        "a shipped letter is longer than the old limit"
    );
    assert!(!err.contains("warning"), "{err}");

    // Cyrillic takes six characters a letter in a link.
    let (code, out, err) = link(&"ж".repeat(6_000));
    assert_eq!(code, 0, "{err}");
    assert!(out.len() > 31_000);
    assert!(
        err.contains("warning: 1 mailto link is longer than 31000 characters"),
        "{err}"
    );
}

/// What `shell` completes for the command line `words` (the last one being
/// typed), asked of the binary the way the shell's script asks it.
fn complete(shell: &str, words: &[&str], cwd: &Path) -> Vec<String> {
    let mut cmd = protest();
    cmd.current_dir(cwd)
        .env("PROTEST_COMPLETE", shell)
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .arg("--")
        .args(words);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    out.lines()
        // fish: value TAB help; zsh: value:help.
        .map(|l| l.split(['\t', ':']).next().unwrap().to_string())
        // An empty word is offered the options too.
        .filter(|v| !v.is_empty() && !v.starts_with('-'))
        .collect()
}

fn ids(listing: &[&str]) -> Vec<String> {
    let (code, out, _) = run(protest().args(listing).arg("--json"));
    assert_eq!(code, 0);
    let all: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (list, id) = match listing[0] {
        "letters" => ("letters", "letter"),
        _ => ("missions", "mission"),
    };
    // Only what may be written today is offered.
    let mut ids: Vec<String> = all[list]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["current"].as_bool() != Some(false))
        .map(|v| v[id].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn completion_offers_letter_ids_mission_ids_and_files_only_where_files_go() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("members.csv"), "name\nAnn\n").unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    let letters = ids(&["letters"]);
    let missions = ids(&["embassies"]);
    for shell in ["zsh", "fish"] {
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let got = sorted(complete(shell, &["protest", "write", ""], dir.path()));
        assert_eq!(got, letters, "{shell}");
        let got = complete(shell, &["protest", "write", "mam"], dir.path());
        assert!(
            !got.is_empty() && got.iter().all(|id| id.starts_with("mam")),
            "{got:?}"
        );
        let got = sorted(complete(
            shell,
            &["protest", "write", "mamai", "--to", ""],
            dir.path(),
        ));
        assert_eq!(got, missions, "{shell}");
        let got = complete(shell, &["protest", "embassies", "show", "gb-l"], dir.path());
        assert_eq!(got, ["gb-london"], "{shell}");
        // Files where a file goes, directories where a directory goes, nothing for a name.
        let got = sorted(complete(
            shell,
            &["protest", "write", "x", "--senders", ""],
            dir.path(),
        ));
        assert!(got.contains(&"members.csv".to_string()), "{shell}: {got:?}");
        let got = complete(shell, &["protest", "write", "x", "--out", "d"], dir.path());
        assert_eq!(got, ["drafts/"], "{shell}");
        let got = complete(shell, &["protest", "write", "x", "--name", ""], dir.path());
        assert!(got.is_empty(), "{shell}: {got:?}");
    }
    // Each script asks protest itself.
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = run(protest().args(["completions", shell]));
        assert_eq!(code, 0);
        assert!(
            out.contains(&format!("PROTEST_COMPLETE=\"{shell}\""))
                || out.contains(&format!("PROTEST_COMPLETE={shell}")),
            "{shell}:\n{out}"
        );
    }
}

#[test]
fn bash_completes_letter_and_mission_ids_through_the_script() {
    // A letter's id but its last character: that letter, and it alone.
    let letter = ids(&["letters"]).remove(0);
    let bin = Path::new(env!("CARGO_BIN_EXE_protest")).parent().unwrap();
    let script = format!(
        r#"set -e
PATH="{bin}:$PATH"
source <(protest completions bash)
complete -p protest
COMP_WORDS=(protest write {typed}); COMP_CWORD=2; COMP_TYPE=9
_clap_complete_protest protest {typed} write
echo "letters: ${{COMPREPLY[*]}}"
COMP_WORDS=(protest write mamai --to gb-lo); COMP_CWORD=4
_clap_complete_protest protest gb-lo --to
echo "missions: ${{COMPREPLY[*]}}"
"#,
        bin = bin.display(),
        typed = &letter[..letter.len() - 1],
    );
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("XDG_CONFIG_HOME", common::no_config_dir())
        .output()
        .expect("bash runs");
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out.contains("-F _clap_complete_protest protest"), "{out}");
    assert!(out.contains(&format!("\nletters: {letter}\n")), "{out}");
    assert!(out.contains("\nmissions: gb-london\n"), "{out}");
}

#[test]
fn the_version_says_how_current_the_data_is() {
    let (code, out, _) = run(protest().arg("--version"));
    assert_eq!(code, 0);
    // The newest verification in the directory, or a prisoner's newer news.
    let directory = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns/kazakhstan/embassies.toml"),
    )
    .unwrap();
    let newest = directory
        .lines()
        .filter_map(|l| l.strip_prefix("verified = \""))
        .map(|l| l.trim_end_matches('"'))
        .max()
        .unwrap();
    let date = out
        .trim()
        .strip_prefix(&format!(
            "protest {} (data as of ",
            env!("CARGO_PKG_VERSION")
        ))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(date >= newest, "{date} < {newest}");
    assert_eq!(date.len(), 10, "{date}");
}

#[test]
fn man_prints_a_page_and_writes_one_per_subcommand() {
    let (code, out, _) = run(protest().arg("man"));
    assert_eq!(code, 0);
    assert!(
        out.starts_with(".ie \\n(.g .ds Aq") || out.contains(".TH protest 1"),
        "{out}"
    );
    assert!(out.contains(".TH protest 1"), "{out}");
    // The same definitions as --help: every subcommand and a write option are there.
    for word in ["write", "letters", "embassies", "completions", "man"] {
        assert!(out.contains(word), "{word}");
    }
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(protest().arg("man").arg("--dir").arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    for page in [
        "protest.1",
        "protest-write.1",
        "protest-letters.1",
        "protest-letters-show.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page))
            .unwrap_or_else(|_| panic!("{page} missing: {err}"));
        assert!(text.contains(".TH "), "{page}");
    }
    let write = std::fs::read_to_string(dir.path().join("protest-write.1")).unwrap();
    assert!(write.contains("no\\-profile"), "{write}");
    // man itself reads it, when installed.
    if let Ok(output) = std::process::Command::new("man")
        .arg("-l")
        .arg(dir.path().join("protest-write.1"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
    {
        if output.status.success() {
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(text.contains("--no-profile"), "{text}");
        }
    }
}
