//! A tally for people: a few lines a branch secretary pastes into an email
//! to the campaign, saying what was counted and over which days; and for
//! spreadsheets, the counts as CSV.

use std::collections::BTreeMap;

use super::count::{Counts, Numbers};
use super::entries::{Channel, Tally};
use crate::date::Date;
use crate::error::{Error, ErrorKind, Result};
use crate::text::{count, escape_for_terminal};

/// How the summary says `n` letters of a channel: in a line of their own,
/// and in a group's brackets.
fn words(channel: Channel, n: usize) -> (String, String) {
    let plural = |one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            many.to_string()
        }
    };
    let (line, short): (String, &str) = match channel {
        Channel::Pdf => (
            plural("letter as PDF", "letters as PDF") + " (to print)",
            "PDF",
        ),
        Channel::Text => (plural("letter as text", "letters as text"), "text"),
        Channel::Draft => (
            plural(
                "email written, not delivered",
                "emails written, not delivered",
            ) + " (yet)",
            "not delivered",
        ),
        Channel::Delivered => (plural("email delivered", "emails delivered"), "delivered"),
        Channel::Partly => (
            plural(
                "email delivered to some of its addresses, not all",
                "emails delivered to some of their addresses, not all",
            ),
            "partly delivered",
        ),
        Channel::Refused => (
            plural("email", "emails") + " refused by the mission's mail server",
            "refused",
        ),
    };
    (format!("{n} {line}"), format!("{n} {short}"))
}

/// "(2 PDF, 1 delivered), 1 reply"
fn breakdown(numbers: &Numbers) -> String {
    let parts: Vec<String> = Channel::ALL
        .into_iter()
        .filter(|c| numbers.of(*c) > 0)
        .map(|c| words(c, numbers.of(c)).1)
        .collect();
    let mut out = format!("{} ({})", numbers.letters, parts.join(", "));
    if numbers.replies > 0 {
        out.push_str(&format!(", {}", replies(numbers.replies)));
    }
    out
}

fn replies(n: usize) -> String {
    match n {
        1 => "1 reply".to_string(),
        n => format!("{n} replies"),
    }
}

/// The groups, with a name that says so for those of which nothing is known.
fn named<'a>(groups: &'a [(Option<String>, Numbers)], unknown: &str) -> Vec<(String, &'a Numbers)> {
    groups
        .iter()
        .map(|(name, n)| (name.clone().unwrap_or_else(|| unknown.to_string()), n))
        .collect()
}

fn long_date(date: Date) -> String {
    date.format("en-GB")
}

pub fn text(counts: &Counts, with_names: bool) -> String {
    let total = &counts.total;
    let mut out = String::new();
    let letters = count(total.letters, "letter");
    out.push_str(&match (counts.first_day, counts.last_day) {
        (Some(first), Some(last)) if first == last => {
            format!("{letters} on {}", long_date(first))
        }
        (Some(first), Some(last)) => {
            format!("{letters} from {} to {}", long_date(first), long_date(last))
        }
        _ => letters,
    });
    out.push_str(if total.letters > 0 {
        ", each counted once:\n"
    } else {
        ".\n"
    });
    for channel in Channel::ALL {
        let n = total.of(channel);
        if n > 0 {
            out.push_str(&format!("  {}\n", words(channel, n).0));
        }
    }
    out.push_str(&match total.replies {
        0 => "No replies recorded.\n".to_string(),
        1 => "1 reply from a mission.\n".to_string(),
        n => format!(
            "{} from missions, to {}.\n",
            replies(n),
            count(total.answered, "letter")
        ),
    });
    let mut section = |title: &str, groups: Vec<(String, &Numbers)>| {
        if groups.is_empty() {
            return;
        }
        out.push_str(&format!("\n{title}:\n"));
        for (name, numbers) in groups {
            out.push_str(&format!(
                "  {}: {}\n",
                escape_for_terminal(&name),
                breakdown(numbers)
            ));
        }
    };

    if total.letters > 0 {
        section("By letter", named(&counts.by_letter, "(letter not known)"));
        section(
            "By mission",
            named(&counts.by_mission, "(mission not known)"),
        );
        section(
            "By day",
            counts
                .by_day
                .iter()
                .map(|(day, n)| (day.map_or("(day not known)".to_string(), long_date), n))
                .collect(),
        );
        if let Some(by_sender) = &counts.by_sender {
            section("By sender", named(by_sender, "(name not known)"));
        }
    }
    out.push('\n');
    let footer = format!(
        "Counted by protest tally from {}: each letter once, however many files record it. \
         A letter written counts on the day it is dated; an email sent, on the day the \
         mission's mail server answered.{}",
        read(counts),
        if with_names {
            ""
        } else {
            " No names or addresses."
        }
    );
    for line in textwrap::wrap(&footer, 72) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// "2 manifests and 1 send log"
fn read(counts: &Counts) -> String {
    let read = &counts.read;
    let parts: Vec<String> = [
        (read.manifests, "manifest", "manifests"),
        (read.send_logs, "send log", "send logs"),
        (read.replies, "replies file", "replies files"),
        (read.tallies, "tally", "tallies"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    match parts.split_last() {
        None => "nothing".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The counts as CSV: a row per letter, mission, (sender,) channel and day.
pub fn csv(tally: &Tally, with_names: bool) -> Result<Vec<u8>> {
    type Row = (String, String, String, &'static str, String);
    let mut rows: BTreeMap<Row, (usize, usize)> = BTreeMap::new();
    for e in tally.entries.values() {
        let cell = |v: &Option<String>| v.clone().unwrap_or_default();
        let key = (
            cell(&e.letter),
            cell(&e.mission),
            if with_names {
                cell(&e.sender)
            } else {
                String::new()
            },
            e.channel.name(),
            e.date.map(|d| d.to_string()).unwrap_or_default(),
        );
        let row = rows.entry(key).or_default();
        row.0 += 1;
        row.1 += e.replies.len();
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["letter", "mission"];
    if with_names {
        header.push("sender");
    }
    header.extend(["channel", "date", "letters", "replies"]);
    let failed = |err: csv::Error| Error::new(ErrorKind::Io, format!("CSV: {err}"));
    writer.write_record(&header).map_err(failed)?;
    for ((letter, mission, sender, channel, date), (letters, replies)) in rows {
        let mut record = vec![safe_cell(letter), safe_cell(mission)];
        if with_names {
            record.push(safe_cell(sender));
        }
        record.extend([
            channel.to_string(),
            date,
            letters.to_string(),
            replies.to_string(),
        ]);
        writer.write_record(&record).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|err| Error::new(ErrorKind::Io, format!("CSV: {err}")))
}

/// A cell a spreadsheet shows as text: one that would start a formula
/// (`=`, `+`, `-`, `@`) gets a `'` first.
fn safe_cell(value: String) -> String {
    match value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{value}"),
        false => value,
    }
}
