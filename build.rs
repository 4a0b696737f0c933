//! Embeds every shipped campaign (a folder: campaign.toml, letters/*.hbs,
//! letters/prisoners.toml, embassies.toml) so the binary works from any
//! directory, without a list of letters in the code that could fall out of step.

use std::fmt::Write as _;
use std::path::Path;

/// The folders of the campaigns built into the binary, the default first.
const CAMPAIGNS: &[&str] = &["campaigns/kazakhstan"];

fn main() {
    let dir = std::env::current_dir().expect("current directory");
    let mut code = String::from(
        "/// The shipped campaigns, the default first.\npub const CAMPAIGNS: &[Builtin] = &[\n",
    );
    let mut dates = Vec::new();
    for campaign in CAMPAIGNS {
        let root = dir.join(campaign);
        for file in ["campaign.toml", "letters", "embassies.toml"] {
            println!("cargo:rerun-if-changed={}", root.join(file).display());
        }
        let mut files: Vec<String> = std::fs::read_dir(root.join("letters"))
            .expect("a shipped campaign has a letters/ directory")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".hbs"))
            .collect();
        files.sort();
        let include = |path: &Path| format!("include_str!({:?})", path.display().to_string());
        writeln!(
            code,
            "    Builtin {{\n        campaign: {},\n        prisoners: {},\n        embassies: {},\n        letters: &[",
            include(&root.join("campaign.toml")),
            include(&root.join("letters/prisoners.toml")),
            include(&root.join("embassies.toml")),
        )
        .unwrap();
        for name in &files {
            writeln!(
                code,
                "            ({name:?}, {}),",
                include(&root.join("letters").join(name))
            )
            .unwrap();
        }
        code.push_str("        ],\n    },\n");
        dates.extend(data_dates(&root));
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let newest = dates.into_iter().max().expect("the shipped data has dates");
    println!("cargo:rustc-env=PROTEST_DATA_DATE={newest}");
    std::fs::write(Path::new(&out).join("builtin_campaigns.rs"), code)
        .expect("write builtin_campaigns.rs");
}

/// How current a campaign's data is, for `--version`: the dates a directory
/// entry was verified or a prisoner's situation reported (the newest is the
/// data's date; `protest campaigns` finds the same from the parsed data). A
/// date reads as text (YYYY, YYYY-MM or YYYY-MM-DD), so the newest is the greatest.
fn data_dates(root: &Path) -> Vec<String> {
    let dates = |file: &str, keys: &[&str]| -> Vec<String> {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        text.lines()
            .filter_map(|line| {
                let (key, value) = line.split_once('=')?;
                keys.contains(&key.trim())
                    .then(|| value.trim().trim_matches('"').to_string())
            })
            .filter(|value| {
                value.len() >= 4 && value.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            })
            .collect()
    };
    let mut all = dates("embassies.toml", &["verified"]);
    all.extend(dates("campaign.toml", &["verified"]));
    all.extend(dates("letters/prisoners.toml", &["date", "status_date"]));
    all
}
