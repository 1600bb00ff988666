//! TBL007: the narrative states a 收支 total that its 总表 does not carry.
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
//! ## Why it matters
//! The total is the first figure a reader takes from the narrative; one
//! that no line of its table shows was left from a template or another
//! year.
//!
//! ## Example
//! 财政拨款收入支出决算总表 「本年收入合计 2,940.05 本年支出合计 2,940.05
//! … 总计 2,961.68 总计 2,961.68」 and 「财政拨款收入支出总计0.3万元」 →
//! TBL007. 「…总计2,961.68万元」 holds, and so does 2,940.05.

use crate::model::{Code, Finding, Report, TableKind};
use crate::rules::evidence::Ctx;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for m in &r.total_mentions {
        let kind = if m.fiscal {
            TableKind::FiscalOverview
        } else {
            TableKind::Overview
        };
        let tables: Vec<_> = r.tables.iter().filter(|t| t.kind == kind).collect();
        let [table] = tables.as_slice() else {
            continue;
        };
        if table.figures.is_empty() || m.amount.value.value.is_zero() {
            continue;
        }
        let carried = table
            .figures
            .iter()
            .any(|c| c.interval().intersects(&m.amount.interval()));
        if carried {
            continue;
        }
        let shown: Vec<String> = table.figures.iter().map(|c| c.value.to_string()).collect();
        let mut evidence = vec![cx.evidence(&m.amount)];
        evidence.extend(table.figures.iter().map(|c| cx.evidence(c)));
        out.push(cx.finding(
            Code::TBL007,
            format!(
                "说明中的总计 {}，不是{}合计、总计行中的任何一个数（{} {}）",
                m.amount.display(),
                table.title,
                shown.join("、"),
                table.unit.map_or("", |u| u.as_str())
            ),
            m.amount.value.to_string(),
            String::new(),
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
            kind: TableKind::FiscalOverview,
            title: "财政拨款收入支出决算总表".into(),
            unit: Some(Unit::WanYuan),
            page: 12,
            empty_note: None,
            subject_rows: 0,
            subjects: Vec::new(),
            figures,
            at: 0,
        }];
        let amount = d.amount("财政拨款收入支出总计", &format!("{stated} 万元"));
        d.report.total_mentions = vec![TotalMention { fiscal, amount }];
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
}
