//! The worker: the child side of the pool (`jixiao worker`).
//!
//! A PDF parser can panic, abort, loop forever or inflate a small stream
//! into gigabytes on hostile input — pdf-extract, the fallback layer, even
//! overflows its stack on a form XObject that draws itself — and a crafted
//! text can make the analysis slow or large. So files are read and
//! analysed in long-lived child processes, each serving one file at a time
//! over the frames of `protocol.rs`, and the parent (`pool.rs`) kills and
//! replaces a child that dies or overruns.
//!
//! At start the worker
//! - caps its own address space (`RLIMIT_AS`) at `--max-memory-mib`, so
//!   that a decompression bomb ends in a failed allocation, which aborts
//!   the process with "memory allocation of N bytes failed" on stderr (the
//!   parent turns that into ING005), instead of taking the machine's memory;
//! - moves its stdout to a private descriptor for the protocol and points
//!   descriptor 1 at stderr, so that anything a library prints cannot
//!   corrupt the frames;
//! - makes sure it does not outlive its parent (`--parent-pid`): on Linux
//!   the kernel kills it when the parent's spawning thread ends
//!   (`PR_SET_PDEATHSIG`), and on any Unix a watchdog thread ends it when
//!   its parent is no longer the process that started it. A parent killed
//!   by any signal leaves no worker behind, busy or not.
//!
//! Each request is served on a fresh thread with a large stack: panics that
//! escape pdf-extract end that thread, not the worker, and become an ING004
//! response (a panic of the analysis is caught around it, and reported as
//! the analysis's). Failures to read a file are responses; the worker's
//! exit status is nonzero only when the worker itself cannot go on.
//!
//! Usage: `jixiao worker [--max-memory-mib N] [--parent-pid PID]` (0: no
//! limit; no parent check without a PID).

use super::pdf::{self, library_panic_cause};
use super::protocol::{read_frame, write_frame, Request, Response, Task};
use super::{analyze_here, audit_pdf_here, audit_text_here, AnalyzeFn, IngestError};
use crate::model::Code;
use std::io::{self, Write};
use std::time::Duration;

/// Stack for the extraction thread: deep but finite nesting in real files
/// should not fail, while infinite recursion still ends quickly.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// The longest request header accepted (it holds a few numbers and a
/// password).
const MAX_HEADER: u64 = 64 * 1024;

/// The largest PDF accepted over the pipe; the parent enforces its own,
/// lower, `--max-bytes` before sending.
const MAX_BODY: u64 = 16 * 1024 * 1024 * 1024;

/// How often the watchdog checks that the parent is still there.
const PARENT_CHECK: Duration = Duration::from_millis(200);

/// What `jixiao worker` was started with.
#[derive(Debug, Default, PartialEq, Eq)]
struct Args {
    max_memory_mib: u64,
    parent_pid: Option<u32>,
}

/// The body of `jixiao worker`: serves requests until stdin ends, returns
/// the exit status. `analyze` is the analysis of a file's pages, for the
/// tasks that audit.
pub fn worker_main(analyze: AnalyzeFn) -> i32 {
    // The parent reports panics with their cause; the default hook's
    // backtrace hint on stderr would only be noise.
    std::panic::set_hook(Box::new(|_| {}));
    let args: Vec<String> = std::env::args_os()
        .skip(2)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let Args {
        max_memory_mib,
        parent_pid,
    } = match parse_args(&args) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("jixiao worker: {e}");
            return 2;
        }
    };
    if let Some(parent) = parent_pid {
        if let Err(e) = die_with_parent(parent) {
            eprintln!("jixiao worker: cannot watch the parent process: {e}");
            return 2;
        }
    }
    if let Err(e) = limit_memory(max_memory_mib) {
        eprintln!("jixiao worker: cannot set the memory limit: {e}");
        return 2;
    }
    let mut out = match protocol_stdout() {
        Ok(out) => out,
        Err(e) => {
            eprintln!("jixiao worker: cannot set up the protocol descriptor: {e}");
            return 2;
        }
    };
    let stdin = io::stdin();
    let mut input = stdin.lock();
    loop {
        let header = match read_frame(&mut input, MAX_HEADER) {
            Ok(Some(h)) => h,
            Ok(None) => return 0,
            Err(e) => {
                eprintln!("jixiao worker: cannot read a request: {e}");
                return 2;
            }
        };
        let body = match read_frame(&mut input, MAX_BODY) {
            Ok(Some(b)) => b,
            Ok(None) => {
                eprintln!("jixiao worker: a request without its PDF");
                return 2;
            }
            Err(e) => {
                eprintln!("jixiao worker: cannot read a request: {e}");
                return 2;
            }
        };
        let response = match serde_json::from_slice::<Request>(&header) {
            Ok(request) => serve(body, request, analyze),
            Err(_) => Response::from_result(Err(IngestError::new(
                Code::ING004,
                "处理进程收到无法识别的请求，请将此问题反馈给开发者".to_string(),
            ))),
        };
        let sent = serde_json::to_vec(&response)
            .map_err(io::Error::other)
            .and_then(|json| write_frame(&mut out, &json))
            .and_then(|()| out.flush());
        if let Err(e) = sent {
            eprintln!("jixiao worker: cannot send a response: {e}");
            return 3;
        }
    }
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--max-memory-mib" => {
                let value = it.next().ok_or("--max-memory-mib needs a value")?;
                parsed.max_memory_mib = value
                    .parse()
                    .map_err(|e| format!("--max-memory-mib {value}: {e}"))?;
            }
            "--parent-pid" => {
                let value = it.next().ok_or("--parent-pid needs a value")?;
                let pid = value
                    .parse()
                    .map_err(|e| format!("--parent-pid {value}: {e}"))?;
                parsed.parent_pid = Some(pid);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(parsed)
}

/// Serves one request on its own thread.
fn serve(body: Vec<u8>, request: Request, analyze: AnalyzeFn) -> Response {
    let joined = std::thread::Builder::new()
        .name("extract".into())
        .stack_size(WORKER_STACK)
        .spawn(move || match request.task {
            Task::Extract => Response::from_result(pdf::read_text(&body, &request)),
            Task::AuditPdf => audit_pdf_here(&body, &request, analyze),
            Task::AuditText => audit_text_here(&body, analyze),
            Task::Analyze => analyze_here(&body, analyze),
        })
        .map(|h| h.join());
    match joined {
        Ok(Ok(response)) => response,
        Ok(Err(payload)) => Response::from_error(IngestError::new(
            Code::ING004,
            format!(
                "PDF 文字提取程序崩溃（{}）；文件结构可能不规范，可请报送单位重新导出 PDF",
                library_panic_cause(&*payload)
            ),
        )),
        // Under the address-space limit, a thread's stack is the first
        // thing that no longer fits.
        Err(e) if e.kind() == io::ErrorKind::OutOfMemory || e.raw_os_error() == Some(12) => {
            Response::from_error(IngestError::new(
                Code::ING005,
                "内存超出限制：处理该文件的进程无法再申请内存；如确认文件正常，可用 --max-memory-mib 调高上限"
                    .to_string(),
            ))
        }
        Err(_) => Response::from_error(IngestError::new(
            Code::ING004,
            "无法启动处理该文件的线程；请稍后重试".to_string(),
        )),
    }
}

/// Ends this process when `parent` ends: the kernel's parent-death signal
/// where there is one, and a watchdog thread that exits as soon as the
/// parent is another process (the worker was adopted: `parent` is gone).
#[cfg(unix)]
fn die_with_parent(parent: u32) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number and
        // touches no memory of ours.
        if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    let orphaned = move || {
        // SAFETY: getppid has no preconditions.
        let now = unsafe { libc::getppid() };
        u32::try_from(now) != Ok(parent)
    };
    // The parent may have ended before the signal was asked for.
    if orphaned() {
        // SAFETY: _exit ends the process at once, which is the point.
        unsafe { libc::_exit(4) }
    }
    std::thread::Builder::new()
        .name("parent-watch".into())
        .stack_size(64 * 1024)
        .spawn(move || loop {
            std::thread::sleep(PARENT_CHECK);
            if orphaned() {
                // SAFETY: as above; the request being served is abandoned
                // with the parent that asked for it.
                unsafe { libc::_exit(4) }
            }
        })?;
    Ok(())
}

#[cfg(not(unix))]
fn die_with_parent(_parent: u32) -> io::Result<()> {
    Ok(())
}

/// Caps the address space of this process at `mib` MiB (0: no cap). A hard
/// limit lower than that is kept.
#[cfg(unix)]
fn limit_memory(mib: u64) -> io::Result<()> {
    if mib == 0 {
        return Ok(());
    }
    let wanted = mib.saturating_mul(1024 * 1024) as libc::rlim_t;
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read or write the struct passed.
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut current) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let limit = wanted.min(current.rlim_max);
    let new = libc::rlimit {
        rlim_cur: limit,
        rlim_max: limit,
    };
    // SAFETY: as above.
    if unsafe { libc::setrlimit(libc::RLIMIT_AS, &new) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
fn limit_memory(_mib: u64) -> io::Result<()> {
    Ok(())
}

/// A private duplicate of stdout for the frames; descriptor 1 then points
/// at stderr.
#[cfg(unix)]
fn protocol_stdout() -> io::Result<std::fs::File> {
    use std::os::fd::FromRawFd;
    // Whatever Rust buffered for fd 1 so far goes out first.
    io::stdout().flush()?;
    // SAFETY: dup and dup2 on the standard descriptors, which are open for
    // the life of the process; the duplicate is owned by the File alone.
    unsafe {
        let fd = libc::dup(1);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::dup2(2, 1) < 0 {
            let e = io::Error::last_os_error();
            libc::close(fd);
            return Err(e);
        }
        Ok(std::fs::File::from_raw_fd(fd))
    }
}

#[cfg(not(unix))]
fn protocol_stdout() -> io::Result<std::fs::File> {
    Err(io::Error::other(
        "the extraction worker needs a Unix system; run without a worker",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn arguments_are_the_memory_limit_and_the_parent() {
        assert_eq!(parse_args(&[]), Ok(Args::default()));
        let args = strings(&["--max-memory-mib", "512", "--parent-pid", "77"]);
        assert_eq!(
            parse_args(&args),
            Ok(Args {
                max_memory_mib: 512,
                parent_pid: Some(77)
            })
        );
        assert!(parse_args(&strings(&["--max-memory-mib"])).is_err());
        assert!(parse_args(&strings(&["--parent-pid", "x"])).is_err());
        assert!(parse_args(&strings(&["--serve"])).is_err());
    }
}
