//! TBL007: the narrative states a table's total that the table does not
//! carry.
//!
//! ## What it checks
//! The narrative of a 预算/决算 states the totals of its 收支总表:
//! 「2017年度收入、支出预算总计17,996.68万元」, 「财政拨款收入支出总计
//! 2,961.68万元」. Writers say 总计 both for the table's bottom line
//! (收入总计, 总计) and for its 本年收入合计/本年支出合计, so the amount must
//! be one of the figures on the 总表's 合计 and 总计 lines — the
//! 收支总表 for a total of the whole, the 财政拨款收支总表 for a 财政拨款
//! total — within the precision of both, 元 and 万元 converted. Compared
//! only where the document holds exactly one such table and its lines
//! were read; a total of one fund (「其他资金收入预算总计」) is not read.
//!
//! Likewise the total of a 财政拨款 支出 table the narrative states —
//! 「2017年一般公共预算财政拨款支出预算13,649.07万元」 (the 一般公共预算
//! 支出 table), 「…财政拨款基本支出预算7,666.68万元」 (the 财政拨款基本支出
//! table) — must be the table's 合计, where the document holds one such
//! table, its 类/款/项 sums confirm its reading, and it prints its 合计 row;
//! a 预算 amount is not compared with a 决算 table, nor the reverse.
//!
//! ## Why it matters
//! The total is the first figure a reader takes from the narrative; one
//! that no line of its table shows was left from a template or another
//! year.
//!
//! ## Example
//! 财政拨款收入支出决算总表 「本年收入合计 2,940.05 本年支出合计 2,940.05
//! … 总计 2,961.68 总计 2,961.68」 and 「财政拨款收入支出总计0.3万元」 →
//! TBL007. 「…总计2,961.68万元」 holds, and so does 2,940.05.

use crate::model::{Code, Finding, Report, Statement, TableEntry, TableKind, TotalMention};
use crate::rules::evidence::Ctx;
use crate::rules::subject_sum_mismatch::reading_confirmed;

/// The figures the mention's table offers: a 总表's 合计/总计 lines, or
/// the 合计 row of a 支出 table (its first cell the 合计; any cell is
/// taken, should a table print its 合计 column last), and whether they are
/// the latter.
pub(crate) fn carriers<'a>(
    r: &'a Report,
    m: &TotalMention,
    t: &'a TableEntry,
) -> Option<(Vec<&'a Statement>, bool)> {
    if matches!(t.kind, TableKind::Overview | TableKind::FiscalOverview) {
        return (!t.figures.is_empty()).then(|| (t.figures.iter().collect(), false));
    }
    if m.phase.is_some_and(|p| !t.title.contains(p)) {
        return None;
    }
    let table = r.subject_table_of(t)?;
    if !reading_confirmed(table) {
        return None;
    }
    let cells: Vec<&Statement> = table.total.as_ref()?.cells.iter().flatten().collect();
    (!cells.is_empty()).then_some((cells, true))
}

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for m in &r.total_mentions {
        let Some(table) = r.only_table(m.table) else {
            continue;
        };
        let Some((figures, row)) = carriers(r, m, table) else {
            continue;
        };
        if m.amount.value.value.is_zero() {
            continue;
        }
        let carried = figures
            .iter()
            .any(|c| c.interval().intersects(&m.amount.interval()));
        if carried {
            continue;
        }
        let shown: Vec<String> = figures.iter().map(|c| c.value.to_string()).collect();
        let mut evidence = vec![cx.evidence(&m.amount)];
        evidence.extend(figures.iter().map(|c| cx.evidence(c)));
        let unit = table.unit.map_or("", |u| u.as_str());
        let message = if row {
            format!(
                "说明中{}的总数 {}，与该表合计 {} {unit} 不符",
                table.title,
                m.amount.display(),
                shown[0]
            )
        } else {
            format!(
                "说明中的总计 {}，不是{}合计、总计行中的任何一个数（{} {unit}）",
                m.amount.display(),
                table.title,
                shown.join("、"),
            )
        };
        let expected = if row {
            shown[0].clone()
        } else {
            String::new()
        };
        out.push(cx.finding(
            Code::TBL007,
            message,
            m.amount.value.to_string(),
            expected,
            evidence,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::model::{TableEntry, TableKind, TotalMention, Unit};
    use crate::rules::testing::{messages, Doc};

    fn doc(stated: &str, fiscal: bool) -> Doc {
        let mut d = Doc::new();
        let figures = ["2940.05", "2940.05", "2940.05", "2961.68", "2961.68", "2961.68"]
            .iter()
            .map(|v| d.amount("", &format!("{v} 万元")))
            .collect();
        d.report.tables = vec![TableEntry {
            figures,
            ..TableEntry::new(
                TableKind::FiscalOverview,
                "财政拨款收入支出决算总表",
                Some(Unit::WanYuan),
            )
        }];
        let amount = d.amount("财政拨款收入支出总计", &format!("{stated} 万元"));
        let table = if fiscal {
            TableKind::FiscalOverview
        } else {
            TableKind::Overview
        };
        d.report.total_mentions = vec![TotalMention {
            table,
            phase: None,
            amount,
        }];
        d
    }

    #[test]
    fn a_total_no_line_of_its_table_carries_fires() {
        let f = doc("0.3", true).findings(check);
        assert_eq!(
            messages(&f),
            ["说明中的总计 0.3 万元，不是财政拨款收入支出决算总表合计、总计行中的任何一个数（2940.05、2940.05、2940.05、2961.68、2961.68、2961.68 万元）"]
        );
    }

    #[test]
    fn the_bottom_line_the_years_own_total_or_another_table_is_not_a_finding() {
        assert!(doc("2961.68", true).findings(check).is_empty());
        assert!(doc("2940.05", true).findings(check).is_empty());
        // A total of the whole is the 收支总表's, which this document lacks.
        assert!(doc("0.3", false).findings(check).is_empty());
    }

    #[test]
    fn a_spending_tables_total_is_its_total_row() {
        use crate::model::{SubjectRow, SubjectTable};
        let mut d = Doc::new();
        let row = |d: &mut Doc, code: &str, v: &str| SubjectRow {
            code: code.into(),
            name: "一般公共服务支出".into(),
            cells: vec![Some(d.amount(code, &format!("{v} 万元")))],
        };
        let rows = vec![row(&mut d, "201", "1951.63"), row(&mut d, "20131", "1951.63")];
        let total = Some(row(&mut d, "", "1951.63"));
        d.report.subject_tables = vec![SubjectTable {
            title: "财政拨款支出预算表".into(),
            unit: Some(Unit::WanYuan),
            page: 3,
            rows,
            total,
        }];
        d.report.tables = vec![TableEntry {
            subject_rows: 2,
            subjects: vec![0],
            ..TableEntry::new(TableKind::FiscalSpending, "财政拨款支出预算表", Some(Unit::WanYuan))
        }];
        let mention = |d: &mut Doc, v: &str, phase| TotalMention {
            table: TableKind::FiscalSpending,
            phase,
            amount: d.amount("2026年财政拨款支出预算", &format!("{v} 万元")),
        };
        d.report.total_mentions = vec![
            mention(&mut d, "1915.36", Some("预算")),
            mention(&mut d, "1951.63", Some("预算")),
            // a 决算 amount is not compared with a 预算 table
            mention(&mut d, "1800.00", Some("决算")),
        ];
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["说明中财政拨款支出预算表的总数 1915.36 万元，与该表合计 1951.63 万元 不符"]
        );
    }
}
