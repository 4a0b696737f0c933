//! Print-ready PDF: a formal letter laid out for a window envelope.
//!
//! A4 follows DIN 5008 form B (DL / C5/6 window envelopes) for most countries;
//! US Letter, folded in thirds for a No. 10 window envelope, for the countries
//! that use it. Text is set in DejaVu Serif, measured with the font's own
//! advance widths, and each document embeds a subset of the font: the glyphs
//! it uses, and for the regular face the basic Latin letters and digits too,
//! so that a batch's letters share one subset. The same letters always give
//! the same bytes.

mod font;
mod layout;
mod memo;

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock};

use printpdf::{
    FontId, Op, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem,
};

use crate::compose::Letter;
use crate::error::{Error, Result};

pub use font::Style;
pub use layout::{inch, mm, page_label, Page, Rect, Rule, Text};

/// Sheet size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4, 210 x 297 mm, laid out per DIN 5008 form B.
    A4,
    /// US Letter, 8.5 x 11 in, for a No. 10 window envelope.
    Letter,
}

/// Countries where US Letter is the usual office paper. Kept to the clear
/// cases; everywhere else gets A4.
const LETTER_COUNTRIES: [&str; 8] = ["US", "CA", "MX", "PH", "CL", "CO", "VE", "PR"];

impl Paper {
    /// The paper a recipient in `iso2` (ISO 3166-1 alpha-2) expects.
    pub fn for_country(iso2: &str) -> Paper {
        let code = iso2.trim().to_ascii_uppercase();
        if LETTER_COUNTRIES.contains(&code.as_str()) {
            Paper::Letter
        } else {
            Paper::A4
        }
    }

    /// Sheet size in points (width, height).
    pub fn size_pt(self) -> (f32, f32) {
        let g = self.geometry();
        (g.width, g.height)
    }

    /// The part of the sheet that shows through the envelope window, in points
    /// from the top-left corner.
    pub fn window(self) -> Rect {
        self.geometry().window
    }
}

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PdfOptions {
    /// `None`: from each recipient's country.
    pub paper: Option<Paper>,
    /// Fold marks (and the punch-hole mark on A4) at the left edge.
    pub fold_marks: bool,
    /// For double-sided printing: each letter starts on a front (odd) page.
    pub duplex: bool,
}

/// Lays out one letter without writing a PDF: the pages and what is on them.
pub fn layout_letter(letter: &Letter, opts: &PdfOptions) -> Result<Vec<Page>> {
    let paper = opts
        .paper
        .unwrap_or_else(|| Paper::for_country(&letter.recipient.country));
    layout::layout(letter, paper, opts.fold_marks)
}

/// One letter -> one document; several -> one print-ready document in which
/// each letter starts on a new page (with `duplex`, on an odd page, a blank
/// page being inserted where needed).
pub fn render_pdf(letters: &[Letter], opts: &PdfOptions) -> Result<Vec<u8>> {
    if letters.is_empty() {
        return Err(Error::data("no letter to render as PDF"));
    }
    use rayon::prelude::*;
    // Laid out in parallel, but the first letter that fails is the one named.
    let laid: Vec<Result<Vec<Page>>> = letters
        .par_iter()
        .enumerate()
        .map(|(i, letter)| {
            layout_letter(letter, opts).map_err(|mut e| {
                if letters.len() > 1 {
                    e.message = format!(
                        "letter {} (to {}): {}",
                        i + 1,
                        letter.recipient.mission_id,
                        e.message
                    );
                }
                e
            })
        })
        .collect();
    let laid = laid.into_iter().collect::<Result<Vec<_>>>()?;
    let mut pages: Vec<Page> =
        Vec::with_capacity(laid.iter().map(Vec::len).sum::<usize>() + letters.len());
    for (i, laid) in laid.into_iter().enumerate() {
        let odd = laid.len() % 2 == 1;
        let (w, h) = laid.last().map_or((0.0, 0.0), |p| (p.width, p.height));
        pages.extend(laid);
        if opts.duplex && odd && i + 1 < letters.len() {
            pages.push(Page {
                width: w,
                height: h,
                ..Page::default()
            });
        }
    }
    write_pdf(letters, opts, &pages)
}

fn write_pdf(letters: &[Letter], opts: &PdfOptions, pages: &[Page]) -> Result<Vec<u8>> {
    // Subset each face to the characters drawn in it (see BATCH_STABLE_GLYPHS).
    let mut used: [BTreeSet<char>; 2] = Default::default();
    for page in pages {
        for t in &page.texts {
            used[t.style as usize].extend(t.text.chars());
        }
    }
    let first = &letters[0];
    let same = |f: fn(&Letter) -> &str| letters.iter().all(|l| f(l) == f(first));
    let title = if same(|l| l.subject.as_str()) {
        first.subject.clone()
    } else {
        format!("{} letters", letters.len())
    };
    let mut doc = PdfDocument::new(&title);
    let mut glyphs: [Glyphs; 2] = Default::default();
    for style in [Style::Regular, Style::Bold] {
        let chars = &mut used[style as usize];
        if !chars.is_empty() {
            // Every letter of a batch then embeds the same text face whatever
            // the signer's name (for Latin names), so it is made and compressed
            // once: 1-2 KB more per file for a run much faster. (The bold face,
            // a few words, stays exact: padding it would pass 30 KB a letter.)
            if style == Style::Regular {
                chars.extend(BATCH_STABLE_GLYPHS.chars());
            }
            let subset = style.face().subset(chars)?;
            glyphs[style as usize] = subset.codepoint_to_glyph.clone();
            doc.resources
                .fonts
                .map
                .insert(FontId(style.resource().to_string()), PdfFont::new(subset));
        }
    }

    // Metadata: dated by the letter (or SOURCE_DATE_EPOCH), never the clock.
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            letters
                .iter()
                .map(|l| l.date.unix_timestamp())
                .max()
                .unwrap_or(0)
        });
    let date = printpdf::OffsetDateTime::from_unix_timestamp(epoch)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .map_err(|e| Error::data(format!("PDF date: {e}")))?;
    let info = &mut doc.metadata.info;
    info.author = if same(|l| l.sender.name.as_str()) {
        first.sender.name.clone()
    } else {
        String::new()
    };
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    info.creator = "protest".to_string();
    info.producer = format!("protest {} (printpdf)", env!("CARGO_PKG_VERSION"));

    // printpdf makes the font objects (widths, ToUnicode) from the glyphs its
    // pages show, but encodes page content an operation at a time on one
    // thread: most of the time of a 1,000-page document. So its first page
    // shows every glyph once and the others nothing; then the content of
    // every page, the first's too, is written here, in parallel.
    doc.pages = pages
        .iter()
        .enumerate()
        .map(|(i, page)| match i {
            0 => sheet(page, glyph_carrier(&used)),
            _ => sheet(page, Vec::new()),
        })
        .collect();

    let save = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut pdf = doc.to_lopdf_document(&save, &mut warnings);
    if let Some(w) = warnings
        .iter()
        .find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error)
    {
        return Err(Error::data(format!("PDF writer: {}", w.msg)));
    }
    tidy(
        &mut pdf,
        document_id(letters, opts),
        doc.metadata.info.author.is_empty(),
    );
    set_contents(&mut pdf, pages, &glyphs)?;
    compress(&mut pdf);
    let mut out = Vec::with_capacity(32 * 1024);
    pdf.save_to(&mut out)
        .map_err(|e| Error::data(format!("cannot write the PDF: {e}")))?;
    Ok(out)
}

/// A sheet of `page`'s size with `ops` on it.
fn sheet(page: &Page, ops: Vec<Op>) -> PdfPage {
    let mut sheet = PdfPage::new(printpdf::Mm(0.0), printpdf::Mm(0.0), ops);
    let size = printpdf::Rect::from_wh(Pt(page.width), Pt(page.height));
    sheet.media_box = size.clone();
    sheet.trim_box = size.clone();
    sheet.crop_box = size;
    sheet
}

/// Every glyph of each face, shown once, so that printpdf describes them all.
fn glyph_carrier(used: &[BTreeSet<char>; 2]) -> Vec<Op> {
    let mut ops = vec![Op::StartTextSection];
    for style in [Style::Regular, Style::Bold] {
        let chars = &used[style as usize];
        if !chars.is_empty() {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(style.resource().to_string())),
                size: Pt(10.0),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(chars.iter().collect())],
            });
        }
    }
    ops.push(Op::EndTextSection);
    ops
}

/// A subset face's glyph ids by code point: what page content is written in.
type Glyphs = std::collections::BTreeMap<u32, u16>;

/// Replaces the content of each page of `pdf` with `pages`' own, in order.
fn set_contents(pdf: &mut lopdf::Document, pages: &[Page], glyphs: &[Glyphs; 2]) -> Result<()> {
    use rayon::prelude::*;
    let streams: Vec<lopdf::ObjectId> = pdf
        .get_pages()
        .values()
        .filter_map(|&page| {
            let dict = pdf.get_dictionary(page).ok()?;
            dict.get(b"Contents")
                .and_then(lopdf::Object::as_reference)
                .ok()
        })
        .collect();
    if streams.len() != pages.len() {
        return Err(Error::data("PDF writer: a page has no content stream"));
    }
    let contents: Vec<Vec<u8>> = pages.par_iter().map(|page| content(page, glyphs)).collect();
    for (id, content) in streams.into_iter().zip(contents) {
        if let Ok(lopdf::Object::Stream(stream)) = pdf.get_object_mut(id) {
            stream.set_content(content);
        }
    }
    Ok(())
}

/// The content stream of one page: its rules, then its text, each line placed
/// by a text matrix and drawn as glyph ids of the embedded face (Identity-H).
fn content(page: &Page, glyphs: &[Glyphs; 2]) -> Vec<u8> {
    use std::fmt::Write;
    let h = page.height;
    let mut out = String::with_capacity(64 * (page.texts.len() + page.rules.len()) + 8);
    let mut stroke: Option<(f32, f32)> = None;
    for r in &page.rules {
        if stroke != Some((r.width, r.grey)) {
            let _ = write!(out, "{} G\n{} w\n", r.grey, r.width);
            stroke = Some((r.width, r.grey));
        }
        let _ = write!(out, "{} {} m\n{} {} l\nS\n", r.x1, h - r.y1, r.x2, h - r.y2);
    }
    if !page.texts.is_empty() {
        out.push_str("BT\n");
        let mut font: Option<(Style, f32)> = None;
        let mut fill = 0.0;
        for t in &page.texts {
            if font != Some((t.style, t.size)) {
                let _ = writeln!(out, "/{} {} Tf", t.style.resource(), t.size);
                font = Some((t.style, t.size));
            }
            if t.grey != fill {
                let _ = writeln!(out, "{} g", t.grey);
                fill = t.grey;
            }
            let _ = writeln!(out, "1 0 0 1 {} {} Tm", t.x, h - t.y);
            out.push('<');
            let face = &glyphs[t.style as usize];
            for c in t.text.chars() {
                let glyph = face.get(&(c as u32)).copied().unwrap_or(0);
                let _ = write!(out, "{glyph:04x}");
            }
            out.push_str("> Tj\n");
        }
        out.push_str("ET\n");
    }
    out.into_bytes()
}

/// A stable file identifier: a digest of what the document says and how it
/// is printed (printpdf would put a fresh random one in every file).
fn document_id(letters: &[Letter], opts: &PdfOptions) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    h.update(format!(
        "{:?}|{}|{}",
        opts.paper, opts.fold_marks, opts.duplex
    ));
    for l in letters {
        h.update(serde_json::to_vec(l).unwrap_or_default());
    }
    h.finalize()[..16].to_vec()
}

/// Deflates every stream, in parallel. lopdf's own `compress` always works at
/// the highest level, which took half the run time: font programs get the
/// default level (as small, within 0.1 %), page content a faster one.
fn compress(pdf: &mut lopdf::Document) {
    use rayon::prelude::*;
    let mut streams: Vec<&mut lopdf::Stream> = pdf
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if s.allows_compression && !s.dict.has(b"Filter") => Some(s),
            _ => None,
        })
        .collect();
    streams.par_iter_mut().for_each(|stream| {
        let packed = if stream.dict.has(b"Length1") {
            // The same font subset recurs from letter to letter: deflate it once.
            FONT_PROGRAMS
                .get_or_try_insert(stream.content.clone(), || {
                    Ok::<_, ()>(deflate(&stream.content, 6).map(Arc::new))
                })
                .ok()
                .flatten()
                .map(|program| program.to_vec())
        } else {
            deflate(&stream.content, 3)
        };
        if let Some(packed) = packed.filter(|p| p.len() + 19 < stream.content.len()) {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    });
}

/// Letters and digits of the basic Latin alphabet, added to the regular face's subset.
const BATCH_STABLE_GLYPHS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Deflated font programs (`None`: deflate failed) by their uncompressed bytes.
type Deflated = Option<Arc<Vec<u8>>>;
static FONT_PROGRAMS: LazyLock<memo::Memo<Vec<u8>, Deflated>> =
    LazyLock::new(|| memo::Memo::new(32));

fn deflate(bytes: &[u8], level: u32) -> Option<Vec<u8>> {
    use flate2::{write::ZlibEncoder, Compression};
    use std::io::Write;
    let mut z = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::new(level));
    z.write_all(bytes).ok()?;
    z.finish().ok()
}

/// Sets the file identifier and drops the empty entries printpdf writes into
/// the document information dictionary.
fn tidy(pdf: &mut lopdf::Document, id: Vec<u8>, no_author: bool) {
    use lopdf::{Object, StringFormat};
    let id = Object::String(id, StringFormat::Hexadecimal);
    pdf.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    let info = pdf.trailer.get(b"Info").and_then(Object::as_reference).ok();
    if let Some(dict) = info
        .and_then(|r| pdf.get_object_mut(r).ok())
        .and_then(|o| o.as_dict_mut().ok())
    {
        for key in [
            "GTS_PDFXVersion",
            "Identifier",
            "Keywords",
            "Subject",
            "Trapped",
        ] {
            dict.remove(key.as_bytes());
        }
        if no_author {
            dict.remove(b"Author");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_follows_the_country() {
        assert_eq!(Paper::for_country("US"), Paper::Letter);
        assert_eq!(Paper::for_country("ca"), Paper::Letter);
        assert_eq!(Paper::for_country("GB"), Paper::A4);
        assert_eq!(Paper::for_country("KZ"), Paper::A4);
        assert_eq!(Paper::for_country(""), Paper::A4);
        let (w, h) = Paper::A4.size_pt();
        assert_eq!((w.round(), h.round()), (595.0, 842.0));
        assert_eq!(Paper::Letter.size_pt(), (612.0, 792.0));
    }
}
