//! The counts of a tally: in all, and by letter, mission, day and (when
//! names are asked for) sender, each split by channel, with the replies.

use std::collections::BTreeMap;

use serde::Serialize;

use super::entries::{Channel, Entry, Read, Tally};
use crate::date::Date;

/// How many letters went each way, and how many were answered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Numbers {
    pub letters: usize,
    pub pdf: usize,
    pub text: usize,
    pub draft: usize,
    pub delivered: usize,
    pub partly: usize,
    pub refused: usize,
    /// Letters with at least one reply.
    pub answered: usize,
    pub replies: usize,
}

impl Numbers {
    fn add(&mut self, entry: &Entry) {
        self.letters += 1;
        *self.of_mut(entry.channel) += 1;
        self.answered += usize::from(!entry.replies.is_empty());
        self.replies += entry.replies.len();
    }

    pub fn of(&self, channel: Channel) -> usize {
        match channel {
            Channel::Pdf => self.pdf,
            Channel::Text => self.text,
            Channel::Draft => self.draft,
            Channel::Delivered => self.delivered,
            Channel::Partly => self.partly,
            Channel::Refused => self.refused,
        }
    }

    fn of_mut(&mut self, channel: Channel) -> &mut usize {
        match channel {
            Channel::Pdf => &mut self.pdf,
            Channel::Text => &mut self.text,
            Channel::Draft => &mut self.draft,
            Channel::Delivered => &mut self.delivered,
            Channel::Partly => &mut self.partly,
            Channel::Refused => &mut self.refused,
        }
    }
}

/// The counts of a tally. A group whose value is not known (a letter that
/// names no mission) is `None`, and comes last.
#[derive(Debug)]
pub struct Counts {
    pub total: Numbers,
    pub by_letter: Vec<(Option<String>, Numbers)>,
    pub by_mission: Vec<(Option<String>, Numbers)>,
    pub by_day: Vec<(Option<Date>, Numbers)>,
    /// Only when names are asked for.
    pub by_sender: Option<Vec<(Option<String>, Numbers)>>,
    pub first_day: Option<Date>,
    pub last_day: Option<Date>,
    pub read: Read,
}

pub fn count(tally: &Tally, with_names: bool) -> Counts {
    let mut total = Numbers::default();
    let mut by_letter = BTreeMap::new();
    let mut by_mission = BTreeMap::new();
    let mut by_day = BTreeMap::new();
    let mut by_sender = BTreeMap::new();
    for entry in tally.entries.values() {
        total.add(entry);
        let group = |map: &mut BTreeMap<_, Numbers>, key| map.entry(key).or_default().add(entry);
        group(&mut by_letter, last_if_none(&entry.letter));
        group(&mut by_mission, last_if_none(&entry.mission));
        by_day
            .entry((entry.date.is_none(), entry.date))
            .or_insert_with(Numbers::default)
            .add(entry);
        if with_names {
            group(&mut by_sender, last_if_none(&entry.sender));
        }
    }
    let days = tally.entries.values().filter_map(|e| e.date);
    Counts {
        total,
        by_letter: most_first(by_letter),
        by_mission: most_first(by_mission),
        by_day: by_day.into_iter().map(|((_, day), n)| (day, n)).collect(),
        by_sender: with_names.then(|| most_first(by_sender)),
        first_day: days.clone().min(),
        last_day: days.max(),
        read: tally.read,
    }
}

/// A key that sorts the unknown last.
fn last_if_none(value: &Option<String>) -> (bool, Option<String>) {
    (value.is_none(), value.clone())
}

/// The groups, the most letters first, then by name, the unknown last.
fn most_first(groups: BTreeMap<(bool, Option<String>), Numbers>) -> Vec<(Option<String>, Numbers)> {
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|((a_none, a), a_n), ((b_none, b), b_n)| {
        (a_none, std::cmp::Reverse(a_n.letters), a).cmp(&(
            b_none,
            std::cmp::Reverse(b_n.letters),
            b,
        ))
    });
    groups.into_iter().map(|((_, key), n)| (key, n)).collect()
}
