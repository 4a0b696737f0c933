//! A senders CSV file (any bytes), read row by row, a letter composed for
//! every row that reads.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    protest_fuzz::senders(data);
});
