//! The `jixiao` command line. It parses flags, calls the library and picks
//! the exit status; the pipeline itself lives in the library.
//!
//! Exit status: 0 when the run completed (findings and files that could not
//! be read are results, not failures of the run), 1 when the dataset could
//! not be written, 2 for bad usage.

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use jixiao::batch::{self, AuditOptions};
use jixiao::ingest::IngestOptions;
use jixiao::output::{self, human, summary::Summary};
use jixiao::rules::{Code, RULES};
use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

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
    /// List the rules, or print the documentation of one rule.
    Rules {
        /// A rule code such as SCR001 (any case).
        code: Option<String>,
    },
    /// Extraction worker (started by `audit` itself, one per file).
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
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Files audited at once [default: all cores].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    jobs: Option<u64>,
    /// Print the record of a single file as JSON on stdout.
    #[arg(long, conflicts_with = "out")]
    json: bool,
    /// Time limit for extracting one file, in seconds (over it: ING005).
    #[arg(long, value_name = "N", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    timeout_secs: u64,
    /// Size limit for one file, in bytes (over it: ING005).
    #[arg(long, value_name = "N", default_value_t = IngestOptions::default().max_bytes)]
    max_bytes: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Audit(args) => audit(args),
        Command::Rules { code } => rules(code.as_deref()),
        Command::Worker { .. } => std::process::exit(jixiao::ingest::worker_main()),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`jixiao audit … | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jixiao: {e}");
            ExitCode::from(EXIT_IO)
        }
    }
}

fn usage_error(message: impl std::fmt::Display) -> io::Result<ExitCode> {
    eprintln!("jixiao: {message}");
    Ok(ExitCode::from(EXIT_USAGE))
}

fn audit(args: AuditArgs) -> io::Result<ExitCode> {
    let files = match batch::discover(&args.paths) {
        Ok(files) => files,
        Err(e) => return usage_error(e),
    };
    if args.json && files.len() != 1 {
        return usage_error(format!(
            "--json 只能用于单个文件，而这里有 {} 个文件；多个文件请用 --out DIR",
            files.len()
        ));
    }
    if files.is_empty() {
        eprintln!("jixiao: 给出的文件夹中没有 .pdf 或 .txt 文件");
    }

    let worker_exe = match std::env::current_exe() {
        Ok(exe) => Some(exe),
        Err(e) => {
            eprintln!("jixiao: 找不到自身可执行文件（{e}），PDF 将在本进程内提取");
            None
        }
    };
    let opts = AuditOptions {
        ingest: IngestOptions {
            worker_exe,
            timeout: Duration::from_secs(args.timeout_secs),
            max_bytes: args.max_bytes,
        },
        jobs: args
            .jobs
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)),
    };

    let progress = progress_bar(files.len());
    let batch = batch::audit_batch(&files, &opts, |record| {
        progress.set_message(record.source.path.clone());
        progress.inc(1);
    });
    progress.finish_and_clear();

    let records = output::sorted(&batch.records);
    let stdout = io::stdout();
    let mut stdout = stdout.lock();
    if args.json {
        output::json::write(&mut stdout, records[0])?;
    } else if let Some(dir) = &args.out {
        let written = output::write_dataset(dir, &batch.records, &batch.timings)
            .map_err(|e| io::Error::new(e.kind(), format!("无法写入 {}：{e}", dir.display())))?;
        human::write_summary(&mut stdout, &Summary::new(&records, &batch.timings))?;
        for path in written {
            writeln!(stdout, "已写入 {}", path.display())?;
        }
        stdout.flush()?;
    } else {
        let summary = Summary::new(&records, &batch.timings);
        human::write(&mut stdout, &records, &summary)?;
    }
    Ok(ExitCode::SUCCESS)
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
                let severity = match rule.severity {
                    jixiao::record::Severity::Error => "error",
                    jixiao::record::Severity::Warning => "warning",
                };
                writeln!(out, "{:<8} {:<8} {summary}", rule.code.as_str(), severity)?;
            }
        }
        Some(text) => match Code::parse(text) {
            Some(code) => writeln!(out, "{}", code.info().doc())?,
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
