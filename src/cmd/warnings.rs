//! What the user should know of a letter's language before sending it, as
//! `write`, `check` and the guided mode say it.

use crate::catalog::{Catalog, LetterTemplate};

/// What the user should know before sending a letter in its language: a text
/// marked for review, and names the data has no spelling of in its script.
pub fn language_warnings(catalog: &Catalog, template: &LetterTemplate) -> Vec<String> {
    let language = crate::catalog::language_name(&template.front.language);
    let mut warnings = Vec::new();
    if let Some(review) = &template.review {
        warnings.push(format!(
            "the {language} text of `{}` is marked for review ({review}); \
             have it read before you send it",
            template.front.id
        ));
    }
    for name in catalog.names_missing(template) {
        warnings.push(format!(
            "no {language} spelling of {name}'s name in the data; using the Latin one"
        ));
    }
    for name in catalog.descriptions_missing(template) {
        warnings.push(format!(
            "no {language} description of {name} in the data; using the English one"
        ));
    }
    warnings
}
