//! Mutants of PDFs for `tests/fuzz.rs`, all made here from the fixtures'
//! own bytes: byte-level damage (this file) and structural damage
//! ([`structure`]: cross-reference data, stream lengths, deep nesting and
//! cycles, decompression bombs).

pub mod structure;

/// xorshift64* (Vigna 2016): tiny, fast, and good enough to pick offsets.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn byte(&mut self) -> u8 {
        self.next() as u8
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (non-empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A random range of `data` of at most `max` bytes (non-empty data).
fn range(rng: &mut Rng, len: usize, max: usize) -> (usize, usize) {
    let n = rng.between(1, max.min(len).max(1));
    let start = rng.below(len - n + 1);
    (start, start + n)
}

/// One byte-level mutation of `data`, named for the file name.
pub fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) -> &'static str {
    let len = data.len();
    if len < 2 {
        data.push(rng.byte());
        return "grow";
    }
    match rng.below(7) {
        0 => {
            // a few random bytes anywhere (mostly inside compressed streams)
            for _ in 0..rng.between(1, 16) {
                let i = rng.below(len);
                data[i] = rng.byte();
            }
            "flip"
        }
        1 => {
            // one bit each in a few places
            for _ in 0..rng.between(1, 8) {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            "bit"
        }
        2 => {
            // change ASCII digits: object numbers, xref offsets, /Length,
            // /Count, /Size, startxref — the structure, not the streams
            let digits: Vec<usize> = (0..len).filter(|&i| data[i].is_ascii_digit()).collect();
            if digits.is_empty() {
                data[rng.below(len)] = rng.byte();
            } else {
                for _ in 0..rng.between(1, 6) {
                    let i = digits[rng.below(digits.len())];
                    data[i] = b'0' + rng.below(10) as u8;
                }
            }
            "digit"
        }
        3 => {
            let (a, b) = range(rng, len, 4096);
            data.drain(a..b);
            "delete"
        }
        4 => {
            let (a, b) = range(rng, len, 4096);
            let chunk = data[a..b].to_vec();
            let at = rng.below(len + 1);
            data.splice(at..at, chunk);
            "duplicate"
        }
        5 => {
            data.truncate(rng.below(len));
            "truncate"
        }
        _ => {
            // the head of this file and the tail of another
            let cut = rng.below(len);
            let from = rng.below(other.len().max(1));
            data.truncate(cut);
            data.extend_from_slice(&other[from.min(other.len())..]);
            "splice"
        }
    }
}
