//! Check: the report model → findings, by the rules in [`crate::rules`].
//!
//! Conflicting statements are resolved first (CON001): when one quantity is
//! stated twice with different values and the other relations of the
//! model back one of them, the relations are then checked on that value,
//! so that one typo is reported once as a contradiction rather than again
//! by every sum it breaks. Bounds (SCR001) are properties of a single
//! statement and are checked on every statement.

use crate::assemble::{Report, Statement};
use crate::record::{Evidence, Finding};
use crate::rules::{self, Code};
use crate::segment::Segments;

/// What a rule needs to quote its evidence.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub seg: &'a Segments,
    pub page_at: &'a dyn Fn(usize) -> u32,
}

impl Ctx<'_> {
    /// The page and a quote of the sentence around a statement.
    pub fn evidence(&self, st: &Statement) -> Evidence {
        self.evidence_at(st.sentence, st.span.start, st.span.end)
    }

    /// Evidence for a sentence, quoting the clauses around `start..end`.
    pub fn evidence_at(&self, sentence: usize, start: usize, end: usize) -> Evidence {
        let s = &self.seg.sentences[sentence];
        let full = &self.text[s.span.clone()];
        let quote = if full.chars().count() <= 80 {
            full.to_string()
        } else {
            // The clause with the figure, and enough before it to carry its
            // label, cut at clause boundaries.
            let k = s
                .clauses
                .iter()
                .position(|c| c.contains(&start) || c.end >= end)
                .unwrap_or(0);
            // Go back over clauses that have no subject of their own
            // ("得分9.99分，" belongs to "采购政策效能分值1分，").
            let mut first = k;
            while first > 0 {
                let c = self.text[s.clauses[first].clone()]
                    .trim_start_matches(crate::extract::is_punct);
                let dependent = [
                    "得分",
                    "得",
                    "扣",
                    "占",
                    "所占",
                    "比重",
                    "分别",
                    "其中",
                    "比上年",
                    "较上年",
                    "增长",
                    "下降",
                ]
                .iter()
                .any(|w| c.starts_with(w))
                    || c.chars().count() < 6
                    // 「收入合计：2000.00万元」: the name is before the colon.
                    || self.text[s.clauses[first - 1].clone()].ends_with(['：', ':']);
                if !dependent {
                    break;
                }
                first -= 1;
            }
            let a = s.clauses[first].start;
            let b = s.clauses[k].end;
            let mut q = String::new();
            if a > s.span.start {
                q.push('…');
            }
            q.push_str(&self.text[a..b]);
            if b < s.span.end {
                q.push('…');
            }
            q
        };
        Evidence {
            page: Some((self.page_at)(start)),
            quote: quote.trim_end_matches(['，', '；', '：']).to_string(),
        }
    }

    pub fn finding(
        &self,
        rule: Code,
        message: String,
        stated: String,
        expected: String,
        evidence: Vec<Evidence>,
    ) -> Finding {
        // One quote per place: drop a quote that another one contains.
        let core = |e: &Evidence| e.quote.trim_matches('…').to_string();
        let mut ev: Vec<Evidence> = Vec::new();
        for e in evidence {
            let c = core(&e);
            if let Some(k) = ev
                .iter()
                .position(|x| x.page == e.page && core(x).contains(&c))
            {
                let _ = k;
                continue;
            }
            if let Some(k) = ev
                .iter()
                .position(|x| x.page == e.page && c.contains(&core(x)))
            {
                // Keep the primary evidence first; widen it in place.
                ev[k] = e;
                continue;
            }
            ev.push(e);
        }
        Finding {
            rule,
            severity: rule.severity(),
            message,
            stated: Some(stated),
            expected: Some(expected),
            evidence: ev,
        }
    }
}

/// Resolves conflicts in the model, then runs every rule.
pub fn check(report: &mut Report, cx: &Ctx) -> Vec<Finding> {
    let resolutions = rules::conflicting_statements::resolve(report);
    let mut out = Vec::new();
    rules::conflicting_statements::check(report, &resolutions, cx, &mut out);
    rules::score_above_points::check(report, cx, &mut out);
    rules::deduction_mismatch::check(report, cx, &mut out);
    rules::child_scores_sum_mismatch::check(report, cx, &mut out);
    rules::rate_score_mismatch::check(report, cx, &mut out);
    rules::parts_sum_mismatch::check(report, cx, &mut out);
    rules::share_mismatch::check(report, cx, &mut out);
    rules::shares_not_hundred::check(report, cx, &mut out);
    rules::execution_rate_mismatch::check(report, cx, &mut out);
    rules::grade_band_mismatch::check(report, cx, &mut out);
    rules::count_mismatch::check(report, cx, &mut out);
    rules::growth_mismatch::check(report, cx, &mut out);
    out
}
