//! Checks on the text of data entries, made as they are loaded: a value that
//! would put a control character, a direction override or an empty line into
//! a letter is an error naming its file and line, never a wrong letter.

use serde_json::Value;

use crate::error::Result;
use crate::origin::{entry_line, Origin};
use crate::text::is_visible;

/// Fields that may hold line breaks: they are shown by `embassies show`, never
/// put in a letter.
const MULTILINE: &[&str] = &["notes"];

/// Fields that must hold visible text when present: an empty one would leave
/// an empty line where a name or an address line belongs.
const REQUIRED: &[&str] = &[
    "id", "name", "city", "country", "title", "subject", "address", "demands",
];

/// Checks every string of one `[[table]]` entry (a mission, a person) or of a
/// template's front matter. `locate` gives the file line of a key.
pub fn entry_text(
    origin: &Origin,
    what: &str,
    value: &Value,
    locate: &dyn Fn(&str) -> Option<usize>,
) -> Result<()> {
    let Value::Object(fields) = value else {
        return Ok(());
    };
    for (key, value) in fields {
        check_value(origin, what, key, value, locate)?;
    }
    Ok(())
}

fn check_value(
    origin: &Origin,
    what: &str,
    path: &str,
    value: &Value,
    locate: &dyn Fn(&str) -> Option<usize>,
) -> Result<()> {
    match value {
        Value::String(text) => check_string(origin, what, path, text, locate),
        Value::Array(items) => items
            .iter()
            .try_for_each(|item| check_value(origin, what, path, item, locate)),
        Value::Object(fields) => fields.iter().try_for_each(|(inner, value)| {
            check_value(origin, what, &format!("{path}.{inner}"), value, locate)
        }),
        _ => Ok(()),
    }
}

fn check_string(
    origin: &Origin,
    what: &str,
    path: &str,
    text: &str,
    locate: &dyn Fn(&str) -> Option<usize>,
) -> Result<()> {
    let key = path.rsplit('.').next().unwrap_or(path);
    let multiline = MULTILINE.contains(&key);
    let layout: &[char] = if multiline { &['\n', '\r', '\t'] } else { &[] };
    let bad = crate::text::first_forbidden(text, layout);
    let prefix = if what.is_empty() {
        String::new()
    } else {
        format!("{what}: ")
    };
    if let Some(c) = bad {
        return Err(origin
            .error_at(
                locate(path),
                format!(
                    "{prefix}`{path}` contains the control character U+{:04X}",
                    c as u32
                ),
            )
            .with_help(if key == "address" {
                "give each address line as its own string: address = [\"line 1\", \"line 2\"]"
            } else {
                "remove line breaks, tabs and invisible direction marks"
            }));
    }
    if REQUIRED.contains(&key) && !is_visible(text) {
        return Err(origin
            .error_at(locate(path), format!("{prefix}`{path}` is empty"))
            .with_help("give it a value, or remove the line"));
    }
    Ok(())
}

/// The line of `key` (or `table.key`, in a sub-table such as
/// `[mission.head]`) in the entry with `id`, for [`entry_text`].
pub fn in_entry<'a>(text: &'a str, id: &'a str) -> impl Fn(&str) -> Option<usize> + 'a {
    move |path| {
        let Some((table, key)) = path.split_once('.') else {
            return entry_line(text, id, path);
        };
        let entry = entry_line(text, id, "id")?;
        let start: usize = text.split_inclusive('\n').take(entry).map(str::len).sum();
        let end = text[start..]
            .find("\n[[")
            .map_or(text.len(), |at| start + at);
        let header = format!(".{table}]");
        let table_at = start + text[start..end].find(&header)?;
        let lines_before = crate::origin::line_of(text, table_at) - 1;
        // A value inside an inline table (`addressed = { ru = "..." }`) is
        // on the line of the table's key.
        let key = key.split('.').next().unwrap_or(key);
        let line = crate::origin::key_line(&text[table_at..end], key)?;
        Some(lines_before + line)
    }
}

/// Checks a template body: line breaks and tabs are layout, any other control
/// character or direction override would reach the letter as it is.
pub fn body_text(origin: &Origin, body: &str, line_offset: usize) -> Result<()> {
    for (n, line) in body.lines().enumerate() {
        let bad = crate::text::first_forbidden(line, &['\t', '\r']);
        if let Some(c) = bad {
            return Err(origin
                .error_at(
                    Some(line_offset + n + 1),
                    format!(
                        "the template contains the control character U+{:04X}",
                        c as u32
                    ),
                )
                .with_help(
                    "remove invisible characters a word processor may have added; \
                     save templates as plain text",
                ));
        }
    }
    Ok(())
}
