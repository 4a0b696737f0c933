//! What every page gets once the pages are known: the page number (when
//! there is more than one) and the fold and hole marks.

use super::geometry::{mm, Geometry, FOOTER, GREY};
use super::page::{Page, Rule, Text};
use crate::render::pdf::font::Style;

/// Page-number label in the letter's language.
pub fn page_label(language: &str, n: usize, of: usize) -> String {
    let lang = language.to_ascii_lowercase();
    match lang.split(['-', '_']).next().unwrap_or("") {
        "de" => format!("Seite {n} von {of}"),
        "fr" => format!("Page {n} sur {of}"),
        "sv" => format!("Sida {n} av {of}"),
        "ru" => format!("Страница {n} из {of}"),
        "kk" => format!("{n}-бет, барлығы {of}"),
        _ => format!("Page {n} of {of}"),
    }
}

/// Page numbers (when there is more than one page), fold and hole marks.
pub(super) fn decorate(pages: &mut [Page], g: &Geometry, language: &str, fold_marks: bool) {
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        if total > 1 {
            let label = page_label(language, i + 1, total);
            let w = Style::Regular.face().width(&label, FOOTER);
            page.texts.push(Text {
                x: g.right - w,
                y: g.footer_baseline,
                style: Style::Regular,
                size: FOOTER,
                grey: GREY,
                text: label,
            });
        }
        if fold_marks {
            let marks = g
                .folds
                .iter()
                .map(|&y| (y, mm(9.0)))
                .chain(g.hole.map(|y| (y, mm(11.0))));
            for (y, end) in marks {
                page.rules.push(Rule {
                    x1: mm(4.0),
                    y1: y,
                    x2: end,
                    y2: y,
                    width: 0.5,
                    grey: GREY,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_labels_follow_the_language() {
        assert_eq!(page_label("en-GB", 2, 3), "Page 2 of 3");
        assert_eq!(page_label("de", 1, 2), "Seite 1 von 2");
        assert_eq!(page_label("ru-RU", 2, 2), "Страница 2 из 2");
    }
}
