//! Evidence: the page and quote of a statement, and the finding built
//! from a rule's message and its statements. What every rule needs to
//! point at its sentence.

use crate::model::{Code, Evidence, Finding, Statement};
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
                let c =
                    self.text[s.clauses[first].clone()].trim_start_matches(crate::text::is_punct);
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
