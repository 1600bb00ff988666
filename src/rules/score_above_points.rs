//! SCR001: a score is above its points, or below zero.
//!
//! ## What it checks
//! Every statement of an indicator's score (得分) against the indicator's
//! points (分值): a score can be neither more than the points nor negative.
//! Each statement is checked on its own, also one that another statement
//! contradicts.
//!
//! ## Why it matters
//! A score above its points is always a typo or an error in scoring, and it
//! inflates the total that decides the grade.
//!
//! ## Example
//! 「采购政策效能分值 1 分，得分 9.99 分」 → SCR001: 9.99 > 1. Correct:
//! 「采购政策效能分值 1 分，得分 0.99 分」. A score exactly at its points
//! (「分值 3 分，得 3 分」) is fine.

use crate::model::Report;
use crate::rules::evidence::Ctx;
use crate::model::Finding;
use crate::model::Code;
use rust_decimal::Decimal;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for ind in &r.evaluation.indicators {
        let points = ind.points.get();
        for s in &ind.score.statements {
            let iv = s.interval();
            if let Some(p) = points {
                if iv.lo > p.interval().hi {
                    out.push(cx.finding(
                        Code::SCR001,
                        format!("{}得分 {} 分，超过其分值 {} 分", ind.name, s.value, p.value),
                        s.value.to_string(),
                        format!("≤ {}", p.value),
                        vec![cx.evidence(s), cx.evidence(p)],
                    ));
                    continue;
                }
            }
            if iv.hi < Decimal::ZERO {
                out.push(cx.finding(
                    Code::SCR001,
                    format!("{}得分 {} 分，低于 0 分", ind.name, s.value),
                    s.value.to_string(),
                    "≥ 0".into(),
                    vec![cx.evidence(s)],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{messages, quotes, said, Doc};

    #[test]
    fn a_score_above_its_points_fires_with_both_statements_as_evidence() {
        let mut d = Doc::new();
        d.root("采购政策效能").points("1").score("9.99");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("采购政策效能得分 9.99 分，超过其分值 1 分", "9.99", "≤ 1")
        );
        assert_eq!(
            quotes(&f[0]),
            ["采购政策效能得分9.99分。", "采购政策效能分值1分。"]
        );
    }

    #[test]
    fn a_score_exactly_at_its_points_holds() {
        let mut d = Doc::new();
        d.root("预算编制科学性").points("3").score("3");
        d.root("绩效信息公开").points("0.5").score("0.50");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_score_one_hundredth_above_its_points_fires() {
        let mut d = Doc::new();
        d.root("资产管理").points("3").score("3.01");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("资产管理得分 3.01 分，超过其分值 3 分", "3.01", "≤ 3")
        );
    }

    #[test]
    fn a_negative_score_fires_even_without_points() {
        let mut d = Doc::new();
        d.root("资金使用合规性").score("-0.5");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("资金使用合规性得分 -0.5 分，低于 0 分", "-0.5", "≥ 0")
        );
        assert_eq!(quotes(&f[0]), ["资金使用合规性得分-0.5分。"]);
    }

    #[test]
    fn a_score_of_zero_holds() {
        let mut d = Doc::new();
        d.root("资金使用合规性").points("2").score("0");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn without_points_a_high_score_is_not_checked() {
        let mut d = Doc::new();
        d.root("履职效能").score("120");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn each_statement_is_checked_also_one_another_contradicts() {
        let mut d = Doc::new();
        d.root("采购政策效能")
            .points("1")
            .score("0.99")
            .score("9.99");
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["采购政策效能得分 9.99 分，超过其分值 1 分"]
        );
    }

    #[test]
    fn a_score_above_conflicting_points_is_not_checked_against_them() {
        let mut d = Doc::new();
        d.root("采购政策效能").points("1").points("2").score("1.5");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
