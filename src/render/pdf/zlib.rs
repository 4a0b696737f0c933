//! Deflate (RFC 1951) in zlib streams (RFC 1950), as PDF's FlateDecode
//! reads them: whole, or made of pieces deflated apart, so that a piece every
//! document shares is deflated once a run.

/// Deflated `bytes`, as a zlib stream (RFC 1950). Page content gets a
/// faster level than fonts made once: the highest took half the run time
/// for 0.1 % smaller files.
pub fn deflate(bytes: &[u8], level: u32) -> Vec<u8> {
    compress(bytes, level, Deflate::Zlib)
}

/// What [`compress`] makes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Deflate {
    /// A whole zlib stream.
    Zlib,
    /// Raw deflate blocks ending on a byte, so that more can follow.
    Opening,
    /// Raw deflate blocks, the last one final.
    Closing,
}

pub fn compress(bytes: &[u8], level: u32, what: Deflate) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    thread_local! {
        /// Each thread's compressors, by level and wrapper: setting up a
        /// compressor's tables (a few hundred KB) cost more than compressing
        /// a page.
        static COMPRESSORS: std::cell::RefCell<Vec<(u32, bool, Compress)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let zlib = what == Deflate::Zlib;
    let flush = match what {
        Deflate::Opening => FlushCompress::Sync,
        Deflate::Zlib | Deflate::Closing => FlushCompress::Finish,
    };
    COMPRESSORS.with_borrow_mut(|compressors| {
        let at = match compressors
            .iter()
            .position(|(l, z, _)| *l == level && *z == zlib)
        {
            Some(at) => at,
            None => {
                let compressor = Compress::new(Compression::new(level), zlib);
                compressors.push((level, zlib, compressor));
                compressors.len() - 1
            }
        };
        let z = &mut compressors[at].2;
        z.reset();
        // Room for input that does not compress, so that one call does it.
        let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8 + 64);
        loop {
            let read = z.total_in() as usize;
            let status = z
                .compress_vec(&bytes[read..], &mut out, flush)
                .expect("deflating into memory cannot fail");
            let done = match what {
                Deflate::Opening => {
                    z.total_in() as usize == bytes.len() && out.len() < out.capacity()
                }
                _ => status == Status::StreamEnd,
            };
            if done {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// Adler-32 (RFC 1950) of `bytes`.
pub fn adler32(bytes: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    // The most bytes before the sums can overflow (zlib's NMAX).
    for chunk in bytes.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// The Adler-32 of two byte strings one after the other, from theirs and the
/// length of the second (zlib's adler32_combine).
pub fn adler32_combine(first: u32, second: u32, second_len: usize) -> u32 {
    const MOD: u32 = 65_521;
    let rem = (second_len % MOD as usize) as u32;
    let mut sum1 = first & 0xffff;
    let mut sum2 = (rem * sum1) % MOD;
    sum1 += (second & 0xffff) + MOD - 1;
    sum2 += ((first >> 16) & 0xffff) + ((second >> 16) & 0xffff) + MOD - rem;
    if sum1 >= MOD {
        sum1 -= MOD;
    }
    if sum1 >= MOD {
        sum1 -= MOD;
    }
    if sum2 >= MOD << 1 {
        sum2 -= MOD << 1;
    }
    if sum2 >= MOD {
        sum2 -= MOD;
    }
    sum1 | (sum2 << 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zlib_stream_of_pieces_inflates_to_the_whole() {
        use std::io::Read;
        let whole: Vec<u8> = (0..40_000u32).map(|i| (i * i % 251) as u8).collect();
        let (a, b) = whole.split_at(17_000);
        assert_eq!(
            adler32(&whole),
            adler32_combine(adler32(a), adler32(b), b.len())
        );
        let mut stream = vec![0x78, 0x9c];
        stream.extend(compress(a, 6, Deflate::Opening));
        stream.extend(compress(b, 1, Deflate::Closing));
        stream.extend(adler32(&whole).to_be_bytes());
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(&stream[..])
            .read_to_end(&mut back)
            .unwrap();
        assert!(back == whole);
        let mut inflated = Vec::new();
        flate2::read::ZlibDecoder::new(&deflate(&whole, 3)[..])
            .read_to_end(&mut inflated)
            .unwrap();
        assert!(inflated == whole);
    }
}
