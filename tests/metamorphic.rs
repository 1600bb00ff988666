//! Metamorphic tests (issue 12): one report's content in several layouts
//! gives the same findings. A reviewer gets the same findings whatever
//! table layout a unit's template uses, and whatever order its sentences
//! come in; a reading fitted to one template shows here as a finding
//! missed or added in another layout.
//!
//! `fixtures/metamorphic/` holds the sources and the PDFs LibreOffice made
//! of them (`scripts/make_metamorphic.sh`):
//!
//! - a project report (`project.md`, `project-form.md`,
//!   `project-indicators.tsv`) whose indicator table is laid out four ways
//!   by `scripts/metamorphic/layouts.py`: `levels` (the form's 一级/二级/三级
//!   columns with merged cells), `mixed` (one 绩效指标 column for every
//!   level, each 一级/二级 row with its points and score), `points-in-name`
//!   (merged 一级 cells 「产出指标（50分）」), `page-break` (the table cut by a
//!   page break inside merged cells, its header repeated);
//! - a 部门整体 report in prose (`department-base.md`), the same report
//!   with the sections of its indicator analysis (and the paragraphs of its
//!   spending) in another order (`department-paragraphs.md`), and with the
//!   sentences inside each paragraph in another order too
//!   (`department-sentences.md`).
//!
//! - budget tables (`budget-department.md`, `budget-project.md`) as PDFs
//!   and as text gives them: a pipe table, rows of cells, one flattened
//!   paragraph (`scripts/metamorphic/budget_layouts.py`).
//!
//! Each layout is compared with the base layout by its set of (rule,
//! stated, expected), and the base layout with the exact set of its
//! planted errors.

use jixiao::analyze::analyze;
use jixiao::ingest::{ingest, IngestOptions};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// (rule, stated, expected), as the finding writes them.
type Triple = (String, String, String);

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/metamorphic")
}

/// The findings of a fixture PDF, as (rule, stated, expected); a finding
/// given twice is a failure of its own.
fn findings(file: &str) -> BTreeSet<Triple> {
    let path = dir().join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pages = ingest(&path, &bytes, &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    let a = analyze(&pages);
    let set: BTreeSet<Triple> = a
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                f.stated.clone().unwrap_or_default(),
                f.expected.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(a.findings.len(), set.len(), "{file}: a finding is repeated");
    set
}

fn owned(want: &[(&str, &str, &str)]) -> BTreeSet<Triple> {
    want.iter()
        .map(|t| (t.0.to_string(), t.1.to_string(), t.2.to_string()))
        .collect()
}

/// The project report's planted errors, worked out from its sources:
/// 数字阅读资源利用率 scored 9 of its 7 points (SCR001); 产出指标 stated as
/// 48 of 50 in the conclusion (and in the table where it has a row of its
/// own) while
/// its rows make 8 + 8 + 6 + 6 + 6 + 5 + 4 + 6 = 49 (SCR003); 三级指标
/// stated as 16 while the table lists 14 (CNT001).
/// Holds: 209.88 ÷ 220 = 95.4%, 10 × 95.4% = 9.54; 190.88 ÷ 200 = 95.44%;
/// 19 ÷ 20 = 95%; each budget column adds up (200, 220, 209.88); the
/// points 10 + 50 + 30 + 10 = 100; 9.54 + 48 + 30 + 9.5 = 97.04 (the 一级
/// scores as stated); 效益 30 = 8 + 8 + 5 + 9 and 满意度 9.5 = 5 + 4.5; each
/// 二级 row of the mixed layout is the sum of its rows; 6 − 1 = 5 and
/// 7 − 2 = 5 (the 偏差原因's 扣 X 分); 3 一级 and 7 二级指标 as stated;
/// grade 优; the targets (≥120场, ≥98%) are no scores.
const PROJECT: &[(&str, &str, &str)] = &[
    ("SCR001", "9", "≤ 7"),
    ("SCR003", "48", "49"),
    ("CNT001", "16", "14"),
];

fn project(layout: &str) -> BTreeSet<Triple> {
    findings(&format!("project-{layout}-libreoffice.pdf"))
}

#[test]
fn project_levels_finds_the_planted_errors() {
    assert_eq!(project("levels"), owned(PROJECT));
}

#[test]
fn project_mixed_column_as_levels() {
    assert_eq!(project("mixed"), project("levels"), "mixed vs levels");
}

#[test]
fn project_points_in_name_as_levels() {
    assert_eq!(
        project("points-in-name"),
        project("levels"),
        "points-in-name vs levels"
    );
}

#[test]
fn project_page_break_as_levels() {
    assert_eq!(
        project("page-break"),
        project("levels"),
        "page-break vs levels"
    );
}

/// The 部门整体 report's planted errors: 医务人员满意度 5.5 of 5 (SCR001);
/// 产出指标 47 while 20 + 18.5 + 9 = 47.5 (SCR003); 效益指标 「包括三级指标
/// 3个」 while 2 are listed (CNT001).
/// Holds: 8420.4 + 230 = 8650.4; 5230.16 + 3282.2 = 8512.36; 8512.36 ÷
/// 8650.4 = 98.404…% stated 98.40%, 10 × 98.40% = 9.84; 20 − 1.5 = 18.5;
/// 18 + 10 = 28; 4 + 5.5 = 9.5; 9.84 + 47 + 28 + 9.5 = 94.34; the points
/// 10 + 50 + 30 + 10 = 100 and 20 + 20 + 10 = 50; grade 优.
const DEPARTMENT: &[(&str, &str, &str)] = &[
    ("SCR001", "5.5", "≤ 5"),
    ("SCR003", "47", "47.5"),
    ("CNT001", "3", "2"),
];

fn department(order: &str) -> BTreeSet<Triple> {
    findings(&format!("department-{order}-libreoffice.pdf"))
}

#[test]
fn department_base_finds_the_planted_errors() {
    assert_eq!(department("base"), owned(DEPARTMENT));
}

#[test]
fn department_paragraphs_reordered_as_base() {
    assert_eq!(
        department("paragraphs"),
        department("base"),
        "paragraphs vs base"
    );
}

#[test]
fn department_sentences_reordered_as_base() {
    assert_eq!(
        department("sentences"),
        department("base"),
        "sentences vs base"
    );
}

/// The reordered reports say what the base says: the same sentences, the
/// headings of their sections apart (renumbered in their new order).
#[test]
fn department_sources_hold_the_same_sentences() {
    let sentences = |file: &str| {
        let text = std::fs::read_to_string(dir().join(file)).unwrap();
        let mut v: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(|l| l.split_inclusive(['。', '；']))
            .map(str::to_string)
            .collect();
        v.sort();
        v
    };
    let base = sentences("department-base.md");
    assert_eq!(sentences("department-paragraphs.md"), base, "paragraphs");
    assert_eq!(sentences("department-sentences.md"), base, "sentences");
}

/// A 部门整体 form's budget table with 分值（10分） and 得分计算方法
/// columns and a row per kind of spending, each scored by itself: 基本支出
/// spent 1080 of 1200 (90%) and scores 10 of 10 (SCR004: 9). Holds: 1200 +
/// 300 = 1500 and 1080 + 450 = 1530; 1530 ÷ 1500 and 450 ÷ 300 are over
/// 100%, so 10 is capped full marks.
const BUDGET_DEPARTMENT: &[(&str, &str, &str)] = &[("SCR004", "10", "9.00")];

#[test]
fn budget_table_with_a_note_column_as_pdf_pipes_and_lines() {
    let pdf = findings("budget-department-libreoffice.pdf");
    assert_eq!(pdf, owned(BUDGET_DEPARTMENT));
    for text in ["budget-department-pipes.txt", "budget-department-lines.txt"] {
        assert_eq!(findings(text), pdf, "{text} vs the PDF");
    }
}

/// A project form whose total row was left at zero while 当年财政拨款 holds
/// 60, 60 and 58.5 (SUM001, one finding for the row); 上年结转资金 and
/// 其他资金 are empty, so nothing else is summed. The same in the PDF, in
/// rows of cells, and flattened into one paragraph without its empty
/// cells.
const BUDGET_PROJECT: &[(&str, &str, &str)] = &[("SUM001", "0", "60")];

#[test]
fn budget_table_flattened_into_a_paragraph_as_pdf_and_lines() {
    let pdf = findings("budget-project-libreoffice.pdf");
    assert_eq!(pdf, owned(BUDGET_PROJECT));
    for text in ["budget-project-lines.txt", "budget-project-flat.txt"] {
        assert_eq!(findings(text), pdf, "{text} vs the PDF");
    }
}
