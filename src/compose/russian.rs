//! How a Russian letter addresses a mission: the addressee's office in the
//! dative («Чрезвычайному и Полномочному Послу Республики Казахстан в
//! Соединённом Королевстве Великобритании и Северной Ирландии»), the
//! mission's name in the nominative (the copy line, the draft's To name), and
//! the postal lines.
//!
//! Everything is made from the mission's kind, the campaign's Russian words
//! (the state in the genitive, the offices in the dative, the kinds of mission
//! in the nominative: campaign.toml's `[language.ru]`) and the Russian forms
//! of its place: the country's names in data/countries.toml, the city's in the
//! mission's `[mission.ru]`, which also names what no rule makes (a permanent
//! mission, the President). Where a form is missing the text leaves the place
//! out rather than put a Latin word in a Russian phrase: the postal lines
//! still say where the mission is.

use crate::catalog::{Countries, Mission, MissionKind, Words};

/// Host countries whose post reads Cyrillic: a mission there without a
/// Cyrillic address still gets its city in Cyrillic.
const CYRILLIC_POST: [&str; 4] = ["RU", "BY", "KG", "KZ"];

/// The widest addressee line, in characters: what the envelope window shows
/// at the body's type size, so the office breaks where a writer would break it.
const LINE: usize = 38;

/// The addressee lines: the office in the dative, broken into lines at its
/// parts, then the head's name where the directory spells it in Russian.
pub fn addressee(mission: &Mission, countries: &Countries, words: &Words) -> Vec<String> {
    let forms = mission.ru.as_ref();
    let state = words.state.as_str();
    let mut lines = match forms.and_then(|f| f.office.as_deref()) {
        Some(office) => match office.split_once(state) {
            Some((title, place)) => lay_out(&[title, state, place]),
            None => lay_out(&[office]),
        },
        None => {
            let offices = &words.offices;
            let charge = offices.charge_d_affaires.as_deref().filter(|_| {
                mission.kind == MissionKind::Embassy
                    && mission
                        .head
                        .as_ref()
                        .is_some_and(|h| h.title.starts_with("Chargé"))
            });
            let Some(title) = charge.or_else(|| offices.of(mission.kind)) else {
                return vec![mission.name.clone()];
            };
            let place = match mission.kind {
                MissionKind::Embassy => countries
                    .russian(&mission.country)
                    .map(|c| c.official_in.as_str()),
                _ => forms.and_then(|f| f.in_city.as_deref()),
            };
            lay_out(&[title, state, place.unwrap_or_default()])
        }
    };
    if let Some(name) = mission.head.as_ref().and_then(|h| h.addressed.get("ru")) {
        lines.push(name.clone());
    }
    lines
}

/// What a Russian letter to `mission` leaves out for want of the
/// directory's Russian forms, each as the field to add and what it gives:
/// without them the address reads «Генеральному консулу Республики
/// Казахстан», with no city. Empty when nothing is missing.
pub fn missing_forms(
    mission: &Mission,
    countries: &Countries,
    words: &Words,
) -> Vec<(&'static str, &'static str)> {
    let forms = mission.ru.as_ref();
    let office = forms.is_some_and(|f| f.office.is_some());
    let name = forms.is_some_and(|f| f.name.is_some());
    let mut missing = Vec::new();
    if !office && words.offices.of(mission.kind).is_none() {
        missing.push((
            "`office` under [mission.ru]",
            "the addressee's office (in the dative)",
        ));
    }
    if !name
        && words
            .missions
            .as_ref()
            .and_then(|m| m.of(mission.kind))
            .is_none()
    {
        missing.push((
            "`name` under [mission.ru]",
            "the mission's name (in the nominative)",
        ));
    }
    let place_known = match mission.kind {
        MissionKind::Embassy => countries.russian(&mission.country).is_some(),
        _ => forms.is_some_and(|f| f.in_city.is_some()),
    };
    // Both office and name given make the place from neither rule.
    let place_needed = !(office && name);
    if place_needed && !place_known {
        missing.push(match mission.kind {
            MissionKind::Embassy => (
                "`office` and `name` under [mission.ru] (as «Послу Республики Казахстан в …»)",
                "the country's name",
            ),
            _ => (
                "`in_city` under [mission.ru] (e.g. in_city = \"в Чикаго\")",
                "the city (with its preposition)",
            ),
        });
    }
    missing
}

/// The mission's name in the nominative, as a copy line or an email names it.
pub fn mission_name(mission: &Mission, countries: &Countries, words: &Words) -> String {
    let forms = mission.ru.as_ref();
    if let Some(name) = forms.and_then(|f| f.name.as_deref()) {
        return name.to_string();
    }
    let kind = words.missions.as_ref().and_then(|m| m.of(mission.kind));
    let Some(kind) = kind else {
        return mission.name.clone();
    };
    let place = match mission.kind {
        MissionKind::Embassy => countries
            .russian(&mission.country)
            .map(|c| c.in_short.as_str()),
        _ => forms.and_then(|f| f.in_city.as_deref()),
    };
    let state = &words.state;
    match place {
        Some(place) => format!("{kind} {state} {place}"),
        None => format!("{kind} {state}"),
    }
}

/// The lines the post reads: the Cyrillic address where the directory has
/// one, else the address as the host country writes it, else the city (in
/// Cyrillic where the host post reads it).
pub fn postal_lines(mission: &Mission) -> Vec<String> {
    let forms = mission.ru.as_ref();
    if let Some(address) = forms.and_then(|f| f.address.as_ref()) {
        if !address.is_empty() {
            return address.clone();
        }
    }
    match &mission.address {
        Some(address) if !address.is_empty() => address.clone(),
        _ => {
            let cyrillic = forms
                .and_then(|f| f.city.as_ref())
                .filter(|_| CYRILLIC_POST.contains(&mission.country.as_str()));
            vec![cyrillic.unwrap_or(&mission.city).clone()]
        }
    }
}

/// `parts` as lines of at most [`LINE`] characters: a part that fits goes on
/// the line before it, one that does not starts a line, and one longer than
/// a line is broken between words.
fn lay_out(parts: &[&str]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let fits = |line: &str, more: &str| line.chars().count() + 1 + more.chars().count() <= LINE;
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        match lines.last_mut() {
            Some(line) if fits(line, part) => {
                line.push(' ');
                line.push_str(part);
                continue;
            }
            _ => {}
        }
        let mut current = String::new();
        for word in part.split(' ') {
            if !current.is_empty() && !fits(&current, word) {
                lines.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn lines_of(id: &str) -> (Vec<String>, String, Vec<String>) {
        let catalog = Catalog::builtin().unwrap();
        let mission = catalog.mission(id).unwrap();
        let words = catalog.campaign.words("ru");
        (
            addressee(mission, &catalog.countries, words),
            mission_name(mission, &catalog.countries, words),
            postal_lines(mission),
        )
    }

    #[test]
    fn offices_are_in_the_dative_and_names_in_the_nominative() {
        let (to, name, post) = lines_of("gb-london");
        assert_eq!(
            to,
            [
                "Чрезвычайному и Полномочному Послу",
                "Республики Казахстан",
                "в Соединённом Королевстве",
                "Великобритании и Северной Ирландии"
            ]
        );
        assert_eq!(name, "Посольство Республики Казахстан в Великобритании");
        assert_eq!(
            post,
            ["Kazakhstan House", "125 Pall Mall", "London SW1Y 5EA"]
        );

        let (to, name, _) = lines_of("us-san-francisco");
        assert_eq!(
            to,
            [
                "Генеральному консулу",
                "Республики Казахстан в Сан-Франциско"
            ]
        );
        assert_eq!(
            name,
            "Генеральное консульство Республики Казахстан в Сан-Франциско"
        );

        let (to, name, post) = lines_of("kz-president");
        assert_eq!(to, ["Президенту Республики Казахстан", "К.-Ж. К. Токаеву"]);
        assert_eq!(name, "Президент Республики Казахстан");
        assert_eq!(
            post,
            ["Government House (Akorda)", "Mangilik Yel St 6", "Astana"]
        );

        let (to, _, post) = lines_of("ru-moscow");
        assert_eq!(
            to,
            [
                "Чрезвычайному и Полномочному Послу",
                "Республики Казахстан",
                "в Российской Федерации"
            ]
        );
        assert_eq!(post, ["Чистопрудный бульвар, 3А", "Москва", "101000"]);
        let (to, _, post) = lines_of("ru-omsk");
        assert_eq!(to, ["Консулу Республики Казахстан в Омске"]);
        assert_eq!(post, ["ул. Ленина, 39", "Омск"]);
        // A city alone, in Cyrillic where the post reads it, else as the host writes it.
        assert_eq!(lines_of("by-minsk").2, ["Минск"]);
        assert_eq!(lines_of("jp-tokyo").2, ["Tokyo"]);
    }

    #[test]
    fn every_shipped_mission_is_addressed_in_russian_words() {
        let catalog = Catalog::builtin().unwrap();
        let words = catalog.campaign.words("ru");
        for mission in &catalog.missions {
            let to = addressee(mission, &catalog.countries, words);
            let name = mission_name(mission, &catalog.countries, words);
            for text in to.iter().chain([&name]) {
                assert!(
                    !text.chars().any(|c| c.is_ascii_alphabetic()),
                    "{}: {text}",
                    mission.id
                );
                assert!(text.chars().count() <= 120, "{}: {text}", mission.id);
            }
            // The place is named: no mission is left as "of Kazakhstan" alone.
            assert!(
                name.contains(" в ")
                    || name.contains(" во ")
                    || name.contains(" при ")
                    || mission.kind == MissionKind::Authority,
                "{}: {name}",
                mission.id
            );
            for line in &to {
                assert!(
                    line.chars().count() <= LINE || !line.contains(' '),
                    "{}: {line}",
                    mission.id
                );
            }
        }
    }
}
