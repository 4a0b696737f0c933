//! The English names of languages, for messages: data/languages.toml, shared
//! by every campaign as the countries are.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::variants::primary_language;

const BUILTIN: &str = include_str!("../../data/languages.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    language: BTreeMap<String, String>,
}

/// The English name of the language of `tag` ("Russian" for `ru-KZ`), or
/// the tag in backquotes for a language the list does not have.
pub fn language_name(tag: &str) -> String {
    static NAMES: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        toml::from_str::<File>(BUILTIN)
            .expect("data/languages.toml is the program's own, and tested")
            .language
    });
    match names.get(&*primary_language(tag)) {
        Some(name) => name.clone(),
        None => format!("`{tag}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_language_by_its_primary_tag_or_else_its_tag() {
        assert_eq!(language_name("ru-KZ"), "Russian");
        assert_eq!(language_name("en-GB"), "English");
        assert_eq!(language_name("kk"), "Kazakh");
        assert_eq!(language_name("xx-YY"), "`xx-YY`");
    }
}
