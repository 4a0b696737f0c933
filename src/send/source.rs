//! Where the drafts come from: a folder written by `protest write --format eml
//! --out DIR` (its manifest says which files belong to the run), `.eml`
//! files, or an mbox.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// One draft as read, before it is parsed.
#[derive(Debug, Clone)]
pub struct Draft {
    /// How messages name it: the path, and the number inside an mbox.
    pub name: String,
    /// The folder whose send log records it.
    pub folder: PathBuf,
    pub bytes: Vec<u8>,
}

/// The drafts of every path, in order.
pub fn read(paths: &[PathBuf]) -> Result<Vec<Draft>> {
    let mut drafts = Vec::new();
    for path in paths {
        if path.is_dir() {
            read_folder(path, &mut drafts)?;
        } else {
            read_file(path, &mut drafts)?;
        }
    }
    Ok(drafts)
}

fn read_folder(dir: &Path, drafts: &mut Vec<Draft>) -> Result<()> {
    let manifest = dir.join("manifest.jsonl");
    let files = match std::fs::read_to_string(&manifest) {
        Ok(text) => manifest_files(&manifest, &text)?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            // Not written by `protest write`: every draft in it, by name.
            let mut files: Vec<String> = std::fs::read_dir(dir)
                .map_err(|err| Error::read(dir, &err))?
                .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                .filter(|name| name.ends_with(".eml") || name.ends_with(".mbox"))
                .collect();
            files.sort();
            files
        }
        Err(err) => return Err(Error::read(&manifest, &err)),
    };
    if files.is_empty() {
        return Err(Error::new(
            ErrorKind::NoInput,
            format!("{}: no email drafts in it", dir.display()),
        )
        .with_help("write them first: protest write LETTER ... --format eml --out DIR"));
    }
    for file in files {
        read_file(&dir.join(file), drafts)?;
    }
    Ok(())
}

/// The files a `protest write` manifest lists as written.
fn manifest_files(manifest: &Path, text: &str) -> Result<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Entry {
        path: Option<String>,
        format: Option<String>,
    }
    let mut files = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{}:{}", manifest.display(), number + 1);
        let entry: Entry = serde_json::from_str(line).map_err(|err| {
            Error::data(format!("{}: not a manifest entry: {err}", at()))
                .with_help("the manifest is written by `protest write --out DIR`")
        })?;
        let Some(path) = entry.path else { continue };
        if !matches!(entry.format.as_deref(), None | Some("eml" | "mbox")) {
            return Err(Error::usage(format!(
                "{}: {path} is not an email draft (format {})",
                at(),
                entry.format.unwrap_or_default()
            ))
            .with_help(
                "write the letters as email first: protest write ... --format eml --out DIR",
            ));
        }
        if Path::new(&path).components().count() != 1 {
            return Err(Error::data(format!(
                "{}: {path} is not a file in the folder",
                at()
            )));
        }
        files.push(path);
    }
    Ok(files)
}

fn read_file(path: &Path, drafts: &mut Vec<Draft>) -> Result<()> {
    // The send log goes beside the drafts, and a FIFO or a device would be
    // read for ever: drafts are the files `write` made.
    let metadata = std::fs::metadata(path).map_err(|err| Error::read(path, &err))?;
    if !metadata.is_file() {
        return Err(Error::usage(format!(
            "{}: not a regular file: a FIFO, socket or device",
            path.display()
        ))
        .with_help(
            "send the .eml files, folder or mbox that `protest write --format eml` wrote, \
             where the send log can be kept beside them",
        ));
    }
    let bytes = std::fs::read(path).map_err(|err| Error::read(path, &err))?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.display().to_string();
    if bytes.starts_with(b"From ") {
        let messages = split_mbox(&bytes);
        for (index, message) in messages.into_iter().enumerate() {
            drafts.push(Draft {
                name: format!("{name}, message {}", index + 1),
                folder: folder.clone(),
                bytes: message,
            });
        }
    } else {
        drafts.push(Draft {
            name,
            folder,
            bytes,
        });
    }
    Ok(())
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

    #[test]
    fn a_manifest_lists_only_what_was_written() {
        let text = "{\"row\":1,\"path\":\"a.eml\",\"format\":\"eml\",\"status\":\"written\"}\n\
                    {\"row\":2,\"path\":null,\"format\":\"eml\",\"status\":\"skipped\"}\n";
        assert_eq!(manifest_files(Path::new("m"), text).unwrap(), ["a.eml"]);
        let pdf = "{\"row\":1,\"path\":\"a.pdf\",\"format\":\"pdf\",\"status\":\"written\"}\n";
        let err = manifest_files(Path::new("m"), pdf).unwrap_err();
        assert_eq!(err.message, "m:1: a.pdf is not an email draft (format pdf)");
        let escape = "{\"path\":\"../x.eml\",\"format\":\"eml\"}\n";
        assert!(manifest_files(Path::new("m"), escape).is_err());
    }
}
