//! GRW001: a stated change against last year does not follow from the figures.
//!
//! ## What it checks
//! 「X 万元，比上年增加 Δ 万元，增长 Y%」 (also 减少/下降): when last year's
//! amount is stated, Δ must equal this year − last year; and Y must equal
//! Δ ÷ last year, where last year is the stated one or this year − Δ.
//!
//! ## Why it matters
//! Year-on-year changes are what the 决算 explanations are read for; a
//! change that does not follow from the two years' figures misleads.
//!
//! ## Example
//! 「支出合计 1200 万元，比上年增加 200 万元，增长 25%」 → GRW001: 200 ÷
//! (1200 − 200) = 20%. 「增长 20%」 holds.

use crate::model::Report;
use crate::rules::evidence::Ctx;
use crate::number::Interval;
use crate::model::Finding;
use crate::model::Code;
use rust_decimal::Decimal;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let hundredth = Decimal::new(1, 2);
    for c in &r.changes {
        let sign = if c.increase {
            Decimal::ONE
        } else {
            -Decimal::ONE
        };
        let cur = c.current.interval();
        let delta = c.delta.as_ref().map(|d| d.interval().scale(sign));
        // Last year: stated, or this year minus the change.
        let prev: Option<Interval> = c
            .previous
            .as_ref()
            .map(|p| p.interval())
            .or(delta.map(|d| cur.minus(d)));
        if let (Some(p), Some(d), Some(ds)) = (c.previous.as_ref(), delta, c.delta.as_ref()) {
            if !cur.minus(p.interval()).intersects(&d) {
                let exp = (c.current.value.value - p.value.value).abs();
                out.push(cx.finding(
                    Code::GRW001,
                    format!(
                        "{}本年 {}，上年 {}，变动额应为 {}{}，报告为 {}",
                        c.name,
                        c.current.display(),
                        p.display(),
                        exp,
                        ds.unit.map(|u| format!(" {}", u.as_str())).unwrap_or_default(),
                        ds.display()
                    ),
                    ds.value.to_string(),
                    exp.to_string(),
                    vec![cx.evidence(ds), cx.evidence(&c.current), cx.evidence(p)],
                ));
                continue;
            }
        }
        let (Some(pct), Some(prev), Some(d)) = (c.percent.as_ref(), prev, delta) else {
            continue;
        };
        if prev.lo <= Decimal::ZERO {
            continue;
        }
        // pct/100 × prev must be able to equal the change.
        let implied = pct.interval().scale(hundredth * sign).times(prev);
        if !implied.intersects(&d) {
            let prev_v = (prev.lo + prev.hi) / Decimal::TWO;
            let d_v = (d.lo + d.hi) / Decimal::TWO;
            let exp = crate::number::round_half_up(
                (d_v / prev_v * Decimal::ONE_HUNDRED).abs(),
                pct.value.value.scale().max(2),
            );
            let mut evidence = vec![cx.evidence(pct), cx.evidence(&c.current)];
            if let Some(ds) = &c.delta {
                evidence.push(cx.evidence(ds));
            }
            out.push(cx.finding(
                Code::GRW001,
                format!(
                    "{}变动幅度报告为 {}%，按变动额与上年数计算应为 {}%",
                    c.name, pct.value, exp
                ),
                pct.value.to_string(),
                exp.to_string(),
                evidence,
            ));
        }
    }
}
