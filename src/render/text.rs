//! Plain-text letters, wrapped at 72 columns by display width.

use unicode_width::UnicodeWidthStr;

use super::words::cc_label;
use crate::compose::{Block, Letter};

/// The column plain-text letters wrap at. Widths count display columns, so a
/// Cyrillic or Kazakh name takes the room it takes on screen, not its bytes.
pub const WIDTH: usize = 72;

/// The whole letter: sender block, date, recipient block, subject, then the body.
pub fn render(letter: &Letter) -> String {
    // Most letters are 3-4 KB: room for one without growing.
    let mut out = String::with_capacity(4096);
    push_line(&mut out, &letter.sender.name);
    for line in &letter.sender.lines {
        push_line(&mut out, line);
    }
    if let Some(email) = &letter.sender.email {
        push_line(&mut out, email);
    }
    if let Some(phone) = &letter.sender.phone {
        push_line(&mut out, phone);
    }
    out.push('\n');
    match &letter.place {
        Some(place) => push_line(&mut out, &format!("{place}, {}", letter.date_text)),
        None => push_line(&mut out, &letter.date_text),
    }
    out.push('\n');
    for line in &letter.recipient.lines {
        push_line(&mut out, line);
    }
    out.push('\n');
    push_wrapped(&mut out, &letter.subject, "", "");
    out.push('\n');
    push_body(&mut out, letter);
    out
}

/// From the salutation to the cc list: what an email carries, where the
/// address blocks are in the headers instead.
pub fn render_body(letter: &Letter) -> String {
    let mut out = String::with_capacity(4096);
    push_body(&mut out, letter);
    out
}

fn push_body(out: &mut String, letter: &Letter) {
    push_line(out, &letter.salutation);
    for block in &letter.body {
        out.push('\n');
        match block {
            Block::Paragraph(text) => push_wrapped(out, text, "", ""),
            Block::List(items) => {
                for item in items {
                    push_wrapped(out, item, "  - ", "    ");
                }
            }
        }
    }
    out.push('\n');
    push_line(out, &letter.closing);
    // Room for a handwritten signature on a printed copy.
    out.push_str("\n\n\n");
    for line in &letter.signature {
        push_line(out, line);
    }
    if !letter.cc.is_empty() {
        out.push('\n');
        let cc = format!("{} {}", cc_label(&letter.language), letter.cc.join(", "));
        push_wrapped(out, &cc, "", "    ");
    }
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// Greedy (first-fit) wrapping by display width: what a typewriter does, and
/// fast enough for a batch of a hundred thousand letters, because a line is
/// copied whole, not word by word. A word longer than the line (a URL) stands
/// alone on its line rather than being broken.
fn push_wrapped(out: &mut String, text: &str, first_indent: &str, rest_indent: &str) {
    // Words are separated by single spaces in composed text; anything else is
    // made so first, so that a line is always one slice of the text.
    let spaced;
    let text =
        if crate::text::has_double_space(text) || text.starts_with(' ') || text.ends_with(' ') {
            spaced = text
                .split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            spaced.as_str()
        } else {
            text
        };
    if text.is_ascii() && first_indent.is_ascii() && rest_indent.is_ascii() {
        return push_wrapped_ascii(out, text, first_indent, rest_indent);
    }
    let mut indent = first_indent;
    // The line being filled is text[start..end], `width` columns with its indent.
    let (mut start, mut end, mut width) = (0, 0, 0);
    // Words are found byte by byte: a search per word costs more than the word.
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut ascii = true;
    for i in 0..=bytes.len() {
        match bytes.get(i) {
            Some(b' ') | None => {}
            Some(&b) => {
                ascii &= b.is_ascii();
                continue;
            }
        }
        // Most words are ASCII, where the width is the length: skip the tables.
        let word_width = if ascii { i - at } else { text[at..i].width() };
        if end > start && width + 1 + word_width > WIDTH {
            push_line_of(out, indent, &text[start..end]);
            indent = rest_indent;
            (start, end) = (at, at);
        }
        if end == start {
            start = at;
            width = indent.width() + word_width;
        } else {
            width += 1 + word_width;
        }
        end = i;
        (at, ascii) = (i + 1, true);
    }
    push_line_of(out, indent, &text[start..end]);
}

/// [`push_wrapped`] where a byte is a column: each line is found by looking
/// back from its last possible column for a space, not by measuring words.
fn push_wrapped_ascii(out: &mut String, text: &str, first_indent: &str, rest_indent: &str) {
    let mut rest = text;
    let mut indent = first_indent;
    loop {
        let room = WIDTH.saturating_sub(indent.len());
        if rest.len() <= room {
            return push_line_of(out, indent, rest);
        }
        let cut = match rest.as_bytes()[..=room].iter().rposition(|&b| b == b' ') {
            Some(cut) => cut,
            // A word longer than the line stands alone on it.
            None => rest.find(' ').unwrap_or(rest.len()),
        };
        push_line_of(out, indent, &rest[..cut]);
        if cut == rest.len() {
            return;
        }
        rest = &rest[cut + 1..];
        indent = rest_indent;
    }
}

fn push_line_of(out: &mut String, indent: &str, line: &str) {
    if !line.is_empty() {
        out.push_str(indent);
    }
    out.push_str(line);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_display_width_not_bytes() {
        let mut out = String::new();
        let text = "Жанболат Мамай ".repeat(20);
        push_wrapped(&mut out, text.trim_end(), "", "");
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(line.width() <= WIDTH, "{line:?} is wider than {WIDTH}");
        }
        // Cyrillic takes two bytes a letter: a byte-counting wrap would give twice the lines.
        assert!(lines[0].width() > WIDTH - 16, "{:?} is too short", lines[0]);
    }
}

#[cfg(test)]
mod wrap_tests {
    use super::*;

    #[test]
    fn a_line_of_exactly_the_width_stays_whole_and_one_more_column_wraps() {
        // ASCII text takes the byte-counting path, Cyrillic the measuring one.
        for word in ["abcd", "абвг"] {
            let words = vec![word; 14].join(" ");
            let full = format!("{words} xy");
            assert_eq!(full.width(), WIDTH);
            let mut out = String::new();
            push_wrapped(&mut out, &format!("{full} z"), "", "");
            assert_eq!(out, format!("{full}\nz\n"));
            let mut out = String::new();
            push_wrapped(&mut out, &format!(" {full}z  and  more "), "", "    ");
            assert_eq!(out, format!("{words}\n    xyz and more\n"));
        }
    }

    #[test]
    fn hangs_list_items_and_keeps_long_words_whole() {
        let mut out = String::new();
        let url = "https://www.gov.kz/memleket/entities/mfa-london/press/news/details/123456789";
        push_wrapped(&mut out, &format!("see {url} now"), "  - ", "    ");
        assert_eq!(out, format!("  - see\n    {url}\n    now\n"));
    }
}
