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
//!
//! ## Example
//! 「部门预算资金支出率得分 9.9 分，扣 0.1 分」 with 支出进度 99.85% →
//! SCR004: 10 × 99.85% = 9.985, stated 9.9. 9.99 holds (9.985 rounds to it).

use crate::model::Report;
use crate::rules::evidence::Ctx;
use crate::number::Interval;
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
        if !expected.intersects(&s.interval()) {
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
