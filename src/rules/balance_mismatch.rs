//! TBL004: the two sides of a 收支总表 do not balance.
//!
//! ## What it checks
//! A 收支预算总表 or 收入支出决算总表 lists income on one side and spending
//! on the other; its bottom line, 「收入总计 X 支出总计 Y」 (or 收入合计 and
//! 支出合计, or 总计 on both sides), must have X = Y within their stated
//! precision. 本年收入合计 and 本年支出合计 are not compared: the balance
//! carried over sits between them.
//!
//! Its 支出 side lists the 类 of the 支出功能分类 (一、一般公共服务支出 …);
//! where every 类 was read (numbered 一 to the last without a gap; a blank
//! is 0) and the table prints its 本年支出合计 (当年支出小计), the 类 must
//! add up to it; so must the sources of its 收入 side (一、财政拨款收入,
//! 二、事业收入 …, read the same way) add up to its 本年收入合计 (当年收入
//! 小计), and the 支出用途 some print beside the 类 (一、基本支出, 二、项目
//! 支出, 三、单位预留机动经费) to its 本年支出合计.
//!
//! ## Why it matters
//! Every other table of the document is a part of one of these two sides;
//! a 总表 that does not balance means one side lost or gained a row.
//!
//! ## Example
//! 「收入总计 9,146.79 支出总计 9,164.79」 → TBL004. 「收入合计 9,146.79
//! 支出合计 9,146.79」 holds. 「一、一般公共服务支出 13,907.78 … 八、社会保障
//! 和就业支出 1,121.39 … 十八、住房保障支出 3,310.20 … 当年支出小计 18,330.37」
//! → TBL004 (the 类 make 18,339.37).

use crate::model::{Code, Finding, Report, Statement};
use crate::rules::evidence::Ctx;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    classes(r, cx, out);
    for b in &r.balances {
        if b.income.interval().intersects(&b.spending.interval()) {
            continue;
        }
        out.push(cx.finding(
            Code::TBL004,
            format!(
                "收支总表两方不平衡：{} {}，{} {}",
                b.income_label,
                b.income.display(),
                b.spending_label,
                b.spending.display()
            ),
            b.spending.value.to_string(),
            b.income.value.to_string(),
            vec![cx.evidence(&b.income), cx.evidence(&b.spending)],
        ));
    }
}

/// Each side of a 总表 against its total for the year: the 类 of the 支出
/// side against 本年支出合计, the sources of the 收入 side against
/// 本年收入合计.
fn classes(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for t in &r.tables {
        let sides = [
            (&t.classes, &t.spending_subtotal, "本年支出合计", "支出方", "个类"),
            (&t.sources, &t.income_subtotal, "本年收入合计", "收入方", "项"),
            (&t.uses, &t.spending_subtotal, "本年支出合计", "支出用途", "项"),
        ];
        for (items, subtotal, total_name, side, counted) in sides {
            let Some(subtotal) = subtotal else {
                continue;
            };
            let amounts: Vec<&Statement> = items.iter().filter_map(|c| c.amount.as_ref()).collect();
            if amounts.is_empty() {
                continue;
            }
            let (holds, exact) = subtotal.sum_holds(&amounts);
            if holds {
                continue;
            }
            let exact = exact.value.value;
            let unit = subtotal.unit.map_or("", |u| u.as_str());
            let mut evidence = vec![cx.evidence(subtotal)];
            evidence.extend(amounts.iter().map(|a| cx.evidence(a)));
            out.push(cx.finding(
                Code::TBL004,
                format!(
                    "{}：{total_name} {}，与{side} {} {counted}之和 {exact} {unit} 不符",
                    t.title,
                    subtotal.display(),
                    amounts.len()
                ),
                subtotal.value.to_string(),
                exact.to_string(),
                evidence,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::model::Balance;
    use crate::rules::testing::{messages, Doc};

    fn doc(income: &str, spending: &str) -> Doc {
        let mut d = Doc::new();
        let income = d.amount("收入总计", &format!("{income} 万元"));
        let spending = d.amount("支出总计", &format!("{spending} 万元"));
        d.report.balances = vec![Balance {
            income_label: "收入总计".into(),
            income,
            spending_label: "支出总计".into(),
            spending,
        }];
        d
    }

    #[test]
    fn sides_that_differ_fire() {
        assert_eq!(
            messages(&doc("9146.79", "9164.79").findings(check)),
            ["收支总表两方不平衡：收入总计 9146.79 万元，支出总计 9164.79 万元"]
        );
    }

    #[test]
    fn sides_that_agree_at_their_precision_hold() {
        assert!(doc("9146.79", "9146.79").findings(check).is_empty());
        assert!(doc("9146.8", "9146.79").findings(check).is_empty());
    }

    #[test]
    fn the_classes_of_the_spending_side_add_to_the_years_spending() {
        use crate::model::{ClassAmount, TableEntry, TableKind, Unit};
        let table = |d: &mut Doc, housing: &str| {
            let class = |d: &mut Doc, name: &str, v: Option<&str>| ClassAmount {
                name: name.into(),
                amount: v.map(|v| d.amount(name, &format!("{v} 万元"))),
            };
            let classes = vec![
                class(d, "一般公共服务支出", Some("13907.78")),
                class(d, "外交支出", None),
                class(d, "社会保障和就业支出", Some("1121.39")),
                class(d, "住房保障支出", Some(housing)),
            ];
            TableEntry {
                classes,
                spending_subtotal: Some(d.amount("当年支出小计", "18330.37 万元")),
                ..TableEntry::new(TableKind::Overview, "收支预算总表", Some(Unit::WanYuan))
            }
        };
        let mut d = Doc::new();
        let t = table(&mut d, "3310.20");
        d.report.tables = vec![t];
        assert_eq!(
            messages(&d.findings(check)),
            ["收支预算总表：本年支出合计 18330.37 万元，与支出方 3 个类之和 18339.37 万元 不符"]
        );
        let mut d = Doc::new();
        let t = table(&mut d, "3301.20");
        d.report.tables = vec![t];
        assert!(d.findings(check).is_empty());
    }

    #[test]
    fn the_sources_of_the_income_side_add_to_the_years_income() {
        use crate::model::{ClassAmount, TableEntry, TableKind, Unit};
        let mut d = Doc::new();
        let mut source = |name: &str, v: &str| ClassAmount {
            name: name.into(),
            amount: Some(d.amount(name, &format!("{v} 万元"))),
        };
        let sources = vec![
            source("一般公共预算财政拨款收入", "2940.05"),
            source("其他收入", "6.02"),
        ];
        let income_subtotal = Some(d.amount("本年收入合计", "2946.25 万元"));
        d.report.tables = vec![TableEntry {
            sources,
            income_subtotal,
            ..TableEntry::new(TableKind::Overview, "收入支出决算总表", Some(Unit::WanYuan))
        }];
        assert_eq!(
            messages(&d.findings(check)),
            ["收入支出决算总表：本年收入合计 2946.25 万元，与收入方 2 项之和 2946.07 万元 不符"]
        );
    }
}
