//! Where data came from, and how to point at a line of it in an error.

use crate::error::Error;

/// A file the data was read from: a path the user gave, or a file built into
/// the binary (shown as `letters/x.hbs (built in)`), so errors can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(pub String);

impl Origin {
    pub fn builtin(name: &str) -> Origin {
        Origin(format!("{name} (built in)"))
    }

    pub fn file(path: &std::path::Path) -> Origin {
        Origin(crate::error::shown(path))
    }

    /// `file:line: message`, the form compilers and grep use, so editors can jump to it.
    pub fn error_at(&self, line: Option<usize>, message: impl std::fmt::Display) -> Error {
        match line {
            Some(line) => Error::data(format!("{}:{line}: {message}", self.0)),
            None => Error::data(format!("{}: {message}", self.0)),
        }
    }

    /// A TOML syntax or shape error, with the line it is on. `line_offset` is
    /// how many lines of the file come before `text` (front matter starts at 2).
    pub fn toml_error(&self, text: &str, err: &toml::de::Error, line_offset: usize) -> Error {
        let line = err
            .span()
            .map(|span| line_of(text, span.start) + line_offset);
        self.toml_message_at(line, err.message())
    }

    /// A TOML error's `message` at `line`, with the closest spelling when it
    /// names an unknown variant or field.
    pub fn toml_message_at(&self, line: Option<usize>, message: &str) -> Error {
        let message = message.trim();
        let error = self.error_at(line, message);
        match closest_expected(message) {
            Some(closest) => error.with_help(format!("did you mean `{closest}`?")),
            None => error,
        }
    }
}

/// For serde's "unknown variant `relased`, expected one of `arrested`, …"
/// (or field): the expected word closest to the one written, if any is close.
fn closest_expected(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown variant `")
        .or_else(|| message.strip_prefix("unknown field `"))?;
    let (written, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected")?.1;
    // A slip of the keyboard only: "free" is not a misspelt "restricted-freedom".
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|candidate| (strsim::levenshtein(written, candidate), candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, candidate)| candidate.to_string())
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// 1-based line number of byte offset `pos` in `text`.
pub fn line_of(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line of `key = …` inside the `[[table]]` entry whose `id` is `id`, for
/// errors found after parsing (an unknown country, a duplicate id). Falls back
/// to the entry's `id` line, then to none.
pub fn entry_line(text: &str, id: &str, key: &str) -> Option<usize> {
    let id_pos = find_assignment(text, 0, text.len(), "id", Some(id))?;
    let start = text[..id_pos].rfind("[[").unwrap_or(0);
    let end = text[id_pos..]
        .find("\n[[")
        .map_or(text.len(), |offset| id_pos + offset);
    let key_pos = find_assignment(text, start, end, key, None).unwrap_or(id_pos);
    Some(line_of(text, key_pos))
}

/// The line of the first `key = …` in `text`.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    find_assignment(text, 0, text.len(), key, None).map(|pos| line_of(text, pos))
}

/// Byte offset of the line `key = …` (with the given string value, if any) in `text[start..end]`.
fn find_assignment(
    text: &str,
    start: usize,
    end: usize,
    key: &str,
    value: Option<&str>,
) -> Option<usize> {
    let mut offset = start;
    for line in text[start..end].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            let rest = rest.trim_start();
            if let Some(rest) = rest.strip_prefix('=') {
                let matches = match value {
                    None => true,
                    Some(value) => rest.trim().trim_matches('"') == value,
                };
                if matches {
                    return Some(offset);
                }
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_kind_or_key_is_told_its_closest_spelling() {
        assert_eq!(
            closest_expected(
                "unknown variant `relased`, expected one of `arrested`, `released`, `died`"
            )
            .as_deref(),
            Some("released")
        );
        assert_eq!(
            closest_expected("unknown field `titel`, expected one of `id`, `title`").as_deref(),
            Some("title")
        );
        assert_eq!(
            closest_expected("unknown variant `zzzzzz`, expected `high` or `low`"),
            None
        );
        assert_eq!(closest_expected("invalid type: integer"), None);
        // Near in meaning is not near in spelling: no guess.
        assert_eq!(
            closest_expected(
                "unknown variant `free`, expected one of `restricted-freedom`, `released`"
            ),
            None
        );
    }

    #[test]
    fn finds_the_line_of_a_key_in_an_entry() {
        let text = "# c\n[[m]]\nid = \"a\"\ncountry = \"GB\"\n\n[[m]]\nid = \"b\"\nname = \"x\"\ncountry = \"ZZ\"\n";
        assert_eq!(entry_line(text, "b", "country"), Some(9));
        assert_eq!(entry_line(text, "a", "country"), Some(4));
        assert_eq!(entry_line(text, "a", "email"), Some(3));
        assert_eq!(entry_line(text, "c", "email"), None);
    }
}
