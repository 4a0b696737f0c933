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
    // A language variant (`ID.LANG.hbs`) ships only with its letter: on a
    // branch where the letter has not arrived yet the binary must still load.
    files.retain(|name| match variant_of(name) {
        Some(id) if !Path::new("letters").join(format!("{id}.hbs")).exists() => {
            println!("cargo:warning=letters/{name} is not shipped: there is no letters/{id}.hbs");
            false
        }
        _ => true,
    });
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
    std::fs::write(Path::new(&out).join("builtin_letters.rs"), code)
        .expect("write builtin_letters.rs");
}

/// The letter id of a language variant's file name, as src/catalog/variants.rs reads it.
fn variant_of(name: &str) -> Option<&str> {
    let (id, lang) = name.strip_suffix(".hbs")?.rsplit_once('.')?;
    let is_language = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    (is_language && !id.is_empty()).then_some(id)
}
