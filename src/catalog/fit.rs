//! Whether a letter fits the facts on a day: what it asks for each person
//! against that person's status, its date against the newest fact it
//! states, and its own `archived`. A letter that does not fit a day is
//! history on it: listed only as archived, and refused by `write` whatever
//! the options, each reason told on its own.

use super::facts::{event_noun, Stated};
use super::letters::LetterTemplate;
use super::prisoners::{Ask, Event, Misfit, Prisoner};
use super::Catalog;
use crate::date::Date;
use crate::error::{Error, Result};

/// Why a letter does not fit the facts on a day.
#[derive(Debug)]
pub struct Refusal<'c> {
    pub letter: String,
    pub day: Date,
    /// The letter's own `archived`, when it applies on the day.
    pub archived: Option<String>,
    /// The first fact the letter states that happened after the day.
    pub too_early: Option<Stated<'c>>,
    /// Each person whose status does not fit what the letter asks.
    pub misfits: Vec<Misfit<'c>>,
}

impl Refusal<'_> {
    /// One line per reason, as a listing shows them.
    pub fn reasons(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        reasons.extend(self.archived.clone());
        if let Some(fact) = &self.too_early {
            reasons.push(self.too_early_line(fact));
        }
        reasons.extend(self.misfits.iter().map(Misfit::summary));
        reasons
    }

    /// Each reason with the event, date and source behind it.
    fn explained(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        if let Some(why) = &self.archived {
            reasons.push(format!("is archived: {why}"));
        }
        if let Some(fact) = &self.too_early {
            reasons.push(format!("{} {}", self.too_early_line(fact), fact.details()));
        }
        reasons.extend(self.misfits.iter().map(Misfit::describe));
        reasons
    }

    fn too_early_line(&self, fact: &Stated) -> String {
        format!(
            "describes {}; it cannot be dated {}",
            fact.headline(),
            self.day.format("en-GB")
        )
    }

    /// Whether the letter is history on the day, rather than only dated
    /// before what it describes.
    fn is_history(&self) -> bool {
        self.archived.is_some() || !self.misfits.is_empty()
    }

    /// "letter `x` asks …", or a list when there is more than one reason.
    fn message(&self) -> String {
        let explained = self.explained();
        match explained.as_slice() {
            [one] => format!("letter `{}` {one}", self.letter),
            many => {
                let mut message = format!(
                    "letter `{}` does not fit the facts on {}:",
                    self.letter, self.day
                );
                for reason in many {
                    message.push_str(&format!("\n  - it {reason}"));
                }
                message
            }
        }
    }
}

/// Letters and facts on a day.
impl Catalog {
    /// The asks of a letter whose people are all known, in the letter's order.
    pub fn asks<'c>(&'c self, template: &LetterTemplate) -> Vec<(&'c Prisoner, Ask)> {
        let front = &template.front;
        front
            .prisoners
            .iter()
            .filter_map(|id| self.prisoners.get(id).map(|p| (p, front.ask_for(id))))
            .collect()
    }

    /// The asks that do not fit their person's status on `day`.
    pub fn misfits<'c>(&'c self, template: &LetterTemplate, day: Date) -> Vec<Misfit<'c>> {
        self.asks(template)
            .into_iter()
            .filter_map(|(prisoner, ask)| {
                let standing = prisoner.standing_on(day);
                (!ask.fits(standing.status)).then_some(Misfit {
                    prisoner,
                    ask,
                    day,
                    standing,
                })
            })
            .collect()
    }

    /// The facts and quotations a letter states, its people's events looked
    /// up; one that names no recorded event is left to `check` to report.
    pub fn stated<'c>(&'c self, template: &'c LetterTemplate) -> Vec<Stated<'c>> {
        let front = &template.front;
        let mut stated = Vec::new();
        for fact in &front.facts {
            match &fact.prisoner {
                Some(id) => {
                    let Some(person) = self.prisoners.get(id) else {
                        continue;
                    };
                    let events: Vec<_> = person
                        .events
                        .iter()
                        .filter(|event| event.date == fact.date)
                        .collect();
                    let Some(first) = events.first() else {
                        continue;
                    };
                    let join = |part: fn(&Event) -> &str| {
                        events
                            .iter()
                            .map(|e| part(e))
                            .collect::<Vec<_>>()
                            .join("; ")
                    };
                    stated.push(Stated {
                        date: fact.date,
                        what: event_noun(first.kind),
                        person: Some(person),
                        says: fact.says.clone().unwrap_or_else(|| join(|e| &e.note)),
                        source: fact.source.clone().unwrap_or_else(|| join(|e| &e.source)),
                    });
                }
                None => stated.push(Stated {
                    date: fact.date,
                    what: "the fact",
                    person: None,
                    says: fact.says.clone().unwrap_or_default(),
                    source: fact.source.clone().unwrap_or_default(),
                }),
            }
        }
        for quote in &front.quotes {
            stated.push(Stated {
                date: quote.date,
                what: "the quotation",
                person: None,
                says: format!("\"{}\"", quote.words),
                source: quote.source.clone(),
            });
        }
        stated
    }

    /// The newest fact a letter states: the earliest day it can be dated is
    /// the last its date can mean, since a fact "of April 2017" may be of
    /// its end, and a letter of 1 April would tell of what had not happened.
    pub fn newest_fact<'c>(&'c self, template: &'c LetterTemplate) -> Option<Stated<'c>> {
        self.stated(template)
            .into_iter()
            .max_by_key(|fact| fact.date.last_day())
    }

    /// Why `template` does not fit the facts on `day`, every reason of it;
    /// `None` when it is current.
    pub fn refusal<'c>(&'c self, template: &'c LetterTemplate, day: Date) -> Option<Refusal<'c>> {
        let archived =
            template
                .front
                .archived
                .as_ref()
                .and_then(|archived| match archived.since() {
                    Some(since) if day < since.first_day() => None,
                    Some(since) => Some(format!(
                        "{} (history since {})",
                        archived.why(),
                        since.format_en()
                    )),
                    None => Some(archived.why().to_string()),
                });
        let too_early = self
            .stated(template)
            .into_iter()
            .filter(|fact| fact.date.last_day() > day)
            .min_by_key(|fact| fact.date.last_day());
        let misfits = self.misfits(template, day);
        (archived.is_some() || too_early.is_some() || !misfits.is_empty()).then(|| Refusal {
            letter: template.front.id.clone(),
            day,
            archived,
            too_early,
            misfits,
        })
    }

    /// Why the letter is history on `day`, each reason its own, or `None`
    /// when it is current.
    pub fn archived_reason(&self, template: &LetterTemplate, day: Date) -> Option<String> {
        self.refusal(template, day)
            .map(|refusal| refusal.reasons().join("; "))
    }

    /// The letters current on `day`, by id.
    pub fn current_letters(&self, day: Date) -> impl Iterator<Item = &LetterTemplate> {
        self.templates
            .values()
            .filter(move |t| self.refusal(t, day).is_none())
    }

    /// The first day on which the letter was current, for `write --as-of`:
    /// the day of its newest fact, or the first day after it on which one of
    /// its people's status changed, whichever first fits everything.
    pub fn first_current_day(&self, template: &LetterTemplate) -> Option<Date> {
        let earliest = self.newest_fact(template).map(|fact| fact.date.last_day());
        let mut days: Vec<Date> = self
            .asks(template)
            .into_iter()
            .flat_map(|(person, _)| person.chronology().into_iter().map(|(_, day)| day))
            .chain(earliest)
            .filter(|day| earliest.is_none_or(|earliest| *day >= earliest))
            .collect();
        days.sort_unstable();
        days.dedup();
        days.into_iter()
            .find(|day| self.refusal(template, *day).is_none())
    }

    /// Refuses a letter that does not fit the facts on `day`: one that asks
    /// what no longer fits a person it names, is archived, or is dated
    /// before what it describes. Such a letter discredits the campaign and
    /// the people it means to help. No option overrides it; `write --as-of`
    /// only chooses the day, on which it must fit.
    pub fn check_asks(&self, template: &LetterTemplate, day: Date) -> Result<()> {
        let Some(refusal) = self.refusal(template, day) else {
            return Ok(());
        };
        let help = match (refusal.is_history(), refusal.too_early.as_ref()) {
            (false, Some(_)) => {
                let (newest, earliest) = self
                    .newest_fact(template)
                    .map(|fact| (fact.date.format_en(), fact.date.last_day()))
                    .unzip();
                let newest = newest.unwrap_or_default();
                let after = match earliest {
                    Some(day) if newest != day.format("en-GB") => {
                        format!("on or after {}", day.format("en-GB"))
                    }
                    _ => "on or after it".to_string(),
                };
                format!(
                    "its newest fact is of {newest}: date the letter {after} (--date), \
                     or choose a letter that fits {}",
                    refusal.day
                )
            }
            _ => self.history_help(template, &refusal),
        };
        Err(Error::data(refusal.message()).with_help(help))
    }

    /// What to do instead of writing a letter that is history on a day.
    fn history_help(&self, template: &LetterTemplate, refusal: &Refusal) -> String {
        let first = refusal.misfits.first().map(|m| m.prisoner);
        let current = first.and_then(|person| {
            self.current_letters(refusal.day)
                .find(|t| t.front.id != template.front.id && t.front.prisoners.contains(&person.id))
        });
        let instead = match (current, first) {
            (Some(letter), Some(person)) => format!(
                "use `protest write {}`, the current letter for {}",
                letter.front.id, person.name
            ),
            _ => "`protest letters` lists the current letters, and `protest letters prisoners` \
                  each person's timeline with its sources"
                .to_string(),
        };
        let historical = match self.first_current_day(template) {
            Some(day) => {
                format!("--as-of {day} writes its historical text, dated a day it was current")
            }
            None if template
                .front
                .archived
                .as_ref()
                .is_some_and(|a| a.since().is_none()) =>
            {
                "it was archived with no `since`, so no day is known on which it was current \
                 (archived = { since = \"YYYY-MM-DD\", why = \"...\" } gives one)"
                    .to_string()
            }
            None => {
                "--as-of DATE writes its historical text, dated a day it was current".to_string()
            }
        };
        format!("{instead}; {historical}; --force does not change facts")
    }
}
