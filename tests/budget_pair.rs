//! A 部门预算 published as two files (issue 13, cross-document checks):
//! `fixtures/budget-pair/`, made by `scripts/make_budget_pair.sh` — the
//! narrative from Word, the tables from an Excel workbook, both printed by
//! LibreOffice. The 2025 narrative agrees with its tables; the 2026 one
//! misstates five figures that only its table file shows, and one change
//! against 2025 that only the 2025 table file shows (TBL008). A batch that
//! holds the files checks them together; a file alone cannot, and a batch
//! with two candidate table files does not guess.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const NARRATIVE: &str = "budget-2026-narrative-planted-libreoffice.pdf";
const TABLES: &str = "budget-2026-tables-planted-libreoffice-calc.pdf";
const LAST_YEAR: &str = "budget-2025-tables-consistent-libreoffice-calc.pdf";

/// A fresh folder for one test, removed when it is dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!("jixiao-pair-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/budget-pair")
}

fn jixiao(args: &[&str], paths: &[&Path]) -> std::process::Output {
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .args(paths)
        .output()
        .expect("the jixiao binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// The records of `audit DIR --out OUT`, by file name.
fn audit_dir(dir: &Path, out: &Path, extra: &[&str]) -> Vec<(String, Value)> {
    let mut args = vec!["audit", "--out", out.to_str().unwrap()];
    args.extend(extra);
    jixiao(&args, &[dir]);
    fs::read_to_string(out.join("reports.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let r: Value = serde_json::from_str(l).unwrap();
            let name = r["source"]["path"].as_str().unwrap();
            let name = Path::new(name).file_name().unwrap().to_string_lossy();
            (name.into_owned(), r)
        })
        .collect()
}

fn record<'a>(records: &'a [(String, Value)], name: &str) -> &'a Value {
    &records.iter().find(|(n, _)| n == name).unwrap().1
}

/// (rule, stated, the page of each piece of evidence in another file,
/// `T` for this year's table file, `L` for last year's) of each finding.
fn findings(r: &Value) -> Vec<(String, String, Vec<String>)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let partner_pages = f["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|e| {
                    let file = e["source"].as_str()?;
                    let which = if file.ends_with(TABLES) {
                        "T"
                    } else if file.ends_with(LAST_YEAR) {
                        "L"
                    } else {
                        "?"
                    };
                    Some(format!("{which}{}", e["page"]))
                })
                .collect();
            (
                f["rule"].as_str().unwrap().to_string(),
                f["stated"].as_str().unwrap_or_default().to_string(),
                partner_pages,
            )
        })
        .collect()
}

fn planted() -> Vec<(String, String, Vec<String>)> {
    [
        ("SUM001", "33.00", &[][..]),
        ("TBL003", "821.46", &["T4"]),
        ("TBL005", "6.80", &["T7"]),
        ("TBL005", "167.02", &["T7"]),
        ("TBL007", "1591.63", &["T1", "T1"]),
        ("TBL007", "1915.36", &["T4"]),
        ("TBL008", "23.30", &["L5"]),
    ]
    .into_iter()
    .map(|(r, s, p)| {
        (
            r.to_string(),
            s.to_string(),
            p.iter().map(|x| x.to_string()).collect(),
        )
    })
    .collect()
}

fn alone() -> Vec<(String, String, Vec<String>)> {
    vec![("SUM001".to_string(), "33.00".to_string(), vec![])]
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

#[test]
fn a_narrative_and_its_table_file_are_checked_together() {
    let tmp = Scratch::new("1");
    let records = audit_dir(&fixtures(), tmp.path(), &[]);
    assert_eq!(records.len(), 4);
    // Each side names the other.
    let n = record(&records, NARRATIVE);
    let t = record(&records, TABLES);
    assert!(n["partners"][0]["path"].as_str().unwrap().ends_with(TABLES));
    assert_eq!(n["partners"][0]["relation"], "tables");
    assert!(t["partners"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with(NARRATIVE));
    assert_eq!(t["partners"][0]["relation"], "narrative");
    // The planted narrative: its five misstated figures, each against the
    // page of the table file that shows the right one (and the narrative's
    // own SUM001, which needs no partner).
    assert_eq!(sorted(findings(n)), sorted(planted()));
    // The table file holds no finding; the consistent year holds none.
    for (name, r) in &records {
        if name != NARRATIVE {
            assert_eq!(r["findings"].as_array().unwrap().len(), 0, "{name}: {r}");
        }
        if name.starts_with("budget-2025") {
            let expected = if name == LAST_YEAR { 2 } else { 1 };
            assert_eq!(r["partners"].as_array().unwrap().len(), expected, "{name}");
        }
    }
    // findings.csv: one row per finding, the narrative's page.
    let csv = fs::read_to_string(tmp.path().join("findings.csv")).unwrap();
    assert_eq!(csv.lines().filter(|l| l.contains(NARRATIVE)).count(), 7);
}

#[test]
fn a_narrative_alone_cannot_be_checked_against_its_tables() {
    let o = jixiao(&["audit", "--json"], &[&fixtures().join(NARRATIVE)]);
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(findings(&r), alone());
    assert!(r.get("partners").is_none(), "{r}");
}

#[test]
fn two_candidate_table_files_are_not_guessed_between() {
    let dir = Scratch::new("2");
    fs::copy(fixtures().join(NARRATIVE), dir.path().join(NARRATIVE)).unwrap();
    fs::copy(fixtures().join(TABLES), dir.path().join("2026年公开表.pdf")).unwrap();
    fs::copy(
        fixtures().join(TABLES),
        dir.path().join("2026年公开表（修订）.pdf"),
    )
    .unwrap();
    let out = Scratch::new("3");
    let records = audit_dir(dir.path(), out.path(), &[]);
    let n = record(&records, NARRATIVE);
    assert!(n.get("partners").is_none(), "{n}");
    assert_eq!(findings(n), alone());
    let d = n["diagnostics"].as_array().unwrap();
    assert!(
        d.iter().any(|d| d["kind"] == "unpaired_document"
            && d["message"]
                .as_str()
                .unwrap()
                .contains("2 份含公开表的文件")),
        "{n}"
    );
}

#[test]
fn a_resumed_run_pairs_again_without_doubling_or_keeping_stale_pairs() {
    let dir = Scratch::new("4");
    for name in [NARRATIVE, TABLES] {
        fs::copy(fixtures().join(name), dir.path().join(name)).unwrap();
    }
    let out = Scratch::new("5");
    let first = audit_dir(dir.path(), out.path(), &[]);
    let again = audit_dir(dir.path(), out.path(), &["--resume"]);
    assert_eq!(first, again);
    assert_eq!(findings(record(&again, NARRATIVE)).len(), 6);
    assert!(record(&again, NARRATIVE)["partners"][1].is_null());
    // The table file gone: the narrative's record loses what the pair gave.
    fs::remove_file(dir.path().join(TABLES)).unwrap();
    let alone = audit_dir(dir.path(), out.path(), &["--resume"]);
    let n = record(&alone, NARRATIVE);
    assert_eq!(alone.len(), 1);
    assert!(n.get("partners").is_none(), "{n}");
    assert_eq!(findings(n).len(), 1, "{n}");
}

#[test]
fn eval_finds_every_planted_error_and_no_false_alarm() {
    let o = jixiao(&["eval", "--json"], &[&fixtures()]);
    let e: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let overall = &e["overall"];
    assert_eq!(overall["labelled"], 7, "{e}");
    assert_eq!(overall["detected"], 7, "{e}");
    assert_eq!(overall["findings"], 7, "{e}");
    assert_eq!(overall["false_alarms"], 0, "{e}");
}
