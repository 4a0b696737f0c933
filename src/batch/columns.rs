//! What a senders CSV's header names, as the tools branches export from
//! name them: Google Forms ("Timestamp", "Email Address"), Microsoft Forms,
//! Mailchimp ("First Name", "Last Name", "Email Address"), Action Network
//! ("first_name", "zip_code"), and spreadsheets typed by hand, in English
//! and in the languages of the countries the shipped letters go to.
//!
//! Headers match whatever their case, spaces and punctuation: "E-mail",
//! "e mail" and "EMAIL" are one header.

/// What a header names.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Name,
    /// Joined with [`Column::LastName`] as the name when there is no name column.
    FirstName,
    LastName,
    Org,
    Role,
    Address,
    Postcode,
    Town,
    Country,
    Email,
    Phone,
    Personal,
    /// What Microsoft Forms records of whoever answered, in its `Name` and
    /// `Email` columns: their account's name and address, or "anonymous"
    /// (or nothing) when anyone may answer. The sender's name or email when
    /// the form's own question for it is left empty or not asked.
    RecordedName,
    RecordedEmail,
    /// Reaches templates as `{{extra.KEY}}`.
    Extra(String),
}

impl Column {
    /// What the column gives, for messages.
    pub fn describe(&self) -> String {
        match self {
            Column::Name => "sender's name".into(),
            Column::FirstName => "first name".into(),
            Column::LastName => "last name".into(),
            Column::Org => "organisation".into(),
            Column::Role => "role".into(),
            Column::Address => "address".into(),
            Column::Postcode => "postcode".into(),
            Column::Town => "town".into(),
            Column::Country => "country".into(),
            Column::Email => "email address".into(),
            Column::Phone => "phone number".into(),
            Column::Personal => "personal paragraph".into(),
            Column::RecordedName => "name Microsoft Forms recorded".into(),
            Column::RecordedEmail => "email address Microsoft Forms recorded".into(),
            Column::Extra(key) => format!("template field {{{{extra.{key}}}}}"),
        }
    }
}

/// Header names, squashed (lower case, letters and digits only), by field.
/// de, fr, sv, nl, no and ru follow the English.
const NAMES: &[(&[&str], Column)] = &[
    (
        &[
            "name",
            "fullname",
            "yourname",
            "sender",
            "member",
            "membername",
            "nameofsender",
            "vollständigername",
            "nomcomplet",
            "fullständigtnamn",
            "volledigenaam",
            "fulltnavn",
            "navn",
            "namn",
            "naam",
            "фио",
            "полноеимя",
        ],
        Column::Name,
    ),
    (
        &[
            "firstname",
            "first",
            "givenname",
            "forename",
            "fname",
            "vorname",
            "prénom",
            "prenom",
            "förnamn",
            "fornamn",
            "voornaam",
            "fornavn",
            "имя",
        ],
        Column::FirstName,
    ),
    (
        &[
            "lastname",
            "last",
            "surname",
            "familyname",
            "lname",
            "nachname",
            "familienname",
            "nom",
            "nomdefamille",
            "efternamn",
            "achternaam",
            "etternavn",
            "фамилия",
        ],
        Column::LastName,
    ),
    (
        &[
            "org",
            "organisation",
            "organization",
            "organisationname",
            "organizationname",
            "company",
            "employer",
            "branch",
            "union",
            "unionbranch",
            "gewerkschaft",
            "verein",
            "syndicat",
            "fackförbund",
            "organisatie",
            "vakbond",
            "organisasjon",
            "fagforening",
            "организация",
            "профсоюз",
        ],
        Column::Org,
    ),
    (
        &[
            "role",
            "position",
            "jobtitle",
            "funktion",
            "rolle",
            "fonction",
            "poste",
            "roll",
            "befattning",
            "functie",
            "stilling",
            "должность",
        ],
        Column::Role,
    ),
    (
        &[
            "street",
            "streetaddress",
            "straße",
            "strasse",
            "anschrift",
            "adresse",
            "rue",
            "adress",
            "gatuadress",
            "gata",
            "adres",
            "straat",
            "gateadresse",
            "адрес",
            "улица",
        ],
        Column::Address,
    ),
    (
        &[
            "postcode",
            "postalcode",
            "zip",
            "zipcode",
            "zippostalcode",
            "postleitzahl",
            "plz",
            "codepostal",
            "cp",
            "postnummer",
            "postnr",
            "индекс",
            "почтовыйиндекс",
        ],
        Column::Postcode,
    ),
    (
        &[
            "town",
            "city",
            "place",
            "towncity",
            "ort",
            "stadt",
            "wohnort",
            "ville",
            "localité",
            "stad",
            "postort",
            "plaats",
            "woonplaats",
            "sted",
            "poststed",
            "by",
            "город",
            "населённыйпункт",
            "населенныйпункт",
        ],
        Column::Town,
    ),
    (
        &["country", "countryregion", "land", "pays", "страна"],
        Column::Country,
    ),
    (
        &[
            "email",
            "emailaddress",
            "mail",
            "youremail",
            "youremailaddress",
            "emailadresse",
            "courriel",
            "adressecourriel",
            "adresseemail",
            "adresseélectronique",
            "epost",
            "epostadress",
            "epostadresse",
            "emailadres",
            "электроннаяпочта",
            "почта",
            "адресэлектроннойпочты",
        ],
        Column::Email,
    ),
    (
        &[
            "phone",
            "phonenumber",
            "telephone",
            "telephonenumber",
            "tel",
            "mobile",
            "mobilephone",
            "mobilenumber",
            "cellphone",
            "telefon",
            "telefonnummer",
            "handy",
            "téléphone",
            "portable",
            "mobil",
            "mobilnummer",
            "telefoon",
            "telefoonnummer",
            "телефон",
            "номертелефона",
        ],
        Column::Phone,
    ),
    (
        &[
            "personal",
            "personalparagraph",
            "personalmessage",
            "yourmessage",
            "message",
            "yourownwords",
            "nachricht",
            "persönlichenachricht",
            "ihrenachricht",
            "votremessage",
            "messagepersonnel",
            "meddelande",
            "dittmeddelande",
            "bericht",
            "persoonlijkbericht",
            "melding",
            "dinmelding",
            "сообщение",
            "личноесообщение",
        ],
        Column::Personal,
    ),
];

/// Columns the tools add to every export that no letter could want: when a
/// form was filled in, list-keeping data. They are not worth a warning.
const EXPORT_METADATA: &[&str] = &[
    // Google Forms, in each language it exports in.
    "timestamp",
    "zeitstempel",
    "horodateur",
    "horodatage",
    "tidstämpel",
    "tijdstempel",
    "tidsstempel",
    "отметкавремени",
    // Microsoft Forms.
    "id",
    "starttime",
    "completiontime",
    "lastmodifiedtime",
    // Mailchimp.
    "memberrating",
    "optintime",
    "optinip",
    "confirmtime",
    "confirmip",
    "latitude",
    "longitude",
    "gmtoff",
    "dstoff",
    "timezone",
    "cc",
    "region",
    "lastchanged",
    "leid",
    "euid",
    "notes",
    "tags",
    // Action Network.
    "uuid",
    "createddate",
    "modifieddate",
    "cansubscribe",
    "language",
];

/// The header as matched: lower case, letters and digits only.
fn squash(header: &str) -> String {
    header
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The `{{extra.KEY}}` a column reaches templates as: lower case, with `_`
/// between words.
fn extra_key(header: &str) -> String {
    let key: String = header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    key.trim_matches('_').to_string()
}

/// How a form's question addresses whoever answers ("Your full name", "Ihr
/// Name", "Votre prénom"): the field it asks for follows.
const POSSESSIVES: &[&str] = &[
    "your", "ihr", "ihre", "dein", "deine", "votre", "ton", "ta", "din", "ditt", "uw", "jouw",
    "ваше", "ваш", "ваша",
];

pub fn column_for(header: &str) -> Column {
    // Action Network's own fields: can2_phone, can2_user_city.
    let full = squash(header);
    let squashed = match full.strip_prefix("can2") {
        Some(field) => field.strip_prefix("user").unwrap_or(field),
        None => &full,
    };
    let listed = |squashed: &str| {
        NAMES
            .iter()
            .find(|(names, _)| names.contains(&squashed))
            .map(|(_, column)| column.clone())
    };
    if let Some(column) = listed(squashed) {
        return column;
    }
    // A question: "Your full name" asks for the full name.
    if let Some(column) = POSSESSIVES
        .iter()
        .filter_map(|word| squashed.strip_prefix(word))
        .find_map(listed)
    {
        return column;
    }
    // address, address1, "Address line 2", Adresse 2 …
    let numbered = squashed.trim_end_matches(|c: char| c.is_ascii_digit());
    let line = numbered.strip_suffix("line").unwrap_or(numbered);
    if [
        "address",
        "adresse",
        "adress",
        "adres",
        "addressline",
        "адрес",
    ]
    .contains(&line)
    {
        return Column::Address;
    }
    Column::Extra(extra_key(header))
}

/// True for a column an export tool adds that no letter reads (a
/// timestamp, a list's rating): not worth a warning when left unused.
pub fn is_export_metadata(header: &str) -> bool {
    EXPORT_METADATA.contains(&squash(header).as_str())
}

/// What Microsoft Forms writes in its `Name` and `Email` columns for an
/// answer it recorded no one for.
pub fn is_anonymous(value: &str) -> bool {
    value.eq_ignore_ascii_case("anonymous")
}

/// The sender's name from a row's name, or its first and last names.
pub fn full_name(name: &str, first: &str, last: &str) -> String {
    if !name.is_empty() {
        return name.to_string();
    }
    [first, last]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A senders file's header row: each column's name as written, and what it names.
#[derive(Debug, Clone)]
pub struct Header {
    pub names: Vec<String>,
    pub columns: Vec<Column>,
    /// Whether the export is Microsoft Forms' by its time columns: then its
    /// bare `Name` is surely what Forms recorded, and gives way to the form's
    /// question whatever it holds. Without them, a bare `Name` beside a
    /// question gives way only where it is "anonymous" or empty: a name in
    /// both may be a branch's beside a member's, and is not guessed.
    pub forms: bool,
}

impl Header {
    pub fn new(names: Vec<String>) -> Header {
        let mut columns: Vec<Column> = names.iter().map(|name| column_for(name)).collect();
        // A Microsoft Forms export: its first `Name` and `Email` are what
        // Forms recorded, beside which the form may ask "Your name".
        let squashed: Vec<String> = names.iter().map(|name| squash(name)).collect();
        let has = |header: &str| squashed.iter().any(|s| s == header);
        let forms = has("starttime") && has("completiontime");
        // Beside a question for the name (or the email), a bare `Name`
        // (`Email`) is what Forms recorded, whatever the question's words
        // and whether or not the export kept its time columns: the question
        // wins, and the bare column serves only where it is left empty.
        let asks = |i: usize, field: &[Column]| {
            columns
                .iter()
                .enumerate()
                .any(|(j, column)| j != i && field.contains(column))
        };
        let bare = |header: &str| squashed.iter().position(|s| s == header);
        let name = bare("name")
            .filter(|&i| forms || asks(i, &[Column::Name, Column::FirstName, Column::LastName]));
        // Beside a recorded name, the bare `Email` is Forms' too.
        let email = bare("email").filter(|&i| forms || name.is_some() || asks(i, &[Column::Email]));
        if let Some(i) = name {
            columns[i] = Column::RecordedName;
        }
        if let Some(i) = email {
            columns[i] = Column::RecordedEmail;
        }
        Header {
            names,
            columns,
            forms,
        }
    }

    /// The columns that reach templates only as `{{extra.KEY}}`: (header, key).
    pub fn extra_columns(&self) -> impl Iterator<Item = (&str, &str)> {
        self.names
            .iter()
            .zip(&self.columns)
            .filter_map(|(header, column)| match column {
                Column::Extra(key) => Some((header.as_str(), key.as_str())),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_matches_whatever_its_case_spaces_and_punctuation() {
        for (names, column) in NAMES {
            for name in *names {
                assert_eq!(&column_for(name), column, "{name}");
                assert_eq!(&column_for(&name.to_uppercase()), column, "{name}");
                // A space, a dash or a trailing colon between letters changes nothing.
                let mut spaced: String = name.chars().flat_map(|c| [c, ' ']).collect();
                spaced.push(':');
                assert_eq!(&column_for(&spaced), column, "{spaced}");
            }
        }
    }

    #[test]
    fn a_name_belongs_to_one_field_only() {
        let mut seen = std::collections::HashMap::new();
        for (names, column) in NAMES {
            for name in *names {
                if let Some(other) = seen.insert(*name, column) {
                    assert_eq!(other, column, "`{name}` is listed for two fields");
                }
            }
        }
        for name in EXPORT_METADATA {
            assert!(
                matches!(column_for(name), Column::Extra(_)),
                "`{name}` is metadata and a field"
            );
        }
    }

    #[test]
    fn the_headers_of_the_common_exports_map_to_the_senders_fields() {
        let cases: &[(&str, Column)] = &[
            ("Email Address", Column::Email),
            ("E-mail", Column::Email),
            ("E-Mail-Adresse", Column::Email),
            ("First Name", Column::FirstName),
            ("Given name", Column::FirstName),
            ("Family name", Column::LastName),
            ("Surname", Column::LastName),
            ("first_name", Column::FirstName),
            ("FNAME", Column::FirstName),
            ("Organisation name", Column::Org),
            ("Organization", Column::Org),
            ("Phone Number", Column::Phone),
            ("Post code", Column::Postcode),
            ("ZIP", Column::Postcode),
            ("zip_code", Column::Postcode),
            ("Code postal", Column::Postcode),
            ("PLZ", Column::Postcode),
            ("City", Column::Town),
            ("Town / City", Column::Town),
            ("Ort", Column::Town),
            ("Город", Column::Town),
            ("Personal message", Column::Personal),
            ("Your message", Column::Personal),
            ("Address line 1", Column::Address),
            ("address2", Column::Address),
            ("Prénom", Column::FirstName),
            ("Förnamn", Column::FirstName),
            ("Фамилия", Column::LastName),
            ("can2_phone", Column::Phone),
            ("can2_user_city", Column::Town),
            ("can2_user_address", Column::Address),
        ];
        for (header, column) in cases {
            assert_eq!(&column_for(header), column, "{header}");
        }
        assert_eq!(
            column_for("Shoe size (EU)"),
            Column::Extra("shoe_size__eu".into())
        );
        assert!(is_export_metadata("Timestamp") && is_export_metadata("MEMBER_RATING"));
        assert!(!is_export_metadata("Shoe size"));
    }

    #[test]
    fn a_question_asks_for_the_field_it_names() {
        for (names, column) in NAMES {
            for name in *names {
                for word in POSSESSIVES {
                    let question = format!("{word} {name}");
                    assert_eq!(&column_for(&question), column, "{question}");
                }
            }
        }
        // Only a whole field after the possessive: "Your shoe size" is no field.
        assert!(matches!(column_for("Your shoe size"), Column::Extra(_)));
        assert!(matches!(column_for("Tonnage"), Column::Extra(_)));
    }

    #[test]
    fn first_and_last_names_are_joined_when_there_is_no_name() {
        assert_eq!(full_name("", "Ann", "Lee"), "Ann Lee");
        assert_eq!(full_name("", "", "Lee"), "Lee");
        assert_eq!(full_name("Ann Lee", "A", "L"), "Ann Lee");
        assert_eq!(full_name("", "", ""), "");
    }
}
