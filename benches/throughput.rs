//! Throughput and memory of the whole audit against `pdftotext`, on the
//! same files in the same run, one thread each.
//!
//! `cargo bench --bench throughput [-- DIR [ROUNDS]]` (default:
//! `benches/data`, the ~90-page reports of `scripts/make_bench.sh`, one per
//! producer; 5 rounds).
//!
//! 1. Per file: `jixiao audit FILE --out TMP -j 1` (read, extract in the
//!    worker, check, write the dataset: the whole job, process start
//!    included) and `pdftotext FILE -`, alternating, ROUNDS times each;
//!    the medians of CPU time (user + system of the process and its
//!    workers, from `wait4`) and of wall time, pages per second of CPU
//!    and the ratios. CPU time is what a job costs on one core whatever
//!    else the shared machine runs; wall time is shown beside it.
//! 2. Per producer as a reviewer runs it: a batch of 8 copies of each file
//!    (the run's fixed costs — process start, jieba's dictionary, about
//!    0.15 s of CPU — are paid once per run, not per file), then all files
//!    as one batch, the same way.
//! 3. Memory as the batch grows: the batch of DIR copied 1, 4 and 16 times
//!    (`-j 1`), with the peak resident memory of the largest process of the
//!    run (the audit or one of its workers: `wait4`'s `ru_maxrss`). Flat
//!    means records are streamed, not held.
//!
//! 4. OCR: the seed scanned at 200 dpi (`fixtures/scans/`), read by
//!    Tesseract three times per page (see `src/ingest/ocr.rs`), beside the text
//!    PDF it was printed from: pages per second of CPU, one round each
//!    (when Tesseract is installed).
//!
//! Absolute times on a shared machine are noise; the ratio, measured in one
//! run, is the figure to compare. `pdftotext` comes from poppler-utils;
//! without it only jixiao is timed.

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

/// What one run cost.
#[derive(Clone, Copy, Default)]
struct Cost {
    wall: Duration,
    /// User plus system CPU time of the process and its waited-for
    /// children (the workers): what the job costs on one core, whatever
    /// else the machine is doing.
    cpu: Duration,
    /// Peak resident memory of the largest process of the tree, KiB.
    peak_kib: u64,
}

fn tv(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// Runs `cmd` to completion.
// The child is reaped by `wait4` (for its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run(cmd: &mut Command) -> Cost {
    let t = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data, and `pid` is our child, not yet waited.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = t.elapsed();
    assert_eq!(r, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed: {status}"
    );
    Cost {
        wall: elapsed,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_kib: usage.ru_maxrss as u64,
    }
}

fn audit(exe: &str, files: &[PathBuf], out: &Path) -> Cost {
    run(Command::new(exe)
        .args(["audit", "-j", "1", "--out"])
        .arg(out)
        .args(files))
}

fn pdftotext(files: &[PathBuf]) -> Cost {
    let mut total = Cost::default();
    for f in files {
        let c = run(Command::new("pdftotext").arg(f).arg("-"));
        total.wall += c.wall;
        total.cpu += c.cpu;
        total.peak_kib = total.peak_kib.max(c.peak_kib);
    }
    total
}

fn pages_of(out: &Path) -> u64 {
    let jsonl = std::fs::read_to_string(out.join("reports.jsonl")).expect("reports.jsonl");
    jsonl
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|r| r["source"]["pages"].as_u64())
        .sum()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

struct Row {
    name: String,
    pages: u64,
    /// Median CPU and wall time of the runs.
    jixiao: (Duration, Duration),
    poppler: Option<(Duration, Duration)>,
    peak_kib: u64,
}

fn measure(
    exe: &str,
    name: String,
    files: &[PathBuf],
    rounds: usize,
    poppler: bool,
    out: &Path,
) -> Row {
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..rounds {
        ours.push(audit(exe, files, out));
        if poppler {
            theirs.push(pdftotext(files));
        }
    }
    let medians = |v: &[Cost]| {
        (
            median(v.iter().map(|c| c.cpu).collect()),
            median(v.iter().map(|c| c.wall).collect()),
        )
    };
    Row {
        name,
        pages: pages_of(out),
        jixiao: medians(&ours),
        poppler: poppler.then(|| medians(&theirs)),
        peak_kib: ours.iter().map(|c| c.peak_kib).max().unwrap_or(0),
    }
}

fn print(row: &Row) {
    let rate = |d: Duration| row.pages as f64 / d.as_secs_f64();
    let (cpu, wall) = row.jixiao;
    print!(
        "{:<28} {:>5} {:>7.3} {:>8.1} {:>7.3}",
        row.name,
        row.pages,
        cpu.as_secs_f64(),
        rate(cpu),
        wall.as_secs_f64(),
    );
    match row.poppler {
        Some((p_cpu, p_wall)) => print!(
            " {:>7.3} {:>8.1} {:>7.3} {:>6.2} {:>6.2}",
            p_cpu.as_secs_f64(),
            rate(p_cpu),
            p_wall.as_secs_f64(),
            cpu.as_secs_f64() / p_cpu.as_secs_f64(),
            wall.as_secs_f64() / p_wall.as_secs_f64()
        ),
        None => print!(" {:>7} {:>8} {:>7} {:>6} {:>6}", "-", "-", "-", "-", "-"),
    }
    println!(" {:>8.1}", row.peak_kib as f64 / 1024.0);
}

/// Copies of one file per producer batch.
const BATCH: usize = 8;

/// `n` copies of `file` under `tmp`, each in a folder of its own.
fn copies(file: &Path, n: usize, tmp: &Path) -> Vec<PathBuf> {
    (0..n)
        .map(|c| {
            let d = tmp.join(format!("copy{c}"));
            std::fs::create_dir_all(&d).unwrap();
            let to = d.join(file.file_name().unwrap());
            if !to.exists() {
                std::fs::copy(file, &to).unwrap();
            }
            to
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let dir = PathBuf::from(args.first().map(String::as_str).unwrap_or("benches/data"));
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let exe = env!("CARGO_BIN_EXE_jixiao");
    let files = pdfs(&dir);
    assert!(!files.is_empty(), "no PDFs under {}", dir.display());
    let tmp = std::env::temp_dir().join(format!("jixiao-bench-{}", std::process::id()));
    let out = tmp.join("out");
    let poppler = Command::new("pdftotext")
        .arg("-v")
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !poppler {
        println!("pdftotext not found (apt-get install poppler-utils): no ratio");
    }

    println!(
        "{} PDFs under {}, {rounds} rounds, one thread each, medians",
        files.len(),
        dir.display()
    );
    println!("jixiao: the whole audit (process start, worker, checks, dataset written);");
    println!("cpu: user+system seconds of the process tree; ratio: jixiao / pdftotext");
    println!(
        "{:<28} {:>5} {:>7} {:>8} {:>7} {:>7} {:>8} {:>7} {:>6} {:>6} {:>8}",
        "file",
        "pages",
        "cpu s",
        "pages/s",
        "wall s",
        "pdftxt",
        "pages/s",
        "wall s",
        "cpu x",
        "wall x",
        "peak MiB"
    );
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        print(&measure(
            exe,
            name,
            std::slice::from_ref(f),
            rounds,
            poppler,
            &out,
        ));
    }
    // The same per producer as a reviewer runs it: a batch of that
    // producer's reports (the run's fixed costs — process start, the word
    // dictionary — shared by the batch).
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let batch = copies(f, BATCH, &tmp);
        print(&measure(
            exe,
            format!("{BATCH} x {}", name.trim_end_matches(".pdf")),
            &batch,
            rounds,
            poppler,
            &out,
        ));
    }
    print(&measure(
        exe,
        "all, one batch".into(),
        &files,
        rounds,
        poppler,
        &out,
    ));

    println!("\nmemory as the batch grows (-j 1, one round each)");
    println!(
        "{:>7} {:>6} {:>9} {:>9}",
        "copies", "files", "pages", "peak MiB"
    );
    for n in [1, 4, 16] {
        let mut batch: Vec<PathBuf> = files.iter().flat_map(|f| copies(f, n, &tmp)).collect();
        batch.sort();
        let cost = audit(exe, &batch, &out);
        println!(
            "{n:>7} {:>6} {:>9} {:>9.1}",
            batch.len(),
            pages_of(&out),
            cost.peak_kib as f64 / 1024.0
        );
    }
    if jixiao::ingest::ocr::engine().is_ok() {
        println!("\nOCR: a scan beside the text PDF it was printed from (one round each)");
        for (name, file) in [
            (
                "seed, text PDF",
                "corpus/guangzhou-archives-2023-libreoffice.pdf",
            ),
            (
                "seed scanned, 200 dpi",
                "fixtures/scans/seed-libreoffice-200.pdf",
            ),
        ] {
            print(&measure(
                exe,
                name.into(),
                &[PathBuf::from(file)],
                1,
                poppler,
                &out,
            ));
        }
    } else {
        println!("\nOCR: Tesseract with chi_sim not installed, not measured");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
