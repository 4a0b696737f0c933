//! Plain-text letters, wrapped at 72 columns by display width.

use crate::compose::{Block, Letter};
use textwrap::Options;

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

fn push_wrapped(out: &mut String, text: &str, first_indent: &str, rest_indent: &str) {
    let options = Options::new(WIDTH)
        .initial_indent(first_indent)
        .subsequent_indent(rest_indent)
        .break_words(false);
    for line in textwrap::wrap(text, options) {
        push_line(out, &line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

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
