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
