//! Alternatives that say the same thing: every alternative of a `{{#vary}}`
//! block must state the same numbers, dates and quotations, give the same
//! titles and name the same people, so that which one a letter takes changes
//! its words and never its facts. `check` reports each difference at the
//! file and line of the words.

use super::claims::{claims, ClaimKind};
use super::sourcing::Finding;
use super::variants::primary_language;
use super::{body_name, subject_name, Catalog, LetterTemplate};
use crate::template::Alternative;

/// Something an alternative states that its siblings must state too.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    Claim(ClaimKind),
    Title(String),
    /// A person of the letter, by id.
    Person(String),
}

/// Where an alternative first states something, and how to name it.
struct Statement {
    said: Said,
    line: usize,
    shown: String,
}

const SAME: &str = "alternatives state the same facts in other words \
                    (letters/README.md, \"Alternatives\")";

impl Catalog {
    /// Each thing one alternative of a `{{#vary}}` block states and the
    /// first alternative of the block does not, or the other way round.
    pub fn unequal_alternatives(&self, template: &LetterTemplate) -> Vec<Finding> {
        let id = template.engine_id();
        let texts = [
            (body_name(&id), template.body.as_str()),
            (subject_name(&id), template.front.subject.as_str()),
        ];
        let mut findings = Vec::new();
        for (name, source) in texts {
            for block in self.engine.vary_blocks(&name, source) {
                let opens = block
                    .line
                    .map_or(String::new(), |l| format!(" of line {l}"));
                let stated: Vec<Vec<Statement>> = block
                    .alternatives
                    .iter()
                    .map(|alternative| self.statements(template, alternative))
                    .collect();
                let (first, others) = stated.split_first().expect("a block has alternatives");
                for (n, other) in others.iter().enumerate() {
                    let number = n + 2;
                    for statement in other.iter().filter(|s| !states(first, &s.said)) {
                        findings.push(Finding {
                            line: Some(statement.line),
                            message: format!(
                                "{} is in alternative {number} of the {{{{#vary}}}} block{opens} \
                                 but not in alternative 1: {SAME}",
                                statement.shown
                            ),
                        });
                    }
                    for statement in first.iter().filter(|s| !states(other, &s.said)) {
                        findings.push(Finding {
                            line: Some(block.alternatives[n + 1].line),
                            message: format!(
                                "alternative {number} of the {{{{#vary}}}} block{opens} leaves \
                                 out {}, which alternative 1 states (line {}): {SAME}",
                                statement.shown, statement.line
                            ),
                        });
                    }
                }
            }
        }
        findings
    }

    /// What an alternative states, each thing once, where it first says it.
    fn statements(&self, template: &LetterTemplate, alternative: &Alternative) -> Vec<Statement> {
        let language = primary_language(&template.front.language);
        let text = alternative.text;
        let mut found: Vec<Statement> = Vec::new();
        let mut add = |said: Said, line: usize, shown: String| {
            if !states(&found, &said) {
                found.push(Statement { said, line, shown });
            }
        };
        for claim in claims(text, &language) {
            let shown = match &claim.kind {
                ClaimKind::Number(_) => format!("the number `{}`", claim.shown),
                ClaimKind::Date(_) | ClaimKind::Year(_) => format!("the date `{}`", claim.shown),
                ClaimKind::Quotation(_) => format!("the quotation {}", claim.shown),
            };
            add(
                Said::Claim(claim.kind),
                alternative.line + claim.line,
                shown,
            );
        }
        let (words, line_of) = words(text);
        for title in &template.front.titles {
            let title_words: Vec<&str> = title
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            if let Some(at) = find_words(&words, &title_words) {
                let shown = format!("the title `{title}`");
                add(
                    Said::Title(title.clone()),
                    alternative.line + line_of[at],
                    shown,
                );
            }
        }
        let from_data = names_from_data(text);
        for id in &template.front.prisoners {
            let Some(person) = self.prisoners.get(id) else {
                continue;
            };
            let forms = std::iter::once(&person.name)
                .chain(&person.variants)
                .chain(person.names.values());
            let name_words: Vec<&str> = forms
                .flat_map(|form| form.split(|c: char| !c.is_alphabetic()))
                .filter(|w| w.chars().count() >= 3)
                .collect();
            let at = words
                .iter()
                .position(|word| name_words.iter().any(|name| names(word, name)));
            let line = match (at, from_data) {
                (Some(at), _) => line_of[at],
                (None, Some(line)) => line,
                (None, None) => continue,
            };
            let shown = format!("the name of {}", person.name);
            add(Said::Person(id.clone()), alternative.line + line, shown);
        }
        found
    }
}

fn states(statements: &[Statement], said: &Said) -> bool {
    statements.iter().any(|s| s.said == *said)
}

/// The words of `text` outside `{{…}}`, and the line (0-based) of each.
fn words(text: &str) -> (Vec<String>, Vec<usize>) {
    let mut words = Vec::new();
    let mut lines = Vec::new();
    let mut line = 0;
    let mut word = String::new();
    let mut depth = 0;
    let mut chars = text.chars().peekable();
    let mut flush = |word: &mut String, line: usize| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
            lines.push(line);
        }
    };
    while let Some(c) = chars.next() {
        if c == '{' && chars.peek() == Some(&'{') {
            flush(&mut word, line);
            depth += 1;
            chars.next();
            continue;
        }
        if c == '}' && chars.peek() == Some(&'}') && depth > 0 {
            depth -= 1;
            chars.next();
            continue;
        }
        if c == '\n' {
            flush(&mut word, line);
            line += 1;
            continue;
        }
        if depth > 0 {
            continue;
        }
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, line);
        }
    }
    flush(&mut word, line);
    (words, lines)
}

/// Where the run of `title` words starts in `words`.
fn find_words(words: &[String], title: &[&str]) -> Option<usize> {
    if title.is_empty() {
        return None;
    }
    words
        .windows(title.len())
        .position(|window| window.iter().zip(title).all(|(w, t)| w == t))
}

/// Whether `word` in a text is the name `name`, or (in Cyrillic) a case of
/// it: «Абжана», «Мамаю», «Мухаммедкаримом».
fn names(word: &str, name: &str) -> bool {
    if word == name {
        return true;
    }
    let cyrillic = name.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
    if !cyrillic {
        return false;
    }
    let stem = name.trim_end_matches(['а', 'я', 'й', 'ь', 'о', 'е', 'ы', 'и', 'у', 'ю']);
    word.strip_prefix(stem)
        .is_some_and(|ending| ending.chars().count() <= 3 && ending.chars().all(char::is_lowercase))
}

/// The line (0-based) of the first expression in `text` that gives the
/// letter's people's names from the data: `{{names prisoners}}`, `{{name}}`.
fn names_from_data(text: &str) -> Option<usize> {
    let mut rest = text;
    let mut before = 0;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let close = after.find("}}").unwrap_or(after.len());
        let inner =
            after[..close].trim_matches(|c: char| c == '~' || c == '{' || c.is_whitespace());
        let path = inner.split_whitespace().next().unwrap_or("");
        let gives_names = path == "names"
            || ((path == "name" || path.ends_with(".name"))
                && !["sender", "recipient", "embassy", "letter", "@root"]
                    .iter()
                    .any(|root| path.starts_with(root)));
        if gives_names {
            return Some(before + rest[..open].matches('\n').count());
        }
        before += rest[..open + 2].matches('\n').count();
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_a_name_in_its_cases() {
        assert!(names("Абжана", "Абжан"));
        assert!(names("Мамаю", "Мамай"));
        assert!(names("Мухаммедкаримом", "Мухаммедкарим"));
        assert!(names("Abzhan", "Abzhan"));
        assert!(!names("Abzhans", "Abzhan"));
        assert!(!names("абжана", "Абжан"));
    }

    #[test]
    fn finds_names_given_by_the_data() {
        assert_eq!(
            names_from_data("a\n{{sender.name}}\nb {{names prisoners}}"),
            Some(2)
        );
        assert_eq!(
            names_from_data("{{#each prisoners}}\n{{name}}{{/each}}"),
            Some(1)
        );
        assert_eq!(names_from_data("{{recipient.name}} {{sender.org}}"), None);
    }
}
