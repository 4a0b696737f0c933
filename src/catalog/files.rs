//! Reading the data files: whole, bounded, UTF-8, and only regular files
//! where a folder was searched, so that errors name the file and line.

use std::path::Path;

use crate::error::{Error, Result};
use crate::origin::{line_of, Origin};

/// A data file as read, kept so `check` can point at lines after parsing.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub origin: Origin,
    pub text: String,
}

/// A file found in a data folder rather than named by the user: it must be a
/// regular file, since a FIFO or a device there would hang the reading or
/// never end it, and a directory named like a letter is a mistake to say.
pub fn read_found_file(path: &Path) -> Result<String> {
    let metadata = std::fs::metadata(path).map_err(|err| Error::read(path, &err))?;
    if !metadata.is_file() {
        let what = if metadata.is_dir() {
            "a directory"
        } else {
            "a FIFO, socket or device"
        };
        return Err(Origin::file(path)
            .error_at(None, format!("not a regular file: {what}"))
            .with_help("a data folder holds letters/*.hbs, letters/prisoners.toml and embassies.toml as ordinary files; move this away or rename it"));
    }
    read_text(path)
}

/// Larger than any directory, template, people or sender file (the shipped
/// directory is a few dozen kB): past it, `--embassies /dev/zero` is refused
/// instead of filling memory.
const MAX_TEXT_FILE: u64 = 16 << 20;

pub fn read_text(path: &Path) -> Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_TEXT_FILE + 1).read_to_end(&mut bytes))
        .map_err(|err| Error::read(path, &err))?;
    if bytes.len() as u64 > MAX_TEXT_FILE {
        return Err(Origin::file(path)
            .error_at(None, "larger than 16 MiB: not a file this tool reads")
            .with_help("give the TOML or template file itself, not a device or an archive"));
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        let line = line_of(
            &String::from_utf8_lossy(err.as_bytes()),
            err.utf8_error().valid_up_to(),
        );
        Origin::file(path)
            .error_at(Some(line), "not valid UTF-8 text")
            .with_help(
                "save the file as UTF-8 text (in a word processor: \"Plain Text\", encoding UTF-8)",
            )
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}
