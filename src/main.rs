//! The `jixiao` command line. It parses flags, calls the library and picks
//! the exit status; the pipeline itself lives in the library.
//!
//! Exit status: 0 when the run completed (findings and files that could not
//! be read are results, not failures of the run), 1 when the dataset could
//! not be written, 2 for bad usage.

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use jixiao::batch::{self, AuditOptions};
use jixiao::ingest::{IngestOptions, Ingester, TextLayer};
use jixiao::output::journal::{self, Journal, OutLock, RunSettings};
use jixiao::output::safe::terminal;
use jixiao::output::{self, human, summary::Summary, Dataset, Stored};
use jixiao::pairs;
use jixiao::rules::{Code, RULES};
use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Prints `jixiao: ` and a message on stderr. Messages carry paths and
/// causes that come from the files audited, so control characters in them
/// are shown escaped (see [`terminal`]), never sent to the terminal.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("jixiao: {}", terminal(&format!($($arg)*)))
    };
}

const EXIT_IO: u8 = 1;
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "Audits Chinese performance self-evaluation reports (绩效自评报告): \
             extracts the figures, redoes the arithmetic, points at the sentence and page."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Audit PDF (and .txt) reports, given as files or folders.
    Audit(AuditArgs),
    /// Measure detection against labelled reports: audits every PDF under
    /// DIR that has an X.labels.json next to it and prints recall and
    /// precision per rule, then every miss and false alarm.
    Eval(EvalArgs),
    /// List the rules, or print the documentation of one rule.
    Rules {
        /// A rule code such as SCR001 (any case).
        code: Option<String>,
    },
    /// Extraction worker (started by `audit` itself: a pool of them serves
    /// the batch's files over a pipe).
    #[command(hide = true)]
    Worker {
        /// Whatever the worker protocol passes; the worker reads it itself.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
}

#[derive(Args)]
struct AuditArgs {
    /// Files (any name) or folders (searched recursively for .pdf and .txt).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Write reports.jsonl, findings.csv and summary.json into DIR.
    /// Records are kept in DIR as each file finishes, so an interrupted
    /// run can be finished with --resume.
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Finish an interrupted run into the same --out DIR: files already
    /// recorded there (same path, same content) are not audited again.
    #[arg(long, requires = "out")]
    resume: bool,
    /// Also write DIR/annotated/: a copy of each PDF with findings, each
    /// finding's figure highlighted on its page with the message as a note
    /// (the originals are never changed).
    #[arg(long, requires = "out")]
    annotate: bool,
    /// Files audited at once [default: all cores].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    jobs: Option<u64>,
    /// Print the record of a single file as JSON on stdout.
    #[arg(long, conflicts_with = "out")]
    json: bool,
    /// Time limit for one file's audit (reading and checking it), in
    /// seconds (over it: ING005). A text PDF takes well under a second; a
    /// scanned page about 4 s of CPU for its OCR.
    #[arg(long, value_name = "N", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..))]
    timeout_secs: u64,
    /// Size limit for one file, in bytes (over it: ING005).
    #[arg(long, value_name = "N", default_value_t = IngestOptions::default().max_bytes)]
    max_bytes: u64,
    /// Page limit for one PDF (over it: ING005).
    #[arg(long, value_name = "N", default_value_t = IngestOptions::default().max_pages,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_pages: usize,
    /// Memory limit for each worker process (it reads and checks one file
    /// at a time), in MiB; a file that needs more gets ING005. 0: no limit.
    #[arg(long, value_name = "N", default_value_t = IngestOptions::default().max_memory_mib)]
    max_memory_mib: u64,
    /// Open encrypted PDFs with this user password (files that open
    /// without one are not affected; a wrong one gives ING002).
    #[arg(long, value_name = "PASSWORD")]
    password: Option<String>,
    /// The text layer: `auto` (jixiao's own, with pdf-extract as the
    /// fallback where it falls short) or `pdf-extract` alone, to compare.
    #[arg(long, value_name = "LAYER", default_value = "auto", value_parser = parse_text_layer)]
    text_layer: TextLayer,
}

fn parse_text_layer(s: &str) -> Result<TextLayer, String> {
    match s {
        "auto" => Ok(TextLayer::Auto),
        "pdf-extract" => Ok(TextLayer::PdfExtract),
        _ => Err(format!("{s:?}：可选 auto 或 pdf-extract")),
    }
}

#[derive(Args)]
struct EvalArgs {
    /// A folder of labelled PDFs (searched recursively).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Print the evaluation as JSON.
    #[arg(long)]
    json: bool,
    /// Files audited at once [default: all cores].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    jobs: Option<u64>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Audit(args) => audit(args),
        Command::Eval(args) => eval(args),
        Command::Rules { code } => rules(code.as_deref()),
        Command::Worker { .. } => std::process::exit(jixiao::worker::worker_main()),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`jixiao audit … | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            say!("{e}");
            ExitCode::from(EXIT_IO)
        }
    }
}

fn usage_error(message: impl std::fmt::Display) -> io::Result<ExitCode> {
    say!("{message}");
    Ok(ExitCode::from(EXIT_USAGE))
}

fn audit(args: AuditArgs) -> io::Result<ExitCode> {
    let mut files = match jixiao::discover::discover(&args.paths) {
        Ok(files) => files,
        Err(e) => return usage_error(e),
    };
    if let Some(dir) = &args.out {
        // What jixiao writes into the --out folder (annotated copies) is
        // not an input of the next run over a folder that holds it.
        let written = output::generated_inputs(dir);
        files.retain(|f| !written(f));
    }
    if args.json && files.len() != 1 {
        return usage_error(format!(
            "--json 只能用于单个文件，而这里有 {} 个文件；多个文件请用 --out DIR",
            files.len()
        ));
    }
    if files.is_empty() {
        say!("给出的文件夹中没有 .pdf 或 .txt 文件");
    }
    let opts = audit_options(&args);
    match &args.out {
        // With --out, every record goes into the journal as soon as its
        // file is done, so that a run killed half-way keeps what it did.
        Some(dir) => {
            let settings = run_settings(&opts);
            let out = start_out(dir, &files, args.resume, &settings).map_err(|e| in_dir(dir, e))?;
            audit_into(dir, out, &opts, args.annotate)
        }
        None => audit_to_terminal(&files, &opts, args.json),
    }
}

/// The options of an audit run, from the command line.
fn audit_options(args: &AuditArgs) -> AuditOptions {
    let worker_exe = match std::env::current_exe() {
        Ok(exe) => Some(exe),
        Err(e) => {
            say!("找不到自身可执行文件（{e}），PDF 将在本进程内提取");
            None
        }
    };
    AuditOptions {
        ingest: IngestOptions {
            worker_exe,
            timeout: Duration::from_secs(args.timeout_secs),
            max_bytes: args.max_bytes,
            max_pages: args.max_pages,
            max_memory_mib: args.max_memory_mib,
            password: args.password.clone(),
            text_layer: args.text_layer,
        },
        jobs: args
            .jobs
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)),
    }
}

/// Audits the files of `out` into the dataset in `dir`. Each record goes
/// into the journal as it finishes; what stays in memory is its findings
/// and where its line is, so a batch of any size runs in flat memory.
fn audit_into(dir: &Path, out: Out, opts: &AuditOptions, annotate: bool) -> io::Result<ExitCode> {
    let Out {
        lock: _lock,
        journal,
        resumed,
        todo,
    } = out;
    let progress = progress_bar(todo.len());
    let resumed_count = resumed.len();
    let entries = std::sync::Mutex::new(resumed);
    let timings = batch::audit_stream(&todo, opts, |record| {
        let path = record.source.path.clone();
        let (stored, failure) = journal.append(record);
        if let Some(e) = failure {
            progress.suspend(|| say!("{e}"));
        }
        entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(stored);
        progress.set_message(terminal(&path).into_owned());
        progress.inc(1);
    });
    progress.finish_and_clear();
    let mut entries = entries.into_inner().unwrap_or_else(|e| e.into_inner());
    // Narratives and their table files, checked together.
    let journal_file = std::fs::File::open(journal.path()).ok();
    let ingester = Ingester::new(opts.ingest.clone());
    pairs::pair_stored(&mut entries, journal_file.as_ref(), &ingester, opts.jobs)
        .map_err(|e| io::Error::new(e.kind(), format!("跨文件核对失败：{e}")))?;
    if annotate {
        let folder = dir.join(output::annotate::ANNOTATED_DIR);
        let copies = output::annotate::annotate_stored(
            &mut entries,
            journal_file.as_ref(),
            &folder,
            opts.jobs,
        )
        .map_err(|e| io::Error::new(e.kind(), format!("生成标注副本失败：{e}")))?;
        say!(
            "已写入 {} 个标注副本到 {}",
            copies,
            terminal(&folder.display().to_string())
        );
    }
    let dataset = Dataset::new(entries, &timings, resumed_count);
    let written = dataset.write(dir).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "{e}；数据集未写出（已写入续跑日志 {} 的记录可加 --resume 沿用，其余文件将重新检查）",
                journal.path().display()
            ),
        )
    })?;
    // The dataset now holds every record of the journal.
    let journal_path = journal.path().to_path_buf();
    if let Err(e) = journal.remove() {
        say!("无法删除 {}：{e}", journal_path.display());
    }
    let stdout = io::stdout();
    let mut stdout = stdout.lock();
    human::write_summary(&mut stdout, &dataset.summary)?;
    for path in written {
        writeln!(stdout, "已写入 {}", terminal(&path.display().to_string()))?;
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Audits the files and writes the findings for a person (or, with
/// `--json`, the one file's record) to the terminal.
fn audit_to_terminal(files: &[PathBuf], opts: &AuditOptions, json: bool) -> io::Result<ExitCode> {
    let progress = progress_bar(files.len());
    let mut batch = batch::audit_batch(files, opts, |record| {
        progress.set_message(terminal(&record.source.path).into_owned());
        progress.inc(1);
    });
    progress.finish_and_clear();
    let ingester = Ingester::new(opts.ingest.clone());
    pairs::pair_records(&mut batch.records, &ingester, opts.jobs);
    let records = output::sorted(&batch.records);
    let stdout = io::stdout();
    let mut stdout = stdout.lock();
    if json {
        output::json::write(&mut stdout, records[0])?;
    } else {
        let summary = Summary::new(&records, &batch.timings);
        human::write(&mut stdout, &records, &summary)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The `--out` folder of a run: its lock, its journal, and which files it
/// audits.
struct Out {
    lock: OutLock,
    journal: Journal,
    /// Records taken from an earlier run (`--resume`).
    resumed: Vec<Stored>,
    /// The files to audit in this run.
    todo: Vec<PathBuf>,
}

/// Starts the journal in `dir`: empty for a new run, replacing whatever an
/// interrupted run left; with `resume`, holding the records of earlier
/// runs that are still valid for `files`, which are then not audited.
fn start_out(
    dir: &Path,
    files: &[PathBuf],
    resume: bool,
    settings: &RunSettings,
) -> io::Result<Out> {
    let lock = OutLock::acquire(dir)?;
    match lock.remove_stale_temporaries() {
        Ok(0) => {}
        Ok(n) => say!(
            "已删除中断的运行在 {} 中留下的 {n} 个临时文件",
            dir.display()
        ),
        Err(e) => say!("无法清理 {} 中的临时文件：{e}", dir.display()),
    }
    let journal_path = dir.join(journal::JOURNAL_FILE);
    let previous_settings = RunSettings::previous(dir);
    let resume = resume && {
        let same = previous_settings.as_ref() == Some(settings);
        if !same {
            say!(
                "{} 中已有的记录由另一版本的 jixiao 或不同的选项写成（或没有记录这些信息），\
                 不能沿用；全部文件重新检查",
                dir.display()
            );
        }
        same
    };
    settings.write(dir)?;
    if !resume {
        if let Ok(left) = journal::read(&journal_path) {
            if !left.entries.is_empty() || left.ignored > 0 {
                say!(
                    "{} 中有上次未完成运行的 {} 条记录；未加 --resume，这些记录已丢弃，\
                     全部文件重新检查（要接着上次的运行检查，请加 --resume）",
                    journal_path.display(),
                    left.entries.len()
                );
            }
        }
        let (journal, _) = Journal::start(dir, Vec::new())?;
        return Ok(Out {
            lock,
            journal,
            resumed: Vec::new(),
            todo: files.to_vec(),
        });
    }

    let previous = journal::previous(dir)?;
    if previous.ignored > 0 {
        say!(
            "忽略 {} 行不完整的记录（多为运行中断时正在写入的一行），相应文件将重新检查",
            previous.ignored
        );
    }
    if previous.entries.is_empty() {
        say!("{} 中没有可沿用的记录，将检查全部文件", dir.display());
    }
    let plan = journal::plan(files, previous.entries);
    say!(
        "续跑：沿用 {} 个文件的已有记录，检查其余 {} 个文件",
        plan.resumed.len(),
        plan.todo.len()
    );
    if plan.dropped() > 0 {
        say!(
            "另有 {} 条已有记录不再使用：{} 条的文件已不在输入中，{} 条的文件内容已改变",
            plan.dropped(),
            plan.gone,
            plan.changed
        );
    }
    let (journal, resumed) = Journal::start(dir, plan.resumed)?;
    Ok(Out {
        lock,
        journal,
        resumed,
        todo: plan.todo,
    })
}

/// This build and the options that change records, as `--resume` compares
/// them (the password itself is not written, only whether one was given).
fn run_settings(opts: &AuditOptions) -> RunSettings {
    let build = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} bytes, modified {modified}", m.len())
        })
        .unwrap_or_else(|_| "unknown".to_string());
    let i = &opts.ingest;
    RunSettings(format!(
        "jixiao {} ({build}); max_bytes={} max_pages={} timeout_secs={} max_memory_mib={} text_layer={:?} password={}",
        env!("CARGO_PKG_VERSION"),
        i.max_bytes,
        i.max_pages,
        i.timeout.as_secs(),
        i.max_memory_mib,
        i.text_layer,
        i.password.is_some()
    ))
}

fn in_dir(dir: &Path, e: io::Error) -> io::Error {
    let message = match e.raw_os_error() {
        Some(_) => output::write_failure(dir, &e),
        None => format!("无法写入 {}：{e}", dir.display()),
    };
    io::Error::new(e.kind(), message)
}

/// A progress bar on stderr, only when a person is watching it and there is
/// more than one file; otherwise a hidden bar that draws nothing.
fn progress_bar(files: usize) -> ProgressBar {
    if files < 2 || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(files as u64);
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {pos}/{len} 剩余约 {eta} {wide_msg}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn eval(args: EvalArgs) -> io::Result<ExitCode> {
    if !args.dir.is_dir() {
        return usage_error(format!("{}：不是文件夹", args.dir.display()));
    }
    let opts = AuditOptions {
        ingest: IngestOptions {
            worker_exe: std::env::current_exe().ok(),
            ..IngestOptions::default()
        },
        jobs: args
            .jobs
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)),
    };
    let evaluation = jixiao::eval::run(&args.dir, &opts)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &evaluation)?;
        writeln!(out)?;
    } else {
        jixiao::eval::write_human(&mut out, &evaluation)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn rules(code: Option<&str>) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match code {
        None => {
            for rule in RULES {
                let summary = rule.summary();
                // The summary line repeats the code ("SCR001: …"); the table
                // already shows it.
                let summary = summary
                    .strip_prefix(rule.code.as_str())
                    .and_then(|s| s.strip_prefix(':'))
                    .map(str::trim_start)
                    .unwrap_or(&summary);
                let severity = rule.severity.as_str();
                writeln!(out, "{:<8} {:<8} {summary}", rule.code.as_str(), severity)?;
            }
        }
        Some(text) => match Code::parse(text) {
            Some(code) => writeln!(out, "{}", jixiao::rules::info(code).doc())?,
            None => {
                return usage_error(format!(
                    "未知的规则代码 {text:?}；`jixiao rules` 列出全部规则"
                ))
            }
        },
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
