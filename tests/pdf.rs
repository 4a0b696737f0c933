//! The PDF renderer, checked from the outside with poppler (`pdftotext`,
//! `pdfinfo`, `pdffonts`) and `qpdf`. CI installs them (`apt-get install
//! poppler-utils qpdf`); without them these tests fail and say so.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use protest::compose::{Block, Letter, RecipientBlock, SenderBlock};
use protest::date::Date;
use protest::render::pdf::{check, layout_letter, page_label, render_pdf, Paper, PdfOptions};

const MM: f32 = 72.0 / 25.4;
const INCH: f32 = 72.0;

fn letter(country: &str) -> Letter {
    let us = country == "US";
    let language = if us { "en-US" } else { "en-GB" };
    let date = Date::parse("2016-05-26").unwrap();
    Letter {
        template_id: "mamai".into(),
        language: language.into(),
        sender: SenderBlock {
            name: "Әлихан Бөкейхан".into(),
            lines: vec![
                "Campaign Kazakhstan".into(),
                "1 High Street".into(),
                "Leeds LS1 1AA".into(),
                "United Kingdom".into(),
            ],
            email: Some("alikhan@example.org".into()),
            phone: Some("+44 113 496 0000".into()),
            return_line: "A. Bokeikhan, 1 High St, Leeds LS1 1AA, UK".into(),
        },
        date,
        date_text: date.format(language),
        place: Some("Leeds".into()),
        recipient: if us {
            RecipientBlock {
                mission_id: "us-washington".into(),
                country: "US".into(),
                lines: vec![
                    "His Excellency Yerzhan Ashikbayev".into(),
                    "Embassy of the Republic of Kazakhstan".into(),
                    "1401 16th Street NW".into(),
                    "Washington, DC 20036".into(),
                ],
                email: None,
                email_name: None,
                address_missing: false,
            }
        } else {
            RecipientBlock {
                mission_id: "gb-london".into(),
                country: country.into(),
                lines: vec![
                    "Қасым-Жомарт Тоқаев".into(),
                    "Embassy of the Republic of Kazakhstan".into(),
                    "125 Pall Mall".into(),
                    "London SW1Y 5EA".into(),
                ],
                email: None,
                email_name: None,
                address_missing: false,
            }
        },
        subject: "Release the journalist Жанболат Мамай".into(),
        salutation: "Your Excellency,".into(),
        body: vec![
            Block::Paragraph(
                "I write to ask for the release of the journalist Жанболат Мамай, editor of \
                 the newspaper Sayasi Kalam: Tribuna, who was arrested in Almaty in February \
                 2017 and charged with laundering money."
                    .into(),
            ),
            Block::Paragraph(
                "His arrest followed years of pressure on independent newspapers, and the \
                 charges against him are widely seen as a way to silence one of the few \
                 remaining critical voices in the Kazakh press."
                    .into(),
            ),
            Block::List(vec![
                "Release Жанболат Мамай now and drop all charges against him".into(),
                "Allow independent newspapers to publish without harassment".into(),
            ]),
            Block::Paragraph(
                "I would be grateful if you would forward this letter to the authorities \
                 concerned and let me know their response."
                    .into(),
            ),
        ],
        closing: "Yours faithfully,".into(),
        signature: vec!["Әлихан Бөкейхан".into(), "Campaign Kazakhstan".into()],
        cc: vec!["Campaign Kazakhstan <info@example.org>".into()],
    }
}

fn with_paragraphs(mut l: Letter, n: usize) -> Letter {
    for i in 0..n {
        l.body.insert(
            l.body.len() - 1,
            Block::Paragraph(format!(
                "Filler paragraph {}. Detaining people in advance so that they cannot attend a \
                 demonstration treats the intention to protest as a crime. It breaches the \
                 freedom of assembly that every citizen is entitled to, and it does nothing to \
                 answer the concerns that brought people out in the first place.",
                i + 1
            )),
        );
    }
    l
}

fn opts() -> PdfOptions {
    PdfOptions {
        paper: None,
        fold_marks: true,
        duplex: false,
    }
}

/// Runs a poppler / qpdf tool, failing loudly when it is not installed.
fn run(tool: &str, args: &[&str], file: &Path) -> String {
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(file);
    if tool == "pdftotext" {
        cmd.arg("-"); // to standard output
    }
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): install poppler-utils and qpdf (apt-get install poppler-utils qpdf)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn text_of(file: &Path, page: Option<usize>) -> String {
    match page {
        Some(p) => {
            let p = p.to_string();
            run("pdftotext", &["-layout", "-f", &p, "-l", &p], file).replace('\u{c}', "")
        }
        None => run("pdftotext", &["-layout"], file),
    }
}

/// `letters` rendered as one PDF with `o`, written to DIR/name.
fn render_to(dir: &tempfile::TempDir, name: &str, letters: &[Letter], o: &PdfOptions) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, render_pdf(letters, o).unwrap()).unwrap();
    path
}

/// Words of page `page` with their boxes (points from the top-left corner).
fn words(file: &Path, page: usize) -> Vec<(String, [f32; 4])> {
    let p = page.to_string();
    let html = run("pdftotext", &["-bbox", "-f", &p, "-l", &p], file);
    let attr = |s: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        let at = s.find(&key).unwrap() + key.len();
        s[at..].split('"').next().unwrap().parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (head, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap().to_string();
            let b = [
                attr(head, "xMin"),
                attr(head, "yMin"),
                attr(head, "xMax"),
                attr(head, "yMax"),
            ];
            (
                text.replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
                b,
            )
        })
        .collect()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn cyrillic_and_kazakh_names_round_trip_through_pdftotext() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_to(&dir, "a.pdf", &[letter("GB")], &opts());
    let text = text_of(&pdf, None);
    for name in ["Жанболат Мамай", "Қасым-Жомарт Тоқаев", "Әлихан Бөкейхан"]
    {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    let flat = squash(&text);
    assert!(
        flat.contains("Release the journalist Жанболат Мамай"),
        "{flat}"
    );
    assert!(flat.contains("Leeds, 26 May 2016"), "{flat}");
    assert!(
        flat.contains("cc: Campaign Kazakhstan <info@example.org>"),
        "{flat}"
    );
}

#[test]
fn every_printable_ascii_and_kazakh_character_round_trips() {
    // Glyph ids are written as bytes in literal strings, where ( ) \ and CR
    // need escaping: every character of the scripts letters are written in
    // comes back out of pdftotext.
    let ascii: String = (b'!'..=b'~').map(char::from).collect();
    let kazakh =
        "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯаәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";
    let chars: Vec<char> = ascii.chars().chain(kazakh.chars()).collect();
    let words: Vec<String> = chars.chunks(12).map(|c| c.iter().collect()).collect();
    let mut l = letter("GB");
    l.body = vec![Block::List(words.clone())];
    l.subject = words.join(" ");
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_to(&dir, "all.pdf", &[l], &opts());
    let text = squash(&text_of(&pdf, None));
    for word in &words {
        assert!(
            text.contains(word.as_str()),
            "{word:?} missing from:\n{text}"
        );
    }
}

#[test]
fn the_glyphs_drawn_do_not_depend_on_the_rest_of_the_document() {
    // Pages are written before the font subset is known, so they draw the
    // full face's glyph ids, which the subset maps to its own. A letter alone
    // and the same letter before one with many more characters (a larger
    // subset, numbered differently) must look exactly the same.
    let mut many = letter("GB");
    many.body = vec![Block::Paragraph(
        "ÄÖÜ äöü ÆØÅ æøå Ωμέγα αβγ — АӘБВГҒДЕЁЖЗ ₸ € № «»".into(),
    )];
    let dir = tempfile::tempdir().unwrap();
    let alone = render_to(&dir, "alone.pdf", &[letter("GB")], &opts());
    let first = render_to(&dir, "first.pdf", &[letter("GB"), many], &opts());
    let picture = |pdf: &Path| -> Vec<u8> {
        let out = Command::new("pdftoppm")
            .args(["-r", "40", "-gray", "-f", "1", "-l", "1"])
            .arg(pdf)
            .output()
            .expect("pdftoppm runs: install poppler-utils");
        assert!(out.status.success());
        out.stdout
    };
    let (a, b) = (picture(&alone), picture(&first));
    assert!(a.iter().skip(20).any(|&grey| grey < 128), "page 1 is blank");
    assert!(a == b, "page 1 looks different beside another letter");
}

#[test]
fn metadata_and_paper_follow_the_letter() {
    let dir = tempfile::tempdir().unwrap();
    let gb = render_to(&dir, "gb.pdf", &[letter("GB")], &opts());
    let info = run("pdfinfo", &[], &gb);
    assert!(
        info.contains("Page size:       595.276 x 841.89 pts (A4)"),
        "{info}"
    );
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(
        info.contains("Title:           Release the journalist Жанболат Мамай"),
        "{info}"
    );
    assert!(info.contains("Author:          Әлихан Бөкейхан"), "{info}");
    assert!(
        info.contains("CreationDate:    Thu May 26 00:00:00 2016 UTC"),
        "{info}"
    );

    let us = render_to(&dir, "us.pdf", &[letter("US")], &opts());
    let info = run("pdfinfo", &[], &us);
    assert!(
        info.contains("Page size:       612 x 792 pts (letter)"),
        "{info}"
    );

    // An explicit paper wins over the country.
    let o = PdfOptions {
        paper: Some(Paper::Letter),
        ..opts()
    };
    let forced = render_to(&dir, "forced.pdf", &[letter("GB")], &o);
    assert!(run("pdfinfo", &[], &forced).contains("612 x 792 pts"));
}

fn assert_inside(words: &[(String, [f32; 4])], wanted: &[&str], window: [f32; 4], what: &str) {
    for w in wanted {
        let (_, b) = words
            .iter()
            .find(|(t, _)| t == w)
            .unwrap_or_else(|| panic!("word {w} not on page 1: {words:?}"));
        assert!(
            b[0] >= window[0] && b[2] <= window[2] && b[1] >= window[1] && b[3] <= window[3],
            "{what}: `{w}` at {b:?} is outside the window {window:?}"
        );
    }
}

#[test]
fn recipient_sits_in_the_din_5008_window() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_to(&dir, "gb.pdf", &[letter("GB")], &opts());
    let words = words(&pdf, 1);
    // DIN 5008 form B address field: 20 mm from the left, 45 mm from the top, 85 x 45 mm.
    let field = [20.0 * MM, 45.0 * MM, 105.0 * MM, 90.0 * MM];
    let address = [
        "Қасым-Жомарт",
        "Тоқаев",
        "Embassy",
        "Pall",
        "Mall",
        "SW1Y",
        "5EA",
    ];
    assert_inside(&words, &address, field, "recipient");
    // The return line is at the top of the field, above the recipient.
    assert_inside(&words, &["Bokeikhan,", "St,"], field, "return line");
    let y = |w: &str| words.iter().find(|(t, _)| t == w).unwrap().1[1];
    assert!(y("Bokeikhan,") < y("Тоқаев"));
    // The address zone (lower 27.3 mm) holds the recipient.
    assert!(y("Тоқаев") >= 62.7 * MM - 1.0, "{}", y("Тоқаев") / MM);
}

#[test]
fn recipient_sits_in_the_no_10_window() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_to(&dir, "us.pdf", &[letter("US")], &opts());
    let words = words(&pdf, 1);
    // A No. 10 window (4 1/2 x 1 1/8 in, 7/8 in from the left, 1/2 in from the
    // bottom of a 4 1/8 in envelope) over a sheet folded in thirds (3 2/3 in)
    // resting at the bottom of the envelope.
    let top = 11.0 / 3.0 - 1.625;
    let window = [
        0.875 * INCH,
        top * INCH,
        (0.875 + 4.5) * INCH,
        (top + 1.125) * INCH,
    ];
    let address = [
        "Ashikbayev",
        "Embassy",
        "1401",
        "NW",
        "Washington,",
        "20036",
    ];
    assert_inside(&words, &address, window, "recipient");
}

#[test]
fn text_stays_inside_the_margins() {
    let dir = tempfile::tempdir().unwrap();
    for country in ["GB", "US"] {
        let l = with_paragraphs(letter(country), 12);
        let pdf = render_to(&dir, "long.pdf", &[l], &opts());
        let pages: usize = run("pdfinfo", &[], &pdf)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let (w, h) = Paper::for_country(country).size_pt();
        let (right, bottom) = if country == "US" {
            (w - 1.0 * INCH, h - 0.75 * INCH)
        } else {
            (w - 20.0 * MM, h - 20.0 * MM)
        };
        assert!(pages >= 2);
        for p in 1..=pages {
            for (t, b) in words(&pdf, p) {
                assert!(
                    b[2] <= right + 0.5,
                    "{country} p{p}: `{t}` ends at {} > {right}",
                    b[2]
                );
                assert!(b[3] <= h - 8.0 * MM, "{country} p{p}: `{t}` too low");
                if b[3] > bottom {
                    // Only the page number goes below the text area.
                    assert!(
                        ["Page", "of"].contains(&t.as_str()) || t.parse::<usize>().is_ok(),
                        "{country} p{p}: `{t}` below the text area"
                    );
                }
            }
        }
    }
}

#[test]
fn long_letter_flows_onto_numbered_pages() {
    // The smallest letter that takes three pages.
    let (n, l) = (1..200)
        .map(|n| (n, with_paragraphs(letter("GB"), n)))
        .find(|(_, l)| layout_letter(l, &opts()).unwrap().len() == 3)
        .expect("some length takes three pages");
    assert!(n > 5);
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_to(&dir, "long.pdf", std::slice::from_ref(&l), &opts());
    assert!(run("pdfinfo", &[], &pdf).contains("Pages:           3"));
    for page in 1..=3 {
        let text = text_of(&pdf, Some(page));
        assert!(
            text.contains(&format!("Page {page} of 3")),
            "page {page}:\n{text}"
        );
    }
    // The letter ends on the last page, with its signature.
    let last = text_of(&pdf, Some(3));
    assert!(
        last.contains("Yours faithfully,") && last.contains("Әлихан Бөкейхан"),
        "{last}"
    );
    assert_eq!(page_label("en-GB", 2, 3), "Page 2 of 3");
}

#[test]
fn closing_never_opens_a_page_alone() {
    let o = opts();
    let mut checked_breaks = 0;
    for n in 0..40 {
        let l = with_paragraphs(letter("GB"), n);
        let pages = layout_letter(&l, &o).unwrap();
        let (p, closing) = pages
            .iter()
            .enumerate()
            .find_map(|(i, page)| {
                page.texts
                    .iter()
                    .find(|t| t.text == l.closing)
                    .map(|t| (i, t))
            })
            .expect("the closing is on some page");
        let page = &pages[p];
        // The signature is on the same page.
        for s in &l.signature {
            assert!(
                page.texts.iter().any(|t| &t.text == s),
                "n={n}: signature `{s}` not with closing"
            );
        }
        if p > 0 {
            checked_breaks += 1;
            // At least two lines of the letter's body come before it on its page.
            let body_x = closing.x;
            let above = page
                .texts
                .iter()
                .filter(|t| t.y < closing.y && t.x >= body_x)
                .count();
            assert!(
                above >= 2,
                "n={n}: closing has {above} lines above it on page {}",
                p + 1
            );
        }
    }
    assert!(
        checked_breaks > 0,
        "no length put the closing on a later page"
    );
}

#[test]
fn duplex_starts_each_letter_on_an_odd_page() {
    let mut a = letter("GB");
    a.subject = "Letter Alpha".into();
    let mut b = with_paragraphs(letter("GB"), 8);
    b.subject = "Letter Bravo".into();
    let mut c = letter("GB");
    c.subject = "Letter Charlie".into();
    let pa = layout_letter(&a, &opts()).unwrap().len();
    let pb = layout_letter(&b, &opts()).unwrap().len();
    assert_eq!((pa, pb), (1, 2), "test letters should take 1 and 2 pages");

    let dir = tempfile::tempdir().unwrap();
    let duplex = PdfOptions {
        duplex: true,
        ..opts()
    };
    let pdf = render_to(&dir, "all.pdf", &[a.clone(), b.clone(), c.clone()], &duplex);
    // Alpha: 1 (+ blank 2); Bravo: 3-4; Charlie: 5.
    assert!(run("pdfinfo", &[], &pdf).contains("Pages:           5"));
    assert!(text_of(&pdf, Some(1)).contains("Letter Alpha"));
    assert!(
        text_of(&pdf, Some(2)).trim().is_empty(),
        "page 2 should be blank"
    );
    assert!(text_of(&pdf, Some(3)).contains("Letter Bravo"));
    assert!(text_of(&pdf, Some(4)).contains("Page 2 of 2"));
    assert!(text_of(&pdf, Some(5)).contains("Letter Charlie"));
    assert!(run("qpdf", &["--check"], &pdf).contains("No syntax or stream encoding errors"));

    // Without duplex, letters just follow each other.
    let plain = render_to(&dir, "plain.pdf", &[a, b, c], &opts());
    assert!(run("pdfinfo", &[], &plain).contains("Pages:           4"));
    assert!(text_of(&plain, Some(2)).contains("Letter Bravo"));
}

#[test]
fn passes_qpdf_and_embeds_a_subset_font() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_to(&dir, "a.pdf", &[letter("GB")], &opts());
    assert!(run("qpdf", &["--check"], &pdf).contains("No syntax or stream encoding errors"));
    let fonts = run("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "a regular and a bold face:\n{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type type encoding emb sub uni object ID
        assert!(
            cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
            "subset tag: {row}"
        );
        assert!(cols[0].contains("DejaVuSerif"), "{row}");
        assert_eq!(&cols[4..7], &["yes", "yes", "yes"], "emb sub uni: {row}");
    }
}

#[test]
fn a_character_outside_the_font_is_an_error_naming_it() {
    let mut l = letter("GB");
    l.body[1] = Block::Paragraph("We are watching 😀 closely.".into());
    let err = render_pdf(&[l], &opts()).unwrap_err();
    assert!(err.message.contains("U+1F600"), "{}", err.message);
    assert!(err.message.contains("paragraph 2"), "{}", err.message);
    assert_eq!(err.kind.exit_code(), 65);

    let mut l = letter("GB");
    l.recipient.lines[2] = "北京 Chaoyang".into();
    let err = render_pdf(&[l.clone()], &opts()).unwrap_err();
    assert!(err.message.contains("U+5317 '北'"), "{}", err.message);
    assert!(err.message.contains("recipient line 3"), "{}", err.message);

    // In a combined run the message says which letter.
    let err = render_pdf(&[letter("GB"), l], &opts()).unwrap_err();
    assert!(
        err.message.contains("letter 2 (to gb-london)"),
        "{}",
        err.message
    );
}

#[test]
fn the_check_before_a_batch_refuses_exactly_what_laying_out_refuses() {
    // A batch checks every letter with `check` before it writes the first,
    // and lays each out only when it writes it.
    let mut cases: Vec<(&str, Letter, bool)> = vec![
        ("the letter", letter("GB"), true),
        ("a US letter", letter("US"), true),
        ("a long letter", with_paragraphs(letter("GB"), 40), true),
    ];
    let mut l = letter("GB");
    l.sender.lines = (1..=80).map(|i| format!("Line {i}")).collect();
    cases.push(("80 sender lines", l, false));
    let mut l = letter("GB");
    l.sender.lines = vec!["a".into(), "word ".repeat(2_000)];
    cases.push(("a sender line of 2,000 words", l, false));
    let mut l = letter("GB");
    l.place = Some("Town ".repeat(5_000));
    cases.push(("a place of 5,000 words", l, false));
    let mut l = letter("GB");
    l.recipient.lines = (1..=40).map(|i| format!("Recipient line {i}")).collect();
    cases.push(("40 recipient lines", l, false));
    let mut l = letter("GB");
    l.recipient.lines[1] =
        "Embassy of the Republic of Kazakhstan to the Court of St James's".into();
    cases.push(("a long recipient line", l, true));
    let mut l = letter("GB");
    l.recipient.lines[1] = "Embassy ".repeat(400);
    cases.push(("a recipient line of 400 words", l, false));
    let mut l = letter("GB");
    l.subject = "Release 😀".into();
    cases.push(("an emoji in the subject", l, false));
    let mut l = letter("GB");
    l.cc = vec!["北京".into()];
    cases.push(("CJK in a copy line", l, false));
    for (what, l, fits) in &cases {
        for paper in [None, Some(Paper::A4), Some(Paper::Letter)] {
            let o = PdfOptions { paper, ..opts() };
            let checked = check(l, &o).map_err(|e| e.message);
            let laid_out = layout_letter(l, &o).map(drop).map_err(|e| e.message);
            assert_eq!(checked, laid_out, "{what} on {paper:?}");
            assert_eq!(checked.is_ok(), *fits, "{what} on {paper:?}: {checked:?}");
        }
    }
}

#[test]
fn same_input_gives_identical_bytes() {
    let a = render_pdf(&[letter("GB"), letter("US")], &opts()).unwrap();
    let b = render_pdf(&[letter("GB"), letter("US")], &opts()).unwrap();
    assert!(a == b, "two renders differ");
    let one = render_pdf(&[letter("GB")], &opts()).unwrap();
    assert_eq!(one, render_pdf(&[letter("GB")], &opts()).unwrap());
    // Different letters get different file identifiers.
    let id = |pdf: &[u8]| {
        let s = String::from_utf8_lossy(pdf);
        s[s.rfind("/ID").unwrap()..]
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(id(&a), id(&one));
}

#[test]
fn a_one_page_letter_is_small() {
    let en = render_pdf(&[letter("GB")], &opts()).unwrap();
    assert!(en.len() < 30_000, "{} bytes", en.len());

    // A letter in Russian uses Cyrillic and Latin (addresses, email) alike.
    let mut ru = letter("GB");
    ru.language = "ru".into();
    ru.subject = "Об освобождении журналиста Жанболата Мамая".into();
    ru.salutation = "Уважаемый господин Посол!".into();
    ru.body = vec![
        Block::Paragraph(
            "Обращаюсь к Вам с просьбой об освобождении журналиста Жанболата Мамая, главного \
             редактора газеты «Саяси калам: Трибуна», арестованного в Алматы в феврале 2017 года \
             по обвинению в отмывании денег. Его арест последовал за годами давления на \
             независимые газеты — 25,7 млн ₸ штрафов, обыски, запреты."
                .into(),
        ),
        Block::List(vec![
            "Освободить Жанболата Мамая и снять с него все обвинения".into(),
            "Прекратить преследование независимых журналистов в Казахстане".into(),
        ]),
        Block::Paragraph(
            "Прошу сообщить мне об ответе Вашего правительства. Qazaqstan, Ýlken, ÄÖÜ.".into(),
        ),
    ];
    ru.closing = "С уважением,".into();
    let pages = layout_letter(&ru, &opts()).unwrap();
    assert_eq!(pages.len(), 1);
    let ru = render_pdf(&[ru], &opts()).unwrap();
    assert!(ru.len() < 30_000, "{} bytes", ru.len());
}

#[test]
fn fold_marks_are_optional() {
    let l = letter("GB");
    let with = layout_letter(&l, &opts()).unwrap();
    let ys: Vec<f32> = with[0]
        .rules
        .iter()
        .filter(|r| r.x1 < 15.0 * MM)
        .map(|r| r.y1 / MM)
        .collect();
    for want in [105.0, 210.0, 148.5] {
        assert!(
            ys.iter().any(|y| (y - want).abs() < 0.01),
            "no mark at {want} mm: {ys:?}"
        );
    }
    let without = layout_letter(
        &l,
        &PdfOptions {
            fold_marks: false,
            ..opts()
        },
    )
    .unwrap();
    assert!(without[0].rules.iter().all(|r| r.x1 >= 15.0 * MM));

    let us = layout_letter(&letter("US"), &opts()).unwrap();
    let ys: Vec<f32> = us[0]
        .rules
        .iter()
        .filter(|r| r.x1 < 15.0 * MM)
        .map(|r| r.y1 / INCH)
        .collect();
    assert!(ys.iter().any(|y| (y - 11.0 / 3.0).abs() < 0.001), "{ys:?}");
    assert!(ys.iter().any(|y| (y - 22.0 / 3.0).abs() < 0.001), "{ys:?}");
}

/// A branch of `n` members as a senders CSV; every third writes a personal
/// paragraph long enough to take the letter onto a second page.
fn branch(n: usize) -> String {
    let long = "We have campaigned for press freedom for many years and are following \
                this case closely together with every member of our branch. "
        .repeat(22);
    let mut csv = String::from("name,org,email,personal\n");
    for i in 0..n {
        let name = match i % 2 {
            0 => format!("Member {i:03}"),
            _ => format!("Әлия Қасымова {i:03}"),
        };
        let personal = if i % 3 == 2 { long.as_str() } else { "" };
        csv.push_str(&format!("{name},Unite Leeds,m{i}@example.org,{personal}\n"));
    }
    csv
}

fn sender_name(i: usize) -> String {
    match i % 2 {
        0 => format!("Member {i:03}"),
        _ => format!("Әлия Қасымова {i:03}"),
    }
}

/// `protest write mamai --to gb-london --senders CSV ARGS…`, which must succeed.
fn write_batch(csv: &Path, args: &[&str]) {
    let mut cmd = common::protest();
    cmd.args([
        "write",
        "mamai",
        "--to",
        "gb-london",
        "--as-of",
        "2017-05-01",
    ])
    .arg("--senders")
    .arg(csv)
    .args(args);
    let (code, _, err) = common::run(&mut cmd);
    assert_eq!(code, 0, "{args:?}: {err}");
}

/// The text of each page of `pdf`, from pdftotext (pages end with a form feed).
fn pages_of(pdf: &Path) -> Vec<String> {
    let text = run("pdftotext", &["-layout"], pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(squash).collect();
    assert_eq!(pages.pop().as_deref(), Some(""), "text after the last page");
    pages
}

#[test]
fn a_combined_pdf_holds_every_letter_in_order_on_its_own_pages() {
    let dir = tempfile::tempdir().unwrap();
    let n = 25;
    let csv = dir.path().join("branch.csv");
    std::fs::write(&csv, branch(n)).unwrap();
    for duplex in [false, true] {
        let pdf = dir.path().join(format!("all-{duplex}.pdf"));
        let mut args = vec!["--combine", pdf.to_str().unwrap()];
        if duplex {
            args.push("--duplex");
        }
        write_batch(&csv, &args);
        assert!(run("qpdf", &["--check"], &pdf).contains("No syntax or stream encoding errors"));
        let pages = pages_of(&pdf);
        let info = run("pdfinfo", &[], &pdf);
        assert!(
            info.contains(&format!("Pages:           {}\n", pages.len())),
            "{info}"
        );
        // Each letter opens with its sender's block and ends "Page k of k"
        // (one-page letters have no page numbers).
        let mut at = 0;
        for i in 0..n {
            let name = sender_name(i);
            assert!(
                pages[at].starts_with(&name),
                "duplex {duplex}: letter {} should open page {}: {}",
                i + 1,
                at + 1,
                pages[at]
            );
            if duplex {
                assert_eq!(at % 2, 0, "letter {} opens an even page", i + 1);
            }
            let length = if i % 3 == 2 { 2 } else { 1 };
            if length == 2 {
                assert!(pages[at + 1].contains("Page 2 of 2"), "{}", pages[at + 1]);
                assert!(pages[at + 1].contains(&name), "{}", pages[at + 1]);
            }
            at += length;
            if duplex && length % 2 == 1 && i + 1 < n {
                assert_eq!(pages[at], "", "page {} should be blank", at + 1);
                at += 1;
            }
        }
        assert_eq!(
            at,
            pages.len(),
            "duplex {duplex}: pages after the last letter"
        );
    }
}

#[test]
fn a_combined_pdf_is_every_letter_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("branch.csv");
    let mut rows = branch(6);
    rows.push_str("Bad 😀 Name,Unite Leeds,bad@example.org,\n");
    rows.push_str(&branch(3).replacen("name,org,email,personal\n", "", 1));
    std::fs::write(&csv, rows).unwrap();
    let pdf = dir.path().join("all.pdf");
    let combine = |extra: &[&str]| {
        let mut cmd = common::protest();
        cmd.args([
            "write",
            "mamai",
            "--to",
            "gb-london",
            "--as-of",
            "2017-05-01",
        ])
        .arg("--senders")
        .arg(&csv)
        .arg("--combine")
        .arg(&pdf)
        .args(extra);
        common::run(&mut cmd)
    };

    let (code, _, err) = combine(&[]);
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains("branch.csv:8: row 7: sender name: character U+1F600"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        ["branch.csv"],
        "a failed run leaves no file, not even a temporary one"
    );

    // With --keep-going the bad row is left out and the others all printed.
    let (code, _, err) = combine(&["--keep-going"]);
    assert_eq!(code, 1, "{err}");
    let pages = pages_of(&pdf);
    assert_eq!(
        pages.len(),
        6 + 2 + 3 + 1,
        "9 letters, two of them two pages long"
    );
    assert!(pages.iter().all(|page| !page.contains("Bad")));
    assert!(run("qpdf", &["--check"], &pdf).contains("No syntax or stream encoding errors"));
}

#[test]
fn pdfs_are_the_same_bytes_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("branch.csv");
    std::fs::write(&csv, branch(120)).unwrap();
    let run_with = |jobs: &str| {
        let combined = dir.path().join(format!("all-{jobs}.pdf"));
        let separate = dir.path().join(format!("out-{jobs}"));
        let path = |p: &Path| p.to_str().unwrap().to_string();
        write_batch(
            &csv,
            &["-j", jobs, "--combine", &path(&combined), "--duplex"],
        );
        write_batch(
            &csv,
            &["-j", jobs, "--format", "pdf", "--out", &path(&separate)],
        );
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&separate)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                (
                    e.file_name().into_string().unwrap(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        (std::fs::read(&combined).unwrap(), files)
    };
    let (combined_1, separate_1) = run_with("1");
    let (combined_2, separate_2) = run_with("2");
    assert!(
        combined_1 == combined_2,
        "the combined PDF differs between -j 1 and -j 2"
    );
    assert_eq!(separate_1.len(), 121, "120 letters and a manifest");
    for ((name, one), (_, two)) in separate_1.iter().zip(&separate_2) {
        assert!(one == two, "{name} differs between -j 1 and -j 2");
    }
}

/// Rough timing, not an assertion: `cargo test --release --test pdf -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_thousand_letters() {
    use std::time::Instant;
    let letters: Vec<Letter> = (0..1000)
        .map(|i| {
            let mut l = letter(if i % 5 == 0 { "US" } else { "GB" });
            l.recipient.lines[0] = format!("Recipient number {i}");
            l
        })
        .collect();
    let o = opts();
    let _ = render_pdf(&letters[..1], &o).unwrap(); // parse the fonts
    let t = Instant::now();
    let bytes: usize = letters
        .iter()
        .map(|l| render_pdf(std::slice::from_ref(l), &o).unwrap().len())
        .sum();
    let one_thread = t.elapsed();
    let t = Instant::now();
    let combined = render_pdf(&letters, &o).unwrap();
    let combined_time = t.elapsed();
    eprintln!(
        "1000 one-page letters as separate PDFs, one thread: {one_thread:?} ({} bytes each on average)\n\
         one combined 1000-page PDF: {combined_time:?} ({} bytes)",
        bytes / 1000,
        combined.len()
    );
}
