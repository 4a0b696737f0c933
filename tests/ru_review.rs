//! The Russian review (`ru-review-2026-12.md`, December 2026) rejected some
//! wordings of the shipped Russian letters. A `{{#vary}}` alternative is as
//! much the letter as its first text (a third of senders get it), so no
//! alternative of any shipped Russian template may bring one back. The
//! templates are read as files, every alternative at once, with line breaks
//! and no-break spaces folded to one space, `ё` as `е` and in lower case, so
//! that a wording wrapped over two lines or re-typed is still found.

use std::path::{Path, PathBuf};

/// One rejected wording: the letter the review found it in (`None`: it may
/// come back in any letter), the text, and what the review asked instead.
struct Rejected {
    only_in: Option<&'static str>,
    text: &'static str,
    instead: &'static str,
}

const fn anywhere(text: &'static str, instead: &'static str) -> Rejected {
    Rejected {
        only_in: None,
        text,
        instead,
    }
}

const fn only_in(letter: &'static str, text: &'static str, instead: &'static str) -> Rejected {
    Rejected {
        only_in: Some(letter),
        text,
        instead,
    }
}

/// The review's rejected wordings, letter by letter, with the near variants
/// a rewrite tends to produce. A wording starts at a word; a trailing space
/// or punctuation mark ends it at a word too.
const REJECTED: &[Rejected] = &[
    // abzhan
    anywhere(
        "для этого существуют опровержение",
        "для таких случаев есть опровержение",
    ),
    anywhere(
        "связанный с лишением свободы",
        "к реальному лишению свободы",
    ),
    anywhere("власть имущ", "о высокопоставленных лицах"),
    // mamai-restrictions
    anywhere(
        ": снять ограничения и отменить приговор",
        "О снятии ограничений … и отмене приговора",
    ),
    anywhere(
        "«саяси калам»",
        "«Саяси калам. Трибуна» (бывшего главного редактора)",
    ),
    anywhere(
        "запрещены политическая",
        "запрещено заниматься … деятельностью",
    ),
    anywhere(
        "запретил ему политическую",
        "запретил ему заниматься … деятельностью",
    ),
    anywhere(
        "запретили ему политическую",
        "запретили ему заниматься … деятельностью",
    ),
    anywhere(
        "пользование социальными сетями",
        "пользоваться социальными сетями",
    ),
    anywhere(
        "журналистика и пользование",
        "заниматься журналистской деятельностью и пользоваться",
    ),
    only_in(
        "mamai-restrictions",
        "распространении ложной",
        "распространении заведомо ложной информации (ст. 274 УК)",
    ),
    anywhere("лишает его голоса", "фактически заставляет его замолчать"),
    anywhere("лишает голоса", "фактически заставляет его замолчать"),
    anywhere("лишить его голоса", "фактически заставляет его замолчать"),
    anywhere("лишить голоса", "фактически заставляет его замолчать"),
    anywhere("лишило его голоса", "фактически заставляет его замолчать"),
    anywhere("лишен голоса", "фактически заставляет его замолчать"),
    anywhere(
        "он лишает читателей",
        "Такой приговор лишает общество его материалов",
    ),
    anywhere(
        "лишает читателей его",
        "Такой приговор лишает общество его материалов",
    ),
    // political-prisoners-2026
    anywhere(
        "разжигании розни против журналистов",
        "преследовать журналистов … по статьям",
    ),
    anywhere("за журналистику", "за журналистскую деятельность"),
    anywhere("или журналистику", "или журналистскую деятельность"),
    anywhere(
        "наказанием за журналист",
        "преследованием за журналистскую деятельность",
    ),
    anywhere(
        "наказание за журналист",
        "преследование за журналистскую деятельность",
    ),
    anywhere("в местах лишения свободы", "под стражей"),
    anywhere("заставляет замолчать именно", "заглушает именно те голоса"),
    anywhere("заставляют замолчать именно", "заглушают именно те голоса"),
    anywhere(
        "«применением силы",
        "indirect speech, without quotation marks",
    ),
    anywhere(
        "«применение силы",
        "indirect speech, without quotation marks",
    ),
    // restricted-freedom-2025
    anywhere("делом шести", "в связи с делами шести человек"),
    anywhere("паблик", "сатирический Instagram-аккаунт"),
    anywhere("поста ", "публикации"),
    anywhere("поста,", "публикации"),
    anywhere("поста.", "публикации"),
    anywhere(
        "снять с них ограничения свободы",
        "освободить их от наказания в виде ограничения свободы",
    ),
    anywhere(
        "снять ограничения свободы",
        "освободить их от наказания в виде ограничения свободы",
    ),
    anywhere(
        "снять ограничение свободы",
        "освободить их от наказания в виде ограничения свободы",
    ),
    anywhere(
        "беспорядков против сатиры",
        "прекратить преследовать за сатиру … по обвинениям в",
    ),
    anywhere(
        "сатира на общественную жизнь",
        "Сатира и открытое несогласие",
    ),
    anywhere("не хуже тюрем", "так же надёжно, как тюремная камера"),
    // zhylanbayev
    anywhere("великие пустыни", "крупнейшие пустыни"),
    anywhere("величайшие пустыни", "крупнейшие пустыни"),
    anywhere(
        "пробежавший великие",
        "преодолевший бегом крупнейшие пустыни",
    ),
    anywhere(
        "участии в запрещенном движении",
        "участии в деятельности запрещённого движения",
    ),
    anywhere("в учреждение № 4", "в исправительное учреждение № 4"),
    anywhere("в учреждении № 4", "в исправительном учреждении № 4"),
    anywhere(
        "экстремизме против мирных",
        "преследовать мирных оппонентов власти по обвинениям",
    ),
    // tleuzhan
    anywhere(
        "камеры наблюдения зафиксировали",
        "Согласно записям камер наблюдения, она пробыла",
    ),
    anywhere(
        "участии в организации массовых беспорядков",
        "одним из организаторов массовых беспорядков",
    ),
    anywhere(
        "по словам ее адвоката, в 2025 году",
        "В 2025 году её адвокат сообщила",
    ),
    anywhere("даже оконного стекла", "«ни одного стёклышка не разбила»"),
    anywhere(
        "провести полное медицинское обследование",
        "провести её полное медицинское обследование",
    ),
];

/// Text as the test compares it: lower case, `ё` as `е`, every run of white
/// space (line breaks and no-break spaces too) one space.
fn fold(text: &str) -> String {
    let lower = text.to_lowercase().replace('ё', "е");
    let mut out = lower
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    // A wording that ends in a space ends at a word.
    if text.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// Whether `wording` (folded) occurs in `text` (folded) starting at a word.
fn contains_at_word(text: &str, wording: &str) -> bool {
    text.match_indices(wording).any(|(at, _)| {
        let first_is_letter = wording.chars().next().is_some_and(char::is_alphabetic);
        !first_is_letter
            || !text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
    })
}

/// The template without the front matter's comments: they cite the
/// sources' own words («инстаграм-паблик»), which no letter prints.
fn without_comments(template: &str) -> String {
    template
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every shipped Russian template (`ID.ru.hbs`, `ID.ru-XX.hbs`) of every
/// shipped campaign.
fn shipped_russian_templates() -> Vec<PathBuf> {
    let campaigns = Path::new(env!("CARGO_MANIFEST_DIR")).join("campaigns");
    let mut out = Vec::new();
    for campaign in std::fs::read_dir(campaigns).unwrap() {
        let letters = campaign.unwrap().path().join("letters");
        let Ok(files) = std::fs::read_dir(&letters) else {
            continue;
        };
        for file in files {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".hbs") && (name.contains(".ru.") || name.contains(".ru-")) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_alternative_of_a_shipped_russian_letter_uses_a_wording_the_review_rejected() {
    let templates = shipped_russian_templates();
    assert!(templates.len() >= 7, "{templates:?}");
    let mut found = Vec::new();
    for path in &templates {
        let letter = path.file_name().unwrap().to_string_lossy();
        let letter = letter.split('.').next().unwrap().to_string();
        let text = fold(&without_comments(&std::fs::read_to_string(path).unwrap()));
        for rejected in REJECTED {
            if rejected.only_in.is_some_and(|only| only != letter) {
                continue;
            }
            if contains_at_word(&text, &fold(rejected.text)) {
                found.push(format!(
                    "{}: «{}» (the review: {})",
                    path.display(),
                    rejected.text,
                    rejected.instead
                ));
            }
        }
    }
    assert!(found.is_empty(), "rejected wordings:\n{}", found.join("\n"));
}

#[test]
fn the_matching_finds_a_wording_wrapped_over_lines_and_only_at_a_word() {
    let text = fold("приговор по сути лишает его\nголоса: шесть\u{a0}лет; его поста,");
    assert!(contains_at_word(&text, &fold("лишает его голоса")));
    assert!(contains_at_word(&text, &fold("поста,")));
    assert!(!contains_at_word(
        &fold("постановление суда"),
        &fold("поста ")
    ));
    assert!(!contains_at_word(&fold("распоста, "), &fold("поста,")));
    assert!(contains_at_word(
        &fold("ЗА ЖУРНАЛИСТИКУ"),
        &fold("за журналистику")
    ));
}
