//! Extraction in a child process: the parent side ([`run`]) and the child
//! side ([`worker_main`]).
//!
//! pdf-extract can panic, abort, overflow its stack (a form XObject that
//! draws itself) or loop forever on hostile input. None of that may take the
//! batch down, so the batch runs `jixiao worker` once per PDF, writes the
//! file's bytes to its stdin and reads one result from its stdout. The
//! parent enforces the time limit and turns every way the child can die
//! into an ING code with a message naming the cause.
//!
//! Protocol: the child prints, on a line of its own starting with
//! [`RESULT_MARKER`], one JSON object: `{"pages": [...], "diagnostics":
//! [...]}` on success or `{"error": {"code": "ING00x", "message": "…"}}`.
//! The marker keeps stray output from libraries out of the result.

use super::pdf::{self, panic_message, Extracted};
use super::{IngestError, WireDiagnostic};
use crate::rules::Code;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// Starts the result line on the child's stdout.
pub const RESULT_MARKER: &str = "\u{1e}jixiao-worker-result\t";

/// Stack for the extraction thread in the child: deep but finite nesting in
/// real files should not fail, while infinite recursion still ends quickly.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// At most this much of the child's stderr is kept for messages.
const STDERR_KEEP: usize = 16 * 1024;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Response {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pages: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    diagnostics: Vec<WireDiagnostic>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<WireError>,
}

#[derive(Debug, Serialize, Deserialize)]
struct WireError {
    code: String,
    message: String,
}

/// The body of `jixiao worker`: reads a PDF on stdin, writes the result on
/// stdout, returns the exit status. Failures to read the PDF are results
/// (exit 0); a nonzero status means the worker itself could not run.
pub fn worker_main() -> i32 {
    // The parent reports panics with their cause; the default hook's
    // backtrace hint on stderr would only be noise.
    std::panic::set_hook(Box::new(|_| {}));
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
        eprintln!("jixiao worker: cannot read stdin: {e}");
        return 2;
    }
    let joined = std::thread::Builder::new()
        .name("extract".into())
        .stack_size(WORKER_STACK)
        .spawn(move || pdf::extract(&bytes))
        .map(|h| h.join());
    let response = match joined {
        Ok(Ok(Ok(extracted))) => Response {
            pages: Some(extracted.pages),
            diagnostics: extracted.diagnostics,
            error: None,
        },
        Ok(Ok(Err(e))) => error_response(&e),
        Ok(Err(payload)) => error_response(&IngestError::new(
            Code::ING004,
            format!("PDF 文字提取程序崩溃（{}）", panic_message(&*payload)),
        )),
        Err(e) => error_response(&IngestError::new(
            Code::ING004,
            format!("无法启动 PDF 文字提取线程（{e}）"),
        )),
    };
    let json = serde_json::to_string(&response).expect("a response serializes");
    let mut out = std::io::stdout().lock();
    if writeln!(out, "\n{RESULT_MARKER}{json}")
        .and_then(|_| out.flush())
        .is_err()
    {
        return 3;
    }
    0
}

fn error_response(e: &IngestError) -> Response {
    Response {
        error: Some(WireError {
            code: e.code.to_string(),
            message: e.message.clone(),
        }),
        ..Response::default()
    }
}

/// Runs `exe worker` on `bytes`, killing it after `timeout`.
pub fn run(exe: &Path, bytes: &[u8], timeout: Duration) -> Result<Extracted, IngestError> {
    let mut child = Command::new(exe)
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            IngestError::new(
                Code::ING004,
                format!("无法启动 PDF 文字提取进程（{}：{e}）", exe.display()),
            )
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    // Writing and both reads happen on their own threads: a child that
    // fills one pipe while the parent blocks on another would deadlock.
    let (status, out, err) = std::thread::scope(|s| {
        s.spawn(move || {
            // A child that dies early closes its stdin; the broken pipe is
            // not the error worth reporting, the child's status is.
            let _ = stdin.write_all(bytes);
        });
        let out = s.spawn(move || {
            let mut buf = Vec::new();
            let _ = stdout.read_to_end(&mut buf);
            buf
        });
        let err = s.spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.read_to_end(&mut buf);
            buf
        });
        let status = match child.wait_timeout(timeout) {
            Ok(Some(status)) => Ok(status),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(IngestError::new(
                    Code::ING005,
                    format!(
                        "提取超时：PDF 文字提取超过 {} 秒仍未完成，已终止（文件可能过于复杂或结构异常）",
                        timeout.as_secs_f64()
                    ),
                ))
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(IngestError::new(
                    Code::ING004,
                    format!("等待 PDF 文字提取进程时出错（{e}）"),
                ))
            }
        };
        (
            status,
            out.join().unwrap_or_default(),
            err.join().unwrap_or_default(),
        )
    });
    let status = status?;
    let stderr_text = tail_text(&err);
    match parse_response(&out) {
        Some(response) if status.success() => from_response(response),
        _ => Err(crash_error(status, &stderr_text)),
    }
}

fn parse_response(stdout: &[u8]) -> Option<Response> {
    let text = String::from_utf8_lossy(stdout);
    let line = text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix(RESULT_MARKER))?;
    serde_json::from_str(line).ok()
}

fn from_response(r: Response) -> Result<Extracted, IngestError> {
    if let Some(e) = r.error {
        let code = Code::parse(&e.code).unwrap_or(Code::ING004);
        return Err(IngestError::new(code, e.message));
    }
    match r.pages {
        Some(pages) => Ok(Extracted {
            pages,
            diagnostics: r.diagnostics,
        }),
        None => Err(IngestError::new(
            Code::ING004,
            "PDF 文字提取进程没有返回任何结果".to_string(),
        )),
    }
}

fn tail_text(bytes: &[u8]) -> String {
    let start = bytes.len().saturating_sub(STDERR_KEEP);
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

/// Names how the child died, in Chinese, with what it said last.
fn crash_error(status: ExitStatus, stderr: &str) -> IngestError {
    let how = match signal_of(status) {
        Some(sig) => format!("进程被信号 {sig} 终止{}", signal_name(sig)),
        None => match status.code() {
            Some(0) => "进程正常退出但没有返回结果".to_string(),
            Some(code) => format!("进程以状态 {code} 退出"),
            None => "进程异常退出".to_string(),
        },
    };
    let why = if stderr.contains("overflowed its stack") {
        "：栈溢出，常见原因是 PDF 中的表单或图案对象引用了自身".to_string()
    } else if stderr.contains("memory allocation") && stderr.contains("failed") {
        "：内存不足".to_string()
    } else if let Some(line) = stderr.lines().find(|l| l.contains("panicked at")) {
        let detail = stderr
            .lines()
            .skip_while(|l| !l.contains("panicked at"))
            .nth(1)
            .unwrap_or("");
        format!("：{} {}", line.trim(), detail.trim())
    } else if let Some(last) = stderr.lines().rev().find(|l| !l.trim().is_empty()) {
        format!("：{}", last.trim())
    } else {
        String::new()
    };
    IngestError::new(Code::ING004, format!("PDF 文字提取程序崩溃（{how}{why}）"))
}

#[cfg(unix)]
fn signal_of(status: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_status: ExitStatus) -> Option<i32> {
    None
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        4 => "，非法指令",
        6 => "，程序中止",
        7 => "，总线错误",
        8 => "，算术异常",
        9 => "，被强制结束，可能因内存不足",
        11 => "，段错误",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_line_is_found_after_stray_output() {
        let out = format!(
            "noise from a library\n{RESULT_MARKER}{}\n",
            r#"{"pages":["一","二"]}"#
        );
        let r = parse_response(out.as_bytes()).unwrap();
        assert_eq!(r.pages.unwrap(), vec!["一", "二"]);
        assert!(parse_response(b"no marker").is_none());
    }

    #[test]
    fn error_response_round_trips_its_code() {
        let line = format!(
            "{RESULT_MARKER}{}",
            serde_json::to_string(&error_response(&IngestError::new(
                Code::ING002,
                "需要密码".into()
            )))
            .unwrap()
        );
        let e = from_response(parse_response(line.as_bytes()).unwrap()).unwrap_err();
        assert_eq!(e.code, Code::ING002);
        assert_eq!(e.message, "需要密码");
    }

    #[cfg(unix)]
    #[test]
    fn a_signal_is_named_with_its_cause() {
        use std::os::unix::process::ExitStatusExt;
        let e = crash_error(
            ExitStatus::from_raw(6),
            "\nthread 'extract' has overflowed its stack\nfatal runtime error: stack overflow\n",
        );
        assert_eq!(e.code, Code::ING004);
        assert!(e.message.contains("信号 6"), "{}", e.message);
        assert!(e.message.contains("栈溢出"), "{}", e.message);
        let e = crash_error(
            ExitStatus::from_raw(101 << 8),
            "thread 'main' panicked at src/x.rs:1:1:\nindex out of bounds\n",
        );
        assert!(e.message.contains("状态 101"), "{}", e.message);
        assert!(e.message.contains("index out of bounds"), "{}", e.message);
    }
}
