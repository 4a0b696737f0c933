//! The first page's right-hand side: the sender (information) block beside
//! the window, and the place and date under both.

use super::geometry::{Geometry, BODY, BODY_LEADING, DESCENT, INFO, INFO_LEADING, INFO_NAME};
use super::page::{Page, Text};
use super::wrap::wrap;
use crate::compose::Letter;
use crate::error::{Error, Result};
use crate::render::pdf::font::Style;

/// The sender (information) block: name (a size larger, not bold: the bold
/// face then holds only the subject, the same for every letter of a batch, so
/// its font subset is made once), then the lines, email and phone. Returns
/// where it ends. It may reach down to the second fold, leaving the first
/// page a third for the letter; a block longer than that is an error that
/// names the field, not text drawn past the foot of the page.
pub(super) fn sender_block(l: &Letter, g: &Geometry, page: &mut Page) -> Result<f32> {
    let width = g.right - g.info_x;
    let lowest = g.folds[1];
    let mut y = g.info_top + INFO_NAME * 0.95;
    let mut bottom = g.info_top;
    let fields = std::iter::once(("sender name".to_string(), &l.sender.name, INFO_NAME))
        .chain(
            l.sender
                .lines
                .iter()
                .enumerate()
                .map(|(i, line)| (format!("sender line {}", i + 1), line, INFO)),
        )
        .chain(
            l.sender
                .email
                .iter()
                .map(|e| ("sender email".to_string(), e, INFO)),
        )
        .chain(
            l.sender
                .phone
                .iter()
                .map(|p| ("sender phone".to_string(), p, INFO)),
        );
    let mut count = 0;
    for (field, value, size) in fields {
        for text in wrap(value, Style::Regular, size, width) {
            count += 1;
            if y + size * DESCENT > lowest {
                return Err(too_long_sender(&field, value, count - 1));
            }
            page.texts.push(Text {
                x: g.info_x,
                y,
                style: Style::Regular,
                size,
                grey: 0.0,
                text,
            });
            bottom = y + size * DESCENT;
            y += INFO_LEADING;
        }
    }
    Ok(bottom)
}

fn too_long_sender(field: &str, value: &str, room: usize) -> Error {
    let start: String = value.chars().take(30).collect();
    let more = if value.chars().count() > 30 {
        "…"
    } else {
        ""
    };
    Error::data(format!(
        "the sender block is longer than the {room} lines that fit beside the letter: \
         it overflows at the {field} (\"{}{more}\")",
        start.escape_debug()
    ))
    .with_help(
        "shorten the sender's name, role, organisation or address lines (long ones wrap); \
         a text letter (-f text) has no such limit",
    )
}

/// Place and date, right-aligned under the window and the sender block.
/// Returns the baseline of its (last) line.
pub(super) fn date_line(
    l: &Letter,
    g: &Geometry,
    info_bottom: f32,
    page: &mut Page,
) -> Result<f32> {
    let date = match &l.place {
        Some(p) if !p.trim().is_empty() => format!("{}, {}", p.trim(), l.date_text.trim()),
        _ => l.date_text.trim().to_string(),
    };
    let mut y = (g.window.y + g.window.h).max(info_bottom + BODY_LEADING);
    let lines = wrap(&date, Style::Regular, BODY, g.right - g.left);
    let n = lines.len();
    let last = y + BODY_LEADING * n.saturating_sub(1) as f32;
    if last + BODY * DESCENT > g.body_bottom {
        return Err(Error::data(format!(
            "the place and date take {n} lines, which run off the first page"
        ))
        .with_help("shorten the sender's town (--town, or `town` in the sender file)"));
    }
    for (i, line) in lines.into_iter().enumerate() {
        let w = Style::Regular.face().width(&line, BODY);
        page.texts.push(Text {
            x: g.right - w,
            y,
            style: Style::Regular,
            size: BODY,
            grey: 0.0,
            text: line,
        });
        if i + 1 < n {
            y += BODY_LEADING;
        }
    }
    Ok(y)
}
