//! SCR004: a rate-based score is not points × rate (capped at the points).
//!
//! ## What it checks
//! An indicator scored by a rate — 预算执行率, 支出率, 支出进度 — earns its
//! points times the rate, never more than its points. The rate is the one
//! stated with the indicator, or else the report's execution rate. Points
//! not stated are taken as score + deduction when both are stated. A row
//! of a budget execution table with a 分值 and a 得分 of its own (基本支出,
//! 项目支出 in a 部门整体 form) is scored by its own rate: the stated one,
//! or its 执行数 ÷ 预算数.
//!
//! ## Why it matters
//! Templates fix this formula; a score that departs from it was set by hand.
//! A score with decimals is compared at the decimals it is written with
//! (9.9 means 9.85..9.95), since the formula's result is rounded to them.
//!
//! ## Example
//! 「部门预算资金支出率得分 9.9 分，扣 0.1 分」 with 支出进度 99.85% →
//! SCR004: 10 × 99.85% = 9.985, stated 9.9. 9.99 holds (9.985 rounds to it).

use crate::model::{Report, Statement};
use crate::rules::evidence::Ctx;
use crate::number::{Interval, Precision, Stated};
use crate::model::Finding;
use crate::model::Code;
use rust_decimal::Decimal;

const RATE_WORDS: &[&str] = &["执行率", "支出率", "支出进度", "执行进度"];

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    indicators(r, cx, out);
    budget_rows(r, cx, out);
}

/// Rate-scored indicators, with their own rate or the report's.
fn indicators(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
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
        if misses(s, points_iv, rate.interval().scale(hundredth)) {
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

/// Whether the score misses points × rate (capped at the points) for every
/// value the stated figures allow; `rate` is a fraction.
fn misses(s: &Statement, points: Interval, rate: Interval) -> bool {
    let expected = points.times(rate);
    let expected = Interval {
        lo: expected.lo.min(points.lo),
        hi: expected.hi.min(points.hi),
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
    !expected.intersects(&written.interval())
}

/// Rows of a budget execution table scored by themselves (a 分值 and a
/// 得分 in the row): the rate is the row's stated 执行率, else its 执行数 ÷
/// 预算数 (全年预算数, or 年初预算数 where the table has no other). The
/// first row's score is the 预算执行率 indicator's, checked above when a
/// rate is stated.
fn budget_rows(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let hundredth = Decimal::new(1, 2);
    let first_rated = r.execution_rate_percent.get().is_some()
        || r.budget_lines.first().is_some_and(|l| l.rate_percent.get().is_some());
    for (k, line) in r.budget_lines.iter().enumerate() {
        let (Some(p), Some(s)) = (line.points.get(), line.score.get()) else {
            continue;
        };
        if k == 0 && first_rated {
            continue;
        }
        let (rate, exact_rate, mut evidence, shown) = match line.rate_percent.get() {
            Some(rate) => (
                rate.interval().scale(hundredth),
                rate.value.value * hundredth,
                vec![cx.evidence(rate)],
                format!("执行率 {}% ", rate.value),
            ),
            None => {
                let Some(base) = line.budget.get().or(line.initial_budget.get()) else {
                    continue;
                };
                let Some(e) = line.executed.get().filter(|e| e.unit == base.unit) else {
                    continue;
                };
                let Some(rate) = e.interval().over(base.interval()) else {
                    continue;
                };
                let exact = e.value.value / base.value.value * Decimal::ONE_HUNDRED;
                (
                    rate,
                    exact * hundredth,
                    vec![cx.evidence(e), cx.evidence(base)],
                    format!(
                        "执行率 {}%（执行数 {} ÷ 预算数 {}）",
                        crate::number::round_half_up(exact, 2),
                        e.display(),
                        base.display()
                    ),
                )
            }
        };
        if !misses(s, p.interval(), rate) {
            continue;
        }
        let exp = crate::number::round_half_up(
            (p.value.value * exact_rate).min(p.value.value),
            2,
        );
        evidence.insert(0, cx.evidence(s));
        evidence.insert(1, cx.evidence(p));
        out.push(cx.finding(
            Code::SCR004,
            format!(
                "{}得分 {} 分，按分值 {} 分 × {shown}应为 {} 分",
                line.name, s.value, p.value, exp
            ),
            s.value.to_string(),
            exp.to_string(),
            evidence,
        ));
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
    fn a_budget_row_scored_by_itself_earns_points_times_its_executed_share() {
        // 基本支出: 720 ÷ 800 = 90%, 10 × 90% = 9, not 10; 项目支出 spent
        // more than its budget, so its 10 is capped full marks.
        let mut d = Doc::new();
        let total = d.budget_line("年度资金总额", "1000 万元", "", "1020 万元", "");
        let total = d.scored(total, "10", "10");
        let basic = d.budget_line("基本支出", "800 万元", "", "720 万元", "");
        let basic = d.scored(basic, "10", "10");
        let project = d.budget_line("项目支出", "200 万元", "", "300 万元", "");
        let project = d.scored(project, "10", "10");
        d.report.budget_lines = vec![total, basic, project];
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["基本支出得分 10 分，按分值 10 分 × 执行率 90.00%（执行数 720 万元 ÷ 预算数 800 万元）应为 9.00 分"]
        );
        assert_eq!((said(&f[0]).1, said(&f[0]).2), ("10", "9.00"));
        assert_eq!(
            quotes(&f[0]),
            ["基本支出得分10分。", "基本支出分值10分。", "基本支出全年执行数720万元。", "基本支出年初预算数800万元。"]
        );
    }

    #[test]
    fn a_budget_rows_score_is_compared_at_its_amounts_precision() {
        // 89.5 ÷ 100.0 is 89.45..89.55 of 99.95..100.05: 10 × it is 8.94..8.96.
        for (score, fires) in [("8.95", false), ("8.9", false), ("9", true)] {
            let mut d = Doc::new();
            let total = d.budget_line("年度资金总额", "", "100.0 万元", "89.5 万元", "");
            let total = d.scored(total, "10", score);
            d.report.budget_lines = vec![total];
            assert_eq!(d.findings(check).len(), usize::from(fires), "{score}");
        }
    }

    #[test]
    fn the_first_rows_score_is_the_indicators_when_a_rate_is_stated() {
        let mut d = Doc::new();
        let total = d.budget_line("年度资金总额", "", "100 万元", "80 万元", "80");
        let total = d.scored(total, "10", "10");
        d.report.budget_lines = vec![total];
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
