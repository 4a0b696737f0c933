//! Inputs the fuzz targets (fuzz/) found, or that broke the same invariants
//! before they were fixed, replayed through the same entry points:
//! `tests/fuzz_regressions/TARGET/*`. A new crash from `fuzz/run.sh` is
//! kept by copying it from fuzz/artifacts/TARGET/ into the folder.

use std::path::Path;

#[path = "../fuzz/src/lib.rs"]
mod fuzzing;

fn replay(target: &str, run: impl Fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        eprintln!("{}", path.display());
        run(&bytes);
        count += 1;
    }
    assert!(count > 0, "no inputs in {}", dir.display());
}

#[test]
fn template_inputs() {
    replay("template", |bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            fuzzing::template(text);
        }
    });
}

#[test]
fn directory_inputs() {
    replay("directory", |bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            fuzzing::directory(text);
        }
    });
}

#[test]
fn senders_inputs() {
    replay("senders", fuzzing::senders);
}
