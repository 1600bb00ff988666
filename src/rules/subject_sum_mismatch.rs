//! TBL001: a 科目 row of a 预算/决算 table is not the sum of the rows below it.
//!
//! ## What it checks
//! In a table whose rows are 科目 (功能分类 or 经济分类 by 科目编码), its
//! 合计 row equals the sum of its 类 (3-digit codes), a 类 the sum of its
//! 款 (5 digits) and a 款 the sum of its 项 (7 digits), column by column: the first column of figures
//! always (the row's 合计 or its only amount), another column only where
//! every row compared shows all its cells (a blank cell is not seen in the
//! text, so a shorter row cannot be placed). Each figure counts with its
//! stated precision.
//!
//! A finding is a proof only when the table is read right: a misreading
//! (columns shifted, two tables run together) breaks many sums at once,
//! a real error one while its neighbours hold (a wrong 款 breaks two: its
//! 类's and its own, counted as one error). A table is reported when it
//! has one error and at least two sums that hold, or errors in at most a
//! fifth of its sums; otherwise an `unconfirmed_table` diagnostic says it
//! could not be checked.
//!
//! ## Why it matters
//! The 类 and 款 totals are what the narrative quotes and what the next
//! year's budget is compared with; a 项 changed without its 款 (or a 款
//! without its 类) leaves two totals for one 科目.
//!
//! ## Example
//! 「201 一般公共服务支出 1,000.50」 over 「20126 档案事务 990.50」 (its only 款)
//! → TBL001: 990.50 ≠ 1,000.50. 「20126 档案事务 1,000.50」 over 「2012601
//! 行政运行 800.00」 and 「2012604 档案馆 200.50」 holds.

use crate::model::{
    Code, Diagnostic, DiagnosticKind, Finding, Report, Statement, SubjectRow, SubjectTable,
};
use crate::rules::evidence::Ctx;

/// One parent-children sum of a table, in one column; the parent is a 类
/// or a 款, or the table's 合计 row (code empty) over its 类.
struct Sum<'a> {
    parent: &'a SubjectRow,
    column: usize,
    total: &'a Statement,
    parts: Vec<&'a Statement>,
}

impl Sum<'_> {
    fn holds(&self) -> bool {
        self.total.sum_holds(&self.parts).0
    }
}

/// Every sum the table's reading allows: column 0 for every parent whose
/// children all have a first figure, the other columns where the parent
/// and its children show every column.
fn sums(t: &SubjectTable) -> Vec<Sum<'_>> {
    let width = t.width();
    let mut out = Vec::new();
    let classes: Vec<&SubjectRow> = t.rows.iter().filter(|r| r.code.len() == 3).collect();
    let parents = t
        .rows
        .iter()
        .enumerate()
        .filter(|(_, row)| row.code.len() < 7)
        .map(|(i, row)| (row, t.children(i)))
        .chain(t.total.iter().map(|total| (total, classes.clone())));
    for (row, kids) in parents {
        if kids.is_empty() {
            continue;
        }
        let whole = row.cells.len() == width && kids.iter().all(|k| k.cells.len() == width);
        let columns = if whole { width } else { 1 };
        for column in 0..columns {
            let Some(Some(total)) = row.cells.get(column) else {
                continue;
            };
            let parts: Option<Vec<&Statement>> = kids
                .iter()
                .map(|k| k.cells.get(column).and_then(Option::as_ref))
                .collect();
            if let Some(parts) = parts {
                out.push(Sum {
                    parent: row,
                    column,
                    total,
                    parts,
                });
            }
        }
    }
    out
}

/// Whether `code` is one level below `parent` (a 类 below the 合计 row,
/// whose code is empty).
fn is_child(code: &str, parent: &str) -> bool {
    if parent.is_empty() {
        code.len() == 3
    } else {
        code.len() == parent.len() + 2 && code.starts_with(parent)
    }
}

/// Whether a table's failing sums are few enough to be errors of the
/// table rather than of its reading. One wrong 款 cell fails two sums (its
/// 类's and its own): a failing sum whose parent is a part of another
/// failing sum of the same column counts as one error with it.
fn confirmed(sums: &[Sum]) -> bool {
    let failed: Vec<&Sum> = sums.iter().filter(|s| !s.holds()).collect();
    let errors = failed
        .iter()
        .filter(|s| {
            !failed
                .iter()
                .any(|o| o.column == s.column && is_child(&s.parent.code, &o.parent.code))
        })
        .count();
    let held = sums.len() - failed.len();
    errors <= 1 && held >= 2 || errors * 5 <= sums.len()
}

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for t in &r.subject_tables {
        let sums = sums(t);
        let failed: Vec<&Sum> = sums.iter().filter(|s| !s.holds()).collect();
        if failed.is_empty() || !confirmed(&sums) {
            continue;
        }
        for s in failed {
            let row = s.parent;
            let level = match row.code.len() {
                0 => "类",
                3 => "款",
                _ => "项",
            };
            let (_, exact) = s.total.sum_holds(&s.parts);
            let mut evidence = vec![cx.evidence(s.total)];
            evidence.extend(s.parts.iter().map(|p| cx.evidence(p)));
            let column = if s.column == 0 {
                String::new()
            } else {
                format!("第 {} 列 ", s.column + 1)
            };
            out.push(cx.finding(
                Code::TBL001,
                format!(
                    "{}{}{}{} {}{}，与其下 {} 个{level}之和 {} 不符",
                    title(t),
                    row.code,
                    if row.code.is_empty() { "" } else { " " },
                    row.name,
                    column,
                    s.total.display(),
                    s.parts.len(),
                    exact.display()
                ),
                s.total.value.to_string(),
                exact.value.to_string(),
                evidence,
            ));
        }
    }
}

fn title(t: &SubjectTable) -> String {
    if t.title.is_empty() {
        String::new()
    } else {
        format!("{}：", t.title)
    }
}

/// Whether the table's reading is confirmed by its sums (they hold, or
/// fail in few enough places to be the table's errors): the amounts other
/// rules take from it can be trusted.
pub fn reading_confirmed(t: &SubjectTable) -> bool {
    confirmed(&sums(t))
}

/// Whether every sum of the table holds (and it has at least one).
pub fn sums_hold(t: &SubjectTable) -> bool {
    let sums = sums(t);
    !sums.is_empty() && sums.iter().all(|s| s.holds())
}

/// The tables whose sums fail too often for the reading to be trusted:
/// what could not be checked.
pub fn unconfirmed(r: &Report, cx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for t in &r.subject_tables {
        let sums = sums(t);
        let failed = sums.iter().filter(|s| !s.holds()).count();
        if failed == 0 || confirmed(&sums) {
            continue;
        }
        out.push(Diagnostic {
            kind: DiagnosticKind::UnconfirmedTable,
            page: Some((cx.page_at)(sums[0].total.span.start)),
            message: format!(
                "{}{} 处上下级科目的求和中有 {} 处不符，应是表格未被正确读取（列错位、表格相连或只读到一部分），未据此报告问题",
                title(t),
                sums.len(),
                failed
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{check, unconfirmed};
    use crate::model::{SubjectTable, Unit};
    use crate::rules::testing::{messages, said, Doc};

    fn table(d: &mut Doc, rows: &[(&str, &str, &[&str])]) -> SubjectTable {
        d.subject_table("表五财政拨款支出预算表", Unit::WanYuan, rows)
    }

    fn archive(d: &mut Doc, office: &str) -> SubjectTable {
        table(
            d,
            &[
                ("201", "一般公共服务支出", &["1000.50"]),
                ("20126", "档案事务", &[office]),
                ("2012601", "行政运行", &["800.00"]),
                ("2012604", "档案馆", &["200.50"]),
                ("221", "住房保障支出", &["200.00"]),
                ("22102", "住房改革支出", &["200.00"]),
                ("2210201", "住房公积金", &["120.00"]),
                ("2210202", "提租补贴", &["80.00"]),
                ("208", "社会保障和就业支出", &["90.00"]),
                ("20805", "行政事业单位养老支出", &["90.00"]),
                ("2080501", "行政单位离退休", &["60.00"]),
                ("2080505", "机关事业单位基本养老保险缴费支出", &["30.00"]),
            ],
        )
    }

    #[test]
    fn a_kuan_that_is_not_the_sum_of_its_xiang_fires_while_its_neighbours_hold() {
        let mut d = Doc::new();
        let t = archive(&mut d, "990.50");
        d.report.subject_tables = vec![t];
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            [
                "表五财政拨款支出预算表：201 一般公共服务支出 1000.50 万元，与其下 1 个款之和 990.50 万元 不符",
                "表五财政拨款支出预算表：20126 档案事务 990.50 万元，与其下 2 个项之和 1000.50 万元 不符"
            ]
        );
        assert_eq!((said(&f[1]).1, said(&f[1]).2), ("990.50", "1000.50"));
    }

    #[test]
    fn a_total_row_that_is_not_the_sum_of_the_classes_fires() {
        let mut d = Doc::new();
        let mut t = archive(&mut d, "1000.50");
        let total = table(&mut d, &[("", "合计", &["1300.50"])]);
        t.total = total.rows.into_iter().next();
        d.report.subject_tables = vec![t];
        assert_eq!(
            messages(&d.findings(check)),
            ["表五财政拨款支出预算表：合计 1300.50 万元，与其下 3 个类之和 1290.50 万元 不符"]
        );
    }

    #[test]
    fn a_table_that_sums_holds() {
        let mut d = Doc::new();
        let t = archive(&mut d, "1000.50");
        d.report.subject_tables = vec![t];
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_table_whose_sums_mostly_fail_is_a_reading_problem_not_findings() {
        // Every 项 shifted by a column: the reading is wrong, not the table.
        let mut d = Doc::new();
        let t = table(
            &mut d,
            &[
                ("201", "一般公共服务支出", &["1000", "800", "200"]),
                ("20126", "档案事务", &["1000", "800", "200"]),
                ("2012601", "行政运行", &["800", "800", "0"]),
                ("2012604", "档案馆", &["200", "0", "200"]),
                ("221", "住房保障支出", &["200", "200", "0"]),
                ("22102", "住房改革支出", &["200", "200", "0"]),
                ("2210201", "住房公积金", &["200", "0", "120"]),
                ("2210202", "提租补贴", &["80", "0", "200"]),
            ],
        );
        d.report.subject_tables = vec![t];
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
        let diags = d.diagnostics(unconfirmed);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("12 处上下级科目的求和中有 3 处不符"), "{}", diags[0].message);
    }

    #[test]
    fn only_the_first_column_is_compared_where_a_row_shows_fewer_cells() {
        // 行政运行 has no 项目支出 cell: the second column cannot be placed.
        let mut d = Doc::new();
        let t = table(
            &mut d,
            &[
                ("20126", "档案事务", &["1000.50", "800.00", "200.50"]),
                ("2012601", "行政运行", &["800.00", "800.00"]),
                ("2012604", "档案馆", &["200.50", "200.50"]),
            ],
        );
        d.report.subject_tables = vec![t];
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
