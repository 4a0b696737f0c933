//! Campaigns: the state a letter goes to is data. The Kazakhstan letters come
//! out byte for byte as they did when the state was in the code; the second
//! campaign (examples/campaigns/hong-kong) writes its letters as text, PDF and
//! draft, and is refused and warned as the first is; the help speaks of the
//! campaign's state, and the code names none. Choosing a campaign is
//! tests/campaign_choice.rs.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use mail_parser::MessageParser;
use sha2::{Digest, Sha256};

use common::campaign::{hong_kong, hong_kong_with, on_the_day, pdftotext, words, RELEASED};
use common::{example_sender, fixture, protest, run};

/// The folder of the built-in campaign in the source tree.
const KAZAKHSTAN: &str = "campaigns/kazakhstan";

/// Whether this run writes the expected outputs instead of comparing them:
/// after a change meant to alter the letters, reviewed line by line.
fn blessing() -> bool {
    std::env::var_os("PROTEST_BLESS").is_some()
}

// --- The Kazakhstan letters, byte for byte ---------------------------------

/// Every word of the state the program puts around a letter (addressee,
/// office, copy line, greeting, a draft's To and Cc), in English and Russian,
/// to a mission of every kind and every form of head: the test's own letter
/// and missions over the built-in campaign, so that it holds whatever the
/// shipped letters and directory say. The expected files were written by the
/// program before the state moved into campaign.toml, and written again when
/// the address block took the no-break spaces of the body («Т.\u{a0}Послу»).
#[test]
fn the_state_s_words_around_a_letter_are_what_they_were_before_campaigns() {
    let frame = fixture("campaigns/frame");
    let expected = frame.join("expected");
    let missions = [
        "xx-no-head",
        "xx-woman",
        "xx-charge",
        "xx-consul-general",
        "xx-consulate",
        "xx-moscow",
        "xx-un",
        "zz-president",
    ];
    let mut cases: Vec<(String, Vec<String>)> = Vec::new();
    for lang in ["en", "ru"] {
        for mission in missions {
            let args = ["--lang", lang, "--to", mission];
            cases.push((format!("{lang}-{mission}.txt"), owned(&args)));
        }
        let copy = [
            "--lang",
            lang,
            "--to",
            "zz-president",
            "--from-country",
            "LU",
        ];
        let mut cc = owned(&copy);
        cc.push("--cc-embassy".into());
        cases.push((format!("{lang}-cc.txt"), cc.clone()));
        cc.extend(owned(&["--format", "eml"]));
        cases.push((format!("{lang}-cc.eml"), cc));
    }
    let mut differ = Vec::new();
    for (name, args) in &cases {
        let output = on_the_day()
            .args(["write", "frame", "--sender"])
            .arg(example_sender())
            .arg("--letters")
            .arg(frame.join("letters"))
            .arg("--embassies")
            .arg(frame.join("missions.toml"))
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{name}: {output:?}");
        let path = expected.join(name);
        if blessing() {
            fs::create_dir_all(&expected).unwrap();
            fs::write(&path, &output.stdout).unwrap();
            continue;
        }
        let before = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if before != output.stdout {
            differ.push(first_difference(name, &before, &output.stdout));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    assert_eq!(cases.len(), 20);
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// The first line where two outputs part, for a failure message.
fn first_difference(name: &str, before: &[u8], now: &[u8]) -> String {
    let (before, now) = (
        String::from_utf8_lossy(before),
        String::from_utf8_lossy(now),
    );
    let mut lines = before.lines().zip(now.lines()).enumerate();
    match lines.find(|(_, (a, b))| a != b) {
        Some((n, (a, b))) => format!("{name}:{}: was {a:?}, is {b:?}", n + 1),
        None => format!("{name}: the same lines, but not the same bytes (length or line ends)"),
    }
}

/// The shipped letters themselves, in both languages, to missions of each
/// kind, as text, PDF and draft, and the listings: their SHA-256 as the
/// program wrote them before campaigns. A change to the shipped data changes
/// the letters on purpose, so the sample says which data it was taken from,
/// and is not compared once that data has changed (the frame test above
/// still holds the campaign's words).
#[test]
fn a_sample_of_the_shipped_letters_is_byte_identical_to_before_campaigns() {
    let record = fixture("campaigns/kazakhstan-sample.sha256");
    let stamp = data_stamp();
    let mut lines = Vec::new();
    for (name, args) in sample() {
        let output = on_the_day().args(&args).output().unwrap();
        let mut hash = Sha256::new();
        hash.update(format!("{}\n", output.status.code().unwrap_or(-1)));
        hash.update(&output.stdout);
        lines.push(format!("{:x} {name}", hash.finalize()));
    }
    if blessing() {
        let text = format!(
            "# tests/campaigns.rs: SHA-256 of the exit code and output of each sample run, on \
             2026-12-06.\n# Rewritten by PROTEST_BLESS=1 cargo test --test campaigns.\ndata {stamp}\n{}\n",
            lines.join("\n")
        );
        fs::write(&record, text).unwrap();
        return;
    }
    let text = fs::read_to_string(&record).unwrap();
    let taken_from = text
        .lines()
        .find_map(|l| l.strip_prefix("data "))
        .expect("the sample names its data");
    if taken_from != stamp {
        eprintln!(
            "note: the shipped data has changed since the sample was taken; it is not compared \
             (PROTEST_BLESS=1 takes it again)"
        );
        return;
    }
    let before: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("data "))
        .collect();
    assert_eq!(before.len(), lines.len(), "the sample's runs changed");
    let differ: Vec<String> = before
        .iter()
        .zip(&lines)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("was {a}\n is {b}"))
        .collect();
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// The runs of the sample, each with its name.
fn sample() -> Vec<(String, Vec<String>)> {
    let sender = example_sender().display().to_string();
    let mut runs = Vec::new();
    let letters = [
        ("mukhammedkarim", "en"),
        ("mukhammedkarim", "ru"),
        ("political-prisoners-2026", "en"),
        ("political-prisoners-2026", "ru"),
        ("zhanaozen", "en"),
    ];
    for (letter, lang) in letters {
        for mission in [
            "gb-london",
            "us-san-francisco",
            "ru-moscow",
            "un-geneva",
            "kz-president",
        ] {
            for format in ["text", "eml", "pdf"] {
                let args = [
                    "write", letter, "--lang", lang, "--to", mission, "--sender", &sender,
                    "--format", format,
                ];
                runs.push((format!("{letter}.{lang} {mission} {format}"), owned(&args)));
            }
        }
        let args = [
            "write",
            letter,
            "--lang",
            lang,
            "--to",
            "kz-president",
            "--sender",
            &sender,
            "--cc-embassy",
        ];
        runs.push((format!("{letter}.{lang} kz-president cc"), owned(&args)));
    }
    for listing in [
        "letters --json",
        "letters --archived --json",
        "letters prisoners --json",
        "embassies",
        "embassies --json",
        "embassies show kz-president",
    ] {
        let args: Vec<String> = listing.split(' ').map(str::to_string).collect();
        runs.push((listing.to_string(), args));
    }
    runs
}

/// The SHA-256 of the built-in campaign's files and the countries: what the sample was made from.
fn data_stamp() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let campaign = root.join(KAZAKHSTAN);
    let mut files = vec![
        campaign.join("campaign.toml"),
        campaign.join("embassies.toml"),
        campaign.join("letters/prisoners.toml"),
        root.join("data/countries.toml"),
    ];
    let mut letters: Vec<PathBuf> = fs::read_dir(campaign.join("letters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hbs"))
        .collect();
    letters.sort();
    files.extend(letters);
    let mut hash = Sha256::new();
    for file in files {
        hash.update(fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())));
    }
    format!("{:x}", hash.finalize())
}

// --- The second campaign ----------------------------------------------------

/// A letter of the second campaign, as text, PDF and draft: addressed to
/// China's embassy in the state's own words, from its own directory.
#[test]
fn the_second_campaign_writes_a_letter_a_pdf_and_a_draft() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |format: &str, out: &str| {
        let (code, _, err) = run(on_the_day()
            .arg("--campaign")
            .arg(hong_kong())
            .args([
                "write",
                "lee-cheuk-yan",
                "--to",
                "us-washington",
                "--sender",
            ])
            .arg(example_sender())
            .args(["--format", format, "-o"])
            .arg(tmp.path().join(out)));
        assert_eq!(code, 0, "{format}: {err}");
        err
    };
    let addressee = [
        "H.E. Xie Feng",
        "Ambassador of the People's Republic of China",
        "Embassy of the People's Republic of China",
        "3505 International Place NW",
        "Washington, DC 20008",
        "UNITED STATES",
    ];
    // Nothing about this letter is stale on the day: no warning.
    assert_eq!(write("text", "letter.txt"), "");
    let text = fs::read_to_string(tmp.path().join("letter.txt")).unwrap();
    assert!(
        // The initials keep their no-break space ("H.E.\u{a0}Xie Feng").
        text.replace("H.E.\u{a0}", "H.E. ")
            .contains(&format!("\n\n{}\n\n", addressee.join("\n"))),
        "{text}"
    );
    assert!(text.contains("\n\nRelease of the trade unionist Lee Cheuk-yan\n\nYour Excellency,\n"));
    for sentence in [
        "the release of the trade unionist Lee Cheuk-yan, the former general secretary of the Hong Kong Confederation of Trade Unions",
        "His trial opened on 22 January 2026. He pleaded not guilty.",
        "- Release Lee Cheuk-yan immediately and unconditionally, and drop the charge",
        "Yours sincerely,",
    ] {
        assert!(words(&text).contains(sentence), "{sentence:?} not in:\n{text}");
    }
    assert!(!text.to_lowercase().contains("kazakh"), "{text}");

    write("pdf", "letter.pdf");
    let pdf = pdftotext(&tmp.path().join("letter.pdf"));
    for line in addressee {
        assert!(pdf.contains(line), "{line:?} not in the PDF:\n{pdf}");
    }
    assert!(
        pdf.contains("Release of the trade unionist Lee Cheuk-yan"),
        "{pdf}"
    );

    write("eml", "letter.eml");
    let eml = fs::read(tmp.path().join("letter.eml")).unwrap();
    let message = MessageParser::default()
        .parse(&eml)
        .expect("the draft parses");
    let to = message.to().unwrap().first().unwrap();
    assert_eq!(to.address(), Some("chinaemppress_us@mfa.gov.cn"));
    assert_eq!(to.name(), Some("H.E. Xie Feng"));
    assert_eq!(
        message.subject(),
        Some("Release of the trade unionist Lee Cheuk-yan")
    );
    let body = message.body_text(0).unwrap();
    assert!(
        words(&body).contains("His trial opened on 22 January 2026."),
        "{body}"
    );
}

/// A letter of the second campaign whose ask no longer fits the facts is
/// refused as the first campaign's are: in every mode, before anything is
/// written, with the person's event and source, and listed as archived.
#[test]
fn the_second_campaign_refuses_a_letter_that_no_longer_fits_in_every_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let campaign = hong_kong_with(tmp.path(), RELEASED);
    let csv = tmp.path().join("members.csv");
    fs::write(&csv, "name,email,country\nAnn Lee,ann@example.org,GB\n").unwrap();
    let out = tmp.path().join("out");
    let modes: [&[&str]; 6] = [
        &["--to", "gb-london", "--name", "A"],
        &[
            "--to",
            "gb-london",
            "--name",
            "A",
            "--format",
            "pdf",
            "-o",
            "x.pdf",
        ],
        &[
            "--all",
            "--name",
            "A",
            "--email",
            "a@example.org",
            "--format",
            "eml",
            "--out",
            "out",
        ],
        &["--country", "Japan", "--name", "A", "--json"],
        &[
            "--to",
            "us-washington",
            "--senders",
            "members.csv",
            "--out",
            "out",
        ],
        &["--to", "gb-london", "--name", "A", "--force", "-o", "y.txt"],
    ];
    for mode in modes {
        let (code, stdout, err) = run(on_the_day()
            .current_dir(tmp.path())
            .arg("--campaign")
            .arg(&campaign)
            .args(["write", "lee-cheuk-yan"])
            .args(mode));
        assert_eq!(code, 65, "{mode:?}: {err}");
        assert_eq!(stdout, "", "{mode:?}");
        assert!(
            err.starts_with(
                "error: letter `lee-cheuk-yan` asks for the release of Lee Cheuk-yan, who was \
                 released on 2026-03-02 (released: released on bail (a test's event); source: a test)\n"
            ),
            "{mode:?}: {err}"
        );
        assert!(
            err.contains("--as-of 2026-02-03 writes its historical text"),
            "{err}"
        );
    }
    let left: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(!out.exists() && left.len() == 2, "written: {left:?}");

    let (code, listed, _) = run(on_the_day()
        .arg("--campaign")
        .arg(&campaign)
        .args(["letters", "--archived"]));
    assert_eq!(code, 0);
    assert!(
        listed.contains(
            "archived: asks for the release of Lee Cheuk-yan, who was released on 2026-03-02"
        ),
        "{listed}"
    );
    // Its historical text, dated a day it was current, is still there for the record.
    let (code, text, err) = run(on_the_day().arg("--campaign").arg(&campaign).args([
        "write",
        "lee-cheuk-yan",
        "--as-of",
        "2026-02-03",
        "--to",
        "gb-london",
        "--name",
        "A",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(words(&text).contains(" 3 February 2026 "), "{text}");
    // And the other letter of the campaign is untouched.
    let (code, _, err) = run(on_the_day().arg("--campaign").arg(&campaign).args([
        "write",
        "lai",
        "--to",
        "gb-london",
        "--name",
        "A",
    ]));
    assert_eq!(code, 0, "{err}");
}

/// The news of a person more than a year older than the letter: a warning
/// before the letter is written, as for the first campaign, and in `check`.
#[test]
fn the_second_campaign_warns_when_a_person_s_news_is_over_a_year_old() {
    let write_on = |day: &str| {
        run(on_the_day().arg("--campaign").arg(hong_kong()).args([
            "write",
            "lai",
            "--to",
            "de-berlin",
            "--name",
            "A",
            "--date",
            day,
        ]))
    };
    let (code, _, err) = write_on("2026-12-06");
    assert_eq!((code, err.as_str()), (0, ""));
    let (code, text, err) = write_on("2027-06-01");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "warning: Jimmy Lai: last reported 2026-02-09 (sentenced); check before sending\n"
    );
    assert!(words(&text).contains(" 1 June 2027 "), "{text}");

    let (code, _, err) = run(protest()
        .env("SOURCE_DATE_EPOCH", "1811894400") // 2027-06-02
        .arg("check")
        .arg("--campaign")
        .arg(hong_kong()));
    assert_eq!(code, 0, "{err}");
    let root = hong_kong().display().to_string();
    assert!(
        err.contains(&format!(
            "warning: {root}/letters/prisoners.toml:7: Jimmy Lai: last reported 2026-02-09 (sentenced); check before sending\n"
        )),
        "{err}"
    );
}

/// Ids are the campaign's: a letter or mission of one is unknown to the other.
#[test]
fn letter_and_mission_ids_belong_to_their_campaign() {
    let cases: [(&[&str], &str); 3] = [
        (
            &["write", "mukhammedkarim", "--to", "gb-london", "--name", "A"],
            "error: no letter with id `mukhammedkarim`\n  help: `protest letters` lists them\n",
        ),
        (
            &["write", "lai", "--to", "kz-president", "--name", "A"],
            "error: no mission with id `kz-president`\n  help: `protest embassies` lists them\n",
        ),
        (
            &["write", "lai", "--country", "France", "--name", "A"],
            "error: the directory has no mission of China in or accredited to France\n  help: `protest embassies` lists every mission; pick one with --to ID\n",
        ),
    ];
    for (args, message) in cases {
        let (code, _, err) = run(on_the_day().arg("--campaign").arg(hong_kong()).args(args));
        assert_eq!((code, err.as_str()), (2, message), "{args:?}");
    }
    // The same id, two missions: each campaign's own.
    let show = |campaign: Option<&Path>| {
        let mut cmd = on_the_day();
        if let Some(dir) = campaign {
            cmd.arg("--campaign").arg(dir);
        }
        run(cmd.args(["embassies", "show", "gb-london"])).1
    };
    assert!(show(None).starts_with("gb-london: Embassy of the Republic of Kazakhstan, London\n"));
    assert!(show(Some(&hong_kong()))
        .starts_with("gb-london: Embassy of the People's Republic of China, London\n"));
}

// --- No state in the code ----------------------------------------------------

/// The help and the messages speak of the state of the campaign in force.
#[test]
fn the_help_names_the_state_of_the_campaign_in_force() {
    let help = |campaign: Option<&Path>, args: &[&str]| {
        let mut cmd = protest();
        if let Some(dir) = campaign {
            cmd.arg("--campaign").arg(dir);
        }
        let (code, out, err) = run(cmd.args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        words(&out)
    };
    let hk = Some(hong_kong());
    for (campaign, state, privacy) in [
        (None, "Kazakhstan", "safer if you have ties to Kazakhstan"),
        (
            hk.as_deref(),
            "China",
            "safer if you or your family have ties to Hong Kong or mainland China",
        ),
    ] {
        let top = help(campaign, &["--help"]);
        assert!(top.starts_with(&format!(
            "Write protest letters to the embassies of {state} for the release of political prisoners."
        )), "{top}");
        assert!(
            top.contains(&format!("the directory of the missions of {state} abroad")),
            "{top}"
        );
        let embassies = help(campaign, &["embassies", "--help"]);
        assert!(embassies.starts_with(&format!("List the missions of {state} in the directory")));
        let write = help(campaign, &["write", "--help"]);
        assert!(write.contains(&format!("Write to the mission of {state} in this country")));
        assert!(write.contains(&format!("for letters to authorities in {state}")));
        let profile = help(campaign, &["profile", "--help"]);
        assert!(profile.contains(&format!("Signing with initials and town only ({privacy})")));
        for text in [top, embassies, write, profile] {
            assert!(
                !text.contains("{state}") && !text.contains("{privacy}"),
                "{text}"
            );
        }
    }
    // Where no campaign can be read, the help is still there, in general words.
    let broken = help(Some(Path::new("/nonexistent")), &["embassies", "--help"]);
    assert!(broken.starts_with("List the missions of the campaign's state in the directory"));
    // A listing's count of authorities is the state's too.
    let (_, out, _) = run(protest().args(["embassies"]));
    assert!(
        out.contains(" and 1 authority in Kazakhstan (kind authority);"),
        "{out}"
    );
}

/// `grep -ri kazakh src/` finds only tests and comments: the state is the
/// campaign's data. (Test modules come last in a file; a comment is `//` on.)
#[test]
fn no_state_is_named_in_the_program_s_code() {
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for (n, line) in code.lines().enumerate() {
                let line = line.split("//").next().unwrap();
                if line.to_lowercase().contains("kazakh") {
                    found.push(format!("{}:{}: {line}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the state named in code:\n{}",
        found.join("\n")
    );
}
