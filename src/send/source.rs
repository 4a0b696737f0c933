//! Where the drafts come from: a folder written by `protest write --format eml
//! --out DIR`, `.eml` files, or an mbox.
//!
//! From a folder only the drafts the tool wrote are taken: its manifest lists
//! them with their digests, and a draft changed since, or any other draft in
//! the folder (a user's own email that `write` would not replace), is named
//! and skipped. A file named on the command line is the user's choice, and
//! taken as it is. Every path is resolved first, so that one file reached by
//! two names is one draft, and its send log is the one beside the real file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::files::{for_each_line, open_regular, read_bounded, shown};
use crate::error::{Error, ErrorKind, Result};
use crate::text::hex;

/// The largest `.eml` draft: mail servers refuse far smaller messages.
const MAX_DRAFT: u64 = 32 << 20;
/// The largest mbox, which holds many drafts.
const MAX_MBOX: u64 = 256 << 20;
/// The manifest `protest write --out DIR` leaves in the folder.
pub const MANIFEST: &str = "manifest.jsonl";

/// One draft as read, before it is parsed.
#[derive(Debug, Clone)]
pub struct Draft {
    /// How messages name it: the path as the user gave it, and the number
    /// inside an mbox.
    pub name: String,
    /// The real folder of the file, whose send log records it.
    pub folder: PathBuf,
    pub bytes: Vec<u8>,
}

/// A file in a folder that is not sent, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    pub draft: String,
    pub reason: String,
}

/// What the paths hold.
#[derive(Debug, Default)]
pub struct Sources {
    pub drafts: Vec<Draft>,
    pub skipped: Vec<Skipped>,
}

/// A path the user gave, resolved.
struct Given<'a> {
    path: &'a Path,
    real: PathBuf,
    is_dir: bool,
}

/// The drafts of every path, in order, each real file once.
pub fn read(paths: &[PathBuf]) -> Result<Sources> {
    let mut given = Vec::with_capacity(paths.len());
    for path in paths {
        let real = std::fs::canonicalize(path).map_err(|err| Error::read(path, &err))?;
        let is_dir = real.is_dir();
        given.push(Given { path, real, is_dir });
    }
    // A file named on the command line is sent even from a batch folder.
    let named: HashSet<&Path> = given
        .iter()
        .filter(|g| !g.is_dir)
        .map(|g| g.real.as_path())
        .collect();
    let mut sources = Sources::default();
    let mut read_already: HashSet<PathBuf> = HashSet::new();
    let mut folders_read: HashSet<&Path> = HashSet::new();
    for g in &given {
        if g.is_dir {
            if folders_read.insert(&g.real) {
                read_folder(g, &named, &mut read_already, &mut sources)?;
            }
        } else if read_already.insert(g.real.clone()) {
            read_file(&g.real, &g.path.display().to_string(), &mut sources.drafts)?;
        }
    }
    Ok(sources)
}

fn read_folder(
    dir: &Given,
    named: &HashSet<&Path>,
    read_already: &mut HashSet<PathBuf>,
    sources: &mut Sources,
) -> Result<()> {
    let manifest_path = dir.real.join(MANIFEST);
    let shown_dir = dir.path.display().to_string();
    let name_of = |file: &str| format!("{}/{file}", shown_dir.trim_end_matches('/'));
    let Some(manifest) = open_regular(
        &manifest_path,
        &name_of(MANIFEST),
        "the manifest is the file `protest write --out DIR` leaves: restore it, or name the drafts one by one",
    )?
    else {
        return Err(Error::new(
            ErrorKind::NoInput,
            format!(
                "{shown_dir}: no {MANIFEST}: from a folder, send takes only the drafts \
                 `protest write --format eml --out DIR` wrote and listed there"
            ),
        )
        .with_help(format!(
            "name your own drafts one by one (protest send {}), or write the folder with \
             protest write ... --format eml --out {shown_dir}",
            name_of("*.eml")
        )));
    };
    let written = manifest_files(manifest, &manifest_path)?;
    let mut ours: HashSet<String> = HashSet::new();
    for (file, sha256) in &written {
        let path = dir.real.join(file);
        let name = name_of(file);
        let skip = |reason: &str| Skipped {
            draft: name.clone(),
            reason: reason.to_string(),
        };
        // Written by `write`, a draft is a file of its own: a link put in its
        // place is not what the manifest vouches for.
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => {
                sources.skipped.push(skip(
                    "not the file `protest write` wrote: a link or a special file is in its place; \
                     to send what it leads to, name that file: protest send FILE",
                ));
                continue;
            }
            Err(_) => {
                sources.skipped.push(skip(
                    "the manifest lists it, but it is not there (moved or deleted)",
                ));
                continue;
            }
        }
        ours.insert(file.clone());
        if named.contains(path.as_path()) || !read_already.insert(path.clone()) {
            // Named on its own too: read there, once.
            continue;
        }
        let mut drafts = Vec::new();
        let bytes = read_file(&path, &name, &mut drafts)?;
        if hex(&Sha256::digest(&bytes)) != *sha256 {
            sources.skipped.push(skip(&format!(
                "changed since `protest write` wrote it (its digest is not the one in {MANIFEST}); \
                 to send it as it is now, name it: protest send {name}"
            )));
            continue;
        }
        sources.drafts.extend(drafts);
    }
    // Every other draft in the folder is named: the user sees what was left out.
    let mut others: Vec<String> = std::fs::read_dir(&dir.real)
        .map_err(|err| Error::read(&dir.real, &err))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|file| is_draft_name(file) && !ours.contains(file))
        .filter(|file| !named.contains(dir.real.join(file).as_path()))
        .collect();
    others.sort();
    for file in others {
        sources.skipped.push(Skipped {
            draft: name_of(&file),
            reason: format!(
                "not one of the drafts `protest write` wrote here ({MANIFEST} does not list it \
                 as written); to send it, name it: protest send {}",
                name_of(&file)
            ),
        });
    }
    Ok(())
}

fn is_draft_name(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    lower.ends_with(".eml") || lower.ends_with(".mbox")
}

/// The files a `protest write` manifest lists as made by the run (written,
/// replaced or found unchanged), each with the digest it was written with.
fn manifest_files(manifest: std::fs::File, path: &Path) -> Result<Vec<(String, String)>> {
    #[derive(serde::Deserialize)]
    struct Entry {
        path: Option<String>,
        format: Option<String>,
        sha256: Option<String>,
        status: Option<String>,
    }
    let mut files = Vec::new();
    for_each_line(manifest, path, |number, line| {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let at = || format!("{}:{number}", path.display());
        let entry: Entry = serde_json::from_slice(line).map_err(|err| {
            Error::data(format!("{}: not a manifest entry: {err}", at()))
                .with_help("the manifest is written by `protest write --out DIR`")
        })?;
        let (Some(file), Some(sha256)) = (entry.path, entry.sha256) else {
            return Ok(());
        };
        if !matches!(
            entry.status.as_deref(),
            Some("written" | "replaced" | "unchanged")
        ) {
            return Ok(());
        }
        if !matches!(entry.format.as_deref(), None | Some("eml" | "mbox")) {
            return Err(Error::usage(format!(
                "{}: {} is not an email draft (format {})",
                at(),
                shown(&file, 80),
                shown(&entry.format.unwrap_or_default(), 20)
            ))
            .with_help(
                "write the letters as email first: protest write ... --format eml --out DIR",
            ));
        }
        if Path::new(&file).components().count() != 1 || file.contains('/') {
            return Err(Error::data(format!(
                "{}: {} is not a file in the folder",
                at(),
                shown(&file, 80)
            )));
        }
        files.push((file, sha256));
        Ok(())
    })?;
    Ok(files)
}

/// Reads the draft or mbox at `path` (resolved) into `drafts`, named `name`;
/// returns the file's bytes.
fn read_file(path: &Path, name: &str, drafts: &mut Vec<Draft>) -> Result<Vec<u8>> {
    let file = open_regular(
        path,
        name,
        "send the .eml files, folder or mbox that `protest write --format eml` wrote, \
         where the send log can be kept beside them",
    )?
    .ok_or_else(|| Error::new(ErrorKind::NoInput, format!("{name}: no such file")))?;
    let bytes = read_bounded(
        file,
        path,
        MAX_MBOX,
        "an email draft or mbox",
        "send the drafts `protest write --format eml` wrote; a mail server refuses a message \
         this large",
    )?;
    let folder = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    if bytes.starts_with(b"From ") {
        for (index, message) in split_mbox(&bytes).into_iter().enumerate() {
            let name = format!("{name}, message {}", index + 1);
            if message.len() as u64 > MAX_DRAFT {
                return Err(too_large(&name));
            }
            drafts.push(Draft {
                name,
                folder: folder.clone(),
                bytes: message,
            });
        }
    } else {
        if bytes.len() as u64 > MAX_DRAFT {
            return Err(too_large(name));
        }
        drafts.push(Draft {
            name: name.to_string(),
            folder,
            bytes: bytes.clone(),
        });
    }
    Ok(bytes)
}

fn too_large(name: &str) -> Error {
    Error::data(format!(
        "{name}: larger than {} MiB: not an email draft",
        MAX_DRAFT >> 20
    ))
    .with_help("a mail server refuses a message this large; send the drafts `protest write --format eml` wrote")
}

/// The messages of an mboxrd mailbox: split at each `From ` line, with one
/// `>` taken off every `>…>From ` line, and the blank line that ends each
/// message in the mailbox left out.
fn split_mbox(mbox: &[u8]) -> Vec<Vec<u8>> {
    let mut messages: Vec<Vec<u8>> = Vec::new();
    for line in mbox.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b"From ") {
            messages.push(Vec::new());
            continue;
        }
        let Some(message) = messages.last_mut() else {
            continue;
        };
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if quotes > 0 && line[quotes..].starts_with(b"From ") {
            message.extend_from_slice(&line[1..]);
        } else {
            message.extend_from_slice(line);
        }
    }
    for message in &mut messages {
        if message.ends_with(b"\n\n") || message.ends_with(b"\r\n\r\n") {
            let cut = if message.ends_with(b"\r\n\r\n") { 2 } else { 1 };
            message.truncate(message.len() - cut);
        }
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_an_mboxrd_mailbox_and_unquotes_from_lines() {
        let mbox = b"From a@x Mon Nov 30 00:00:00 2026\nSubject: 1\n\n>From here\n>>From there\n\n\
                     From b@x Mon Nov 30 00:00:00 2026\nSubject: 2\n\nbody\n\n";
        let messages = split_mbox(mbox);
        assert_eq!(
            messages,
            [
                b"Subject: 1\n\nFrom here\n>From there\n".to_vec(),
                b"Subject: 2\n\nbody\n".to_vec()
            ]
        );
    }

    fn manifest(text: &str) -> Result<Vec<(String, String)>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m");
        std::fs::write(&path, text).unwrap();
        manifest_files(std::fs::File::open(&path).unwrap(), Path::new("m"))
    }

    #[test]
    fn a_manifest_lists_only_what_was_written() {
        let text = "{\"row\":1,\"path\":\"a.eml\",\"format\":\"eml\",\"sha256\":\"00\",\"status\":\"written\"}\n\
                    {\"row\":2,\"format\":\"eml\",\"status\":\"skipped\"}\n\
                    {\"row\":3,\"path\":\"mine.eml\",\"format\":\"eml\",\"status\":\"failed\"}\n";
        assert_eq!(manifest(text).unwrap(), [("a.eml".into(), "00".into())]);
        let pdf = "{\"row\":1,\"path\":\"a.pdf\",\"format\":\"pdf\",\"sha256\":\"00\",\"status\":\"written\"}\n";
        let err = manifest(pdf).unwrap_err();
        assert_eq!(err.message, "m:1: a.pdf is not an email draft (format pdf)");
        let escape =
            "{\"path\":\"../x.eml\",\"format\":\"eml\",\"sha256\":\"00\",\"status\":\"written\"}\n";
        assert!(manifest(escape).is_err());
    }
}
