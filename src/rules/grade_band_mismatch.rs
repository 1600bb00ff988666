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

#[cfg(test)]
mod tests {
    use super::check;
    use crate::model::Grade;
    use crate::rules::testing::{messages, one, quotes, said, Doc};

    /// The whole evaluation's total score and grade.
    fn total(d: &mut Doc, score: &str, grade: Grade) {
        d.report.evaluation.total_score = one(d.score("总得分", score));
        d.report.evaluation.grade = Some(d.grade(grade));
    }

    #[test]
    fn a_grade_above_the_scores_band_fires_with_the_grade_first() {
        let mut d = Doc::new();
        total(&mut d, "88.5", Grade::Excellent);
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("总得分 88.5 分对应等级应为「良」，报告为「优」", "优", "良")
        );
        assert_eq!(quotes(&f[0]), ["绩效等级为优。", "总得分88.5分。"]);
    }

    #[test]
    fn a_score_at_the_bottom_of_each_band_carries_its_grade() {
        for (score, grade) in [
            ("90", Grade::Excellent),
            ("80", Grade::Good),
            ("60", Grade::Fair),
            ("59.99", Grade::Poor),
            ("98.92", Grade::Excellent),
        ] {
            let mut d = Doc::new();
            total(&mut d, score, grade);
            assert_eq!(messages(&d.findings(check)), Vec::<&str>::new(), "{score}");
        }
    }

    #[test]
    fn a_hundredth_below_a_band_is_the_band_below() {
        let mut d = Doc::new();
        total(&mut d, "89.99", Grade::Excellent);
        assert_eq!(
            messages(&d.findings(check)),
            ["总得分 89.99 分对应等级应为「良」，报告为「优」"]
        );
    }

    #[test]
    fn a_grade_below_the_scores_band_fires_too() {
        let mut d = Doc::new();
        total(&mut d, "92", Grade::Good);
        assert_eq!(
            messages(&d.findings(check)),
            ["总得分 92 分对应等级应为「优」，报告为「良」"]
        );
    }

    #[test]
    fn a_projects_self_evaluation_is_checked_by_its_name() {
        let mut d = Doc::new();
        let graded = vec![
            d.graded("老年助餐项目", "90", Grade::Excellent),
            d.graded("道路养护项目", "85.2", Grade::Good),
            d.graded("河道保洁项目", "79.5", Grade::Good),
        ];
        d.report.graded = graded;
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("河道保洁项目 79.5 分对应等级应为「中」，报告为「良」", "良", "中")
        );
        assert_eq!(quotes(&f[0]), ["绩效等级为良。", "河道保洁项目自评得分79.5分。"]);
    }

    #[test]
    fn a_grade_without_a_score_or_a_conflicting_score_is_left_alone() {
        let mut d = Doc::new();
        d.report.evaluation.grade = Some(d.grade(Grade::Excellent));
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
        let mut q = one(d.score("总得分", "70"));
        q.push(d.score("总得分", "95"));
        d.report.evaluation.total_score = q;
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
