//! TPL001: template text left unfilled in the narrative.
//!
//! ## What it checks
//! The narrative of a 预算/决算 (and of any report) is written into a
//! template; what the writer was to fill in must not be left as the
//! template gives it: a reason left empty (「主要原因是。」), the template's
//! alternatives left unresolved before a change that is not zero
//! (「增加（减少）」, 「增长（下降）」), a placeholder (「XX万元」, 「待填写」).
//! Only prose is read: a table header may rightly say 「增加（减少）」, and a
//! change of zero may keep both words.
//!
//! ## Why it matters
//! A reviewer cannot tell what the unit meant: the explanation the
//! disclosure owes (why spending changed) is missing, and the text was
//! not read before it was published.
//!
//! ## Example
//! 「公务用车购置及运行费9.98万元，与上年持平，主要原因是。」 → TPL001 (the
//! reason is empty). 「增加（减少）0万元，增长（减少）0%」 holds.

use crate::model::{Code, Finding, Report, TemplateSlipKind};
use crate::rules::evidence::Ctx;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for s in &r.template_slips {
        let what = match s.kind {
            TemplateSlipKind::EmptyReason => "原因未填写",
            TemplateSlipKind::Alternatives => "增减方向未选定",
            TemplateSlipKind::Placeholder => "占位文字未替换",
        };
        out.push(cx.finding(
            Code::TPL001,
            format!("模板文字未填写：「{}」（{what}）", s.text),
            s.text.clone(),
            String::new(),
            vec![cx.evidence_at(s.sentence, s.span.start, s.span.end)],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::model::{TemplateSlip, TemplateSlipKind};
    use crate::rules::testing::{messages, quotes, Doc};

    #[test]
    fn each_slip_is_told_with_its_sentence() {
        let mut d = Doc::new();
        let (span, sentence) = d.write("公务用车购置费0万元，与上年持平，主要", "原因是", "");
        d.report.template_slips = vec![TemplateSlip {
            kind: TemplateSlipKind::EmptyReason,
            text: "原因是。".into(),
            span,
            sentence,
        }];
        let f = d.findings(check);
        assert_eq!(messages(&f), ["模板文字未填写：「原因是。」（原因未填写）"]);
        assert_eq!(quotes(&f[0]), ["公务用车购置费0万元，与上年持平，主要原因是。"]);
    }
}
