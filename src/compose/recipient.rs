//! How a mission of the campaign's state is addressed: the addressee lines,
//! the salutation and the closing, by diplomatic convention.
//!
//! An ambassador or permanent representative is "H.E." on the envelope and
//! "Your Excellency" in the letter, whether or not we know the name; a
//! consul is "Dear Consul General". A head of state is "H.E." and "Your
//! Excellency" too ("H.E. Kassym-Jomart Tokayev, President of the Republic
//! of Kazakhstan", the state's name from campaign.toml). Where the head of
//! mission is unknown the letter goes to the office the campaign names ("The
//! Ambassador"), never to a guessed person.
//!
//! A Russian letter is addressed in Russian from its first line (see
//! [`super::russian`]); the greetings of every language follow the head's
//! recorded form of address, and name the office alone where none is recorded.

use super::russian;
use crate::catalog::{primary_language, Countries, Mission, MissionKind, Words};

/// The lines naming the addressee, in the letter's language, with the
/// campaign's `words` in it.
pub fn addressee(
    mission: &Mission,
    language: &str,
    countries: &Countries,
    words: &Words,
) -> Vec<String> {
    match &*primary_language(language) {
        "ru" => russian::addressee(mission, countries, words),
        _ => english_addressee(mission, words),
    }
}

/// The mission as a copy line or an email's display name names it, in the
/// letter's language: "Embassy of the Republic of Kazakhstan, London",
/// «Посольство Республики Казахстан в Великобритании».
pub fn mission_name(
    mission: &Mission,
    language: &str,
    countries: &Countries,
    words: &Words,
) -> String {
    match &*primary_language(language) {
        "ru" => russian::mission_name(mission, countries, words),
        _ => format!("{}, {}", mission.name, mission.city),
    }
}

/// What a letter in `language` to `mission` leaves out for want of the
/// directory's forms in that language (see [`russian::missing_forms`]).
pub fn missing_forms(
    mission: &Mission,
    language: &str,
    countries: &Countries,
    words: &Words,
) -> Vec<(&'static str, &'static str)> {
    match &*primary_language(language) {
        "ru" => russian::missing_forms(mission, countries, words),
        _ => Vec::new(),
    }
}

/// The lines naming the addressee: person (or office) and their title.
fn english_addressee(mission: &Mission, words: &Words) -> Vec<String> {
    let Some(head) = &mission.head else {
        return match words.offices.of(mission.kind) {
            Some(office) => vec![office.to_string()],
            None => vec![mission.name.clone()],
        };
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
    let title = format!("{} of {}", head.title.replace('-', " "), words.state);
    vec![name, title]
}

/// The whole postal block: addressee, mission, street address (or the city
/// when the directory has none), and the country in capitals when the letter
/// crosses a border, as the UPU asks for international mail. A Russian block
/// has no English mission line (its addressee names the mission) and takes
/// the Cyrillic postal lines where the host post reads them; the country line
/// stays as the sending post reads it.
pub fn lines(
    mission: &Mission,
    language: &str,
    addressee: Vec<String>,
    country: Option<String>,
) -> Vec<String> {
    let mut lines = addressee;
    if primary_language(language) == "ru" {
        lines.extend(russian::postal_lines(mission));
        lines.extend(country.map(|c| c.to_uppercase()));
        return lines;
    }
    // An authority's name is its holder's title ("President of the Republic
    // of …"), already under the holder's name.
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

/// The head's form of address as the directory records it (`honorific`):
/// what a language that greets a man and a woman differently needs. Never
/// guessed from a name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Man,
    Woman,
    /// Not recorded (or a title such as Dr that tells neither): the greeting
    /// names the office alone.
    Unknown,
}

fn form(mission: &Mission) -> Form {
    let honorific = mission
        .head
        .as_ref()
        .and_then(|h| h.honorific.as_deref())
        .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase());
    match honorific.as_deref() {
        Some("mr") => Form::Man,
        Some("ms" | "mrs" | "miss" | "madam") => Form::Woman,
        _ => Form::Unknown,
    }
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
    let form = form(mission);
    match &*primary_language(language) {
        "ru" => salutation_ru(greeted, form),
        "kk" => salutation_kk(greeted, form),
        other => other_salutation(other, greeted).to_string(),
    }
}

/// Russian greets with an exclamation mark and names the office
/// («господин Консул», «госпожа Генеральный консул»). «Ваше
/// Превосходительство!» fits a man and a woman alike; so does the office
/// without «господин» or «госпожа», which is what an unrecorded form gets.
fn salutation_ru(greeted: Greeted, form: Form) -> String {
    let office = match greeted {
        Greeted::Excellency => return "Ваше Превосходительство!".to_string(),
        Greeted::President if form == Form::Unknown => {
            return "Ваше Превосходительство!".to_string()
        }
        Greeted::President => "Президент",
        Greeted::ChargeDAffaires => "Временный поверенный в делах",
        Greeted::ConsulGeneral => "Генеральный консул",
        Greeted::Consul => "Консул",
    };
    match form {
        Form::Man => format!("Уважаемый господин {office}!"),
        Form::Woman => format!("Уважаемая госпожа {office}!"),
        Form::Unknown => format!("Уважаемый {office}!"),
    }
}

/// Kazakh puts мырза (Mr) or ханым (Ms) after the office, and nothing where
/// the form is not recorded.
fn salutation_kk(greeted: Greeted, form: Form) -> String {
    let office = match greeted {
        Greeted::Excellency => "Елші",
        Greeted::President => "Президент",
        Greeted::ChargeDAffaires => "Уақытша сенім білдірілген өкіл",
        Greeted::ConsulGeneral => "Бас консул",
        Greeted::Consul => "Консул",
    };
    match form {
        Form::Man => format!("Құрметті {office} мырза!"),
        Form::Woman => format!("Құрметті {office} ханым!"),
        Form::Unknown => format!("Құрметті {office}!"),
    }
}

/// English (and German, French, Swedish) greetings name the office, the
/// same for a man and a woman.
fn other_salutation(language: &str, greeted: Greeted) -> &'static str {
    match (language, greeted) {
        ("de", Greeted::Excellency | Greeted::President) => "Exzellenz,",
        ("fr", Greeted::Excellency | Greeted::President) => "Excellence,",
        ("sv", Greeted::Excellency | Greeted::President) => "Ers Excellens,",
        (_, Greeted::Excellency | Greeted::President) => "Your Excellency,",
        (_, Greeted::ChargeDAffaires) => "Dear Chargé d'Affaires,",
        (_, Greeted::ConsulGeneral) => "Dear Consul General,",
        (_, Greeted::Consul) => "Dear Consul,",
    }
}

/// The complimentary close: British usage after "Your Excellency" is "Yours
/// sincerely"; American diplomatic usage is "Respectfully".
pub fn closing(language: &str) -> &'static str {
    match (
        &*primary_language(language),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, Head};

    fn with_head(kind: MissionKind, title: Option<&str>, honorific: Option<&str>) -> Mission {
        let mut mission = Catalog::builtin()
            .unwrap()
            .mission("gb-london")
            .unwrap()
            .clone();
        mission.kind = kind;
        mission.head = title.map(|title| Head {
            name: "A. B.".into(),
            honorific: honorific.map(str::to_string),
            title: title.into(),
            as_of: "2026".into(),
            source: "test".into(),
            addressed: Default::default(),
        });
        mission
    }

    #[test]
    fn every_addressee_is_greeted_in_russian_and_kazakh_by_the_recorded_form() {
        use MissionKind::*;
        let cases = [
            (
                Embassy,
                Some("Ambassador"),
                None,
                "Ваше Превосходительство!",
                "Құрметті Елші!",
            ),
            (
                Embassy,
                Some("Ambassador"),
                Some("Ms"),
                "Ваше Превосходительство!",
                "Құрметті Елші ханым!",
            ),
            (
                Embassy,
                None,
                None,
                "Ваше Превосходительство!",
                "Құрметті Елші!",
            ),
            (
                PermanentMission,
                Some("Permanent Representative"),
                Some("Mr"),
                "Ваше Превосходительство!",
                "Құрметті Елші мырза!",
            ),
            (
                Embassy,
                Some("President"),
                Some("Mr"),
                "Уважаемый господин Президент!",
                "Құрметті Президент мырза!",
            ),
            (
                Embassy,
                Some("President"),
                None,
                "Ваше Превосходительство!",
                "Құрметті Президент!",
            ),
            (
                Embassy,
                Some("Chargé d'Affaires a.i."),
                Some("Ms"),
                "Уважаемая госпожа Временный поверенный в делах!",
                "Құрметті Уақытша сенім білдірілген өкіл ханым!",
            ),
            (
                Embassy,
                Some("Chargé d'Affaires a.i."),
                None,
                "Уважаемый Временный поверенный в делах!",
                "Құрметті Уақытша сенім білдірілген өкіл!",
            ),
            (
                ConsulateGeneral,
                Some("Consul General"),
                Some("Ms"),
                "Уважаемая госпожа Генеральный консул!",
                "Құрметті Бас консул ханым!",
            ),
            (
                ConsulateGeneral,
                Some("Consul-General"),
                Some("Mr."),
                "Уважаемый господин Генеральный консул!",
                "Құрметті Бас консул мырза!",
            ),
            (
                ConsulateGeneral,
                Some("Consul-General"),
                Some("Dr"),
                "Уважаемый Генеральный консул!",
                "Құрметті Бас консул!",
            ),
            (
                ConsulateGeneral,
                None,
                None,
                "Уважаемый Генеральный консул!",
                "Құрметті Бас консул!",
            ),
            (
                Consulate,
                None,
                None,
                "Уважаемый Консул!",
                "Құрметті Консул!",
            ),
            (
                Consulate,
                Some("Consul"),
                Some("MS"),
                "Уважаемая госпожа Консул!",
                "Құрметті Консул ханым!",
            ),
        ];
        for (kind, title, honorific, ru, kk) in cases {
            let mission = with_head(kind, title, honorific);
            let case = format!("{kind:?} {title:?} {honorific:?}");
            assert_eq!(salutation(&mission, "ru"), ru, "{case}");
            assert_eq!(salutation(&mission, "ru-KZ"), ru, "{case}");
            assert_eq!(salutation(&mission, "kk"), kk, "{case}");
            // No English greeting is left in either language.
            for language in ["ru", "kk"] {
                let text = salutation(&mission, language);
                assert!(text.ends_with('!') && !text.is_ascii(), "{text}");
            }
            // A man is never greeted as a woman, nor the other way, nor a guess made.
            let ru_text = salutation(&mission, "ru");
            match honorific.map(|h| h.to_ascii_lowercase()) {
                Some(h) if h.starts_with("ms") => assert!(!ru_text.contains("господин")),
                Some(h) if h.starts_with("mr") => assert!(!ru_text.contains("госпожа")),
                _ => assert!(!ru_text.contains("господин") && !ru_text.contains("госпожа")),
            }
        }
        assert_eq!(closing("ru"), "С уважением,");
        assert_eq!(closing("kk"), "Құрметпен,");
    }

    #[test]
    fn english_greetings_are_unchanged() {
        let consul = with_head(MissionKind::Consulate, None, None);
        assert_eq!(salutation(&consul, "en-GB"), "Dear Consul,");
        let consul = with_head(
            MissionKind::ConsulateGeneral,
            Some("Consul General"),
            Some("Ms"),
        );
        assert_eq!(salutation(&consul, "en-GB"), "Dear Consul General,");
        let president = with_head(MissionKind::Embassy, Some("President"), None);
        assert_eq!(salutation(&president, "en-GB"), "Your Excellency,");
        assert_eq!(salutation(&president, "de"), "Exzellenz,");
    }
}
