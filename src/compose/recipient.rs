//! How a Kazakh mission is addressed: the addressee lines, the salutation and
//! the closing, by diplomatic convention.
//!
//! An ambassador or permanent representative is "H.E." on the envelope and
//! "Your Excellency" in the letter, whether or not we know the name; a
//! consul is "Dear Consul General". A head of state is "H.E." and "Your
//! Excellency" too ("H.E. Kassym-Jomart Tokayev, President of the Republic
//! of Kazakhstan"). Where the head of mission is unknown the
//! letter goes to the office ("The Ambassador"), never to a guessed person.

use crate::catalog::{Mission, MissionKind};

/// The lines naming the addressee: person (or office) and their title.
pub fn addressee(mission: &Mission) -> Vec<String> {
    let Some(head) = &mission.head else {
        let office = match mission.kind {
            MissionKind::Embassy => "The Ambassador",
            MissionKind::ConsulateGeneral => "The Consul General",
            MissionKind::Consulate => "The Consul",
            MissionKind::PermanentMission => "The Permanent Representative",
            MissionKind::Authority => return vec![mission.name.clone()],
        };
        return vec![office.to_string()];
    };
    let excellency = is_excellency(&head.title);
    let mut name = String::new();
    if excellency {
        name.push_str("H.E. ");
    }
    if let Some(honorific) = head.honorific.as_deref().filter(|h| !h.is_empty()) {
        name.push_str(honorific);
        name.push(' ');
    }
    name.push_str(&head.name);
    let title = format!(
        "{} of the Republic of Kazakhstan",
        head.title.replace('-', " ")
    );
    vec![name, title]
}

/// The whole postal block: addressee, mission, street address (or the city
/// when the directory has none), and the country in capitals when the letter
/// crosses a border, as the UPU asks for international mail.
pub fn lines(mission: &Mission, addressee: Vec<String>, country: Option<String>) -> Vec<String> {
    let mut lines = addressee;
    // An authority's name is its holder's title ("President of the Republic
    // of Kazakhstan"), already under the holder's name.
    if !lines.contains(&mission.name) {
        lines.push(mission.name.clone());
    }
    match &mission.address {
        Some(address) if !address.is_empty() => lines.extend(address.iter().cloned()),
        _ => lines.push(mission.city.clone()),
    }
    lines.extend(country.map(|c| c.to_uppercase()));
    lines
}

/// Whom a salutation greets: what the languages tell apart.
#[derive(Clone, Copy)]
enum Greeted {
    Excellency,
    President,
    ChargeDAffaires,
    ConsulGeneral,
    Consul,
}

pub fn salutation(mission: &Mission, language: &str) -> String {
    let greeted = match mission.head.as_ref().map(|h| h.title.as_str()) {
        Some(title) if title.starts_with("Chargé") => Greeted::ChargeDAffaires,
        Some(title) if title.starts_with("President") => Greeted::President,
        Some(title) if is_excellency(title) => Greeted::Excellency,
        Some(_) => consul(mission.kind),
        None => match mission.kind {
            kind @ (MissionKind::ConsulateGeneral | MissionKind::Consulate) => consul(kind),
            _ => Greeted::Excellency,
        },
    };
    // Russian and Kazakh letters greet with an exclamation mark, and name the
    // office ("господин Консул") where English says "Dear Consul".
    let text = match (primary(language).as_str(), greeted) {
        ("ru", Greeted::Excellency) => "Ваше Превосходительство!",
        ("ru", Greeted::President) => "Уважаемый господин Президент!",
        ("ru", Greeted::ChargeDAffaires) => "Уважаемый господин Временный поверенный в делах!",
        ("ru", Greeted::ConsulGeneral) => "Уважаемый господин Генеральный консул!",
        ("ru", Greeted::Consul) => "Уважаемый господин Консул!",
        ("kk", Greeted::Excellency) => "Құрметті Елші мырза!",
        ("kk", Greeted::President) => "Құрметті Президент мырза!",
        ("kk", Greeted::ChargeDAffaires) => "Құрметті Уақытша сенім білдірілген өкіл мырза!",
        ("kk", Greeted::ConsulGeneral) => "Құрметті Бас консул мырза!",
        ("kk", Greeted::Consul) => "Құрметті Консул мырза!",
        ("de", Greeted::Excellency | Greeted::President) => "Exzellenz,",
        ("fr", Greeted::Excellency | Greeted::President) => "Excellence,",
        ("sv", Greeted::Excellency | Greeted::President) => "Ers Excellens,",
        (_, Greeted::Excellency | Greeted::President) => "Your Excellency,",
        (_, Greeted::ChargeDAffaires) => "Dear Chargé d'Affaires,",
        (_, Greeted::ConsulGeneral) => "Dear Consul General,",
        (_, Greeted::Consul) => "Dear Consul,",
    };
    text.to_string()
}

/// The complimentary close: British usage after "Your Excellency" is "Yours
/// sincerely"; American diplomatic usage is "Respectfully".
pub fn closing(language: &str) -> &'static str {
    match (
        primary(language).as_str(),
        language.to_ascii_lowercase().as_str(),
    ) {
        (_, "en-us") => "Respectfully,",
        ("de", _) => "Mit freundlichen Grüßen",
        ("fr", _) => "Veuillez agréer, Excellence, l'assurance de ma haute considération.",
        ("ru", _) => "С уважением,",
        ("kk", _) => "Құрметпен,",
        ("sv", _) => "Med vänliga hälsningar",
        _ => "Yours sincerely,",
    }
}

fn consul(kind: MissionKind) -> Greeted {
    match kind {
        MissionKind::Consulate => Greeted::Consul,
        _ => Greeted::ConsulGeneral,
    }
}

/// Ambassadors, permanent representatives and the head of state are "His
/// Excellency" on the envelope and "Your Excellency" in an English letter.
fn is_excellency(title: &str) -> bool {
    ["Ambassador", "Permanent Representative", "President"]
        .iter()
        .any(|t| title.starts_with(t))
}

fn primary(language: &str) -> String {
    crate::catalog::primary_language(language)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, Head};

    fn with_head(kind: MissionKind, title: Option<&str>) -> Mission {
        let mut mission = Catalog::builtin()
            .unwrap()
            .mission("gb-london")
            .unwrap()
            .clone();
        mission.kind = kind;
        mission.head = title.map(|title| Head {
            name: "A. B.".into(),
            honorific: None,
            title: title.into(),
            as_of: "2026".into(),
            source: "test".into(),
        });
        mission
    }

    #[test]
    fn every_addressee_is_greeted_in_russian_and_kazakh() {
        let cases = [
            (
                MissionKind::Embassy,
                Some("Ambassador"),
                "Ваше Превосходительство!",
                "Құрметті Елші мырза!",
            ),
            (
                MissionKind::Embassy,
                None,
                "Ваше Превосходительство!",
                "Құрметті Елші мырза!",
            ),
            (
                MissionKind::PermanentMission,
                Some("Permanent Representative"),
                "Ваше Превосходительство!",
                "Құрметті Елші мырза!",
            ),
            (
                MissionKind::Embassy,
                Some("President"),
                "Уважаемый господин Президент!",
                "Құрметті Президент мырза!",
            ),
            (
                MissionKind::Embassy,
                Some("Chargé d'Affaires a.i."),
                "Уважаемый господин Временный поверенный в делах!",
                "Құрметті Уақытша сенім білдірілген өкіл мырза!",
            ),
            (
                MissionKind::ConsulateGeneral,
                Some("Consul-General"),
                "Уважаемый господин Генеральный консул!",
                "Құрметті Бас консул мырза!",
            ),
            (
                MissionKind::ConsulateGeneral,
                None,
                "Уважаемый господин Генеральный консул!",
                "Құрметті Бас консул мырза!",
            ),
            (
                MissionKind::Consulate,
                None,
                "Уважаемый господин Консул!",
                "Құрметті Консул мырза!",
            ),
        ];
        for (kind, title, ru, kk) in cases {
            let mission = with_head(kind, title);
            assert_eq!(salutation(&mission, "ru"), ru, "{kind:?} {title:?}");
            assert_eq!(salutation(&mission, "ru-KZ"), ru, "{kind:?} {title:?}");
            assert_eq!(salutation(&mission, "kk"), kk, "{kind:?} {title:?}");
            // No English greeting is left in either language.
            for language in ["ru", "kk"] {
                let text = salutation(&mission, language);
                assert!(text.ends_with('!') && !text.is_ascii(), "{text}");
            }
        }
        assert_eq!(closing("ru"), "С уважением,");
        assert_eq!(closing("kk"), "Құрметпен,");
    }

    #[test]
    fn english_greetings_are_unchanged() {
        let consul = with_head(MissionKind::Consulate, None);
        assert_eq!(salutation(&consul, "en-GB"), "Dear Consul,");
        let president = with_head(MissionKind::Embassy, Some("President"));
        assert_eq!(salutation(&president, "en-GB"), "Your Excellency,");
        assert_eq!(salutation(&president, "de"), "Exzellenz,");
    }
}
