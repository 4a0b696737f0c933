//! ISO 3166-1 country codes, their English names, and the names people type.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::Result;
use crate::origin::Origin;

const BUILTIN: &str = include_str!("../../data/countries.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub ru: Option<RussianName>,
}

/// A country's name as a Russian letter writes it: the short name, the
/// short name with its preposition in the prepositional (a mission's name,
/// "Посольство ... в Великобритании"), and the official long name likewise
/// (an ambassador's title, "в Соединённом Королевстве Великобритании и
/// Северной Ирландии").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RussianName {
    pub name: String,
    #[serde(rename = "in")]
    pub in_short: String,
    pub official_in: String,
}

/// Looks countries up by code ("GB"), name ("United Kingdom") or alias ("UK").
#[derive(Debug, Clone)]
pub struct Countries {
    by_code: HashMap<String, Country>,
    by_name: HashMap<String, String>,
}

#[derive(Deserialize)]
struct File {
    country: Vec<Country>,
}

impl Countries {
    pub fn builtin() -> Result<Countries> {
        let origin = Origin::builtin("data/countries.toml");
        let file: File =
            toml::from_str(BUILTIN).map_err(|err| origin.toml_error(BUILTIN, &err, 0))?;
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for country in file.country {
            for name in std::iter::once(&country.name).chain(&country.aliases) {
                by_name.insert(fold(name), country.code.clone());
            }
            by_name.insert(fold(&country.code), country.code.clone());
            by_code.insert(country.code.clone(), country);
        }
        Ok(Countries { by_code, by_name })
    }

    /// The ISO code for what the user typed: a code in any case, a name or an alias.
    pub fn resolve(&self, input: &str) -> Option<&str> {
        self.by_name.get(&fold(input)).map(String::as_str)
    }

    /// The English name for an ISO code, if it is one.
    pub fn name(&self, code: &str) -> Option<&str> {
        self.by_code.get(code).map(|c| c.name.as_str())
    }

    /// The English name for a code, or the code itself when it is none,
    /// for showing a country that must not vanish from a line.
    pub fn name_or_code<'a>(&'a self, code: &'a str) -> &'a str {
        self.name(code).unwrap_or(code)
    }

    /// The countries of `codes`, by name, as a list for one line.
    pub fn names(&self, codes: &[String]) -> String {
        let names: Vec<&str> = codes.iter().map(|c| self.name_or_code(c)).collect();
        names.join(", ")
    }

    /// The Russian forms of a country's name, where the data has them.
    pub fn russian(&self, code: &str) -> Option<&RussianName> {
        self.by_code.get(code).and_then(|c| c.ru.as_ref())
    }

    pub fn is_code(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    /// Known names closest to `input`, for "did you mean" hints.
    pub fn suggest(&self, input: &str) -> Vec<String> {
        let names = self.by_code.values().map(|c| c.name.as_str());
        super::suggest::suggest(input, names)
    }
}

fn fold(s: &str) -> String {
    s.trim()
        .trim_end_matches('.')
        .to_lowercase()
        .replace('.', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_codes_names_and_aliases() {
        let countries = Countries::builtin().unwrap();
        for input in ["GB", "gb", "United Kingdom", "UK", "united kingdom"] {
            assert_eq!(countries.resolve(input), Some("GB"), "{input}");
        }
        assert_eq!(countries.resolve("U.S.A."), Some("US"));
        assert_eq!(countries.name("KZ"), Some("Kazakhstan"));
        assert_eq!(countries.resolve("Narnia"), None);
    }
}
