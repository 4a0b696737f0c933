//! Just enough of the TrueType format (the `sfnt` container) for the two
//! bundled faces: finding a table, reading the character map, and writing a
//! font program that holds only some of the glyphs.
//!
//! A subset keeps the face's glyph ids: glyphs a document does not draw are
//! left empty rather than taken out, so nothing is renumbered, composite
//! glyphs need no rewriting and pages can name glyphs before the document's
//! subset is known. The empty glyphs cost 6 bytes each before compression
//! (a `loca` and an `hmtx` entry, both zero runs that deflate to almost
//! nothing). Everything that does not depend on the glyphs drawn is read
//! once per run ([`Glyphs::read`]), so a subset is a copy of the glyphs'
//! bytes and a few small tables.

use std::collections::BTreeSet;

/// Big-endian integers at a byte offset; the bundled fonts are known to be
/// well formed, so a read past the end is a bug, not bad input.
pub fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

pub fn i16_at(bytes: &[u8], at: usize) -> i16 {
    u16_at(bytes, at) as i16
}

pub fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The table `tag` of the font file `font`.
pub fn table<'f>(font: &'f [u8], tag: &[u8; 4]) -> Option<&'f [u8]> {
    (0..usize::from(u16_at(font, 4))).find_map(|i| {
        let record = 12 + 16 * i;
        if &font[record..record + 4] != tag {
            return None;
        }
        let offset = u32_at(font, record + 8) as usize;
        let length = u32_at(font, record + 12) as usize;
        font.get(offset..offset + length)
    })
}

/// Calls `each(code point, glyph id)` for every mapping of the Unicode
/// character map (Windows, full repertoire: format 12), glyph 0 excepted.
/// `None` when the font has no such map.
pub fn char_map(cmap: &[u8], mut each: impl FnMut(u32, u16)) -> Option<()> {
    let subtable = (0..usize::from(u16_at(cmap, 2))).find_map(|i| {
        let record = 4 + 8 * i;
        let (platform, encoding) = (u16_at(cmap, record), u16_at(cmap, record + 2));
        let offset = u32_at(cmap, record + 4) as usize;
        (platform == 3 && encoding == 10 && u16_at(cmap, offset) == 12).then_some(offset)
    })?;
    let groups = u32_at(cmap, subtable + 12) as usize;
    for group in 0..groups {
        let at = subtable + 16 + 12 * group;
        let (first, last, glyph) = (u32_at(cmap, at), u32_at(cmap, at + 4), u32_at(cmap, at + 8));
        for code in first..=last {
            match u16::try_from(glyph + (code - first)) {
                Ok(0) | Err(_) => {}
                Ok(id) => each(code, id),
            }
        }
    }
    Some(())
}

/// The parts of a face a subset is made from, read once.
pub struct Glyphs {
    /// Where each glyph's outline starts in `glyf`, and one past the last.
    loca: Vec<u32>,
    glyf: &'static [u8],
    hmtx: &'static [u8],
    long_metrics: usize,
    head: &'static [u8],
    hhea: &'static [u8],
    maxp: &'static [u8],
    /// The hinting programs and their control values, kept whole: 1.9 KB.
    cvt: &'static [u8],
    fpgm: &'static [u8],
    prep: &'static [u8],
}

/// A component glyph of a composite glyph: its flags say what follows.
const ARGS_ARE_WORDS: u16 = 0x0001;
const HAS_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const HAS_X_AND_Y_SCALE: u16 = 0x0040;
const HAS_TWO_BY_TWO: u16 = 0x0080;

impl Glyphs {
    /// `None` when a table a subset needs is missing.
    pub fn read(font: &'static [u8]) -> Option<Glyphs> {
        let head = table(font, b"head")?;
        let hhea = table(font, b"hhea")?;
        let maxp = table(font, b"maxp")?;
        let count = usize::from(u16_at(maxp, 4));
        let long_offsets = i16_at(head, 50) == 1;
        let loca = table(font, b"loca")?;
        let loca = (0..=count)
            .map(|i| match long_offsets {
                true => u32_at(loca, 4 * i),
                false => 2 * u32::from(u16_at(loca, 2 * i)),
            })
            .collect();
        Some(Glyphs {
            loca,
            glyf: table(font, b"glyf")?,
            hmtx: table(font, b"hmtx")?,
            long_metrics: usize::from(u16_at(hhea, 34)),
            head,
            hhea,
            maxp,
            cvt: table(font, b"cvt ").unwrap_or_default(),
            fpgm: table(font, b"fpgm").unwrap_or_default(),
            prep: table(font, b"prep").unwrap_or_default(),
        })
    }

    /// Advance width of glyph `id` in font units.
    pub fn advance(&self, id: u16) -> u16 {
        let metric = usize::from(id).min(self.long_metrics - 1);
        u16_at(self.hmtx, 4 * metric)
    }

    /// Left side bearing of glyph `id` in font units.
    fn side_bearing(&self, id: u16) -> [u8; 2] {
        let id = usize::from(id);
        let at = match id < self.long_metrics {
            true => 4 * id + 2,
            false => 4 * self.long_metrics + 2 * (id - self.long_metrics),
        };
        [self.hmtx[at], self.hmtx[at + 1]]
    }

    fn outline(&self, id: u16) -> &'static [u8] {
        let id = usize::from(id);
        match self.loca.get(id..id + 2) {
            Some(&[start, end]) if start <= end => self
                .glyf
                .get(start as usize..end as usize)
                .unwrap_or_default(),
            _ => &[],
        }
    }

    /// `drawn` with .notdef and the glyphs their composite glyphs are made of.
    pub fn closure(&self, drawn: impl IntoIterator<Item = u16>) -> BTreeSet<u16> {
        let mut kept = BTreeSet::from([0]);
        let mut todo: Vec<u16> = drawn.into_iter().collect();
        while let Some(id) = todo.pop() {
            if !kept.insert(id) {
                continue;
            }
            let outline = self.outline(id);
            if outline.len() < 10 || i16_at(outline, 0) >= 0 {
                continue;
            }
            let mut at = 10;
            while at + 4 <= outline.len() {
                let flags = u16_at(outline, at);
                todo.push(u16_at(outline, at + 2));
                at += 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
                at += if flags & HAS_SCALE != 0 {
                    2
                } else if flags & HAS_X_AND_Y_SCALE != 0 {
                    4
                } else if flags & HAS_TWO_BY_TWO != 0 {
                    8
                } else {
                    0
                };
                if flags & MORE_COMPONENTS == 0 {
                    break;
                }
            }
        }
        kept
    }

    /// A TrueType program with the outlines of `kept` (a [`Glyphs::closure`])
    /// under their own ids and every other glyph empty: the tables ISO
    /// 32000-1 (9.9) asks of a font program embedded for a CIDFontType2,
    /// which has no use for `cmap`, `post` or `name`.
    ///
    /// The hinting tables come first, then the outlines, so that the bytes
    /// after the table directory up to the last outline of the glyphs up to
    /// `shared_below` depend on nothing else: [`Program::shared`].
    pub fn program(&self, kept: &BTreeSet<u16>, shared_below: u16) -> Program {
        let count = usize::from(kept.last().copied().unwrap_or(0)) + 1;
        let glyf_len: usize = kept.iter().map(|&id| self.outline(id).len() + 1).sum();
        let short = glyf_len / 2 <= usize::from(u16::MAX);
        let mut glyf = Vec::with_capacity(glyf_len);
        let mut loca = Vec::with_capacity(4 * (count + 1));
        let mut hmtx = vec![0u8; 4 * count];
        let mut next = 0;
        let offset = |loca: &mut Vec<u8>, at: usize| match short {
            // Short offsets count 2-byte words.
            true => loca.extend_from_slice(&((at / 2) as u16).to_be_bytes()),
            false => loca.extend_from_slice(&(at as u32).to_be_bytes()),
        };
        let mut shared_glyf = None;
        for &id in kept {
            if id >= shared_below && shared_glyf.is_none() {
                shared_glyf = Some(glyf.len());
            }
            let id = usize::from(id);
            for _ in next..=id {
                offset(&mut loca, glyf.len());
            }
            next = id + 1;
            glyf.extend_from_slice(self.outline(id as u16));
            if glyf.len() % 2 == 1 {
                glyf.push(0);
            }
            hmtx[4 * id..4 * id + 2].copy_from_slice(&self.advance(id as u16).to_be_bytes());
            hmtx[4 * id + 2..4 * id + 4].copy_from_slice(&self.side_bearing(id as u16));
        }
        offset(&mut loca, glyf.len());
        let shared_glyf = shared_glyf.unwrap_or(glyf.len());
        let count = count as u16;
        let mut head = self.head.to_vec();
        head[8..12].fill(0); // checkSumAdjustment, set below
        head[50..52].copy_from_slice(&i16::from(!short).to_be_bytes());
        let mut hhea = self.hhea.to_vec();
        hhea[34..36].copy_from_slice(&count.to_be_bytes());
        let mut maxp = self.maxp.to_vec();
        maxp[4..6].copy_from_slice(&count.to_be_bytes());

        // In the order they are written; the directory lists them by tag.
        let tables: [(&[u8; 4], &[u8]); 9] = [
            (b"cvt ", self.cvt),
            (b"fpgm", self.fpgm),
            (b"prep", self.prep),
            (b"glyf", &glyf),
            (b"head", &head),
            (b"hhea", &hhea),
            (b"hmtx", &hmtx),
            (b"loca", &loca),
            (b"maxp", &maxp),
        ];
        let directory = 12 + 16 * tables.len();
        let size = directory + tables.iter().map(|(_, t)| t.len() + 3).sum::<usize>();
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        // numTables, searchRange, entrySelector, rangeShift for 9 tables.
        for field in [9u16, 128, 3, 16] {
            out.extend_from_slice(&field.to_be_bytes());
        }
        let mut records: Vec<([u8; 4], u32, u32, u32)> = Vec::with_capacity(tables.len());
        let mut offset = directory;
        for (tag, data) in &tables {
            records.push((**tag, checksum(data), offset as u32, data.len() as u32));
            offset += data.len().next_multiple_of(4);
        }
        records.sort();
        for (tag, checksum, offset, length) in records {
            out.extend_from_slice(&tag);
            for field in [checksum, offset, length] {
                out.extend_from_slice(&field.to_be_bytes());
            }
        }
        let (mut head_at, mut glyf_at) = (0, 0);
        for (tag, data) in &tables {
            match *tag {
                b"head" => head_at = out.len(),
                b"glyf" => glyf_at = out.len(),
                _ => {}
            }
            out.extend_from_slice(data);
            out.resize(out.len().next_multiple_of(4), 0);
        }
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[head_at + 8..head_at + 12].copy_from_slice(&adjustment.to_be_bytes());
        Program {
            bytes: out,
            shared: directory..glyf_at + shared_glyf,
        }
    }
}

/// A font program as [`Glyphs::program`] writes it.
pub struct Program {
    pub bytes: Vec<u8>,
    /// The bytes that are the same in every program whose glyphs below the
    /// `shared_below` it was made with are the same: the hinting tables and
    /// those glyphs' outlines.
    pub shared: std::ops::Range<usize>,
}

/// The sum of the big-endian words of `data`, zero-padded (OpenType's table checksum).
fn checksum(data: &[u8]) -> u32 {
    let words = data.chunks_exact(4);
    let mut last = [0u8; 4];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    let mut sum = u32::from_be_bytes(last);
    for word in words {
        sum = sum.wrapping_add(u32::from_be_bytes([word[0], word[1], word[2], word[3]]));
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGULAR: &[u8] = include_bytes!("../../../fonts/DejaVuSerif.ttf");

    #[test]
    fn a_program_keeps_the_glyphs_asked_for_under_their_ids_and_empties_the_rest() {
        let glyphs = Glyphs::read(REGULAR).unwrap();
        let mut ids = BTreeSet::new();
        char_map(table(REGULAR, b"cmap").unwrap(), |code, id| {
            if code == u32::from('é') || code == u32::from('Ж') {
                ids.insert(id);
            }
        })
        .unwrap();
        let kept = glyphs.closure(ids.iter().copied());
        // é is drawn from e and an acute accent.
        assert!(kept.len() > ids.len() + 1, "{kept:?}");
        let program = glyphs.program(&kept, 100);
        let shared = program.shared.clone();
        let program = program.bytes;
        let program_copy = program.clone();
        assert_eq!(checksum(&program), 0xB1B0_AFBA, "whole-file checksum");
        let count = usize::from(u16_at(table(&program, b"maxp").unwrap(), 4));
        assert_eq!(count, usize::from(*kept.last().unwrap()) + 1);
        let sub = Glyphs::read(Box::leak(program.into_boxed_slice())).unwrap();
        for id in 0..count as u16 {
            match kept.contains(&id) {
                true => {
                    assert_eq!(sub.outline(id), glyphs.outline(id), "glyph {id}");
                    assert_eq!(sub.advance(id), glyphs.advance(id), "glyph {id}");
                    assert_eq!(sub.side_bearing(id), glyphs.side_bearing(id));
                }
                false => assert!(sub.outline(id).is_empty(), "glyph {id} left in"),
            }
        }
        // The bytes up to the last outline below 100 do not depend on the
        // glyphs above it.
        let mut more = kept.clone();
        more.extend([150, 900, 2000]);
        let other = glyphs.program(&more, 100);
        assert_eq!(other.shared, shared);
        assert_eq!(other.bytes[shared.clone()], program_copy[shared.clone()]);
        assert!(shared.len() > 2_000, "{shared:?}");
        let mut fewer = kept.clone();
        fewer.remove(&kept.iter().copied().find(|&id| id > 0 && id < 100).unwrap());
        assert_ne!(glyphs.program(&fewer, 100).shared, shared);
    }
}
