//! TBL005: the narrative states a “三公” amount that the “三公” table does
//! not carry.
//!
//! ## What it checks
//! A 预算/决算 prints the “三公” (因公出国（境）费, 公务用车购置及运行费 with
//! its 购置费 and 运行费, 公务接待费) in a table of one row, and its narrative
//! states the same amounts: 「公务接待费支出156.55万元」, 「“三公”经费预算数
//! 为10.81万元」. Each amount the narrative gives for an item must be one of
//! that row's figures, within the precision of both, 元 and 万元 converted
//! exactly; so must 机关运行经费, 会议费 and 培训费 where the table carries
//! them (「“三公”经费和机关运行经费预算表」, 「“三公”经费、会议费、培训费支出
//! 预算表」; 会议费 and 培训费 read only in the section that explains it). Compared only where the document holds exactly one “三公”
//! table and its row was read; an amount of 0 is not compared (a blank
//! cell is not seen in the text), nor a figure of another year.
//!
//! ## Why it matters
//! The “三公” are the figures the public reads first; a narrative amount
//! its table does not show was copied from another year or another body,
//! or the table changed after the text was written.
//!
//! ## Example
//! Table row 「1,452.35 584.35 110.00 317.80 50.00 267.80 156.55 168.00
//! 700.00」 and 「公务接待费支出165.55万元」 → TBL005 (156.55 transposed).
//! 「公务接待费支出156.55万元」 holds.

use crate::model::{Code, Finding, Report, TableKind};
use crate::rules::evidence::Ctx;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let Some(table) = r.only_table(TableKind::ThreePublic) else {
        return;
    };
    if table.figures.is_empty() {
        return;
    }
    for m in &r.three_public_mentions {
        // 机关运行经费, 会议费, 培训费 only against a table that carries them.
        let elsewhere = ["机关运行经费", "会议费", "培训费"].contains(&m.item.as_str())
            && !table.title.contains(m.item.as_str());
        if m.amount.value.value.is_zero() || elsewhere {
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
            Code::TBL005,
            format!(
                "说明中{} {}，不是{}中的任何一个数（{} {}）",
                m.item,
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
    use crate::model::{TableEntry, TableKind, ThreePublicMention, Unit};
    use crate::rules::testing::{messages, Doc};

    fn doc(stated: &str, unit: &str, tables: usize) -> Doc {
        let mut d = Doc::new();
        let figures = ["10.81", "0", "0.83", "9.98", "0", "9.98", "217.83"]
            .iter()
            .map(|v| d.amount("", &format!("{v} 万元")))
            .collect();
        let entry = TableEntry {
            figures,
            ..TableEntry::new(
                TableKind::ThreePublic,
                "2026年部门“三公”经费和机关运行经费预算表",
                Some(Unit::WanYuan),
            )
        };
        d.report.tables = vec![entry; tables];
        let amount = d.amount("公务接待费", &format!("{stated} {unit}"));
        d.report.three_public_mentions = vec![ThreePublicMention {
            item: "公务接待费".into(),
            amount,
        }];
        d
    }

    #[test]
    fn an_amount_the_row_does_not_carry_fires() {
        let f = doc("1.38", "万元", 1).findings(check);
        assert_eq!(
            messages(&f),
            ["说明中公务接待费 1.38 万元，不是2026年部门“三公”经费和机关运行经费预算表中的任何一个数（10.81、0、0.83、9.98、0、9.98、217.83 万元）"]
        );
    }

    #[test]
    fn a_carried_amount_a_zero_and_two_tables_are_not_findings() {
        assert!(doc("0.83", "万元", 1).findings(check).is_empty());
        assert!(doc("8300", "元", 1).findings(check).is_empty());
        assert!(doc("0", "万元", 1).findings(check).is_empty());
        // Two “三公” tables (a 部门 and its units): which one is meant is
        // not known.
        assert!(doc("1.38", "万元", 2).findings(check).is_empty());
    }
}
