//! A bounded fuzz-style test of the whole batch: a few thousand mutated and
//! truncated variants of the ingestion fixtures and the corpus PDFs (byte
//! flips, digit changes in offsets and lengths, chunk deletions and
//! duplications, truncation at random offsets, splices of two files),
//! written into one folder and audited in ONE run of the binary. Whatever
//! the parser does on them — error, panic, stack overflow, abort, endless
//! loop — every input must get exactly one record with a named outcome,
//! and the run must exit 0.
//!
//! The seed is fixed, so a failure reproduces; `JIXIAO_FUZZ_SEED` and
//! `JIXIAO_FUZZ_CASES` override it and the number of variants for a longer
//! local run. The variants are written under `CARGO_TARGET_TMPDIR` and
//! removed when the test passes (kept for inspection when it fails).

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const SEED: u64 = 0x6a69_7869_616f_2033; // "jixiao 3"
const CASES: usize = 2000;
const CORPUS_PERCENT: usize = 4;
/// Per-file time limit for the run: short, so that a variant that makes the
/// parser loop costs seconds, not the default minute.
const TIMEOUT_SECS: &str = "5";

/// xorshift64* (Vigna 2016): tiny, fast, and good enough to pick offsets.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn byte(&mut self) -> u8 {
        self.next() as u8
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

struct Source {
    stem: String,
    bytes: Vec<u8>,
}

fn sources(dir: &Path) -> Vec<Source> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| Source {
            stem: p.file_stem().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&p).unwrap(),
        })
        .filter(|s| !s.bytes.is_empty())
        .collect()
}

/// A random range of `data` of at most `max` bytes (non-empty data).
fn range(rng: &mut Rng, len: usize, max: usize) -> (usize, usize) {
    let n = rng.between(1, max.min(len).max(1));
    let start = rng.below(len - n + 1);
    (start, start + n)
}

/// One mutation of `data`, named for the file name.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) -> &'static str {
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

#[test]
fn thousands_of_damaged_pdfs_each_get_one_named_record() {
    let seed = std::env::var("JIXIAO_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let cases = std::env::var("JIXIAO_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(CASES);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = sources(&root.join("fixtures/ingest"));
    let corpus = sources(&root.join("corpus"));
    assert!(fixtures.len() >= 10 && corpus.len() >= 4);

    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    let inputs = work.join("inputs");
    let out = work.join("out");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&inputs).unwrap();

    // Mostly the small fixtures; one variant in ten from a corpus PDF
    // (150-520 KB, which costs far more to parse).
    let mut rng = Rng::new(seed);
    let mut paths = Vec::with_capacity(cases);
    let mut written = 0u64;
    for i in 0..cases {
        let pool = if rng.chance(CORPUS_PERCENT) {
            &corpus
        } else {
            &fixtures
        };
        let src = &pool[rng.below(pool.len())];
        let other = &fixtures[rng.below(fixtures.len())].bytes;
        let mut data = src.bytes.clone();
        let mut ops = vec![mutate(&mut rng, &mut data, other)];
        // a third of the variants get a second mutation
        if rng.chance(33) {
            ops.push(mutate(&mut rng, &mut data, other));
        }
        let path = inputs.join(format!("{i:05}-{}-{}.pdf", src.stem, ops.join("+")));
        std::fs::write(&path, &data).unwrap();
        written += data.len() as u64;
        paths.push(path.to_str().unwrap().to_string());
    }
    paths.sort();
    eprintln!(
        "fuzz: seed {seed:#x}, {cases} variants, {:.1} MB",
        written as f64 / 1e6
    );

    let start = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "audit",
            inputs.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(["--timeout-secs", TIMEOUT_SECS])
        .output()
        .expect("the jixiao binary runs");
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "stderr: {stderr}");

    let jsonl = std::fs::read_to_string(out.join("reports.jsonl")).unwrap();
    let records: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    let got: Vec<&str> = records
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(got.len(), paths.len(), "one record per input");
    assert_eq!(got, paths, "one record per input, sorted by path");

    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for r in &records {
        let outcome = match r["status"].as_str() {
            Some("ok") => {
                assert!(r["error"].is_null(), "{r}");
                assert!(r["source"]["pages"].as_u64().unwrap_or(0) >= 1, "{r}");
                "ok".to_string()
            }
            Some("failed") => {
                let code = r["error"]["code"].as_str().unwrap_or_default();
                assert!(
                    ["ING001", "ING002", "ING003", "ING004", "ING005"].contains(&code),
                    "not an ING code: {r}"
                );
                let message = r["error"]["message"].as_str().unwrap_or_default();
                // the batch prefixes the file name; there must be a cause after it
                let name = Path::new(r["source"]["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let cause = message.strip_prefix(name.as_str()).unwrap_or(message);
                assert!(
                    cause.trim_start_matches('：').trim().chars().count() >= 4,
                    "no message: {r}"
                );
                assert!(r["report"].is_null(), "{r}");
                code.to_string()
            }
            _ => panic!("status is neither ok nor failed: {r}"),
        };
        *outcomes.entry(outcome).or_default() += 1;
    }
    eprintln!(
        "fuzz: audited in {:.1} s: {outcomes:?}",
        elapsed.as_secs_f64()
    );
    if std::env::var_os("JIXIAO_FUZZ_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
}
