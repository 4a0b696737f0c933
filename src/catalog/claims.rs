//! What a letter's text states that a machine can hold against its facts:
//! numbers ("seven years", "8,000"), dates ("2 August 2024", "in May 2023",
//! "3 февраля 2023 года") and spans in quotation marks. `check` refuses a
//! letter that states one of them without a listed fact, quotation or title
//! to carry it; everything else in a letter is for a reader to judge.

use std::collections::HashSet;

use crate::date::{PartialDate, MONTHS_EN, MONTHS_RU};

/// One thing a text states, on a line of it (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub line: usize,
    pub kind: ClaimKind,
    /// As written, for the message: `seven`, `2 August 2024`, `"shame"`.
    pub shown: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimKind {
    /// Digits or an English number word, normalised: `8000`, `25.7`, `7`.
    Number(String),
    /// A day and/or month, with or without a year.
    Date(DateMention),
    /// A year on its own ("in 2015", "the summer of 2022").
    Year(i32),
    /// The words between quotation marks, whitespace collapsed.
    Quotation(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub day: Option<u32>,
    pub month: u32,
    pub year: Option<i32>,
}

/// Stands for a Handlebars expression, which the text does not state: the
/// data behind it (a name, an event's note) is sourced where it is kept.
const EXPRESSION: char = '\u{FFFC}';

/// Every claim in `text`, a template body or a front matter value, in order.
/// Number words are read in the `language` of the text (the primary
/// subtag: English and Russian); digits and the month names of English and
/// Russian in any letter.
pub fn claims(text: &str, language: &str) -> Vec<Claim> {
    let text = strip_expressions(text);
    let mut found = Vec::new();
    let mut quoted: Vec<(usize, usize)> = Vec::new();
    for span in quotations(&text) {
        quoted.push((span.start, span.end));
        let inner: String = text[span.inner.clone()].to_string();
        let words = collapse(&inner.replace(EXPRESSION, " "));
        // «{{sender.org}}»: the sender's own name, not a statement.
        if words.is_empty() {
            continue;
        }
        found.push((
            span.start,
            Claim {
                line: line_at(&text, span.start),
                kind: ClaimKind::Quotation(collapse(&inner)),
                shown: collapse(&text[span.start..span.end]),
            },
        ));
    }
    let in_quote = |pos: usize| quoted.iter().any(|&(s, e)| pos >= s && pos < e);
    let tokens: Vec<Token> = tokenize(&text)
        .into_iter()
        .filter(|t| !in_quote(t.start))
        .collect();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((mention, used)) = date_at(&tokens, i) {
            let (start, end) = (tokens[i].start, tokens[i + used - 1].end);
            found.push((
                start,
                Claim {
                    line: line_at(&text, start),
                    kind: ClaimKind::Date(mention),
                    shown: collapse(&text[start..end]),
                },
            ));
            i += used;
            continue;
        }
        let token = &tokens[i];
        let number = match &token.kind {
            TokenKind::Digits(value) => Some(value.clone()),
            TokenKind::Word(word) => match language {
                "en" => number_word(word),
                "ru" => russian_number_word(word, tokens.get(i + 1)),
                _ => None,
            }
            .map(|n| n.to_string()),
            _ => None,
        };
        if let Some(value) = number {
            let kind = match year_of(&value) {
                Some(year) => ClaimKind::Year(year),
                None => ClaimKind::Number(value),
            };
            found.push((
                token.start,
                Claim {
                    line: line_at(&text, token.start),
                    kind,
                    shown: text[token.start..token.end].to_string(),
                },
            ));
        }
        i += 1;
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, claim)| claim).collect()
}

/// What a letter's facts, quotations and titles carry, to hold its claims against.
#[derive(Debug, Default)]
pub struct Support {
    numbers: HashSet<String>,
    years: HashSet<i32>,
    dates: Vec<DateMention>,
    quotations: Vec<String>,
    titles: Vec<String>,
}

impl Support {
    /// A fact: its date, and the numbers and dates in the words that say it.
    pub fn add_fact(&mut self, date: PartialDate, says: &str) {
        self.add_date(date);
        for claim in claims(says, "en") {
            match claim.kind {
                ClaimKind::Number(value) => {
                    self.numbers.insert(value);
                }
                ClaimKind::Year(year) => {
                    self.years.insert(year);
                }
                ClaimKind::Date(mut mention) => {
                    mention.year = mention.year.or(Some(date.year));
                    self.dates.push(mention);
                    self.years.extend(mention.year);
                }
                // A fact's own words may quote; the quotation is the fact's, not the letter's.
                ClaimKind::Quotation(words) => {
                    for inner in claims(&words, "en") {
                        if let ClaimKind::Number(value) = inner.kind {
                            self.numbers.insert(value);
                        }
                    }
                }
            }
        }
    }

    pub fn add_date(&mut self, date: PartialDate) {
        self.years.insert(date.year);
        if let Some(month) = date.month {
            self.dates.push(DateMention {
                day: date.day,
                month,
                year: Some(date.year),
            });
        }
    }

    /// A quotation, in the exact words of its source.
    pub fn add_quotation(&mut self, text: &str) {
        self.quotations.push(collapse(text));
    }

    /// A name the letter puts in quotation marks: a party, a newspaper, a channel.
    pub fn add_title(&mut self, title: &str) {
        self.titles.push(collapse(title));
    }

    pub fn carries(&self, claim: &ClaimKind) -> bool {
        match claim {
            ClaimKind::Number(value) => self.numbers.contains(value),
            ClaimKind::Year(year) => {
                self.years.contains(year) || self.numbers.contains(&year.to_string())
            }
            ClaimKind::Date(mention) => self.dates.iter().any(|known| covers(known, mention)),
            ClaimKind::Quotation(words) => {
                self.titles.iter().any(|title| title == words)
                    || self.quotations.iter().any(|quote| quote.contains(words))
            }
        }
    }
}

/// A fact of `known` supports a mention no more precise than it, of the same day.
fn covers(known: &DateMention, mention: &DateMention) -> bool {
    known.month == mention.month
        && mention.day.is_none_or(|day| known.day == Some(day))
        && mention.year.is_none_or(|year| known.year == Some(year))
}

/// `text` with each `{{…}}` replaced by [`EXPRESSION`] (its line breaks
/// kept, so that line numbers still match the file).
fn strip_expressions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find("}}") else {
            out.push_str(after);
            return out;
        };
        // `{{{x}}}` ends at its third brace.
        let mut end = close + 2;
        if after[end..].starts_with('}') {
            end += 1;
        }
        out.push(EXPRESSION);
        out.extend(after[..end].chars().filter(|&c| c == '\n'));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

struct Span {
    start: usize,
    end: usize,
    inner: std::ops::Range<usize>,
}

/// The top-level quotations: `"…"` (paired in order), `“…”`, `«…»`, `„…“`,
/// `‘…’`, `‹…›` and `「…」` (nested ones belong to the outer quotation). A
/// mark left open runs to the end of its paragraph, which still quotes
/// something. A `’` inside a word (people’s) is an apostrophe, not a close.
fn quotations(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char, usize)> = None;
    let mut depth = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (pos, c) = chars[k];
        match open {
            None => {
                if matches!(c, '"' | '“' | '«' | '„' | '‘' | '‹' | '「') {
                    open = Some((pos, c, pos + c.len_utf8()));
                    depth = 1;
                }
            }
            Some((start, opener, inner_start)) => {
                let next_is_letter = chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphabetic());
                let closes = match opener {
                    '"' => c == '"',
                    '“' => c == '”',
                    '«' => c == '»',
                    '„' => c == '“' || c == '”',
                    '‘' => c == '’' && !next_is_letter,
                    '‹' => c == '›',
                    _ => c == '」',
                };
                let paragraph_end =
                    c == '\n' && chars.get(k + 1).is_some_and(|&(_, next)| next == '\n');
                if c == opener && opener != '"' {
                    depth += 1;
                } else if closes {
                    depth -= 1;
                    if depth == 0 {
                        spans.push(Span {
                            start,
                            end: pos + c.len_utf8(),
                            inner: inner_start..pos,
                        });
                        open = None;
                    }
                } else if paragraph_end {
                    spans.push(Span {
                        start,
                        end: pos,
                        inner: inner_start..pos,
                    });
                    open = None;
                }
            }
        }
        k += 1;
    }
    if let Some((start, _, inner_start)) = open {
        spans.push(Span {
            start,
            end: text.len(),
            inner: inner_start..text.len(),
        });
    }
    spans
}

#[derive(Debug, Clone)]
struct Token {
    start: usize,
    end: usize,
    kind: TokenKind,
}

#[derive(Debug, Clone, PartialEq)]
enum TokenKind {
    /// Normalised: `8,000` is `8000`, `157th` is `157`.
    Digits(String),
    Word(String),
    Comma,
    /// A date in digits: 2024-08-02, 2024-08, 02.08.2024.
    Date(DateMention),
}

/// A date written in digits at the start of `chars`, and how many chars it
/// takes: ISO (`2024-08-02`, `2024-08`) or day.month.year (`02.08.2024`).
fn numeric_date(chars: &[(usize, char)]) -> Option<(DateMention, usize)> {
    let digits = |from: usize| {
        chars[from.min(chars.len())..]
            .iter()
            .take_while(|(_, c)| c.is_ascii_digit())
            .map(|(_, c)| *c)
            .collect::<String>()
    };
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let number = |text: &str| text.parse::<u32>().ok();
    let first = digits(0);
    let valid = |day: Option<u32>, month: u32| {
        (1..=12).contains(&month) && day.is_none_or(|d| (1..=31).contains(&d))
    };
    if first.len() == 4 && at(4) == Some('-') {
        let month = digits(5);
        if month.len() != 2 {
            return None;
        }
        let day = (at(7) == Some('-'))
            .then(|| digits(8))
            .filter(|d| d.len() == 2);
        let mention = DateMention {
            day: day.as_deref().and_then(number),
            month: number(&month)?,
            year: first.parse().ok(),
        };
        let used = 7 + day.map_or(0, |_| 3);
        return valid(mention.day, mention.month).then_some((mention, used));
    }
    if (1..=2).contains(&first.len()) && at(first.len()) == Some('.') {
        let month = digits(first.len() + 1);
        let year_at = first.len() + 1 + month.len() + 1;
        if !(1..=2).contains(&month.len()) || at(year_at - 1) != Some('.') {
            return None;
        }
        let year = digits(year_at);
        if year.len() != 4 {
            return None;
        }
        let mention = DateMention {
            day: number(&first),
            month: number(&month)?,
            year: year.parse().ok(),
        };
        return valid(mention.day, mention.month).then_some((mention, year_at + 4));
    }
    None
}

/// Words and numbers; a number glued to letters before it (`Qaznews24`,
/// `UG157`) is part of a name, not a number.
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(pos, _)| pos);
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        if c.is_ascii_digit() {
            // Qaznews24, COVID-19, EC-164: part of a name.
            let before = |back: usize| k.checked_sub(back).map(|i| chars[i].1);
            let glued = before(1).is_some_and(char::is_alphabetic)
                || (before(1) == Some('-') && before(2).is_some_and(char::is_alphabetic));
            if let Some((mention, used)) = numeric_date(&chars[k..]) {
                tokens.push(Token {
                    start,
                    end: end_of(k + used),
                    kind: TokenKind::Date(mention),
                });
                k += used;
                continue;
            }
            let mut j = k;
            let mut value = String::new();
            loop {
                while j < chars.len() && chars[j].1.is_ascii_digit() {
                    value.push(chars[j].1);
                    j += 1;
                }
                // 8,000 and 25.7; not "16, 17" or a full stop.
                let digits_after = |from: usize| {
                    (from..chars.len())
                        .take_while(|&m| chars[m].1.is_ascii_digit())
                        .count()
                };
                match chars.get(j).map(|&(_, c)| c) {
                    Some(',') if digits_after(j + 1) == 3 => j += 1,
                    Some('.') if digits_after(j + 1) > 0 => {
                        value.push('.');
                        j += 1;
                    }
                    _ => break,
                }
            }
            // An ordinal suffix (157th) belongs to the number.
            let mut after = j;
            while after < chars.len() && chars[after].1.is_alphabetic() {
                after += 1;
            }
            let suffix: String = chars[j..after].iter().map(|&(_, c)| c).collect();
            let ordinal = matches!(suffix.as_str(), "st" | "nd" | "rd" | "th" | "s");
            if !glued {
                // 08 is 8, as a fact would write it.
                let value = match value.trim_start_matches('0') {
                    "" => "0".to_string(),
                    v if v.starts_with('.') => format!("0{v}"),
                    v => v.to_string(),
                };
                tokens.push(Token {
                    start,
                    end: end_of(if ordinal { after } else { j }),
                    kind: TokenKind::Digits(value),
                });
            }
            k = if ordinal || glued { after.max(j) } else { j };
            continue;
        }
        if c.is_alphabetic() {
            let mut j = k;
            while j < chars.len()
                && (chars[j].1.is_alphabetic()
                    || (chars[j].1 == '-'
                        && chars.get(j + 1).is_some_and(|&(_, n)| n.is_alphabetic())))
            {
                j += 1;
            }
            // A word glued to digits after it (UG157) is a name: skip the digits too.
            let mut after = j;
            while after < chars.len() && chars[after].1.is_ascii_digit() {
                after += 1;
            }
            let word: String = chars[k..j].iter().map(|&(_, c)| c).collect();
            tokens.push(Token {
                start,
                end: end_of(j),
                kind: TokenKind::Word(word),
            });
            k = after;
            continue;
        }
        if c == ',' {
            tokens.push(Token {
                start,
                end: start + 1,
                kind: TokenKind::Comma,
            });
        }
        k += 1;
    }
    tokens
}

/// The month a word names. English months are capitalised; "May" is a
/// month only beside a number or after a preposition, else it is the verb.
fn month_of(word: &str) -> Option<u32> {
    if let Some(i) = MONTHS_EN.iter().position(|m| *m == word) {
        return Some(i as u32 + 1);
    }
    let lower = word.to_lowercase();
    MONTHS_RU
        .iter()
        .position(|forms| forms.contains(&lower.as_str()))
        .map(|i| i as u32 + 1)
}

fn day_value(kind: &TokenKind) -> Option<u32> {
    match kind {
        TokenKind::Digits(v) => v.parse().ok().filter(|d| (1..=31).contains(d)),
        _ => None,
    }
}

fn year_value(kind: &TokenKind) -> Option<i32> {
    match kind {
        TokenKind::Digits(v) => year_of(v),
        _ => None,
    }
}

/// Four digits that read as a year of a letter's history.
fn year_of(value: &str) -> Option<i32> {
    (value.len() == 4)
        .then(|| value.parse().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// A date starting at token `i`, and how many tokens it takes: `2 August
/// 2024`, `August 2, 2024`, `August 2024`, `31 May`, `in May`.
fn date_at(tokens: &[Token], i: usize) -> Option<(DateMention, usize)> {
    let kind = |k: usize| tokens.get(k).map(|t| &t.kind);
    if let Some(TokenKind::Date(mention)) = kind(i) {
        return Some((*mention, 1));
    }
    let month_at = |k: usize| match kind(k) {
        Some(TokenKind::Word(w)) => month_of(w),
        _ => None,
    };
    // 2 August [2024]
    if let (Some(day), Some(month)) = (kind(i).and_then(day_value), month_at(i + 1)) {
        let year = kind(i + 2).and_then(year_value);
        return Some((
            DateMention {
                day: Some(day),
                month,
                year,
            },
            2 + usize::from(year.is_some()),
        ));
    }
    let month = month_at(i)?;
    // August 2, 2024 / August 2
    if let Some(day) = kind(i + 1).and_then(day_value) {
        let comma = usize::from(matches!(kind(i + 2), Some(TokenKind::Comma)));
        if let Some(year) = kind(i + 2 + comma).and_then(year_value) {
            return Some((
                DateMention {
                    day: Some(day),
                    month,
                    year: Some(year),
                },
                3 + comma,
            ));
        }
    }
    // August 2024
    if let Some(year) = kind(i + 1).and_then(year_value) {
        return Some((
            DateMention {
                day: None,
                month,
                year: Some(year),
            },
            2,
        ));
    }
    // A month on its own: "since July", "в июне"; "May" only after a preposition.
    let word = match kind(i) {
        Some(TokenKind::Word(w)) => w.as_str(),
        _ => return None,
    };
    let before = match i.checked_sub(1).and_then(kind) {
        Some(TokenKind::Word(w)) => w.to_lowercase(),
        _ => String::new(),
    };
    const PREPOSITIONS: &[&str] = &[
        "in", "of", "since", "until", "by", "from", "early", "late", "mid", "end", "в", "с", "до",
        "к",
    ];
    if word == "May" && !PREPOSITIONS.contains(&before.as_str()) {
        return None;
    }
    Some((
        DateMention {
            day: None,
            month,
            year: None,
        },
        1,
    ))
}

/// An English number word's value: two to ninety-nine. "One" is left out:
/// "one of the few", "no one" are not counts.
fn number_word(word: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let lower = word.to_lowercase();
    let unit = |w: &str| UNITS.iter().position(|u| *u == w).map(|n| n as u32);
    let tens = |w: &str| {
        TENS.iter()
            .position(|t| *t == w)
            .map(|n| 20 + 10 * n as u32)
    };
    // "thirty-seven", and the number in "three-year" or "twenty-five-year-old".
    let mut parts = lower.split('-');
    let first = parts.next().unwrap_or("");
    let second = parts
        .next()
        .and_then(|u| unit(u).filter(|u| (1..10).contains(u)));
    let value = match (tens(first), second) {
        (Some(t), Some(u)) => Some(t + u),
        _ => unit(first).or_else(|| tens(first)),
    };
    value.filter(|&n| n >= 2)
}

/// A Russian number word's value, two to ninety, in any case: «девяти
/// годам» and «восьми годам» differ as 9 and 8 do; «двухлетний» holds a 2.
/// «семью» is seven only before «год…» or «лет»; alone it is a family.
fn russian_number_word(word: &str, next: Option<&Token>) -> Option<u32> {
    const FORMS: &[(u32, &[&str])] = &[
        (2, &["два", "две", "двух", "двум", "двумя"]),
        (3, &["три", "трёх", "трех", "трём", "трем", "тремя"]),
        (
            4,
            &[
                "четыре",
                "четырёх",
                "четырех",
                "четырём",
                "четырем",
                "четырьмя",
            ],
        ),
        (5, &["пять", "пяти", "пятью"]),
        (6, &["шесть", "шести", "шестью"]),
        (7, &["семь", "семи"]),
        (8, &["восемь", "восьми", "восемью", "восьмью"]),
        (9, &["девять", "девяти", "девятью"]),
        (10, &["десять", "десяти", "десятью"]),
        (11, &["одиннадцать", "одиннадцати"]),
        (12, &["двенадцать", "двенадцати"]),
        (13, &["тринадцать", "тринадцати"]),
        (14, &["четырнадцать", "четырнадцати"]),
        (15, &["пятнадцать", "пятнадцати"]),
        (16, &["шестнадцать", "шестнадцати"]),
        (17, &["семнадцать", "семнадцати"]),
        (18, &["восемнадцать", "восемнадцати"]),
        (19, &["девятнадцать", "девятнадцати"]),
        (20, &["двадцать", "двадцати"]),
        (30, &["тридцать", "тридцати"]),
        (40, &["сорок", "сорока"]),
        (50, &["пятьдесят", "пятидесяти"]),
        (60, &["шестьдесят", "шестидесяти"]),
        (70, &["семьдесят", "семидесяти"]),
        (80, &["восемьдесят", "восьмидесяти"]),
        (90, &["девяносто", "девяноста"]),
    ];
    let lower = word.to_lowercase();
    if lower == "семью" {
        let years = |w: &str| w.starts_with("год") || w.starts_with("лет");
        return match next.map(|t| &t.kind) {
            Some(TokenKind::Word(next)) if years(&next.to_lowercase()) => Some(7),
            _ => None,
        };
    }
    FORMS.iter().find_map(|(value, forms)| {
        forms
            .iter()
            .any(|form| {
                lower == *form
                    || lower
                        .strip_prefix(form)
                        .is_some_and(|rest| rest.starts_with("летн"))
            })
            .then_some(*value)
    })
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn line_at(text: &str, pos: usize) -> usize {
    text[..pos].matches('\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<ClaimKind> {
        claims(text, "en").into_iter().map(|c| c.kind).collect()
    }

    fn date(day: Option<u32>, month: u32, year: Option<i32>) -> ClaimKind {
        ClaimKind::Date(DateMention { day, month, year })
    }

    #[test]
    fn reads_numbers_in_digits_and_words() {
        assert_eq!(
            kinds("Thirty-seven were tried; 8,000 held, 25.7 million tenge, the 157th of 180"),
            [
                ClaimKind::Number("37".into()),
                ClaimKind::Number("8000".into()),
                ClaimKind::Number("25.7".into()),
                ClaimKind::Number("157".into()),
                ClaimKind::Number("180".into()),
            ]
        );
        // Names glued to digits, and "one", are not counts.
        assert!(kinds("Qaznews24 and UG157 are one of them").is_empty());
    }

    #[test]
    fn reads_dates_in_english_and_russian() {
        assert_eq!(
            kinds("On 2 August 2024, in May 2023, on August 2, 2024 and on 31 May"),
            [
                date(Some(2), 8, Some(2024)),
                date(None, 5, Some(2023)),
                date(Some(2), 8, Some(2024)),
                date(Some(31), 5, None),
            ]
        );
        assert_eq!(
            claims("3 февраля 2023 года, в мае 2023 года", "ru")
                .into_iter()
                .map(|c| c.kind)
                .collect::<Vec<_>>(),
            [date(Some(3), 2, Some(2023)), date(None, 5, Some(2023))]
        );
        assert_eq!(
            kinds("since July, in 2015"),
            [date(None, 7, None), ClaimKind::Year(2015)]
        );
        // In digits: ISO and day.month.year; leading zeros are the same number.
        assert_eq!(
            kinds("2024-08-02, 2024-08 and 02.08.2024; 08 people; COVID-19"),
            [
                date(Some(2), 8, Some(2024)),
                date(None, 8, Some(2024)),
                date(Some(2), 8, Some(2024)),
                ClaimKind::Number("8".into()),
            ]
        );
        // The verb is not the month.
        assert!(kinds("May I ask you").is_empty());
    }

    #[test]
    fn reads_quotations_and_skips_expressions() {
        let found = claims(
            "the party \"Alga,\nKazakhstan!\", «{{sender.org}}», “shame” and {{names prisoners}} 12",
            "en",
        );
        assert_eq!(
            found.iter().map(|c| c.kind.clone()).collect::<Vec<_>>(),
            [
                ClaimKind::Quotation("Alga, Kazakhstan!".into()),
                ClaimKind::Quotation("shame".into()),
                ClaimKind::Number("12".into()),
            ]
        );
        assert_eq!(found[2].line, 1);
        // A number inside a quotation belongs to the quotation.
        assert_eq!(
            kinds("\"7 years\""),
            [ClaimKind::Quotation("7 years".into())]
        );
        // Other marks quote too; an apostrophe does not close a quotation.
        assert_eq!(
            kinds("‘the people’s homes’, „Stop“ and ‹non›"),
            [
                ClaimKind::Quotation("the people’s homes".into()),
                ClaimKind::Quotation("Stop".into()),
                ClaimKind::Quotation("non".into()),
            ]
        );
    }

    #[test]
    fn an_unclosed_quotation_runs_to_the_end_of_its_paragraph() {
        assert_eq!(
            kinds("he said \"no\nmore\n\nThen 12"),
            [
                ClaimKind::Quotation("no more".into()),
                ClaimKind::Number("12".into())
            ]
        );
    }

    #[test]
    fn facts_carry_what_they_say_and_their_dates() {
        let mut support = Support::default();
        support.add_fact(
            PartialDate::parse("2024-08-02").unwrap(),
            "sentenced by the Qonaev city court to seven years, with a three-year ban",
        );
        support.add_quotation("use of force and acts of torture against members of civil society");
        support.add_title("Alga, Kazakhstan!");
        for text in [
            "seven years",
            "on 2 August 2024",
            "in August 2024",
            "in 2024",
            "three",
            "\"acts of torture\"",
            "\"Alga, Kazakhstan!\"",
        ] {
            for claim in claims(text, "en") {
                assert!(support.carries(&claim.kind), "{text}: {claim:?}");
            }
        }
        for text in [
            "eight years",
            "on 3 August 2024",
            "in 2023",
            "\"torture against civil society representatives\"",
            "\"Alga\"",
        ] {
            let claim = &claims(text, "en")[0];
            assert!(!support.carries(&claim.kind), "{text}");
        }
    }

    #[test]
    fn reads_russian_number_words() {
        let found: Vec<(usize, ClaimKind)> = claims(
            "к девяти годам,\nдвухлетний срок; семья, семью годами",
            "ru",
        )
        .into_iter()
        .map(|c| (c.line, c.kind))
        .collect();
        assert_eq!(
            found,
            [
                (0, ClaimKind::Number("9".into())),
                (1, ClaimKind::Number("2".into())),
                (1, ClaimKind::Number("7".into()))
            ]
        );
        // Not in an English letter, nor English words in a Russian one.
        assert!(claims("девяти годам", "en").is_empty());
        assert!(claims("nine years", "ru").is_empty());
    }
}
