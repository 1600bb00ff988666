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
use std::os::unix::fs::{symlink, PermissionsExt};
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

fn assert_ok(records: &[Value], path: &str) {
    let r = records.iter().find(|r| path_of(r) == path).unwrap();
    assert_eq!(r["status"], "ok", "{r}");
}

// ---------------------------------------------------------------------
// Defect 5: one bad path refuses the whole batch.

#[test]
fn an_unreadable_sub_folder_gets_a_record_and_the_batch_goes_on() {
    let dir = scratch("locked");
    fs::write(dir.join("in/ok.pdf"), report()).unwrap();
    fs::create_dir(dir.join("in/locked")).unwrap();
    fs::write(dir.join("in/locked/x.pdf"), report()).unwrap();
    fs::set_permissions(dir.join("in/locked"), fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any folder: the run drops to an unprivileged user.
    let as_nobody = unsafe { libc::geteuid() } == 0;
    let args: Vec<&OsStr> = ["audit", "in", "--out", "out"]
        .iter()
        .map(OsStr::new)
        .collect();
    let out = jixiao_in(&dir, &args, as_nobody);
    fs::set_permissions(dir.join("in/locked"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let records = records(&dir.join("out"));
    assert_eq!(paths(&records), ["in/locked", "in/ok.pdf"]);
    assert_ok(&records, "in/ok.pdf");
    assert_eq!(
        failure(&records, "in/locked"),
        "locked：无法读取文件（文件夹无法读取（没有读取权限），其中的文件未能检查）"
    );
}

/// Makes `in/` + 17 nested folders of 250-byte names (a relative path of
/// over 4,096 bytes, the system's limit) with a report at depth 16 whose
/// whole path is too long, one whose path is not, and one at depth 17.
/// Returns the folder at depth 17, relative to `dir`.
fn deep_tree(dir: &Path) -> String {
    let name = "d".repeat(250);
    let report = dir.join("report.pdf");
    fs::write(&report, self::report()).unwrap();
    // Made with relative steps: no single path here reaches the limit.
    let script = format!(
        "set -e; cd in; for i in $(seq 16); do mkdir {name}; cd {name}; done; \
         cp {up}report.pdf short.pdf; cp short.pdf {long}.pdf; \
         mkdir {name}; cp short.pdf {name}/x.pdf",
        up = "../".repeat(17),
        long = "r".repeat(240),
    );
    let status = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success());
    format!("in/{}", vec![name; 17].join("/"))
}

#[test]
fn paths_too_long_for_the_system_get_records_and_the_batch_goes_on() {
    let dir = scratch("long");
    fs::write(dir.join("in/ok.pdf"), report()).unwrap();
    let deepest = deep_tree(&dir);
    let depth16 = &deepest[..deepest.rfind('/').unwrap()];
    let long_file = format!("{depth16}/{}.pdf", "r".repeat(240));
    let records = audit(&dir, &["in"], &[]);
    assert_eq!(
        paths(&records),
        [
            deepest.as_str(),
            long_file.as_str(),
            &format!("{depth16}/short.pdf"),
            "in/ok.pdf"
        ]
    );
    assert_ok(&records, "in/ok.pdf");
    assert_ok(&records, &format!("{depth16}/short.pdf"));
    for path in [&deepest, &long_file] {
        let message = failure(&records, path);
        assert!(
            message.ends_with("：无法读取文件（路径过长，超过系统允许的长度）"),
            "{message}"
        );
    }

    // Given directly, beside a good file.
    let records = audit(&dir, &["in/ok.pdf", &format!("{deepest}/x.pdf")], &[]);
    assert_eq!(records.len(), 2);
    assert_ok(&records, "in/ok.pdf");
    assert_eq!(
        failure(&records, &format!("{deepest}/x.pdf")),
        "x.pdf：无法读取文件（路径过长，超过系统允许的长度）"
    );
    let _ = Command::new("rm").arg("-rf").arg(dir.join("in")).status();
}

#[test]
fn bad_symbolic_links_given_directly_get_records_and_the_batch_goes_on() {
    let dir = scratch("links");
    fs::write(dir.join("in/ok.pdf"), report()).unwrap();
    symlink("/nonexistent/report.pdf", dir.join("in/dangling.pdf")).unwrap();
    symlink("loop.pdf", dir.join("in/loop.pdf")).unwrap();
    let records = audit(&dir, &["in/ok.pdf", "in/dangling.pdf", "in/loop.pdf"], &[]);
    assert_eq!(
        paths(&records),
        ["in/dangling.pdf", "in/loop.pdf", "in/ok.pdf"]
    );
    assert_ok(&records, "in/ok.pdf");
    assert_eq!(
        failure(&records, "in/dangling.pdf"),
        "dangling.pdf：无法读取文件（符号链接指向不存在的目标（/nonexistent/report.pdf））"
    );
    assert_eq!(
        failure(&records, "in/loop.pdf"),
        "loop.pdf：无法读取文件（符号链接成环（loop.pdf），到不了任何文件）"
    );
}

/// The one deliberate refusal: a path on the command line that does not
/// exist is a typo, and the run stops before it starts.
#[test]
fn a_path_that_does_not_exist_is_still_bad_usage() {
    let dir = scratch("missing");
    fs::write(dir.join("in/ok.pdf"), report()).unwrap();
    let out = jixiao(&dir, &["audit", "in/ok.pdf", "in/typo.pdf", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "jixiao: in/typo.pdf：路径不存在\n");
    assert!(!dir.join("out").exists());
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
// Defect 12: silent skips in a folder walk.

/// The QA sweep's folder: a report, a link loop, a dangling link, a FIFO,
/// a link to `/dev/zero` and a name with a trailing space, with a socket,
/// a link to a folder, a hidden report and a `.docx` beside them. Returns
/// the paths that must get a record.
fn silent_skips(dir: &Path) -> Vec<&'static str> {
    let at = |name: &str| dir.join("in").join(name);
    fs::write(at("ok.pdf"), report()).unwrap();
    symlink("loop.pdf", at("loop.pdf")).unwrap();
    symlink("/nonexistent", at("dangling.pdf")).unwrap();
    mkfifo(&at("fifo.pdf"));
    symlink("/dev/zero", at("dev.pdf")).unwrap();
    fs::write(at("trailing-space.pdf "), report()).unwrap();
    std::os::unix::net::UnixListener::bind(at("sock.pdf")).unwrap();
    fs::create_dir(at("sub")).unwrap();
    symlink("sub", at("linked")).unwrap();
    fs::write(at(".hidden.pdf"), report()).unwrap();
    fs::write(at("notes.docx"), b"").unwrap();
    vec![
        "in/dangling.pdf",
        "in/dev.pdf",
        "in/fifo.pdf",
        "in/loop.pdf",
        "in/ok.pdf",
        "in/sock.pdf",
        "in/trailing-space.pdf ",
    ]
}

#[test]
fn every_report_named_entry_of_a_folder_gets_a_record_saying_what_it_is() {
    let dir = scratch("skips");
    let expected = silent_skips(&dir);
    let records = audit(&dir, &["in"], &[]);
    assert_eq!(paths(&records), expected);
    assert_ok(&records, "in/ok.pdf");
    assert_ok(&records, "in/trailing-space.pdf ");
    let causes = [
        (
            "in/dangling.pdf",
            "dangling.pdf：无法读取文件（符号链接指向不存在的目标（/nonexistent））",
        ),
        (
            "in/dev.pdf",
            "dev.pdf：无法读取文件（这是指向字符设备（/dev/zero）的符号链接，不是普通文件，未读取）",
        ),
        (
            "in/fifo.pdf",
            "fifo.pdf：无法读取文件（这是命名管道（FIFO），不是普通文件，未读取）",
        ),
        (
            "in/loop.pdf",
            "loop.pdf：无法读取文件（符号链接成环（loop.pdf），到不了任何文件）",
        ),
        (
            "in/sock.pdf",
            "sock.pdf：无法读取文件（这是套接字（socket），不是普通文件，未读取）",
        ),
    ];
    for (path, message) in causes {
        assert_eq!(failure(&records, path), message);
    }
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

// ---------------------------------------------------------------------
// All of the above in one folder.

#[test]
fn a_folder_of_every_case_gives_one_record_each_the_same_at_j1_and_j2() {
    let dir = scratch("all");
    let mut expected: Vec<String> = silent_skips(&dir).iter().map(|p| p.to_string()).collect();
    expected.extend(invalid_names(&dir).iter().map(|p| p.to_string()));
    let deepest = deep_tree(&dir);
    let depth16 = &deepest[..deepest.rfind('/').unwrap()];
    expected.push(deepest.clone());
    expected.push(format!("{depth16}/{}.pdf", "r".repeat(240)));
    expected.push(format!("{depth16}/short.pdf"));
    mkfifo(&dir.join("in/sub/deeper.pdf"));
    expected.push("in/sub/deeper.pdf".into());
    expected.sort_by(|a, b| jixiao::discover::path_order(a, b));

    let one = audit(&dir, &["in"], &["-j", "1"]);
    let mut got: Vec<&str> = paths(&one);
    got.sort_by(|a, b| jixiao::discover::path_order(a, b));
    assert_eq!(got, expected);
    let bytes = |name: &str| fs::read(dir.join("out").join(name)).unwrap();
    let (reports, findings) = (bytes("reports.jsonl"), bytes("findings.csv"));
    audit(&dir, &["in"], &["-j", "2"]);
    assert!(bytes("reports.jsonl") == reports, "reports.jsonl differs");
    assert!(bytes("findings.csv") == findings, "findings.csv differs");
    let _ = Command::new("rm").arg("-rf").arg(dir.join("in")).status();
}

/// `--resume` after a complete run looks at every input again: it must
/// not open the FIFO (it would block), and it must take each record back
/// for its own file, not for another whose name reads the same.
#[test]
fn resume_reuses_each_record_for_its_own_file_and_never_opens_a_fifo() {
    let dir = scratch("resume");
    let mut expected = silent_skips(&dir);
    expected.extend(invalid_names(&dir));
    let first = audit(&dir, &["in"], &[]);
    assert_eq!(first.len(), expected.len());
    let reports = fs::read(dir.join("out/reports.jsonl")).unwrap();
    let out = jixiao(&dir, &["audit", "in", "--out", "out", "--resume"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    // The six regular files are taken back; the rest is looked at again.
    assert!(
        stderr(&out).contains("沿用 6 个文件的已有记录，检查其余 5 个文件"),
        "{}",
        stderr(&out)
    );
    assert!(fs::read(dir.join("out/reports.jsonl")).unwrap() == reports);
}
