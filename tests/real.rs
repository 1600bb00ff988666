//! Documents nobody in the project wrote: `../shared/real` beside the
//! repository (CI has it; a clone alone does not, and then these tests say
//! they skipped). Nothing of those documents is copied here: the labels in
//! `tests/real_labels.tsv` hold file names, pages, figures and arithmetic.
//!
//! - PDFs (authentic 预算/决算 disclosures): every label found, at error or
//!   warning, on its page with its stated and expected figures; and no
//!   error or warning finding that is not a label (notices — a percentage
//!   off by one unit of its last digit — are allowed); every 科目 table of
//!   `tests/real_tables.tsv` read (page, unit, rows); the standard tables
//!   of `tests/real_inventory.tsv` found, and no other (page, kind, unit,
//!   empty-table note).
//! - Texts (excerpts with hand-made `.truth.json`), scored by the shared
//!   `tools/realscore.py`: no false finding, no error or warning on the
//!   excerpts where every relation holds, and at least the excerpts with a
//!   real inconsistency that are flagged today (the floor only rises).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn real() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real");
    if dir.join("pdfs").is_dir() && dir.join("texts").is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is not here", dir.display());
        None
    }
}

/// Audits `dir` into a fresh folder and returns its records.
fn audit(dir: &Path, name: &str) -> (PathBuf, Vec<Value>) {
    let out = std::env::temp_dir().join(format!("jixiao-real-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("audit")
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run jixiao");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let text = std::fs::read_to_string(out.join("reports.jsonl")).expect("reports.jsonl");
    let records = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out, records)
}

fn file_name(record: &Value) -> String {
    let path = record["source"]["path"].as_str().unwrap_or_default();
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// (file, page, rule, stated, expected) of every label.
fn labels() -> Vec<(String, u64, String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real_labels.tsv");
    std::fs::read_to_string(path)
        .expect("tests/real_labels.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].to_string(),
                f[1].parse().expect("page"),
                f[2].to_string(),
                f[3].to_string(),
                f[4].to_string(),
            )
        })
        .collect()
}

#[test]
fn authentic_pdfs_give_their_labels_and_nothing_else() {
    let Some(real) = real() else { return };
    let (out, records) = audit(&real.join("pdfs"), "pdfs");
    let mut found = Vec::new();
    for r in &records {
        for f in r["findings"].as_array().into_iter().flatten() {
            if f["severity"] == "notice" {
                continue;
            }
            found.push((
                file_name(r),
                f["evidence"][0]["page"].as_u64().unwrap_or(0),
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["stated"].as_str().unwrap_or_default().to_string(),
                f["expected"].as_str().unwrap_or_default().to_string(),
            ));
        }
    }
    // The 科目 tables each PDF holds, as `tests/real_tables.tsv` lists them.
    let mut tables = Vec::new();
    for r in &records {
        for t in r["report"]["subject_tables"]
            .as_array()
            .into_iter()
            .flatten()
        {
            tables.push(format!(
                "{}\t{}\t{}\t{}",
                file_name(r),
                t["page"],
                t["unit"].as_str().unwrap_or("?"),
                t["rows"].as_array().map_or(0, Vec::len)
            ));
        }
    }
    let want: Vec<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real_tables.tsv"),
    )
    .expect("tests/real_tables.tsv")
    .lines()
    .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    .map(str::to_string)
    .collect();
    let lost: Vec<&String> = want.iter().filter(|t| !tables.contains(t)).collect();
    assert!(lost.is_empty(), "科目 tables not read as listed: {lost:#?}");

    // The standard tables each PDF holds, as `tests/real_inventory.tsv`
    // lists them: exactly these, none lost and none made up.
    let mut inventory = Vec::new();
    for r in &records {
        for t in r["report"]["tables"].as_array().into_iter().flatten() {
            inventory.push(format!(
                "{}\t{}\t{}\t{}\t{}",
                file_name(r),
                t["page"],
                t["kind"].as_str().unwrap_or("?"),
                t["unit"].as_str().unwrap_or("?"),
                if t["empty_note"].is_string() {
                    "empty"
                } else {
                    "-"
                }
            ));
        }
    }
    let listed: Vec<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real_inventory.tsv"),
    )
    .expect("tests/real_inventory.tsv")
    .lines()
    .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    .map(str::to_string)
    .collect();
    let lost: Vec<&String> = listed.iter().filter(|t| !inventory.contains(t)).collect();
    let extra: Vec<&String> = inventory.iter().filter(|t| !listed.contains(t)).collect();
    assert!(
        lost.is_empty() && extra.is_empty(),
        "standard tables not found as listed: {lost:#?}; found and not listed: {extra:#?}"
    );

    let labels = labels();
    let missed: Vec<_> = labels.iter().filter(|l| !found.contains(l)).collect();
    let unlabelled: Vec<_> = found.iter().filter(|f| !labels.contains(f)).collect();
    let _ = std::fs::remove_dir_all(out);
    assert!(missed.is_empty(), "labels not found: {missed:#?}");
    assert!(
        unlabelled.is_empty(),
        "error/warning findings that are no label (verify each by hand; a true one becomes a label): {unlabelled:#?}"
    );
}

#[test]
fn real_excerpts_get_no_false_finding_and_keep_what_they_find() {
    let Some(real) = real() else { return };
    let score = real.join("../tools/realscore.py");
    if !score.is_file() {
        eprintln!("skipped: {} is not here", score.display());
        return;
    }
    let texts = real.join("texts");
    let (out, records) = audit(&texts, "texts");
    // The excerpts where every relation holds get no error or warning.
    for r in &records {
        let name = file_name(r);
        if ["03.txt", "11.txt", "13.txt", "15.txt"].contains(&name.as_str()) {
            let serious: Vec<&Value> = r["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| f["severity"] != "notice")
                .collect();
            assert!(serious.is_empty(), "{name}: {serious:#?}");
        }
    }
    let scored = Command::new("python3")
        .arg(&score)
        .arg(out.join("reports.jsonl"))
        .arg(&texts)
        .output()
        .expect("python3");
    let text = String::from_utf8_lossy(&scored.stdout).into_owned();
    let _ = std::fs::remove_dir_all(out);
    let last = text.lines().last().unwrap_or_default();
    let field = |k: &str| -> usize {
        last.split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.split('/').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {k} in {last:?}"))
    };
    assert_eq!(field("false"), 0, "{text}");
    assert!(field("excerpts") >= 7, "{text}");
    assert!(field("relations") >= 8, "{text}");
}
