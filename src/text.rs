//! Character checks shared by everything that reads text from a user or a data
//! file: the catalog's validation, the composer, the batch reader and the prompts.
//! They sit below all of those so that none of them reaches into another.

/// The first character of `text` that [`is_forbidden`] and is not in `allowed`.
/// ASCII text, most of what a batch reads, is checked a byte at a time: its
/// only forbidden characters are the control codes.
pub fn first_forbidden(text: &str, allowed: &[char]) -> Option<char> {
    if text.is_ascii() {
        return text
            .bytes()
            .map(char::from)
            .find(|c| c.is_ascii_control() && !allowed.contains(c));
    }
    text.chars()
        .find(|c| is_forbidden(*c) && !allowed.contains(c))
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
    fn counts_are_singular_for_one() {
        assert_eq!(count(0, "mission"), "0 missions");
        assert_eq!(count(1, "mission"), "1 mission");
        assert_eq!(count(2, "letter"), "2 letters");
    }
}
