//! The parent side of the workers: a pool of long-lived worker processes.
//!
//! A batch makes one [`WorkerPool`] and shares it between its threads. A
//! thread checks a worker out for one request (see `protocol.rs`), waits
//! for the answer until the file's deadline, and checks the worker back
//! in. A file takes one request, or three when its text needs pdf-extract
//! too; all of them share the one deadline, so the time limit covers the
//! whole audit of the file. The pool starts workers lazily, so it never holds
//! more than the number of threads that asked at once (one per batch
//! thread), and a batch of text files starts none.
//!
//! A worker that dies (panic that escaped, abort, stack overflow, failed
//! allocation under its memory limit, a signal) or runs past the time limit
//! is killed, reaped and dropped; the file it was working on gets ING004 or
//! ING005 with a message naming the cause, and the next file that needs a
//! worker starts a fresh one. A worker killed by a signal it did not raise
//! itself and this process did not send (the operator, the system's
//! out-of-memory killer) gives an error marked
//! [`transient`](IngestError::transient): the file is not at fault, and
//! `--resume` audits it again.
//!
//! Workers are started from one thread of the pool's own, which lives as
//! long as the pool: a worker asks the kernel to kill it when the thread
//! that started it ends (`PR_SET_PDEATHSIG`, see `worker.rs`), so it must
//! not be a batch thread that may end first. Other files never see it. A worker is also
//! retired after [`RECYCLE_AFTER`] files, so that memory a long run leaves
//! fragmented in one process is given back.
//!
//! Dropping the pool closes every idle worker's stdin; a worker exits at
//! the end of its input, and one that does not within a moment is killed.

use super::protocol::{read_frame, write_frame, Request, Response};
use super::{Deadline, IngestError};
use crate::model::Code;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
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

/// Long-lived worker processes, shared by the threads of a batch.
#[derive(Debug)]
pub(crate) struct WorkerPool {
    exe: PathBuf,
    max_memory_mib: u64,
    idle: Mutex<Vec<Worker>>,
    started: AtomicUsize,
    /// The thread that starts the workers; `None` until the first one.
    spawner: Mutex<Option<Spawner>>,
}

/// A request to start one worker, and where to send it.
type SpawnOrder = (Command, Sender<io::Result<Child>>);

/// The pool's own thread that starts workers: it lives as long as the pool,
/// so that the kernel's parent-death signal, which follows the thread that
/// started a process, reaches a worker only when the pool (or the whole
/// process) is gone.
#[derive(Debug)]
struct Spawner {
    orders: Sender<SpawnOrder>,
    thread: JoinHandle<()>,
}

impl Spawner {
    fn start() -> io::Result<Spawner> {
        let (orders, inbox) = mpsc::channel::<SpawnOrder>();
        let thread = thread::Builder::new()
            .name("jixiao-worker-spawn".into())
            .spawn(move || {
                for (mut command, reply) in inbox {
                    let _ = reply.send(command.spawn());
                }
            })?;
        Ok(Spawner { orders, thread })
    }
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
            spawner: Mutex::new(None),
        }
    }

    /// How many worker processes this pool has started so far, replacements
    /// included.
    pub fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    /// Sends one request to a worker and waits for its answer until
    /// `deadline`. An error is the worker's death or the deadline; the
    /// file's own failures are in the response.
    pub(crate) fn call(
        &self,
        request: &Request,
        body: &[u8],
        deadline: &Deadline,
    ) -> Result<Response, IngestError> {
        let Some(timeout) = deadline.remaining() else {
            return Err(deadline.exceeded());
        };
        let mut worker = self.checkout()?;
        let request = &Request {
            time_left_ms: Some(u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX)),
            ..request.clone()
        };
        match worker.call(request, body, timeout, deadline, self.max_memory_mib) {
            Outcome::Answered(response) => {
                worker.served += 1;
                if worker.served < RECYCLE_AFTER {
                    self.lock_idle().push(worker);
                }
                Ok(*response)
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
        Worker::spawn(&self.exe, self.max_memory_mib, |command| {
            self.spawn(command)
        })
    }

    /// Starts `command` on the spawner thread (started on first use).
    fn spawn(&self, command: Command) -> io::Result<Child> {
        let mut spawner = self.spawner.lock().unwrap_or_else(|e| e.into_inner());
        if spawner.is_none() {
            *spawner = Some(Spawner::start()?);
        }
        let Some(s) = spawner.as_ref() else {
            return Err(io::Error::other("spawner"));
        };
        let (reply, answer) = mpsc::channel();
        s.orders
            .send((command, reply))
            .map_err(|_| io::Error::other("无法启动工作进程的线程已结束"))?;
        drop(spawner);
        answer
            .recv()
            .map_err(|_| io::Error::other("无法启动工作进程的线程已结束"))?
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
        // The workers are gone: the spawner thread may end now.
        let spawner = self
            .spawner
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(Spawner { orders, thread }) = spawner {
            drop(orders);
            let _ = thread.join();
        }
    }
}

/// A worker's answer frame, an error reading it, or no answer in time.
type Received = Result<io::Result<Vec<u8>>, RecvTimeoutError>;

/// What became of one request.
enum Outcome {
    /// The worker answered and can serve again.
    Answered(Box<Response>),
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
    /// Whether this process has killed the worker (a time-out, a worker
    /// that lingered): its death by a signal is then not someone else's.
    killed: bool,
}

impl Worker {
    fn spawn(
        exe: &Path,
        max_memory_mib: u64,
        start: impl FnOnce(Command) -> io::Result<Child>,
    ) -> Result<Worker, IngestError> {
        let cannot_start = |e: &dyn std::fmt::Display| {
            IngestError::new(
                Code::ING004,
                format!(
                    "无法启动 PDF 文字提取进程（{}：{e}）；请检查 jixiao 程序是否完整，或在本机上重试",
                    exe.display()
                ),
            )
        };
        let mut command = Command::new(exe);
        command
            .arg("worker")
            .arg("--max-memory-mib")
            .arg(max_memory_mib.to_string())
            .arg("--parent-pid")
            .arg(std::process::id().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = start(command).map_err(|e| cannot_start(&e))?;
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
            killed: false,
        })
    }

    fn call(
        &mut self,
        request: &Request,
        bytes: &[u8],
        timeout: Duration,
        deadline: &Deadline,
        max_memory_mib: u64,
    ) -> Outcome {
        self.stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let header = match serde_json::to_vec(request) {
            Ok(h) => h,
            Err(_) => {
                return Outcome::Answered(Box::new(Response::from_error(IngestError::new(
                    Code::ING004,
                    "无法生成发给处理进程的请求，请将此问题反馈给开发者".to_string(),
                ))))
            }
        };
        let Some(received) = self.exchange(&header, bytes, timeout) else {
            return Outcome::Died(IngestError::new(
                Code::ING004,
                "处理该文件的进程的输入已关闭，请重试".to_string(),
            ));
        };
        self.outcome(received, deadline, max_memory_mib)
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
            killed,
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
                    *killed = true;
                    let _ = child.kill();
                }
                // An answer over the size limit: the worker is still
                // writing it, and nobody will read the rest.
                Ok(Err(e)) if e.kind() == io::ErrorKind::InvalidData => {
                    *killed = true;
                    let _ = child.kill();
                }
                // The worker's output ended: it is dying. Its status is
                // the cause, so it is killed only if it lingers.
                _ => {
                    if !matches!(child.wait_timeout(EXIT_GRACE), Ok(Some(_))) {
                        *killed = true;
                        let _ = child.kill();
                    }
                }
            }
            received
        });
        Some(received)
    }

    /// What the answer, or its absence, means for the file and the worker.
    fn outcome(&mut self, received: Received, deadline: &Deadline, max_memory_mib: u64) -> Outcome {
        match received {
            Ok(Ok(frame)) => match serde_json::from_slice::<Response>(&frame) {
                Ok(response) => Outcome::Answered(Box::new(response)),
                Err(_) => {
                    self.killed = true;
                    kill_and_reap(&mut self.child);
                    Outcome::Died(IngestError::new(
                        Code::ING004,
                        "处理该文件的进程的应答无法识别，已终止该进程；请重试，如仍失败请将此文件反馈给开发者"
                            .to_string(),
                    ))
                }
            },
            Err(RecvTimeoutError::Timeout) => {
                self.killed = true;
                kill_and_reap(&mut self.child);
                Outcome::Died(deadline.exceeded())
            }
            Ok(Err(e)) if e.kind() == io::ErrorKind::InvalidData => {
                self.reap();
                Outcome::Died(IngestError::new(
                    Code::ING005,
                    format!(
                        "处理结果超出上限：该文件的检查结果超过 {} MiB（问题条目或引文异常多，可能是恶意构造的文件），已终止；请向报送单位索取正常导出的文件",
                        MAX_RESPONSE >> 20
                    ),
                ))
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                let status = self.reap();
                let stderr = self.stderr_text();
                let killed = self.killed;
                Outcome::Died(crash_error(status, &stderr, max_memory_mib, killed))
            }
        }
    }

    /// Waits for a worker that is dying, killing it if it lingers, and
    /// waits for its stderr to end so that the tail is complete.
    fn reap(&mut self) -> Option<ExitStatus> {
        let status = match self.child.wait_timeout(EXIT_GRACE) {
            Ok(Some(status)) => Some(status),
            _ => {
                self.killed = true;
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
/// allocation under the memory limit is ING005; a signal from outside (not
/// one the worker raised on itself, and not sent by this process, which
/// says so in `killed`) is a transient ING004; anything else is ING004.
fn crash_error(
    status: Option<ExitStatus>,
    stderr: &str,
    max_memory_mib: u64,
    killed: bool,
) -> IngestError {
    if stderr.contains("memory allocation of") && stderr.contains("failed") {
        let limit = if max_memory_mib > 0 {
            format!("超过上限 {max_memory_mib} MiB")
        } else {
            "失败".to_string()
        };
        return IngestError::new(
            Code::ING005,
            format!(
                "内存超出限制：处理该文件的进程申请内存{limit}，已终止（文件中可能有解压后极大的数据流，即“解压炸弹”，或文字量异常大、结构异常复杂）；如确认文件正常，可用 --max-memory-mib 调高上限后单独重试"
            ),
        );
    }
    if let Some(sig) = status.and_then(signal_of) {
        if !killed && !self_inflicted(sig) {
            return IngestError::transient(
                Code::ING004,
                format!(
                    "处理该文件的进程被外部终止（信号 {sig}{}），并非文件本身的问题；请重新检查该文件（加 --resume 续跑时会自动重新检查）",
                    signal_name(sig)
                ),
            );
        }
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

/// Signals a process raises on itself when it fails (a bad access, an
/// abort, a trap): the file it was reading is the likely cause. Any other
/// signal came from outside.
fn self_inflicted(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGILL
            | libc::SIGTRAP
            | libc::SIGABRT
            | libc::SIGBUS
            | libc::SIGFPE
            | libc::SIGSEGV
            | libc::SIGSYS
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
        15 => "，被要求结束",
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
            false,
        );
        assert_eq!(e.code, Code::ING004);
        assert!(e.message.contains("信号 6"), "{}", e.message);
        assert!(e.message.contains("栈溢出"), "{}", e.message);
        let e = crash_error(
            Some(ExitStatus::from_raw(101 << 8)),
            "thread 'main' panicked at src/x.rs:1:1:\nindex out of bounds\n",
            2048,
            false,
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
            false,
        );
        assert_eq!(e.code, Code::ING005);
        assert!(e.message.contains("内存超出限制"), "{}", e.message);
        assert!(e.message.contains("256 MiB"), "{}", e.message);
    }

    #[cfg(unix)]
    #[test]
    fn a_signal_from_outside_is_transient_and_one_of_ours_is_not() {
        use std::os::unix::process::ExitStatusExt;
        for sig in [libc::SIGKILL, libc::SIGTERM, libc::SIGHUP, libc::SIGUSR1] {
            let e = crash_error(Some(ExitStatus::from_raw(sig)), "", 2048, false);
            assert!(e.transient, "{sig}: {}", e.message);
            assert_eq!(e.code, Code::ING004);
            assert!(e.message.contains("外部终止"), "{}", e.message);
            assert!(e.message.contains("--resume"), "{}", e.message);
        }
        // Killed by this process (a time-out, a worker that lingered), or
        // a fault of its own: the file's failure.
        let e = crash_error(Some(ExitStatus::from_raw(libc::SIGKILL)), "", 2048, true);
        assert!(!e.transient, "{}", e.message);
        for sig in [libc::SIGSEGV, libc::SIGABRT, libc::SIGBUS, libc::SIGILL] {
            let e = crash_error(Some(ExitStatus::from_raw(sig)), "", 2048, false);
            assert!(!e.transient, "{sig}: {}", e.message);
        }
    }
}
