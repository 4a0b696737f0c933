//! Where everything goes on the sheet: the page geometry for each paper, line
//! breaking with the font's own advance widths, and pagination.
//!
//! Positions are in PDF points (1/72 in), measured from the TOP-left corner of
//! the sheet; the PDF writer flips them. Layout knows nothing of PDF objects, so
//! it can be tested on its own.

use textwrap::core::Fragment;
use textwrap::wrap_algorithms::{wrap_first_fit, wrap_optimal_fit, Penalties};

use super::font::{check, clean, Style};
use super::Paper;
use crate::compose::{Block, Letter};
use crate::error::{Error, Result};

pub const fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

pub const fn inch(v: f32) -> f32 {
    v * 72.0
}

/// A rectangle in points from the top-left corner of the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// The fixed positions of a letter sheet.
#[derive(Debug)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    /// Left and right edges of the text column.
    pub left: f32,
    pub right: f32,
    /// The part of the sheet that shows through the envelope window.
    pub window: Rect,
    /// Left edge of the text in the window.
    pub window_text_x: f32,
    /// Widest text that stays visible in the window.
    pub window_text_w: f32,
    /// Top and bottom of the text inside the window.
    pub window_text_top: f32,
    pub window_text_bottom: f32,
    /// Where the recipient lines start when they fit below it (DIN 5008's
    /// address zone); they move up towards the return line when they don't.
    pub address_zone_top: f32,
    /// The sender (information) block: left edge and top.
    pub info_x: f32,
    pub info_top: f32,
    /// Top of the text on continuation pages; lowest point body text may reach.
    pub cont_top: f32,
    pub body_bottom: f32,
    pub footer_baseline: f32,
    /// Fold marks and the punch-hole mark, distance from the top.
    pub folds: [f32; 2],
    pub hole: Option<f32>,
}

/// A4, DIN 5008 form B (the German business-letter standard, which fits a
/// DL or C5/6 window envelope per DIN 680): address field 20 mm from the left
/// and 45 mm from the top, 85 x 45 mm; its upper 17.7 mm are the return-address
/// and notes zone, the lower 27.3 mm the address zone; text inset 5 mm;
/// information block 50 mm down (from 120 mm, DIN says 125, to give long
/// sender lines room); fold marks at 105 and 210 mm,
/// hole mark at 148.5 mm.
pub static A4: Geometry = Geometry {
    width: mm(210.0),
    height: mm(297.0),
    left: mm(25.0),
    right: mm(190.0),
    window: Rect {
        x: mm(20.0),
        y: mm(45.0),
        w: mm(85.0),
        h: mm(45.0),
    },
    window_text_x: mm(25.0),
    window_text_w: mm(78.0),
    window_text_top: mm(46.5),
    window_text_bottom: mm(89.0),
    address_zone_top: mm(62.7),
    info_x: mm(120.0),
    info_top: mm(50.0),
    cont_top: mm(20.0),
    body_bottom: mm(281.0),
    footer_baseline: mm(287.0),
    folds: [mm(105.0), mm(210.0)],
    hole: Some(mm(148.5)),
};

/// US Letter folded in thirds for a No. 10 window envelope (4 1/8 x 9 1/2 in).
/// The standard No. 10 window is 1 1/8 in high and 4 1/2 in wide, 7/8 in from
/// the left and 1/2 in from the bottom of the envelope (envelope makers'
/// specifications, e.g. laenvelope.com "No.10 Standard Window Position"; USPS
/// asks for 1/8 in clear around the address). Folded in thirds the sheet is
/// 3 2/3 in high, so with the sheet resting at the bottom of the envelope the
/// window shows 2 1/24 in to 3 1/6 in from its top edge. We keep the address
/// 1/8 in inside that, and within 4 in of width, since the sheet can slide
/// sideways in the envelope.
pub static LETTER: Geometry = Geometry {
    width: inch(8.5),
    height: inch(11.0),
    left: inch(1.0),
    right: inch(7.5),
    window: Rect {
        x: inch(0.875),
        y: inch(11.0 / 3.0 - 1.625),
        w: inch(4.0),
        h: inch(1.125),
    },
    window_text_x: inch(1.0),
    window_text_w: inch(3.75),
    window_text_top: inch(11.0 / 3.0 - 1.625 + 0.125),
    window_text_bottom: inch(11.0 / 3.0 - 0.5 - 0.125),
    address_zone_top: 0.0,
    info_x: inch(5.0),
    info_top: inch(0.75),
    cont_top: inch(0.8),
    body_bottom: inch(10.2),
    footer_baseline: inch(10.55),
    folds: [inch(11.0 / 3.0), inch(22.0 / 3.0)],
    hole: None,
};

impl Paper {
    pub fn geometry(self) -> &'static Geometry {
        match self {
            Paper::A4 => &A4,
            Paper::Letter => &LETTER,
        }
    }
}

// Type sizes (pt) and spacing.
const BODY: f32 = 10.0;
const BODY_LEADING: f32 = 12.75;
const PARA_GAP: f32 = 6.0;
const ITEM_GAP: f32 = 2.5;
const INFO: f32 = 8.5;
const INFO_NAME: f32 = 9.5;
const INFO_LEADING: f32 = 11.0;
const RETURN: f32 = 7.0;
const ADDRESS_SIZES: [f32; 5] = [10.0, 9.5, 9.0, 8.5, 8.0];
const FOOTER: f32 = 8.0;
const CC: f32 = 9.0;
const CC_LEADING: f32 = 11.5;
const SIGN_SPACE: f32 = mm(15.0);
const LIST_INDENT: f32 = mm(5.0);
const GREY: f32 = 0.35;
/// Descender depth as a fraction of the size (DejaVu: 483/2048).
const DESCENT: f32 = 0.24;

/// A piece of text drawn at a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub x: f32,
    /// Baseline, from the top of the sheet.
    pub y: f32,
    pub style: Style,
    pub size: f32,
    /// 0 = black.
    pub grey: f32,
    pub text: String,
}

/// A straight stroke.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub width: f32,
    pub grey: f32,
}

/// One finished page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub texts: Vec<Text>,
    pub rules: Vec<Rule>,
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

/// A word for the line breaker, measured in points.
#[derive(Debug)]
struct Word<'a> {
    text: &'a str,
    width: f64,
    space: f64,
}

impl Fragment for Word<'_> {
    fn width(&self) -> f64 {
        self.width
    }
    fn whitespace_width(&self) -> f64 {
        self.space
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Breaks `text` into lines no wider than `width` points, measuring with the
/// face's advance widths. Breaks at spaces (a no-break space holds); a word
/// wider than the line (a long URL) is cut where it must be.
pub fn wrap(text: &str, style: Style, size: f32, width: f32) -> Vec<String> {
    let face = style.face();
    let text = clean(text);
    let space = f64::from(face.width(" ", size));
    let mut words: Vec<Word> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = face.width(word, size);
        if w <= width {
            words.push(Word {
                text: word,
                width: f64::from(w),
                space,
            });
            continue;
        }
        // Cut an over-long word into pieces that fit, joined without spaces.
        let mut start = 0;
        let mut acc = 0.0;
        for (i, c) in word.char_indices() {
            let cw = face.width(c.encode_utf8(&mut [0; 4]), size);
            if acc + cw > width && i > start {
                words.push(Word {
                    text: &word[start..i],
                    width: f64::from(acc),
                    space: 0.0,
                });
                start = i;
                acc = 0.0;
            }
            acc += cw;
        }
        words.push(Word {
            text: &word[start..],
            width: f64::from(acc),
            space,
        });
    }
    if words.is_empty() {
        return Vec::new();
    }

    // Optimal fit evens out the ragged right edge. Its penalties are tuned for
    // character cells, so it sees widths in half-ems; overflowing is made
    // prohibitive, and a result that still overflows falls back to first fit.
    let unit = f64::from(size) * 0.5;
    let scaled: Vec<Word> = words
        .iter()
        .map(|w| Word {
            text: w.text,
            width: w.width / unit,
            space: w.space / unit,
        })
        .collect();
    let mut penalties = Penalties::new();
    penalties.overflow_penalty = 1_000_000_000;
    let limit = f64::from(width) + 0.01;
    let lines: Vec<&[Word]> =
        match wrap_optimal_fit(&scaled, &[f64::from(width) / unit], &penalties) {
            Ok(lines) if lines.iter().all(|l| line_width(l) * unit <= limit) => lines,
            _ => wrap_first_fit(&scaled, &[f64::from(width) / unit]),
        };
    lines
        .iter()
        .map(|line| {
            let mut s = String::new();
            for (i, w) in line.iter().enumerate() {
                s.push_str(w.text);
                if i + 1 < line.len() && w.space > 0.0 {
                    s.push(' ');
                }
            }
            s
        })
        .collect()
}

fn line_width(words: &[Word]) -> f64 {
    let n = words.len();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| w.width + if i + 1 < n { w.space } else { 0.0 })
        .sum()
}

/// One line of the flowing part of the letter (subject to cc).
#[derive(Debug, Clone)]
struct FlowLine {
    /// Extra space above the line, dropped at the top of a page.
    gap: f32,
    /// Baseline-to-baseline distance from the previous line.
    leading: f32,
    /// Type size of the line (for its ascent and descent).
    size: f32,
    /// The page may not break after this line.
    keep: bool,
    texts: Vec<(f32, Style, String)>,
}

impl FlowLine {
    fn new(gap: f32, keep: bool, texts: Vec<(f32, Style, String)>) -> FlowLine {
        FlowLine {
            gap,
            leading: BODY_LEADING,
            size: BODY,
            keep,
            texts,
        }
    }
}

/// Lays a block of wrapped lines: widow and orphan control keeps at least two
/// lines together at the foot and the head of a page.
fn push_block(out: &mut Vec<FlowLine>, gap: f32, lines: Vec<Vec<(f32, Style, String)>>) {
    let n = lines.len();
    for (i, texts) in lines.into_iter().enumerate() {
        let keep = n >= 2 && (i == 0 || i == n - 2);
        out.push(FlowLine::new(if i == 0 { gap } else { 0.0 }, keep, texts));
    }
}

/// A heading: one short line that ends without a sentence's punctuation.
fn is_heading(text: &str) -> bool {
    let text = text.trim_end();
    !text.is_empty() && !text.ends_with(['.', '!', '?', '…', ';', ',', ':', '»', '"', ')'])
}

fn plain(x: f32, style: Style, lines: Vec<String>) -> Vec<Vec<(f32, Style, String)>> {
    lines.into_iter().map(|s| vec![(x, style, s)]).collect()
}

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

/// The envelope window: the return address, one small underlined line at the
/// top, and the recipient under it, at the largest size that fits. When even
/// the smallest size does not fit, the return line gives way; an address that
/// still does not fit is an error, as a letter whose address the window cuts
/// off would not arrive.
fn address(l: &Letter, g: &Geometry, page: &mut Page) -> Result<()> {
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

/// Lays out one letter on `paper`, with optional fold marks.
pub fn layout(l: &Letter, paper: Paper, fold_marks: bool) -> Result<Vec<Page>> {
    check_letter(l)?;
    let g = paper.geometry();
    let mut first = Page {
        width: g.width,
        height: g.height,
        ..Page::default()
    };
    address(l, g, &mut first)?;
    let info_bottom = sender_block(l, g, &mut first)?;
    let date_baseline = date_line(l, g, info_bottom, &mut first)?;
    let flow = flow(l, g);
    let mut pages = paginate(&flow, g, first, date_baseline);
    decorate(&mut pages, g, &l.language, fold_marks);
    Ok(pages)
}

/// The sender (information) block: name (a size larger, not bold: the bold
/// face then holds only the subject, the same for every letter of a batch, so
/// its font subset is made once), then the lines, email and phone. Returns
/// where it ends. It may reach down to the second fold, leaving the first
/// page a third for the letter; a block longer than that is an error that
/// names the field, not text drawn past the foot of the page.
fn sender_block(l: &Letter, g: &Geometry, page: &mut Page) -> Result<f32> {
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
fn date_line(l: &Letter, g: &Geometry, info_bottom: f32, page: &mut Page) -> Result<f32> {
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

/// The flowing part of the letter, line by line: subject, salutation, body,
/// closing, signature and copies, with the rules for where a page may break.
fn flow(l: &Letter, g: &Geometry) -> Vec<FlowLine> {
    let text_w = g.right - g.left;
    let mut flow: Vec<FlowLine> = Vec::new();
    // Subject and salutation stay with the first lines of the body.
    let mut gap = BODY_LEADING;
    for (style, text) in [(Style::Bold, &l.subject), (Style::Regular, &l.salutation)] {
        let lines = wrap(text, style, BODY, text_w);
        for (i, s) in lines.into_iter().enumerate() {
            flow.push(FlowLine::new(
                if i == 0 { gap } else { 0.0 },
                true,
                vec![(g.left, style, s)],
            ));
            gap = 0.0;
        }
        if !flow.is_empty() {
            gap = BODY_LEADING;
        }
    }
    let body_start = flow.len();
    let mut gap = PARA_GAP;
    for block in &l.body {
        match block {
            Block::Paragraph(p) => {
                let lines = wrap(p, Style::Regular, BODY, text_w);
                if !lines.is_empty() {
                    let heading = lines.len() == 1 && is_heading(p);
                    push_block(&mut flow, gap, plain(g.left, Style::Regular, lines));
                    // A line that introduces what follows ("Призываю власти
                    // Республики Казахстан:") and a heading stay with it.
                    if p.trim_end().ends_with(':') || heading {
                        flow.last_mut().expect("lines were pushed").keep = true;
                    }
                    gap = PARA_GAP;
                }
            }
            Block::List(items) => {
                for item in items {
                    let lines = wrap(item, Style::Regular, BODY, text_w - LIST_INDENT);
                    if lines.is_empty() {
                        continue;
                    }
                    let mut rows = plain(g.left + LIST_INDENT, Style::Regular, lines);
                    rows[0].insert(0, (g.left + mm(1.0), Style::Regular, "•".to_string()));
                    push_block(&mut flow, gap, rows);
                    gap = ITEM_GAP;
                }
                gap = PARA_GAP;
            }
        }
    }
    // The closing never opens a page alone: the last two lines of the body
    // travel with it, and it stays with the signature.
    let n = flow.len();
    if n > body_start + 1 {
        flow[n - 2].keep = true;
    }
    if n > 0 {
        flow[n - 1].keep = true;
    }
    let closing = wrap(&l.closing, Style::Regular, BODY, text_w);
    let gap = PARA_GAP + BODY_LEADING * 0.5;
    let sign_gap = if closing.is_empty() { gap } else { SIGN_SPACE };
    for (i, s) in closing.into_iter().enumerate() {
        flow.push(FlowLine::new(
            if i == 0 { gap } else { 0.0 },
            true,
            vec![(g.left, Style::Regular, s)],
        ));
    }
    let signature: Vec<String> = l
        .signature
        .iter()
        .flat_map(|s| wrap(s, Style::Regular, BODY, text_w))
        .collect();
    if signature.is_empty() {
        // Keep the space to sign even without a printed name.
        flow.push(FlowLine::new(sign_gap, true, Vec::new()));
    }
    for (i, s) in signature.into_iter().enumerate() {
        let gap = if i == 0 { sign_gap } else { 0.0 };
        flow.push(FlowLine::new(gap, true, vec![(g.left, Style::Regular, s)]));
    }
    // Copies follow the signature; they never stand alone on a last page.
    if let Some(last) = flow.last_mut() {
        last.keep = !l.cc.is_empty();
    }
    let face = Style::Regular.face();
    let label = crate::render::cc_label(&l.language);
    let indent = (face.width(label, CC) + face.width("  ", CC)).max(mm(10.0));
    for (i, entry) in l.cc.iter().enumerate() {
        let lines = wrap(entry, Style::Regular, CC, text_w - indent);
        let n = lines.len();
        for (j, s) in lines.into_iter().enumerate() {
            let first = i == 0 && j == 0;
            let mut texts = vec![(g.left + indent, Style::Regular, s)];
            if first {
                texts.insert(0, (g.left, Style::Regular, label.to_string()));
            }
            // Each entry stays whole.
            let mut line = FlowLine::new(if first { BODY_LEADING } else { 0.0 }, j + 1 < n, texts);
            line.size = CC;
            line.leading = CC_LEADING;
            flow.push(line);
        }
    }
    flow
}

/// Fills pages with the flow, the first under the header (whose last
/// baseline is `after`), breaking only where a break is allowed.
fn paginate(flow: &[FlowLine], g: &Geometry, first: Page, after: f32) -> Vec<Page> {
    let mut pages = vec![first];
    let mut prev = Some(after);
    let mut start = 0;
    while start < flow.len() {
        // What fits from `start` on.
        let mut placed = Vec::new();
        let mut cursor = prev;
        for line in &flow[start..] {
            let y = match cursor {
                Some(b) => b + line.gap + line.leading,
                None => g.cont_top + line.size * 0.95,
            };
            if y + line.size * DESCENT > g.body_bottom {
                break;
            }
            placed.push(y);
            cursor = Some(y);
        }
        let end = start + placed.len();
        let stop = if end == flow.len() {
            end
        } else {
            match (start + 1..=end).rev().find(|&b| !flow[b - 1].keep) {
                Some(b) => b,
                // Nothing may break under the header: start the flow on page 2.
                None if pages.len() == 1 => start,
                // A chain longer than a page, or a line taller than it.
                None => end.max(start + 1),
            }
        };
        if placed.len() < stop - start {
            placed.push(g.cont_top + flow[start].size * 0.95);
        }
        let page = pages.last_mut().expect("a page");
        for (line, &y) in flow[start..stop].iter().zip(&placed) {
            for (x, style, text) in &line.texts {
                page.texts.push(Text {
                    x: *x,
                    y,
                    style: *style,
                    size: line.size,
                    grey: 0.0,
                    text: text.clone(),
                });
            }
        }
        start = stop;
        if start < flow.len() {
            pages.push(Page {
                width: g.width,
                height: g.height,
                ..Page::default()
            });
            prev = None;
        }
    }
    pages
}

/// Page numbers (when there is more than one page), fold and hole marks.
fn decorate(pages: &mut [Page], g: &Geometry, language: &str, fold_marks: bool) {
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
    fn wraps_by_measured_width_not_characters() {
        let face = Style::Regular.face();
        let text = "Қасым-Жомарт Тоқаев ".repeat(30);
        let width = 200.0;
        let lines = wrap(&text, Style::Regular, 10.5, width);
        assert!(lines.len() > 5);
        for line in &lines {
            assert!(face.width(line, 10.5) <= width + 0.01, "{line}");
            assert!(!line.starts_with(' ') && !line.ends_with(' '));
        }
        // Nothing lost or added but the breaks.
        assert_eq!(lines.join(" "), text.trim_end());
        // Wide letters make shorter lines than narrow ones.
        let w = wrap(&"WWWW ".repeat(40), Style::Regular, 10.5, width);
        let i = wrap(&"iiii ".repeat(40), Style::Regular, 10.5, width);
        assert!(w.len() > 2 * i.len());
    }

    #[test]
    fn cuts_words_longer_than_the_line() {
        let url = format!("https://example.org/{}", "a".repeat(200));
        let lines = wrap(&format!("see {url} now"), Style::Regular, 10.5, 150.0);
        assert!(lines.len() >= 4);
        assert_eq!(lines.concat().replace(' ', ""), format!("see{url}now"));
        for l in &lines {
            assert!(Style::Regular.face().width(l, 10.5) <= 150.01);
        }
    }

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

    #[test]
    fn page_labels_follow_the_language() {
        assert_eq!(page_label("en-GB", 2, 3), "Page 2 of 3");
        assert_eq!(page_label("de", 1, 2), "Seite 1 von 2");
        assert_eq!(page_label("ru-RU", 2, 2), "Страница 2 из 2");
    }
}
