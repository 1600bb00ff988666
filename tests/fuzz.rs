//! A bounded fuzz-style test of the whole batch: a few thousand mutants of
//! the ingestion fixtures and the corpus PDFs, written into one folder and
//! audited in ONE run of the binary. Most are byte-level damage (byte
//! flips, digit changes in offsets and lengths, chunk deletions and
//! duplications, truncation at random offsets, splices of two files); a
//! quarter are structural (`mutants/structure.rs`): cross-reference tables
//! and streams corrupted, stream `/Length`s wrong, arrays and dictionaries
//! nested thousands deep, page-tree, `/Parent`, outline and form cycles,
//! decompression bombs of hundreds of MiB through nested filters — each
//! made here from the fixtures' own bytes and objects.
//!
//! Whatever the parsers do on them — error, panic, stack overflow, abort,
//! endless loop — the run must exit 0 and every input must get exactly one
//! record; a failed record names its ING code and its cause in Chinese; no
//! panic text reaches a record or the run's output; a decompression bomb
//! the text layer meets is refused by its measure (never "needs OCR", never
//! the time limit).
//!
//! The seed is fixed, so a failure reproduces; `JIXIAO_FUZZ_SEED` and
//! `JIXIAO_FUZZ_CASES` override it and the number of mutants for a longer
//! local run (`cargo test --release --test fuzz` audits them with the
//! release build). The mutants are written under `CARGO_TARGET_TMPDIR` and
//! removed when the test passes (kept for inspection when it fails, or with
//! `JIXIAO_FUZZ_KEEP`).

mod mutants;

use mutants::structure::{self, Expect, Shape};
use mutants::{mutate_bytes, Rng};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const SEED: u64 = 0x6a69_7869_616f_2033; // "jixiao 3"
const CASES: usize = 2000;
const CORPUS_PERCENT: usize = 4;
/// Mutants that are structural rather than byte-level.
const STRUCTURAL_PERCENT: usize = 25;
/// Per-file time limit for the run: short, so that a variant that makes the
/// parser loop costs seconds, not the default minute.
const TIMEOUT_SECS: &str = "5";

/// What the runtime prints for a panic or an abort, and what a panic's
/// message says: none of it may reach a record or the run's output.
const PANIC_TEXT: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "stack backtrace",
    "overflowed its stack",
    "fatal runtime error",
    "unwrap()",
    "expect(",
    "assertion failed",
    "index out of bounds",
    "attempt to ",
    "called `",
    "memory allocation of",
];

/// What a record says when jixiao's own code (not a library's) panicked.
const OWN_CRASH: &[&str] = &["文字层在读取页面时崩溃", "内部提取错误", "内部分析错误"];

struct Source {
    stem: String,
    bytes: Vec<u8>,
    shape: Option<Shape>,
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
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            Source {
                stem: p.file_stem().unwrap().to_string_lossy().into_owned(),
                shape: structure::shape(&bytes),
                bytes,
            }
        })
        .filter(|s| !s.bytes.is_empty())
        .collect()
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// One mutant of `src`: its name and what its record must say.
fn mutant(rng: &mut Rng, src: &Source, other: &[u8]) -> (Vec<u8>, String, Expect) {
    if rng.chance(STRUCTURAL_PERCENT) {
        let (mut data, name, expect) = structure::mutate(rng, &src.bytes, src.shape.as_ref());
        // some get byte-level damage on top, and then anything goes
        if rng.chance(15) {
            let more = mutate_bytes(rng, &mut data, other);
            return (data, format!("{name}+{more}"), Expect::Any);
        }
        return (data, name, expect);
    }
    let mut data = src.bytes.clone();
    let mut ops = vec![mutate_bytes(rng, &mut data, other)];
    // a third of the variants get a second mutation
    if rng.chance(33) {
        ops.push(mutate_bytes(rng, &mut data, other));
    }
    (data, ops.join("+"), Expect::Any)
}

/// Text that comes from a panic or an abort, if `text` holds any.
fn panic_text(text: &str) -> Option<&'static str> {
    PANIC_TEXT.iter().copied().find(|p| text.contains(p))
}

/// What is wrong with one record, if anything.
fn violation(r: &Value, expect: Expect) -> Option<String> {
    let all = r.to_string();
    if let Some(p) = panic_text(&all) {
        return Some(format!("panic text {p:?}"));
    }
    // jixiao's own code (the text layer, the analysis) never panics
    if let Some(p) = OWN_CRASH.iter().find(|p| all.contains(*p)) {
        return Some(format!("jixiao's own code crashed: {p:?}"));
    }
    match r["status"].as_str() {
        Some("ok") => {
            if !r["error"].is_null() {
                return Some("ok with an error".into());
            }
            if r["source"]["pages"].as_u64().unwrap_or(0) < 1 {
                return Some("ok without pages".into());
            }
            None
        }
        Some("failed") => {
            let code = r["error"]["code"].as_str().unwrap_or_default();
            if !["ING001", "ING002", "ING003", "ING004", "ING005"].contains(&code) {
                return Some(format!("not an ING code: {code:?}"));
            }
            if !r["report"].is_null() || r["findings"].as_array().is_some_and(|f| !f.is_empty()) {
                return Some("failed with a report".into());
            }
            let message = r["error"]["message"].as_str().unwrap_or_default();
            // the batch prefixes the file name; the cause follows, in Chinese
            let name = Path::new(r["source"]["path"].as_str().unwrap_or_default())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let cause = message.strip_prefix(name.as_str()).unwrap_or(message);
            let cause = cause.trim_start_matches('：').trim();
            let han = cause.chars().filter(|&c| jixiao::ingest::is_han(c)).count();
            if han < 4 {
                return Some(format!("no cause in Chinese: {cause:?}"));
            }
            if expect == Expect::Bomb && code == "ING003" {
                return Some("a decompression bomb reported as needing OCR".into());
            }
            if expect == Expect::Bomb && message.contains("处理超时") {
                return Some("a decompression bomb ended at the time limit".into());
            }
            None
        }
        _ => Some("status is neither ok nor failed".into()),
    }
}

#[test]
fn thousands_of_damaged_pdfs_each_get_one_named_record() {
    let seed = env_or("JIXIAO_FUZZ_SEED", SEED);
    let cases = env_or("JIXIAO_FUZZ_CASES", CASES);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = sources(&root.join("fixtures/ingest"));
    let corpus = sources(&root.join("corpus"));
    assert!(fixtures.len() >= 10 && corpus.len() >= 4);
    assert!(
        fixtures.iter().filter(|s| s.shape.is_some()).count() >= 8,
        "lopdf reads the fixtures the structural mutants are made of"
    );

    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    let inputs = work.join("inputs");
    let out = work.join("out");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&inputs).unwrap();

    // Mostly the small fixtures; a few variants from a corpus PDF
    // (150-520 KB, which costs far more to parse).
    let mut rng = Rng::new(seed);
    let mut expected: HashMap<String, Expect> = HashMap::with_capacity(cases);
    let mut paths = Vec::with_capacity(cases);
    let mut written = 0u64;
    let made = Instant::now();
    for i in 0..cases {
        let pool = if rng.chance(CORPUS_PERCENT) {
            &corpus
        } else {
            &fixtures
        };
        let src = &pool[rng.below(pool.len())];
        let other = &fixtures[rng.below(fixtures.len())].bytes;
        let (data, name, expect) = mutant(&mut rng, src, other);
        let path = inputs.join(format!("{i:05}-{}-{name}.pdf", src.stem));
        std::fs::write(&path, &data).unwrap();
        written += data.len() as u64;
        let path = path.to_str().unwrap().to_string();
        expected.insert(path.clone(), expect);
        paths.push(path);
    }
    paths.sort();
    eprintln!(
        "fuzz: seed {seed:#x}, {cases} variants, {:.1} MB, made in {:.1} s",
        written as f64 / 1e6,
        made.elapsed().as_secs_f64()
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
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "stderr: {stderr}");
    for text in [&stderr, &stdout] {
        if let Some(p) = panic_text(text) {
            panic!("panic text {p:?} in the run's output: {text}");
        }
    }

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
    let mut wrong = Vec::new();
    for r in &records {
        let path = r["source"]["path"].as_str().unwrap();
        if let Some(why) = violation(r, expected[path]) {
            wrong.push(format!("{why}: {r}"));
        }
        let outcome = match r["error"]["code"].as_str() {
            None => "ok".to_string(),
            Some(_)
                if r["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("处理超时")) =>
            {
                "ING005 time-out".to_string()
            }
            Some(code) => code.to_string(),
        };
        *outcomes.entry(outcome).or_default() += 1;
    }
    eprintln!(
        "fuzz: audited in {:.1} s: {outcomes:?}",
        elapsed.as_secs_f64()
    );
    assert!(
        wrong.is_empty(),
        "{} records break the rules:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    if std::env::var_os("JIXIAO_FUZZ_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
}
