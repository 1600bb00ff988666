//! One fixture per rule: `fixtures/rules/<CODE>.txt` is a short excerpt of a
//! 部门整体支出绩效自评报告 or a 决算说明, written as a unit would write it
//! (one paragraph per line), with cases that must fire its rule and near
//! misses that must not: shares and sums that are only rounded, a score
//! exactly at its points, amounts in 元 next to 万元, a figure restated with
//! another number of decimals.
//!
//! Each test asserts the exact set of (rule, stated, expected) of the
//! fixture's findings. The true positives being there proves the rule
//! fires; nothing else being there proves that the near misses do not,
//! and that no other rule fires on the fixture either. The findings are
//! also snapshotted in full (message, evidence) as `snapshots/rules__<CODE>.snap`.

use jixiao::analyze::analyze;
use jixiao::ingest::Pages;
use jixiao::record::Finding;
use std::collections::BTreeSet;

/// (rule, stated, expected), as the finding writes them.
type Triple = (&'static str, &'static str, &'static str);

struct Fixture {
    code: &'static str,
    /// What the fixture must produce.
    fires: &'static [Triple],
}

impl Fixture {
    fn text(&self) -> String {
        let path = format!(
            "{}/fixtures/rules/{}.txt",
            env!("CARGO_MANIFEST_DIR"),
            self.code
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn findings(&self) -> Vec<Finding> {
        let pages = Pages {
            pages: vec![self.text()],
            text_layer: "text".into(),
            rows: Vec::new(),
            diagnostics: vec![],
            ocr: Vec::new(),
        };
        analyze(&pages).findings
    }

    /// The exact set of findings, and the snapshot of those findings.
    fn check(&self) {
        let findings: Vec<Finding> = self.findings();
        let got: BTreeSet<_> = findings.iter().map(triple).collect();
        let want: BTreeSet<_> = self.fires.iter().map(owned).collect();
        assert_eq!(
            got, want,
            "{}: findings (rule, stated, expected)",
            self.code
        );
        assert_eq!(
            findings.len(),
            got.len(),
            "{}: a finding is repeated",
            self.code
        );
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_json_snapshot!(format!("rules__{}", self.code), findings);
        });
    }
}

fn triple(f: &Finding) -> (String, String, String) {
    (
        f.rule.to_string(),
        f.stated.clone().unwrap_or_default(),
        f.expected.clone().unwrap_or_default(),
    )
}

fn owned(t: &Triple) -> (String, String, String) {
    (t.0.to_string(), t.1.to_string(), t.2.to_string())
}

/// Income 1267.77 万元 + 6832.65 元 = 1268.45 万元 (元 next to 万元, and
/// rounded) holds; 850.12 + 400.28 = 1250.40 ≠ 支出合计 1250.36 fires; the
/// 一级项目 215.6 + 120.4 + 64.3 = 400.3, rounded to one decimal, hold
/// against 项目支出 400.28.
const SUM001: Fixture = Fixture {
    code: "SUM001",
    fires: &[("SUM001", "1250.36", "1250.40")],
};

/// Income shares hold, one of them exactly halfway (1753.10 ÷ 2000.00 =
/// 87.655% stated 87.66%) and one from an amount in 元 (63000 元 = 0.32%);
/// the two expenditure shares are swapped, so both fire, and they still add
/// up to 100% (no PCT002).
const PCT001: Fixture = Fixture {
    code: "PCT001",
    fires: &[("PCT001", "34.43", "65.57"), ("PCT001", "65.57", "34.43")],
};

/// Income in 亿元 to two decimals: each share is within what its coarse
/// amount allows (no PCT001), but 94.04 + 5.11 + 0.95 = 100.10 fires.
/// Expenditure shares, each correctly rounded, add up to 100.01: holds.
const PCT002: Fixture = Fixture {
    code: "PCT002",
    fires: &[("PCT002", "100.10", "100")],
};

/// 9.99 of 1 and 2.5 of 2 fire; scores exactly at their points (3 of 3,
/// 2 of 2, 0.5 of 0.5, 1 of 1) and 1.5 of 2 do not.
const SCR001: Fixture = Fixture {
    code: "SCR001",
    fires: &[("SCR001", "9.99", "≤ 1"), ("SCR001", "2.5", "≤ 2")],
};

/// 20 − 0.06 ≠ 19.5 and 2 − 0.3 ≠ 1.5 fire; 1 − 1 = 0 and 1 − 0.01 = 0.99
/// hold, and a full-marks item and an item without deduction are left alone.
const SCR002: Fixture = Fixture {
    code: "SCR002",
    fires: &[("SCR002", "19.5", "19.94"), ("SCR002", "1.5", "1.7")],
};

/// 履职效能 49.93 = 19.94 + 20 + 9.99 holds; 管理效率 46.5 with items
/// (full marks counting their points) adding up to 46 fires, while their
/// points add up to its 50; the total 96.43 = 49.93 + 46.5 holds, and so
/// do the stated counts of 二级/三级指标.
const SCR003: Fixture = Fixture {
    code: "SCR003",
    fires: &[("SCR003", "46.5", "46")],
};

/// 部门预算资金支出率 9.99 (points 9.99 + 0.01) against the report's 支出进度
/// 99.85%: 10 × 99.85% = 9.985, rounded 9.99, holds. 专项资金执行率 full
/// marks at 88.6% fires (3 × 88.6% = 2.658). 政府采购预算执行率 at 103.6% is
/// capped at its 2 points: holds. 项目资金支出率 4.5 (+ 0.5) at 92.5% fires:
/// 5 × 92.5% = 4.625 exactly.
const SCR004: Fixture = Fixture {
    code: "SCR004",
    fires: &[("SCR004", "3", "2.66"), ("SCR004", "4.5", "4.63")],
};

/// 5150.72 ÷ 5286.4 = 97.43%, stated 98.2%: fires. Near misses: the
/// mid-year 支出进度 48.6% (a 序时进度 at the end of June) and the
/// per-project 预算数/执行数/执行率 of the listed projects, each consistent,
/// are not the department's year figures.
const RATE001: Fixture = Fixture {
    code: "RATE001",
    fires: &[("RATE001", "98.2", "97.43")],
};

/// 89.5 with 优 fires (良). The grading scale (「90分（含）以上为优…」) states
/// no score. Project self-evaluations: 90 → 优 and 85.2 → 良 hold, 79.5 → 良
/// fires (中).
const GRD001: Fixture = Fixture {
    code: "GRD001",
    fires: &[("GRD001", "优", "良"), ("GRD001", "良", "中")],
};

/// 管理效率 states 7 三级指标 and lists 6: fires; its 3 二级指标 and 5 at full
/// marks hold. The 下属单位 states 3 二级项目 and lists 2: fires; the 本级
/// 6 = 4 + 2, the 一级项目 3 = 2 + 1 and 二级项目 9 = 6 + 3 in all hold.
const CNT001: Fixture = Fixture {
    code: "CNT001",
    fires: &[("CNT001", "3", "2"), ("CNT001", "7", "6")],
};

/// 收入合计 3256.8 and 3265.8: the items decide for 3256.8. 绩效信息公开情况
/// 1.5 in the summary and 1 in the detail: 2 − 1 decides for 1. The total
/// 96.5 in the conclusion and 95.6 in the recap: 49.5 + 46.1 decides for
/// 95.6. 支出合计 3256.80 and 3256.8 are one value, and the recap restates
/// the level-1 scores unchanged.
const CON001: Fixture = Fixture {
    code: "CON001",
    fires: &[
        ("CON001", "3265.8", "3256.8"),
        ("CON001", "1.5", "1"),
        ("CON001", "96.5", "95.6"),
    ],
};

/// 560 万元 for 11200.5 − 11800.5 fires (600); 5.6 ÷ (45.6 − 5.6) = 14%,
/// stated 12.3%, fires. Holds: 1256.3 ÷ 11600 = 10.83% stated 10.8%; 下降4%
/// for 3.996%; 1.2 ÷ 9.5 = 12.63%; 8000 元 against 12.5 万元 (6.84%).
const GRW001: Fixture = Fixture {
    code: "GRW001",
    fires: &[("GRW001", "12.3", "14.00"), ("GRW001", "560", "600.0")],
};

#[test]
fn sum001_parts_sum_mismatch() {
    SUM001.check();
}

#[test]
fn pct001_share_mismatch() {
    PCT001.check();
}

#[test]
fn pct002_shares_not_hundred() {
    PCT002.check();
}

#[test]
fn scr001_score_above_points() {
    SCR001.check();
}

#[test]
fn scr002_deduction_mismatch() {
    SCR002.check();
}

#[test]
fn scr003_child_scores_sum_mismatch() {
    SCR003.check();
}

#[test]
fn scr004_rate_score_mismatch() {
    SCR004.check();
}

#[test]
fn rate001_execution_rate_mismatch() {
    RATE001.check();
}

#[test]
fn grd001_grade_band_mismatch() {
    GRD001.check();
}

#[test]
fn cnt001_count_mismatch() {
    CNT001.check();
}

#[test]
fn con001_conflicting_statements() {
    CON001.check();
}

#[test]
fn grw001_growth_mismatch() {
    GRW001.check();
}

/// Every rule the fixtures are for has its fixture, and every fixture file
/// has its test.
#[test]
fn every_fixture_is_tested() {
    let tested: BTreeSet<&str> = [
        &SUM001, &PCT001, &PCT002, &SCR001, &SCR002, &SCR003, &SCR004, &RATE001, &GRD001, &CNT001,
        &CON001, &GRW001,
    ]
    .iter()
    .map(|f| f.code)
    .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = tested.iter().map(|c| format!("{c}.txt")).collect();
    assert_eq!(files, expected);
}
