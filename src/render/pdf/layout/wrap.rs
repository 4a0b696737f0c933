//! Line breaking by measured width: text is cut into lines with the face's
//! own advance widths, the ragged edge evened out.

use textwrap::core::Fragment;
use textwrap::wrap_algorithms::{wrap_first_fit, wrap_optimal_fit, Penalties};

use std::sync::{Arc, LazyLock};

use crate::render::pdf::font::{clean, Style};
use crate::render::pdf::memo::Memo;

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
    remembered(text, style, size, width, break_lines)
}

/// `break_lines(text, style, size, width)`, remembered: the letters of a
/// batch share most of their paragraphs (all but the ones that name the
/// signer), and breaking one into lines is a third of a letter's layout.
/// Texts longer than a paragraph are broken each time, so what is kept stays
/// small (at most 1,024 texts of 4 KB).
fn remembered(
    text: &str,
    style: Style,
    size: f32,
    width: f32,
    break_lines: fn(&str, Style, f32, f32) -> Vec<String>,
) -> Vec<String> {
    type Key = (String, Style, u32, u32);
    static LINES: LazyLock<Memo<Key, Arc<Vec<String>>>> = LazyLock::new(|| Memo::new(1024));
    if text.len() > 4096 {
        return break_lines(text, style, size, width);
    }
    let key = (text.to_string(), style, size.to_bits(), width.to_bits());
    let lines = LINES.get_or_insert(key, || Arc::new(break_lines(text, style, size, width)));
    lines.to_vec()
}

/// [`wrap`] without the memo: what it gives depends on these four and on
/// nothing else (the language's rules are in the text and widths it is given).
fn break_lines(text: &str, style: Style, size: f32, width: f32) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::Style;

    #[test]
    fn a_text_is_broken_into_lines_once_unless_it_is_longer_than_a_paragraph() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static BROKEN: AtomicUsize = AtomicUsize::new(0);
        fn halves(text: &str, _: Style, _: f32, width: f32) -> Vec<String> {
            BROKEN.fetch_add(1, Ordering::SeqCst);
            let (a, b) = text.split_at(text.len() / 2);
            vec![a.to_string(), b.to_string(), width.to_string()]
        }
        let text = "a paragraph every letter of the batch has";
        let first = super::remembered(text, Style::Regular, 11.0, 400.25, halves);
        assert_eq!(
            super::remembered(text, Style::Regular, 11.0, 400.25, halves),
            first
        );
        assert_eq!(BROKEN.load(Ordering::SeqCst), 1);
        // Another width, size or face is another key.
        let narrower = super::remembered(text, Style::Regular, 11.0, 300.0, halves);
        assert_eq!(narrower[2], "300");
        super::remembered(text, Style::Bold, 11.0, 400.25, halves);
        super::remembered(text, Style::Regular, 10.0, 400.25, halves);
        assert_eq!(BROKEN.load(Ordering::SeqCst), 4);
        let long = "word ".repeat(1_000);
        super::remembered(&long, Style::Regular, 11.0, 400.25, halves);
        super::remembered(&long, Style::Regular, 11.0, 400.25, halves);
        assert_eq!(BROKEN.load(Ordering::SeqCst), 6);
    }

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
    fn a_no_break_space_is_not_a_space_to_the_memo() {
        // Lines are remembered by their text: one the memo has broken at a
        // space does not stand for the same words joined by a no-break space.
        let face = Style::Regular.face();
        let width = face.width("Tuesday 12", 10.5);
        let spaced = "Tuesday 12 May";
        let held = "Tuesday 12\u{a0}May";
        for _ in 0..2 {
            assert_eq!(
                wrap(spaced, Style::Regular, 10.5, width),
                ["Tuesday 12", "May"]
            );
            assert_eq!(
                wrap(held, Style::Regular, 10.5, width),
                ["Tuesday", "12\u{a0}May"]
            );
        }
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
}
