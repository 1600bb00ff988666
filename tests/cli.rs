//! The `jixiao` binary on real files: exit statuses, the dataset files and
//! their determinism, and the rules listing.
//!
//! Every run happens in the crate root with relative paths, as a reviewer
//! would type them, so the records carry `fixtures/batch/…` paths.

use jixiao::rules::{Code, RULES};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BOM: &str = "\u{feff}";
const HEADER: &str = "file,rule,severity,message,stated,expected,page,quote";

fn jixiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the jixiao binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh, empty folder for one test's output.
fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn audit_into(dir: &Path, extra: &[&str]) -> Output {
    let dir = dir.to_str().unwrap();
    let mut args = vec!["audit", "fixtures/batch", "--out", dir];
    args.extend_from_slice(extra);
    let out = jixiao(&args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    out
}

fn records(dir: &Path) -> Vec<Value> {
    fs::read_to_string(dir.join("reports.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

#[test]
fn the_batch_fixtures_give_one_record_each_and_a_consistent_dataset() {
    let dir = out_dir("batch");
    audit_into(&dir, &[]);

    let records = records(&dir);
    let paths: Vec<&str> = records
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "fixtures/batch/empty.pdf",
            "fixtures/batch/good.pdf",
            "fixtures/batch/page.pdf"
        ]
    );

    // The empty file and the HTML page saved as .pdf cannot be read.
    for (i, name) in [(0, "empty.pdf"), (2, "page.pdf")] {
        let r = &records[i];
        assert_eq!(r["status"], "failed", "{r}");
        assert_eq!(r["error"]["code"], "ING001", "{r}");
        let message = r["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(name),
            "the message names the file: {message}"
        );
        assert!(r["report"].is_null() && r["document"].is_null(), "{r}");
        assert_eq!(r["findings"], Value::Array(vec![]));
    }
    assert_eq!(records[0]["source"]["bytes"], 0);
    assert_eq!(
        records[0]["source"]["sha256"],
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );

    // The real report is read and audited.
    let good = &records[1];
    assert_eq!(good["status"], "ok", "{good}");
    assert!(good["error"].is_null());
    assert!(good["source"]["pages"].as_u64().unwrap() > 0);
    assert!(good["source"]["text_layer"].is_string());
    assert!(good["report"].is_object());

    // findings.csv: BOM, header, one row per finding in the records.
    let csv = fs::read_to_string(dir.join("findings.csv")).unwrap();
    assert!(csv.starts_with(&format!("{BOM}{HEADER}\r\n")), "{csv:?}");
    let findings: usize = records
        .iter()
        .map(|r| r["findings"].as_array().unwrap().len())
        .sum();
    let rows = csv::Reader::from_reader(&csv.as_bytes()[BOM.len()..])
        .records()
        .map(|r| r.expect("valid CSV"))
        .collect::<Vec<_>>();
    assert_eq!(rows.len(), findings);
    for row in &rows {
        assert_eq!(&row[0], "fixtures/batch/good.pdf");
    }

    // summary.json counts what reports.jsonl holds.
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["files"], 3);
    assert_eq!(summary["status"]["ok"], 1);
    assert_eq!(summary["status"]["failed"], 2);
    assert_eq!(summary["failures"]["ING001"], 2);
    assert_eq!(summary["findings"]["total"], findings);
    let by_rule: u64 = summary["findings"]["by_rule"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_rule, findings as u64);
    assert!(summary["timings"]["wall_seconds"].is_number());

    // Nothing but the four dataset files and the HTML report is left in
    // the folder, and the
    // hidden lock file that keeps two runs from writing it at once and the
    // settings that --resume compares.
    let mut left: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ".jixiao.lock",
            ".jixiao.settings",
            "findings.csv",
            "findings.xlsx",
            "report",
            "reports.jsonl",
            "summary.json"
        ]
    );
}

#[test]
fn two_runs_give_byte_identical_datasets_whatever_the_thread_count() {
    let one = out_dir("determinism-1");
    let many = out_dir("determinism-4");
    audit_into(&one, &["--jobs", "1"]);
    audit_into(&many, &["--jobs", "4"]);
    for file in ["reports.jsonl", "findings.csv"] {
        assert_eq!(
            fs::read(one.join(file)).unwrap(),
            fs::read(many.join(file)).unwrap(),
            "{file} differs between runs"
        );
    }
}

#[test]
fn json_prints_one_record() {
    let out = jixiao(&["audit", "fixtures/batch/empty.pdf", "--json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let record: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(record["source"]["path"], "fixtures/batch/empty.pdf");
    assert_eq!(record["error"]["code"], "ING001");
    assert!(stdout(&out).starts_with("{\n  \"schema_version\": 1,"));
}

#[test]
fn human_output_lists_failures_then_a_summary() {
    let out = jixiao(&["audit", "fixtures/batch"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("fixtures/batch/empty.pdf\n  失败 ING001 "),
        "{text}"
    );
    assert!(
        text.contains("fixtures/batch/page.pdf\n  失败 ING001 "),
        "{text}"
    );
    assert!(
        text.contains("共 3 个文件：已检查 1 个，未能读取 2 个"),
        "{text}"
    );
}

#[test]
fn rules_lists_every_code_and_prints_one_rules_doc() {
    let out = jixiao(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), RULES.len(), "{text}");
    for rule in RULES {
        assert!(
            text.lines().any(|l| l.starts_with(rule.code.as_str())),
            "{} missing from:\n{text}",
            rule.code
        );
    }

    let out = jixiao(&["rules", "scr001"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        format!("{}\n", jixiao::rules::info(Code::SCR001).doc())
    );
}

#[test]
fn bad_usage_exits_2() {
    let missing = jixiao(&["audit", "fixtures/no-such-folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("fixtures/no-such-folder"));
    assert!(missing.stdout.is_empty());

    let several = jixiao(&["audit", "fixtures/batch", "--json"]);
    assert_eq!(several.status.code(), Some(2));

    let unknown_rule = jixiao(&["rules", "XYZ999"]);
    assert_eq!(unknown_rule.status.code(), Some(2));

    let no_paths = jixiao(&["audit"]);
    assert_eq!(no_paths.status.code(), Some(2));
}

#[test]
fn a_file_given_directly_gets_a_record_whatever_its_name() {
    let dir = out_dir("renamed");
    let renamed = dir.join("report.doc");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/batch/page.pdf"),
        &renamed,
    )
    .unwrap();
    // A file that a folder walk would skip is still audited when named.
    fs::write(dir.join("notes.doc"), b"").unwrap();
    let out = jixiao(&["audit", renamed.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let record: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(record["status"], "failed");
    assert_eq!(record["error"]["code"], "ING001");

    let walked = jixiao(&["audit", dir.to_str().unwrap()]);
    assert_eq!(walked.status.code(), Some(0));
    assert!(
        stdout(&walked).starts_with("共 0 个文件"),
        "{}",
        stdout(&walked)
    );
}
