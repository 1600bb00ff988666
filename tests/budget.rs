//! 部门决算 tables (issue 13): `fixtures/budget/`, made by
//! `scripts/make_budget.sh` from the data in `scripts/budget/make_tables.py`
//! and rendered by LibreOffice. The consistent version gives its three
//! 科目 tables in the record and no finding; the planted version gives
//! exactly its planted errors, as its labels say (`jixiao eval
//! fixtures/budget`: recall and precision 1.0).

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn audit(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/budget")
        .join(file);
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["audit", "--json"])
        .arg(&path)
        .output()
        .expect("the jixiao binary runs");
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// (title, unit, page, rows) of every 科目 table in the record.
fn tables(r: &Value) -> Vec<(String, String, u64, usize)> {
    r["report"]["subject_tables"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .map(|t| {
                    (
                        t["title"].as_str().unwrap().to_string(),
                        t["unit"].as_str().unwrap_or("?").to_string(),
                        t["page"].as_u64().unwrap(),
                        t["rows"].as_array().unwrap().len(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Each standard table of the record: kind, page, 科目 rows read.
fn index(r: &Value) -> Vec<String> {
    r["report"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{} {} {}",
                t["kind"].as_str().unwrap(),
                t["page"],
                t["subject_rows"]
            )
        })
        .collect()
}

/// (rule, stated, expected) as a set.
fn set(triples: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    triples
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

fn triples(r: &Value) -> BTreeSet<(String, String, String)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["stated"].as_str().unwrap_or_default().to_string(),
                f["expected"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn expected_tables() -> Vec<(String, String, u64, usize)> {
    // 17 科目 by 功能分类 (4 类, 4 款, 9 项), 14 by 经济分类 (3 类, 11 款).
    [
        ("支出决算表", 1, 17),
        ("财政拨款支出决算表", 2, 17),
        ("基本支出决算表", 3, 14),
    ]
    .iter()
    .map(|(t, p, n)| (t.to_string(), "万元".to_string(), *p, *n))
    .collect()
}

#[test]
fn the_consistent_final_accounts_give_their_tables_and_no_finding() {
    let r = audit("final-consistent-libreoffice.pdf");
    assert_eq!(r["document"]["kind"], "final_accounts");
    assert_eq!(tables(&r), expected_tables());
    assert_eq!(triples(&r), BTreeSet::new());
    // One row as the dataset holds it: code, name, cells left to right
    // (the blank 项目支出 cell is not seen).
    let row = &r["report"]["subject_tables"][0]["rows"][2];
    // The standard tables by kind, page and the 科目 rows read from each;
    // the “三公” table's one row as its figures.
    let index = index(&r);
    assert_eq!(
        index,
        [
            "spending 1 17",
            "fiscal_spending 2 17",
            "general_basic 3 14",
            "overview 4 0",
            "three_public 5 0"
        ]
    );
    assert_eq!(
        r["report"]["tables"][4]["figures"],
        serde_json::json!(["33.00", "0.00", "24.40", "0.00", "24.40", "8.60"])
    );
    assert_eq!(row["code"], "2013101");
    assert_eq!(row["name"], "行政运行");
    assert_eq!(row["cells"], serde_json::json!(["812.46", "812.46"]));
}

/// The planted errors (`PLANTED` in `scripts/budget/make_tables.py`): 事业运行
/// 301.25 → 310.25, so 党委办公厅（室）及相关机构事务 1478.21 is not 812.46 +
/// 276.10 + 310.25 + 88.40 = 1487.21; in the 财政拨款 table (zeros printed
/// 0.00, so every row is whole), 一般行政管理事务's 基本支出 40.00 → 50.00, so
/// its row 276.10 is not 50.00 + 236.10 and its 款's 基本支出 1153.71 is not
/// 812.46 + 50.00 + 301.25 + 0.00; 行政事业单位养老支出 255.09 → 245.09, so
/// its 类 255.09 is not 245.09, it is not its 项 156.32 + 98.77, nor its
/// row's 255.09 + 0.00; 商品和服务支出 208.53 → 218.53 against the sum of
/// its 款, 42.30 + 36.80 + 8.60 + 24.40 + 96.43, and the table's 合计
/// 1386.68 against its 类 (now 1396.68); the narrative of the
/// 财政拨款 table says 行政运行 821.46 where its row is 812.46 (TBL003); the
/// 收入支出决算总表's 支出总计 1915.63 against its 收入总计 1951.63, and its
/// 类 (住房保障支出 145.15 for 154.15) against its 本年支出合计 (TBL004);
/// the reason for the 住房公积金 change left empty (TPL001, a warning); the
/// narrative's 公务接待费 6.80 where the “三公” table's row is 33.00 0.00
/// 24.40 0.00 24.40 8.60 (TBL005); the narrative's 收入支出总计 1,591.63
/// where the 总表 says 1,951.63 (TBL007).
#[test]
fn the_planted_final_accounts_give_exactly_their_errors() {
    let r = audit("final-planted-libreoffice.pdf");
    assert_eq!(tables(&r), expected_tables());
    let want = set(&[
        ("TBL001", "1478.21", "1487.21"),
        ("TBL001", "1153.71", "1163.71"),
        ("TBL002", "276.10", "286.10"),
        ("TBL001", "255.09", "245.09"),
        ("TBL001", "245.09", "255.09"),
        ("TBL002", "245.09", "255.09"),
        ("TBL001", "218.53", "208.53"),
        ("TBL001", "1386.68", "1396.68"),
        ("TBL003", "821.46", "812.46"),
        ("TBL004", "1915.63", "1951.63"),
        ("TBL004", "1951.63", "1942.63"),
        ("TPL001", "原因是。", ""),
        ("TBL005", "6.80", ""),
        ("TBL007", "1591.63", ""),
    ]);
    assert_eq!(triples(&r), want);
    for f in r["findings"].as_array().unwrap() {
        let severity = if f["rule"] == "TPL001" {
            "warning"
        } else {
            "error"
        };
        assert_eq!(f["severity"], severity);
        assert!(f["evidence"][0]["page"].as_u64().is_some(), "{f}");
    }
}

#[test]
fn eval_finds_every_labelled_error_and_no_false_alarm() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/budget");
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["eval", "--json"])
        .arg(&dir)
        .output()
        .expect("the jixiao binary runs");
    let e: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let overall = &e["overall"];
    assert_eq!(overall["labelled"], 26, "{e}");
    assert_eq!(overall["detected"], 26, "{e}");
    assert_eq!(overall["findings"], 26, "{e}");
    assert_eq!(overall["false_alarms"], 0, "{e}");
}

/// A 部门预算 whose tables agree: the 收入预算总表 and the 支出预算总表 by
/// 科目, the 财政拨款 and 一般公共预算 支出 tables (the 政府性基金 table
/// empty, with its note), the “三公” table and its narrative. Every table
/// ends its page with the same rows (购房补贴 33.60): they are rows, not a
/// running footer.
#[test]
fn the_consistent_budget_reads_every_table_whole_and_gives_no_finding() {
    let r = audit("budget-consistent-libreoffice.pdf");
    assert_eq!(r["document"]["kind"], "budget");
    let index = index(&r);
    assert_eq!(
        index,
        [
            "income 1 17",
            "spending 2 17",
            "fiscal_spending 3 17",
            "general_spending 4 17",
            "government_fund 5 0",
            "three_public 5 0"
        ]
    );
    assert!(r["report"]["tables"][4]["empty_note"].is_string());
    assert_eq!(triples(&r), BTreeSet::new());
}

/// The planted 部门预算: 购房补贴 36.30 in the 支出预算总表 against 33.60 in
/// the 收入预算总表, 一般行政管理事务 267.10 in the 一般公共预算支出预算表
/// against 276.10 in the 财政拨款支出预算表 (each table's own sums kept, so
/// only the two tables disagree: TBL006), and the narrative's 机关运行经费
/// 167.02 against the table's 176.02 (TBL005), its 财政拨款支出预算 1,915.36
/// against the 财政拨款支出预算表's 合计 1,951.63 (TBL007).
#[test]
fn the_planted_budget_gives_exactly_its_errors() {
    let r = audit("budget-planted-libreoffice.pdf");
    let want = set(&[
        ("TBL005", "167.02", ""),
        ("TBL007", "1915.36", "1951.63"),
        ("TBL006", "36.30", "33.60"),
        ("TBL006", "267.10", "276.10"),
    ]);
    assert_eq!(triples(&r), want);
}

/// Metamorphic: the planted 预算 with its 科目编码 split over 类 | 款 | 项
/// columns (「221 | 02 | 03 | 购房补贴」) reads the same tables and gives the
/// same findings.
#[test]
fn the_planted_budget_with_split_codes_gives_the_same_findings() {
    let whole = audit("budget-planted-libreoffice.pdf");
    let split = audit("budget-planted-split-libreoffice.pdf");
    assert_eq!(index(&split), index(&whole));
    assert_eq!(triples(&split), triples(&whole));
    assert_eq!(triples(&split).len(), 4);
}

/// Metamorphic: the planted 预算 with its 科目 tables in 元 (its narrative
/// and “三公” table in 万元, as Shanghai prints them) gives the same
/// findings, on the same pages, its figures in 元: 36.30 万元 is 363,000.00 元.
#[test]
fn the_planted_budget_in_yuan_gives_the_same_findings() {
    let wan = audit("budget-planted-libreoffice.pdf");
    let yuan = audit("budget-planted-yuan-libreoffice.pdf");
    let shape = |r: &Value| -> BTreeSet<(String, u64)> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["evidence"][0]["page"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(shape(&yuan), shape(&wan));
    assert!(triples(&yuan).contains(&(
        "TBL006".to_string(),
        "363000.00".to_string(),
        "336000.00".to_string()
    )));
}
