//! What the tests of campaigns share: the example campaign, a day on which
//! its letters are current, a configuration of one's own.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use super::{copy_dir, example_campaigns, protest};

/// 2026-12-06, a day on which the sampled letters are current.
pub const EPOCH: &str = "1796515200";

pub fn hong_kong() -> PathBuf {
    example_campaigns().join("hong-kong")
}

/// `protest` on 2026-12-06, in UTC, with no configuration of its own.
pub fn on_the_day() -> Command {
    let mut cmd = protest();
    cmd.env("SOURCE_DATE_EPOCH", EPOCH).env("TZ", "UTC");
    cmd
}

/// A configuration directory holding `config`, as ~/.config/protest/config.toml.
pub fn config_dir(root: &Path, config: &str) -> PathBuf {
    let dir = root.join("config");
    fs::create_dir_all(dir.join("protest")).unwrap();
    fs::write(dir.join("protest/config.toml"), config).unwrap();
    dir
}

/// The text's words, one space between each: as a reader sees them, however
/// the lines are wrapped and the no-break spaces set.
pub fn words(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn pdftotext(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The second campaign's folder, copied, with `event` added to the history
/// of Lee Cheuk-yan: what a campaign's data maintainer would record.
pub fn hong_kong_with(root: &Path, event: &str) -> PathBuf {
    let dir = root.join("hong-kong");
    copy_dir(&hong_kong(), &dir);
    let people = dir.join("letters/prisoners.toml");
    let mut text = fs::read_to_string(&people).unwrap();
    text.push_str(event);
    fs::write(&people, text).unwrap();
    dir
}

pub const RELEASED: &str = "
[[prisoner.event]]
date = \"2026-03-02\"
kind = \"released\"
note = \"released on bail (a test's event)\"
source = \"a test\"
confidence = \"high\"
";
