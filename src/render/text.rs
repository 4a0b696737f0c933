//! Plain-text letters, wrapped at 72 columns by display width.

use unicode_width::UnicodeWidthStr;

use crate::compose::{Block, Letter};

/// The column plain-text letters wrap at. Widths count display columns, so a
/// Cyrillic or Kazakh name takes the room it takes on screen, not its bytes.
pub const WIDTH: usize = 72;

/// The whole letter: sender block, date, recipient block, subject, then the body.
pub fn render(letter: &Letter) -> String {
    let mut out = String::with_capacity(2048);
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
    out.push_str(&render_body(letter));
    out
}

/// From the salutation to the cc list: what an email carries, where the
/// address blocks are in the headers instead.
pub fn render_body(letter: &Letter) -> String {
    let mut out = String::with_capacity(2048);
    push_line(&mut out, &letter.salutation);
    for block in &letter.body {
        out.push('\n');
        match block {
            Block::Paragraph(text) => push_wrapped(&mut out, text, "", ""),
            Block::List(items) => {
                for item in items {
                    push_wrapped(&mut out, item, "  - ", "    ");
                }
            }
        }
    }
    out.push('\n');
    push_line(&mut out, &letter.closing);
    // Room for a handwritten signature on a printed copy.
    out.push_str("\n\n\n");
    for line in &letter.signature {
        push_line(&mut out, line);
    }
    if !letter.cc.is_empty() {
        out.push('\n');
        push_wrapped(
            &mut out,
            &format!("cc: {}", letter.cc.join(", ")),
            "",
            "    ",
        );
    }
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// Greedy (first-fit) wrapping by display width: what a typewriter does, and
/// fast enough for a batch of a hundred thousand letters. A word longer than
/// the line (a URL) stands alone on its line rather than being broken.
fn push_wrapped(out: &mut String, text: &str, first_indent: &str, rest_indent: &str) {
    let mut indent = first_indent;
    let mut width = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        // Most words are ASCII, where the width is the length: skip the tables.
        let word_width = if word.is_ascii() {
            word.len()
        } else {
            word.width()
        };
        if width > 0 && width + 1 + word_width > WIDTH {
            out.push('\n');
            width = 0;
            indent = rest_indent;
        }
        if width == 0 {
            out.push_str(indent);
            width = indent.width();
        } else {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word_width;
    }
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
    fn hangs_list_items_and_keeps_long_words_whole() {
        let mut out = String::new();
        let url = "https://www.gov.kz/memleket/entities/mfa-london/press/news/details/123456789";
        push_wrapped(&mut out, &format!("see {url} now"), "  - ", "    ");
        assert_eq!(out, format!("  - see\n    {url}\n    now\n"));
    }
}
