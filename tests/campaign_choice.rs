//! Choosing a campaign: listed by `protest campaigns`, chosen by name or
//! folder, config.toml and the data folder; a campaign named two ways; a
//! campaign's folder checked; the guided mode's first question.

mod common;

use std::fs;
use std::path::Path;

use common::campaign::{
    config_dir, hong_kong, hong_kong_with, on_the_day, pdftotext, EPOCH, RELEASED,
};
use common::{copy_dir, fixture, protest, run};

// --- Choosing and listing campaigns -----------------------------------------

/// `protest campaigns` lists the built-in campaign and the configured ones,
/// the one in force marked; a name or a folder chooses; config.toml's
/// `campaign` is the default that `--campaign` overrides.
#[test]
fn campaigns_are_listed_and_chosen_by_name_or_folder() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&hong_kong(), &tmp.path().join("hk"));
    let config = config_dir(tmp.path(), "campaigns = [\"../../hk\"]\n");
    let protest_here = || {
        let mut cmd = on_the_day();
        cmd.current_dir(tmp.path()).env("XDG_CONFIG_HOME", &config);
        cmd
    };
    let folder = config.join("protest/../../hk").display().to_string();
    let (code, out, err) = run(protest_here().arg("campaigns"));
    assert_eq!((code, err.as_str()), (0, ""));
    let table = format!(
        "NAME          STATE       CURRENT  DATA AS OF  WHERE\n\
         kazakhstan *  Kazakhstan  10       {}  built in\n\
         hong-kong     China       2        2026-02-09  {folder}\n",
        kazakhstan_data_date()
    );
    assert!(out.starts_with(&table), "{out}");

    let (_, out, _) = run(protest_here().args(["--campaign", "hong-kong", "campaigns", "--json"]));
    let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
    let campaigns = listed["campaigns"].as_array().unwrap();
    assert_eq!(campaigns.len(), 2);
    assert_eq!(campaigns[1]["campaign"], "hong-kong");
    assert_eq!(campaigns[1]["in_force"], true);
    assert_eq!(campaigns[1]["state"], "China");
    assert_eq!(campaigns[1]["missions"], 5);
    assert_eq!(campaigns[0]["in_force"], false);
    assert_eq!(campaigns[0]["data_as_of"], kazakhstan_data_date());

    // By name, by folder, and by config.toml's `campaign`, overridden by the flag.
    let titles = |args: &[&str], config: &Path| {
        let (code, out, err) = run(on_the_day()
            .current_dir(tmp.path())
            .env("XDG_CONFIG_HOME", config)
            .args(args)
            .args(["letters", "--json"]));
        assert_eq!(code, 0, "{args:?}: {err}");
        let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
        let ids: Vec<String> = listed["letters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["letter"].as_str().unwrap().to_string())
            .collect();
        ids
    };
    assert_eq!(
        titles(&["--campaign", "hong-kong"], &config),
        ["lai", "lee-cheuk-yan"]
    );
    assert_eq!(
        titles(&["--campaign", "./hk"], &config),
        ["lai", "lee-cheuk-yan"]
    );
    assert!(titles(&[], &config).contains(&"mukhammedkarim".to_string()));
    let chosen = tmp.path().join("chosen");
    fs::create_dir_all(chosen.join("protest")).unwrap();
    fs::write(
        chosen.join("protest/config.toml"),
        "campaigns = [\"../../hk\"]\ncampaign = \"hong-kong\"\n",
    )
    .unwrap();
    assert_eq!(titles(&[], &chosen), ["lai", "lee-cheuk-yan"]);
    assert!(titles(&["--campaign", "kazakhstan"], &chosen).contains(&"zhanaozen".to_string()));

    // A name nobody has is a usage error that suggests the nearest.
    let (code, _, err) = run(protest_here().args(["--campaign", "hongkong", "letters"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --campaign hongkong: no such campaign\n  help: did you mean \
         `hong-kong`? `protest campaigns` lists them all\n"
    );
}

/// The data date `protest campaigns` gives the built-in campaign is the one
/// `--version` gives: one rule, in build.rs and in the program.
fn kazakhstan_data_date() -> String {
    let (_, version, _) = run(protest().arg("--version"));
    let date = version.split("data as of ").nth(1).unwrap();
    date.trim_end().trim_end_matches(')').to_string()
}

/// Two campaigns with one name are an error naming both, wherever the second
/// comes from; a folder that is not a campaign says what it lacks.
#[test]
fn a_campaign_named_two_ways_is_an_error_that_names_both() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&hong_kong(), &tmp.path().join("a"));
    copy_dir(&hong_kong(), &tmp.path().join("b"));
    let renamed = fs::read_to_string(tmp.path().join("b/campaign.toml"))
        .unwrap()
        .replace("name = \"hong-kong\"", "name = \"kazakhstan\"");
    fs::write(tmp.path().join("c.toml"), &renamed).unwrap();
    fs::create_dir_all(tmp.path().join("c")).unwrap();
    fs::rename(
        tmp.path().join("c.toml"),
        tmp.path().join("c/campaign.toml"),
    )
    .unwrap();
    let cases = [
        (
            "campaigns = [\"/A\", \"/B\"]\n",
            "error: {config}:1: campaigns: \"/B\": a second campaign named `hong-kong` (the first is \
             {config}:1: campaigns: \"/A\")\n",
        ),
        (
            "# mine\ncampaigns = [\"/C\"]\n",
            "error: {config}:2: campaigns: \"/C\": a second campaign named `kazakhstan` (the first \
             is built in)\n",
        ),
    ];
    for (config, message) in cases {
        let dirs = |text: &str| {
            text.replace("/A", &tmp.path().join("a").display().to_string())
                .replace("/B", &tmp.path().join("b").display().to_string())
                .replace("/C", &tmp.path().join("c").display().to_string())
        };
        let dir = config_dir(tmp.path(), &dirs(config));
        let file = dir.join("protest/config.toml").display().to_string();
        let (code, out, err) = run(on_the_day().env("XDG_CONFIG_HOME", &dir).args([
            "--campaign",
            "hong-kong",
            "letters",
        ]));
        assert_eq!((code, out.as_str()), (65, ""), "{config}");
        let first = err.lines().next().unwrap();
        assert_eq!(
            format!("{first}\n"),
            dirs(&message.replace("{config}", &file)),
            "{config}"
        );
        assert!(
            err.contains("help: a name is one campaign's: rename this one in "),
            "{err}"
        );
    }
    // A folder without campaign.toml is not a campaign (exit 66), nor is a file.
    for (path, what) in [
        (
            tmp.path().join("a/letters"),
            "not a campaign: no campaign.toml in it",
        ),
        (tmp.path().join("a/campaign.toml"), "not a folder"),
    ] {
        let (code, _, err) = run(on_the_day().arg("--campaign").arg(&path).arg("letters"));
        assert_eq!(code, 66, "{err}");
        assert_eq!(
            err.lines().next().unwrap(),
            format!("error: --campaign {}: {what}", path.display())
        );
    }
}

/// The data folder (PROTEST_DATA) is of one campaign: without a campaign.toml
/// it updates the built-in one and is not laid over another; with one, it
/// updates the campaign it names, and chooses it when nothing else does.
#[test]
fn the_data_folder_goes_over_the_campaign_it_is_of_and_no_other() {
    let tmp = tempfile::tempdir().unwrap();
    // An update of the built-in campaign, as data folders were before campaigns.
    let update = tmp.path().join("update");
    fs::create_dir_all(update.join("letters")).unwrap();
    fs::copy(
        fixture("own-letters/free-tuletayeva.hbs"),
        update.join("letters/free-tuletayeva.hbs"),
    )
    .unwrap();
    let ids = |data: &Path, campaign: Option<&Path>| -> Vec<String> {
        let mut cmd = on_the_day();
        cmd.env("PROTEST_DATA", data);
        if let Some(dir) = campaign {
            cmd.arg("--campaign").arg(dir);
        }
        let (code, out, err) = run(cmd.args(["letters", "--archived", "--json"]));
        assert_eq!(code, 0, "{err}");
        let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
        listed["letters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["letter"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(&update, None).contains(&"free-tuletayeva".to_string()));
    assert!(!ids(&update, Some(&hong_kong())).contains(&"free-tuletayeva".to_string()));

    // An update of the second campaign, with its campaign.toml: chosen by it.
    let second = hong_kong_with(tmp.path(), RELEASED);
    let (code, out, err) = run(on_the_day()
        .env("PROTEST_DATA", &second)
        .args(["write", "lai", "--to", "jp-tokyo", "--name", "A"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("H.E.\u{a0}Wu Jianghao\nAmbassador of the People's Republic of China\n"));
    // Over the second campaign's folder, its refusal comes from the update.
    let (code, _, err) = run(on_the_day()
        .env("PROTEST_DATA", &second)
        .arg("--campaign")
        .arg(hong_kong())
        .args(["write", "lee-cheuk-yan", "--to", "jp-tokyo", "--name", "A"]));
    assert_eq!(code, 65, "{err}");
    assert!(err.contains("who was released on 2026-03-02"), "{err}");
    // And it is no update of the built-in campaign.
    let (code, _, err) = run(on_the_day().env("PROTEST_DATA", &second).args([
        "--campaign",
        "kazakhstan",
        "write",
        "lai",
        "--to",
        "gb-london",
        "--name",
        "A",
    ]));
    assert_eq!(
        (code, err.as_str()),
        (
            2,
            "error: no letter with id `lai`\n  help: `protest letters` lists them\n"
        )
    );
}

// --- Checking a campaign's folder --------------------------------------------

/// `check --campaign DIR` names each mistake in campaign.toml by file, line
/// and field, and exits 65; the same folder, unbroken, is `ok`.
#[test]
fn check_names_the_file_line_and_field_of_a_broken_campaign() {
    let broken: [(&str, &str, &str); 8] = [
        ("state = \"China\"", "stat = \"China\"", "campaign.toml:7: unknown field `stat`, expected one of `name`, `state`, `about`, `privacy`, `language`, `authority`"),
        ("about = \"the release of Hong Kong's political prisoners\"\n", "", "campaign.toml:1: missing field `about`"),
        ("privacy = \"safer if you or your family have ties to Hong Kong or mainland China\"", "privacy = \" \"", "campaign.toml:9: `privacy` is empty"),
        ("name = \"hong-kong\"", "name = \"Hong Kong\"", "campaign.toml:6: name `Hong Kong`: use lower-case letters, digits and hyphens"),
        ("consulate = \"The Consul\"\n", "", "campaign.toml:15: missing field `consulate`"),
        ("embassy = \"The Ambassador\"", "embassy = \"The \u{202e}Ambassador\"", "campaign.toml:16: `language.en.offices.embassy` contains the control character U+202E"),
        ("[language.en]\nstate", "[language.english]\nstate", "campaign.toml:15: missing field `state`"),
        ("# No [[authority]]", "[[authority]]\nid = \"hk-ce\"\nkind = \"embassy\"\ncountry = \"HK\"\ncity = \"Hong Kong\"\nname = \"Chief Executive\"\nsource = \"s\"\nverified = \"2026-01-01\"\nconfidence = \"low\"\n# No [[authority]]", "campaign.toml:23: `kind` of an [[authority]] is always `authority`: leave it out, and put a mission abroad in embassies.toml"),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (n, (from, to, message)) in broken.iter().enumerate() {
        let dir = tmp.path().join(format!("c{n}"));
        copy_dir(&hong_kong(), &dir);
        let file = dir.join("campaign.toml");
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{from}");
        fs::write(&file, text.replacen(from, to, 1)).unwrap();
        let (code, out, err) = run(on_the_day().arg("check").arg("--campaign").arg(&dir));
        assert_eq!((code, out.as_str()), (65, ""), "{message}: {err}");
        let first = err.lines().next().unwrap();
        assert_eq!(first, format!("error: {}/{message}", dir.display()));
        assert!(
            err.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("  help: ")),
            "{err}"
        );
    }

    // A Russian letter in a campaign without Russian words: named at its language line.
    let dir = tmp.path().join("ru");
    copy_dir(&hong_kong(), &dir);
    fs::write(
        dir.join("letters/lai.ru.hbs"),
        "+++\nlanguage = \"ru\"\ntitle = \"Свободу Джимми Лаю\"\nsubject = \"Об освобождении\"\ndemands = [\"а\", \"б\", \"в\", \"г\"]\n+++\nПрошу.\n",
    )
    .unwrap();
    let (code, _, err) = run(on_the_day().arg("check").arg("--campaign").arg(&dir));
    assert_eq!(code, 65, "{err}");
    let root = dir.display().to_string();
    assert!(
        err.contains(&format!(
            "error: {root}/letters/lai.ru.hbs:2: a letter in `ru`, but the campaign has no Russian \
             words ({root}/campaign.toml has no [language.ru]) (writing to ca-ottawa)\n"
        )),
        "{err}"
    );

    let (code, out, err) = run(on_the_day().arg("check").arg("--campaign").arg(hong_kong()));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "ok: 2 letters (2 current), 2 people, 5 missions (campaign hong-kong: --campaign {})",
            hong_kong().display()
        )),
        "{out}"
    );
}

// --- The guided mode ------------------------------------------------------------

/// With two campaigns, the guided mode asks which first (the one in force
/// first), speaks of the chosen one's state, offers its letters and
/// missions, and prints the command that chooses it without the question.
#[test]
#[cfg(unix)]
fn the_guided_mode_asks_which_campaign_first_when_there_are_several() {
    use expectrl::{Eof, Expect, Session};
    let tmp = tempfile::tempdir().unwrap();
    let config = config_dir(
        tmp.path(),
        &format!("campaigns = [{:?}]\n", hong_kong().display().to_string()),
    );
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_protest"));
    cmd.current_dir(&out)
        .env("XDG_CONFIG_HOME", &config)
        .env("HOME", tmp.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("TZ", "UTC")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("PROTEST_DATA")
        .env_remove("CLICOLOR_FORCE");
    let mut session = Session::spawn(cmd).expect("protest starts in a pseudo-terminal");
    session.get_process_mut().set_window_size(120, 40).unwrap();
    session.set_expect_timeout(Some(std::time::Duration::from_secs(10)));
    let mut seen = String::new();
    let mut step = |wait: &str, keys: &str| {
        match session.expect(wait) {
            Ok(found) => seen.push_str(&String::from_utf8_lossy(found.before())),
            Err(err) => panic!("waited for {wait:?}: {err}\n--- the screen ---\n{seen}"),
        }
        seen.push_str(wait);
        session.send(keys).unwrap();
    };
    const ENTER: &str = "\r";
    const DOWN: &str = "\x1b[B";
    step("Which campaign?", "");
    step(
        "Kazakhstan: the release of Kazakhstan's political prisoners (kazakhstan, built in)",
        "",
    );
    step(
        "China: the release of Hong Kong's political prisoners (hong-kong, ",
        DOWN,
    );
    step("❯ China", ENTER);
    step(
        "protest writes a letter for the release of Hong Kong's political prisoners.",
        "",
    );
    step("Which letter?", "Lee");
    step("Free trade unionist Lee Cheuk-yan", ENTER);
    step("Lee Cheuk-yan: on-trial since 2026-01-22", "");
    step(
        "With initials and town only (safer if you or your family have ties to Hong Kong or mainland China)",
        ENTER,
    );
    for (prompt, answer) in [
        ("Your name", "Ann Lee"),
        ("Organisation", ""),
        ("Postal address, line 1", ""),
        ("Town", "Leeds"),
        ("Country", "United Kingdom"),
        ("Email", ""),
        ("Phone", ""),
    ] {
        step(prompt, &format!("{answer}{ENTER}"));
    }
    step("United Kingdom · London · Embassy (gb-london)", ENTER);
    step("Add a paragraph of your own?", "n");
    step("Embassy of the People's Republic of China", "");
    step("Is the letter right?", ENTER);
    step("Which files?", ENTER);
    step("Folder to save in", ENTER);
    step("Write lee-cheuk-yan-gb-london.pdf?", "y");
    step("Save these details for next time?", "n");
    step(
        "protest write lee-cheuk-yan --to gb-london --campaign hong-kong --name 'Ann Lee'",
        "",
    );
    match session.expect(Eof) {
        Ok(found) => seen.push_str(&String::from_utf8_lossy(found.before())),
        Err(err) => panic!("the program did not end: {err}\n{seen}"),
    }
    assert!(
        !seen.contains("Kazakhstan's political prisoners."),
        "{seen}"
    );
    let pdf = pdftotext(&out.join("lee-cheuk-yan-gb-london.pdf"));
    assert!(
        pdf.contains("Embassy of the People's Republic of China"),
        "{pdf}"
    );
}

/// Tab completion completes the ids of the campaign the line names, which
/// the binary reads from the line it is asked to complete.
#[test]
fn completion_offers_the_ids_of_the_campaign_on_the_line() {
    let hk = hong_kong().display().to_string();
    let complete = |words: &[&str]| -> Vec<String> {
        let (code, out, err) = run(on_the_day()
            .env("PROTEST_COMPLETE", "fish")
            .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
            .arg("--")
            .args(words));
        assert_eq!(code, 0, "{err}");
        out.lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .filter(|v| !v.is_empty() && !v.starts_with('-'))
            .collect()
    };
    assert_eq!(
        complete(&["protest", "write", "--campaign", &hk, ""]),
        ["lai", "lee-cheuk-yan"]
    );
    assert_eq!(
        complete(&["protest", "--campaign", &hk, "write", "lai", "--to", ""]),
        [
            "ca-ottawa",
            "de-berlin",
            "gb-london",
            "jp-tokyo",
            "us-washington"
        ]
    );
    let shipped = complete(&["protest", "write", "mukhammedkarim", "--to", ""]);
    assert!(shipped.contains(&"kz-president".to_string()), "{shipped:?}");
}
