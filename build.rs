//! Embeds every shipped template in `letters/` so the binary works from any
//! directory, without a list in the code that could fall out of step.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=letters");
    let mut files: Vec<String> = std::fs::read_dir("letters")
        .expect("the letters/ directory ships with the source")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".hbs"))
        .collect();
    files.sort();
    let dir = std::env::current_dir().expect("current directory");
    let mut code = String::from(
        "/// Shipped templates: (file name, contents).\npub const LETTERS: &[(&str, &str)] = &[\n",
    );
    for name in &files {
        let path = dir.join("letters").join(name);
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=embassies.toml");
    println!("cargo:rustc-env=PROTEST_DATA_DATE={}", data_date());
    std::fs::write(Path::new(&out).join("builtin_letters.rs"), code)
        .expect("write builtin_letters.rs");
}

/// How current the built-in data is, for `--version`: the newest date a
/// directory entry was verified or a prisoner's situation reported. A date
/// reads as text (YYYY, YYYY-MM or YYYY-MM-DD), so the newest is the greatest.
fn data_date() -> String {
    let dates = |file: &str, keys: &[&str]| -> Vec<String> {
        let text = std::fs::read_to_string(file).unwrap_or_else(|err| panic!("{file}: {err}"));
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
    all.extend(dates("letters/prisoners.toml", &["date", "status_date"]));
    all.into_iter().max().expect("the shipped data has dates")
}
