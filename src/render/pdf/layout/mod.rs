//! Where everything goes on the sheet: the page geometry for each paper, line
//! breaking with the font's own advance widths, and pagination.
//!
//! Positions are in PDF points (1/72 in), measured from the TOP-left corner of
//! the sheet; the PDF writer flips them. Layout knows nothing of PDF objects, so
//! it can be tested on its own.
//!
//! The first page's blocks go where the paper's [`geometry`] puts them: the
//! envelope [`window`], then the [`sender`] block with the date under it.
//! The rest is a [`flow`] of lines that [`paginate`] breaks into pages,
//! each of which then gets its [`marks`]. Text is measured and broken into
//! lines by [`wrap`]; [`page`] is what comes out.

mod flow;
mod geometry;
mod marks;
mod page;
mod paginate;
mod sender;
mod window;
mod wrap;

pub use geometry::{inch, mm, Paper, Rect};
pub use marks::page_label;
pub use page::{Page, Rule, Text};

use flow::flow;
use geometry::Geometry;
use marks::decorate;
use paginate::paginate;
use sender::{date_line, sender_block};
use window::address;

use super::font::{check, Style};
use crate::compose::{Block, Letter};
use crate::error::Result;

/// Lays out one letter on `paper`, with optional fold marks.
pub fn layout(l: &Letter, paper: Paper, fold_marks: bool) -> Result<Vec<Page>> {
    let g = paper.geometry();
    let (first, date_baseline) = first_page(l, g)?;
    let flow = flow(l, g);
    let mut pages = paginate(&flow, g, first, date_baseline);
    decorate(&mut pages, g, &l.language, fold_marks);
    Ok(pages)
}

/// What [`layout`] refuses, found without flowing the text into pages: only
/// the parts laid out before the flow can fail (the flow, its keep-with-next
/// rules and the pages cannot), so a batch checks every letter at a fraction
/// of the cost.
pub fn refusal(l: &Letter, paper: Paper) -> Result<()> {
    first_page(l, paper.geometry()).map(drop)
}

/// The first page's fixed parts (the address in the window, the sender
/// block, the date line), and the date line's baseline, under which the
/// letter flows.
fn first_page(l: &Letter, g: &Geometry) -> Result<(Page, f32)> {
    check_letter(l)?;
    let mut first = Page {
        width: g.width,
        height: g.height,
        ..Page::default()
    };
    address(l, g, &mut first)?;
    let info_bottom = sender_block(l, g, &mut first)?;
    let date_baseline = date_line(l, g, info_bottom, &mut first)?;
    Ok((first, date_baseline))
}

/// Checks every text of the letter against the faces it is drawn in, so a
/// missing glyph is reported with where it came from.
pub fn check_letter(l: &Letter) -> Result<()> {
    use Style::{Bold, Regular};
    check(&l.sender.name, Regular, "sender name")?;
    for (i, line) in l.sender.lines.iter().enumerate() {
        check(line, Regular, &format!("sender line {}", i + 1))?;
    }
    if let Some(e) = &l.sender.email {
        check(e, Regular, "sender email")?;
    }
    if let Some(p) = &l.sender.phone {
        check(p, Regular, "sender phone")?;
    }
    check(&l.sender.return_line, Regular, "return address")?;
    if let Some(p) = &l.place {
        check(p, Regular, "place")?;
    }
    check(&l.date_text, Regular, "date")?;
    for (i, line) in l.recipient.lines.iter().enumerate() {
        check(line, Regular, &format!("recipient line {}", i + 1))?;
    }
    check(&l.subject, Bold, "subject")?;
    check(&l.salutation, Regular, "salutation")?;
    let mut para = 0;
    let mut list = 0;
    for block in &l.body {
        match block {
            Block::Paragraph(p) => {
                para += 1;
                check(p, Regular, &format!("paragraph {para}"))?;
            }
            Block::List(items) => {
                list += 1;
                for (i, item) in items.iter().enumerate() {
                    check(item, Regular, &format!("list {list} item {}", i + 1))?;
                }
            }
        }
    }
    check(&l.closing, Regular, "closing")?;
    for (i, line) in l.signature.iter().enumerate() {
        check(line, Regular, &format!("signature line {}", i + 1))?;
    }
    for (i, line) in l.cc.iter().enumerate() {
        check(line, Regular, &format!("cc line {}", i + 1))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::geometry::DESCENT;
    use super::*;

    fn bare(country: &str, recipient: &[&str]) -> Letter {
        use crate::compose::{RecipientBlock, SenderBlock};
        let date = crate::date::Date::parse("2024-01-31").unwrap();
        Letter {
            template_id: "t".into(),
            language: "en-GB".into(),
            sender: SenderBlock {
                name: "A".into(),
                lines: vec![],
                email: None,
                phone: None,
                return_line: String::new(),
            },
            date,
            date_text: date.format("en-GB"),
            place: None,
            recipient: RecipientBlock {
                mission_id: "m".into(),
                country: country.into(),
                lines: recipient.iter().map(|s| s.to_string()).collect(),
                email: None,
                email_name: None,
                address_missing: false,
            },
            subject: String::new(),
            salutation: String::new(),
            body: vec![],
            closing: String::new(),
            signature: vec![],
            cc: vec![],
        }
    }

    #[test]
    fn a_bare_letter_still_lays_out() {
        let pages = layout(&bare("GB", &[]), Paper::A4, false).unwrap();
        assert_eq!(pages.len(), 1);
        assert!(pages[0].texts.iter().any(|t| t.text == "31 January 2024"));
    }

    #[test]
    fn a_long_address_shrinks_to_stay_in_the_window() {
        let lines = [
            "His Excellency the Ambassador Extraordinary and Plenipotentiary",
            "of the Republic of Kazakhstan",
            "Embassy of the Republic of Kazakhstan",
            "Consular Section",
            "Attention: Office of the Ambassador",
            "Building 7, Entrance B",
            "1401 16th Street NW",
            "Washington, DC 20036",
        ];
        for (paper, n) in [(Paper::A4, 8), (Paper::Letter, 5), (Paper::Letter, 7)] {
            let lines = &lines[lines.len() - n..];
            let g = paper.geometry();
            let mut l = bare("US", lines);
            l.sender.return_line = "A. Activist, 1 High St, Leeds".into();
            let pages = layout(&l, paper, false).unwrap();
            let face = Style::Regular.face();
            let mut found = 0;
            for t in &pages[0].texts {
                if t.x == g.window_text_x {
                    found += 1;
                    assert!(
                        t.x >= g.window.x
                            && t.x + face.width(&t.text, t.size) <= g.window.x + g.window.w
                    );
                    assert!(t.y - t.size * 0.9 >= g.window.y, "{paper:?} {t:?}");
                    assert!(
                        t.y + t.size * DESCENT <= g.window.y + g.window.h,
                        "{paper:?} {t:?}"
                    );
                }
            }
            // The return line gives way to a sixth line in the No. 10 window.
            let with_return = pages[0]
                .texts
                .iter()
                .any(|t| t.text.starts_with("A. Activist"));
            assert_eq!(with_return, paper == Paper::A4 || n <= 5, "{paper:?} {n}");
            assert!(found >= n, "{paper:?}: {found}");
        }
        let err = layout(&bare("US", &lines), Paper::Letter, false).unwrap_err();
        assert!(err.message.contains("window"), "{}", err.message);
        {}
    }

    #[test]
    fn a_sender_block_too_long_for_the_page_names_the_field() {
        for paper in [Paper::A4, Paper::Letter] {
            let mut l = bare("GB", &["Embassy", "London"]);
            l.sender.lines = (1..=20).map(|i| format!("Line {i}")).collect();
            l.sender.email = Some("a@example.org".into());
            let pages = layout(&l, paper, false).unwrap();
            let lowest = pages[0].texts.iter().map(|t| t.y).fold(0.0, f32::max);
            assert!(lowest < paper.geometry().body_bottom);
            l.sender.lines = (1..=80).map(|i| format!("Line {i}")).collect();
            let err = layout(&l, paper, false).unwrap_err();
            assert!(
                err.message.contains("it overflows at the sender line "),
                "{}",
                err.message
            );
            l.sender.lines = vec!["a".into(), "word ".repeat(2_000)];
            let err = layout(&l, paper, false).unwrap_err();
            assert!(
                err.message.ends_with(
                    "it overflows at the sender line 2 (\"word word word word word word …\")"
                ),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn a_place_too_long_for_the_page_is_an_error() {
        let mut l = bare("GB", &["Embassy", "London"]);
        l.place = Some("Town ".repeat(40));
        assert!(layout(&l, Paper::A4, false).is_ok());
        l.place = Some("Town ".repeat(5_000));
        let err = layout(&l, Paper::A4, false).unwrap_err();
        assert!(
            err.message.starts_with("the place and date take "),
            "{}",
            err.message
        );
    }
}
