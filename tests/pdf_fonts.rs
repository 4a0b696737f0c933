//! What a PDF embeds of its font, read back from the file: the outlines of
//! the glyphs its pages draw, whatever the scripts of the names in it, and
//! none of the others; the same bytes whatever the number of threads; text
//! that copies out as it went in.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::process::Command;

/// Senders of a member list, in the scripts real ones have: accented Latin,
/// Vietnamese, Azerbaijani, Polish, Cyrillic with the Kazakh letters, Greek.
/// Each row adds a letter of its own to the name, so that nearly every
/// letter needs a glyph set no other letter has.
const NAMES: &[&str] = &[
    "Ann Lee",
    "Nguyễn Văn An",
    "Ərşad Məmmədov",
    "Łukasz Żółkiewski",
    "Жанболат Мамай",
    "Әлия Қасымова",
    "Ayşe Yılmaz",
    "Σοφία Παππά",
    "Đorđe Kovačević",
    "Søren Ødegaard",
];
const EXTRA: &str = "ÀÉÎÕÜÇÑĀĒĪŌŪĄĘĞŞŢŽǺẞЁЇЄҐЎӘҒҚҢӨҰҮҺІΔΘΛΞΠΣΦΨΩ";

fn sender_name(i: usize) -> String {
    let extra: Vec<char> = EXTRA.chars().collect();
    format!("{} {}", NAMES[i % NAMES.len()], extra[i % extra.len()])
}

fn members(n: usize) -> String {
    let mut csv = String::from("name,org,email\n");
    for i in 0..n {
        csv.push_str(&format!(
            "{},Unite Leeds,m{i}@example.org\n",
            sender_name(i)
        ));
    }
    csv
}

/// `protest write mamai --to gb-london --senders CSV --format pdf --out DIR -j JOBS`:
/// the PDFs by file name.
fn write_pdfs(csv: &Path, out: &Path, jobs: &str) -> BTreeMap<String, Vec<u8>> {
    let (code, _, err) = common::run(
        common::protest()
            .args([
                "write",
                "mamai",
                "--to",
                "gb-london",
                "--as-of",
                "2017-05-01",
            ])
            .arg("--senders")
            .arg(csv)
            .args([
                "--format",
                "pdf",
                "-j",
                jobs,
                "--file-name",
                "{{row}}",
                "--out",
            ])
            .arg(out),
    );
    assert_eq!(code, 0, "{err}");
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn pdfs_of_names_in_many_scripts_are_the_same_bytes_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("members.csv");
    // More letters than the subsets a run keeps (64), in every script.
    std::fs::write(&csv, members(150)).unwrap();
    let one = write_pdfs(&csv, &dir.path().join("one"), "1");
    let three = write_pdfs(&csv, &dir.path().join("three"), "3");
    assert_eq!(one.len(), 150);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        three.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(
            *bytes == three[name],
            "{name} differs between -j 1 and -j 3"
        );
    }
}

#[test]
fn each_pdf_embeds_the_glyphs_its_pages_draw_and_no_others() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("members.csv");
    let n = 24;
    std::fs::write(&csv, members(n)).unwrap();
    let pdfs = write_pdfs(&csv, &dir.path().join("out"), "2");
    assert_eq!(pdfs.len(), n);
    let face = |file: &str| Face::read(&std::fs::read(font_file(file)).unwrap());
    let regular = face("DejaVuSerif.ttf");
    let bold = face("DejaVuSerif-Bold.ttf");
    // The regular face also carries the basic Latin letters and digits,
    // so that most letters of a batch share one subset.
    let stable: BTreeSet<u16> = ('A'..='Z')
        .chain('a'..='z')
        .chain('0'..='9')
        .map(|c| regular.glyph_of[&c])
        .collect();
    let mut sizes = Vec::new();
    for i in 0..n {
        let name = format!("{}.pdf", i + 1);
        let pdf = Pdf::new(&pdfs[&name]);
        let drawn = pdf.glyphs_drawn();
        for (resource, font_name, original) in [
            ("FR", "DejaVuSerif", &regular),
            ("FB", "DejaVuSerif-Bold", &bold),
        ] {
            let drawn = drawn.get(resource).cloned().unwrap_or_default();
            let program = pdf.font_program(font_name);
            let embedded = Face::read(&program);
            let kept = embedded.glyphs_with_outlines();
            let mut allowed: BTreeSet<u16> = drawn.clone();
            allowed.insert(0);
            if resource == "FR" {
                allowed.extend(&stable);
            }
            let allowed = original.with_parts(&allowed);
            // With the parts of composite glyphs (a space has no outline,
            // in the font or out of it).
            let needed = original.with_parts(&drawn);
            let missing: Vec<_> = needed
                .difference(&kept)
                .filter(|&&id| !original.outline(id).is_empty())
                .collect();
            assert!(
                missing.is_empty(),
                "{name} {font_name}: drawn, not embedded: {missing:?}"
            );
            let extra: Vec<_> = kept.difference(&allowed).collect();
            assert!(
                extra.is_empty(),
                "{name} {font_name}: embedded, not drawn: {extra:?}"
            );
            // The outlines are the font's own.
            for &id in &kept {
                assert!(
                    embedded.outline(id) == original.outline(id),
                    "{name}: glyph {id}"
                );
            }
            if resource == "FR" {
                sizes.push(program.len());
            }
        }
        // And the text copies out in its own script.
        let text = pdftotext(&dir.path().join("out").join(&name));
        assert!(text.contains(&sender_name(i)), "{name}: {text}");
    }
    // Each letter embeds its own names: they do not all carry the same font.
    sizes.sort();
    sizes.dedup();
    assert!(sizes.len() > n / 2, "{sizes:?}");
}

#[test]
fn a_letter_that_draws_most_of_the_face_embeds_it_all_and_copies_out() {
    // More than 128 KB of outlines: the program's glyph offsets are then
    // written long (indexToLocFormat 1), not short.
    let face = Face::read(&std::fs::read(font_file("DejaVuSerif.ttf")).unwrap());
    let chars: Vec<char> = face
        .glyph_of
        .keys()
        .copied()
        .filter(|&c| ('\u{21}'..'\u{2200}').contains(&c))
        .filter(|c| !('\u{300}'..'\u{370}').contains(c) && !c.is_whitespace())
        .filter(|c| protest::text::is_visible(c.encode_utf8(&mut [0; 4])))
        .filter(|c| protest::text::first_forbidden(c.encode_utf8(&mut [0; 4]), &[]).is_none())
        .collect();
    assert!(chars.len() > 2_000, "{}", chars.len());
    let words: Vec<String> = chars.chunks(20).map(|w| w.iter().collect()).collect();
    let dir = tempfile::tempdir().unwrap();
    let personal = dir.path().join("personal.txt");
    std::fs::write(&personal, words.join(" ")).unwrap();
    let pdf = dir.path().join("all.pdf");
    let (code, _, err) = common::run(
        common::protest()
            .args(["write", "mamai", "--to", "gb-london", "--name", "Ann Lee"])
            .args([
                "--as-of",
                "2017-05-01",
                "--format",
                "pdf",
                "--personal-file",
            ])
            .arg(&personal)
            .arg("-o")
            .arg(&pdf),
    );
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&pdf).unwrap();
    let program = Pdf::new(&bytes).font_program("DejaVuSerif");
    let head = {
        let embedded = &program;
        let at = (0..usize::from(u16_at(embedded, 4)))
            .map(|i| 12 + 16 * i)
            .find(|&record| &embedded[record..record + 4] == b"head")
            .unwrap();
        u32_at(embedded, at + 8) as usize
    };
    assert_eq!(u16_at(&program, head + 50), 1, "long glyph offsets");
    let embedded = Face::read(&program);
    for c in &chars {
        let id = face.glyph_of[c];
        assert!(
            embedded.outline(id) == face.outline(id),
            "{c:?} (glyph {id})"
        );
    }
    let text: String = pdftotext(&pdf).split_whitespace().collect();
    let missing: String = chars.iter().filter(|c| !text.contains(**c)).collect();
    assert!(missing.is_empty(), "not copied out: {missing}");
}

fn font_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fonts")
        .join(name)
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs: install poppler-utils");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Just enough of a PDF written by protest: its objects and streams.
struct Pdf<'a> {
    bytes: &'a [u8],
}

impl<'a> Pdf<'a> {
    fn new(bytes: &'a [u8]) -> Pdf<'a> {
        Pdf { bytes }
    }

    /// The text between `N 0 obj` and `endobj`.
    fn object(&self, number: usize) -> &'a [u8] {
        let head = format!("\n{number} 0 obj\n");
        let start = find(self.bytes, head.as_bytes()).expect("object") + head.len();
        let end = start + find(&self.bytes[start..], b"\nendobj").unwrap();
        &self.bytes[start..end]
    }

    /// The inflated data of stream object `number`.
    fn stream(&self, number: usize) -> Vec<u8> {
        let object = self.object(number);
        let start = find(object, b"stream\n").unwrap() + 7;
        let end = find(object, b"\nendstream").unwrap();
        let mut data = Vec::new();
        flate2::read::ZlibDecoder::new(&object[start..end])
            .read_to_end(&mut data)
            .unwrap();
        data
    }

    /// The numbers of the objects `key N 0 R` names, in order.
    fn references(text: &[u8], key: &str) -> Vec<usize> {
        let text = String::from_utf8_lossy(text);
        text.split(key)
            .skip(1)
            .map(|rest| rest.split_whitespace().next().unwrap().parse().unwrap())
            .collect()
    }

    /// The program of the embedded face whose name ends `+name`.
    fn font_program(&self, name: &str) -> Vec<u8> {
        let wanted = format!("+{name} ");
        let text = String::from_utf8_lossy(self.bytes);
        let at = text
            .match_indices("/Type /FontDescriptor")
            .map(|(at, _)| at)
            .find(|&at| text[at..].split("endobj").next().unwrap().contains(&wanted))
            .unwrap_or_else(|| panic!("no descriptor for {name}"));
        let descriptor = text[at..].split("endobj").next().unwrap();
        let program = Self::references(descriptor.as_bytes(), "/FontFile2 ")[0];
        self.stream(program)
    }

    /// The glyph ids each page's text shows, by font resource (`FR`, `FB`).
    fn glyphs_drawn(&self) -> BTreeMap<String, BTreeSet<u16>> {
        let mut drawn: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
        for contents in Self::references(self.bytes, "/Contents ") {
            let content = self.stream(contents);
            let mut font = String::new();
            let mut at = 0;
            while at < content.len() {
                match content[at] {
                    b'/' => {
                        let end = at + content[at..].iter().position(|&b| b == b' ').unwrap();
                        font = String::from_utf8_lossy(&content[at + 1..end]).into_owned();
                        at = end;
                    }
                    b'(' => {
                        // A literal string of two-byte glyph ids (ISO 32000-1, 7.3.4.2).
                        let mut bytes = Vec::new();
                        at += 1;
                        while content[at] != b')' {
                            let byte = match content[at] {
                                b'\\' => {
                                    at += 1;
                                    match content[at] {
                                        b'r' => b'\r',
                                        b'n' => b'\n',
                                        other => other,
                                    }
                                }
                                other => other,
                            };
                            bytes.push(byte);
                            at += 1;
                        }
                        let ids = bytes.chunks(2).map(|p| u16::from_be_bytes([p[0], p[1]]));
                        drawn.entry(font.clone()).or_default().extend(ids);
                    }
                    _ => {}
                }
                at += 1;
            }
        }
        drawn
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Just enough of a TrueType font: its glyph outlines and character map.
struct Face {
    outlines: Vec<Vec<u8>>,
    glyph_of: BTreeMap<char, u16>,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl Face {
    fn read(font: &[u8]) -> Face {
        let table = |tag: &[u8]| -> Option<&[u8]> {
            (0..usize::from(u16_at(font, 4))).find_map(|i| {
                let record = 12 + 16 * i;
                (&font[record..record + 4] == tag).then(|| {
                    let offset = u32_at(font, record + 8) as usize;
                    &font[offset..offset + u32_at(font, record + 12) as usize]
                })
            })
        };
        let count = usize::from(u16_at(table(b"maxp").unwrap(), 4));
        let long = u16_at(table(b"head").unwrap(), 50) == 1;
        let (loca, glyf) = (table(b"loca").unwrap(), table(b"glyf").unwrap());
        let offset = |i: usize| match long {
            true => u32_at(loca, 4 * i) as usize,
            false => 2 * usize::from(u16_at(loca, 2 * i)),
        };
        let outlines = (0..count)
            .map(|i| glyf[offset(i)..offset(i + 1)].to_vec())
            .collect();
        // Format 12 of the Windows full-repertoire map, where there is one.
        let mut glyph_of = BTreeMap::new();
        if let Some(cmap) = table(b"cmap") {
            for i in 0..usize::from(u16_at(cmap, 2)) {
                let record = 4 + 8 * i;
                let sub = u32_at(cmap, record + 4) as usize;
                if u16_at(cmap, record) != 3 || u16_at(cmap, record + 2) != 10 {
                    continue;
                }
                for group in 0..u32_at(cmap, sub + 12) as usize {
                    let at = sub + 16 + 12 * group;
                    for code in u32_at(cmap, at)..=u32_at(cmap, at + 4) {
                        let id = u32_at(cmap, at + 8) + code - u32_at(cmap, at);
                        if let Some(c) = char::from_u32(code) {
                            glyph_of.insert(c, id as u16);
                        }
                    }
                }
            }
        }
        Face { outlines, glyph_of }
    }

    fn outline(&self, id: u16) -> &[u8] {
        &self.outlines[usize::from(id)]
    }

    fn glyphs_with_outlines(&self) -> BTreeSet<u16> {
        (0..self.outlines.len() as u16)
            .filter(|&id| !self.outline(id).is_empty())
            .collect()
    }

    /// `ids` and the glyphs the composite ones among them are made of.
    fn with_parts(&self, ids: &BTreeSet<u16>) -> BTreeSet<u16> {
        let mut all = BTreeSet::new();
        let mut todo: Vec<u16> = ids.iter().copied().collect();
        while let Some(id) = todo.pop() {
            let outline = self.outline(id);
            if !all.insert(id) || outline.len() < 10 || (u16_at(outline, 0) as i16) >= 0 {
                continue;
            }
            let mut at = 10;
            loop {
                let flags = u16_at(outline, at);
                todo.push(u16_at(outline, at + 2));
                at += 4 + if flags & 1 != 0 { 4 } else { 2 };
                at += match flags {
                    f if f & 0x08 != 0 => 2,
                    f if f & 0x40 != 0 => 4,
                    f if f & 0x80 != 0 => 8,
                    _ => 0,
                };
                if flags & 0x20 == 0 {
                    break;
                }
            }
        }
        all
    }
}
