//! TBL006: one 科目 with different amounts in two tables that must agree.
//!
//! ## What it checks
//! Some tables of a 预算/决算 carry the same figures by construction:
//! - the 财政拨款 支出 table and the 一般公共预算 支出 table, and the two
//!   基本支出 tables, where the document's 政府性基金 and 国有资本经营 tables
//!   are empty (财政拨款 = 一般公共预算 + 政府性基金 + 国有资本经营);
//! - in a 预算, the 收入预算总表 and the 支出预算总表 by 科目 (each 科目's
//!   spending is funded by its income);
//! - the 类 on the 支出 side of the 收支总表 and the 类 rows of the 支出
//!   table (of the 财政拨款收支总表 and the 财政拨款 支出 table), where the
//!   总表's 类 were read whole and the 支出 table's sums hold.
//!
//! For each 科目 both tables list, the first figure (合计) must be the same
//! within the precision of both, 元 and 万元 converted. Compared only where
//! each is the one table of its kind, both list the same 科目, and every
//! 类/款/项 sum of both holds (a table whose own sums fail is TBL001's);
//! of the 科目 that differ, only the deepest are reported (a 项 that
//! differs makes its 款 and 类 differ too).
//!
//! ## Why it matters
//! Two tables built from one set of figures that disagree mean one of
//! them was edited by hand or taken from another version of the budget.
//!
//! ## Example
//! No 政府性基金 (「此表为空」); 财政拨款支出预算表 「2010201 行政运行
//! 3,233.03」, 一般公共预算支出预算表 「2010201 行政运行 3,323.03」 → TBL006.

use crate::model::{Code, Finding, Report, Statement, SubjectTable, TableEntry, TableKind};
use crate::rules::evidence::Ctx;
use crate::rules::subject_sum_mismatch::sums_hold;
use crate::rules::subject_text_mismatch::same_name;

/// The one 科目 table of the one table of `kind`.
fn only(r: &Report, kind: TableKind) -> Option<(&TableEntry, &SubjectTable)> {
    let entry = r.only_table(kind)?;
    Some((entry, r.subject_table_of(entry)?))
}

/// The first figure of each row, by code.
fn totals(t: &SubjectTable) -> Vec<(&str, &str, &Statement)> {
    t.rows
        .iter()
        .filter_map(|row| {
            let first = row.cells.first()?.as_ref()?;
            Some((row.code.as_str(), row.name.as_str(), first))
        })
        .collect()
}

/// The codes of a table's rows, sorted.
fn codes(x: &[(&str, &str, &Statement)]) -> Vec<String> {
    let mut c: Vec<String> = x.iter().map(|r| r.0.to_string()).collect();
    c.sort_unstable();
    c
}

/// Whether the document's 政府性基金 and 国有资本经营 tables (at least one
/// printed) list no 科目.
fn no_fund_spending(r: &Report) -> bool {
    let funds: Vec<&TableEntry> = r
        .tables
        .iter()
        .filter(|t| matches!(t.kind, TableKind::GovernmentFund | TableKind::StateCapital))
        .collect();
    !funds.is_empty() && funds.iter().all(|t| t.subject_rows == 0)
}

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    overview_classes(r, cx, out);
    let mut pairs = Vec::new();
    if no_fund_spending(r) {
        pairs.push((TableKind::FiscalSpending, TableKind::GeneralSpending));
        pairs.push((TableKind::FiscalBasic, TableKind::GeneralBasic));
    }
    pairs.push((TableKind::Income, TableKind::Spending));
    for (a, b) in pairs {
        let (Some((ea, ta)), Some((eb, tb))) = (only(r, a), only(r, b)) else {
            continue;
        };
        let budget = |e: &TableEntry| e.title.contains("预算") && !e.title.contains("决算");
        if a == TableKind::Income && !(budget(ea) && budget(eb)) {
            continue;
        }
        let (xa, xb) = (totals(ta), totals(tb));
        if xa.is_empty() || codes(&xa) != codes(&xb) || !sums_hold(ta) || !sums_hold(tb) {
            continue;
        }
        let differ: Vec<(&str, &str, &Statement, &Statement)> = xa
            .iter()
            .filter_map(|&(code, name, sa)| {
                let &(_, _, sb) = xb.iter().find(|r| r.0 == code)?;
                (!sa.interval().intersects(&sb.interval())).then_some((code, name, sa, sb))
            })
            .collect();
        for &(code, name, sa, sb) in &differ {
            let deeper = differ
                .iter()
                .any(|d| d.0.len() > code.len() && d.0.starts_with(code));
            if deeper {
                continue;
            }
            out.push(cx.finding(
                Code::TBL006,
                format!(
                    "{}与{}中同一科目 {code} {name} 的合计不同：{} 与 {}（两表应一致）",
                    ea.title,
                    eb.title,
                    sa.display(),
                    sb.display()
                ),
                sb.value.to_string(),
                sa.value.to_string(),
                vec![cx.evidence(sb), cx.evidence(sa)],
            ));
        }
    }
}

/// The 类 of a 收支总表's 支出 side against the 类 rows of its 支出 table:
/// the 收支总表 against the 支出 table, the 财政拨款收支总表 against the
/// 财政拨款 支出 table (or the 一般公共预算 one, where no 政府性基金 or
/// 国有资本经营 table lists a 科目).
fn overview_classes(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let mut pairs = vec![
        (TableKind::Overview, TableKind::Spending),
        (TableKind::FiscalOverview, TableKind::FiscalSpending),
    ];
    if no_fund_spending(r) && !r.tables.iter().any(|t| t.kind == TableKind::FiscalSpending) {
        pairs.push((TableKind::FiscalOverview, TableKind::GeneralSpending));
    }
    for (a, b) in pairs {
        let Some(overview) = r.only_table(a) else {
            continue;
        };
        let Some((eb, tb)) = only(r, b) else {
            continue;
        };
        if overview.classes.is_empty() || !sums_hold(tb) {
            continue;
        }
        for c in &overview.classes {
            let Some(amount) = &c.amount else { continue };
            let rows: Vec<_> = tb
                .rows
                .iter()
                .filter(|row| row.code.len() == 3 && same_name(&row.name, &c.name))
                .collect();
            let [row] = rows.as_slice() else { continue };
            let Some(Some(cell)) = row.cells.first() else {
                continue;
            };
            if cell.interval().intersects(&amount.interval()) {
                continue;
            }
            out.push(cx.finding(
                Code::TBL006,
                format!(
                    "{}与{}中同一类 {} {} 的金额不同：{} 与 {}（两表应一致）",
                    overview.title,
                    eb.title,
                    row.code,
                    c.name,
                    amount.display(),
                    cell.display()
                ),
                amount.value.to_string(),
                cell.value.to_string(),
                vec![cx.evidence(amount), cx.evidence(cell)],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::model::{SubjectRow, SubjectTable, TableEntry, TableKind, Unit};
    use crate::rules::testing::{messages, Doc};

    fn table(d: &mut Doc, title: &str, run: &str) -> SubjectTable {
        let rows = [
            ("201", "一般公共服务支出", "6463.55"),
            ("20102", "政协事务", "6463.55"),
            ("2010201", "行政运行", run),
            ("2010202", "一般行政管理事务", "3230.52"),
        ];
        let rows = rows
            .iter()
            .map(|&(code, name, v)| {
                let v = if code.len() < 7 && run != "3233.03" {
                    // the 类 and 款 follow their 项: the table's sums hold
                    "6553.55"
                } else {
                    v
                };
                SubjectRow {
                    code: code.into(),
                    name: name.into(),
                    cells: vec![Some(d.amount(&format!("{title} {code}"), &format!("{v} 万元")))],
                }
            })
            .collect();
        SubjectTable {
            title: title.into(),
            unit: Some(Unit::WanYuan),
            page: 1,
            rows,
            total: None,
        }
    }

    fn entry(kind: TableKind, title: &str, subjects: Vec<usize>) -> TableEntry {
        TableEntry {
            subject_rows: subjects.len() * 4,
            subjects,
            ..TableEntry::new(kind, title, Some(Unit::WanYuan))
        }
    }

    fn doc(general_run: &str, fund: bool) -> Doc {
        let mut d = Doc::new();
        let fiscal = table(&mut d, "财政拨款支出预算表", "3233.03");
        let general = table(&mut d, "一般公共预算支出预算表", general_run);
        d.report.subject_tables = vec![fiscal, general];
        d.report.tables = vec![
            entry(TableKind::FiscalSpending, "财政拨款支出预算表", vec![0]),
            entry(TableKind::GeneralSpending, "一般公共预算支出预算表", vec![1]),
        ];
        if fund {
            d.report
                .tables
                .push(entry(TableKind::GovernmentFund, "政府性基金预算支出表", vec![]));
        }
        d
    }

    #[test]
    fn the_deepest_differing_subject_fires() {
        let f = doc("3323.03", true).findings(check);
        assert_eq!(
            messages(&f),
            ["财政拨款支出预算表与一般公共预算支出预算表中同一科目 2010201 行政运行 的合计不同：3233.03 万元 与 3323.03 万元（两表应一致）"]
        );
    }

    #[test]
    fn equal_tables_or_no_empty_fund_table_are_not_findings() {
        assert!(doc("3233.03", true).findings(check).is_empty());
        // Without an empty 政府性基金 table the two may rightly differ.
        assert!(doc("3323.03", false).findings(check).is_empty());
    }

    #[test]
    fn a_class_of_the_overview_against_the_spending_table() {
        use crate::model::ClassAmount;
        let mut d = Doc::new();
        let spending = table(&mut d, "支出预算总表", "3233.03");
        d.report.subject_tables = vec![spending];
        let class = |d: &mut Doc, v: &str| ClassAmount {
            name: "一般公共服务支出".into(),
            amount: Some(d.amount("一、一般公共服务支出", &format!("{v} 万元"))),
        };
        let overview = |d: &mut Doc, v: &str| TableEntry {
            classes: vec![class(d, v)],
            ..TableEntry::new(TableKind::Overview, "收支预算总表", Some(Unit::WanYuan))
        };
        let o = overview(&mut d, "6436.55");
        d.report.tables = vec![o, entry(TableKind::Spending, "支出预算总表", vec![0])];
        assert_eq!(
            messages(&d.findings(check)),
            ["收支预算总表与支出预算总表中同一类 201 一般公共服务支出 的金额不同：6436.55 万元 与 6463.55 万元（两表应一致）"]
        );
        let o = overview(&mut d, "6463.55");
        d.report.tables[0] = o;
        assert!(d.findings(check).is_empty());
    }
}
