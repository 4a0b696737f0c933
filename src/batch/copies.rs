//! Letters that would reach one mission word for word. Officials and mail
//! filters discount identical letters, so before it writes anything a run
//! says when more than [`MOST_COPIES`] of its letters to one mission would
//! have the same body (the sender's details and signature always differ),
//! with how many texts there are and how to get more. The first pass
//! composes every letter anyway: counting their bodies costs a hash each.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use super::plan::Plan;
use crate::catalog::body_name;
use crate::compose::Letter;

/// How many letters to one mission may share a body before a run says so.
pub const MOST_COPIES: usize = 5;

/// Groups listed by name in the warning; the rest are counted.
const LISTED: usize = 5;

/// The bodies of a run's letters, by letter and mission.
#[derive(Default)]
pub(super) struct Copies {
    /// (the plan's letter, mission id) -> body digest -> letters with it.
    bodies: HashMap<(usize, String), HashMap<u64, usize>>,
    /// The groups in the order first met, for a warning that is the same whatever the threads.
    order: Vec<(usize, String)>,
}

/// What identifies a letter's body: the same digest, the same text.
pub(super) fn body_digest(letter: &Letter) -> u64 {
    let mut hasher = FxHasher::default();
    letter.body.hash(&mut hasher);
    hasher.finish()
}

/// One letter's and mission's letters that are copies.
struct Group<'a> {
    letter: usize,
    mission: &'a str,
    letters: usize,
    texts: usize,
    most: usize,
}

impl Copies {
    pub(super) fn add(&mut self, letter: usize, mission: &str, body: u64) {
        let key = (letter, mission.to_string());
        let bodies = self.bodies.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            HashMap::new()
        });
        *bodies.entry(body).or_default() += 1;
    }

    /// What to say before writing, when some mission would get more than
    /// [`MOST_COPIES`] letters with one body.
    pub(super) fn warning(&self, plan: &Plan) -> Option<String> {
        let mut groups: Vec<Group> = self
            .order
            .iter()
            .filter_map(|key| {
                let bodies = &self.bodies[key];
                let most = bodies.values().copied().max().unwrap_or(0);
                (most > MOST_COPIES).then(|| Group {
                    letter: key.0,
                    mission: &key.1,
                    letters: bodies.values().sum(),
                    texts: bodies.len(),
                    most,
                })
            })
            .collect();
        if groups.is_empty() {
            return None;
        }
        // The most copies first; among equals, the order of the run.
        groups.sort_by_key(|group| std::cmp::Reverse(group.most));
        let id = |group: &Group| plan.templates[group.letter].front.id.as_str();
        let described = |group: &Group| {
            format!(
                "{} of `{}` to {} would have {} between them ({} copies of one)",
                crate::text::count(group.letters, "letter"),
                id(group),
                group.mission,
                crate::text::count(group.texts, "distinct text"),
                group.most
            )
        };
        let mut text = match groups.as_slice() {
            [one] => format!(
                "{}: officials and mail filters discount letters the same but for the sender's \
                 details",
                described(one)
            ),
            many => {
                let mut text = format!(
                    "{} missions would get more than {MOST_COPIES} letters the same but for the \
                     sender's details, which officials and mail filters discount:",
                    many.len()
                );
                for group in many.iter().take(LISTED) {
                    text.push_str(&format!("\n  {}", described(group)));
                }
                if many.len() > LISTED {
                    text.push_str(&format!("\n  and {} more", many.len() - LISTED));
                }
                text
            }
        };
        let mut letters: Vec<usize> = groups.iter().map(|g| g.letter).collect();
        letters.sort_unstable();
        letters.dedup();
        let wordings: Vec<String> = letters
            .iter()
            .map(|&letter| {
                let template = plan.templates[letter];
                let count = plan
                    .catalog
                    .engine
                    .wordings(&body_name(&template.engine_id()));
                format!(
                    "`{}` ({}) can take {}",
                    template.front.id,
                    template.front.language,
                    match count {
                        1 => "1 wording".to_string(),
                        n => format!("{n} wordings"),
                    }
                )
            })
            .collect();
        text.push_str(&format!(
            "\n  help: {}; give a letter more with {{{{#vary}}}} alternatives \
             (letters/README.md, \"Alternatives\"), or give each sender a paragraph of their own \
             in a `personal` column",
            wordings.join(", ")
        ));
        Some(text)
    }
}
