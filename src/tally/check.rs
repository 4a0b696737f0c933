//! What every input of a tally is checked for, whichever it is (a manifest,
//! a send log, replies, another tally): a regular file, a schema this
//! program reads, and fields it can show; and the errors that name the file,
//! the line and the field when one is not.

use std::fs::File;
use std::path::Path;

use crate::date::Date;
use crate::error::{Error, ErrorKind, Result};
use crate::send::files::{open_regular, shown};

/// Opens an input: a regular file, never a FIFO or a device read for ever;
/// and where it was found by looking through folders, not a link.
pub fn open(path: &Path, walked: bool, help: &str) -> Result<File> {
    if walked && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::usage(format!(
            "{}: not a regular file: a symbolic link",
            path.display()
        ))
        .with_help(help));
    }
    open_regular(path, &path.display().to_string(), help)?.ok_or_else(|| {
        Error::new(
            ErrorKind::NoInput,
            format!("{}: no such file", path.display()),
        )
    })
}

/// The schema of a line: absent in files written before `protest/1`.
pub fn check_schema(at: &str, schema: Option<&str>) -> Result<()> {
    match schema {
        None | Some(crate::SCHEMA) => Ok(()),
        Some(other) => Err(Error::data(format!(
            "{at}: schema \"{}\" is not one this protest reads ({})",
            shown(other, 40),
            crate::SCHEMA
        ))
        .with_help("it was written by a newer protest: tally it with that version")),
    }
}

/// A SHA-256 digest as manifests and logs write it: 64 lowercase hex digits.
pub fn is_digest(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A Message-ID as the send log keys it: what one header line holds.
pub fn is_message_id(text: &str) -> bool {
    !text.is_empty() && text.len() <= 998 && !text.chars().any(char::is_control)
}

/// A letter's or a mission's id, or a file name, as an input gives it: one
/// short line with nothing a terminal would act on.
pub fn is_name(text: &str) -> bool {
    !text.trim().is_empty()
        && text.chars().count() <= 200
        && crate::text::first_forbidden(text, &[]).is_none()
}

pub fn is_reply_id(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The letter a record names, by its digest or its Message-ID: at least one,
/// and each well formed. `which` ends the sentence "nothing says which
/// letter …" (`it is`, `it answers`).
pub fn letter_key(
    at: &str,
    sha256: Option<&str>,
    message_id: Option<&str>,
    which: &str,
) -> Result<()> {
    match (sha256, message_id) {
        (Some(sha256), _) if !is_digest(sha256) => Err(bad_field(
            at,
            "sha256",
            sha256,
            "the SHA-256 digest of a letter",
        )),
        (_, Some(id)) if !is_message_id(id) => Err(bad_field(at, "message_id", id, "a Message-ID")),
        (None, None) => Err(Error::data(format!(
            "{at}: neither sha256 nor message_id: nothing says which letter {which}"
        ))),
        _ => Ok(()),
    }
}

/// An id or file name of a line, if it has one that can be shown.
pub fn name_field(at: &str, field: &str, value: Option<String>) -> Result<Option<String>> {
    match value {
        Some(value) if !is_name(&value) => Err(bad_field(
            at,
            field,
            &value,
            "a name: one line, at most 200 characters, no control characters",
        )),
        value => Ok(value),
    }
}

/// A day a line gives (YYYY-MM-DD).
pub fn date_field(at: &str, field: &str, value: &str) -> Result<Date> {
    Date::parse(value).map_err(|_| bad_field(at, field, value, "a date (YYYY-MM-DD)"))
}

/// A reply's id a line gives.
pub fn reply_id_field(at: &str, value: &str) -> Result<()> {
    match is_reply_id(value) {
        true => Ok(()),
        false => Err(bad_field(
            at,
            "reply",
            value,
            "a reply's id (16 hex digits)",
        )),
    }
}

/// What a field of an input is not: its file and line, the field, and what
/// it holds (shown safely).
pub fn bad_field(at: &str, field: &str, value: &str, what: &str) -> Error {
    Error::data(format!(
        "{at}: {field}: \"{}\" is not {what}",
        shown(value, 80)
    ))
}

/// What a JSON reader says is wrong with a line, without where in the line
/// (the caller names the file and the line), shown safely.
pub fn json_problem(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(&*message, |(m, _)| m);
    shown(message, 200)
}

/// Gives a data error about a file that says nothing of how to fix it the
/// help of that file.
pub fn with_help(err: Error, help: &str) -> Error {
    match (err.kind, &err.help) {
        (ErrorKind::Data, None) => err.with_help(help),
        _ => err,
    }
}
