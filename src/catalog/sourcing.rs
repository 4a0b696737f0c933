//! Whether a letter's text rests on its listed facts: each number, date and
//! quotation it states must be carried by a `[[fact]]` (or the event of a
//! person it points at), a `[[quote]]` in its source's words, or one of its
//! `titles`; and each of those must point at something real. `check` reports
//! what fails, by file and line.

use super::claims::{claims, ClaimKind, Support};
use super::letters::LetterTemplate;
use super::variants::primary_language;
use super::Catalog;
use crate::date::Date;
use crate::origin::key_line;

/// A problem at a line of a template file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: Option<usize>,
    pub message: String,
}

const FIX: &str = "list it as a [[fact]] with its date and source, or take it out \
                   (letters/README.md, \"Facts\")";

impl Catalog {
    /// Every number, date and quotation in the letter's subject, title,
    /// demands and body that none of its facts, quotations or titles carries.
    pub fn unsupported(&self, template: &LetterTemplate) -> Vec<Finding> {
        let support = self.support(template);
        let language = primary_language(&template.front.language);
        let front = &template.front;
        let mut texts: Vec<(Option<usize>, &str, usize)> = vec![
            (template.front_line("title"), front.title.as_str(), 0),
            (template.front_line("subject"), front.subject.as_str(), 0),
        ];
        for demand in &front.demands {
            texts.push((value_line(template, "demands", demand), demand, 0));
        }
        texts.push((Some(template.body_offset), template.body.as_str(), 1));
        let mut findings = Vec::new();
        for (line, text, lines_are_offsets) in texts {
            for claim in claims(text, &language) {
                if support.carries(&claim.kind) {
                    continue;
                }
                // The body's lines count from its first; a front matter value is on its key's line.
                let at = line.map(|l| l + claim.line * lines_are_offsets + lines_are_offsets);
                let message = match claim.kind {
                    ClaimKind::Number(_) => {
                        format!("the number `{}` is in no listed fact: {FIX}", claim.shown)
                    }
                    ClaimKind::Date(_) | ClaimKind::Year(_) => {
                        format!("the date `{}` is in no listed fact: {FIX}", claim.shown)
                    }
                    ClaimKind::Quotation(_) => format!(
                        "the quotation {} is neither a [[quote]] (its source's exact words, \
                         with source and date) nor one of `titles`: list it, or take the \
                         quotation marks away",
                        claim.shown
                    ),
                };
                findings.push(Finding { line: at, message });
            }
        }
        findings
    }

    /// What the letter's facts, quotations and titles carry.
    fn support(&self, template: &LetterTemplate) -> Support {
        let mut support = Support::default();
        for fact in self.stated(template) {
            support.add_fact(fact.date, &fact.says);
        }
        for quote in &template.front.quotes {
            support.add_quotation(&quote.words);
        }
        for title in &template.front.titles {
            support.add_title(title);
        }
        support
    }

    /// Facts that point at no person or event, lack their words or source,
    /// or are dated after `today`; quotations and titles that are empty.
    pub fn fact_errors(&self, template: &LetterTemplate, today: Date) -> Vec<Finding> {
        let mut findings = Vec::new();
        let front = &template.front;
        for (n, fact) in front.facts.iter().enumerate() {
            let line = table_line(template, "fact", n);
            let mut error = |message: String| {
                findings.push(Finding {
                    line,
                    message: format!("fact of {}: {message}", fact.date),
                })
            };
            if fact.date.first_day() > today {
                error("is in the future: a fact records what has happened".into());
            }
            match &fact.prisoner {
                Some(id) => match self.prisoners.get(id) {
                    None => error(format!("no person with id `{id}` in prisoners.toml")),
                    Some(person) if !person.events.iter().any(|e| e.date == fact.date) => {
                        let dates: Vec<String> =
                            person.events.iter().map(|e| e.date.to_string()).collect();
                        error(format!(
                            "{} has no event of that date (theirs: {}); point at one, or record \
                             the event in prisoners.toml with its source",
                            person.name,
                            dates.join(", ")
                        ));
                    }
                    Some(_) => {}
                },
                None => {
                    if fact.says.as_deref().is_none_or(|s| s.trim().is_empty()) {
                        error("no `says`: what does the letter state?".into());
                    }
                    if fact.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
                        error("no `source`: who says so, and when?".into());
                    }
                }
            }
        }
        for (n, quote) in front.quotes.iter().enumerate() {
            let line = table_line(template, "quote", n);
            if quote.words.trim().is_empty() || quote.source.trim().is_empty() {
                findings.push(Finding {
                    line,
                    message: "quote: give its exact `words` and its `source`".into(),
                });
            }
            if quote.date.first_day() > today {
                findings.push(Finding {
                    line,
                    message: format!("quote of {} is in the future", quote.date),
                });
            }
        }
        if front.titles.iter().any(|t| t.trim().is_empty()) {
            findings.push(Finding {
                line: template.front_line("titles"),
                message: "titles: an empty title".into(),
            });
        }
        findings
    }
}

/// The file line of the `n`-th `[[table]]` of a template's front matter.
fn table_line(template: &LetterTemplate, table: &str, n: usize) -> Option<usize> {
    let header = format!("[[{table}]]");
    template
        .front_text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim() == header)
        .nth(n)
        // Line 1 of the file is the opening `+++`.
        .map(|(i, _)| i + 2)
}

/// The file line of one value of a list key (`demands`): the first line at
/// or after the key that holds its opening words.
fn value_line(template: &LetterTemplate, key: &str, value: &str) -> Option<usize> {
    let start = key_line(&template.front_text, key)?;
    let words: String = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .chars()
        .take(24)
        .collect();
    let found = template
        .front_text
        .lines()
        .enumerate()
        .skip(start - 1)
        .find(|(_, line)| line.contains(&words))
        .map_or(start, |(i, _)| i + 1);
    Some(found + 1)
}
