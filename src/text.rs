//! Character checks shared by everything that reads text from a user or a data
//! file: the catalog's validation, the composer, the batch reader and the prompts.
//! They sit below all of those so that none of them reaches into another.

/// The first character of `text` that [`is_forbidden`] and is not in `allowed`.
/// A batch checks every field of every row: text without a byte that can
/// start or be a forbidden character, most of it, is let go on its bytes,
/// and ASCII text is checked a byte at a time.
pub fn first_forbidden(text: &str, allowed: &[char]) -> Option<char> {
    if !may_hold_forbidden(text) {
        return None;
    }
    if text.is_ascii() {
        return text
            .bytes()
            .map(char::from)
            .find(|c| c.is_ascii_control() && !allowed.contains(c));
    }
    text.chars()
        .find(|c| is_forbidden(*c) && !allowed.contains(c))
}

/// Whether `text` has a byte that every [`is_forbidden`] character has in
/// UTF-8: a control code below 0x20 or 0x7F, or the first byte of the other
/// control codes (0xC2), of U+061C (0xD8), of U+2000 to U+2FFF (0xE2) or of
/// U+FEFF (0xEF). Every byte is looked at, with no branch to stop early,
/// which is what lets the compiler look at many at once.
fn may_hold_forbidden(text: &str) -> bool {
    text.bytes().fold(false, |found, b| {
        found | (b < 0x20) | (b == 0x7F) | (b == 0xC2) | (b == 0xD8) | (b == 0xE2) | (b == 0xEF)
    })
}

/// Whether `text` has two spaces in a row: looked for many bytes at a time,
/// as composing and wrapping ask it of every paragraph of every letter.
pub fn has_double_space(text: &str) -> bool {
    // Made once: making a searcher costs more than a short line's search.
    static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    DOUBLE_SPACE.find(text.as_bytes()).is_some()
}

/// Control characters, and the bidirectional overrides that can make a name
/// display as something other than what it is.
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
        || matches!(
            c,
            '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{feff}' | '\u{2060}'
                ..='\u{2064}'
        )
}

/// A character no file name may hold on some system a letter is opened on
/// (Windows reserves these), besides the [`is_forbidden`] ones.
pub fn reserved_in_file_names(c: char) -> bool {
    matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
}

/// True when `text` has something a reader can see: not only white space,
/// characters [`is_forbidden`] refuses, and the
/// joiners, soft hyphen and Hangul fillers that are allowed but draw nothing.
pub fn is_visible(text: &str) -> bool {
    text.chars().any(|c| {
        !c.is_whitespace()
            && !is_forbidden(c)
            && !matches!(
                c,
                '\u{200c}'
                    | '\u{200d}'
                    | '\u{00ad}'
                    | '\u{034f}'
                    | '\u{115f}'
                    | '\u{1160}'
                    | '\u{3164}'
                    | '\u{ffa0}'
            )
    })
}

/// `text` as it may safely reach a terminal: every character [`is_forbidden`]
/// refuses (an ESC that would start a colour or move the cursor, a bidi
/// override that would reorder the message) is written as `\u{1b}`, so a
/// message shows what the file holds and the terminal does nothing with it.
/// Line breaks are escaped too: a value must not start a line of its own.
pub fn escape_for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    escape_except(text, &[])
}

/// [`escape_for_terminal`] for a whole message, whose own lines stay lines.
pub fn escape_message(text: &str) -> std::borrow::Cow<'_, str> {
    escape_except(text, &['\n'])
}

fn escape_except<'a>(text: &'a str, kept: &[char]) -> std::borrow::Cow<'a, str> {
    if first_forbidden(text, kept).is_none() {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_forbidden(c) && !kept.contains(&c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// `bytes` in lowercase hexadecimal, appended to `out`: how digests, message
/// ids and MIME boundaries are written.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
}

/// `bytes` in lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    push_hex(&mut out, bytes);
    out
}

/// The most of one input an error quotes: a message stays a few lines
/// however long the input (a pasted document, a path of 4,000 characters).
pub const QUOTED_MAX: usize = 200;

/// A user's input as an error quotes it: in backticks (or other marks),
/// cut after [`QUOTED_MAX`] characters with its length said, e.g.
/// `` `xxxx…` (5000 characters) ``. Every error that repeats what the user
/// typed or a file held goes through it.
pub fn quote(input: &str) -> Quoted<'_> {
    Quoted {
        input,
        marks: ("`", "`"),
        most: QUOTED_MAX,
    }
}

/// See [`quote`].
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a> {
    input: &'a str,
    marks: (&'a str, &'a str),
    /// Characters shown before the cut.
    most: usize,
}

impl<'a> Quoted<'a> {
    /// In double quotes, as a value that may hold spaces is written.
    pub fn in_double_quotes(self) -> Quoted<'a> {
        Quoted {
            marks: ("\"", "\""),
            ..self
        }
    }

    /// In single quotes, as clap quotes a value.
    pub fn in_single_quotes(self) -> Quoted<'a> {
        Quoted {
            marks: ("'", "'"),
            ..self
        }
    }

    /// Cut after `most` characters rather than [`QUOTED_MAX`]: a part of a
    /// longer message (a server's reply in a line of its own).
    pub fn at_most(self, most: usize) -> Quoted<'a> {
        Quoted { most, ..self }
    }

    /// Without marks: a path at the head of a message.
    pub fn bare(self) -> Quoted<'a> {
        Quoted {
            marks: ("", ""),
            ..self
        }
    }
}

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (open, close) = self.marks;
        match self.input.char_indices().nth(self.most) {
            None => write!(f, "{open}{}{close}", self.input),
            Some((cut, _)) => write!(
                f,
                "{open}{}…{close} ({} characters)",
                &self.input[..cut],
                self.input.chars().count()
            ),
        }
    }
}

/// A message written by another (clap's "invalid value '…'"), with every
/// value it quotes in single quotes cut as [`quote`] cuts it; `None` when
/// none is too long.
pub fn cut_quoted_values(message: &str) -> Option<String> {
    // An apostrophe in a word only makes a short part longer or shorter:
    // never one cut that is not long.
    cut_marked(message, '\'', QUOTED_MAX, false, |part| {
        quote(part).in_single_quotes().to_string()
    })
}

/// A message with every part in backticks (`` `…` ``, as errors quote a
/// key, a value or an id) cut as [`quote`] cuts it: serde, toml and
/// handlebars repeat the input they refuse whole, and a message built from
/// theirs is cut here, where every error is shown.
pub fn cut_backquoted_values(message: &str) -> std::borrow::Cow<'_, str> {
    // One [`quote`] already cut holds its mark `…` past the limit; a last
    // part with no closing mark is written as it came.
    match cut_marked(message, '`', QUOTED_MAX + 1, true, |part| {
        quote(part).to_string()
    }) {
        Some(cut) => std::borrow::Cow::Owned(cut),
        None => std::borrow::Cow::Borrowed(message),
    }
}

/// `message` with each part between two `mark`s longer than `limit`
/// characters written by `show` (which puts the marks back); `None` when no
/// part is that long. `keep_unclosed`: a last part with no closing mark is
/// left as it is.
fn cut_marked(
    message: &str,
    mark: char,
    limit: usize,
    keep_unclosed: bool,
    show: impl Fn(&str) -> String,
) -> Option<String> {
    let parts: Vec<&str> = message.split(mark).collect();
    let long = |part: &&str| part.chars().count() > limit;
    if !parts.iter().skip(1).step_by(2).any(long) {
        return None;
    }
    let mut out = String::with_capacity(message.len().min(4096));
    for (i, part) in parts.iter().enumerate() {
        match i % 2 {
            0 => out.push_str(part),
            _ if keep_unclosed && i == parts.len() - 1 => {
                out.push(mark);
                out.push_str(part);
            }
            _ => out.push_str(&show(part)),
        }
    }
    Some(out)
}

/// "1 mission", "2 missions": `noun` with an `s` unless there is one.
pub fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes looked at first let no forbidden character through, alone
    /// or inside other text, in any script.
    #[test]
    fn every_forbidden_character_is_found_wherever_it_is() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = is_forbidden(c).then_some(c);
            assert_eq!(first_forbidden(&c.to_string(), &[]), expected, "{c:?}");
            let inside = format!("Жанболат {c} Nguyễn");
            assert_eq!(first_forbidden(&inside, &[]), expected, "{c:?} inside");
        }
        assert_eq!(first_forbidden("a\tb\u{202e}", &['\t']), Some('\u{202e}'));
    }

    #[test]
    fn double_spaces_are_found_wherever_they_are() {
        for text in [
            "",
            " ",
            "  ",
            "a  b",
            "a b",
            " a b ",
            "ab  ",
            "  ab",
            "a \u{a0} b",
            "a\t\tb",
        ] {
            assert_eq!(has_double_space(text), text.contains("  "), "{text:?}");
        }
    }

    #[test]
    fn every_long_part_in_backticks_is_cut_and_the_rest_kept() {
        let long = "k".repeat(5000);
        let message = format!("unknown field `{long}`, expected `id` or `name`");
        assert_eq!(
            cut_backquoted_values(&message),
            format!(
                "unknown field `{}…` (5000 characters), expected `id` or `name`",
                "k".repeat(QUOTED_MAX)
            )
        );
        // Short, or unclosed: as it came.
        assert_eq!(cut_backquoted_values("a `b` c"), "a `b` c");
        let open = format!("a `{long}");
        assert_eq!(cut_backquoted_values(&open), open);
    }

    #[test]
    fn escaped_text_holds_nothing_a_terminal_acts_on() {
        for (raw, shown) in [
            ("plain, Жанболат", "plain, Жанболат"),
            ("\u{1b}[31mred", "\\u{1b}[31mred"),
            ("a\nb\rc\td", "a\\u{a}b\\u{d}c\\u{9}d"),
            ("\u{202e}evil", "\\u{202e}evil"),
            (
                "bell\u{7} del\u{7f} c1\u{9b}",
                "bell\\u{7} del\\u{7f} c1\\u{9b}",
            ),
        ] {
            assert_eq!(escape_for_terminal(raw), shown);
            assert!(escape_for_terminal(raw).chars().all(|c| !is_forbidden(c)));
        }
        assert_eq!(escape_message("one\ntwo\u{1b}"), "one\ntwo\\u{1b}");
    }

    #[test]
    fn hex_is_two_lowercase_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        let mut out = String::from("id.");
        push_hex(&mut out, &[0xbe, 0xef]);
        assert_eq!(out, "id.beef");
    }

    #[test]
    fn a_quoted_input_is_cut_with_its_length_said() {
        assert_eq!(quote("gb-london").to_string(), "`gb-london`");
        assert_eq!(quote("x").in_double_quotes().to_string(), "\"x\"");
        let exact = "ж".repeat(QUOTED_MAX);
        assert_eq!(quote(&exact).bare().to_string(), exact);
        for long in ["x".repeat(QUOTED_MAX + 1), "ж".repeat(5000)] {
            let shown = quote(&long).to_string();
            let length = long.chars().count();
            assert!(
                shown.ends_with(&format!("…` ({length} characters)")),
                "{shown}"
            );
            assert_eq!(
                shown.chars().count(),
                QUOTED_MAX + 3 + format!(" ({length} characters)").len()
            );
        }
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(0, "mission"), "0 missions");
        assert_eq!(count(1, "mission"), "1 mission");
        assert_eq!(count(2, "letter"), "2 letters");
    }
}
