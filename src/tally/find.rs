//! The inputs of a tally. In each folder given, and the folders below it (a
//! few levels down, never through a link), the files the other commands
//! leave: a manifest, a send log, replies. A file given by name is read as
//! its name says: those three, the send history (`sent.jsonl`, a send log of
//! every folder), or else a tally printed by `protest tally --json`.
//!
//! One folder reached twice (`.` and `letters/`, a link to it) is read once,
//! so that what is said of its inputs counts each once.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::send::log::FILE_NAME as SEND_LOG;
use crate::send::source::MANIFEST;

use super::replies::FILE_NAME as REPLIES;

/// How far below a folder given the files are looked for: a campaign's
/// folders (`branches/leeds/2026-11/letters/`) are a few levels deep.
pub const DEPTH: usize = 6;
/// The most folders one tally looks into.
pub const MAX_FOLDERS: usize = 10_000;

/// The send history's name: a send log of every folder, read when named.
const HISTORY: &str = "sent.jsonl";

/// The files of one folder, each as the user would name it.
#[derive(Debug, Default)]
pub struct Folder {
    pub shown: PathBuf,
    pub manifest: Option<PathBuf>,
    pub send_log: Option<PathBuf>,
    pub replies: Option<PathBuf>,
    /// Found by looking through folders, not named: a link in a file's
    /// place is refused, not followed.
    pub walked: bool,
}

#[derive(Debug, Default)]
pub struct Inputs {
    pub folders: Vec<Folder>,
    /// Tallies given by name.
    pub tallies: Vec<PathBuf>,
}

/// A file or folder as the system knows it, whatever its name.
type Identity = (u64, u64);

fn identity(meta: &std::fs::Metadata) -> Identity {
    (meta.dev(), meta.ino())
}

#[derive(Default)]
struct Finder {
    inputs: Inputs,
    folder_of: HashMap<Identity, usize>,
    tallies_seen: Vec<Identity>,
    folders_looked_into: usize,
}

pub fn inputs(paths: &[PathBuf]) -> Result<Inputs> {
    let here = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &here[..] } else { paths };
    let mut finder = Finder::default();
    for path in paths {
        // What the user names is followed, a link too: it is their choice.
        let meta = std::fs::metadata(path).map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => Error::new(
                ErrorKind::NoInput,
                format!("{}: no such file or folder", path.display()),
            )
            .with_help(WHAT_TALLY_READS),
            _ => Error::read(path, &err),
        })?;
        if meta.is_dir() {
            if !finder.look_into(path, &meta)? {
                return Err(Error::new(
                    ErrorKind::NoInput,
                    format!(
                        "{}: no {MANIFEST}, {SEND_LOG} or {REPLIES} in it or in its folders \
                         ({DEPTH} levels down)",
                        path.display()
                    ),
                )
                .with_help(WHAT_TALLY_READS));
            }
        } else {
            finder.named(path, &meta)?;
        }
    }
    Ok(finder.inputs)
}

/// What the help of a missing input says.
pub const WHAT_TALLY_READS: &str = "give the folders `protest write --out DIR` wrote and \
    `protest send` sent from (the current folder by default), or tallies made with \
    `protest tally --json > FILE`";

impl Finder {
    /// Looks through the folder `top` and those below it; whether any of the
    /// files a tally reads is there (read already or not).
    fn look_into(&mut self, top: &Path, meta: &std::fs::Metadata) -> Result<bool> {
        let mut found = false;
        let mut stack = vec![(top.to_path_buf(), identity(meta), 0)];
        while let Some((dir, id, depth)) = stack.pop() {
            self.folders_looked_into += 1;
            if self.folders_looked_into > MAX_FOLDERS {
                return Err(Error::usage(format!(
                    "{}: more than {MAX_FOLDERS} folders to look through",
                    top.display()
                ))
                .with_help("name the folders that hold the letters, not a folder above them all"));
            }
            let mut names: Vec<(std::ffi::OsString, std::fs::FileType)> = Vec::new();
            for entry in std::fs::read_dir(&dir).map_err(|err| Error::read(&dir, &err))? {
                let entry = entry.map_err(|err| Error::read(&dir, &err))?;
                // The entry's own type: a link is a link, not where it leads.
                let kind = entry.file_type().map_err(|err| Error::read(&dir, &err))?;
                names.push((entry.file_name(), kind));
            }
            names.sort_by(|a, b| a.0.cmp(&b.0));
            let mut below = Vec::new();
            for (name, kind) in names {
                let path = child(&dir, &name);
                if let Some(slot) = slot_of(&name) {
                    found = true;
                    self.put(&dir, id, slot, path, true);
                } else if kind.is_dir()
                    && depth < DEPTH
                    && !name.as_encoded_bytes().starts_with(b".")
                {
                    let meta =
                        std::fs::symlink_metadata(&path).map_err(|e| Error::read(&path, &e))?;
                    below.push((path, identity(&meta), depth + 1));
                }
            }
            // In name order, each folder before the ones below it.
            stack.extend(below.into_iter().rev());
        }
        Ok(found)
    }

    /// A file given by name.
    fn named(&mut self, path: &Path, meta: &std::fs::Metadata) -> Result<()> {
        let name = path.file_name().unwrap_or(OsStr::new(""));
        let slot = match slot_of(name) {
            Some(slot) => Some(slot),
            None if name == HISTORY => Some(Slot::SendLog),
            None => None,
        };
        let Some(slot) = slot else {
            if !self.tallies_seen.contains(&identity(meta)) {
                self.tallies_seen.push(identity(meta));
                self.inputs.tallies.push(path.to_path_buf());
            }
            return Ok(());
        };
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let dir_meta = std::fs::metadata(dir).map_err(|err| Error::read(dir, &err))?;
        self.put(dir, identity(&dir_meta), slot, path.to_path_buf(), false);
        Ok(())
    }

    /// Records a file of the folder `dir`; a folder already known keeps the
    /// file it has.
    fn put(&mut self, dir: &Path, id: Identity, slot: Slot, path: PathBuf, walked: bool) {
        let index = *self.folder_of.entry(id).or_insert_with(|| {
            self.inputs.folders.push(Folder {
                shown: dir.to_path_buf(),
                walked,
                ..Folder::default()
            });
            self.inputs.folders.len() - 1
        });
        let folder = &mut self.inputs.folders[index];
        let file = match slot {
            Slot::Manifest => &mut folder.manifest,
            Slot::SendLog => &mut folder.send_log,
            Slot::Replies => &mut folder.replies,
        };
        if file.is_none() {
            *file = Some(path);
            folder.walked |= walked;
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    Manifest,
    SendLog,
    Replies,
}

fn slot_of(name: &OsStr) -> Option<Slot> {
    match name.to_str()? {
        MANIFEST => Some(Slot::Manifest),
        SEND_LOG => Some(Slot::SendLog),
        REPLIES => Some(Slot::Replies),
        _ => None,
    }
}

/// `name` in `dir`, as the user would write it: `letters/x`, and `x` in `.`.
fn child(dir: &Path, name: &OsStr) -> PathBuf {
    match dir == Path::new(".") {
        true => PathBuf::from(name),
        false => dir.join(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_files_below_in_order_and_each_folder_once() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for dir in ["b", "a/deeper", ".hidden", "a/deeper/1/2/3/4/5/6"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in [
            "b/manifest.jsonl",
            "a/deeper/send-log.jsonl",
            "a/deeper/manifest.jsonl",
            ".hidden/manifest.jsonl",
            "a/deeper/1/2/3/4/5/6/manifest.jsonl",
            "a/deeper/other.jsonl",
        ] {
            std::fs::write(root.join(file), "").unwrap();
        }
        std::os::unix::fs::symlink(root.join("b"), root.join("link")).unwrap();
        let paths = [
            root.to_path_buf(),
            root.join("b"),
            root.join("b/manifest.jsonl"),
        ];
        let inputs = inputs(&paths).unwrap();
        let shown: Vec<_> = inputs
            .folders
            .iter()
            .map(|f| {
                let rel = |p: &Option<PathBuf>| {
                    p.as_ref()
                        .map(|p| p.strip_prefix(root).unwrap().display().to_string())
                };
                (rel(&f.manifest), rel(&f.send_log))
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    Some("a/deeper/manifest.jsonl".to_string()),
                    Some("a/deeper/send-log.jsonl".to_string())
                ),
                (Some("b/manifest.jsonl".to_string()), None),
            ],
            "the hidden folder, the link and the folder 9 levels down are not looked into"
        );
    }
}
