//! TBL004: the two sides of a 收支总表 do not balance.
//!
//! ## What it checks
//! A 收支预算总表 or 收入支出决算总表 lists income on one side and spending
//! on the other; its bottom line, 「收入总计 X 支出总计 Y」 (or 收入合计 and
//! 支出合计, or 总计 on both sides), must have X = Y within their stated
//! precision. 本年收入合计 and 本年支出合计 are not compared: the balance
//! carried over sits between them.
//!
//! ## Why it matters
//! Every other table of the document is a part of one of these two sides;
//! a 总表 that does not balance means one side lost or gained a row.
//!
//! ## Example
//! 「收入总计 9,146.79 支出总计 9,164.79」 → TBL004. 「收入合计 9,146.79
//! 支出合计 9,146.79」 holds.

use crate::model::{Code, Finding, Report};
use crate::rules::evidence::Ctx;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
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
}
