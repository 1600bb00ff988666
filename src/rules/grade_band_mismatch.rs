//! GRD001: the grade does not match the score band.
//!
//! ## What it checks
//! The stated grade (绩效等级) against the total score — and against a
//! project's self-evaluation score when the report grades its projects: 优
//! for 90 and above, 良 for 80 to under 90, 中 for 60 to under 80, 差 under
//! 60.
//!
//! ## Why it matters
//! The grade is what the bureau publishes and acts on; it must follow from
//! the score.
//!
//! ## Example
//! 「绩效自评为 88.5 分，绩效等级为优」 → GRD001: 88.5 is 良. 「98.92 分，
//! 等级为优」 holds.

use crate::model::{Report, Statement};
use crate::rules::evidence::Ctx;
use crate::model::Grade;
use crate::model::{Evidence, Finding};
use crate::model::Code;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let ev = &r.evaluation;
    if let (Some(score), Some((grade, span, sentence))) = (ev.total_score.get(), ev.grade.as_ref())
    {
        let grade_ev = cx.evidence_at(*sentence, span.start, span.end);
        check_one("总得分", score, *grade, grade_ev, cx, out);
    }
    for g in &r.graded {
        let grade_ev = cx.evidence_at(g.grade_sentence, g.grade_span.start, g.grade_span.end);
        check_one(&g.name, &g.score, g.grade, grade_ev, cx, out);
    }
}

fn check_one(
    name: &str,
    score: &Statement,
    grade: Grade,
    grade_ev: Evidence,
    cx: &Ctx,
    out: &mut Vec<Finding>,
) {
    let iv = score.interval();
    // Any value the rounded score may stand for can carry the grade.
    if Grade::for_score(iv.lo) == grade || Grade::for_score(iv.hi) == grade {
        return;
    }
    let expected = Grade::for_score(score.value.value);
    out.push(cx.finding(
        Code::GRD001,
        format!(
            "{name} {} 分对应等级应为「{}」，报告为「{}」",
            score.value,
            expected.as_str(),
            grade.as_str()
        ),
        grade.as_str().into(),
        expected.as_str().into(),
        vec![grade_ev, cx.evidence(score)],
    ));
}
