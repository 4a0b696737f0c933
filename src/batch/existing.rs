//! The files already in an output folder where this run's letters go: a
//! file protest did not write there (or one changed since it did) is the
//! user's, found before the first letter is written, and never replaced
//! without `--force`, which then names it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::Digest;

use super::jobs::letter_bytes;
use super::manifest;
use super::naming;
use super::plan::{Destination, Plan};
use crate::compose::Letter;
use crate::error::{Error, ErrorKind, Result};

/// Why a file in a letter's place is the user's.
enum Whose {
    /// No manifest of protest's records it there.
    NotWritten,
    /// The manifest records it, but it is not as protest wrote it.
    Changed,
    /// It differs from the letter's name only in case: one file where case
    /// is ignored (macOS, Windows). The letter's name.
    CaseOf(String),
}

/// A user's file in a letter's place.
struct Clash {
    path: PathBuf,
    whose: Whose,
    directory: bool,
}

/// What an output folder holds before a run: the letters its manifest says
/// protest wrote there, and every other file, by the name file systems that
/// ignore case give it.
#[derive(Default)]
pub(super) struct Found {
    written: HashMap<String, Option<String>>,
    others: HashMap<String, Vec<String>>,
}

impl Found {
    /// What `plan`'s output folder holds (nothing, for any other output).
    pub(super) fn before(plan: &Plan) -> Found {
        let Destination::Dir { dir, .. } = &plan.destination else {
            return Found::default();
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            // Not there yet: nothing of the user's in it.
            return Found::default();
        };
        let written = manifest::letters_written(dir);
        let mut others: HashMap<String, Vec<String>> = HashMap::new();
        for entry in entries.map_while(|entry| entry.ok()) {
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if !written.contains_key(&name) && name != manifest::FILE_NAME {
                others
                    .entry(naming::collision_key(&name))
                    .or_default()
                    .push(name);
            }
        }
        Found { written, others }
    }

    /// Whether the folder has, by `name`, a file protest's manifest does not
    /// list that holds this very letter: one written by a run stopped before
    /// its manifest, which a run leaves as it is.
    pub(super) fn holds(&self, plan: &Plan, name: &str, letter: &Letter) -> bool {
        let Destination::Dir { dir, .. } = &plan.destination else {
            return false;
        };
        // Most runs go into a folder with no file of another's: nothing to
        // look up for each letter.
        if self.others.is_empty() {
            return false;
        }
        let there = self
            .others
            .get(&naming::collision_key(name))
            .is_some_and(|names| names.iter().any(|other| other == name));
        if !there {
            return false;
        }
        let path = dir.join(name);
        std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file())
            && letter_bytes(plan, letter)
                .is_ok_and(|bytes| std::fs::read(&path).is_ok_and(|old| old == bytes))
    }
}

/// Refuses a run into `dir` where a file of the user's has the name of one
/// of its letters (by their `names`, as file systems that ignore case
/// compare them), naming every such file; with `force`, names each as
/// replaced, and removes those that only differ in case, which writing the
/// letter would leave beside it. A directory in a letter's place is refused
/// even then: a letter cannot replace it. A dry run says what it would
/// replace, and touches nothing.
/// `already_there`: the letters `found` holds as this run makes them.
pub(super) fn check_users_files(
    dir: &Path,
    names: &[Option<Arc<str>>],
    found: &Found,
    already_there: &HashSet<Arc<str>>,
    force: bool,
    dry_run: bool,
) -> Result<()> {
    let mut clashes = Vec::new();
    let mut clash = |name: &str, whose: Whose| {
        let path = dir.join(name);
        let directory = std::fs::metadata(&path).is_ok_and(|meta| meta.is_dir());
        clashes.push(Clash {
            path,
            whose,
            directory,
        });
    };
    for letter in names.iter().flatten() {
        let letter: &str = letter;
        let key = naming::collision_key(letter);
        for other in found.others.get(&key).into_iter().flatten() {
            match other == letter {
                true if already_there.contains(letter) => {}
                true => clash(other, Whose::NotWritten),
                false => clash(other, Whose::CaseOf(letter.to_string())),
            }
        }
        if let Some(sha256) = found.written.get(letter) {
            let path = dir.join(letter);
            if std::fs::symlink_metadata(&path).is_ok() && !as_written(&path, sha256.as_deref()) {
                clash(letter, Whose::Changed);
            }
        }
    }
    clashes.sort_by(|a, b| a.path.cmp(&b.path));
    if clashes.is_empty() {
        return Ok(());
    }
    let directories: Vec<&Clash> = clashes.iter().filter(|c| c.directory).collect();
    if !directories.is_empty() {
        return Err(refusal(dir, &directories).with_help(
            "a letter cannot replace a directory: move it away, or choose another --out directory",
        ));
    }
    if !force {
        let all: Vec<&Clash> = clashes.iter().collect();
        return Err(refusal(dir, &all).with_help(match all.len() {
            1 => "move it away, or choose another --out directory; --force replaces it",
            _ => {
                "move them away, or choose another --out directory; --force replaces them, \
                 naming each"
            }
        }));
    }
    let replacing = match dry_run {
        true => "would replace",
        false => "replacing",
    };
    for clash in &clashes {
        crate::notice::warn(format_args!("{replacing} {} (--force)", described(clash)));
        // Writing the letter would leave the user's file beside it, where
        // one of the two would replace the other once copied elsewhere.
        if matches!(clash.whose, Whose::CaseOf(_)) && !dry_run {
            std::fs::remove_file(&clash.path).map_err(|err| Error::write(&clash.path, &err))?;
        }
    }
    Ok(())
}

/// Whether the file at `path` is the letter a manifest recorded with
/// digest `sha256` (a line without one is taken at its word).
fn as_written(path: &Path, sha256: Option<&str>) -> bool {
    if !std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_file()) {
        return false;
    }
    match sha256 {
        None => true,
        Some(sha256) => std::fs::read(path)
            .is_ok_and(|bytes| crate::text::hex(&sha2::Sha256::digest(bytes)) == sha256),
    }
}

/// "a/x.txt, which protest did not write": the file, and why it is the user's.
fn described(clash: &Clash) -> String {
    let path = crate::error::shown(&clash.path);
    let path = crate::text::escape_for_terminal(&path);
    match &clash.whose {
        Whose::NotWritten => format!("{path}, which protest did not write"),
        Whose::Changed => format!("{path}, changed since protest wrote it"),
        Whose::CaseOf(letter) => format!(
            "{path}, which protest did not write, and which is one file with the letter `{}` \
             where case is ignored (macOS, Windows)",
            crate::text::escape_for_terminal(letter)
        ),
    }
}

/// How many files are named in a refusal; the rest are counted.
const NAMED: usize = 5;

fn refusal(dir: &Path, clashes: &[&Clash]) -> Error {
    let message = match clashes {
        [one] => format!(
            "{}: a letter of this run would be written there",
            described(one)
        ),
        many => {
            let mut named: Vec<String> = many.iter().take(NAMED).map(|c| described(c)).collect();
            if many.len() > NAMED {
                named.push(format!("and {} more", many.len() - NAMED));
            }
            format!(
                "{} holds {} files where this run's letters would be written: {}",
                crate::text::escape_for_terminal(&crate::error::shown(dir)),
                many.len(),
                named.join("; ")
            )
        }
    };
    Error::new(ErrorKind::CantCreate, message)
}
