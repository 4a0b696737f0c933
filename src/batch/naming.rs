//! File names for the letters of a batch: from a pattern, made safe.

/// Names Windows reserves in any directory, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Longest name, in bytes, before the extension: well under every file
/// system's 255, leaving room for the temporary file's prefix and suffix.
const MAX_STEM: usize = 120;

/// Turns a rendered pattern into one safe file name with `extension`: no
/// path separators, `..`, control characters or reserved names, so a name
/// from a CSV cell can never leave the output directory.
pub fn file_name(rendered: &str, extension: &str) -> String {
    let mut stem = String::with_capacity(rendered.len());
    let mut last_dash = true;
    for c in rendered.chars() {
        let c = if c.is_whitespace() || crate::compose::is_forbidden(c) || "/\\:*?\"<>|".contains(c)
        {
            '-'
        } else {
            c
        };
        if c == '-' && last_dash {
            continue;
        }
        last_dash = c == '-';
        stem.push(c);
    }
    let mut stem = stem.trim_matches(|c| c == '-' || c == '.').to_string();
    while stem.contains("..") {
        stem = stem.replace("..", ".");
    }
    if stem.len() > MAX_STEM {
        let mut cut = MAX_STEM;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
        stem = stem.trim_end_matches(['-', '.']).to_string();
    }
    if stem.is_empty() {
        stem = "letter".to_string();
    }
    let base = stem.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&base.as_str()) {
        stem.insert(0, '_');
    }
    format!("{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn names_stay_inside_the_directory() {
        assert_eq!(
            file_name("gb-london-Jane Smith", "txt"),
            "gb-london-Jane-Smith.txt"
        );
        assert_eq!(file_name("../../etc/passwd", "txt"), "etc-passwd.txt");
        assert_eq!(file_name("/abs/path", "pdf"), "abs-path.pdf");
        assert_eq!(file_name("a\0b\nc", "txt"), "a-b-c.txt");
        assert_eq!(file_name("..", "txt"), "letter.txt");
        assert_eq!(file_name("con", "txt"), "_con.txt");
        assert_eq!(file_name("Lpt1.backup", "txt"), "_Lpt1.backup.txt");
        assert_eq!(file_name("Жанболат Мамай", "eml"), "Жанболат-Мамай.eml");
        let long = file_name(&"ж".repeat(200), "txt");
        assert!(long.len() <= 124 && long.ends_with(".txt"));
    }
}
