//! Nothing lost on interruption: the `jixiao` binary killed half-way
//! through an `--out` run keeps the records it finished in its journal,
//! and `--resume` finishes the run with the same `reports.jsonl` as an
//! uninterrupted run.
//!
//! The inputs are real: the corpus PDFs and text, and the batch fixtures,
//! copied under different names into a scratch folder (some with a
//! trailing PDF comment, so that copies differ in their bytes). Runs happen
//! in that folder with relative paths, so records carry `in/…` paths.
//!
//! Nothing here depends on timing: the interrupted run is killed once its
//! journal holds a few records, however long that takes, and every wait
//! has a generous limit for a slow machine.

use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const JOURNAL: &str = "reports.partial.jsonl";

/// How long the interrupted run may take to finish its first records.
const JOURNAL_WAIT: Duration = Duration::from_secs(600);

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("resume-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn source(rel: &str) -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// A PDF with a comment after `%%EOF`: the same document, other bytes.
fn with_comment(pdf: &[u8], comment: &str) -> Vec<u8> {
    let mut bytes = pdf.to_vec();
    bytes.extend_from_slice(format!("%{comment}\n").as_bytes());
    bytes
}

/// Twenty inputs in `root/in`: every corpus PDF twice (the second copy
/// with a trailing comment), the corpus text under several names, and the
/// batch fixtures (an empty file, an HTML page saved as `.pdf`, a good
/// report, also copied with a comment).
fn make_inputs(root: &Path) -> Vec<String> {
    let pdfs = [
        "guangzhou-archives-2023-chromium-noto.pdf",
        "guangzhou-archives-2023-chromium-wqy.pdf",
        "guangzhou-archives-2023-libreoffice.pdf",
        "guangzhou-archives-2023-xelatex.pdf",
    ];
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, name) in pdfs.iter().enumerate() {
        let pdf = source(&format!("corpus/{name}"));
        files.push((format!("in/unit-{i:02}/{name}"), pdf.clone()));
        files.push((
            format!("in/copies/copy-{i:02}.pdf"),
            with_comment(&pdf, &format!("copy {i}")),
        ));
    }
    let text = source("corpus/guangzhou-archives-2023-selfeval.txt");
    for i in 0..7 {
        files.push((format!("in/text/report-{i}.txt"), text.clone()));
    }
    for name in ["empty.pdf", "good.pdf", "page.pdf"] {
        files.push((
            format!("in/batch/{name}"),
            source(&format!("fixtures/batch/{name}")),
        ));
    }
    let good = source("fixtures/batch/good.pdf");
    files.push(("in/batch/good-2.pdf".into(), with_comment(&good, "second")));
    files.push(("in/batch/good-3.pdf".into(), with_comment(&good, "third")));
    assert_eq!(files.len(), 20);
    for (rel, bytes) in &files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    files.into_iter().map(|(rel, _)| rel).collect()
}

fn jixiao(root: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    command.current_dir(root);
    command
}

/// Runs `jixiao audit in --out OUT ARGS…` to the end; it must exit 0.
fn audit(root: &Path, out: &str, args: &[&str]) -> Output {
    let output = jixiao(root)
        .args(["audit", "in", "--out", out])
        .args(args)
        .output()
        .expect("the jixiao binary runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn summary(out: &Path) -> Value {
    serde_json::from_str(&read(&out.join("summary.json"))).unwrap()
}

/// The complete lines of a journal (each ended by `\n`), without a torn
/// last line.
fn complete_lines(journal: &[u8]) -> Vec<String> {
    let end = journal
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    String::from_utf8(journal[..end].to_vec())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn line_path(line: &str) -> String {
    let v: Value = serde_json::from_str(line).unwrap();
    v["source"]["path"].as_str().unwrap().to_string()
}

fn line_sha256(line: &str) -> String {
    let v: Value = serde_json::from_str(line).unwrap();
    v["source"]["sha256"].as_str().unwrap().to_string()
}

/// Starts `audit in --out OUT -j 1` and kills it (SIGKILL) once its
/// journal holds at least `records` complete lines. Returns the journal
/// as the killed run left it.
fn run_and_kill(root: &Path, out: &str, records: usize) -> Vec<u8> {
    let journal = root.join(out).join(JOURNAL);
    let mut child = jixiao(root)
        .args(["audit", "in", "--out", out, "-j", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the jixiao binary starts");
    let start = Instant::now();
    loop {
        let lines = fs::read(&journal).map_or(0, |b| complete_lines(&b).len());
        if lines >= records {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before its journal had {records} records");
        }
        if start.elapsed() > JOURNAL_WAIT {
            let _ = child.kill();
            panic!("no {records} records in the journal after {JOURNAL_WAIT:?}");
        }
        sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // A killed run leaves its journal and no dataset.
    assert!(!root.join(out).join("reports.jsonl").exists());
    fs::read(&journal).unwrap()
}

#[test]
fn a_killed_run_resumed_gives_the_bytes_of_an_uninterrupted_run() {
    let root = scratch("killed");
    let inputs = make_inputs(&root);

    // (b) Kill a run on one thread once it has recorded a few files.
    let left = run_and_kill(&root, "out", 3);
    let lines = complete_lines(&left);
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(lines.len() < inputs.len(), "the run was not interrupted");
    let journaled: Vec<String> = lines.iter().map(|l| line_path(l)).collect();

    // (c) Tear the last record in half, as a kill in the middle of a
    // write would: that file must be audited again.
    let torn = lines.last().unwrap().as_bytes();
    let mut journal = Vec::new();
    for line in &lines[..lines.len() - 1] {
        journal.extend_from_slice(line.as_bytes());
        journal.push(b'\n');
    }
    journal.extend_from_slice(&torn[..torn.len() / 2]);
    fs::write(root.join("out").join(JOURNAL), journal).unwrap();

    // (d) Change the bytes of a recorded file (one byte more at its end):
    // it must be audited again.
    let changed = &journaled[0];
    let mut bytes = fs::read(root.join(changed)).unwrap();
    bytes.push(b'\n');
    fs::write(root.join(changed), &bytes).unwrap();

    let resumed = audit(&root, "out", &["--resume"]);
    let out = root.join("out");
    assert!(
        stderr(&resumed).contains("忽略 1 行不完整的记录"),
        "{}",
        stderr(&resumed)
    );
    assert!(
        !out.join(JOURNAL).exists(),
        "the journal is removed at the end"
    );
    let expected_resumed = lines.len() - 2;
    assert_eq!(summary(&out)["resumed"], expected_resumed);
    assert_eq!(summary(&out)["files"], inputs.len());

    // (a) An uninterrupted run over the same inputs is the reference.
    let reference = audit(&root, "reference", &[]);
    assert!(
        !stderr(&reference).contains("--resume"),
        "{}",
        stderr(&reference)
    );
    let reference = root.join("reference");
    assert_eq!(summary(&reference)["resumed"], 0);
    let expected = read(&reference.join("reports.jsonl"));
    let actual = read(&out.join("reports.jsonl"));
    assert!(
        actual == expected,
        "reports.jsonl differs from the uninterrupted run's"
    );
    assert_eq!(
        read(&out.join("findings.csv")),
        read(&reference.join("findings.csv"))
    );
    assert_eq!(expected.lines().count(), inputs.len());

    // The changed file's record is of its new bytes.
    let line = actual.lines().find(|l| line_path(l) == *changed).unwrap();
    assert_ne!(line_sha256(line), line_sha256(&lines[0]));

    // Counts other than timings and `resumed` are those of the reference.
    let mut a = summary(&out);
    let mut b = summary(&reference);
    for v in [&mut a, &mut b] {
        let v = v.as_object_mut().unwrap();
        v.remove("timings");
        v.remove("resumed");
    }
    assert_eq!(a, b);

    // Resuming a finished run reuses reports.jsonl: only a changed file is
    // audited again, and the record of a file no longer given is dropped.
    let changed = "in/copies/copy-01.pdf";
    let mut bytes = fs::read(root.join(changed)).unwrap();
    *bytes.last_mut().unwrap() = b' ';
    fs::write(root.join(changed), &bytes).unwrap();
    fs::remove_file(root.join("in/text/report-6.txt")).unwrap();
    audit(&root, "out", &["--resume"]);
    assert_eq!(summary(&out)["resumed"], inputs.len() - 2);
    assert_eq!(summary(&out)["files"], inputs.len() - 1);
    let again = read(&out.join("reports.jsonl"));
    let before: Vec<&str> = actual
        .lines()
        .filter(|l| !["in/text/report-6.txt", changed].contains(&line_path(l).as_str()))
        .collect();
    let after: Vec<&str> = again.lines().filter(|l| line_path(l) != changed).collect();
    assert_eq!(before, after);
    // The changed file's record is what a run on that file alone gives.
    let single = jixiao(&root)
        .args(["audit", changed, "--out", "single"])
        .output()
        .unwrap();
    assert_eq!(single.status.code(), Some(0));
    let single = read(&root.join("single/reports.jsonl"));
    let line = again.lines().find(|l| line_path(l) == changed).unwrap();
    assert_eq!(format!("{line}\n"), single);
}

#[test]
fn without_resume_a_left_journal_is_replaced_and_said_so() {
    let root = scratch("replaced");
    let dir = root.join("in");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("empty.pdf"), b"").unwrap();
    fs::write(dir.join("page.pdf"), source("fixtures/batch/page.pdf")).unwrap();
    let first = audit(&root, "out", &[]);
    assert!(!stderr(&first).contains("--resume"), "{}", stderr(&first));
    let out = root.join("out");
    let reference = read(&out.join("reports.jsonl"));

    // A journal left by an interrupted run, with a record of a file that
    // is not among the inputs and a torn line.
    let stray = reference
        .lines()
        .next()
        .unwrap()
        .replace("empty.pdf", "gone.pdf");
    let mut journal = fs::File::create(out.join(JOURNAL)).unwrap();
    write!(journal, "{stray}\n{}", &stray[..20]).unwrap();
    drop(journal);

    let second = audit(&root, "out", &[]);
    assert!(
        stderr(&second).contains("未加 --resume"),
        "{}",
        stderr(&second)
    );
    assert_eq!(read(&out.join("reports.jsonl")), reference);
    assert!(!out.join(JOURNAL).exists());
    assert_eq!(summary(&out)["resumed"], 0);

    // With --resume, the stray record is dropped: its file is not an input.
    let mut journal = fs::File::create(out.join(JOURNAL)).unwrap();
    writeln!(journal, "{stray}").unwrap();
    drop(journal);
    let third = audit(&root, "out", &["--resume"]);
    assert_eq!(read(&out.join("reports.jsonl")), reference);
    assert_eq!(summary(&out)["resumed"], 2);
    assert!(stderr(&third).contains("不再使用"), "{}", stderr(&third));
}

#[test]
fn records_of_other_options_are_not_reused() {
    let root = scratch("settings");
    let dir = root.join("in");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("empty.pdf"), b"").unwrap();
    fs::write(dir.join("page.pdf"), source("fixtures/batch/page.pdf")).unwrap();
    audit(&root, "out", &[]);
    let out = root.join("out");
    // The same options: both records are reused.
    let same = audit(&root, "out", &["--resume"]);
    assert_eq!(summary(&out)["resumed"], 2, "{}", stderr(&same));
    // Another limit could give other records: nothing is reused, and the
    // reviewer is told why.
    let other = audit(&root, "out", &["--resume", "--max-pages", "5"]);
    assert_eq!(summary(&out)["resumed"], 0);
    assert!(stderr(&other).contains("不能沿用"), "{}", stderr(&other));
    // The folder now holds records of the new options.
    let again = audit(&root, "out", &["--resume", "--max-pages", "5"]);
    assert_eq!(summary(&out)["resumed"], 2, "{}", stderr(&again));
}

#[test]
fn resume_needs_an_out_folder() {
    let root = scratch("usage");
    let output = jixiao(&root)
        .args(["audit", ".", "--resume"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}
