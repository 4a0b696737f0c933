//! The people the letters name, each a dated history of events, and what a
//! letter may ask for them on a given day.
//!
//! A status is never stored: it is read off the history as of the letter's
//! date, so a letter that was true when written stops being offered, and is
//! refused, once the facts move on.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::missions::Confidence;
use crate::date::{Date, PartialDate};

/// Where a person stood on a day, as the events recorded up to it say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Detained,
    OnTrial,
    /// Serving a custodial sentence.
    Sentenced,
    /// At liberty, under bans, restricted freedom or a suspended sentence.
    Restricted,
    Released,
    Deceased,
    /// Named by a campaign, never held.
    NotDetained,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Detained => "detained",
            Status::OnTrial => "on-trial",
            Status::Sentenced => "sentenced",
            Status::Restricted => "restricted",
            Status::Released => "released",
            Status::Deceased => "deceased",
            Status::NotDetained => "not-detained",
            Status::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Arrested,
    Detained,
    HouseArrest,
    Trial,
    Sentenced,
    RestrictedFreedom,
    SuspendedSentence,
    Supervision,
    Ban,
    Released,
    Paroled,
    Pardoned,
    Acquitted,
    TermEnded,
    Died,
    Named,
    /// A source confirms the situation is unchanged on that date.
    Noted,
}

impl EventKind {
    /// The status the event leads to; `None` for `noted`, which changes nothing.
    pub fn status(self) -> Option<Status> {
        use EventKind::*;
        Some(match self {
            Arrested | Detained | HouseArrest => Status::Detained,
            Trial => Status::OnTrial,
            Sentenced => Status::Sentenced,
            RestrictedFreedom | SuspendedSentence | Supervision | Ban => Status::Restricted,
            Released | Paroled | Pardoned | Acquitted | TermEnded => Status::Released,
            Died => Status::Deceased,
            Named => Status::NotDetained,
            Noted => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        use EventKind::*;
        match self {
            Arrested => "arrested",
            Detained => "detained",
            HouseArrest => "house-arrest",
            Trial => "trial",
            Sentenced => "sentenced",
            RestrictedFreedom => "restricted-freedom",
            SuspendedSentence => "suspended-sentence",
            Supervision => "supervision",
            Ban => "ban",
            Released => "released",
            Paroled => "paroled",
            Pardoned => "pardoned",
            Acquitted => "acquitted",
            TermEnded => "term-ended",
            Died => "died",
            Named => "named",
            Noted => "noted",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub date: PartialDate,
    pub kind: EventKind,
    /// When the term or restriction the event set is expected to end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    /// Short, past tense.
    pub note: String,
    /// Who says so.
    pub source: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prisoner {
    pub id: String,
    /// The Latin spelling the English letters use.
    pub name: String,
    #[serde(default)]
    pub variants: Vec<String>,
    /// The name per language (`ru`, `kk`), only as sources give it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
    /// Lower case, reads after "X, a ...".
    pub description: String,
    /// The description per language (`ru`), read after "X, ...".
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub descriptions: BTreeMap<String, String>,
    /// Oldest first.
    #[serde(default, rename = "event")]
    pub events: Vec<Event>,
}

/// A person's situation on a day, with the events that say so.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'p> {
    pub status: Status,
    /// The event that set the status; `None` when nothing is recorded by the day.
    pub cause: Option<&'p Event>,
    /// The newest event on or before the day, `noted` included: how fresh the news is.
    pub latest: Option<&'p Event>,
    /// The cause's `until` has passed: the term may have ended, so the status is unknown.
    pub lapsed: bool,
}

impl Prisoner {
    /// The name in `language` (a BCP 47 tag) where the data has one, else the Latin one.
    pub fn name_in(&self, language: &str) -> &str {
        let primary = language.split(['-', '_']).next().unwrap_or("");
        self.names
            .get(language)
            .or_else(|| self.names.get(primary))
            .unwrap_or(&self.name)
    }

    /// The description in `language` where the data has one, else the English one.
    pub fn description_in(&self, language: &str) -> &str {
        let primary = language.split(['-', '_']).next().unwrap_or("");
        self.descriptions
            .get(language)
            .or_else(|| self.descriptions.get(primary))
            .unwrap_or(&self.description)
    }

    /// The status on `day`: that of the last event dated on or before it.
    pub fn standing_on(&self, day: Date) -> Standing<'_> {
        let mut standing = Standing {
            status: Status::Unknown,
            cause: None,
            latest: None,
            lapsed: false,
        };
        for (event, happened_by) in self.chronology() {
            if happened_by > day {
                break;
            }
            standing.latest = Some(event);
            if let Some(status) = event.kind.status() {
                standing.status = status;
                standing.cause = Some(event);
            }
        }
        if let Some(until) = standing.cause.and_then(|e| e.until) {
            if day > until.last_day() {
                standing.status = Status::Unknown;
                standing.lapsed = true;
            }
        }
        // A detention or a trial with no known end lasts as long as the news
        // of it: a year without any, and what became of it is unknown.
        let open_ended = standing.cause.is_some_and(|e| e.until.is_none());
        if open_ended
            && matches!(standing.status, Status::Detained | Status::OnTrial)
            && standing.is_stale(day)
        {
            standing.status = Status::Unknown;
            standing.lapsed = true;
        }
        standing
    }
}

impl Prisoner {
    /// The events in the order they happened, each with the first day by which
    /// it can have happened, never earlier than that of the event before it.
    ///
    /// The list is oldest first, and a date that gives only a year or a month
    /// leaves the order to the list: "2023" listed after "2023-06-01" happened
    /// between June and December, so a letter of March 2023 predates it and
    /// one of 2024 follows it. An event wholly before one listed earlier (a
    /// misordered list, which `check` refuses) is moved back to its place, so
    /// that the latest date still wins.
    pub fn chronology(&self) -> Vec<(&Event, Date)> {
        let mut ordered: Vec<&Event> = Vec::with_capacity(self.events.len());
        for event in &self.events {
            let place = ordered
                .iter()
                .position(|listed| wholly_before(event, listed))
                .unwrap_or(ordered.len());
            ordered.insert(place, event);
        }
        let mut floor: Option<Date> = None;
        ordered
            .into_iter()
            .map(|event| {
                let first = event.date.first_day();
                let happened_by = floor.map_or(first, |f| f.max(first));
                floor = Some(happened_by);
                (event, happened_by)
            })
            .collect()
    }

    /// The first event listed after one it wholly precedes, with that one.
    pub fn misordered(&self) -> Option<(&Event, &Event)> {
        let mut newest: Option<&Event> = None;
        for event in &self.events {
            if let Some(earlier) = newest.filter(|earlier| wholly_before(event, earlier)) {
                return Some((event, earlier));
            }
            if newest.is_none_or(|n| event.date.first_day() > n.date.first_day()) {
                newest = Some(event);
            }
        }
        None
    }
}

/// `event` ended before `other` began, whatever days their dates mean.
fn wholly_before(event: &Event, other: &Event) -> bool {
    event.date.last_day() < other.date.first_day()
}

impl Prisoner {
    /// "<name>: last reported <date> (<event>); check before sending", when
    /// the newest event on or before `day` is over a year older.
    pub fn stale_warning(&self, day: Date) -> Option<String> {
        let standing = self.standing_on(day);
        let latest = standing.latest.filter(|_| standing.is_stale(day))?;
        Some(format!(
            "{}: last reported {} ({}); check before sending",
            self.name,
            latest.date,
            latest.kind.as_str()
        ))
    }
}

impl Standing<'_> {
    /// Why the status on `day` is unknown, when it has lapsed: the term of
    /// `cause` has ended, or a detention or trial has gone a year unreported.
    pub fn lapse(&self, cause: &Event, day: Date) -> String {
        match (cause.until, self.latest) {
            (Some(until), _) => format!(
                "whose term was expected to end {until}, before {day}: the situation is unknown, check it"
            ),
            (None, latest) => format!(
                "{} {} {}, with nothing reported since {}: by {day} the situation is unknown, check it",
                match cause.kind {
                    EventKind::Trial => "who went on trial",
                    EventKind::Arrested => "who was arrested",
                    EventKind::HouseArrest => "who was put under house arrest",
                    _ => "who was detained",
                },
                if cause.date.day.is_some() { "on" } else { "in" },
                cause.date,
                latest.map_or(cause.date, |e| e.date)
            ),
        }
    }

    /// The newest news is more than a year older than `day`; a death is never stale.
    pub fn is_stale(&self, day: Date) -> bool {
        self.status != Status::Deceased
            && self
                .latest
                .is_some_and(|e| e.date.first_day() < day.a_year_earlier())
    }
}

/// What a letter asks for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ask {
    Release,
    LiftRestrictions,
    /// Drop the charges, and free from custody pending a fair trial: fits
    /// people held or on trial, and stops fitting at a verdict or a release.
    DropCharges,
    /// An investigation, accountability or remembrance: fits anyone, the dead included.
    Justice,
}

impl Ask {
    pub fn as_str(self) -> &'static str {
        match self {
            Ask::Release => "release",
            Ask::LiftRestrictions => "lift-restrictions",
            Ask::DropCharges => "drop-charges",
            Ask::Justice => "justice",
        }
    }

    pub fn fits(self, status: Status) -> bool {
        match self {
            Ask::Release => matches!(
                status,
                Status::Detained | Status::OnTrial | Status::Sentenced
            ),
            Ask::LiftRestrictions => status == Status::Restricted,
            Ask::DropCharges => matches!(status, Status::Detained | Status::OnTrial),
            Ask::Justice => true,
        }
    }

    /// What the letter asks, as it reads after "asks for".
    fn phrase(self) -> &'static str {
        match self {
            Ask::Release => "the release of",
            Ask::LiftRestrictions => "the lifting of the restrictions on",
            Ask::DropCharges => "the dropping of the charges against",
            Ask::Justice => "justice for",
        }
    }
}

/// An ask that does not fit its person's status on the letter's date.
#[derive(Debug, Clone)]
pub struct Misfit<'p> {
    pub prisoner: &'p Prisoner,
    pub ask: Ask,
    pub day: Date,
    pub standing: Standing<'p>,
}

impl Misfit<'_> {
    /// "asks for the release of Max Bokayev, who was released on 2021-02-04
    /// (released: …; source: …)": what is wrong, with the event and its source.
    pub fn describe(&self) -> String {
        match self.standing.cause {
            Some(cause) => format!(
                "{} ({}: {}; source: {})",
                self.summary(),
                cause.kind.as_str(),
                cause.note,
                cause.source
            ),
            None => self.summary(),
        }
    }

    /// What is wrong, without the event's note and source.
    pub fn summary(&self) -> String {
        let name = &self.prisoner.name;
        let what = format!("asks for {} {name}", self.ask.phrase());
        let Some(cause) = self.standing.cause else {
            return format!(
                "{what}, but the data records nothing of {name} on or before {}",
                self.day
            );
        };
        let fact = if self.standing.lapsed {
            self.standing.lapse(cause, self.day)
        } else {
            let since = match self.standing.status {
                Status::Released => "who was released on",
                Status::Deceased => "who died on",
                Status::Restricted => "who is at liberty under restrictions since",
                Status::NotDetained => "who was never detained, only named on",
                Status::Detained => "who is detained since",
                Status::OnTrial => "who is on trial since",
                Status::Sentenced => "who is serving a sentence since",
                Status::Unknown => "whose situation is unknown since",
            };
            format!("{since} {}", cause.date)
        };
        // A reason that rests on one unconfirmed report says so wherever it is shown.
        let doubt = match cause.confidence {
            Confidence::Low => " (a low-confidence report)",
            _ => "",
        };
        format!("{what}, {fact}{doubt}")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    pub prisoner: Vec<Prisoner>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(events: &str) -> Prisoner {
        let text =
            format!("[[prisoner]]\nid = \"p\"\nname = \"P Q\"\ndescription = \"d\"\n{events}");
        let mut file: File = toml::from_str(&text).unwrap();
        file.prisoner.remove(0)
    }

    fn event(date: &str, kind: &str, extra: &str) -> String {
        format!(
            "[[prisoner.event]]\ndate = \"{date}\"\nkind = \"{kind}\"\n{extra}note = \"n {kind}\"\nsource = \"s\"\nconfidence = \"high\"\n"
        )
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn every_kind_leads_to_its_status() {
        let cases = [
            ("arrested", Status::Detained),
            ("detained", Status::Detained),
            ("house-arrest", Status::Detained),
            ("trial", Status::OnTrial),
            ("sentenced", Status::Sentenced),
            ("restricted-freedom", Status::Restricted),
            ("suspended-sentence", Status::Restricted),
            ("supervision", Status::Restricted),
            ("ban", Status::Restricted),
            ("released", Status::Released),
            ("paroled", Status::Released),
            ("pardoned", Status::Released),
            ("acquitted", Status::Released),
            ("term-ended", Status::Released),
            ("died", Status::Deceased),
            ("named", Status::NotDetained),
        ];
        for (kind, status) in cases {
            let p = person(&event("2020-01-01", kind, ""));
            assert_eq!(p.standing_on(day("2020-06-01")).status, status, "{kind}");
        }
    }

    #[test]
    fn the_status_is_that_of_the_last_event_on_or_before_the_day() {
        let p = person(
            &[
                event("2016-05-31", "arrested", ""),
                event("2016-11", "sentenced", ""),
                event("2021-02-04", "released", ""),
                event("2022", "noted", ""),
            ]
            .concat(),
        );
        assert_eq!(p.standing_on(day("2016-05-30")).status, Status::Unknown);
        assert!(p.standing_on(day("2016-05-30")).cause.is_none());
        assert_eq!(p.standing_on(day("2016-05-31")).status, Status::Detained);
        // A month-precise date counts from its first day.
        assert_eq!(p.standing_on(day("2016-11-01")).status, Status::Sentenced);
        assert_eq!(p.standing_on(day("2021-02-03")).status, Status::Sentenced);
        let later = p.standing_on(day("2022-06-01"));
        assert_eq!(later.status, Status::Released);
        assert_eq!(later.cause.unwrap().kind, EventKind::Released);
        // `noted` changes nothing but is the newest news.
        assert_eq!(later.latest.unwrap().kind, EventKind::Noted);
    }

    #[test]
    fn a_year_or_month_date_follows_the_event_listed_before_it() {
        // Released some time in 2023, after an arrest of 1 June 2023: the
        // release cannot have happened by March, and has by 2024.
        let p = person(
            &[
                event("2023-06-01", "arrested", ""),
                event("2023", "released", ""),
            ]
            .concat(),
        );
        assert!(p.misordered().is_none());
        assert_eq!(p.standing_on(day("2023-03-01")).status, Status::Unknown);
        assert_eq!(p.standing_on(day("2023-06-01")).status, Status::Released);
        assert_eq!(p.standing_on(day("2024-01-05")).status, Status::Released);
        let dates: Vec<String> = p
            .chronology()
            .iter()
            .map(|(_, by)| by.to_string())
            .collect();
        assert_eq!(dates, ["2023-06-01", "2023-06-01"]);
    }

    #[test]
    fn a_misordered_list_is_found_and_read_in_date_order() {
        let p = person(
            &[
                event("2024-05-01", "released", ""),
                event("2023-01-01", "sentenced", ""),
            ]
            .concat(),
        );
        let (later, earlier) = p.misordered().expect("misordered");
        assert_eq!(later.date.to_string(), "2023-01-01");
        assert_eq!(earlier.date.to_string(), "2024-05-01");
        assert_eq!(p.standing_on(day("2023-06-01")).status, Status::Sentenced);
        assert_eq!(p.standing_on(day("2024-06-01")).status, Status::Released);
        // Also when the misplaced event is not next to the one it precedes.
        let p = person(
            &[
                event("2023-06-01", "arrested", ""),
                event("2023", "noted", ""),
                event("2023-02-01", "named", ""),
            ]
            .concat(),
        );
        assert_eq!(p.misordered().unwrap().0.date.to_string(), "2023-02-01");
        assert_eq!(p.standing_on(day("2023-07-01")).status, Status::Detained);
    }

    #[test]
    fn a_term_past_its_expected_end_is_unknown() {
        let p = person(&event(
            "2023-04-10",
            "suspended-sentence",
            "until = \"2029-04\"\n",
        ));
        assert_eq!(p.standing_on(day("2029-04-30")).status, Status::Restricted);
        let after = p.standing_on(day("2029-05-01"));
        assert_eq!(after.status, Status::Unknown);
        assert!(after.lapsed);
    }

    #[test]
    fn a_detention_or_trial_a_year_unreported_is_unknown_whatever_its_kind() {
        for kind in ["arrested", "detained", "house-arrest", "trial"] {
            let p = person(
                &[
                    event("2025-11-13", kind, ""),
                    event("2026-01-29", "noted", ""),
                ]
                .concat(),
            );
            let before = p.standing_on(day("2027-01-29"));
            assert!(!before.lapsed, "{kind}");
            assert_ne!(before.status, Status::Unknown, "{kind}");
            let after = p.standing_on(day("2027-01-30"));
            assert_eq!(after.status, Status::Unknown, "{kind}");
            assert!(after.lapsed, "{kind}");
            let why = after.lapse(after.cause.unwrap(), day("2027-01-30"));
            assert!(
                why.contains("on 2025-11-13, with nothing reported since 2026-01-29"),
                "{why}"
            );
        }
        // A sentence is not a detention: a year without news only warns.
        let p = person(&event("2023-02-03", "sentenced", "until = \"2031-07\"\n"));
        assert_eq!(p.standing_on(day("2026-12-06")).status, Status::Sentenced);
        // Nor does an end the data gives lapse before it.
        let p = person(&event(
            "2025-12-01",
            "house-arrest",
            "until = \"2027-06\"\n",
        ));
        assert_eq!(p.standing_on(day("2027-06-30")).status, Status::Detained);
    }

    #[test]
    fn news_older_than_a_year_is_stale() {
        let p = person(&event("2023-04-10", "suspended-sentence", ""));
        assert!(!p.standing_on(day("2024-04-10")).is_stale(day("2024-04-10")));
        assert!(p.standing_on(day("2024-04-11")).is_stale(day("2024-04-11")));
    }

    #[test]
    fn asks_fit_the_statuses_the_schema_gives() {
        use Status::*;
        let all = [
            Detained,
            OnTrial,
            Sentenced,
            Restricted,
            Released,
            Deceased,
            NotDetained,
            Unknown,
        ];
        for status in all {
            assert_eq!(
                Ask::Release.fits(status),
                matches!(status, Detained | OnTrial | Sentenced)
            );
            assert_eq!(Ask::LiftRestrictions.fits(status), status == Restricted);
            assert_eq!(
                Ask::DropCharges.fits(status),
                matches!(status, Detained | OnTrial)
            );
            assert!(Ask::Justice.fits(status));
        }
    }

    #[test]
    fn names_the_person_in_the_letter_language() {
        let mut p = person("");
        p.names.insert("ru".into(), "П К".into());
        assert_eq!(p.name_in("ru-RU"), "П К");
        assert_eq!(p.name_in("en-GB"), "P Q");
    }
}
