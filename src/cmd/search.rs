//! A list searched by typing, for the guided mode's letters and embassies,
//! ranked so that what the user plainly names comes first.
//!
//! A fuzzy matcher alone scores "mamai" the same in the letter for Zhanbolat
//! Mamai and in the letter naming every prisoner, and shows either first. Here
//! an item whose id, title or a name is, or has a word that is, what was typed
//! ranks first (`mamai` is a word of `mamai-restrictions`), then one where it
//! begins a word of them, then the fuzzy matches; among equals, an id beats a
//! title, a title beats a name, and the item naming fewer people (the more
//! specific) comes first.

use dialoguer::console::{Key, Term};
use dialoguer::theme::Theme;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// What an item is known by, strongest first.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub id: String,
    pub title: String,
    /// The people (or places) it names: full names and each surname.
    pub names: Vec<String>,
}

/// How well an item answers the query: lower sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    /// 0: a key, or a word of it, is the query; 1: the query begins a word of a key; 2: fuzzy.
    tier: u8,
    /// 0: the id; 1: the title; 2: a name; 3: only the shown text.
    key: u8,
    /// The whole key is the query (`mamai`), not only a word of it (`mamai-restrictions`).
    partial: bool,
    /// Fewer names: more specific.
    names: usize,
    /// The fuzzy score, negated.
    fuzzy: i64,
}

fn fold(text: &str) -> String {
    text.to_lowercase().trim().to_string()
}

fn words(key: &str) -> impl Iterator<Item = &str> {
    key.split(|c: char| !c.is_alphanumeric())
}

fn begins_a_word(key: &str, query: &str) -> bool {
    key.starts_with(query) || words(key).any(|word| word.starts_with(query))
}

fn rank(matcher: &SkimMatcherV2, shown: &str, keys: &Keys, query: &str) -> Option<Rank> {
    let query = fold(query);
    let named = keys.names.len();
    let candidates = [
        (0, std::slice::from_ref(&keys.id)),
        (1, std::slice::from_ref(&keys.title)),
        (2, keys.names.as_slice()),
    ];
    for tier in 0..2 {
        for (key, values) in &candidates {
            let values: Vec<String> = values.iter().map(|v| fold(v)).collect();
            let whole = values.contains(&query);
            let hit = whole
                || values.iter().any(|v| match tier {
                    0 => words(v).any(|word| word == query),
                    _ => !v.is_empty() && begins_a_word(v, &query),
                });
            if hit {
                return Some(Rank {
                    tier,
                    key: *key,
                    partial: !whole,
                    names: named,
                    fuzzy: 0,
                });
            }
        }
    }
    let score = matcher.fuzzy_match(shown, &query)?;
    Some(Rank {
        tier: 2,
        key: 3,
        partial: true,
        names: 0,
        fuzzy: -score,
    })
}

/// The items that match `query`, best first (all of them, in order, for an
/// empty query).
pub fn ranked(items: &[String], keys: &[Keys], query: &str) -> Vec<usize> {
    if query.trim().is_empty() {
        return (0..items.len()).collect();
    }
    let matcher = SkimMatcherV2::default();
    let mut found: Vec<(Rank, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, shown)| {
            let keys = keys.get(i).cloned().unwrap_or_default();
            rank(&matcher, shown, &keys, query).map(|r| (r, i))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, i)| i).collect()
}

/// Items shown at once.
const SHOWN: usize = 10;

/// Asks on `term`, drawn by `theme` as dialoguer's own fuzzy search is; the
/// index chosen, or `None` for Esc.
pub fn interact(
    term: &Term,
    theme: &dyn Theme,
    prompt: &str,
    items: &[String],
    keys: &[Keys],
    default: usize,
) -> std::io::Result<Option<usize>> {
    let matcher = SkimMatcherV2::default();
    let mut query = String::new();
    let mut selected = default.min(items.len().saturating_sub(1));
    let mut first_shown = 0;
    let mut drawn = 0;
    term.hide_cursor()?;
    let result = loop {
        let matches = ranked(items, keys, &query);
        selected = selected.min(matches.len().saturating_sub(1));
        if selected < first_shown {
            first_shown = selected;
        } else if selected >= first_shown + SHOWN {
            first_shown = selected + 1 - SHOWN;
        }
        term.clear_last_lines(drawn)?;
        let mut line = String::new();
        theme
            .format_fuzzy_select_prompt(&mut line, prompt, &query, query.len())
            .map_err(std::io::Error::other)?;
        term.write_line(&line)?;
        drawn = 1;
        for (row, &index) in matches.iter().enumerate().skip(first_shown).take(SHOWN) {
            let mut line = String::new();
            theme
                .format_fuzzy_select_prompt_item(
                    &mut line,
                    &items[index],
                    row == selected,
                    true,
                    &matcher,
                    &query,
                )
                .map_err(std::io::Error::other)?;
            term.write_line(&line)?;
            drawn += 1;
        }
        term.flush()?;
        match term.read_key()? {
            Key::Escape => break None,
            Key::Enter if !matches.is_empty() => break Some(matches[selected]),
            Key::ArrowUp | Key::BackTab if !matches.is_empty() => {
                selected = (selected + matches.len() - 1) % matches.len();
            }
            Key::ArrowDown | Key::Tab if !matches.is_empty() => {
                selected = (selected + 1) % matches.len();
            }
            Key::Backspace => {
                query.pop();
                selected = 0;
            }
            Key::Char(c) if !c.is_control() => {
                query.push(c);
                selected = 0;
            }
            _ => {}
        }
    };
    term.clear_last_lines(drawn)?;
    if let Some(index) = result {
        let mut line = String::new();
        theme
            .format_input_prompt_selection(&mut line, prompt, &items[index])
            .map_err(std::io::Error::other)?;
        term.write_line(&line)?;
    }
    term.show_cursor()?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(id: &str, title: &str, names: &[&str]) -> (String, Keys) {
        let mut all: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        all.extend(
            names
                .iter()
                .filter_map(|n| n.split_whitespace().last().map(str::to_string)),
        );
        let shown = format!("{title} · naming {}", names.join(", "));
        (
            shown,
            Keys {
                id: id.into(),
                title: title.into(),
                names: all,
            },
        )
    }

    fn letters() -> (Vec<String>, Vec<Keys>) {
        [
            letter(
                "all-political-prisoners",
                "Free all political prisoners",
                &[
                    "Zhanbolat Mamai",
                    "Max Bokayev",
                    "Erzhan Elshibayev",
                    "Aset Kushakbayev",
                ],
            ),
            letter(
                "bokayev-ayanov",
                "Free Max Bokayev and Talgat Ayanov",
                &["Max Bokayev", "Talgat Ayanov"],
            ),
            letter(
                "kushakbayev-yeleusinov",
                "Free the oil workers' leaders",
                &["Aset Kushakbayev", "Amin Yeleusinov"],
            ),
            letter(
                "mamai",
                "Free journalist Zhanbolat Mamai",
                &["Zhanbolat Mamai"],
            ),
            letter(
                "mamai-restrictions",
                "Lift the restrictions on journalist Zhanbolat Mamai",
                &["Zhanbolat Mamai"],
            ),
        ]
        .into_iter()
        .unzip()
    }

    fn first(query: &str) -> usize {
        let (items, keys) = letters();
        ranked(&items, &keys, query)[0]
    }

    #[test]
    fn what_the_user_plainly_names_comes_first() {
        // An id, a surname, a name, a title, in any case: that person's own letter.
        assert_eq!(first("mamai"), 3);
        assert_eq!(first("mamai-restrictions"), 4);
        assert_eq!(first("Mamai"), 3);
        assert_eq!(first("Zhanbolat Mamai"), 3);
        assert_eq!(first("kushak"), 2);
        assert_eq!(first("Kushakbayev"), 2);
        assert_eq!(first("ayanov"), 1);
        assert_eq!(first("bokayev"), 1);
        assert_eq!(first("free all political prisoners"), 0);
        assert_eq!(first("political"), 0);
        // A word of the id is as plain as the whole id, and beats a name.
        assert_eq!(first("restrictions"), 4);
        let (items, keys) = letters();
        let others: Vec<usize> = (0..items.len()).filter(|&i| i != 3).collect();
        let items: Vec<String> = others.iter().map(|&i| items[i].clone()).collect();
        let keys: Vec<Keys> = others.iter().map(|&i| keys[i].clone()).collect();
        assert_eq!(
            keys[ranked(&items, &keys, "mamai")[0]].id,
            "mamai-restrictions"
        );
    }

    #[test]
    fn fuzzy_matches_come_after_and_an_empty_query_keeps_the_order() {
        let (items, keys) = letters();
        assert_eq!(ranked(&items, &keys, ""), [0, 1, 2, 3, 4]);
        // "zhnblt" begins no word: only the fuzzy matcher finds it.
        let found = ranked(&items, &keys, "zhnblt");
        assert!(found.contains(&3) && found.contains(&0), "{found:?}");
        assert!(ranked(&items, &keys, "qqqq").is_empty());
    }
}
