//! A template file as a user might write it: front matter, Handlebars body,
//! registered in the catalog and composed into a letter.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        protest_fuzz::template(text);
    }
});
