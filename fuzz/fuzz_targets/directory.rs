//! An embassies TOML file given with --embassies, merged over the shipped
//! directory, with a letter composed to every entry it adds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        protest_fuzz::directory(text);
    }
});
