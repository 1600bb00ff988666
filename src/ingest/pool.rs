//! The parent side of extraction: a pool of long-lived worker processes.
//!
//! A batch makes one [`WorkerPool`] and shares it between its threads. A
//! thread checks a worker out for one file, sends the request (see
//! `protocol.rs`), waits for the answer up to the time limit, and checks
//! the worker back in. The pool starts workers lazily, so it never holds
//! more than the number of threads that asked at once (one per batch
//! thread), and a batch of text files starts none.
//!
//! A worker that dies (panic that escaped, abort, stack overflow, failed
//! allocation under its memory limit, a signal) or runs past the time limit
//! is killed, reaped and dropped; the file it was working on gets ING004 or
//! ING005 with a message naming the cause, and the next file that needs a
//! worker starts a fresh one. Other files never see it. A worker is also
//! retired after [`RECYCLE_AFTER`] files, so that memory a long run leaves
//! fragmented in one process is given back.
//!
//! Dropping the pool closes every idle worker's stdin; a worker exits at
//! the end of its input, and one that does not within a moment is killed.

use super::pdf::Extracted;
use super::protocol::{read_frame, write_frame, Request, Response};
use super::IngestError;
use crate::model::Code;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;
use wait_timeout::ChildExt;

/// A worker serves this many files, then is replaced.
pub const RECYCLE_AFTER: usize = 256;

/// The largest answer accepted from a worker: the text of any PDF under
/// the size limit fits many times over.
const MAX_RESPONSE: u64 = 1024 * 1024 * 1024;

/// At most this much of a worker's stderr is kept for messages.
const STDERR_KEEP: usize = 16 * 1024;

/// How long a worker whose output has ended, or whose input was closed,
/// may take to exit before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// Long-lived extraction workers, shared by the threads of a batch.
#[derive(Debug)]
pub(crate) struct WorkerPool {
    exe: PathBuf,
    max_memory_mib: u64,
    idle: Mutex<Vec<Worker>>,
    started: AtomicUsize,
}

impl WorkerPool {
    /// A pool that runs `exe worker`, each worker capped at
    /// `max_memory_mib` MiB of address space (0: no cap). No process is
    /// started until a file needs one.
    pub fn new(exe: &Path, max_memory_mib: u64) -> WorkerPool {
        WorkerPool {
            exe: exe.to_path_buf(),
            max_memory_mib,
            idle: Mutex::new(Vec::new()),
            started: AtomicUsize::new(0),
        }
    }

    /// How many worker processes this pool has started so far, replacements
    /// included.
    pub fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    /// Reads one PDF's text in a worker, within `timeout`.
    pub(crate) fn read_text(
        &self,
        request: &Request,
        bytes: &[u8],
        timeout: Duration,
    ) -> Result<Extracted, IngestError> {
        let mut worker = self.checkout()?;
        match worker.read_text(request, bytes, timeout, self.max_memory_mib) {
            Outcome::Answered(result) => {
                worker.served += 1;
                if worker.served < RECYCLE_AFTER {
                    self.lock_idle().push(worker);
                }
                result
            }
            // The worker is dead and reaped; dropping it joins its threads.
            Outcome::Died(e) => Err(e),
        }
    }

    fn lock_idle(&self) -> MutexGuard<'_, Vec<Worker>> {
        // A thread that panicked while holding the lock left the list
        // itself intact: a Vec push or pop does not panic half-way.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An idle worker that is still alive, or a new one.
    fn checkout(&self) -> Result<Worker, IngestError> {
        loop {
            let Some(mut worker) = self.lock_idle().pop() else {
                break;
            };
            // A worker that died while idle (killed from outside) must not
            // cost the next file its record.
            if matches!(worker.child.try_wait(), Ok(None)) {
                return Ok(worker);
            }
        }
        self.started.fetch_add(1, Ordering::SeqCst);
        Worker::spawn(&self.exe, self.max_memory_mib)
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        let mut workers = std::mem::take(&mut *self.lock_idle());
        // Close every input first so that the workers exit in parallel.
        for w in &mut workers {
            w.stdin = None;
        }
        drop(workers);
    }
}

/// A worker's answer frame, an error reading it, or no answer in time.
type Received = Result<io::Result<Vec<u8>>, RecvTimeoutError>;

/// What became of one request.
enum Outcome {
    /// The worker answered and can serve again.
    Answered(Result<Extracted, IngestError>),
    /// The worker died or was killed; the error is the file's.
    Died(IngestError),
}

#[derive(Debug)]
struct Worker {
    child: Child,
    /// `None` once closed, which asks the worker to exit.
    stdin: Option<ChildStdin>,
    /// Frames read from the worker's stdout by `reader`; disconnected when
    /// the worker's stdout ends.
    frames: Receiver<io::Result<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
    /// The tail of the worker's stderr, cleared before each request.
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<JoinHandle<()>>,
    served: usize,
}

impl Worker {
    fn spawn(exe: &Path, max_memory_mib: u64) -> Result<Worker, IngestError> {
        let cannot_start = |e: &dyn std::fmt::Display| {
            IngestError::new(
                Code::ING004,
                format!(
                    "无法启动 PDF 文字提取进程（{}：{e}）；请检查 jixiao 程序是否完整，或在本机上重试",
                    exe.display()
                ),
            )
        };
        let mut child = Command::new(exe)
            .arg("worker")
            .arg("--max-memory-mib")
            .arg(max_memory_mib.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| cannot_start(&e))?;
        let (Some(stdin), Some(mut stdout), Some(mut stderr_pipe)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            kill_and_reap(&mut child);
            return Err(cannot_start(&"管道未建立"));
        };
        let (tx, frames) = mpsc::channel();
        let reader = thread::Builder::new()
            .name("jixiao-worker-out".into())
            .spawn(move || loop {
                match read_frame(&mut stdout, MAX_RESPONSE) {
                    Ok(Some(frame)) => {
                        if tx.send(Ok(frame)).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            });
        let reader = match reader {
            Ok(r) => r,
            Err(e) => {
                kill_and_reap(&mut child);
                return Err(cannot_start(&e));
            }
        };
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let tail = Arc::clone(&stderr);
        let stderr_reader = thread::Builder::new()
            .name("jixiao-worker-err".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    match stderr_pipe.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
                            tail.extend_from_slice(&buf[..n]);
                            if tail.len() > 2 * STDERR_KEEP {
                                let cut = tail.len() - STDERR_KEEP;
                                tail.drain(..cut);
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
            });
        let stderr_reader = match stderr_reader {
            Ok(r) => r,
            Err(e) => {
                kill_and_reap(&mut child);
                let _ = reader.join();
                return Err(cannot_start(&e));
            }
        };
        Ok(Worker {
            child,
            stdin: Some(stdin),
            frames,
            reader: Some(reader),
            stderr,
            stderr_reader: Some(stderr_reader),
            served: 0,
        })
    }

    fn read_text(
        &mut self,
        request: &Request,
        bytes: &[u8],
        timeout: Duration,
        max_memory_mib: u64,
    ) -> Outcome {
        self.stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let header = match serde_json::to_vec(request) {
            Ok(h) => h,
            Err(e) => {
                return Outcome::Answered(Err(IngestError::new(
                    Code::ING004,
                    format!("无法生成发给 PDF 文字提取进程的请求（{e}），请将此问题反馈给开发者"),
                )))
            }
        };
        let Some(received) = self.exchange(&header, bytes, timeout) else {
            return Outcome::Died(IngestError::new(
                Code::ING004,
                "PDF 文字提取进程的输入已关闭，请重试".to_string(),
            ));
        };
        self.outcome(received, timeout, max_memory_mib)
    }

    /// Sends one request and waits up to `timeout` for the answer; `None`
    /// when the worker's input is closed. A worker that has not answered
    /// is killed: at once on a timeout, after a grace period when its
    /// output ended.
    fn exchange(&mut self, header: &[u8], bytes: &[u8], timeout: Duration) -> Option<Received> {
        let Worker {
            child,
            stdin,
            frames,
            ..
        } = self;
        let stdin = stdin.as_mut()?;
        let received = thread::scope(|s| {
            // The request is written on its own thread so that the time
            // limit also covers a worker that stops reading.
            let writer = thread::Builder::new()
                .name("jixiao-worker-in".into())
                .spawn_scoped(s, move || {
                    write_frame(stdin, header)?;
                    write_frame(stdin, bytes)?;
                    stdin.flush()
                });
            let received = match writer {
                Ok(_) => frames.recv_timeout(timeout),
                Err(e) => Ok(Err(e)),
            };
            match &received {
                Ok(Ok(_)) => {}
                // Unblocks a writer stuck on a full pipe.
                Err(RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                }
                // The worker's output ended: it is dying. Its status is
                // the cause, so it is killed only if it lingers.
                _ => {
                    if !matches!(child.wait_timeout(EXIT_GRACE), Ok(Some(_))) {
                        let _ = child.kill();
                    }
                }
            }
            received
        });
        Some(received)
    }

    /// What the answer, or its absence, means for the file and the worker.
    fn outcome(&mut self, received: Received, timeout: Duration, max_memory_mib: u64) -> Outcome {
        match received {
            Ok(Ok(frame)) => match serde_json::from_slice::<Response>(&frame) {
                Ok(response) => Outcome::Answered(response.into_result()),
                Err(e) => {
                    kill_and_reap(&mut self.child);
                    Outcome::Died(IngestError::new(
                        Code::ING004,
                        format!("PDF 文字提取进程的应答无法识别（{e}），已终止该进程；请重试，如仍失败请将此文件反馈给开发者"),
                    ))
                }
            },
            Err(RecvTimeoutError::Timeout) => {
                kill_and_reap(&mut self.child);
                Outcome::Died(IngestError::new(
                    Code::ING005,
                    format!(
                        "提取超时：PDF 文字提取超过 {} 秒仍未完成，已终止（文件可能过于复杂或结构异常）；可用 --timeout-secs 调高时限后单独重试",
                        timeout.as_secs_f64()
                    ),
                ))
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                let status = self.reap();
                let stderr = self.stderr_text();
                Outcome::Died(crash_error(status, &stderr, max_memory_mib))
            }
        }
    }

    /// Waits for a worker that is dying, killing it if it lingers, and
    /// waits for its stderr to end so that the tail is complete.
    fn reap(&mut self) -> Option<ExitStatus> {
        let status = match self.child.wait_timeout(EXIT_GRACE) {
            Ok(Some(status)) => Some(status),
            _ => {
                let _ = self.child.kill();
                self.child.wait().ok()
            }
        };
        if let Some(h) = self.stderr_reader.take() {
            let _ = h.join();
        }
        status
    }

    fn stderr_text(&self) -> String {
        let tail = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
        let start = tail.len().saturating_sub(STDERR_KEEP);
        String::from_utf8_lossy(&tail[start..]).into_owned()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stdin = None;
        match self.child.wait_timeout(EXIT_GRACE) {
            Ok(Some(_)) => {}
            _ => kill_and_reap(&mut self.child),
        }
        if let Some(h) = self.reader.take() {
            let _ = h.join();
        }
        if let Some(h) = self.stderr_reader.take() {
            let _ = h.join();
        }
    }
}

fn kill_and_reap(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Names how a worker died, in Chinese, with what it said last. A failed
/// allocation under the memory limit is ING005; anything else is ING004.
fn crash_error(status: Option<ExitStatus>, stderr: &str, max_memory_mib: u64) -> IngestError {
    if stderr.contains("memory allocation of") && stderr.contains("failed") {
        let limit = if max_memory_mib > 0 {
            format!("超过上限 {max_memory_mib} MiB")
        } else {
            "失败".to_string()
        };
        return IngestError::new(
            Code::ING005,
            format!(
                "内存超出限制：PDF 文字提取进程申请内存{limit}，已终止（文件中可能有解压后极大的数据流，即“解压炸弹”，或结构异常复杂）；如确认文件正常，可用 --max-memory-mib 调高上限后单独重试"
            ),
        );
    }
    let how = match status {
        None => "进程异常退出，无法取得退出状态".to_string(),
        Some(status) => match signal_of(status) {
            Some(sig) => format!("进程被信号 {sig} 终止{}", signal_name(sig)),
            None => match status.code() {
                Some(0) => "进程正常退出但没有返回结果".to_string(),
                Some(code) => format!("进程以状态 {code} 退出"),
                None => "进程异常退出".to_string(),
            },
        },
    };
    let why = if stderr.contains("overflowed its stack") {
        "：栈溢出，常见原因是 PDF 中的表单或图案对象引用了自身".to_string()
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
    IngestError::new(
        Code::ING004,
        format!("PDF 文字提取程序崩溃（{how}{why}）；文件结构可能异常，可请报送单位重新导出 PDF"),
    )
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
        9 => "，被强制结束，可能因系统内存不足",
        11 => "，段错误",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_signal_is_named_with_its_cause() {
        use std::os::unix::process::ExitStatusExt;
        let e = crash_error(
            Some(ExitStatus::from_raw(6)),
            "\nthread 'extract' has overflowed its stack\nfatal runtime error: stack overflow\n",
            2048,
        );
        assert_eq!(e.code, Code::ING004);
        assert!(e.message.contains("信号 6"), "{}", e.message);
        assert!(e.message.contains("栈溢出"), "{}", e.message);
        let e = crash_error(
            Some(ExitStatus::from_raw(101 << 8)),
            "thread 'main' panicked at src/x.rs:1:1:\nindex out of bounds\n",
            2048,
        );
        assert!(e.message.contains("状态 101"), "{}", e.message);
        assert!(e.message.contains("index out of bounds"), "{}", e.message);
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_allocation_is_the_memory_limit() {
        use std::os::unix::process::ExitStatusExt;
        let e = crash_error(
            Some(ExitStatus::from_raw(6)),
            "memory allocation of 268435456 bytes failed\n",
            256,
        );
        assert_eq!(e.code, Code::ING005);
        assert!(e.message.contains("内存超出限制"), "{}", e.message);
        assert!(e.message.contains("256 MiB"), "{}", e.message);
    }
}
