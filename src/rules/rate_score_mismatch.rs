//! SCR004: a rate-based score is not points × rate (capped at the points).
//!
//! ## What it checks
//! An indicator scored by a rate — 预算执行率, 支出率, 支出进度 — earns its
//! points times the rate, never more than its points. The rate is the one
//! stated with the indicator, or else the report's execution rate. Points
//! not stated are taken as score + deduction when both are stated.
//!
//! ## Why it matters
//! Templates fix this formula; a score that departs from it was set by hand.
//! A score with decimals is compared at the decimals it is written with
//! (9.9 means 9.85..9.95), since the formula's result is rounded to them.
//!
//! ## Example
//! 「部门预算资金支出率得分 9.9 分，扣 0.1 分」 with 支出进度 99.85% →
//! SCR004: 10 × 99.85% = 9.985, stated 9.9. 9.99 holds (9.985 rounds to it).

use crate::model::Report;
use crate::rules::evidence::Ctx;
use crate::number::{Interval, Precision, Stated};
use crate::model::Finding;
use crate::model::Code;
use rust_decimal::Decimal;

const RATE_WORDS: &[&str] = &["执行率", "支出率", "支出进度", "执行进度"];

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for ind in &r.evaluation.indicators {
        if !RATE_WORDS.iter().any(|w| ind.name.contains(w)) {
            continue;
        }
        let Some(s) = ind.score.get() else { continue };
        let Some(rate) = ind.rate_percent.get().or(r.execution_rate_percent.get()) else {
            continue;
        };
        let (points, points_iv, mut evidence) = match (ind.points.get(), ind.deduction.get()) {
            (Some(p), _) => (p.value.value, p.interval(), vec![cx.evidence(p)]),
            (None, Some(d)) => (
                (s.value.value + d.value.value).normalize(),
                s.interval().plus(d.interval()),
                vec![cx.evidence(d)],
            ),
            _ => continue,
        };
        let hundredth = Decimal::new(1, 2);
        let expected = points_iv.times(rate.interval().scale(hundredth));
        let expected = Interval {
            lo: expected.lo.min(points_iv.lo),
            hi: expected.hi.min(points_iv.hi),
        };
        // A score set by this formula is rounded to the decimals it is
        // written with: 9.9 is 9.85..9.95, which 10 × 98.67% = 9.867 meets.
        // A whole score (3 of 3 points) is no rounding: it is full marks.
        let written = Stated {
            precision: if s.value.value.scale() > 0 {
                Precision::Digits
            } else {
                s.value.precision
            },
            ..s.value
        };
        if !expected.intersects(&written.interval()) {
            let exp = crate::number::round_half_up(
                (points * rate.value.value * hundredth).min(points),
                2,
            );
            evidence.insert(0, cx.evidence(s));
            evidence.push(cx.evidence(rate));
            out.push(cx.finding(
                Code::SCR004,
                format!(
                    "{}得分 {} 分，按分值 {} 分 × 执行率 {}% 应为 {} 分",
                    ind.name, s.value, points, rate.value, exp
                ),
                s.value.to_string(),
                exp.to_string(),
                evidence,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{messages, one, quotes, said, Doc};

    /// The report's execution rate, for the indicators without their own.
    fn execution_rate(d: &mut Doc, rate: &str) {
        d.report.execution_rate_percent = one(d.percent("支出进度", rate));
    }

    #[test]
    fn a_score_below_points_times_the_rate_fires() {
        // Points 9.9 + 0.1 = 10; 10 × 99.85% = 9.985.
        let mut d = Doc::new();
        execution_rate(&mut d, "99.85");
        d.root("部门预算资金支出率").score("9.9").deduction("0.1");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "部门预算资金支出率得分 9.9 分，按分值 10 分 × 执行率 99.85% 应为 9.99 分",
                "9.9",
                "9.99"
            )
        );
        assert_eq!(
            quotes(&f[0]),
            [
                "部门预算资金支出率得分9.9分。",
                "部门预算资金支出率扣0.1分。",
                "支出进度99.85%。"
            ]
        );
    }

    #[test]
    fn a_score_that_rounds_points_times_the_rate_holds() {
        let mut d = Doc::new();
        execution_rate(&mut d, "99.85");
        d.root("部门预算资金支出率").score("9.99").deduction("0.01");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn full_marks_at_a_rate_below_a_hundred_fire() {
        let mut d = Doc::new();
        d.root("专项资金执行率").points("3").score("3").rate("88.6");
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["专项资金执行率得分 3 分，按分值 3 分 × 执行率 88.6% 应为 2.66 分"]
        );
        assert_eq!((said(&f[0]).1, said(&f[0]).2), ("3", "2.66"));
        assert_eq!(
            quotes(&f[0]),
            ["专项资金执行率得分3分。", "专项资金执行率分值3分。", "专项资金执行率为88.6%。"]
        );
    }

    #[test]
    fn a_rate_above_a_hundred_is_capped_at_the_points() {
        let mut d = Doc::new();
        d.root("政府采购预算执行率").points("2").score("2").rate("103.6");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_product_exactly_halfway_holds_either_rounding() {
        // 5 × 92.5% = 4.625.
        for score in ["4.63", "4.62"] {
            let mut d = Doc::new();
            d.root("项目资金支出率").points("5").score(score).rate("92.5");
            assert_eq!(messages(&d.findings(check)), Vec::<&str>::new(), "{score}");
        }
    }

    #[test]
    fn the_indicators_own_rate_comes_before_the_reports() {
        let mut d = Doc::new();
        execution_rate(&mut d, "99");
        d.root("项目支出进度").points("10").score("9").rate("90");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn an_indicator_not_scored_by_a_rate_is_left_alone() {
        let mut d = Doc::new();
        execution_rate(&mut d, "99");
        d.root("资金使用合规性").points("10").score("5");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn without_a_rate_or_points_nothing_is_computed() {
        let mut d = Doc::new();
        d.root("预算执行率").points("10").score("5");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());

        let mut d = Doc::new();
        execution_rate(&mut d, "99");
        d.root("支出执行率").score("5");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_score_is_compared_at_the_digits_it_is_written_with() {
        // 10 × 98.67% = 9.867, which 9.9 rounds from.
        let mut d = Doc::new();
        let rate = d.percent("预算执行率", "98.67");
        d.root("预算执行率").points("10").score("9.9").rate("98.67");
        let _ = rate;
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
