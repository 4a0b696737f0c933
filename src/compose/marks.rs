//! Quotation marks and dashes as the letter's language prints them, for the
//! text a user types on a keyboard that has neither: their own template,
//! personal paragraph, organisation or name.
//!
//! - Straight double quotes become the language's quotation marks: «…» in
//!   Russian (and Kazakh), „…“ inside them; “…” in English, ‘…’ inside them.
//!   The depth counts the marks already there, so an `org` of `Union "X"`
//!   quoted by a template as «{{sender.org}}» prints «Union „X“». Quotes that
//!   cannot be paired (an odd number, a close before any open) are left as
//!   typed: a guess would turn a quotation inside out.
//! - A hyphen with a space on each side, between words, is a dash: « — » in
//!   Russian, " – " in English (the spaced en dash of British usage). The
//!   no-break space before it is [`super::typography`]'s to add.

use crate::catalog::primary_language;

/// The opening and closing marks of a language, outer level then inner.
struct Marks {
    outer: (char, char),
    inner: (char, char),
    dash: &'static str,
}

fn marks(language: &str) -> Marks {
    match &*primary_language(language) {
        "ru" | "kk" => Marks {
            outer: ('«', '»'),
            inner: ('„', '“'),
            dash: "—",
        },
        _ => Marks {
            outer: ('“', '”'),
            inner: ('‘', '’'),
            dash: "–",
        },
    }
}

/// `text` with its straight double quotes and spaced hyphens written as
/// the language writes them (see the module's comment).
pub fn typed(text: &str, language: &str) -> String {
    let marks = marks(language);
    let text = match text.contains(" -") {
        true => dashes(text, marks.dash),
        false => text.to_string(),
    };
    match text.contains('"') {
        true => quotes(&text, &marks).unwrap_or(text),
        false => text,
    }
}

/// Each ` - ` or ` -- ` between two words as ` DASH `.
fn dashes(text: &str, dash: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let between_words =
            i > 0 && i + 1 < words.len() && !words[i - 1].is_empty() && !words[i + 1].is_empty();
        match *word {
            "-" | "--" if between_words => out.push_str(dash),
            _ => out.push_str(word),
        }
    }
    out
}

/// The marks a quotation is opened with, in the order they are open.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    /// One the text already had (its closing mark).
    Kept(char),
    /// One made of a straight quote, at this depth.
    Made(bool),
}

/// `text` with straight double quotes paired and turned into `marks`, or
/// None when they cannot be paired.
fn quotes(text: &str, marks: &Marks) -> Option<String> {
    if text.matches('"').count() % 2 == 1 {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut open: Vec<Open> = Vec::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        // A quote opens after a space, a bracket, a dash or an opening mark
        // (the language's, as printed: `""x""` nests), and closes elsewhere.
        let opens_here = previous.is_none_or(|p| {
            p.is_whitespace()
                || matches!(p, '(' | '[' | '—' | '–' | '/')
                || p == marks.outer.0
                || p == marks.inner.0
        });
        let printed = match c {
            '"' if opens_here => {
                let inner = open.len() % 2 == 1;
                open.push(Open::Made(inner));
                if inner {
                    marks.inner.0
                } else {
                    marks.outer.0
                }
            }
            '"' => match open.pop() {
                Some(Open::Made(true)) => marks.inner.1,
                Some(Open::Made(false)) => marks.outer.1,
                _ => return None,
            },
            _ => {
                match c {
                    '«' => open.push(Open::Kept('»')),
                    '„' => open.push(Open::Kept('“')),
                    '“' if marks.outer.0 == '“' || open.last() != Some(&Open::Kept('“')) => {
                        open.push(Open::Kept('”'))
                    }
                    _ if open.last() == Some(&Open::Kept(c)) => {
                        open.pop();
                    }
                    _ => {}
                }
                c
            }
        };
        out.push(printed);
        previous = Some(printed);
    }
    open.iter()
        .all(|mark| matches!(mark, Open::Kept(_)))
        .then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_quotes_and_spaced_hyphens_are_typed_as_the_language_types_them() {
        for (language, raw, typed_text) in [
            (
                "ru",
                "премию \"Свобода\" - так писала",
                "премию «Свобода» — так писала",
            ),
            ("ru", "«Union \"X\"»", "«Union „X“»"),
            ("ru", "«\"Свобода\"»", "«„Свобода“»"),
            ("ru", "Профсоюз \"Союз \"Труд\"\"", "Профсоюз «Союз „Труд“»"),
            ("ru", "„уже“ и «уже»", "„уже“ и «уже»"),
            ("ru", "нечётная \" кавычка", "нечётная \" кавычка"),
            ("ru", "слово\" и \"слово", "слово\" и \"слово"),
            ("ru", "Алма-Ата, 2023-2024", "Алма-Ата, 2023-2024"),
            ("ru", "- в начале", "- в начале"),
            ("ru", "в конце -", "в конце -"),
            ("ru", "раз -- два", "раз — два"),
            (
                "en-GB",
                "the \"Freedom\" prize - she wrote",
                "the “Freedom” prize – she wrote",
            ),
            ("en-GB", "“Union \"X\"”", "“Union ‘X’”"),
            (
                "en-GB",
                "don't touch 5' or twenty-two",
                "don't touch 5' or twenty-two",
            ),
        ] {
            assert_eq!(typed(raw, language), typed_text, "{raw:?} in {language}");
        }
    }

    /// Every string of a few pieces: setting twice changes nothing more;
    /// quotes are all paired or all left; nothing but the marks changes.
    #[test]
    fn setting_is_idempotent_and_changes_only_the_marks() {
        let pieces = [
            "a", " ", "\"", "-", " - ", "«", "»", "„", "“", "”", "Б", "\u{a0}",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
        }
        for text in &texts {
            for language in ["ru", "en-GB"] {
                let once = typed(text, language);
                assert_eq!(typed(&once, language), once, "{text:?} in {language}");
                let straight_left = once.matches('"').count();
                assert!(
                    straight_left == 0 || straight_left == text.matches('"').count(),
                    "{text:?} in {language}: {once:?}"
                );
                // Back to straight quotes and hyphens, it is the text typed.
                let marks = marks(language);
                let made = [marks.outer.0, marks.outer.1, marks.inner.0, marks.inner.1];
                let unmade: String = once
                    .chars()
                    .map(|c| match c {
                        '—' | '–' => '-',
                        c if straight_left == 0 && text.contains('"') && made.contains(&c) => '"',
                        c => c,
                    })
                    .collect();
                let typed_back: String = text
                    .replace("--", "-")
                    .chars()
                    .map(|c| match c {
                        c if straight_left == 0 && text.contains('"') && made.contains(&c) => '"',
                        c => c,
                    })
                    .collect();
                assert_eq!(
                    unmade.replace("--", "-"),
                    typed_back,
                    "{text:?} in {language}: {once:?}"
                );
            }
        }
    }
}
