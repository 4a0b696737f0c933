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

pub fn salutation(mission: &Mission, language: &str) -> String {
    let english = match mission.head.as_ref().map(|h| h.title.as_str()) {
        Some(title) if title.starts_with("Chargé") => "Dear Chargé d'Affaires,",
        Some(title) if is_excellency(title) => "Your Excellency,",
        Some(_) => consul(mission.kind),
        None => match mission.kind {
            MissionKind::Embassy | MissionKind::PermanentMission | MissionKind::Authority => {
                "Your Excellency,"
            }
            kind => consul(kind),
        },
    };
    match (primary(language), english) {
        ("de", "Your Excellency,") => "Exzellenz,".into(),
        ("fr", "Your Excellency,") => "Excellence,".into(),
        ("ru", "Your Excellency,") => "Ваше Превосходительство!".into(),
        ("sv", "Your Excellency,") => "Ers Excellens,".into(),
        _ => english.into(),
    }
}

/// The complimentary close: British usage after "Your Excellency" is "Yours
/// sincerely"; American diplomatic usage is "Respectfully".
pub fn closing(language: &str) -> &'static str {
    match (primary(language), language.to_ascii_lowercase().as_str()) {
        (_, "en-us") => "Respectfully,",
        ("de", _) => "Mit freundlichen Grüßen",
        ("fr", _) => "Veuillez agréer, Excellence, l'assurance de ma haute considération.",
        ("ru", _) => "С уважением,",
        ("kk", _) => "Құрметпен,",
        ("sv", _) => "Med vänliga hälsningar",
        _ => "Yours sincerely,",
    }
}

fn consul(kind: MissionKind) -> &'static str {
    match kind {
        MissionKind::Consulate => "Dear Consul,",
        _ => "Dear Consul General,",
    }
}

fn is_excellency(title: &str) -> bool {
    ["Ambassador", "Permanent Representative", "President"]
        .iter()
        .any(|t| title.starts_with(t))
}

fn primary(language: &str) -> &str {
    language.split(['-', '_']).next().unwrap_or("")
}
