//! The seed report, in every rendering of `corpus/` and as text, audited by
//! the real binary: exactly the four findings DESIGN.md names, with their
//! stated and expected values and the pages they sit on; and each record
//! as a reviewed snapshot.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// (file, page of 「采购政策效能分值 1 分，得分 9.99 分」, page of 「一级项目 6 个」,
/// page of 「项目支出 4726.02 万元」 in the 收支 paragraph), as corpus/README.md
/// records them from pdftotext.
const RENDERINGS: &[(&str, u64, u64, u64)] = &[
    ("guangzhou-archives-2023-selfeval.txt", 1, 1, 1),
    ("guangzhou-archives-2023-libreoffice.pdf", 10, 7, 6),
    ("guangzhou-archives-2023-chromium-wqy.pdf", 8, 6, 5),
    ("guangzhou-archives-2023-chromium-noto.pdf", 8, 6, 5),
    ("guangzhou-archives-2023-xelatex.pdf", 8, 6, 5),
];

/// The corpus audited once, for every test of this file.
fn audit_corpus() -> Vec<Value> {
    static RECORDS: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    RECORDS.get_or_init(run_audit).clone()
}

fn run_audit() -> Vec<Value> {
    let out = tempdir("corpus");
    let status = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // the seed's renderings only: corpus/labelled/ is measured by tests/eval.rs
        .arg("audit")
        .args(RENDERINGS.iter().map(|(file, ..)| format!("corpus/{file}")))
        .arg("--out")
        .arg(&out)
        .status()
        .expect("run jixiao");
    assert!(status.success());
    let jsonl = std::fs::read_to_string(out.join("reports.jsonl")).unwrap();
    jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("jixiao-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn record<'a>(records: &'a [Value], file: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["source"]["path"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no record for {file}"))
}

#[test]
fn every_rendering_gives_exactly_the_four_seed_findings() {
    let records = audit_corpus();
    assert_eq!(
        records.len(),
        RENDERINGS.len(),
        "one record per corpus file"
    );
    for &(file, p_scr, p_cnt, p_sum) in RENDERINGS {
        let r = record(&records, file);
        assert_eq!(r["status"], "ok", "{file}: {}", r["error"]);
        let got: BTreeSet<(String, String, String, u64)> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["stated"].as_str().unwrap().to_string(),
                    f["expected"].as_str().unwrap().to_string(),
                    f["evidence"][0]["page"].as_u64().unwrap(),
                )
            })
            .collect();
        let want: BTreeSet<(String, String, String, u64)> = [
            ("SCR001", "9.99", "≤ 1", p_scr),
            ("CON001", "9.99", "0.99", p_scr),
            ("CNT001", "6", "8", p_cnt),
            ("SUM001", "4726.02", "4714.28", p_sum),
        ]
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), *d))
        .collect();
        assert_eq!(got, want, "{file}");
        assert_eq!(r["document"]["organization"], "广州市档案馆", "{file}");
        assert_eq!(r["document"]["year"], 2023, "{file}");
        assert_eq!(r["report"]["evaluation"]["total_score"], "98.92", "{file}");
        assert_eq!(r["report"]["evaluation"]["grade"], "优", "{file}");
    }
}

#[test]
fn corpus_records_match_their_reviewed_snapshots() {
    let records = audit_corpus();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for &(file, ..) in RENDERINGS {
            let r = record(&records, file);
            let name = format!(
                "corpus__{}",
                file.trim_end_matches(".pdf").trim_end_matches(".txt")
            );
            insta::assert_json_snapshot!(name, r);
        }
    });
}
