//! Reading the examples of a Markdown page, for the tests that run them
//! (tests/readme.rs, tests/json_docs.rs): fenced blocks, and command lines
//! split as a POSIX shell splits simple ones.
#![allow(dead_code)]

/// A fenced block: its language (` ```sh ` gives `sh`), its text, and the
/// line of the page it starts on, for messages.
pub struct Block {
    pub lang: String,
    pub text: String,
    pub line: usize,
}

pub fn fenced_blocks(page: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (number, line) in page.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(lang)) => {
                open = Some(Block {
                    lang: lang.trim().to_string(),
                    text: String::new(),
                    line: number + 1,
                })
            }
            (Some(_), Some(rest)) if rest.trim().is_empty() => {
                blocks.push(open.take().expect("a block is open"))
            }
            (Some(block), _) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a fenced block is never closed");
    blocks
}

/// The command lines of a shell block: continuations (`\` at the end)
/// joined, blank lines and whole-line comments left out.
pub fn command_lines(block: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut pending = String::new();
    for line in block.lines() {
        let line = line.trim();
        match line.strip_suffix('\\') {
            Some(start) => {
                pending.push_str(start);
                pending.push(' ');
            }
            None => {
                pending.push_str(line);
                let whole = std::mem::take(&mut pending);
                if !whole.is_empty() && !whole.starts_with('#') {
                    lines.push(whole);
                }
            }
        }
    }
    lines
}

/// A line split into words as the shell does for the simple lines of the
/// pages: single and double quotes, and a trailing `# comment` (returned
/// apart, trimmed).
pub fn shell_words(line: &str) -> (Vec<String>, Option<String>) {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '#' if word.is_none() => return (words, Some(line[at + 1..].trim().to_string())),
            ' ' | '\t' => words.extend(word.take()),
            '"' | '\'' => {
                let word = word.get_or_insert_with(String::new);
                for (_, inner) in chars.by_ref() {
                    if inner == c {
                        break;
                    }
                    word.push(inner);
                }
            }
            _ => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    (words, None)
}
