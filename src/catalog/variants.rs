//! Language variants: `<id>.<lang>.hbs` beside `<id>.hbs` is the same letter
//! in another language. It takes its people, asks, tags and deadline from the
//! letter itself, so the two can never name different people; its front
//! matter holds only what the language changes.

use serde::Deserialize;

use super::letters::{split_at_fence, strip_fence, LetterTemplate};
use crate::error::Result;
use crate::origin::{key_line, Origin};

/// The id and language of a variant's file name: `("mamai", "ru")` for
/// `mamai.ru.hbs`; `None` for a letter's own file.
pub fn split_file_name(file_name: &str) -> Option<(&str, &str)> {
    let stem = file_name.strip_suffix(".hbs")?;
    let (id, lang) = stem.rsplit_once('.')?;
    let is_language = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    (is_language && !id.is_empty()).then_some((id, lang))
}

/// The primary language subtag: `ru` for `ru-KZ`, lower-cased. Borrowed
/// unless it has a capital: composing asks it of lines of every letter.
pub fn primary_language(tag: &str) -> std::borrow::Cow<'_, str> {
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    match primary.bytes().any(|b| b.is_ascii_uppercase()) {
        true => std::borrow::Cow::Owned(primary.to_ascii_lowercase()),
        false => std::borrow::Cow::Borrowed(primary),
    }
}

/// True for a language not written in Latin letters, whose letters need
/// people's names in its own script.
pub fn has_own_script(language: &str) -> bool {
    const NOT_LATIN: &[&str] = &[
        "ru", "kk", "uk", "be", "bg", "sr", "mk", "ky", "tg", "mn", "el", "ar", "fa", "he", "zh",
        "ja", "ko", "hi",
    ];
    NOT_LATIN.contains(&&*primary_language(language))
}

const KEYS: &str = "language, title, subject, demands, and if needed review, source, salutation, \
     closing, titles and [[quote]]";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantFront {
    #[serde(default)]
    id: Option<String>,
    language: String,
    title: String,
    subject: String,
    #[serde(default)]
    demands: Option<Vec<String>>,
    #[serde(default)]
    review: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    salutation: Option<String>,
    #[serde(default)]
    closing: Option<String>,
    /// Names this language's text puts in quotation marks, beside the letter's own.
    #[serde(default)]
    titles: Vec<String>,
    /// Quotations this language's text makes, in their sources' words.
    #[serde(default, rename = "quote")]
    quotes: Vec<super::facts::Quotation>,
}

/// Parses the variant `text` of `main` in the language `lang` (from its file name).
pub fn parse(
    text: &str,
    lang: &str,
    main: &LetterTemplate,
    origin: Origin,
) -> Result<LetterTemplate> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let id = &main.front.id;
    let rest = strip_fence(text).ok_or_else(|| {
        origin
            .error_at(Some(1), "no front matter")
            .with_help(format!(
                "a language variant starts with a line `+++`, the keys {KEYS}, another `+++`, \
             then the body"
            ))
    })?;
    let (front_text, body) = split_at_fence(rest).ok_or_else(|| {
        origin
            .error_at(Some(1), "the front matter is not closed")
            .with_help("end the front matter with a line holding only `+++`")
    })?;
    let line = |key: &str| key_line(front_text, key).map(|line| line + 1);
    let variant: VariantFront = toml::from_str(front_text).map_err(|err| {
        let error = origin.toml_error(front_text, &err, 1);
        if err.message().starts_with("unknown field") {
            error.with_help(format!(
                "a language variant takes the people, asks, tags and deadline from `{id}.hbs`; \
                 its own front matter holds only {KEYS}"
            ))
        } else {
            error
        }
    })?;
    if let Some(other) = variant.id.as_deref().filter(|other| other != id) {
        return Err(origin
            .error_at(
                line("id"),
                format!(
                    "id {} differs from the letter `{id}` this file is a variant of",
                    crate::text::quote(other)
                ),
            )
            .with_help(format!("set id = \"{id}\", or leave id out")));
    }
    if primary_language(&variant.language) != lang {
        return Err(origin
            .error_at(
                line("language"),
                format!(
                    "language `{}` differs from the file name's `{lang}`",
                    variant.language
                ),
            )
            .with_help(format!(
                "set language = \"{lang}\" (or a regional tag such as \"{lang}-KZ\"), \
                 or rename the file"
            )));
    }
    let mut front = main.front.clone();
    match variant.demands {
        Some(demands) if demands.len() == front.demands.len() => front.demands = demands,
        None if front.demands.is_empty() => {}
        demands => {
            let written = demands.map_or(0, |d| d.len());
            return Err(origin
                .error_at(
                    line("demands").or(line("subject")),
                    format!(
                        "demands: {written} here, but `{id}.hbs` makes {}",
                        front.demands.len()
                    ),
                )
                .with_help(
                    "a variant makes the same demands as the letter, each in its own language, \
                     in the same order",
                ));
        }
    }
    front.language = variant.language;
    front.title = variant.title;
    front.subject = variant.subject;
    front.source = variant.source.unwrap_or(front.source);
    front.salutation = variant.salutation.or(front.salutation);
    front.closing = variant.closing.or(front.closing);
    front.titles.extend(variant.titles);
    front.quotes.extend(variant.quotes);
    Ok(LetterTemplate {
        front,
        body: body.to_string(),
        body_offset: front_text.lines().count() + 2,
        origin,
        front_text: front_text.to_string(),
        variant: Some(lang.to_string()),
        review: variant.review,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = "+++\nid = \"t\"\ntitle = \"T\"\nlanguage = \"en-GB\"\nsubject = \"S\"\n\
        prisoners = [\"p\"]\ndemands = [\"Free them\"]\nsource = \"x\"\n+++\nHello\n";
    const RU: &str = "+++\nlanguage = \"ru\"\ntitle = \"Т\"\nsubject = \"Т\"\n\
        demands = [\"Освободить их\"]\n+++\nЗдравствуйте\n";

    fn main_letter() -> LetterTemplate {
        LetterTemplate::parse(MAIN, "t", Origin::builtin("t.hbs")).unwrap()
    }

    #[test]
    fn tells_variants_from_letters_by_file_name() {
        assert_eq!(split_file_name("mamai.ru.hbs"), Some(("mamai", "ru")));
        assert_eq!(split_file_name("mamai.kk.hbs"), Some(("mamai", "kk")));
        assert_eq!(split_file_name("mamai.hbs"), None);
        assert_eq!(split_file_name("land-2016.hbs"), None);
        assert_eq!(split_file_name("a.RU.hbs"), None);
        assert_eq!(split_file_name(".ru.hbs"), None);
    }

    #[test]
    fn takes_people_from_the_letter_and_words_from_the_variant() {
        let v = parse(RU, "ru", &main_letter(), Origin::builtin("t.ru.hbs")).unwrap();
        assert_eq!(v.front.id, "t");
        assert_eq!(v.front.prisoners, ["p"]);
        assert_eq!(v.front.demands, ["Освободить их"]);
        assert_eq!(v.front.source, "x");
        assert_eq!(v.engine_id(), "t.ru");
        assert_eq!(v.body, "Здравствуйте\n");
        assert_eq!(v.body_offset, 6);
    }

    #[test]
    fn refuses_people_of_its_own() {
        let text = RU.replace("title", "prisoners = [\"q\"]\ntitle");
        let err = parse(&text, "ru", &main_letter(), Origin::builtin("t.ru.hbs")).unwrap_err();
        assert!(
            err.message
                .starts_with("t.ru.hbs (built in):3: unknown field `prisoners`"),
            "{}",
            err.message
        );
        assert!(err.help.unwrap().contains("takes the people"));
    }

    #[test]
    fn refuses_a_language_other_than_the_file_names() {
        let text = RU.replace("\"ru\"", "\"kk\"");
        let err = parse(&text, "ru", &main_letter(), Origin::builtin("t.ru.hbs")).unwrap_err();
        assert!(
            err.message.starts_with(
                "t.ru.hbs (built in):2: language `kk` differs from the file name's `ru`"
            ),
            "{}",
            err.message
        );
    }

    #[test]
    fn refuses_missing_or_extra_demands() {
        for text in [
            RU.replace("demands = [\"Освободить их\"]\n", ""),
            RU.replace("\"Освободить их\"", "\"Освободить их\", \"И ещё\""),
        ] {
            let err = parse(&text, "ru", &main_letter(), Origin::builtin("t.ru.hbs")).unwrap_err();
            assert!(
                err.message.contains("but `t.hbs` makes 1"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn a_letter_that_replaces_another_drops_its_translations() {
        let mut catalog = super::super::Catalog::builtin().unwrap();
        let add = |catalog: &mut super::super::Catalog, text: &str, name: &str| {
            catalog.add_template(text, name, Origin::builtin(name))
        };
        add(&mut catalog, MAIN, "t.hbs").unwrap();
        add(&mut catalog, RU, "t.ru.hbs").unwrap();
        assert_eq!(
            catalog.template_in("t", Some("ru")).unwrap().front.title,
            "Т"
        );
        add(&mut catalog, &MAIN.replace("Hello", "Hello again"), "t.hbs").unwrap();
        let err = catalog.template_in("t", Some("ru")).unwrap_err();
        assert_eq!(err.message, "the letter `t` is not written in `ru`");
        assert_eq!(
            err.help.as_deref(),
            Some("it is written in `en`; pass one of them to --lang")
        );
    }
}
