//! Throughput of the whole audit against `pdftotext`, on the same files in
//! the same run, one thread each.
//!
//! `cargo bench --bench throughput [-- DIR [ROUNDS]]` (default: `corpus`, 5
//! rounds). For each round it runs `jixiao audit DIR --out TMP -j 1` (read,
//! extract in the worker, check, write the dataset) and then `pdftotext` on
//! every PDF of DIR, one after the other, and prints pages per second for
//! both and the ratio of the times. Absolute times on a shared machine are
//! noise; the ratio, measured in one run, is the figure to compare.
//! `pdftotext` comes from poppler-utils; without it only jixiao is timed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let dir = PathBuf::from(args.first().map(String::as_str).unwrap_or("corpus"));
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let exe = env!("CARGO_BIN_EXE_jixiao");
    let files = pdfs(&dir);
    let out = std::env::temp_dir().join(format!("jixiao-bench-{}", std::process::id()));
    let have_pdftotext = Command::new("pdftotext")
        .arg("-v")
        .stderr(Stdio::null())
        .status()
        .is_ok();

    let mut audit = Vec::new();
    let mut poppler = Vec::new();
    let mut pages = 0u64;
    for _ in 0..rounds {
        let t = Instant::now();
        let st = Command::new(exe)
            .args(["audit", "-j", "1", "--out"])
            .arg(&out)
            .args(&files)
            .stdout(Stdio::null())
            .status()
            .expect("run jixiao");
        assert!(st.success());
        audit.push(t.elapsed());
        if have_pdftotext {
            let t = Instant::now();
            for f in &files {
                let st = Command::new("pdftotext")
                    .arg(f)
                    .arg("-")
                    .stdout(Stdio::null())
                    .status()
                    .expect("run pdftotext");
                assert!(st.success());
            }
            poppler.push(t.elapsed());
        }
        let jsonl = std::fs::read_to_string(out.join("reports.jsonl")).expect("reports.jsonl");
        pages = jsonl
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|r| r["source"]["pages"].as_u64())
            .sum();
    }
    let _ = std::fs::remove_dir_all(&out);
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let a = median(&mut audit);
    println!(
        "{} PDFs, {pages} pages, {rounds} rounds, one thread each (median)",
        files.len()
    );
    println!(
        "jixiao audit: {:8.3} s  {:8.1} pages/s",
        a.as_secs_f64(),
        pages as f64 / a.as_secs_f64()
    );
    if have_pdftotext {
        let p = median(&mut poppler);
        println!(
            "pdftotext:    {:8.3} s  {:8.1} pages/s",
            p.as_secs_f64(),
            pages as f64 / p.as_secs_f64()
        );
        println!(
            "ratio audit / pdftotext: {:.2}",
            a.as_secs_f64() / p.as_secs_f64()
        );
    } else {
        println!("pdftotext not found (apt-get install poppler-utils): no ratio");
    }
}
