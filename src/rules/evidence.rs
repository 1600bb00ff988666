//! Evidence: the page and quote of a statement, and the finding built
//! from a rule's message and its statements. What every rule needs to
//! point at its sentence.

use crate::model::{Code, Evidence, Finding, Statement};
use crate::segment::{Segments, Sentence};

/// What a rule needs to quote its evidence.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub seg: &'a Segments,
    pub page_at: &'a dyn Fn(usize) -> u32,
}

impl Ctx<'_> {
    /// A finding whose relation misses only by one unit of the last stated
    /// digit (see [`crate::number::one_unit_off`]) is a notice.
    pub fn rounding_slip(&self, mut finding: Finding, slip: bool) -> Finding {
        if slip {
            finding.severity = crate::model::Severity::Notice;
        }
        finding
    }

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
            self.clauses_quote(s, start, end)
        };
        let quote = quote.trim_end_matches(['，', '；', '：']);
        // A quote is cut where it is made, so a line of thousands of
        // statements never holds thousands of whole-line quotes.
        let quote = match quote
            .char_indices()
            .nth(crate::model::finding::MAX_QUOTE_CHARS)
        {
            Some((cut, _)) => format!(
                "{}{}",
                &quote[..cut],
                crate::model::finding::QUOTE_CUT_MARKER
            ),
            None => quote.to_string(),
        };
        Evidence {
            page: Some((self.page_at)(start)),
            quote,
            source: None,
        }
    }

    /// The clause with the figure, and enough before it to carry its
    /// label, cut at clause boundaries (「…」 where the sentence goes on).
    fn clauses_quote(&self, s: &Sentence, start: usize, end: usize) -> String {
        let k = s
            .clauses
            .iter()
            .position(|c| c.contains(&start) || c.end >= end)
            .unwrap_or(0);
        let first = self.subject_clause(s, k);
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
    }

    /// Goes back from clause `k` over clauses that have no subject of
    /// their own ("得分9.99分，" belongs to "采购政策效能分值1分，").
    fn subject_clause(&self, s: &Sentence, k: usize) -> usize {
        let mut first = k;
        while first > 0 {
            let c = self.text[s.clauses[first].clone()].trim_start_matches(crate::text::is_punct);
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
        first
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
            ocr: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Ctx;
    use crate::segment::segment;

    #[test]
    fn a_short_sentence_is_quoted_whole_on_its_page() {
        let text = "采购政策效能分值1分，得分9.99分。";
        let seg = segment(text);
        let cx = Ctx {
            text,
            seg: &seg,
            page_at: &|_| 3,
        };
        let at = text.find("9.99").unwrap();
        let e = cx.evidence_at(0, at, at + 4);
        assert_eq!(e.page, Some(3));
        assert_eq!(e.quote, text);
    }

    #[test]
    fn a_long_sentence_is_quoted_by_the_clause_with_the_figure_and_its_subject() {
        let text = "本单位按照区财政局统一部署开展2023年度部门整体支出绩效自评工作，\
                    成立了由主要负责人任组长的自评工作小组，对照指标体系逐项打分，\
                    采购政策效能分值1分，得分0.99分，扣0.01分，\
                    主要原因是政府采购预算编制不够精准，后续将加强采购计划管理。";
        assert!(text.chars().count() > 80);
        let seg = segment(text);
        let cx = Ctx {
            text,
            seg: &seg,
            page_at: &|_| 1,
        };
        let at = text.find("0.99").unwrap();
        let e = cx.evidence_at(0, at, at + 4);
        assert_eq!(e.quote, "…采购政策效能分值1分，得分0.99分，…");
        // A clause that names itself is quoted alone.
        let at = text.find("后续").unwrap();
        let e = cx.evidence_at(0, at, at + 6);
        assert_eq!(e.quote, "…后续将加强采购计划管理。");
    }
}
