//! Words a renderer writes itself rather than taking from the letter, in the
//! letter's language. Both the text and the PDF letter print them, so they
//! live below both.

/// The label before the copies ("cc:"), as a letter in `language` writes it.
pub fn cc_label(language: &str) -> &'static str {
    match &*crate::catalog::primary_language(language) {
        "ru" => "Копия:",
        _ => "cc:",
    }
}
