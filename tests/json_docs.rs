//! docs/json.md shows every JSON document protest prints or writes, each
//! after the commands that make it. This runs those commands and checks that
//! what they really print has the documented keys, at every level, with the
//! documented types (values may differ), so the page cannot drift. It also
//! holds the program to the page's rules: `schema` in every document, and
//! never a null.

mod common;
mod markdown;

use std::collections::BTreeMap;
use std::path::Path;

use common::smtp::{Server, PASSWORD};
use common::{copy_dir, example_campaigns, example_sender, protest, run};
use serde_json::Value;

const SCHEMA: &str = "protest/1";
const SMTP_USER: &str = "branch";
const MEMBERS: &str =
    "name,email,country\nAnn Lee,ann@example.org,GB\nBob Jones,bob@example.org,GB\n";

/// What a document looks like, without its values.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Null,
    Bool,
    Number,
    String,
    /// The shape of its items, all merged; `None` for an empty list.
    Array(Option<Box<Shape>>),
    /// Keys seen in any of the objects merged.
    Object(BTreeMap<String, Shape>),
    /// Items of one list, or one key, of different types.
    Mixed(Vec<String>),
}

fn shape(value: &Value) -> Shape {
    match value {
        Value::Null => Shape::Null,
        Value::Bool(_) => Shape::Bool,
        Value::Number(_) => Shape::Number,
        Value::String(_) => Shape::String,
        Value::Array(items) => Shape::Array(items.iter().map(shape).reduce(merge).map(Box::new)),
        Value::Object(fields) => {
            Shape::Object(fields.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
    }
}

fn merge(a: Shape, b: Shape) -> Shape {
    match (a, b) {
        (Shape::Object(mut a), Shape::Object(b)) => {
            for (key, shape) in b {
                let merged = match a.remove(&key) {
                    Some(earlier) => merge(earlier, shape),
                    None => shape,
                };
                a.insert(key, merged);
            }
            Shape::Object(a)
        }
        (Shape::Array(a), Shape::Array(b)) => Shape::Array(match (a, b) {
            (Some(a), Some(b)) => Some(Box::new(merge(*a, *b))),
            (a, b) => a.or(b),
        }),
        (a, b) if a == b => a,
        (a, b) => Shape::Mixed(vec![name(&a), name(&b)]),
    }
}

fn name(shape: &Shape) -> String {
    match shape {
        Shape::Null => "null".into(),
        Shape::Bool => "boolean".into(),
        Shape::Number => "number".into(),
        Shape::String => "string".into(),
        Shape::Array(_) => "list".into(),
        Shape::Object(_) => "object".into(),
        Shape::Mixed(names) => names.join(" or "),
    }
}

/// Where `real` differs from `documented`, one line each. An empty list
/// matches any list: it shows no item to compare.
fn differences(documented: &Shape, real: &Shape, path: &str, out: &mut Vec<String>) {
    match (documented, real) {
        (Shape::Object(doc), Shape::Object(real)) => {
            for key in doc.keys().filter(|k| !real.contains_key(*k)) {
                out.push(format!(
                    "{path}.{key}: documented, but the command never prints it"
                ));
            }
            for key in real.keys().filter(|k| !doc.contains_key(*k)) {
                out.push(format!("{path}.{key}: printed, but not documented"));
            }
            for (key, doc_shape) in doc {
                if let Some(real_shape) = real.get(key) {
                    differences(doc_shape, real_shape, &format!("{path}.{key}"), out);
                }
            }
        }
        (Shape::Array(Some(doc)), Shape::Array(Some(real))) => {
            differences(doc, real, &format!("{path}[]"), out)
        }
        (Shape::Array(_), Shape::Array(_)) => {}
        (doc, real) if doc == real => {}
        (doc, real) => out.push(format!(
            "{path}: documented as {}, printed as {}",
            name(doc),
            name(real)
        )),
    }
}

/// A JSON document, or a JSON lines file: its documents.
fn documents(text: &str) -> Vec<Value> {
    match serde_json::from_str(text) {
        Ok(value) => vec![value],
        Err(_) => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect(),
    }
}

fn has_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.iter().any(has_null),
        Value::Object(fields) => fields.values().any(has_null),
        _ => false,
    }
}

/// Runs the commands of one example in a fresh directory holding the files
/// the page names, and returns what the last one printed (or, for `cat
/// FILE`, the file).
fn output_of(commands: &[String]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::copy(example_sender(), dir.join("me.toml")).unwrap();
    std::fs::write(dir.join("members.csv"), MEMBERS).unwrap();
    copy_dir(&example_campaigns(), &dir.join("examples/campaigns"));
    let server = commands
        .iter()
        .any(|c| c.contains("protest send"))
        .then(|| Server::start(dir, &[]));
    let mut last = String::new();
    for command in commands {
        let (mut words, _) = markdown::shell_words(command);
        if words[0] == "cat" {
            last = std::fs::read_to_string(dir.join(&words[1]))
                .unwrap_or_else(|e| panic!("`{command}`: {e}"));
            continue;
        }
        // Environment assignments before the command are the test's own (the
        // password below).
        let command_starts = words.iter().position(|w| !w.contains('=')).unwrap();
        words.drain(..command_starts);
        assert_eq!(words[0], "protest", "`{command}`: not a protest command");
        if let Some(server) = &server {
            for (flag, value) in [
                ("--smtp", format!("smtp://127.0.0.1:{}", server.port)),
                ("--user", SMTP_USER.to_string()),
            ] {
                if let Some(at) = words.iter().position(|w| w == flag) {
                    words[at + 1] = value;
                }
            }
            // The test server offers no STARTTLS: logging in to it without is
            // allowed on this computer when asked for.
            if words.get(1).is_some_and(|w| w == "send") {
                words.push("--insecure-plain-auth".to_string());
            }
        }
        let (code, out, err) = run(protest()
            .current_dir(dir)
            .env("XDG_STATE_HOME", dir.join("state"))
            .env("PROTEST_SMTP_PASSWORD", PASSWORD)
            .args(&words[1..]));
        assert_eq!(code, 0, "`{command}` failed:\n{err}");
        last = out;
    }
    last
}

#[test]
fn every_documented_json_document_is_what_its_command_prints() {
    let page_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md");
    let page = std::fs::read_to_string(&page_path).unwrap();
    let blocks = markdown::fenced_blocks(&page);
    let mut commands: Option<Vec<String>> = None;
    let mut failures = Vec::new();
    let mut checked = Vec::new();
    for block in &blocks {
        match block.lang.as_str() {
            "sh" => commands = Some(markdown::command_lines(&block.text)),
            "json" => {
                let at = format!("docs/json.md:{}", block.line);
                let commands = commands
                    .take()
                    .unwrap_or_else(|| panic!("{at}: no ```sh block of commands above it"));
                let documented = documents(&block.text);
                for document in &documented {
                    assert_eq!(document["schema"], SCHEMA, "{at}: {document}");
                }
                let printed = documents(&output_of(&commands));
                for document in &printed {
                    assert_eq!(document["schema"], SCHEMA, "{at}: printed {document}");
                    assert!(!has_null(document), "{at}: printed a null: {document}");
                }
                let merged = |all: &[Value]| all.iter().map(shape).reduce(merge).unwrap();
                let mut found = Vec::new();
                differences(&merged(&documented), &merged(&printed), "", &mut found);
                let last = commands.last().unwrap();
                failures.extend(found.into_iter().map(|d| format!("{at} ({last}): {d}")));
                checked.push(last.clone());
            }
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every document protest has is on the page.
    for wanted in [
        "protest write mukhammedkarim --to gb-london --sender me.toml --json",
        "--out letters/ --json",
        "cat letters/manifest.jsonl",
        "protest letters --json",
        "protest letters --archived --json",
        "protest letters show",
        "protest letters prisoners --json",
        "protest embassies --json",
        "protest embassies show",
        "protest check --json",
        "campaigns --json",
        "--dry-run --json",
        "--yes --json",
        "cat drafts/send-log.jsonl",
        "protest tally drafts/ --json",
        "--json --with-names",
        "cat letters/replies.jsonl",
    ] {
        assert!(
            checked.iter().any(|c| c.contains(wanted)),
            "docs/json.md has no example of `{wanted}`"
        );
    }
}

/// The comparison itself can fail: a key renamed, a type changed, a key
/// added, are each found.
#[test]
fn a_changed_key_or_type_is_a_difference() {
    let doc = shape(&serde_json::json!({"letters": [{"letter": "a", "n": 1}]}));
    for (changed, expected) in [
        (
            serde_json::json!({"letters": [{"id": "a", "n": 1}]}),
            vec![
                ".letters[].letter: documented, but the command never prints it",
                ".letters[].id: printed, but not documented",
            ],
        ),
        (
            serde_json::json!({"letters": [{"letter": "a", "n": "1"}]}),
            vec![".letters[].n: documented as number, printed as string"],
        ),
        (
            serde_json::json!({"letters": [{"letter": "a", "n": 1}, {"letter": "b", "n": 2, "x": true}]}),
            vec![".letters[].x: printed, but not documented"],
        ),
        (serde_json::json!({"letters": []}), vec![]),
    ] {
        let mut found = Vec::new();
        differences(&doc, &shape(&changed), "", &mut found);
        assert_eq!(found, expected, "{changed}");
    }
}
