//! `manifest.jsonl`: one line per letter of a run, the first also carrying
//! the run's date and inputs, so that running the same command again, even
//! on another day, continues that run rather than starting a different one.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::output::AtomicFile;

pub const FILE_NAME: &str = "manifest.jsonl";

/// Which letter of a run a line records: the lines come in the order of
/// the letter, then the row.
pub struct Letter<'a> {
    /// Its place among the run's letters.
    pub letter: usize,
    pub row: usize,
    pub recipient: Option<&'a str>,
}

/// What made the letters of a run: the same record, the same letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    /// The date the letters carry, YYYY-MM-DD.
    pub date: String,
    /// The letter ids, joined by commas, in the order they are written.
    pub letter: String,
    /// The mission ids, or "each sender's country".
    pub recipients: String,
    /// `csv sha256:…` for a senders file, `sender sha256:…` for one sender.
    pub senders: String,
    pub format: String,
    /// Everything else that changes a letter or its name, by option.
    pub options: BTreeMap<String, String>,
    /// The name of the campaign the letters are for. Absent in manifests
    /// written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// What the letters were made from in the data, so that data corrected
    /// since (a mission's new address) is a run with other inputs, not the
    /// same one. Absent in manifests written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataDigests>,
}

/// Short SHA-256 digests of the data a run's letters are made from: the
/// letters' texts, the people they name, the missions they go or are copied
/// to, the campaign's words for the state in the letters' languages. One
/// for each, not one for each item: the record is the first line of the
/// manifest, and stays short whatever the number of missions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataDigests {
    pub letters: String,
    pub prisoners: String,
    pub missions: String,
    /// Empty in manifests written before it was recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub campaign: String,
}

/// A value of a run record as a message shows it.
fn shorten(text: &str) -> String {
    crate::text::quote(text).bare().to_string()
}

impl RunRecord {
    /// What differs from `earlier`, in words, one item each.
    pub fn differences(&self, earlier: &RunRecord) -> Vec<String> {
        let mut out = Vec::new();
        if self.date != earlier.date {
            out.push(format!(
                "its letters are dated {}, these would be dated {}",
                earlier.date, self.date
            ));
        }
        if self.letter != earlier.letter {
            let letters = |ids: &str| match ids.contains(',') {
                true => format!("the letters `{ids}`"),
                false => format!("the letter `{ids}`"),
            };
            out.push(format!(
                "it wrote {}, this is {}",
                letters(&earlier.letter),
                letters(&self.letter)
            ));
        }
        if self.format != earlier.format {
            out.push(format!(
                "its format was {}, this is {}",
                earlier.format, self.format
            ));
        }
        if self.recipients != earlier.recipients {
            out.push(format!(
                "its recipients were {}, these are {}",
                shorten(&earlier.recipients),
                shorten(&self.recipients)
            ));
        }
        if self.senders != earlier.senders {
            let csv = |s: &str| s.starts_with("csv ");
            out.push(if csv(&self.senders) && csv(&earlier.senders) {
                "the senders file has changed since".to_string()
            } else if csv(&self.senders) || csv(&earlier.senders) {
                "it was written for one sender and this for a senders file, or the other way"
                    .to_string()
            } else {
                "the sender's details have changed since".to_string()
            });
        }
        if let (Some(was), Some(now)) = (&earlier.campaign, &self.campaign) {
            if was != now {
                out.push(format!(
                    "it was written for the campaign `{}`, this is for `{}`",
                    shorten(was),
                    shorten(now)
                ));
            }
        }
        let keys: std::collections::BTreeSet<&String> =
            self.options.keys().chain(earlier.options.keys()).collect();
        for key in keys {
            let (was, now) = (earlier.options.get(key), self.options.get(key));
            if was != now {
                let show = |v: Option<&String>| v.map_or("not given".to_string(), |v| shorten(v));
                out.push(format!("{key} was {}, now {}", show(was), show(now)));
            }
        }
        out
    }

    /// What changed in the data since `earlier`, in words. Nothing is said
    /// of a record that did not keep its data's digests.
    pub fn data_changes(&self, earlier: &RunRecord) -> Vec<String> {
        let (Some(now), Some(was)) = (&self.data, &earlier.data) else {
            return Vec::new();
        };
        // Named when there is one of them; "each sender's country" is not one.
        let one = |ids: &str| !ids.contains(',') && !ids.contains(' ');
        let mut out = Vec::new();
        if now.letters != was.letters {
            out.push(match one(&self.letter) {
                true => format!("the text of the letter `{}` has changed since", self.letter),
                false => "the text of the letters has changed since".to_string(),
            });
        }
        if now.prisoners != was.prisoners {
            out.push("what the data says of the people the letters name has changed since".into());
        }
        if now.missions != was.missions {
            out.push(match one(&self.recipients) {
                true => format!(
                    "the directory's entry for {} has changed since",
                    self.recipients
                ),
                false => {
                    "the directory's entries for the missions the letters go to have changed since"
                        .to_string()
                }
            });
        }
        if !was.campaign.is_empty() && now.campaign != was.campaign {
            out.push(
                "the campaign's words for the state in campaign.toml (its name in the letters' \
                 languages, the offices or the kinds of mission) have changed since"
                    .into(),
            );
        }
        out
    }
}

/// What an earlier run left in the directory.
pub struct Previous {
    pub path: PathBuf,
    /// Whether protest wrote it: a file of that name that is not a manifest
    /// (its lines a letter's, with our schema and run record) is the user's.
    pub ours: bool,
    pub run: Option<RunRecord>,
    /// Whether it records any letter as written: only then do its inputs matter.
    pub has_letters: bool,
}

const GOOD: [&str; 3] = ["written", "unchanged", "replaced"];

pub fn previous(dir: &Path) -> Option<Previous> {
    let path = dir.join(FILE_NAME);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    let not_ours = |path| Previous {
        path,
        ours: false,
        run: None,
        has_letters: false,
    };
    // A link, a FIFO, a directory: nothing protest leaves there.
    if !meta.is_file() {
        return Some(not_ours(path));
    }
    let Ok(file) = File::open(&path) else {
        return Some(not_ours(path));
    };
    // A manifest's lines are short; a longer one is not a manifest's.
    let mut lines = BufReader::new(file.take(MAX_LINE)).lines();
    let Some(Ok(first)) = lines.next() else {
        return Some(not_ours(path));
    };
    let Some(run) = first_line(&first) else {
        return Some(not_ours(path));
    };
    let good = |line: &str| {
        GOOD.iter()
            .any(|status| line.contains(&format!("\"status\":\"{status}\"")))
    };
    let has_letters = good(&first) || lines.map_while(|line| line.ok()).any(|line| good(&line));
    Some(Previous {
        path,
        ours: true,
        run,
        has_letters,
    })
}

/// The longest line read when telling a manifest.
const MAX_LINE: u64 = 1 << 20;

/// The run a manifest's first line records, when the line is a manifest's:
/// a letter's line (`row`, `status`), in our schema when it names one, and
/// a run record that reads as one when it has one. `None` for a line
/// protest did not write; `Some(None)` for one written before runs were recorded.
fn first_line(line: &str) -> Option<Option<RunRecord>> {
    let value: Value = serde_json::from_str(line).ok()?;
    let fields = value.as_object()?;
    let schema_ours = fields
        .get("schema")
        .is_none_or(|schema| schema == crate::SCHEMA);
    if !schema_ours || !fields.get("row")?.is_u64() || !fields.get("status")?.is_string() {
        return None;
    }
    match fields.get("run") {
        None => Some(None),
        Some(run) => serde_json::from_value(run.clone()).ok().map(Some),
    }
}

/// The new manifest being written, and the earlier one of the same run, read
/// alongside in the same order: a letter that fails or is never reached this
/// time keeps the earlier run's line for it while its file is still there.
/// A manifest is never replaced by a worse one.
pub struct Manifest {
    file: AtomicFile,
    run: Option<RunRecord>,
    lines: usize,
    earlier: Option<std::iter::Peekable<Earlier>>,
    dir: PathBuf,
}

/// The lines of the earlier manifest, with where each letter is, and the
/// run's letter ids in order.
struct Earlier(std::io::Lines<BufReader<File>>, Vec<String>);

struct EarlierLine {
    /// Its letter's place in the run: the order of the lines, with the row.
    letter: usize,
    row: u64,
    mission: Option<String>,
    status: String,
    path: Option<String>,
    sha256: Option<String>,
    text: String,
}

/// The parts of a line that say which letter it is and whether it was made.
#[derive(Deserialize)]
struct Key {
    letter: Option<String>,
    row: u64,
    /// Manifests before `protest/1` called it `recipient`.
    #[serde(alias = "recipient")]
    mission: Option<String>,
    status: String,
    path: Option<String>,
    sha256: Option<String>,
}

impl Iterator for Earlier {
    type Item = EarlierLine;
    fn next(&mut self) -> Option<EarlierLine> {
        loop {
            let text = self.0.next()?.ok()?;
            let Ok(key) = serde_json::from_str::<Key>(&text) else {
                continue;
            };
            // A letter this run does not write is past every letter it does.
            let letter = match (&key.letter, self.1.len()) {
                (_, 1) => 0,
                (Some(id), _) => self.1.iter().position(|l| l == id).unwrap_or(usize::MAX),
                (None, _) => usize::MAX,
            };
            return Some(EarlierLine {
                letter,
                row: key.row,
                mission: key.mission,
                status: key.status,
                path: key.path,
                sha256: key.sha256,
                text,
            });
        }
    }
}

impl Manifest {
    /// `continues`: the earlier manifest is of this same run.
    pub fn create(dir: &Path, run: RunRecord, continues: bool) -> Result<Manifest> {
        let path = dir.join(FILE_NAME);
        let letters: Vec<String> = run.letter.split(',').map(str::to_string).collect();
        let earlier = continues
            .then(|| File::open(&path).ok())
            .flatten()
            .map(|file| Earlier(BufReader::new(file).lines(), letters).peekable());
        Ok(Manifest {
            file: AtomicFile::create(&path, true)?,
            run: Some(run),
            lines: 0,
            earlier,
            dir: dir.to_path_buf(),
        })
    }

    /// Records one letter. `good`: it is in the directory now.
    pub fn record(&mut self, letter: &Letter, line: String, good: bool) -> Result<()> {
        match self.earlier_for(letter) {
            Some(earlier) if !good && self.still_holds(&earlier) => self.write_earlier(&earlier),
            _ => self.write(line),
        }
    }

    /// A letter this run did not make (it stopped first): the earlier run's
    /// line for it stays while its file is there.
    pub fn keep_earlier(&mut self, letter: &Letter) -> Result<()> {
        match self.earlier_for(letter) {
            Some(earlier) if self.still_there(&earlier) => self.write_earlier(&earlier),
            _ => Ok(()),
        }
    }

    /// Finishes the manifest; `stopped`: the letters after the last one
    /// recorded were not made, and keep the earlier run's lines.
    pub fn commit(mut self, stopped: bool) -> Result<()> {
        if stopped {
            while let Some(earlier) = self.earlier.as_mut().and_then(Iterator::next) {
                if self.still_there(&earlier) {
                    self.write_earlier(&earlier)?;
                }
            }
        }
        if self.lines == 0 {
            // Nothing was made: an earlier manifest stays as it was.
            return Ok(());
        }
        self.file.commit()
    }

    fn earlier_for(&mut self, letter: &Letter) -> Option<EarlierLine> {
        let earlier = self.earlier.as_mut()?;
        let at = (letter.letter, letter.row as u64);
        while earlier
            .peek()
            .is_some_and(|line| (line.letter, line.row) < at)
        {
            earlier.next();
        }
        // The missions of one row come in the same order in both runs.
        while let Some(line) = earlier.peek() {
            if (line.letter, line.row) != at {
                return None;
            }
            let found = line.mission.as_deref() == letter.recipient;
            let line = earlier.next().expect("peeked");
            if found {
                return Some(line);
            }
        }
        None
    }

    /// Whether an earlier line records a letter whose file is still there
    /// (of the letters this run never reached: not read, which would cost
    /// an interrupted run the time it does not have).
    fn still_there(&self, line: &EarlierLine) -> bool {
        let Some(path) = &line.path else {
            return false;
        };
        GOOD.contains(&line.status.as_str())
            && !path.contains('/')
            && std::fs::symlink_metadata(self.dir.join(path)).is_ok_and(|m| m.is_file())
    }

    /// Whether the letter an earlier line records is still there, unchanged:
    /// said of the letter whose making failed this time.
    fn still_holds(&self, line: &EarlierLine) -> bool {
        use sha2::Digest;
        let (Some(path), Some(sha256)) = (&line.path, &line.sha256) else {
            return false;
        };
        self.still_there(line)
            && std::fs::read(self.dir.join(path))
                .is_ok_and(|bytes| crate::text::hex(&sha2::Sha256::digest(bytes)) == *sha256)
    }

    fn write_earlier(&mut self, line: &EarlierLine) -> Result<()> {
        let mut value: Value = serde_json::from_str(&line.text).expect("read as JSON before");
        if let Value::Object(fields) = &mut value {
            fields.remove("run");
            upgrade(fields);
        }
        let mut text = serde_json::to_string(&value).expect("a manifest line serialises");
        text.push('\n');
        self.write(text)
    }

    /// `line`: one JSON object and a line break. The first carries the run.
    fn write(&mut self, mut line: String) -> Result<()> {
        if let Some(run) = self.run.take() {
            let run = serde_json::to_string(&run).expect("a run record serialises");
            line = format!("{{\"run\":{run},{}", &line[1..]);
        }
        self.lines += 1;
        self.file.write_all(line.as_bytes())
    }
}

/// A line kept from a manifest written before `protest/1`, in today's words,
/// so that one manifest never mixes two vocabularies.
fn upgrade(fields: &mut serde_json::Map<String, Value>) {
    fields.retain(|_, value| !value.is_null());
    if let Some(mission) = fields.remove("recipient") {
        fields.insert("mission".into(), mission);
    }
    if let Some(sender) = fields.get_mut("sender") {
        if let Value::String(name) = sender {
            *sender = serde_json::json!({ "name": name });
        }
    }
    fields.insert("schema".into(), Value::from(crate::SCHEMA));
}

/// An output directory holding the letters of a run with other inputs.
/// `data_changed`: the options are the same, the data is not, so the run
/// cannot be run as it was.
pub fn another_run(dir: &Path, differences: &[String], data_changed: bool) -> Error {
    let error = Error::new(
        ErrorKind::CantCreate,
        format!(
            "{} holds the letters of another run ({}): {}",
            dir.display(),
            FILE_NAME,
            differences.join("; ")
        ),
    );
    match data_changed {
        true => error.with_help(
            "its letters were made from other data: pass --force to write them all again \
             from this data (its letters that this run does not write are removed), or choose \
             another --out directory",
        ),
        false => error.with_help(
            "to complete that run, run it as it was; to write this one, choose another --out \
             directory, or pass --force to replace the letters already there",
        ),
    }
}

/// A directory where the manifest goes.
pub fn a_directory(path: &Path) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        format!(
            "{}: a directory, where the run's manifest goes",
            path.display()
        ),
    )
    .with_help("move it away, or choose another --out directory")
}

/// A file named like a manifest that protest did not write.
pub fn not_ours(path: &Path) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        format!(
            "{}: not a manifest protest wrote, and a run would replace it",
            path.display()
        ),
    )
    .with_help("move it away, or choose another --out directory; --force replaces it")
}

/// The letters the directory's manifest says protest wrote there, by file
/// name, with each one's digest as written (`None` in a line that kept
/// none). Empty when the manifest is not there or is not one protest wrote.
pub fn letters_written(dir: &Path) -> std::collections::HashMap<String, Option<String>> {
    let mut letters = std::collections::HashMap::new();
    if !previous(dir).is_some_and(|previous| previous.ours) {
        return letters;
    }
    let Ok(file) = File::open(dir.join(FILE_NAME)) else {
        return letters;
    };
    for line in BufReader::new(file).lines().map_while(|line| line.ok()) {
        let Ok(Key {
            path: Some(path),
            sha256,
            status,
            ..
        }) = serde_json::from_str::<Key>(&line)
        else {
            continue;
        };
        if GOOD.contains(&status.as_str()) && !path.contains('/') {
            letters.insert(path, sha256);
        }
    }
    letters
}

/// With `--force`, a run with other inputs replaces the earlier run whole:
/// the letters the earlier manifest records and this run does not write
/// again (`written_again`) are removed, so that the directory never holds
/// the letters of two runs. Only a letter as the earlier run wrote it (its
/// digest) is removed; one changed since is the user's, kept, and named.
/// Returns how many were removed.
pub fn remove_earlier_letters(dir: &Path, written_again: impl Fn(&str) -> bool) -> usize {
    use sha2::Digest;
    let Ok(file) = File::open(dir.join(FILE_NAME)) else {
        return 0;
    };
    let mut removed = 0;
    for line in BufReader::new(file).lines().map_while(|line| line.ok()) {
        let Ok(Key {
            path: Some(path),
            sha256: Some(sha256),
            status,
            ..
        }) = serde_json::from_str::<Key>(&line)
        else {
            continue;
        };
        if !GOOD.contains(&status.as_str()) || path.contains('/') || written_again(&path) {
            continue;
        }
        let letter = dir.join(&path);
        if !std::fs::symlink_metadata(&letter).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let same = std::fs::read(&letter)
            .is_ok_and(|bytes| crate::text::hex(&sha2::Sha256::digest(bytes)) == sha256);
        if !same {
            crate::notice::warn(format_args!(
                "kept {}: a letter of the earlier run, changed since it was written",
                crate::text::escape_for_terminal(&letter.display().to_string())
            ));
        } else if std::fs::remove_file(&letter).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_in_todays_words_is_kept_as_it_is() {
        let text = r#"{"schema":"protest/1","row":1,"letter":"x","mission":"gb-london","sender":{"name":"Ann Lee"},"format":"text","status":"skipped","reason":"no email address"}"#;
        let mut line: Value = serde_json::from_str(text).unwrap();
        upgrade(line.as_object_mut().unwrap());
        assert_eq!(line, serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn a_line_of_an_old_manifest_is_kept_in_todays_words() {
        let mut line: Value = serde_json::from_str(
            r#"{"row":2,"letter":"x","recipient":"gb-london","sender":"Ann Lee","format":"text","path":"a.txt","sha256":"00","status":"written","reason":null}"#,
        )
        .unwrap();
        upgrade(line.as_object_mut().unwrap());
        assert_eq!(
            line,
            serde_json::json!({"schema": crate::SCHEMA, "row": 2, "letter": "x",
                "mission": "gb-london", "sender": {"name": "Ann Lee"}, "format": "text",
                "path": "a.txt", "sha256": "00", "status": "written"})
        );
    }
}
