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
