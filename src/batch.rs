//! Batch: one [`Record`] for each file to audit (which files:
//! [`crate::discover`]).
//!
//! This module is the per-file loop around the pipeline. It promises:
//! - every file handed to [`audit_file`] gives exactly one record, whatever
//!   happens to it: an unreadable file, a parser failure or a panic in our
//!   own analysis becomes a failed record with an ING code, never an error
//!   and never a lost batch;
//! - records are deterministic: the path is kept as it was given (relative
//!   stays relative), and nothing that varies between runs (timings, thread
//!   order) goes into a record. Timings are returned beside the record.
//!
//! It knows nothing about the command line, progress bars or output
//! formats; the binary wires those around it.

use crate::analyze::{analyze, Analysis, StageTimings};
use crate::ingest::{IngestOptions, Ingester, Pages};
use crate::model::{Code, OcrSummary};
use crate::record::{Record, RecordError, Source, Status, SCHEMA_VERSION};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::any::Any;
use std::io::{self, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How to audit: ingestion limits and the number of threads.
#[derive(Clone, Debug, Default)]
pub struct AuditOptions {
    pub ingest: IngestOptions,
    /// Files audited at once. `0` means one per logical core.
    pub jobs: usize,
}

/// Wall time spent on one file, by stage. Never part of a record.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Reading the bytes and hashing them.
    pub read: Duration,
    /// Text extraction (including the worker process round trip).
    pub ingest: Duration,
    /// The analysis stages; zero when the file never got that far.
    pub stages: StageTimings,
    /// The whole of [`audit_file`] for this file.
    pub total: Duration,
}

impl Timings {
    fn add(&mut self, other: &Timings) {
        self.read += other.read;
        self.ingest += other.ingest;
        self.stages.normalize += other.stages.normalize;
        self.stages.segment += other.stages.segment;
        self.stages.extract += other.stages.extract;
        self.stages.assemble += other.stages.assemble;
        self.stages.check += other.stages.check;
        self.total += other.total;
    }
}

/// The timings of a whole run, for `summary.json`.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunTimings {
    /// Wall time of the batch, start to last record.
    pub wall: Duration,
    /// Per-stage times summed over all files. Files run in parallel, so
    /// these add up to more than `wall` on a machine with several cores.
    pub sum: Timings,
    /// Threads the batch ran on.
    pub threads: usize,
}

/// What [`audit_batch`] returns: the records, sorted by path, and how long
/// the run took.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub records: Vec<Record>,
    pub timings: RunTimings,
}

/// Audits one file: read, hash, ingest, analyze. Always returns a record.
/// With a worker executable, ingestion and analysis run in a worker process
/// started for this file alone, within the time and memory limits;
/// [`audit_batch`] shares a pool of them instead.
pub fn audit_file(path: &Path, opts: &AuditOptions) -> (Record, Timings) {
    let ingester = Ingester::new(opts.ingest.clone());
    audit_file_with(path, &ingester, analyze)
}

/// [`audit_file`] with the ingester and the analysis passed in, so that a
/// batch shares its workers and tests can make the analysis fail (the
/// analysis passed in is the one run without a worker; a worker runs the
/// crate's own, [`crate::worker::analysis_json`]).
fn audit_file_with(
    path: &Path,
    ingester: &Ingester,
    analyze: impl Fn(&Pages) -> Analysis,
) -> (Record, Timings) {
    let start = Instant::now();
    let mut timings = Timings::default();
    let mut source = Source {
        path: crate::discover::path_string(path),
        sha256: String::new(),
        bytes: 0,
        pages: None,
        text_layer: None,
        ocr: None,
    };
    let record = load(path, ingester, &mut source, &mut timings).map(|bytes| {
        audited(
            path,
            ingester,
            &bytes,
            source.clone(),
            &analyze,
            &mut timings,
        )
    });
    match record {
        Ok(record) => finish(record, timings, start),
        Err(record) => finish(*record, timings, start),
    }
}

/// The file's bytes, within the size limit; else its failed record.
fn load(
    path: &Path,
    ingester: &Ingester,
    source: &mut Source,
    timings: &mut Timings,
) -> Result<Vec<u8>, Box<Record>> {
    let start = Instant::now();
    let max_bytes = ingester.options().max_bytes;
    let read = read_limited(path, max_bytes);
    timings.read = start.elapsed();
    let bytes = match read {
        Err(e) => {
            let message = format!("{}：无法读取文件（{e}）", file_name(path));
            return Err(Box::new(failed(source.clone(), Code::ING001, message)));
        }
        Ok(Loaded::TooLarge { sha256, len }) => {
            source.sha256 = sha256;
            source.bytes = len;
            let message = format!(
                "{}：文件大小 {len} 字节，超过上限 {} 字节",
                file_name(path),
                max_bytes
            );
            return Err(Box::new(failed(source.clone(), Code::ING005, message)));
        }
        Ok(Loaded::Bytes(bytes)) => bytes,
    };
    source.sha256 = hex_sha256(&bytes);
    source.bytes = bytes.len() as u64;
    timings.read = start.elapsed();
    Ok(bytes)
}

/// The record of a file whose bytes were read: its audit — the text, and
/// the analysis of it — or the failed record that says why not. When the
/// analysis panics, the failed record keeps what ingestion noticed.
fn audited(
    path: &Path,
    ingester: &Ingester,
    bytes: &[u8],
    mut source: Source,
    analyze: &impl Fn(&Pages) -> Analysis,
    timings: &mut Timings,
) -> Record {
    let start = Instant::now();
    let in_process = |pages: &Pages| crate::worker::encode(&analyze(pages));
    let result = catch_unwind(AssertUnwindSafe(|| {
        ingester.audit(path, bytes, &in_process)
    }));
    timings.ingest = start.elapsed();
    let audited = match result {
        Ok(Ok(audited)) => audited,
        Ok(Err(e)) => {
            let message = name_the_file(path, &e.message);
            let mut record = failed(source, e.code, message);
            if let Some(error) = &mut record.error {
                error.transient = e.transient;
            }
            return record;
        }
        Err(panic) => {
            let message = format!(
                "{}：内部提取错误（文本提取时程序崩溃：{}），请将此文件反馈给开发者",
                file_name(path),
                panic_message(&*panic)
            );
            return failed(source, Code::ING004, message);
        }
    };
    source.pages = Some(u32::try_from(audited.pages).unwrap_or(u32::MAX));
    source.text_layer = Some(audited.text_layer);
    source.ocr = OcrSummary::of(&audited.ocr);
    let decoded = audited
        .analysis
        .and_then(|json| crate::worker::decode(&json).map_err(|_| "分析结果无法识别".to_string()));
    match decoded {
        Ok(analysis) => {
            let s = &analysis.timings;
            let stages = s.normalize + s.segment + s.extract + s.assemble + s.check;
            timings.ingest = timings.ingest.saturating_sub(stages);
            timings.stages = analysis.timings;
            let mut diagnostics = audited.diagnostics;
            diagnostics.extend(analysis.diagnostics);
            Record {
                schema_version: SCHEMA_VERSION,
                source,
                status: Status::Ok,
                error: None,
                document: Some(analysis.document),
                partners: Vec::new(),
                report: Some(analysis.report),
                findings: analysis.findings,
                diagnostics,
            }
        }
        Err(why) => {
            let message = format!(
                "{}：内部分析错误（分析时程序崩溃：{why}），文本已读出但未能检查，请将此文件反馈给开发者",
                file_name(path),
            );
            let mut record = failed(source, Code::ING004, message);
            // What ingestion noticed still helps whoever debugs the crash.
            record.diagnostics = audited.diagnostics;
            record
        }
    }
}

/// Audits `files` in parallel on `opts.jobs` threads, calling `on_done`
/// as each record is finished (in completion order, from worker threads),
/// and returns the records sorted by path.
pub fn audit_batch(
    files: &[PathBuf],
    opts: &AuditOptions,
    on_done: impl Fn(&Record) + Sync,
) -> Batch {
    let done = std::sync::Mutex::new(Vec::with_capacity(files.len()));
    let timings = audit_stream(files, opts, |record| {
        on_done(&record);
        done.lock().unwrap_or_else(|e| e.into_inner()).push(record);
    });
    let mut records = done.into_inner().unwrap_or_else(|e| e.into_inner());
    records.sort_by(|a, b| crate::discover::path_order(&a.source.path, &b.source.path));
    Batch { records, timings }
}

/// Audits `files` in parallel on `opts.jobs` threads and hands each record
/// to `on_done` as it is finished (in completion order, from worker
/// threads), keeping none: a batch of any size costs the memory of the
/// files in flight, not of all of them.
/// `f` over `items` on a pool of `jobs` threads (0: one per logical core)
/// named `name-N`, in the items' order, and how many threads ran. A pool
/// that cannot be built (no threads left) does not cost the run: the items
/// go on the calling thread instead.
pub fn map_on_threads<T: Sync, R: Send>(
    jobs: usize,
    name: &'static str,
    items: &[T],
    f: impl Fn(&T) -> R + Sync + Send,
) -> (Vec<R>, usize) {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(move |i| format!("{name}-{i}"))
        .build()
    {
        Ok(pool) => (
            pool.install(|| items.par_iter().map(&f).collect()),
            pool.current_num_threads(),
        ),
        Err(_) => (items.iter().map(f).collect(), 1),
    }
}

pub fn audit_stream(
    files: &[PathBuf],
    opts: &AuditOptions,
    on_done: impl Fn(Record) + Sync,
) -> RunTimings {
    let start = Instant::now();
    // Without workers the analysis runs here: jieba's dictionary (about
    // 0.15 s of CPU, once per run) loads while the first files are read.
    // Each worker loads its own.
    if opts.ingest.worker_exe.is_none() {
        std::thread::spawn(|| {
            crate::segment::jieba();
        });
    }
    // One pool of extraction workers for the whole batch: each thread
    // checks a worker out per file, so there are never more workers than
    // threads.
    let ingester = Ingester::new(opts.ingest.clone());
    let one = |path: &PathBuf| -> Timings {
        let (record, timings) = audit_file_with(path, &ingester, analyze);
        on_done(record);
        timings
    };
    let (per_file, threads) = map_on_threads(opts.jobs, "jixiao-audit", files, one);
    let mut sum = Timings::default();
    for t in &per_file {
        sum.add(t);
    }
    RunTimings {
        wall: start.elapsed(),
        sum,
        threads,
    }
}

enum Loaded {
    Bytes(Vec<u8>),
    /// Over the limit: the file was hashed as a stream, not kept.
    TooLarge {
        sha256: String,
        len: u64,
    },
}

/// Reads a file unless it is larger than `max_bytes`. A regular file over
/// the limit is still hashed (streaming) so that its record names it;
/// anything else (a pipe, a device, a folder) is not opened
/// ([`crate::discover::open_file`] says what it is).
fn read_limited(path: &Path, max_bytes: u64) -> io::Result<Loaded> {
    let mut file = crate::discover::open_file(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("这是一个文件夹"));
    }
    if meta.is_file() && meta.len() > max_bytes {
        let mut hasher = Sha256::new();
        let len = io::copy(&mut file, &mut hasher)?;
        return Ok(Loaded::TooLarge {
            sha256: hex(&hasher.finalize()),
            len,
        });
    }
    let mut bytes = Vec::with_capacity(if meta.is_file() {
        meta.len() as usize
    } else {
        0
    });
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Ok(Loaded::TooLarge {
            sha256: hex_sha256(&bytes),
            len: bytes.len() as u64,
        });
    }
    Ok(Loaded::Bytes(bytes))
}

fn failed(source: Source, code: Code, message: String) -> Record {
    Record {
        schema_version: SCHEMA_VERSION,
        source,
        status: Status::Failed,
        error: Some(RecordError {
            code,
            message,
            transient: false,
        }),
        document: None,
        partners: Vec::new(),
        report: None,
        findings: Vec::new(),
        diagnostics: Vec::new(),
    }
}

fn finish(record: Record, mut timings: Timings, start: Instant) -> (Record, Timings) {
    timings.total = start.elapsed();
    (record, timings)
}

/// The file's name (its whole path where it has none), for messages.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Prefixes an ingestion message with the file's name, unless the message
/// already names it.
fn name_the_file(path: &Path, message: &str) -> String {
    let name = file_name(path);
    if message.contains(&name) {
        message.to_string()
    } else {
        format!("{name}：{message}")
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "未知原因".to_string()
    }
}

/// The sha256 of `bytes`, lower-case hex.
pub fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Report;
    use crate::record::{Diagnostic, DocumentInfo};

    use crate::scratch::Scratch;

    #[test]
    fn an_unreadable_path_gives_a_failed_ing001_record_that_names_it() {
        let (record, _) = audit_file(Path::new("no/such/report.pdf"), &AuditOptions::default());
        assert_eq!(record.status, Status::Failed);
        let error = record.error.unwrap();
        assert_eq!(error.code, Code::ING001);
        assert!(
            error.message.starts_with("report.pdf：无法读取文件"),
            "{}",
            error.message
        );
        assert_eq!(record.source.path, "no/such/report.pdf");
        assert!(record.report.is_none() && record.document.is_none());
    }

    #[test]
    fn a_file_over_the_size_limit_is_ing005_and_still_hashed() {
        let s = Scratch::new("batch-limit");
        let path = s.file("big.pdf", b"%PDF-1.7 0123456789");
        let mut opts = AuditOptions::default();
        opts.ingest.max_bytes = 10;
        let (record, _) = audit_file(&path, &opts);
        let error = record.error.unwrap();
        assert_eq!(error.code, Code::ING005);
        assert_eq!(error.message, "big.pdf：文件大小 19 字节，超过上限 10 字节");
        assert_eq!(record.source.bytes, 19);
        assert_eq!(record.source.sha256, hex_sha256(b"%PDF-1.7 0123456789"));
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            hex_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_panic_in_analysis_becomes_a_failed_ing004_record() {
        let s = Scratch::new("batch-panic");
        let path = s.file("report.txt", "收入合计 10 万元。".as_bytes());
        let (record, _) = audit_file_with(&path, &Ingester::new(IngestOptions::default()), |_| {
            panic!("boom")
        });
        assert_eq!(record.status, Status::Failed);
        let error = record.error.unwrap();
        assert_eq!(error.code, Code::ING004);
        assert!(error.message.contains("内部分析错误"), "{}", error.message);
        assert!(error.message.contains("boom"), "{}", error.message);
        assert_eq!(record.source.text_layer.as_deref(), Some("text"));
        assert!(record.report.is_none());
    }

    #[test]
    fn a_successful_analysis_gives_an_ok_record_with_all_diagnostics() {
        let s = Scratch::new("batch-ok");
        let path = s.file("report.txt", "收入合计 10 万元。".as_bytes());
        let (record, _) = audit_file_with(&path, &Ingester::new(IngestOptions::default()), |_| {
            Analysis {
                document: DocumentInfo {
                    kind: crate::model::DocumentKind::Unknown,
                    ..Default::default()
                },
                report: Report::default(),
                findings: Vec::new(),
                diagnostics: vec![Diagnostic {
                    kind: crate::model::DiagnosticKind::UnreadTable,
                    page: Some(1),
                    message: "表格未能读取".into(),
                }],
                timings: StageTimings::default(),
            }
        });
        assert_eq!(record.status, Status::Ok);
        assert!(record.error.is_none());
        assert_eq!(record.source.pages, Some(1));
        assert_eq!(
            record.diagnostics.last().unwrap().kind,
            crate::model::DiagnosticKind::UnreadTable
        );
        assert!(record.report.is_some());
    }

    #[test]
    fn a_batch_returns_one_record_per_file_sorted_by_path() {
        let s = Scratch::new("batch-batch");
        let files: Vec<PathBuf> = ["c.pdf", "a.pdf", "b/a.pdf"]
            .iter()
            .map(|n| s.0.join(n))
            .collect();
        let seen = std::sync::atomic::AtomicUsize::new(0);
        let batch = audit_batch(
            &files,
            &AuditOptions {
                jobs: 2,
                ..Default::default()
            },
            |_| {
                seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            },
        );
        assert_eq!(seen.into_inner(), 3);
        let paths: Vec<&str> = batch
            .records
            .iter()
            .map(|r| r.source.path.as_str())
            .collect();
        let mut sorted = files.clone();
        sorted.sort();
        let expected: Vec<String> = sorted.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(paths, expected);
        assert_eq!(batch.timings.threads, 2);
    }
}
