//! The name of the PDF a draft carries, by one rule in every language: the
//! subject as the letter writes it, made safe for file systems, and cut
//! where a reader sees that it is cut.

use crate::compose::Letter;
use crate::text::reserved_in_file_names;

/// The most characters of a name before `.pdf`: what file dialogs and mail
/// clients show without eliding it themselves.
const MOST: usize = 72;

/// What a cut name ends with, so that «…пятерым противникам» does not read
/// as the whole subject.
const CUT: char = '…';

/// The attachment's file name: the subject (no `/ \ : * ? " < > |`, no
/// control or bidi characters, no trailing dot or space), whole when it fits in
/// [`MOST`] characters, else cut after the last whole word that fits with
/// [`CUT`] after it; the template id when nothing is left. A name that is
/// not ASCII ("Об освобождении….pdf") goes as an RFC 2231 parameter, which
/// mail-builder writes and current mail clients read.
pub fn file_name(letter: &Letter) -> String {
    let safe = safe_for_files(&letter.subject);
    let words: Vec<&str> = safe.split(' ').filter(|w| !w.is_empty()).collect();
    let mut name = cut(&words);
    while name.ends_with(['.', ' ']) {
        name.pop();
    }
    if name.is_empty() {
        name.extend(
            letter
                .template_id
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')),
        );
    }
    if name.is_empty() {
        name.push_str("letter");
    }
    name.push_str(".pdf");
    name
}

/// `words` joined by spaces, whole if they fit in [`MOST`] characters, else
/// the words that fit with [`CUT`] after them (a first word longer than
/// that is cut inside).
fn cut(words: &[&str]) -> String {
    let whole = words.join(" ");
    if whole.chars().count() <= MOST {
        return whole;
    }
    let mut name = String::new();
    let mut length = 0;
    for word in words {
        let more = word.chars().count() + usize::from(!name.is_empty());
        if length + more + 1 > MOST {
            break;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(word);
        length += more;
    }
    if name.is_empty() {
        name = whole.chars().take(MOST - 1).collect();
    }
    // A cut after "Об отмене приговоров 2025 года," ends with the mark, not a comma.
    while name.ends_with([',', ';', '-', '—', '–', '.', ' ']) {
        name.pop();
    }
    name.push(CUT);
    name
}

/// `subject` with each character a file system reserves, or that hides or
/// reorders text (a right-to-left override makes "fdp.exe" read "exe.pdf"),
/// as `-`; no-break spaces as spaces.
fn safe_for_files(subject: &str) -> String {
    subject
        .chars()
        .map(|c| match c {
            // The no-break spaces that hold a printed line are spaces here.
            '\u{a0}' => ' ',
            c if reserved_in_file_names(c) || crate::text::is_forbidden(c) => '-',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_holds_no_reserved_control_or_bidi_character() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let unsafe_here = reserved_in_file_names(c) || crate::text::is_forbidden(c);
            let safe = safe_for_files(&format!("Free {c} them"));
            assert_eq!(safe.contains(c), !unsafe_here && c != '\u{a0}', "{c:?}");
        }
    }

    /// Subjects of every length made of words of every length: a name is
    /// the whole subject, or a prefix of it ending at a word, marked.
    #[test]
    fn a_name_is_the_subject_or_its_first_words_marked_as_cut() {
        let words = ["Об", "отмене", "приговоров", "2025", "года,", "АЭС", "x"];
        for n in 0..400usize {
            let subject: Vec<&str> = (0..n / 7 + 1)
                .map(|k| words[(n * 7 + k * 3) % words.len()])
                .collect();
            let subject = subject.join(" ");
            let name = cut(&subject.split(' ').collect::<Vec<_>>());
            assert!(name.chars().count() <= MOST, "{subject:?}: {name:?}");
            match name.strip_suffix(CUT) {
                None => assert_eq!(name, subject),
                Some(stem) => {
                    assert!(subject.chars().count() > MOST, "{subject:?}: {name:?}");
                    let rest = &subject[stem.len()..];
                    assert!(subject.starts_with(stem), "{subject:?}: {name:?}");
                    assert!(
                        rest.starts_with([' ', ',', ';']),
                        "cut inside a word: {subject:?}: {name:?}"
                    );
                }
            }
        }
        let long = "Ы".repeat(100);
        assert_eq!(cut(&[&long]), format!("{}…", "Ы".repeat(MOST - 1)));
    }
}
