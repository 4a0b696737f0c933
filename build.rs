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
    std::fs::write(Path::new(&out).join("builtin_letters.rs"), code)
        .expect("write builtin_letters.rs");
}
