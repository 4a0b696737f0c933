//! The typographer's rules a composed letter follows in its language, applied
//! once here so that text, email, PDF and JSON say the same thing:
//!
//! - a no-break space (U+00A0) where a line must not break: between a number
//!   and its unit or month («10 апреля», "4 December", «2026 г.»), after «№»
//!   and "No.", between initials and between initials and the surname
//!   («К.-Ж. К. Токаеву»), and before a dash (« — », which must not open a
//!   line);
//! - lists written as the language writes them: in Russian, items that are
//!   parts of one sentence start in lower case (a name keeps its capital),
//!   end in «;» and the last in «.»; items that are whole sentences stay
//!   sentences, each with its full stop. English lists are left as written.
//!
//! The renderers only have to honour U+00A0, which they do: they break lines
//! at ASCII spaces alone.

use crate::catalog::primary_language;
use crate::date::MONTHS_RU;

use super::letter::{Block, Letter};
use super::marks;

pub const NBSP: char = '\u{a0}';

/// Words that a number before them measures or dates: months and units, by
/// language. Compared in lower case, without a trailing comma or full stop
/// (but «г.» keeps its dot: it is how the abbreviation is written).
fn is_unit(language: &str, word: &str) -> bool {
    // Besides the months (`MONTHS_RU`, genitive and nominative).
    const RUSSIAN: &[&str] = &[
        "г.",
        "гг.",
        "г",
        "гг",
        "год",
        "года",
        "году",
        "годом",
        "годам",
        "годами",
        "годах",
        "лет",
        "месяц",
        "месяца",
        "месяцев",
        "месяцам",
        "неделя",
        "недели",
        "недель",
        "день",
        "дня",
        "дней",
        "дням",
        "сутки",
        "суток",
        "час",
        "часа",
        "часов",
        "минута",
        "минуты",
        "минут",
        "секунд",
        "тенге",
        "рублей",
        "долларов",
        "евро",
        "тыс.",
        "млн",
        "млрд",
        "км",
        "м",
        "см",
        "мм",
        "кг",
        "г.",
        "т",
        "%",
        "килограммов",
        "килограмма",
        "миллионов",
        "миллиона",
        "миллиардов",
        "тысяч",
        "тысячи",
    ];
    const ENGLISH: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hour",
        "hours",
        "minute",
        "minutes",
        "km",
        "kg",
        "%",
        "per",
        "million",
        "billion",
        "tenge",
        "kilograms",
        "kilos",
    ];
    let word = word.trim_end_matches([',', ';', ':', ')', '»', '"']);
    let russian = primary_language(language) == "ru";
    // The English list is ASCII: an ASCII word is compared without a
    // lower-case copy (a batch asks this of every number in an address).
    if !russian && word.is_ascii() {
        let bare = word.trim_end_matches('.');
        return ENGLISH
            .iter()
            .any(|unit| unit.eq_ignore_ascii_case(word) || unit.eq_ignore_ascii_case(bare));
    }
    let lower = word.to_lowercase();
    let bare = lower.trim_end_matches('.');
    let list = match russian {
        true => RUSSIAN,
        false => ENGLISH,
    };
    let is_month = |w: &str| {
        russian
            && MONTHS_RU
                .iter()
                .any(|[genitive, _, nominative]| w == *genitive || w == *nominative)
    };
    let listed = |w: &str| list.contains(&w) || is_month(w);
    listed(&lower) || listed(bare)
}

/// A number: digits, with separators inside ("1,5", "2023-2024", "3А" is not).
fn is_number(word: &str) -> bool {
    let word = word.trim_start_matches(['(', '«', '"']);
    word.chars().next().is_some_and(|c| c.is_ascii_digit())
        && word.chars().last().is_some_and(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '–' | '/'))
}

/// Initials: "К.", "К.-Ж.", "H.E.", "A.B." — capitals each followed by a dot.
fn is_initials(word: &str) -> bool {
    let mut chars = word.chars().peekable();
    let mut letters = 0;
    while let Some(c) = chars.next() {
        if !c.is_uppercase() || chars.next() != Some('.') {
            return false;
        }
        letters += 1;
        if chars.peek() == Some(&'-') {
            chars.next();
        }
    }
    letters > 0
}

/// The signs a number follows: «№», "No." (and their plurals).
fn is_number_sign(word: &str) -> bool {
    matches!(word, "№" | "№№" | "No." | "Nos." | "no." | "nos.")
}

fn is_dash(word: &str) -> bool {
    matches!(word, "—" | "–")
}

/// `text` with a no-break space wherever the rules above forbid a break.
/// Only single ASCII spaces are looked at: composed text has no other.
pub fn no_break_spaces(text: &str, language: &str) -> String {
    glued(text, language).unwrap_or_else(|| text.to_string())
}

/// [`no_break_spaces`], or `None` where no space is to be glued: most lines
/// of a letter, which then cost no copy.
fn glued(text: &str, language: &str) -> Option<String> {
    let mut out = String::new();
    // The bytes of `text` before `copied` are in `out`.
    let mut copied = 0;
    // Each word with the one after it; a batch runs this on many lines of
    // every letter, so the words are found by bytes and most pairs are let
    // go on the bytes that every rule needs.
    let mut words = words(text);
    let mut word = words.next().unwrap_or_default();
    let mut at = word.len();
    for next in words {
        // A word may hold no-break spaces already (the text was set once,
        // or its writer typed them): the rules look at the pieces that
        // meet, which end and start with the same bytes as the words.
        if may_glue(word, next) && glue(last_piece(word), first_piece(next), language) {
            if out.capacity() == 0 {
                out.reserve(text.len() + 8);
            }
            out.push_str(&text[copied..at]);
            out.push(NBSP);
            copied = at + 1;
        }
        at += 1 + next.len();
        word = next;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

fn last_piece(word: &str) -> &str {
    word.rsplit(NBSP)
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or(word)
}

fn first_piece(word: &str) -> &str {
    word.split(NBSP)
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or(word)
}

/// Whether the space between `word` and `next` must not break.
fn glue(word: &str, next: &str, language: &str) -> bool {
    !word.is_empty()
        && !next.is_empty()
        && ((is_number(word) && is_unit(language, next))
            || (is_number_sign(word) && next.starts_with(|c: char| c.is_ascii_digit()))
            || (is_initials(word) && next.chars().next().is_some_and(char::is_uppercase))
            || is_dash(next))
}

/// What [`glue`] needs of its words, told by their bytes: a number ends in
/// a digit; initials end in a dot or the hyphen of a double initial, "No."
/// in a dot; «№» starts with the byte 0xE2, as does a dash, as every
/// character from U+2000 to U+2FFF does. A word's last piece ends as the
/// word does, and the next word's first piece starts as it does; only «№»
/// may start a piece inside a word.
fn may_glue(word: &str, next: &str) -> bool {
    matches!(word.as_bytes().last(), Some(b'0'..=b'9' | b'.' | b'-'))
        || next.as_bytes().first() == Some(&0xE2)
        || (word.as_bytes().contains(&0xE2) && last_piece(word).starts_with('№'))
}

/// `text.split(' ')`, by bytes: the general searcher costs most on short words.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.bytes().position(|b| b == b' ') {
            Some(at) => {
                rest = Some(&text[at + 1..]);
                Some(&text[..at])
            }
            None => rest.take(),
        }
    })
}

/// Text someone typed, set in the language: its quotation marks and dashes
/// (see [`marks`]), then its no-break spaces.
pub fn set(text: &str, language: &str) -> String {
    let mut text = text.to_string();
    set_line(&mut text, language, true);
    text
}

/// [`set`] (or, without `marks`, only the no-break spaces) where a rule can
/// apply; a line none can, most lines of a letter, is left as it is, unread
/// twice and unallocated: a batch sets every such line of every letter.
/// The directory's lines take no marks: a copy may be `"Name" <address>`.
pub fn set_line(text: &mut String, language: &str, marks: bool) {
    if marks && (text.contains('"') || text.contains(" -")) {
        *text = marks::typed(text, language);
    }
    if may_glue_somewhere(text) {
        if let Some(glued) = glued(text, language) {
            *text = glued;
        }
    }
}

/// Whether any pair of words in `text` could be glued: [`may_glue`] needs a
/// digit, a dot or a hyphen at a word's end, or a byte 0xE2 (a dash, «№»).
fn may_glue_somewhere(text: &str) -> bool {
    // Every byte looked at, with no branch to stop early: what lets the
    // compiler look at many at once.
    let (space, candidate) = text.bytes().fold((false, false), |(space, candidate), b| {
        (
            space | (b == b' '),
            candidate | b.is_ascii_digit() | (b == b'.') | (b == b'-') | (b == 0xE2),
        )
    });
    space && candidate
}

/// Every line of `letter` outside its body, set as the body is, once: the
/// date line, the address block, subject, salutation, closing, signature,
/// copies and the sender's block. What the sender and the template wrote
/// (name, role, organisation, address, subject, greeting) takes the
/// language's quotation marks and dashes too; the directory's lines and the
/// copies take only no-break spaces: a copy may be `"Name" <address>`,
/// whose quotes its mail header needs.
///
/// The lines the mission and template decide (address, greeting, closing)
/// and the date come set from the mission's data, once a mission (see
/// [`set_line`]); these are the sender's and the letter's own.
pub fn lines(mut letter: Letter) -> Letter {
    let language = letter.language.clone();
    let language = language.as_str();
    let typed = |text: &mut String| set_line(text, language, true);
    let spaced = |text: &mut String| set_line(text, language, false);
    typed(&mut letter.subject);
    letter.signature.iter_mut().for_each(typed);
    typed(&mut letter.sender.name);
    letter.sender.lines.iter_mut().for_each(typed);
    typed(&mut letter.sender.return_line);
    letter.place.iter_mut().for_each(typed);
    letter.cc.iter_mut().for_each(spaced);
    letter
}

/// The body with the language's rules applied: no-break spaces everywhere,
/// and lists punctuated as the language punctuates them. `names` are the
/// letter's people as it writes them: an item starting with one keeps its capital.
/// `set` sets one paragraph or item as [`set`] does (a caller may remember
/// what it set: a batch's letters share most of their paragraphs).
pub fn body(
    blocks: Vec<Block>,
    language: &str,
    names: &[&str],
    mut set: impl FnMut(&str) -> String,
) -> Vec<Block> {
    let russian = primary_language(language) == "ru";
    let proper = if russian {
        ProperNouns::of(&blocks, names)
    } else {
        ProperNouns::default()
    };
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(text) => Block::Paragraph(set(&text)),
            Block::List(items) => {
                let items = match russian {
                    true => russian_list(items, &proper),
                    false => items,
                };
                Block::List(items.iter().map(|item| set(item)).collect())
            }
        })
        .collect()
}

/// Words a Russian text capitalises where no sentence starts, so that an
/// item starting with one keeps its capital: the people's names, and every
/// word written with a capital inside a sentence of the letter («Казахстан»,
/// «Комитет защиты журналистов»), compared by stem so that «Казахстана» is
/// found as «Казахстан».
#[derive(Default)]
struct ProperNouns {
    stems: Vec<String>,
}

impl ProperNouns {
    fn of(blocks: &[Block], names: &[&str]) -> ProperNouns {
        let mut stems: Vec<String> = names
            .iter()
            .filter_map(|name| name.split(' ').next())
            .map(stem)
            .collect();
        let texts = blocks.iter().flat_map(|block| match block {
            Block::Paragraph(text) => vec![text.as_str()],
            Block::List(items) => items.iter().map(String::as_str).collect(),
        });
        for text in texts {
            let mut previous: Option<&str> = None;
            for word in text.split([' ', NBSP]) {
                let sentence_start =
                    previous.is_none_or(|p| p.ends_with(['.', '!', '?', ':', '…']));
                let word = word.trim_start_matches(['«', '"', '(', '„']);
                if !sentence_start && word.chars().next().is_some_and(char::is_uppercase) {
                    stems.push(stem(word));
                }
                previous = Some(word);
            }
        }
        stems.sort();
        stems.dedup();
        ProperNouns { stems }
    }

    fn contains(&self, word: &str) -> bool {
        self.stems.binary_search(&stem(word)).is_ok()
    }
}

/// A word's lower-case stem: without its last two letters (an ending), but
/// never shorter than four, so that short words are compared whole.
fn stem(word: &str) -> String {
    let letters: Vec<char> = word
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .flat_map(char::to_lowercase)
        .collect();
    let keep = letters.len().saturating_sub(2).max(4).min(letters.len());
    letters[..keep].iter().collect()
}

/// Whether `item` holds more than one sentence: a full stop, «!» or «?»
/// after a word (not an initial or an abbreviation such as «г.») and then a
/// capital.
fn is_sentences(item: &str) -> bool {
    let words: Vec<&str> = item.split([' ', NBSP]).collect();
    words.windows(2).any(|pair| {
        let (word, next) = (pair[0], pair[1]);
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        word.ends_with(['.', '!', '?', '…'])
            && letters >= 3
            && next.chars().next().is_some_and(char::is_uppercase)
    })
}

fn russian_list(items: Vec<String>, proper: &ProperNouns) -> Vec<String> {
    if items.iter().any(|item| is_sentences(item)) {
        return items
            .into_iter()
            .map(|mut item| {
                let trimmed = item.trim_end_matches([' ', ';', ',']).len();
                item.truncate(trimmed);
                if !item.ends_with(['.', '!', '?', '…']) {
                    item.push('.');
                }
                item
            })
            .collect();
    }
    let last = items.len().saturating_sub(1);
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let item = item.trim_end_matches([' ', '.', ';', ',']);
            let mut out = lower_first(item, proper);
            out.push(if i == last { '.' } else { ';' });
            out
        })
        .collect()
}

/// `item` with its first letter in lower case, unless its first word is a
/// name: one the letter capitalises inside a sentence, an abbreviation
/// («ООН»), a word in Latin letters, or one with digits.
fn lower_first(item: &str, proper: &ProperNouns) -> String {
    let first = item.split([' ', NBSP]).next().unwrap_or_default();
    let mut chars = first.chars();
    let keep = match chars.next() {
        None => true,
        Some(c) if !c.is_uppercase() => true,
        Some(c) => {
            !matches!(c, 'А'..='Я' | 'Ё')
                || first
                    .chars()
                    .skip(1)
                    .any(|c| c.is_uppercase() || c.is_ascii_digit())
                || proper.contains(first)
        }
    };
    if keep {
        return item.to_string();
    }
    let mut chars = item.chars();
    let head = chars.next().expect("a first letter");
    head.to_lowercase().chain(chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb(text: &str) -> String {
        text.replace('~', "\u{a0}")
    }

    #[test]
    fn the_words_and_their_glue_are_those_of_every_pair_split_at_a_space() {
        // The rules, applied to every pair of words without the byte tests.
        fn plainly(text: &str, language: &str) -> String {
            let words: Vec<&str> = text.split(' ').collect();
            let mut out = String::new();
            for (i, word) in words.iter().enumerate() {
                out.push_str(word);
                if let Some(next) = words.get(i + 1) {
                    out.push(if glue(last_piece(word), first_piece(next), language) {
                        NBSP
                    } else {
                        ' '
                    });
                }
            }
            out
        }
        let pieces = [
            "",
            " ",
            "  ",
            "10",
            "1,5",
            "2023-2024",
            "(12",
            "«3",
            "апреля",
            "г.",
            "May",
            "may,",
            "years",
            "№",
            "№№",
            "No.",
            "nos.",
            "К.",
            "К.-",
            "К.-Ж.",
            "H.E.",
            "A.",
            "a.",
            "Токаеву",
            "Lee",
            "—",
            "–",
            "‐",
            "…",
            "x",
            "\u{a0}",
            "3А",
            "Ж",
            "10\u{a0}мая",
            "ǅ.",
            "1.",
        ];
        for language in ["ru", "en-GB", "kk"] {
            for a in pieces {
                for b in pieces {
                    for c in ["", "Ann", "5"] {
                        let text = format!("{a} {b} {c}");
                        assert_eq!(
                            no_break_spaces(&text, language),
                            plainly(&text, language),
                            "{text:?} in {language}"
                        );
                        let joined = format!("{a}{b}");
                        assert_eq!(
                            words(&joined).collect::<Vec<_>>(),
                            joined.split(' ').collect::<Vec<_>>()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn glues_numbers_to_units_signs_to_numbers_initials_to_names_and_dashes_back() {
        for (language, raw, glued) in [
            ("ru", "10 апреля 2023 года суд", "10~апреля 2023~года суд"),
            ("ru", "4 декабря 2026 г.", "4~декабря 2026~г."),
            (
                "ru",
                "в учреждение № 4 в Степногорске",
                "в учреждение №~4 в Степногорске",
            ),
            (
                "ru",
                "Президенту К.-Ж. К. Токаеву",
                "Президенту К.-Ж.~К.~Токаеву",
            ),
            (
                "ru",
                "Сатира — естественная часть",
                "Сатира~— естественная часть",
            ),
            ("ru", "50 миллионов тенге", "50~миллионов тенге"),
            ("ru", "к 25 отказам", "к 25 отказам"),
            (
                "en-GB",
                "on 4 December 2026, in No. 4",
                "on 4~December 2026, in No.~4",
            ),
            ("en-GB", "for 7 years – and more", "for 7~years~– and more"),
            (
                "en-GB",
                "H.E. Kassym-Jomart Tokayev",
                "H.E.~Kassym-Jomart Tokayev",
            ),
            ("en-GB", "plain text stays", "plain text stays"),
        ] {
            assert_eq!(no_break_spaces(raw, language), nb(glued), "{raw}");
        }
    }

    #[test]
    fn russian_lists_are_lower_case_clauses_with_semicolons_and_a_full_stop() {
        let blocks = vec![
            Block::Paragraph("Мы пишем о Махамбете Абжане из Казахстана.".into()),
            Block::List(vec![
                "Освободить Махамбета Абжана".into(),
                "Казахстану прекратить преследование".into(),
                "ООН — следить за делом".into(),
                "До его освобождения обеспечить лечение.".into(),
            ]),
            Block::List(vec![
                "Асель Нурланова, журналистка".into(),
                "Ерлан Калиев".into(),
            ]),
        ];
        let out = body(
            blocks,
            "ru",
            &["Асель Нурланова", "Ерлан Калиев"],
            |t| set(t, "ru"),
        );
        assert_eq!(
            out[1],
            Block::List(vec![
                "освободить Махамбета Абжана;".into(),
                "Казахстану прекратить преследование;".into(),
                nb("ООН~— следить за делом;"),
                "до его освобождения обеспечить лечение.".into(),
            ])
        );
        assert_eq!(
            out[2],
            Block::List(vec![
                "Асель Нурланова, журналистка;".into(),
                "Ерлан Калиев.".into()
            ])
        );
    }

    #[test]
    fn items_of_several_sentences_stay_sentences_and_english_is_untouched() {
        let items = vec![
            "Освободить его. Он болен.".to_string(),
            "Снять запреты".to_string(),
        ];
        let out = body(vec![Block::List(items.clone())], "ru", &[], |t| {
            set(t, "ru")
        });
        assert_eq!(
            out[0],
            Block::List(vec![
                "Освободить его. Он болен.".into(),
                "Снять запреты.".into()
            ])
        );
        let english = vec!["Release him".to_string(), "Lift the ban".to_string()];
        let out = body(vec![Block::List(english.clone())], "en-GB", &[], |t| {
            set(t, "en-GB")
        });
        assert_eq!(out[0], Block::List(english));
    }
}
