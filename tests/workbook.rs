//! `findings.xlsx` (issue 14): `jixiao audit corpus --out DIR` writes it
//! beside `findings.csv`; LibreOffice opens it (headless, converted to CSV
//! sheet by sheet) and its findings sheet holds the rows of
//! `findings.csv`, its documents sheet one row per input file, its
//! figures sheet the income and expenditure the records hold. Without
//! LibreOffice (`soffice`) the test says it skipped; `.ci/run` installs it.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jixiao-workbook-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records()
        .map(|row| {
            row.unwrap()
                .iter()
                .map(|c| c.trim_start_matches('\u{feff}').to_string())
                .collect()
        })
        .collect()
}

fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|exe| {
        Command::new(exe)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn libreoffice_opens_the_workbook_and_its_findings_sheet_is_findings_csv() {
    let out = scratch("out");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    common::audit_into(&out, &[], &corpus);
    let xlsx = out.join("findings.xlsx");
    assert!(fs::metadata(&xlsx).unwrap().len() > 0);
    // The same records give the same bytes: the workbook and the report.
    let again = scratch("again");
    common::audit_into(&again, &[], &corpus);
    for f in [
        "findings.xlsx",
        "report/index.html",
        "report/docs/00001.html",
    ] {
        assert_eq!(
            fs::read(out.join(f)).unwrap(),
            fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
    let _ = fs::remove_dir_all(&again);
    let Some(exe) = soffice() else {
        eprintln!(
            "skipped: LibreOffice (soffice) is not installed, so findings.xlsx was not opened"
        );
        return;
    };
    let conv = scratch("csv");
    fs::copy(&xlsx, conv.join("findings.xlsx")).unwrap();
    let profile = format!("-env:UserInstallation=file://{}/profile", conv.display());
    let mut child = Command::new(exe)
        .args([
            profile.as_str(),
            "--headless",
            "--norestore",
            "--convert-to",
        ])
        // Comma, double quote, UTF-8, every sheet to its own file.
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
        .arg("findings.xlsx")
        .current_dir(&conv)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("soffice runs");
    // LibreOffice that has not answered in three minutes is killed.
    use wait_timeout::ChildExt;
    match child
        .wait_timeout(std::time::Duration::from_secs(180))
        .unwrap()
    {
        Some(status) => assert!(status.success(), "soffice failed: {status}"),
        None => {
            let _ = child.kill();
            panic!("soffice did not convert findings.xlsx within 180 s");
        }
    }
    let sheet = |name: &str| rows(&conv.join(format!("findings-{name}.csv")));

    // 问题: the rows of findings.csv (its header in Chinese).
    let csv = rows(&out.join("findings.csv"));
    let findings = sheet("问题");
    assert_eq!(findings[0][0], "文件");
    assert!(findings.len() > 50, "the corpus has findings");
    assert_eq!(findings[1..], csv[1..]);

    // 文件: one row per record, in the dataset's order.
    let records: Vec<serde_json::Value> = fs::read_to_string(out.join("reports.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let documents = sheet("文件");
    assert_eq!(documents.len(), records.len() + 1);
    for (row, r) in documents[1..].iter().zip(&records) {
        assert_eq!(row[0], r["source"]["path"].as_str().unwrap());
        let status = if r["status"] == "ok" {
            "已检查"
        } else {
            "未能读取"
        };
        assert_eq!(row[1], status);
        let errors = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .count();
        assert_eq!(row[9], errors.to_string(), "{row:?}");
    }

    // 数据: each record's income total, as a number.
    let figures = sheet("数据");
    for r in &records {
        let Some(total) = r["report"]["income"]["total"]["value"].as_str() else {
            continue;
        };
        let path = r["source"]["path"].as_str().unwrap();
        let row = figures
            .iter()
            .find(|f| f[0] == path && f[1] == "收入" && f[2] == "合计")
            .unwrap_or_else(|| panic!("{path}: no income row"));
        let shown: f64 = row[4].replace(',', "").parse().unwrap();
        let stated: f64 = total.parse().unwrap();
        assert!((shown - stated).abs() < 1e-9, "{path}: {shown} vs {stated}");
    }
    let _ = fs::remove_dir_all(&out);
    let _ = fs::remove_dir_all(&conv);
}
