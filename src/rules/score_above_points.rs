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
