//! SCR002: points minus the stated deduction is not the score.
//!
//! ## What it checks
//! An indicator with points (分值), a deduction (扣 X 分) and a score
//! (得分): the score must equal points − deduction, within the precision
//! each figure is stated to.
//!
//! ## Why it matters
//! The deduction is how a unit explains a lost point; when it does not
//! match the score, either the score or the explanation is wrong.
//!
//! ## Example
//! 「分值 20 分，得 19.5 分，扣 0.06 分」 → SCR002: 20 − 0.06 = 19.94, not
//! 19.5. Correct: 「得 19.94 分，扣 0.06 分」.

use crate::model::Report;
use crate::rules::evidence::Ctx;
use crate::model::Finding;
use crate::model::Code;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for ind in &r.evaluation.indicators {
        let (Some(p), Some(d), Some(s)) = (ind.points.get(), ind.deduction.get(), ind.score.get())
        else {
            continue;
        };
        let expected = p.interval().minus(d.interval());
        if !expected.intersects(&s.interval()) {
            let exp = p.value.value - d.value.value;
            out.push(cx.finding(
                Code::SCR002,
                format!(
                    "{}分值 {} 分、扣 {} 分，得分应为 {} 分，报告为 {} 分",
                    ind.name, p.value, d.value, exp, s.value
                ),
                s.value.to_string(),
                exp.to_string(),
                vec![cx.evidence(s), cx.evidence(p), cx.evidence(d)],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{messages, quotes, said, Doc};

    #[test]
    fn points_less_deduction_that_is_not_the_score_fires() {
        let mut d = Doc::new();
        d.root("目标完成率")
            .points("20")
            .score("19.5")
            .deduction("0.06");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "目标完成率分值 20 分、扣 0.06 分，得分应为 19.94 分，报告为 19.5 分",
                "19.5",
                "19.94"
            )
        );
        assert_eq!(
            quotes(&f[0]),
            ["目标完成率得分19.5分。", "目标完成率分值20分。", "目标完成率扣0.06分。"]
        );
    }

    #[test]
    fn points_less_deduction_equal_to_the_score_holds() {
        let mut d = Doc::new();
        d.root("采购政策效能").points("1").score("0.99").deduction("0.01");
        d.root("信息公开").points("1").score("0").deduction("1");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_score_rounded_to_hundredths_from_a_finer_deduction_holds() {
        // 20 − 0.125 = 19.875, which 19.88 may stand for.
        let mut d = Doc::new();
        d.root("目标完成率")
            .points("20")
            .score("19.88")
            .deduction("0.125");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_score_one_hundredth_off_is_within_the_rounding_of_both_figures() {
        // 0.06 may stand for 0.055 to 0.065, and 19.93 for up to 19.935.
        let mut d = Doc::new();
        d.root("目标完成率")
            .points("20")
            .score("19.93")
            .deduction("0.06");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_score_two_hundredths_off_fires() {
        let mut d = Doc::new();
        d.root("目标完成率")
            .points("20")
            .score("19.92")
            .deduction("0.06");
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["目标完成率分值 20 分、扣 0.06 分，得分应为 19.94 分，报告为 19.92 分"]
        );
    }

    #[test]
    fn an_item_without_a_deduction_or_with_full_marks_is_left_alone() {
        let mut d = Doc::new();
        d.root("预算执行率").points("2").score("1.5");
        d.root("资产管理").points("3").full_marks();
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_score_stated_with_two_values_is_left_to_con001() {
        let mut d = Doc::new();
        d.root("目标完成率")
            .points("20")
            .score("19.94")
            .score("19.5")
            .deduction("0.06");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
