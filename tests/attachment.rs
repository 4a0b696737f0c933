//! The PDF a draft carries is named after the subject, in every language:
//! the whole subject when it fits, else its first whole words with «…»
//! after them, never a phrase cut where it reads as the whole
//! («…пятерым противникам.pdf» for «…пятерым противникам строительства АЭС»).
//! Read back as a mail client reads it: the .eml parsed by mail-parser.

mod common;

use common::{protest, run};
use mail_parser::{MessageParser, MimeHeaders};

const DATE: &str = "2026-12-04";

#[test]
fn every_current_letter_in_every_language_names_its_attachment_after_its_subject() {
    let (code, out, err) = run(protest().args(["letters", "--json", "--date", DATE]));
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cut = 0;
    for letter in json["letters"].as_array().unwrap() {
        if letter["current"] != true {
            continue;
        }
        let id = letter["letter"].as_str().unwrap();
        for language in letter["languages"].as_array().unwrap() {
            let language = language.as_str().unwrap();
            let file = dir.path().join(format!("{id}-{language}.eml"));
            let (code, _, err) = run(protest()
                .args(["write", id, "--to", "gb-london", "--lang", language])
                .args(["--name", "Ann Lee", "--email", "ann@example.org"])
                .args(["--date", DATE, "-q", "-f", "eml", "--attach-pdf", "-o"])
                .arg(&file));
            assert_eq!(code, 0, "{id} {language}: {err}");
            let bytes = std::fs::read(&file).unwrap();
            let message = MessageParser::default().parse(&bytes).unwrap();
            let subject = message.subject().unwrap().replace(['/', ':'], "-");
            let name = message.attachment(0).unwrap().attachment_name().unwrap();
            let stem = name.strip_suffix(".pdf").unwrap();
            assert!(stem.chars().count() <= 72, "{id} {language}: {name}");
            match stem.strip_suffix('…') {
                None => assert_eq!(stem, subject, "{id} {language}"),
                Some(start) => {
                    cut += 1;
                    let rest = subject.strip_prefix(start).unwrap_or_else(|| {
                        panic!("{id} {language}: {name:?} does not start {subject:?}")
                    });
                    assert!(
                        rest.starts_with([' ', ',', ';']),
                        "{id} {language}: {name:?} cuts a word of {subject:?}"
                    );
                }
            }
        }
    }
    // restricted-freedom-2025's Russian subject is longer than a name.
    assert!(cut >= 1);
}
