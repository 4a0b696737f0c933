//! Letters that vary in wording, never in facts (issue 24): a branch's batch
//! to one mission from any current shipped letter, in every language it has,
//! gives many different bodies that state the same facts, the same bodies on
//! every run, whatever the threads and after a resumed run; a batch that would
//! send copies says so before it writes; `letters show` counts the wordings.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{protest, run};
use protest::catalog::{claims, Catalog};
use serde_json::Value;

/// A branch: `n` members with their own names and addresses.
fn members(n: usize) -> String {
    let mut csv = String::from("name,email\n");
    for i in 0..n {
        csv.push_str(&format!("Member {i:03},member{i}@example.org\n"));
    }
    csv
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The letters in `dir` (the manifest left out), by file name.
fn letters(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// A text letter without its first paragraph (the sender's details) and its
/// last (the signature): what is the same for every member when the bodies
/// are copies.
fn body(letter: &str) -> String {
    let paragraphs: Vec<&str> = letter
        .trim()
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    paragraphs[1..paragraphs.len() - 1].join("\n\n")
}

/// The current shipped letters, each with the languages it is written in.
fn current_letters() -> Vec<(String, String)> {
    let (code, out, err) = run(protest().args(["letters", "--json"]));
    assert_eq!(code, 0, "{err}");
    let listing: Value = serde_json::from_str(&out).unwrap();
    let mut found = Vec::new();
    for letter in listing["letters"].as_array().unwrap() {
        let id = letter["letter"].as_str().unwrap();
        for language in letter["languages"].as_array().unwrap() {
            found.push((id.to_string(), language.as_str().unwrap().to_string()));
        }
    }
    found
}

fn write_batch(letter: &str, language: &str, csv: &Path, out: &Path, extra: &[&str]) -> String {
    let lang = language.split('-').next().unwrap();
    let (code, _, err) = run(protest()
        .args(["write", letter, "--lang", lang, "--to", "gb-london"])
        .args(["--senders", s(csv), "--out", s(out)])
        .args(extra));
    assert_eq!(code, 0, "{letter} ({language}): {err}");
    err
}

/// What a text states that `check` holds a letter to: its numbers, dates
/// and quotations, each once.
fn stated(text: &str, language: &str) -> BTreeSet<String> {
    claims(text, language.split(['-', '_']).next().unwrap_or(""))
        .into_iter()
        .map(|claim| format!("{:?}", claim.kind))
        .collect()
}

#[test]
fn a_branch_of_100_gets_at_least_20_different_bodies_with_the_same_facts_from_every_current_letter()
{
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("branch.csv");
    std::fs::write(&csv, members(100)).unwrap();
    let catalog = Catalog::builtin().unwrap();
    let current = current_letters();
    assert!(current.len() >= 10, "{current:?}");
    let mut report = Vec::new();
    for (letter, language) in &current {
        let out = tmp.path().join(format!("{letter}-{language}"));
        let err = write_batch(letter, language, &csv, &out, &[]);
        assert!(
            !err.contains("distinct text"),
            "{letter} ({language}) warns of copies: {err}"
        );
        let written = letters(&out);
        assert_eq!(written.len(), 100, "{letter} ({language})");
        let mut bodies: BTreeMap<String, usize> = BTreeMap::new();
        for text in written.values() {
            *bodies.entry(body(text)).or_default() += 1;
        }
        report.push(format!("{letter} ({language}): {}", bodies.len()));
        assert!(
            bodies.len() >= 20,
            "{letter} ({language}): only {} distinct bodies for 100 members",
            bodies.len()
        );
        // The same facts in every body: the same numbers, dates and quotations,
        // and every person of the letter named.
        let template = catalog.template_in(letter, Some(language)).unwrap();
        let facts: Vec<BTreeSet<String>> = bodies.keys().map(|b| stated(b, language)).collect();
        assert!(!facts[0].is_empty(), "{letter} ({language}) states no fact");
        for (other, text) in facts.iter().zip(bodies.keys()) {
            assert_eq!(other, &facts[0], "{letter} ({language}):\n{text}");
        }
        for id in &template.front.prisoners {
            let name = catalog.prisoners[id].name_in(&template.front.language);
            // The surname, less a Russian case ending: «Абжан», «Абжана».
            let surname = name.split_whitespace().last().unwrap();
            let stem: String = surname
                .chars()
                .take(surname.chars().count().min(5))
                .collect();
            for text in bodies.keys() {
                assert!(
                    text.contains(&stem),
                    "{letter} ({language}) without {name}:\n{text}"
                );
            }
        }
    }
    eprintln!("distinct bodies of 100:\n  {}", report.join("\n  "));
}

#[test]
fn the_same_members_get_the_same_letters_on_every_run_whatever_the_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("branch.csv");
    std::fs::write(&csv, members(100)).unwrap();
    for (letter, language) in [("mukhammedkarim", "en-GB"), ("zhylanbayev", "ru")] {
        let mut runs = Vec::new();
        for (dir, jobs) in [("a", "1"), ("b", "4"), ("c", "3")] {
            let out = tmp.path().join(format!("{letter}-{dir}"));
            write_batch(
                letter,
                language,
                &csv,
                &out,
                &["--jobs", jobs, "--date", "2026-11-02"],
            );
            let mut files = letters(&out);
            files.insert(
                "manifest.jsonl".into(),
                std::fs::read_to_string(out.join("manifest.jsonl")).unwrap(),
            );
            runs.push(files);
        }
        assert_eq!(runs[0], runs[1], "{letter}: --jobs 1 and --jobs 4");
        assert_eq!(runs[0], runs[2], "{letter}: a second run");
        let distinct: BTreeSet<String> = runs[0]
            .iter()
            .filter(|(name, _)| name.ends_with(".txt"))
            .map(|(_, text)| body(text))
            .collect();
        assert!(distinct.len() >= 20, "{letter}: {}", distinct.len());
    }
}

#[test]
fn a_resumed_batch_writes_the_letters_it_had_not_written_word_for_word() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("branch.csv");
    std::fs::write(&csv, members(60)).unwrap();
    let whole = tmp.path().join("whole");
    let args = ["--date", "2026-11-02"];
    write_batch("abzhan", "ru", &csv, &whole, &args);
    let resumed = tmp.path().join("resumed");
    write_batch("abzhan", "ru", &csv, &resumed, &args);
    // A run stopped part way: every other letter is missing.
    let before = letters(&resumed);
    for name in before.keys().step_by(2) {
        std::fs::remove_file(resumed.join(name)).unwrap();
    }
    let err = write_batch("abzhan", "ru", &csv, &resumed, &args);
    assert!(
        err.contains("60 letters in") && err.contains(": 30 written, 30 already there"),
        "{err}"
    );
    assert_eq!(letters(&resumed), letters(&whole));
    let digests = |dir: &Path| -> BTreeMap<String, String> {
        std::fs::read_to_string(dir.join("manifest.jsonl"))
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str::<Value>(line).unwrap())
            .map(|entry| {
                (
                    entry["path"].as_str().unwrap().to_string(),
                    entry["sha256"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(digests(&resumed), digests(&whole));
}

/// A letter with no alternatives, in `dir/L`.
fn plain_letter(dir: &Path) -> std::path::PathBuf {
    let letters = dir.join("L");
    std::fs::create_dir_all(&letters).unwrap();
    std::fs::write(
        letters.join("plain.hbs"),
        "+++\nid = \"plain\"\ntitle = \"T\"\nlanguage = \"en-GB\"\nsubject = \"S\"\nsource = \"s\"\n+++\n\
         I write to ask for your help.\n",
    )
    .unwrap();
    letters
}

const HOW_TO_VARY: &str = "  help: `plain` (en-GB) can take 1 wording; give a letter more with \
     {{#vary}} alternatives (letters/README.md, \"Alternatives\"), or give each sender a paragraph \
     of their own in a `personal` column\n";

#[test]
fn a_batch_of_copies_to_one_mission_is_told_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = plain_letter(tmp.path());
    let write = |csv: &str, out: &str, extra: &[&str]| {
        let path = tmp.path().join(format!("{out}.csv"));
        std::fs::write(&path, csv).unwrap();
        let out = tmp.path().join(out);
        let (code, stdout, err) = run(protest()
            .args([
                "write",
                "plain",
                "--letters",
                s(&dir),
                "--senders",
                s(&path),
            ])
            .args(["--out", s(&out), "--date", "2026-11-02"])
            .args(extra));
        assert_eq!(code, 0, "{err}");
        (stdout, err, out)
    };
    // Five copies to one mission are a few; six are more.
    let (_, err, _) = write(&members(5), "five", &["--to", "gb-london"]);
    assert!(!err.contains("warning"), "{err}");
    let (_, err, out) = write(&members(6), "six", &["--to", "gb-london"]);
    assert_eq!(
        err,
        format!(
            "warning: 6 letters of `plain` to gb-london would have 1 distinct text between them \
             (6 copies of one): officials and mail filters discount letters the same but for \
             the sender's details\n{HOW_TO_VARY}6 letters in {}: 6 written, 0 already there, \
             0 skipped, 0 failed\n",
            out.display()
        )
    );
    // Before anything is written: a dry run says it too.
    let (stdout, err, out) = write(&members(6), "dry", &["--to", "gb-london", "--dry-run"]);
    assert!(
        err.starts_with("warning: 6 letters of `plain` to gb-london"),
        "{err}"
    );
    assert!(!out.exists(), "{stdout}");
    // Several missions: each is listed.
    let (_, err, out) = write(
        &members(7),
        "two",
        &["--to", "gb-london", "--to", "de-berlin"],
    );
    assert_eq!(
        err,
        format!(
            "warning: 2 missions would get more than 5 letters the same but for the sender's \
             details, which officials and mail filters discount:\n  \
             7 letters of `plain` to gb-london would have 1 distinct text between them (7 copies \
             of one)\n  7 letters of `plain` to de-berlin would have 1 distinct text between \
             them (7 copies of one)\n{HOW_TO_VARY}14 letters in {}: 14 written, 0 already there, \
             0 skipped, 0 failed\n",
            out.display()
        )
    );
    // A paragraph of their own makes each letter another text.
    let mut personal = String::from("name,email,personal\n");
    for i in 0..8 {
        personal.push_str(&format!(
            "M{i},m{i}@example.org,I have followed this case since {i}.\n"
        ));
    }
    let (_, err, _) = write(&personal, "own", &["--to", "gb-london"]);
    assert!(!err.contains("warning"), "{err}");
    // So does a letter with alternatives, for a branch its wordings outnumber.
    let (code, _, err) = run(protest()
        .args([
            "write",
            "mukhammedkarim",
            "--to",
            "gb-london",
            "--date",
            "2026-11-02",
        ])
        .args(["--senders", s(&tmp.path().join("six.csv"))])
        .args(["--out", s(&tmp.path().join("varied"))]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("distinct text"), "{err}");
}

#[test]
fn letters_show_counts_the_wordings_of_each_language() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = plain_letter(tmp.path());
    std::fs::write(
        dir.join("two.hbs"),
        "+++\nid = \"two\"\ntitle = \"T\"\nlanguage = \"en-GB\"\n\
         subject = \"{{#vary}}Free them{{or}}Release them{{/vary}}\"\nsource = \"s\"\n+++\n\
         {{#vary}}\nI write.\n{{or}}\nI am writing.\n{{or}}\nThis letter asks.\n{{/vary}}\n\n\
         {{#if sender.org}}{{#vary}}We ask.{{or}}We hope.{{/vary}}{{/if}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("two.ru.hbs"),
        "+++\nlanguage = \"ru\"\ntitle = \"Т\"\nsubject = \"С\"\n+++\n\
         {{#vary}}Обращаюсь к Вам.{{or}}Пишу Вам.{{/vary}}\n",
    )
    .unwrap();
    let show = |id: &str, json: bool| {
        let mut cmd = protest();
        cmd.args(["letters", "show", id, "--letters", s(&dir)]);
        if json {
            cmd.arg("--json");
        }
        let (code, out, err) = run(&mut cmd);
        assert_eq!(code, 0, "{err}");
        out
    };
    let text = show("two", false);
    assert!(
        text.contains(
            "\nwordings: en-GB 12 (3 {{#vary}} blocks: 2 × 3 × 2); ru 2 (1 {{#vary}} block: 2)\n"
        ),
        "{text}"
    );
    assert!(show("plain", false).contains("\nwordings: en-GB 1 (no {{#vary}} block)\n"));
    let json: Value = serde_json::from_str(&show("two", true)).unwrap();
    assert_eq!(
        json["letters"][0]["wordings"],
        serde_json::json!([
            {"language": "en-GB", "texts": 12, "blocks": [2, 3, 2]},
            {"language": "ru", "texts": 2, "blocks": [2]},
        ])
    );
    // A shipped letter: five blocks of three in each language.
    let shipped = show("abzhan", false);
    assert!(
        shipped.contains(
            "\nwordings: en-GB 243 (5 {{#vary}} blocks: 3 × 3 × 3 × 3 × 3); ru 243 (5 {{#vary}} blocks: 3 × 3 × 3 × 3 × 3)\n"
        ),
        "{shipped}"
    );
}
