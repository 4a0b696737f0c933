//! A campaign's own data going wrong: a campaign.toml cut short or broken,
//! an [[authority]] that lacks a field or takes a mission's id, a campaign
//! with no letters, campaigns listed in config.toml that cannot be read,
//! `check --json` and `campaigns --json` when nothing can be loaded, and a
//! batch continued after the campaign's words changed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use common::campaign::{config_dir, hong_kong, on_the_day};
use common::{copy_dir, run};

/// The folder of the built-in campaign in the source tree.
fn kazakhstan() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns/kazakhstan")
}

/// A copy of `from` in `root/name`, its campaign.toml as `edit` makes it.
fn campaign_copy(root: &Path, name: &str, from: &Path, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = root.join(name);
    copy_dir(from, &dir);
    let file = dir.join("campaign.toml");
    let text = fs::read_to_string(&file).unwrap();
    let edited = edit(&text);
    fs::write(&file, edited).unwrap();
    dir
}

/// `text` with `from` replaced once by `to`, which must be in it.
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is in the file");
    text.replacen(from, to, 1)
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|err| panic!("{err}: {out:?}"))
}

// --- A campaign.toml cut short ----------------------------------------------------

/// What a half-saved or half-synced campaign.toml looks like: empty, only
/// a byte-order mark, or a last line unfinished. Every command that reads
/// it says so on its line, as bad data, and none panics.
#[test]
fn a_cut_short_campaign_file_is_bad_data_on_its_line_for_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 5] = [
        ("", "1: missing field `name`"),
        ("\u{feff}", "1: missing field `name`"),
        ("name = \"c\"\nstate", "2: key with no value, expected `=`"),
        (
            "[",
            "1: unquoted keys cannot be empty, expected letters, numbers, `-`, `_`",
        ),
        ("state = \"x", "1: invalid basic string, expected `\"`"),
    ];
    for (n, (text, message)) in cases.iter().enumerate() {
        let dir = campaign_copy(tmp.path(), &format!("c{n}"), &hong_kong(), |_| {
            text.to_string()
        });
        let expected = format!("error: {}/campaign.toml:{message}", dir.display());
        for command in [
            &["letters"][..],
            &["embassies"],
            &["check"],
            &["write", "lai", "--to", "gb-london", "--name", "A"],
        ] {
            let (code, out, err) = run(on_the_day().args(command).arg("--campaign").arg(&dir));
            assert_eq!(
                (code, out.as_str()),
                (65, ""),
                "{command:?} {text:?}: {err}"
            );
            assert_eq!(err.lines().next(), Some(expected.as_str()), "{command:?}");
        }
    }
}

/// Every cut of the shipped campaign.toml, at the end of each line and in
/// the middle of each (a byte, which may split a letter in two): bad data
/// with the file and a line the cut file has, or read; never a panic.
#[test]
fn every_cut_of_the_shipped_campaign_file_is_refused_on_a_line_or_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kz");
    copy_dir(&kazakhstan(), &dir);
    let whole = fs::read(dir.join("campaign.toml")).unwrap();
    let mut cuts = vec![0];
    let mut start = 0;
    for (at, _) in whole.iter().enumerate().filter(|(_, &b)| b == b'\n') {
        cuts.extend([(start + at) / 2, at, at + 1]);
        start = at + 1;
    }
    let file = dir.join("campaign.toml");
    let shown = format!("error: {}:", file.display());
    for cut in cuts {
        let prefix = &whole[..cut];
        fs::write(&file, prefix).unwrap();
        let (code, _, err) = run(on_the_day().arg("letters").arg("--campaign").arg(&dir));
        if code == 0 {
            continue;
        }
        assert_eq!(code, 65, "cut at {cut}: {err}");
        let lines = prefix.split(|&b| b == b'\n').count();
        let line: Option<usize> = err
            .lines()
            .next()
            .and_then(|first| first.strip_prefix(&shown))
            .and_then(|rest| rest.split_once(':'))
            .and_then(|(line, _)| line.parse().ok());
        assert!(
            line.is_some_and(|line| (1..=lines).contains(&line)),
            "cut at {cut}: no line of the file in {err}"
        );
    }
}

// --- [[authority]] entries ------------------------------------------------------------

const AUTHORITY: &str = "
[[authority]]
id = \"cn-one\"
country = \"CN\"
city = \"Beijing\"
name = \"First\"
address = [\"a\"]
source = \"s\"
verified = \"2025-01-01\"
confidence = \"low\"
";

/// A field missing from the second entry, or an empty last entry, is told
/// at the line of the entry that lacks it.
#[test]
fn a_field_an_authority_lacks_is_told_at_its_own_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let second = AUTHORITY
        .replace("cn-one", "cn-two")
        .replace("name = \"First\"\n", "");
    let cases = [
        (format!("{AUTHORITY}{second}"), "missing field `name`"),
        (
            format!("{AUTHORITY}\n[[authority]]\n"),
            "missing field `id`",
        ),
    ];
    for (n, (added, message)) in cases.iter().enumerate() {
        let dir = campaign_copy(tmp.path(), &format!("c{n}"), &hong_kong(), |text| {
            format!("{text}{added}")
        });
        let text = fs::read_to_string(dir.join("campaign.toml")).unwrap();
        let line = text[..text.rfind("[[authority]]").unwrap()].lines().count() + 1;
        let (code, _, err) = run(on_the_day().arg("check").arg("--campaign").arg(&dir));
        assert_eq!(code, 65, "{err}");
        assert_eq!(
            err.lines().next().unwrap(),
            format!("error: {}/campaign.toml:{line}: {message}", dir.display())
        );
    }
}

/// An authority with a mission's id would be hidden by the mission (or
/// hide it): refused at load and by `check`, naming both places.
#[test]
fn an_authority_with_a_mission_s_id_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = campaign_copy(tmp.path(), "c", &hong_kong(), |text| {
        format!("{text}{}", AUTHORITY.replace("cn-one", "gb-london"))
    });
    let campaign = fs::read_to_string(dir.join("campaign.toml")).unwrap();
    let embassies = fs::read_to_string(dir.join("embassies.toml")).unwrap();
    let line_of = |text: &str, needle: &str| text[..text.find(needle).unwrap()].lines().count() + 1;
    let expected = format!(
        "{root}/campaign.toml:{}: id `gb-london` is used twice: by this [[authority]] and by a \
         mission in {root}/embassies.toml:{}",
        line_of(&campaign, "id = \"gb-london\""),
        line_of(&embassies, "id = \"gb-london\""),
        root = dir.display()
    );
    for command in [
        &["check"][..],
        &["letters"],
        &["embassies", "show", "gb-london"],
    ] {
        let (code, out, err) = run(on_the_day().args(command).arg("--campaign").arg(&dir));
        assert_eq!((code, out.as_str()), (65, ""), "{command:?}: {err}");
        assert_eq!(err.lines().next().unwrap(), format!("error: {expected}"));
        assert!(err.lines().nth(1).unwrap().starts_with("  help: "), "{err}");
    }
    let (code, out, _) = run(on_the_day()
        .args(["check", "--json", "--campaign"])
        .arg(&dir));
    assert_eq!(code, 65);
    let doc = json(&out);
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["errors"], serde_json::json!([expected]));

    // The same in a data folder of the campaign: its campaign.toml and embassies.toml.
    let data = tmp.path().join("data");
    fs::create_dir(&data).unwrap();
    fs::write(data.join("campaign.toml"), &campaign).unwrap();
    let (code, _, err) = run(on_the_day()
        .env("PROTEST_DATA", &data)
        .arg("letters")
        .arg("--campaign")
        .arg(hong_kong()));
    assert_eq!(
        code, 0,
        "an authority over another folder's mission is an update: {err}"
    );
    fs::write(data.join("embassies.toml"), &embassies).unwrap();
    let (code, _, err) = run(on_the_day()
        .env("PROTEST_DATA", &data)
        .arg("letters")
        .arg("--campaign")
        .arg(hong_kong()));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: {}/campaign.toml:{}: id `gb-london` is used twice",
            data.display(),
            line_of(&campaign, "id = \"gb-london\"")
        )),
        "{err}"
    );
}

// --- check --json and campaigns --json when nothing can be loaded --------------------

/// `check --json` prints its document, `ok: false` with the one error, for
/// whatever stops the data loading: campaign.toml, a template, a
/// directory file; and exits as the error says.
#[test]
fn check_json_prints_its_document_when_the_data_cannot_be_loaded() {
    let tmp = tempfile::tempdir().unwrap();
    let short = campaign_copy(tmp.path(), "short", &hong_kong(), |_| {
        "name = \"short\"\n".into()
    });
    let letters = tmp.path().join("letters");
    fs::create_dir(&letters).unwrap();
    fs::write(letters.join("x.hbs"), "x").unwrap();
    let embassies = tmp.path().join("e.toml");
    fs::write(&embassies, "[[mission]]\nid=").unwrap();
    let cases: [(Vec<std::ffi::OsString>, String); 4] = [
        (
            vec!["--campaign".into(), short.clone().into()],
            format!("{}/campaign.toml:1: missing field `state`", short.display()),
        ),
        (
            vec!["--letters".into(), letters.clone().into()],
            format!("{}/x.hbs:1: no front matter", letters.display()),
        ),
        (
            vec!["--embassies".into(), embassies.clone().into()],
            format!(
                "{}:2: string values must be quoted, expected literal string",
                embassies.display()
            ),
        ),
        (
            vec!["--campaign".into(), "".into()],
            "--campaign: empty: it names no campaign".into(),
        ),
    ];
    for (args, message) in cases {
        let (code, out, err) = run(on_the_day().args(["check", "--json"]).args(&args));
        let doc = json(&out);
        assert_eq!(doc["schema"], "protest/1");
        assert_eq!(doc["ok"], false, "{args:?}");
        assert_eq!(doc["errors"], serde_json::json!([message]), "{args:?}");
        assert_eq!(doc["warnings"], serde_json::json!([]));
        let expected_code = if message.starts_with("--campaign") {
            2
        } else {
            65
        };
        assert_eq!(code, expected_code, "{args:?}: {err}");
        assert_eq!(err.lines().next().unwrap(), format!("error: {message}"));
    }
}

/// Listed in config.toml, a campaign whose campaign.toml cannot be read (or
/// a folder that is not there) is an entry with `error` in `campaigns
/// --json`, beside the others; the other commands go on, and say once that
/// it is left out.
#[test]
fn a_listed_campaign_that_cannot_be_read_is_listed_with_its_error_and_warned_of() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = campaign_copy(tmp.path(), "broken", &hong_kong(), |text| {
        replaced(text, "state = \"China\"\n", "")
    });
    let config = config_dir(
        tmp.path(),
        &format!("campaigns = [\"{}\", \"/nowhere\"]\n", broken.display()),
    );
    let config_file = config.join("protest/config.toml");
    let missing = format!(
        "{}/campaign.toml:1: missing field `state`",
        broken.display()
    );
    let nowhere = format!(
        "{}:1: campaigns: \"/nowhere\": no such directory",
        config_file.display()
    );

    let (code, out, err) = run(on_the_day()
        .env("XDG_CONFIG_HOME", &config)
        .args(["campaigns", "--json"]));
    assert_eq!(code, 65, "{err}");
    let doc = json(&out);
    let entries = doc["campaigns"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{out}");
    assert_eq!(entries[0]["campaign"], "kazakhstan");
    assert_eq!(entries[1]["error"], missing);
    assert_eq!(entries[1]["folder"], broken.display().to_string());
    assert_eq!(entries[2]["error"], nowhere);
    for entry in &entries[1..] {
        assert_eq!(entry.get("campaign"), None, "no name can be read: {entry}");
        assert_eq!(entry["in_force"], false);
    }
    assert!(
        err.ends_with(
            "error: 2 campaigns cannot be read; `protest check --campaign NAME` says more\n"
        ),
        "{err}"
    );

    let warnings = [
        format!(
            "warning: {}:1: campaigns: \"{}\": left out of the campaigns: {missing} (`protest \
             campaigns` lists them)",
            config_file.display(),
            broken.display()
        ),
        format!(
            "warning: {}:1: campaigns: \"/nowhere\": left out of the campaigns: no such \
             directory (`protest campaigns` lists them)",
            config_file.display()
        ),
    ];
    for command in [
        &["letters"][..],
        &["embassies", "show", "gb-london"],
        &[
            "write",
            "mukhammedkarim",
            "--to",
            "gb-london",
            "--name",
            "A",
        ],
        &["--campaign", "kazakhstan", "letters"],
    ] {
        let (code, out, err) = run(on_the_day().env("XDG_CONFIG_HOME", &config).args(command));
        assert_eq!(code, 0, "{command:?}: {err}");
        assert!(!out.is_empty());
        // The data's own warnings (a person's news a year old) aside.
        let ours: Vec<&str> = err
            .lines()
            .filter(|l| !l.contains("last reported"))
            .collect();
        assert_eq!(ours, warnings, "{command:?}");
    }
    // Quiet: no warning.
    let (code, _, err) = run(on_the_day().env("XDG_CONFIG_HOME", &config).args([
        "write",
        "mukhammedkarim",
        "--to",
        "gb-london",
        "--name",
        "A",
        "-q",
    ]));
    assert_eq!((code, err.as_str()), (0, ""));
}

// --- Campaigns with nothing to write, and no name --------------------------------------

#[test]
fn a_campaign_with_no_letters_fails_check() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, letters) in [("none", None), ("empty", Some(""))] {
        let dir = tmp.path().join(name);
        fs::create_dir(&dir).unwrap();
        for file in ["campaign.toml", "embassies.toml"] {
            fs::copy(hong_kong().join(file), dir.join(file)).unwrap();
        }
        if letters.is_some() {
            fs::create_dir(dir.join("letters")).unwrap();
            fs::write(dir.join("letters/notes.txt"), "not a letter").unwrap();
        }
        let (code, out, err) = run(on_the_day().arg("check").arg("--campaign").arg(&dir));
        assert_eq!((code, out.as_str()), (65, ""), "{err}");
        let message = format!(
            "{}/letters: the campaign has no letters: nothing to write; add letters/ID.hbs \
             (README \"Your own campaign\")",
            dir.display()
        );
        assert!(err.contains(&format!("error: {message}\n")), "{err}");
        let (code, out, _) = run(on_the_day()
            .args(["check", "--json", "--campaign"])
            .arg(&dir));
        assert_eq!(code, 65);
        let doc = json(&out);
        assert_eq!(doc["ok"], false);
        assert_eq!(doc["errors"], serde_json::json!([message]));
    }
}

#[test]
fn an_empty_campaign_name_is_said_to_be_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, err) = run(on_the_day().args(["--campaign", "", "letters"]));
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: --campaign: empty: it names no campaign\n  help: give a campaign's name \
         (`protest campaigns` lists them) or its folder, as ./NAME or /path/to/it\n"
    );
    let config = config_dir(tmp.path(), "campaign = \"\"\n");
    let (code, _, err) = run(on_the_day().env("XDG_CONFIG_HOME", &config).arg("letters"));
    assert_eq!(code, 2);
    assert_eq!(
        err.lines().next().unwrap(),
        format!(
            "error: {}:1: campaign = \"\": empty: it names no campaign",
            config.join("protest/config.toml").display()
        )
    );
}

// --- A batch continued after the campaign's words changed ------------------------------

/// One batch of `letter` from `campaign` into `out`, with `extra` options.
fn batch(campaign: &Path, out: &Path, letter: &str, extra: &[&str]) -> (i32, String, String) {
    run(on_the_day()
        .args(["write", letter, "--name", "Ann Lee", "--out"])
        .arg(out)
        .arg("--campaign")
        .arg(campaign)
        .args(extra))
}

fn letters_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "manifest.jsonl")
        .collect();
    names.sort();
    names
}

/// A run interrupted, the campaign's words for the state edited, the run
/// again: refused before any letter is written, as a changed mission is,
/// whichever word changed (the state, an office, the Russian state with
/// --lang ru); `--force` writes them all again from the new words. A word
/// the run's letters do not use (the Russian state for an English run, the
/// `about`) leaves the run to be continued.
#[test]
fn a_batch_is_not_continued_with_other_campaign_words() {
    let tmp = tempfile::tempdir().unwrap();
    let hk_all = ["--all"];
    let kz_ru = ["--lang", "ru", "--to", "gb-london", "--to", "de-berlin"];
    let kz_en = ["--to", "gb-london", "--to", "de-berlin"];
    // (name, campaign, letter, options, words before, words after, refused)
    type Case<'a> = (
        &'a str,
        PathBuf,
        &'a str,
        &'a [&'a str],
        &'a str,
        &'a str,
        bool,
    );
    let cases: [Case; 6] = [
        (
            "state",
            hong_kong(),
            "lai",
            &hk_all,
            "state = \"the People's Republic of China\"",
            "state = \"the PRC\"",
            true,
        ),
        (
            "office",
            hong_kong(),
            "lai",
            &hk_all,
            "embassy = \"The Ambassador\"",
            "embassy = \"Her Excellency the Ambassador\"",
            true,
        ),
        (
            "ru-state",
            kazakhstan(),
            "mukhammedkarim",
            &kz_ru,
            "state = \"Республики Казахстан\"",
            "state = \"Республики Казахстана\"",
            true,
        ),
        (
            "ru-office",
            kazakhstan(),
            "mukhammedkarim",
            &kz_ru,
            "embassy = \"Чрезвычайному и Полномочному Послу\"",
            "embassy = \"Послу\"",
            true,
        ),
        (
            "ru-state-en",
            kazakhstan(),
            "mukhammedkarim",
            &kz_en,
            "state = \"Республики Казахстан\"",
            "state = \"Республики Казахстана\"",
            false,
        ),
        (
            "about",
            hong_kong(),
            "lai",
            &hk_all,
            "about = \"",
            "about = \"(edited) ",
            false,
        ),
    ];
    for (name, from, letter, args, old, new, refused) in cases {
        let dir = campaign_copy(tmp.path(), name, &from, |text| text.to_string());
        let out = tmp.path().join(format!("out-{name}"));
        let (code, _, err) = batch(&dir, &out, letter, args);
        assert_eq!(code, 0, "{name}: {err}");
        let record = json(
            fs::read_to_string(out.join("manifest.jsonl"))
                .unwrap()
                .lines()
                .next()
                .unwrap(),
        );
        let campaign_name = if from == hong_kong() {
            "hong-kong"
        } else {
            "kazakhstan"
        };
        assert_eq!(record["run"]["campaign"], campaign_name);
        assert!(record["run"]["data"]["campaign"]
            .as_str()
            .is_some_and(|d| d.len() == 12));
        let all = letters_in(&out);
        let gone = &all[0];
        fs::remove_file(out.join(gone)).unwrap();
        let file = dir.join("campaign.toml");
        fs::write(
            &file,
            replaced(&fs::read_to_string(&file).unwrap(), old, new),
        )
        .unwrap();

        let (code, _, err) = batch(&dir, &out, letter, args);
        if !refused {
            assert_eq!(code, 0, "{name}: {err}");
            assert_eq!(letters_in(&out), all, "{name}");
            continue;
        }
        assert_eq!(code, 73, "{name}: {err}");
        // The data's own warnings (a person's news a year old) aside.
        let err: String = err
            .split_inclusive('\n')
            .filter(|l| !l.contains("last reported"))
            .collect();
        assert_eq!(
            err,
            format!(
                "error: {} holds the letters of another run (manifest.jsonl): the campaign's \
                 words for the state in campaign.toml (its name in the letters' languages, the \
                 offices or the kinds of mission) have changed since\n  help: its letters were \
                 made from other data: pass --force to write them all again from this data (its \
                 letters that this run does not write are removed), or choose another --out \
                 directory\n",
                out.display()
            ),
            "{name}"
        );
        assert!(!out.join(gone).exists(), "{name}: nothing written");
        let (code, _, err) = batch(&dir, &out, letter, &[args, &["--force"]].concat());
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(letters_in(&out), all, "{name}");
        let word = common::campaign::words(new.split('"').nth(1).unwrap());
        let with_word = all
            .iter()
            .filter(|letter| {
                let text = fs::read_to_string(out.join(letter)).unwrap();
                common::campaign::words(&text).contains(&word)
            })
            .count();
        assert!(with_word > 0, "{name}: no letter says {word:?}");
    }

    // Another campaign into the same folder: another run, said as such.
    let out = tmp.path().join("out-state");
    let (code, _, err) = batch(
        &kazakhstan(),
        &out,
        "mukhammedkarim",
        &["--to", "gb-london"],
    );
    assert_eq!(code, 73);
    assert!(
        err.contains("it was written for the campaign `hong-kong`, this is for `kazakhstan`"),
        "{err}"
    );
}
