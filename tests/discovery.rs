//! File discovery and file names, through the `jixiao` binary: every input
//! file gets a record, one bad path never refuses the batch, nothing that
//! is not a regular file is opened as one (a FIFO would block for ever,
//! `/dev/zero` never ends), and a name that is not UTF-8 keeps a lossless
//! `source.path` in a deterministic order.
//!
//! Each test builds its inputs in a scratch folder (a copy of a batch
//! fixture for the reports, FIFOs, links, sockets and odd names made here)
//! and runs the binary in that folder with relative paths, so records
//! carry `in/…` paths. Every run has a generous time limit: a run that
//! blocks fails the test instead of hanging it.

use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// How long one run may take on a slow, shared machine.
const RUN_LIMIT: Duration = Duration::from_secs(300);

/// A fresh scratch folder for one test, open to every user (a test runs
/// the binary as an unprivileged user when it runs as root).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("discovery-{name}"));
    if dir.exists() {
        // A permission test that failed half-way may have left a locked
        // folder behind.
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+rwx")
            .arg(&dir)
            .status();
        let _ = fs::remove_dir_all(&dir);
    }
    fs::create_dir_all(dir.join("in")).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

/// A real report (it has findings).
fn report() -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/batch/good.pdf")).unwrap()
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "{path:?}");
}

/// Runs `jixiao args…` in `dir`, failing the test if it has not finished
/// within [`RUN_LIMIT`].
fn jixiao_in(dir: &Path, args: &[&OsStr], as_nobody: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if as_nobody {
        command.uid(65534).gid(65534);
    }
    let mut child = command.spawn().expect("the jixiao binary runs");
    // The outputs are small (a summary, or one record): the pipes do not
    // fill before the run ends.
    match child.wait_timeout(RUN_LIMIT).unwrap() {
        Some(_) => child.wait_with_output().unwrap(),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("jixiao {args:?} still running after {RUN_LIMIT:?}: it blocks");
        }
    }
}

fn jixiao(dir: &Path, args: &[&str]) -> Output {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    jixiao_in(dir, &args, false)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Audits `paths` into `dir/out` and returns the records; the run must
/// exit 0.
fn audit(dir: &Path, paths: &[&str], extra: &[&str]) -> Vec<Value> {
    let _ = fs::remove_dir_all(dir.join("out"));
    let mut args = vec!["audit"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--out", "out"]);
    args.extend_from_slice(extra);
    let out = jixiao(dir, &args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    records(&dir.join("out"))
}

fn records(out: &Path) -> Vec<Value> {
    fs::read_to_string(out.join("reports.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

fn path_of(r: &Value) -> &str {
    r["source"]["path"].as_str().unwrap()
}

fn paths(records: &[Value]) -> Vec<&str> {
    records.iter().map(path_of).collect()
}

/// The record of `path`, which must be a failed ING001 record: its message.
fn failure<'a>(records: &'a [Value], path: &str) -> &'a str {
    let r = records
        .iter()
        .find(|r| path_of(r) == path)
        .unwrap_or_else(|| panic!("no record for {path}"));
    assert_eq!(r["status"], "failed", "{r}");
    assert_eq!(r["error"]["code"], "ING001", "{r}");
    r["error"]["message"].as_str().unwrap()
}

// ---------------------------------------------------------------------
// Defect 7: a FIFO given directly blocks for ever.

#[test]
fn a_fifo_given_directly_gets_a_failed_record_at_once() {
    let dir = scratch("fifo");
    mkfifo(&dir.join("in/f.pdf"));
    let out = jixiao(&dir, &["audit", "in/f.pdf", "--json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let record: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        failure(&[record], "in/f.pdf"),
        "f.pdf：无法读取文件（这是命名管道（FIFO），不是普通文件，未读取）"
    );
    let records = audit(&dir, &["in/f.pdf"], &[]);
    assert_eq!(paths(&records), ["in/f.pdf"]);
}

// ---------------------------------------------------------------------
// Defect 14, first half: names that are not UTF-8.

/// `in/dup\xff.pdf` and `in/dup\xfe.pdf` (bytes that are not UTF-8, the
/// second file with other bytes), `in/dup\xff.pdf` spelt with a real
/// backslash, and `in/dupé.pdf`. Returns their record paths in order.
fn invalid_names(dir: &Path) -> Vec<&'static str> {
    let at = |name: &[u8]| {
        let mut path = dir.join("in").into_os_string().into_vec();
        path.push(b'/');
        path.extend_from_slice(name);
        PathBuf::from(OsString::from_vec(path))
    };
    let mut other = report();
    other.extend_from_slice(b"%x\n");
    fs::write(at(b"dup\xff.pdf"), report()).unwrap();
    fs::write(at(b"dup\xfe.pdf"), other).unwrap();
    fs::write(at(br"dup\xff.pdf"), report()).unwrap();
    fs::write(at("dupé.pdf".as_bytes()), report()).unwrap();
    // In the order of the names' bytes.
    vec![
        r"in/dup\\xff.pdf",
        "in/dupé.pdf",
        r"in/dup\xfe.pdf",
        r"in/dup\xff.pdf",
    ]
}

#[test]
fn names_that_differ_only_in_invalid_bytes_keep_distinct_lossless_paths() {
    let dir = scratch("utf8");
    let expected = invalid_names(&dir);
    let mut sorted = expected.clone();
    sorted.sort_by(|a, b| jixiao::discover::path_order(a, b));
    assert_eq!(sorted, expected);
    let first = audit(&dir, &["in"], &["-j", "2"]);
    let mut got = paths(&first);
    got.sort_by(|a, b| jixiao::discover::path_order(a, b));
    assert_eq!(got, expected);
    for r in &first {
        assert_eq!(r["status"], "ok", "{r}");
        // The path goes back to the file it names.
        let file = dir.join(jixiao::discover::path_from_string(path_of(r)));
        assert_eq!(fs::metadata(file).unwrap().len(), r["source"]["bytes"]);
    }
    let reports = fs::read(dir.join("out/reports.jsonl")).unwrap();
    for _ in 0..3 {
        audit(&dir, &["in"], &["-j", "2"]);
        assert_eq!(fs::read(dir.join("out/reports.jsonl")).unwrap(), reports);
    }
}
