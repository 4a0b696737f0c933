//! File names for the letters of a batch: from a pattern, made safe.

use handlebars::template::{Parameter, Template, TemplateElement};
use handlebars::{Handlebars, Path, PathSeg};
use serde_json::json;

use super::senders::SenderRow;
use crate::catalog::{LetterTemplate, Mission};
use crate::error::{Error, Result};

/// Renders `--file-name` patterns (Handlebars) into safe file names.
pub struct Namer {
    handlebars: Handlebars<'static>,
    /// The pattern as text and fields, when it is nothing more: a name is then
    /// put together directly, not through data built for Handlebars, which
    /// was most of the time of checking a 100,000-letter batch.
    pieces: Option<Vec<Piece>>,
    letter_id: String,
    language: String,
    extension: &'static str,
}

enum Piece {
    Text(String),
    /// A variable such as `{{sender.name}}`, as its keys.
    Field(Vec<String>),
}

impl Namer {
    pub fn new(pattern: &str, letter: &LetterTemplate, extension: &'static str) -> Result<Namer> {
        let mut handlebars = Handlebars::new();
        handlebars.set_strict_mode(true);
        handlebars.register_escape_fn(handlebars::no_escape);
        crate::template::check_pattern(pattern)
            .map_err(|message| Error::usage(format!("--file-name: {message}")))?;
        handlebars
            .register_template_string("name", pattern)
            .map_err(|err| pattern_error(pattern, &err))?;
        Ok(Namer {
            // Whitespace control (`{{~`) is left to Handlebars.
            pieces: handlebars
                .get_template("name")
                .filter(|_| !pattern.contains('~'))
                .and_then(pieces),
            handlebars,
            letter_id: letter.front.id.clone(),
            language: letter.front.language.clone(),
            extension,
        })
    }

    pub fn name(&self, row: &SenderRow, mission: &Mission) -> Result<String> {
        let Some(pieces) = &self.pieces else {
            return self.render(row, mission);
        };
        let mut rendered = String::with_capacity(64);
        for piece in pieces {
            match piece {
                Piece::Text(text) => rendered.push_str(text),
                Piece::Field(keys) => match self.field(keys, row, mission) {
                    Some(value) => rendered.push_str(&value),
                    // Not a field we know: Handlebars says what is wrong.
                    None => return self.render(row, mission),
                },
            }
        }
        Ok(file_name(&rendered, self.extension))
    }

    /// The value of a pattern variable, as Handlebars would render it.
    fn field<'a>(
        &'a self,
        keys: &[String],
        row: &'a SenderRow,
        mission: &'a Mission,
    ) -> Option<std::borrow::Cow<'a, str>> {
        let text = |value: &'a Option<String>| value.as_deref().unwrap_or_default();
        let value: &str = match keys {
            [root] if root == "row" => return Some(row.row.to_string().into()),
            [root, key] => match (root.as_str(), key.as_str()) {
                ("letter", "id") => &self.letter_id,
                ("letter", "language") => &self.language,
                ("embassy", "id") => &mission.id,
                ("embassy", "city") => &mission.city,
                ("embassy", "country") => &mission.country,
                ("embassy", "kind") => mission.kind.as_str(),
                ("sender", "name") => &row.sender.name,
                ("sender", "org") => text(&row.sender.org),
                ("sender", "town") => text(&row.sender.town),
                ("sender", "country") => text(&row.sender.country),
                ("extra", key) => row.extra.get(key)?.as_str()?,
                _ => return None,
            },
            _ => return None,
        };
        Some(value.into())
    }

    fn render(&self, row: &SenderRow, mission: &Mission) -> Result<String> {
        let data = json!({
            "letter": { "id": self.letter_id, "language": self.language },
            "embassy": { "id": mission.id, "city": mission.city, "country": mission.country, "kind": mission.kind.as_str() },
            "sender": {
                "name": row.sender.name,
                "org": row.sender.org.clone().unwrap_or_default(),
                "town": row.sender.town.clone().unwrap_or_default(),
                "country": row.sender.country.clone().unwrap_or_default(),
            },
            "extra": row.extra,
            "row": row.row,
        });
        let rendered = self
            .handlebars
            .render_with_context("name", &handlebars::Context::from(data))
            .map_err(|err| render_error(&err))?;
        Ok(file_name(&rendered, self.extension))
    }
}

const FIELDS: &str = "a name can use {{letter.id}}, {{letter.language}}, {{embassy.id}}, \
    {{embassy.city}}, {{embassy.country}}, {{embassy.kind}}, {{sender.name}}, {{sender.org}}, \
    {{sender.town}}, {{sender.country}}, {{row}} and {{extra.COLUMN}} for the other columns of \
    the senders file, e.g. --file-name \"{{row}}-{{sender.name}}\"";

/// A pattern that does not parse, said in the terms of the pattern, not of
/// the parser's grammar.
fn pattern_error(pattern: &str, err: &handlebars::TemplateError) -> Error {
    use handlebars::TemplateErrorReason as Reason;
    let at = err.pos().map_or(String::new(), |(_, column)| {
        format!(" (at character {column})")
    });
    let what = match err.reason() {
        Reason::MismatchingClosedHelper(open, close)
        | Reason::MismatchingClosedDecorator(open, close) => {
            format!("`{{{{#{open}}}}}` is closed by `{{{{/{close}}}}}`")
        }
        Reason::InvalidParam(param) => format!(
            "{} is not something a name can use{at}",
            crate::text::quote(param)
        ),
        _ => format!(
            "it is not a pattern{at}: every `{{{{` needs its `}}}}`, and every `{{{{#if}}}}` its `{{{{/if}}}}`"
        ),
    };
    Error::usage(format!(
        "--file-name {}: {what}",
        crate::text::quote(pattern).in_double_quotes()
    ))
    .with_help(FIELDS)
}

/// A pattern that parses but cannot name a letter.
fn render_error(err: &handlebars::RenderError) -> Error {
    use handlebars::RenderErrorReason as Reason;
    match err.reason() {
        Reason::MissingVariable(Some(path)) => match path.strip_prefix("extra.") {
            Some(column) => Error::usage(format!(
                "--file-name: `{{{{{path}}}}}`: the senders file has no column `{column}`"
            ))
            .with_help(FIELDS),
            None => Error::usage(format!(
                "--file-name: `{{{{{path}}}}}` is not something a name can use"
            ))
            .with_help(FIELDS),
        },
        Reason::HelperNotFound(helper) => Error::usage(format!(
            "--file-name: there is no helper `{helper}`; a name can use `if`, `unless` and `each`"
        ))
        .with_help(FIELDS),
        other => Error::usage(format!("--file-name: {other}")).with_help(FIELDS),
    }
}

/// The pattern as text and plain variables, or `None` if it has anything
/// else (helpers, blocks, whitespace control).
fn pieces(template: &Template) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    for element in &template.elements {
        match element {
            TemplateElement::RawString(text) => pieces.push(Piece::Text(text.clone())),
            TemplateElement::Comment(_) => {}
            TemplateElement::Expression(helper) | TemplateElement::HtmlExpression(helper)
                if helper.params.is_empty() && helper.hash.is_empty() && !helper.block =>
            {
                let keys = match &helper.name {
                    Parameter::Name(name) => vec![name.clone()],
                    Parameter::Path(Path::Relative((segments, _))) => segments
                        .iter()
                        .map(|segment| match segment {
                            PathSeg::Named(key) => Some(key.clone()),
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>()?,
                    _ => return None,
                };
                pieces.push(Piece::Field(keys));
            }
            _ => return None,
        }
    }
    Some(pieces)
}

/// Names Windows reserves in any directory, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Longest name, in bytes, before the extension: well under every file
/// system's 255, leaving room for the temporary file's prefix and suffix.
const MAX_STEM: usize = 120;

/// Turns a rendered pattern into one safe file name with `extension`: no
/// path separators, `..`, control characters or reserved names, so a name
/// from a CSV cell can never leave the output directory.
pub fn file_name(rendered: &str, extension: &str) -> String {
    let rendered = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(rendered);
    let mut stem = String::with_capacity(rendered.len());
    let mut last_dash = true;
    for c in rendered.chars() {
        let unsafe_in_names = crate::text::reserved_in_file_names(c);
        let c = if unsafe_in_names || c.is_whitespace() || crate::text::is_forbidden(c) {
            '-'
        } else {
            c
        };
        if c == '-' && last_dash {
            continue;
        }
        last_dash = c == '-';
        stem.push(c);
    }
    let mut stem = stem.trim_matches(|c| c == '-' || c == '.').to_string();
    while stem.contains("..") {
        stem = stem.replace("..", ".");
    }
    if stem.len() > MAX_STEM {
        let mut cut = MAX_STEM;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
        stem = stem.trim_end_matches(['-', '.']).to_string();
    }
    if stem.is_empty() {
        stem = "letter".to_string();
    }
    let base = stem.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&base.as_str()) {
        stem.insert(0, '_');
    }
    format!("{stem}.{extension}")
}

/// What a file system that ignores case (macOS and Windows by default, a
/// FAT stick) sees of a name: two names with one key are one file there.
pub fn collision_key(file_name: &str) -> String {
    file_name.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, Sender};

    #[test]
    fn plain_patterns_name_files_exactly_as_handlebars_does() {
        let catalog = Catalog::builtin().unwrap();
        let letter = catalog.template("mamai").unwrap();
        let mission = catalog.mission("de-berlin").unwrap();
        let mut row = SenderRow {
            row: 7,
            sender: Sender {
                name: "Жанболат Мамай".into(),
                org: Some("Unite/Leeds".into()),
                ..Sender::default()
            },
            ..SenderRow::default()
        };
        row.extra.insert("branch".into(), "North".into());
        for pattern in [
            "{{embassy.id}}-{{sender.name}}",
            "{{letter.id}}_{{letter.language}} {{embassy.city}}{{! a comment }}",
            "{{row}}-{{extra.branch}}-{{sender.org}}-{{sender.town}}-{{{sender.country}}}",
            "{{embassy.kind}}.{{embassy.country}}",
            "{{#if sender.org}}{{sender.org}}{{/if}}-{{row}}",
            "{{sender.name}} {{~embassy.id}}",
        ] {
            let namer = Namer::new(pattern, letter, "txt").unwrap();
            let fast = namer.pieces.is_some();
            assert_eq!(
                namer.name(&row, mission).unwrap(),
                namer.render(&row, mission).unwrap(),
                "{pattern}"
            );
            assert_eq!(
                fast,
                !pattern.contains('#') && !pattern.contains('~'),
                "{pattern}"
            );
        }
        let namer = Namer::new("{{extra.missing}}", letter, "txt").unwrap();
        let err = namer.name(&row, mission).unwrap_err();
        assert!(err.message.starts_with("--file-name: "), "{}", err.message);
    }

    #[test]
    fn one_name_typed_two_ways_is_one_file() {
        // "Й" composed, and as "И" with a combining breve, as a Mac keyboard
        // or a copy from a PDF may give it: one name, one NFC file name.
        let composed = file_name("Йосипова", "txt");
        assert_eq!(file_name("И\u{306}осипова", "txt"), composed);
        assert_eq!(composed.chars().count(), "Йосипова.txt".chars().count());
        assert_eq!(
            collision_key(&file_name("ANN LEE", "txt")),
            collision_key(&file_name("Ann Lee", "txt"))
        );
        assert_eq!(
            collision_key(&file_name("ҚАСЫМОВА", "txt")),
            collision_key(&file_name("Қасымова", "txt"))
        );
    }

    #[test]
    fn names_stay_inside_the_directory() {
        assert_eq!(
            file_name("gb-london-Jane Smith", "txt"),
            "gb-london-Jane-Smith.txt"
        );
        assert_eq!(file_name("../../etc/passwd", "txt"), "etc-passwd.txt");
        assert_eq!(file_name("/abs/path", "pdf"), "abs-path.pdf");
        assert_eq!(file_name("a\0b\nc", "txt"), "a-b-c.txt");
        assert_eq!(file_name("..", "txt"), "letter.txt");
        assert_eq!(file_name("con", "txt"), "_con.txt");
        assert_eq!(file_name("Lpt1.backup", "txt"), "_Lpt1.backup.txt");
        assert_eq!(file_name("Жанболат Мамай", "eml"), "Жанболат-Мамай.eml");
        let long = file_name(&"ж".repeat(200), "txt");
        assert!(long.len() <= 124 && long.ends_with(".txt"));
    }
}
