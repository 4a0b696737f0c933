//! Print-ready PDF: a formal letter laid out for a window envelope.
//!
//! A4 follows DIN 5008 form B (DL / C5/6 window envelopes) for most countries;
//! US Letter, folded in thirds for a No. 10 window envelope, for the countries
//! that use it. Text is set in DejaVu Serif, measured with the font's own
//! advance widths, and each document embeds a subset of the font: the glyphs
//! it uses, and for the regular face the basic Latin letters and digits too,
//! so that a batch's letters share one subset. The same letters always give
//! the same bytes.
//!
//! A document is written front to back ([`PdfWriter`]): each letter's pages
//! as they come, then the fonts, page tree and cross-reference table, so a
//! combined PDF of any length takes the same memory. Page content draws the
//! full face's glyph ids, which the subset keeps (see `sfnt`): that is what
//! lets pages be written before the document's glyphs are all known.

mod font;
mod layout;
mod memo;
mod sfnt;
mod zlib;

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use crate::compose::Letter;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::text::hex;

pub use font::Style;
pub use layout::{inch, mm, page_label, Page, Paper, Rect, Rule, Text};

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

/// What [`layout_letter`] would refuse, found without laying the whole
/// letter out: a batch checks every letter before it writes the first.
pub fn check(letter: &Letter, opts: &PdfOptions) -> Result<()> {
    let paper = opts
        .paper
        .unwrap_or_else(|| Paper::for_country(&letter.recipient.country));
    layout::refusal(letter, paper)
}

/// One letter -> one document; several -> one print-ready document in which
/// each letter starts on a new page (with `duplex`, on an odd page, a blank
/// page being inserted where needed).
pub fn render_pdf(letters: &[Letter], opts: &PdfOptions) -> Result<Vec<u8>> {
    use rayon::prelude::*;
    // Laid out in parallel, but the first letter that fails is the one named.
    let prepared: Vec<Result<PreparedLetter>> = letters
        .par_iter()
        .enumerate()
        .map(|(i, letter)| {
            prepare(letter, opts).map_err(|mut e| {
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
    let mut out = Vec::with_capacity(32 * 1024);
    let mut pdf = PdfWriter::new(opts, &mut out);
    for letter in prepared {
        pdf.add(letter?, &mut out);
    }
    pdf.finish(&mut out)?;
    Ok(out)
}

/// One letter made ready to go into a PDF: its pages' content, compressed,
/// and what the document's fonts and metadata need from it. Made on any
/// thread, so that writing the document is only putting bytes in order.
pub struct PreparedLetter {
    pages: Vec<PreparedPage>,
    /// The characters drawn in each face.
    used: [Chars; 2],
    subject: String,
    author: String,
    timestamp: i64,
    /// Of the pages' content, for the document identifier.
    digest: [u8; 32],
}

struct PreparedPage {
    width: f32,
    height: f32,
    /// Deflated.
    content: Vec<u8>,
}

/// Lays out `letter` and encodes its pages.
pub fn prepare(letter: &Letter, opts: &PdfOptions) -> Result<PreparedLetter> {
    let pages = layout_letter(letter, opts)?;
    let mut used: [Chars; 2] = Default::default();
    let mut digest = Sha256::new();
    let pages = pages
        .iter()
        .map(|page| {
            for t in &page.texts {
                used[t.style as usize].extend(&t.text);
            }
            let content = zlib::deflate(&content(page), 3);
            digest.update(format!("{} {} {}|", page.width, page.height, content.len()));
            digest.update(&content);
            PreparedPage {
                width: page.width,
                height: page.height,
                content,
            }
        })
        .collect();
    Ok(PreparedLetter {
        pages,
        used,
        subject: letter.subject.clone(),
        author: letter.sender.name.clone(),
        timestamp: letter.date.unix_timestamp(),
        digest: digest.finalize().into(),
    })
}

/// A set of characters, kept as a bit each for those below [`LOW_CHARS`]
/// (the scripts letters are written in): a letter adds a character for each
/// one it draws, and a set of a tree took a sixth of the time of a letter.
#[derive(Default)]
struct Chars {
    /// Empty until a character is added.
    low: Vec<u64>,
    high: BTreeSet<char>,
}

/// Latin, Greek, Cyrillic, general punctuation, currency and letterlike symbols.
const LOW_CHARS: usize = 0x2200;

impl Chars {
    fn extend(&mut self, text: &str) {
        for c in text.chars() {
            let code = c as usize;
            if code >= LOW_CHARS {
                self.high.insert(c);
                continue;
            }
            if self.low.is_empty() {
                self.low = vec![0; LOW_CHARS / 64];
            }
            self.low[code / 64] |= 1 << (code % 64);
        }
    }

    fn add(&mut self, other: Chars) {
        if self.low.is_empty() {
            self.low = other.low;
        } else {
            for (mine, theirs) in self.low.iter_mut().zip(&other.low) {
                *mine |= theirs;
            }
        }
        self.high.extend(other.high);
    }

    fn to_set(&self) -> BTreeSet<char> {
        let mut set = self.high.clone();
        for (at, &word) in self.low.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                set.extend(char::from_u32((at * 64 + bit) as u32));
            }
        }
        set
    }
}

/// Writes a PDF front to back into the buffer each call is given, which the
/// caller may empty between calls: pages as letters come, then what needs
/// every page (fonts, page tree, metadata, cross-reference table) at the end.
/// Memory holds only a number per object.
pub struct PdfWriter {
    duplex: bool,
    /// Bytes handed out so far: where the next object starts.
    position: u64,
    /// Where each object starts, by number (0 is not an object).
    offsets: Vec<u64>,
    pages: Vec<usize>,
    used: [Chars; 2],
    letters: usize,
    /// In duplex, the size of the blank back page owed before the next letter.
    blank_back: Option<(f32, f32)>,
    title: Common,
    author: Common,
    latest: i64,
    id: Sha256,
}

/// Objects written last but referred to by every page, so numbered first.
const CATALOG: usize = 1;
const PAGE_TREE: usize = 2;
const RESOURCES: usize = 3;

impl PdfWriter {
    pub fn new(opts: &PdfOptions, out: &mut Vec<u8>) -> PdfWriter {
        // The binary comment marks the file as binary for transfer programs.
        const HEADER: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
        out.extend_from_slice(HEADER);
        let mut id = Sha256::new();
        id.update(env!("CARGO_PKG_VERSION"));
        id.update(format!(
            "{:?}|{}|{}",
            opts.paper, opts.fold_marks, opts.duplex
        ));
        PdfWriter {
            duplex: opts.duplex,
            position: HEADER.len() as u64,
            offsets: vec![0; RESOURCES + 1],
            pages: Vec::new(),
            used: Default::default(),
            letters: 0,
            blank_back: None,
            title: Common::default(),
            author: Common::default(),
            latest: i64::MIN,
            id,
        }
    }

    /// Appends a letter's pages, starting on a new sheet.
    pub fn add(&mut self, letter: PreparedLetter, out: &mut Vec<u8>) {
        if let Some((width, height)) = self.blank_back.take() {
            self.page(out, width, height, None);
        }
        let odd = letter.pages.len() % 2 == 1;
        let mut last = (0.0, 0.0);
        for page in &letter.pages {
            self.page(out, page.width, page.height, Some(&page.content));
            last = (page.width, page.height);
        }
        if self.duplex && odd {
            self.blank_back = Some(last);
        }
        for (all, letter) in self.used.iter_mut().zip(letter.used) {
            all.add(letter);
        }
        self.letters += 1;
        self.title.see(letter.subject);
        self.author.see(letter.author);
        self.latest = self.latest.max(letter.timestamp);
        self.id.update(letter.digest);
    }

    /// Writes the fonts, page tree, metadata and cross-reference table.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<()> {
        if self.pages.is_empty() {
            return Err(Error::data("no letter to render as PDF"));
        }
        let mut fonts = String::new();
        for style in [Style::Regular, Style::Bold] {
            let mut chars = self.used[style as usize].to_set();
            if chars.is_empty() {
                continue;
            }
            // Every letter of a batch then embeds the same text face whatever
            // the signer's name (for Latin names), so it is made and compressed
            // once: 1-2 KB more per file for a run much faster. (The bold face,
            // a few words, stays exact.)
            if style == Style::Regular {
                chars.extend(BATCH_STABLE_GLYPHS.chars());
            }
            let font = self.font(out, style, &chars);
            fonts.push_str(&format!("/{} {font} 0 R ", style.resource()));
        }
        self.object(out, RESOURCES, |o| {
            o.extend_from_slice(format!("<< /Font << {fonts}>> >>").as_bytes());
        });
        let kids = std::mem::take(&mut self.pages);
        self.object(out, PAGE_TREE, |o| {
            o.extend_from_slice(
                format!("<< /Type /Pages /Count {} /Kids [", kids.len()).as_bytes(),
            );
            for (i, kid) in kids.iter().enumerate() {
                let gap = if i % 16 == 0 { "\n" } else { " " };
                o.extend_from_slice(format!("{gap}{kid} 0 R").as_bytes());
            }
            o.extend_from_slice(b"\n] >>");
        });
        let info = self.info();
        let info_number = self.number();
        self.object(out, info_number, |o| o.extend_from_slice(info.as_bytes()));
        self.object(out, CATALOG, |o| {
            o.extend_from_slice(format!("<< /Type /Catalog /Pages {PAGE_TREE} 0 R >>").as_bytes());
        });

        let xref = self.position;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f\r\n", self.offsets.len());
        for offset in &self.offsets[1..] {
            table.push_str(&format!("{offset:010} 00000 n\r\n"));
        }
        let id = hex(&self.id.finalize()[..16]);
        table.push_str(&format!(
            "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {info_number} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len()
        ));
        out.extend_from_slice(table.as_bytes());
        Ok(())
    }

    /// A page of the given size, blank without `content`.
    fn page(&mut self, out: &mut Vec<u8>, width: f32, height: f32, content: Option<&[u8]>) {
        let contents = content.map(|content| {
            let number = self.number();
            self.stream(out, number, "", content);
            format!(" /Contents {number} 0 R")
        });
        let number = self.number();
        self.object(out, number, |o| {
            o.extend_from_slice(
                format!(
                    "<< /Type /Page /Parent {PAGE_TREE} 0 R /MediaBox [0 0 {width} {height}] \
                     /Resources {RESOURCES} 0 R{} >>",
                    contents.unwrap_or_default()
                )
                .as_bytes(),
            );
        });
        self.pages.push(number);
    }

    /// Embeds a subset of `style`'s face for `chars` (ISO 32000-1, 9.7: a Type 0
    /// font over a CIDFontType2); returns the font's object number.
    fn font(&mut self, out: &mut Vec<u8>, style: Style, chars: &BTreeSet<char>) -> usize {
        let face = style.face();
        let subset = face.subset(chars);
        let program = self.number();
        self.stream(
            out,
            program,
            &format!(" /Length1 {}", subset.program_len),
            &subset.program,
        );
        let descriptor = self.number();
        self.object(out, descriptor, |o| {
            o.extend_from_slice(
                format!(
                    "<< /Type /FontDescriptor /FontName /{} {} /FontFile2 {program} 0 R >>",
                    subset.name,
                    face.descriptor()
                )
                .as_bytes(),
            );
        });
        let cid_font = self.number();
        self.object(out, cid_font, |o| {
            o.extend_from_slice(
                format!(
                    "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{} \
                     /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                     /FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity /DW 0\n/W [{}] >>",
                    subset.name, subset.widths
                )
                .as_bytes(),
            );
        });
        let to_unicode = self.number();
        self.stream(out, to_unicode, "", &subset.to_unicode);
        let font = self.number();
        self.object(out, font, |o| {
            o.extend_from_slice(
                format!(
                    "<< /Type /Font /Subtype /Type0 /BaseFont /{} /Encoding /Identity-H \
                     /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>",
                    subset.name
                )
                .as_bytes(),
            );
        });
        font
    }

    /// The document information dictionary: dated by the letters (or
    /// SOURCE_DATE_EPOCH), never the clock.
    fn info(&self) -> String {
        let epoch = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(self.latest);
        let day = Date::from_days_since_epoch(epoch.div_euclid(86_400));
        let second = epoch.rem_euclid(86_400);
        let date = format!(
            "(D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00')",
            day.year,
            day.month,
            day.day,
            second / 3600,
            second / 60 % 60,
            second % 60
        );
        let title = match self.title.get() {
            Some(subject) => subject.to_string(),
            None => format!("{} letters", self.letters),
        };
        let mut info = format!("<< /Title {}", text_string(&title));
        if let Some(author) = self.author.get() {
            info.push_str(&format!(" /Author {}", text_string(author)));
        }
        info.push_str(&format!(
            " /Creator {} /Producer {} /CreationDate {date} /ModDate {date} >>",
            text_string("protest"),
            text_string(concat!("protest ", env!("CARGO_PKG_VERSION")))
        ));
        info
    }

    fn number(&mut self) -> usize {
        self.offsets.push(0);
        self.offsets.len() - 1
    }

    /// Writes object `number`, recording where it starts.
    fn object(&mut self, out: &mut Vec<u8>, number: usize, body: impl FnOnce(&mut Vec<u8>)) {
        self.offsets[number] = self.position;
        let start = out.len();
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        body(out);
        out.extend_from_slice(b"\nendobj\n");
        self.position += (out.len() - start) as u64;
    }

    /// A stream object of deflated `bytes`, `extra` added to its dictionary.
    fn stream(&mut self, out: &mut Vec<u8>, number: usize, extra: &str, bytes: &[u8]) {
        self.object(out, number, |o| {
            o.extend_from_slice(
                format!(
                    "<< /Length {} /Filter /FlateDecode{extra} >>\nstream\n",
                    bytes.len()
                )
                .as_bytes(),
            );
            o.extend_from_slice(bytes);
            o.extend_from_slice(b"\nendstream");
        });
    }
}

/// A text that is the same in every letter so far, or none once two differ.
#[derive(Default)]
enum Common {
    #[default]
    Unseen,
    Same(String),
    Differs,
}

impl Common {
    fn see(&mut self, text: String) {
        *self = match std::mem::take(self) {
            Common::Unseen => Common::Same(text),
            Common::Same(seen) if seen == text => Common::Same(seen),
            _ => Common::Differs,
        };
    }

    fn get(&self) -> Option<&str> {
        match self {
            Common::Same(text) => Some(text),
            _ => None,
        }
    }
}

/// A PDF text string: UTF-16BE with a byte order mark, in hex.
fn text_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        out.push_str(&format!("{unit:04X}"));
    }
    out.push('>');
    out
}

/// The content stream of one page: its rules, then its text, each line placed
/// by a text matrix and drawn as glyph ids of the full face (Identity-H), two
/// bytes each in a literal string: half the bytes of hex to deflate.
fn content(page: &Page) -> Vec<u8> {
    use std::io::Write;
    let h = page.height;
    let mut out = Vec::with_capacity(64 * (page.texts.len() + page.rules.len()) + 8);
    let mut stroke: Option<(f32, f32)> = None;
    // Writing into memory cannot fail.
    for r in &page.rules {
        if stroke != Some((r.width, r.grey)) {
            let _ = write!(out, "{} G\n{} w\n", r.grey, r.width);
            stroke = Some((r.width, r.grey));
        }
        let _ = write!(out, "{} {} m\n{} {} l\nS\n", r.x1, h - r.y1, r.x2, h - r.y2);
    }
    if !page.texts.is_empty() {
        out.extend_from_slice(b"BT\n");
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
            out.push(b'(');
            let face = t.style.face();
            for c in t.text.chars() {
                let glyph = face.glyph(c).map_or(0, |(glyph, _)| glyph);
                for byte in glyph.to_be_bytes() {
                    // A bare CR in a string would be read as a line end (7.3.4.2).
                    match byte {
                        b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
                        b'\r' => out.extend_from_slice(b"\\r"),
                        _ => out.push(byte),
                    }
                }
            }
            out.extend_from_slice(b") Tj\n");
        }
        out.extend_from_slice(b"ET\n");
    }
    out
}

/// Letters and digits of the basic Latin alphabet, added to the regular face's subset.
const BATCH_STABLE_GLYPHS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

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
