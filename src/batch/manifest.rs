//! `manifest.jsonl`: one line per letter of a run, the first also carrying
//! the run's date and inputs, so that running the same command again, even
//! on another day, continues that run rather than starting a different one.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
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
}

fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// What an earlier run left in the directory.
pub struct Previous {
    pub path: PathBuf,
    pub run: Option<RunRecord>,
    /// Whether it records any letter as written: only then do its inputs matter.
    pub has_letters: bool,
}

const GOOD: [&str; 3] = ["written", "unchanged", "replaced"];

pub fn previous(dir: &Path) -> Option<Previous> {
    let path = dir.join(FILE_NAME);
    if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let file = File::open(&path).ok()?;
    let mut run = None;
    let mut has_letters = false;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let Ok(line) = line else { break };
        if i == 0 {
            run = serde_json::from_str::<Value>(&line)
                .ok()
                .and_then(|v| serde_json::from_value(v.get("run")?.clone()).ok());
        }
        if GOOD
            .iter()
            .any(|status| line.contains(&format!("\"status\":\"{status}\"")))
        {
            has_letters = true;
            break;
        }
    }
    Some(Previous {
        path,
        run,
        has_letters,
    })
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
pub fn another_run(dir: &Path, differences: &[String]) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        format!(
            "{} holds the letters of another run ({}): {}",
            dir.display(),
            FILE_NAME,
            differences.join("; ")
        ),
    )
    .with_help(
        "to complete that run, run it as it was; to write this one, choose another --out \
         directory, or pass --force to replace the letters already there",
    )
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
