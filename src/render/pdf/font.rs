//! The font that ships with `protest`, parsed once per run, measured cheaply
//! and subset per document.
//!
//! DejaVu Serif 2.37 (Bitstream Vera licence, DejaVu changes public domain; see
//! `fonts/LICENSE-DejaVu.txt`) covers Latin, Greek and Cyrillic including every
//! Kazakh letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І) and the tenge sign ₸, and of the free fonts
//! that do, its files are the smallest. Both faces are compiled into the
//! binary; each document embeds a subset of them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use std::sync::{Arc, LazyLock};

use super::memo::Memo;
use super::sfnt::{self, Glyphs};
use crate::error::{Error, Result};

const REGULAR_TTF: &[u8] = include_bytes!("../../../fonts/DejaVuSerif.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../fonts/DejaVuSerif-Bold.ttf");

/// Human name of the family, for error messages.
pub const FAMILY: &str = "DejaVu Serif";

/// Code points below this are looked up in a flat table (Latin, Greek,
/// Cyrillic, general punctuation, currency, letterlike symbols such as №).
const DENSE_LIMIT: usize = 0x2200;

/// Which of the two faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Style {
    Regular,
    Bold,
}

impl Style {
    pub fn face(self) -> &'static Face {
        match self {
            Style::Regular => &REGULAR,
            Style::Bold => &BOLD,
        }
    }

    /// Resource name of the face in the PDF's font dictionary.
    pub fn resource(self) -> &'static str {
        match self {
            Style::Regular => "FR",
            Style::Bold => "FB",
        }
    }
}

static REGULAR: LazyLock<Face> = LazyLock::new(|| Face::load(REGULAR_TTF, "DejaVuSerif"));
static BOLD: LazyLock<Face> = LazyLock::new(|| Face::load(BOLD_TTF, "DejaVuSerif-Bold"));

/// One parsed face: its character map and advance widths, what the PDF
/// font descriptor needs and what subsets are made of. Immutable after
/// loading, so it is shared by all threads.
pub struct Face {
    postscript_name: &'static str,
    units_per_em: u16,
    /// `(glyph id, advance in font units)` by code point; glyph 0 = not in the font.
    dense: Vec<(u16, u16)>,
    sparse: HashMap<u32, (u16, u16)>,
    /// The font descriptor's metrics (ISO 32000-1, 9.8), in 1/1000 em.
    descriptor: String,
    glyphs: Glyphs,
    /// Glyph ids below this are basic Latin (see [`Face::deflated_program`]).
    shared_below: u16,
    /// The deflated start of font programs, with its Adler-32, by the glyphs
    /// below `shared_below` they hold.
    shared_pieces: Memo<Vec<u16>, Arc<(Vec<u8>, u32)>>,
    /// Subsets by the characters they are for.
    subsets: Memo<Vec<char>, Arc<Subset>>,
    /// Ascender in em.
    pub ascent: f32,
}

impl Face {
    fn load(bytes: &'static [u8], postscript_name: &'static str) -> Face {
        const BUNDLED: &str = "the bundled font is a valid TrueType file";
        let table = |tag| sfnt::table(bytes, tag).expect(BUNDLED);
        let (head, hhea, os2) = (table(b"head"), table(b"hhea"), table(b"OS/2"));
        let glyphs = Glyphs::read(bytes).expect(BUNDLED);

        let mut dense = vec![(0u16, 0u16); DENSE_LIMIT];
        let mut sparse = HashMap::new();
        sfnt::char_map(table(b"cmap"), |cp, gid| {
            let adv = glyphs.advance(gid);
            match dense.get_mut(cp as usize) {
                Some(slot) => *slot = (gid, adv),
                None => {
                    sparse.insert(cp, (gid, adv));
                }
            }
        })
        .expect(BUNDLED);

        let upm = sfnt::u16_at(head, 18);
        let (ascender, descender) = (sfnt::i16_at(hhea, 4), sfnt::i16_at(hhea, 6));
        let per_mille = |v: i16| (f32::from(v) * 1000.0 / f32::from(upm)).round() as i32;
        // No table holds the stem width: estimated from the weight class, as
        // PDF producers do (about 88 at 400, 166 at 700).
        let weight_class = sfnt::u16_at(os2, 4);
        let stem_v = 50 + (f32::from(weight_class) / 65.0).powi(2).round() as i32;
        let descriptor = format!(
            "/Ascent {} /Descent {} /CapHeight {} /ItalicAngle 0 /Flags 32 /StemV {stem_v} \
             /FontBBox [{} {} {} {}]",
            per_mille(ascender),
            per_mille(descender),
            per_mille(ascender),
            per_mille(sfnt::i16_at(head, 36)),
            per_mille(sfnt::i16_at(head, 38)),
            per_mille(sfnt::i16_at(head, 40)),
            per_mille(sfnt::i16_at(head, 42)),
        );
        let shared_below = (' '..='~')
            .map(|c| dense[c as usize].0)
            .max()
            .expect(BUNDLED)
            + 1;
        Face {
            postscript_name,
            units_per_em: upm,
            dense,
            sparse,
            descriptor,
            ascent: f32::from(ascender) / f32::from(upm),
            glyphs,
            shared_below,
            shared_pieces: Memo::new(64),
            subsets: Memo::new(64),
        }
    }

    #[inline]
    fn lookup(&self, c: char) -> Option<(u16, u16)> {
        let hit = match self.dense.get(c as usize) {
            Some(&e) => e,
            None => *self.sparse.get(&(c as u32))?,
        };
        (hit.0 != 0).then_some(hit)
    }

    /// The glyph that draws `c` and its advance in 1/1000 em, as a PDF
    /// content stream and font dictionary give them.
    pub fn glyph(&self, c: char) -> Option<(u16, u32)> {
        self.lookup(c).map(|(gid, adv)| {
            let upm = u32::from(self.units_per_em);
            (gid, (u32::from(adv) * 1000 + upm / 2) / upm)
        })
    }

    /// The font descriptor's metric entries.
    pub fn descriptor(&self) -> &str {
        &self.descriptor
    }

    /// Whether the face has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        self.lookup(c).is_some()
    }

    /// Width of `text` at `size` pt, from the font's own advance widths.
    /// Characters the face lacks count as zero (they are rejected before layout).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| self.lookup(c).map_or(0, |(_, adv)| u32::from(adv)))
            .sum();
        units as f32 * size / f32::from(self.units_per_em)
    }

    /// The face cut down to the glyphs for `chars` (with .notdef and the
    /// parts of composite glyphs), ready to embed. The `XXXXXX+` tag that
    /// marks a subset is derived from the glyph set, so the same text always
    /// gives the same bytes.
    pub fn subset(&self, chars: &BTreeSet<char>) -> Arc<Subset> {
        // Letters of a batch mostly use the same characters: each set is made once.
        self.subsets
            .get_or_insert(chars.iter().copied().collect(), || {
                Arc::new(self.make_subset(chars))
            })
    }

    fn make_subset(&self, chars: &BTreeSet<char>) -> Subset {
        // By glyph id: its width, and the first character drawn with it.
        let mut drawn: BTreeMap<u16, (u32, char)> = BTreeMap::new();
        for &c in chars {
            if let Some((gid, width)) = self.glyph(c) {
                drawn.entry(gid).or_insert((width, c));
            }
        }
        let kept = self.glyphs.closure(drawn.keys().copied());
        // A letter whose signer or prisoners have names outside basic Latin
        // gets a subset of its own, which level 1 makes in a quarter of the
        // time of level 6, for 3 % more bytes; one in basic Latin alone is
        // mostly the subset every other letter of the batch uses too.
        let level = match chars.iter().all(char::is_ascii) {
            true => 6,
            false => 1,
        };
        let (program, program_len) = self.deflated_program(&kept, level);
        let ids: Vec<u16> = kept.into_iter().collect();
        Subset {
            name: format!("{}+{}", subset_tag(&ids), self.postscript_name),
            program_len,
            program,
            widths: widths(&drawn),
            to_unicode: super::zlib::deflate(to_unicode_cmap(&drawn).as_bytes(), level),
        }
    }

    /// The font program for `kept`, deflated, and its length before. Most of
    /// it, the hinting tables and the outlines of basic Latin, is the same
    /// in every letter of a batch: that part is deflated once a run (at
    /// level 6) and the stream made of it and the rest, deflated for the
    /// letter (at `level`).
    fn deflated_program(&self, kept: &BTreeSet<u16>, level: u32) -> (Vec<u8>, usize) {
        use super::zlib::{adler32, adler32_combine, compress, Deflate};
        let program = self.glyphs.program(kept, self.shared_below);
        let (head, rest) = program.bytes.split_at(program.shared.start);
        let (shared, tail) = rest.split_at(program.shared.len());
        let key: Vec<u16> = kept.range(..self.shared_below).copied().collect();
        let piece = self.shared_pieces.get_or_insert(key, || {
            Arc::new((compress(shared, 6, Deflate::Opening), adler32(shared)))
        });
        let mut out = Vec::with_capacity(program.bytes.len() / 2);
        // The zlib header (RFC 1950), then the table directory as a stored
        // block (RFC 1951, 3.2.4): 156 bytes that would not shrink.
        out.extend_from_slice(&[0x78, 0x9c, 0x00]);
        let len = head.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(head);
        out.extend_from_slice(&piece.0);
        out.extend_from_slice(&compress(tail, level, Deflate::Closing));
        let adler = adler32_combine(adler32(head), piece.1, shared.len());
        let adler = adler32_combine(adler, adler32(tail), tail.len());
        out.extend_from_slice(&adler.to_be_bytes());
        (out, program.bytes.len())
    }
}

/// A face cut down to some glyphs, with what a PDF needs to show and extract
/// them; streams deflated. Glyph ids are the face's own (see [`sfnt`]).
pub struct Subset {
    /// `XXXXXX+PostScriptName`.
    pub name: String,
    /// The TrueType program.
    pub program: Vec<u8>,
    /// Its length before deflating.
    pub program_len: usize,
    /// The `/W` array's content: glyph widths in 1/1000 em.
    pub widths: String,
    /// The ToUnicode CMap stream.
    pub to_unicode: Vec<u8>,
}

/// The `/W` array: each run of consecutive glyph ids with their widths.
fn widths(glyphs: &BTreeMap<u16, (u32, char)>) -> String {
    let mut out = String::new();
    let mut next: Option<u16> = None;
    for (&gid, &(width, _)) in glyphs {
        // Writing to a String cannot fail.
        if next == Some(gid) {
            let _ = write!(out, " {width}");
        } else {
            if next.is_some() {
                out.push_str("]\n");
            }
            let _ = write!(out, "{gid} [{width}");
        }
        next = gid.checked_add(1);
    }
    if next.is_some() {
        out.push(']');
    }
    out
}

/// The ToUnicode CMap (ISO 32000-1, 9.10.3): the text each glyph stands for,
/// so that the PDF can be searched and copied from. Where characters share a
/// glyph, the text is the first.
fn to_unicode_cmap(glyphs: &BTreeMap<u16, (u32, char)>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, char)> = glyphs.iter().map(|(&gid, &(_, c))| (gid, c)).collect();
    // At most 100 entries a block (9.10.3).
    for block in entries.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", block.len());
        for &(gid, c) in block {
            let _ = write!(out, "<{gid:04X}> <");
            for unit in c.encode_utf16(&mut [0u16; 2]) {
                let _ = write!(out, "{unit:04X}");
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// Six upper-case letters from a hash of the glyph list (ISO 32000-1, 9.6.4).
fn subset_tag(ids: &[u16]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a
    for id in ids {
        for b in id.to_be_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|_| {
            let c = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            c
        })
        .collect()
}

/// Characters that carry no ink and that the layout drops rather than
/// rejecting: zero-width spaces and joiners, the soft hyphen, BOM.
pub fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Text as the PDF draws it: tabs and line breaks become spaces (running text
/// has none by contract) and invisible format characters are dropped.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .chars()
        .all(|c| !is_ignorable(c) && !matches!(c, '\t' | '\n' | '\r'))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .filter(|&c| !is_ignorable(c))
            .map(|c| {
                if matches!(c, '\t' | '\n' | '\r') {
                    ' '
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// Fails on the first character of `text` that `style` cannot draw, naming it
/// and `place` (e.g. "recipient line 3").
pub fn check(text: &str, style: Style, place: &str) -> Result<()> {
    let face = style.face();
    for c in clean(text).chars() {
        if !face.has(c) {
            let shown = if c.is_control() {
                String::new()
            } else {
                format!(" '{c}'")
            };
            return Err(Error::data(format!(
                "{place}: character U+{:04X}{shown} is not in the PDF font ({FAMILY})",
                c as u32
            ))
            .with_help(
                "replace or remove it; the PDF font covers Latin, Greek and Cyrillic \
                 (Ә Ғ Қ Ң Ө Ұ Ү Һ І too) and common punctuation, not emoji or CJK",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_kazakh_and_measures_with_advances() {
        for c in "ӘҒҚҢӨҰҮҺІәғқңөұүһі–—«»„“”‘’•…№€₸\u{a0}\u{202f}".chars()
        {
            assert!(Style::Regular.face().has(c), "regular lacks {c}");
            assert!(Style::Bold.face().has(c), "bold lacks {c}");
        }
        let f = Style::Regular.face();
        // Proportional, not character counting.
        assert!(f.width("WWWW", 10.0) > 2.0 * f.width("iiii", 10.0));
        assert!((f.width("ab", 12.0) - f.width("a", 12.0) - f.width("b", 12.0)).abs() < 1e-4);
        // Bold is wider than regular.
        assert!(Style::Bold.face().width("Мамай", 10.0) > f.width("Мамай", 10.0));
    }

    #[test]
    fn rejects_missing_glyph_naming_it() {
        let err = check("Hello 😀", Style::Regular, "paragraph 2").unwrap_err();
        assert!(err.message.contains("U+1F600"), "{}", err.message);
        assert!(err.message.contains("paragraph 2"), "{}", err.message);
        assert!(check("Қасым-Жомарт Тоқаев", Style::Bold, "subject").is_ok());
        assert!(check("a\u{00AD}b\u{200B}", Style::Regular, "x").is_ok());
    }

    #[test]
    fn subsets_deterministically() {
        let face = Style::Regular.face();
        let chars: BTreeSet<char> = "Әлихан Бөкейхан".chars().collect();
        let (a, b) = (face.make_subset(&chars), face.make_subset(&chars));
        assert_eq!(a.program, b.program);
        assert_eq!(a.name, b.name);
        assert!(a.program.len() < 20_000, "{}", a.program.len());
        assert_eq!(a.name.find('+'), Some(6));
        let other: BTreeSet<char> = "Мамай".chars().collect();
        assert_ne!(face.subset(&other).name, a.name);
        // The same set is made once a run.
        assert!(Arc::ptr_eq(&face.subset(&chars), &face.subset(&chars)));
    }
}
