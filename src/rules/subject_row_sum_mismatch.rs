//! TBL002: a 科目 row's 合计 is not the sum of the row's other columns.
//!
//! ## What it checks
//! In a 科目 table whose first column of figures is the row's 合计 and the
//! others its parts (合计 | 基本支出 | 项目支出; 合计 | 一般公共预算 |
//! 政府性基金 | …), each row's 合计 equals the sum of its other cells, the
//! table's 合计 row too.
//! Only rows that show every column are compared (a blank cell is not seen
//! in the text, so a shorter row cannot be placed), each figure with its
//! stated precision.
//!
//! Whether a table has that shape is read from the table itself: it must
//! hold in at least three rows, and fail in at most one row or a fifth of
//! them. A table with another header (a 合计 over 基本支出 that is itself
//! over 人员经费 and 公用经费, or 本年 beside 上年) fails in most rows and
//! is not checked.
//!
//! ## Why it matters
//! A part copied from the row above, or a 合计 typed without its parts,
//! leaves the row's money counted twice or not at all; the column sums of
//! the table then fail too (TBL001), but the row is where it happened.
//!
//! ## Example
//! 「2040601 行政运行 14,348,853.34 14,348,853.34 64,840,547.00」 (合计 |
//! 基本支出 | 项目支出) → TBL002: 14,348,853.34 + 64,840,547.00 =
//! 79,189,400.34, not 14,348,853.34. 「2040604 基层司法业务 21,703,947.00
//! 0.00 21,703,947.00」 holds.

use crate::model::{Code, Finding, Report, Statement, SubjectRow};
use crate::rules::evidence::Ctx;

/// The row's 合计 and parts, when it shows every column.
fn split(row: &SubjectRow, width: usize) -> Option<(&Statement, Vec<&Statement>)> {
    if width < 3 || row.cells.len() != width {
        return None;
    }
    let cells: Option<Vec<&Statement>> = row.cells.iter().map(Option::as_ref).collect();
    let cells = cells?;
    Some((cells[0], cells[1..].to_vec()))
}

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for t in &r.subject_tables {
        let width = t.width();
        // The 合计 row too: its 合计 is the sum of its columns' totals.
        let rows: Vec<(&SubjectRow, &Statement, Vec<&Statement>)> = t
            .rows
            .iter()
            .chain(&t.total)
            .filter_map(|row| split(row, width).map(|(total, parts)| (row, total, parts)))
            .collect();
        let failed: Vec<&(&SubjectRow, &Statement, Vec<&Statement>)> = rows
            .iter()
            .filter(|(_, total, parts)| !total.sum_holds(parts).0)
            .collect();
        let held = rows.len() - failed.len();
        if failed.is_empty() || held < 3 || (failed.len() > 1 && failed.len() * 5 > rows.len()) {
            continue;
        }
        for (row, total, parts) in failed {
            let (_, exact) = total.sum_holds(parts);
            let mut evidence = vec![cx.evidence(total)];
            evidence.extend(parts.iter().map(|p| cx.evidence(p)));
            let shown: Vec<String> = parts.iter().map(|p| p.value.to_string()).collect();
            let title = if t.title.is_empty() {
                String::new()
            } else {
                format!("{}：", t.title)
            };
            out.push(cx.finding(
                Code::TBL002,
                format!(
                    "{title}{} {}，与本行各列 {} 之和 {} 不符",
                    if row.code.is_empty() {
                        "合计".to_string()
                    } else {
                        format!("{} {} 合计", row.code, row.name)
                    },
                    total.display(),
                    shown.join(" + "),
                    exact.display()
                ),
                total.value.to_string(),
                exact.value.to_string(),
                evidence,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::model::{SubjectTable, Unit};
    use crate::rules::testing::{messages, said, Doc};

    fn table(d: &mut Doc, rows: &[(&str, &str, &[&str])]) -> SubjectTable {
        d.subject_table("支出预算表", Unit::Yuan, rows)
    }

    #[test]
    fn a_part_copied_into_a_row_fires_while_the_other_rows_hold() {
        let mut d = Doc::new();
        let t = table(
            &mut d,
            &[
                ("2040601", "行政运行", &["1200.00", "1200.00", "5400.00"]),
                ("2040604", "基层司法业务", &["3000.00", "0.00", "3000.00"]),
                ("2040605", "普法宣传", &["1000.00", "0.00", "1000.00"]),
                ("2040699", "其他司法支出", &["1400.00", "0.00", "1400.00"]),
            ],
        );
        d.report.subject_tables = vec![t];
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["支出预算表：2040601 行政运行 合计 1200.00 元，与本行各列 1200.00 + 5400.00 之和 6600.00 元 不符"]
        );
        assert_eq!((said(&f[0]).1, said(&f[0]).2), ("1200.00", "6600.00"));
    }

    #[test]
    fn the_total_row_is_the_sum_of_its_columns_too() {
        let mut d = Doc::new();
        let mut t = table(
            &mut d,
            &[
                ("2040601", "行政运行", &["1200.00", "1200.00", "0.00"]),
                ("2040604", "基层司法业务", &["3000.00", "0.00", "3000.00"]),
                ("2040605", "普法宣传", &["1000.00", "0.00", "1000.00"]),
            ],
        );
        let total = table(&mut d, &[("", "合计", &["5200.00", "1200.00", "4100.00"])]);
        t.total = total.rows.into_iter().next();
        d.report.subject_tables = vec![t];
        assert_eq!(
            messages(&d.findings(check)),
            ["支出预算表：合计 5200.00 元，与本行各列 1200.00 + 4100.00 之和 5300.00 元 不符"]
        );
    }

    #[test]
    fn a_table_of_another_shape_is_not_checked() {
        // 本年 | 上年 | 增减: the first column is no sum of the others.
        let mut d = Doc::new();
        let t = table(
            &mut d,
            &[
                ("2040601", "行政运行", &["1200.00", "1100.00", "100.00"]),
                ("2040604", "基层司法业务", &["3000.00", "3200.00", "-200.00"]),
                ("2040605", "普法宣传", &["1000.00", "900.00", "100.00"]),
                ("2040699", "其他司法支出", &["1400.00", "1400.00", "0.00"]),
            ],
        );
        d.report.subject_tables = vec![t];
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_table_with_too_few_whole_rows_proves_nothing() {
        let mut d = Doc::new();
        let t = table(
            &mut d,
            &[
                ("2040601", "行政运行", &["1200.00", "1200.00", "5400.00"]),
                ("2040604", "基层司法业务", &["3000.00", "0.00", "3000.00"]),
            ],
        );
        d.report.subject_tables = vec![t];
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
