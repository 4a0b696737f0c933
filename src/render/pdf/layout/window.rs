//! The envelope window on the first page: the return line and the
//! recipient's address, at the largest size that fits.

use super::geometry::{Geometry, ADDRESS_SIZES, DESCENT, RETURN};
use super::page::{Page, Rule, Text};
use super::wrap::wrap;
use crate::compose::Letter;
use crate::error::{Error, Result};
use crate::render::pdf::font::{clean, Style};

/// The envelope window: the return address, one small underlined line at the
/// top, and the recipient under it, at the largest size that fits. When even
/// the smallest size does not fit, the return line gives way; an address that
/// still does not fit is an error, as a letter whose address the window cuts
/// off would not arrive.
pub(super) fn address(l: &Letter, g: &Geometry, page: &mut Page) -> Result<()> {
    let face = Style::Regular.face();
    let rec: Vec<String> = l
        .recipient
        .lines
        .iter()
        .map(|s| clean(s).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let (ret, ret_size) = fit_return_line(&l.sender.return_line, g.window_text_w);
    let mut candidates: Vec<(bool, f32, f32)> = Vec::new();
    for with_return in [!ret.is_empty(), false] {
        for &size in &ADDRESS_SIZES {
            candidates.push((with_return, size, size * 1.2));
        }
        candidates.push((with_return, 8.0, 8.8));
        if ret.is_empty() {
            break;
        }
    }
    let last = candidates.len() - 1;
    for (i, &(with_return, size, leading)) in candidates.iter().enumerate() {
        let top = if with_return {
            g.window_text_top + ret_size * 0.95 + 1.2 + 3.0
        } else {
            g.window_text_top
        };
        // Wrapping an address line is the last resort.
        let whole = rec.iter().all(|s| face.width(s, size) <= g.window_text_w);
        if !whole && size > 8.0 {
            continue;
        }
        let lines: Vec<String> = rec
            .iter()
            .flat_map(|s| wrap(s, Style::Regular, size, g.window_text_w))
            .collect();
        let height = leading * (lines.len().max(1) - 1) as f32 + size * (0.95 + DESCENT);
        if top + height > g.window_text_bottom + 0.01 {
            if i == last {
                return Err(Error::data(format!(
                    "the recipient address ({} lines) does not fit in the envelope window",
                    lines.len()
                ))
                .with_help("shorten the mission's address to at most six lines"));
            }
            continue;
        }
        if with_return {
            let y = g.window_text_top + ret_size * 0.95;
            let w = face.width(&ret, ret_size);
            page.texts.push(Text {
                x: g.window_text_x,
                y,
                style: Style::Regular,
                size: ret_size,
                grey: 0.0,
                text: ret.clone(),
            });
            page.rules.push(Rule {
                x1: g.window_text_x,
                y1: y + 1.2,
                x2: g.window_text_x + w,
                y2: y + 1.2,
                width: 0.4,
                grey: 0.0,
            });
        }
        // In the address zone when there is room, else as high as it must go.
        let start = g
            .address_zone_top
            .min(g.window_text_bottom - height)
            .max(top);
        for (i, line) in lines.into_iter().enumerate() {
            page.texts.push(Text {
                x: g.window_text_x,
                y: start + size * 0.95 + leading * i as f32,
                style: Style::Regular,
                size,
                grey: 0.0,
                text: line,
            });
        }
        return Ok(());
    }
    unreachable!("the last candidate returns")
}

/// The smallest size the return line is printed at: still legible to a
/// post office, which is all it is for.
const RETURN_MIN: f32 = 5.0;

/// The return line as it fits `width`: at [`RETURN`] size, or smaller down to
/// [`RETURN_MIN`]; then without the address parts nearest the name, as the
/// town, postcode and country matter most for sending a letter back; then
/// cut short with an ellipsis. The full address is in the sender block.
fn fit_return_line(line: &str, width: f32) -> (String, f32) {
    let face = Style::Regular.face();
    let line = clean(line).trim().to_string();
    if line.is_empty() {
        return (line, 0.0);
    }
    let natural = face.width(&line, RETURN);
    if natural * RETURN_MIN / RETURN <= width {
        return (line, (RETURN * width / natural).min(RETURN));
    }
    let fits = |text: &str| face.width(text, RETURN_MIN) <= width;
    let mut parts: Vec<&str> = line.split(", ").collect();
    while parts.len() > 2 {
        parts.remove(1);
        let shorter = parts.join(", ");
        if fits(&shorter) {
            return (shorter, RETURN_MIN);
        }
    }
    let joined = parts.join(", ");
    let room = width - face.width("…", RETURN_MIN);
    let mut used = 0.0;
    let end = joined
        .char_indices()
        .find(|(_, c)| {
            used += face.width(c.encode_utf8(&mut [0; 4]), RETURN_MIN);
            used > room
        })
        .map_or(joined.len(), |(i, _)| i);
    let shorter = joined[..end].trim_end_matches([' ', ',']);
    (format!("{shorter}…"), RETURN_MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::layout::geometry::A4;

    #[test]
    fn the_return_line_shrinks_then_drops_parts_then_ends_in_an_ellipsis() {
        let face = Style::Regular.face();
        let width = A4.window_text_w;
        let short = "A. Activist, 1 High St, Leeds LS1 1AA";
        assert_eq!(fit_return_line(short, width), (short.to_string(), RETURN));
        let longer =
            "Ann Lee, Flat 3, 12 Example Street, Chapel Allerton, Leeds LS7 3AB, United Kingdom";
        let (line, size) = fit_return_line(longer, width);
        assert_eq!(line, longer);
        assert!((RETURN_MIN..RETURN).contains(&size), "{size}");
        let four = "Johanna Maria Elisabeth Schwarzenberger-Vandenheuvel, Flat 12b, \
                    Northumberland Court Residential Apartments, 1234 Long Industrial Estate \
                    Service Road East, Little Snoring-on-the-Marsh, Much Wenlock, \
                    Great Yarmouth NR30 1AA, United States";
        let (line, size) = fit_return_line(four, width);
        assert_eq!(size, RETURN_MIN);
        assert!(
            line.starts_with("Johanna Maria") && line.ends_with(", United States"),
            "{line}"
        );
        assert!(!line.contains("Flat 12b") && !line.contains('…'), "{line}");
        let name = "Wolfeschlegelsteinhausenbergerdorff ".repeat(8);
        for text in [
            name.trim().to_string(),
            format!("{}, 1 A St, Leeds", name.trim()),
        ] {
            let (line, size) = fit_return_line(&text, width);
            assert!(
                line.starts_with("Wolfeschlegel") && line.ends_with('…'),
                "{line}"
            );
            assert!(face.width(&line, size) <= width);
            assert!(
                face.width(&line, size) > width * 0.9,
                "cut no more than it must"
            );
        }
        for text in [short, longer, four, &name, "Ж".repeat(500).as_str(), ""] {
            let (line, size) = fit_return_line(text, width);
            assert!(face.width(&line, size) <= width + 0.01, "{text}");
            assert!(size == 0.0 || size >= RETURN_MIN);
        }
    }
}
