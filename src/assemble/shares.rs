//! Shares of a whole the report names but does not state: 「“三公”经费预算
//! 支出中，因公出国（境）费支出110万元，占“三公”经费的18.85%；公务用车购置及
//! 运行费支出317.8万元，占…；公务接待费支出156.55万元，占…」. When every part
//! the whole is composed of ([`COMPOSITIONS`]) is stated in the paragraph,
//! each with its share of that whole, the whole is their sum, and each share
//! can be checked against it (PCT001).

use crate::model::composition::COMPOSITIONS;
use crate::model::{Breakdown, BreakdownPart, Quantity, Statement};
use crate::read::{Fact, FactKind};

/// The breakdowns implied by the shares of each paragraph.
pub(super) fn implied_breakdowns(facts: &[Fact]) -> Vec<Breakdown> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < facts.len() {
        let pi = facts[start].paragraph;
        let end = start + facts[start..].partition_point(|f| f.paragraph == pi);
        out.extend(paragraph_breakdown(&facts[start..end]));
        start = end;
    }
    out
}

/// The breakdown one paragraph implies, if it states every required part
/// of a composition, each followed by its share of the composition's whole.
fn paragraph_breakdown(facts: &[Fact]) -> Option<Breakdown> {
    let mut whole: Option<(usize, String)> = None;
    let mut parts: Vec<BreakdownPart> = Vec::new();
    for pair in facts.windows(2) {
        let (amount, share) = (&pair[0], &pair[1]);
        if !matches!(amount.kind, FactKind::Amount(_)) || share.kind != FactKind::Percent {
            continue;
        }
        let Some(base) = share.label.strip_prefix('占') else {
            continue;
        };
        let base = base.trim_end_matches('的').to_string();
        let Some(c) = COMPOSITIONS.iter().position(|c| (c.total)(&base)) else {
            continue;
        };
        match &whole {
            Some((w, _)) if *w != c => return None,
            _ => whole = Some((c, base.clone())),
        }
        let raw = amount.raw_label.trim_start_matches(crate::text::is_punct);
        let slot = COMPOSITIONS[c]
            .parts
            .iter()
            .position(|(_, m)| m(&amount.label, &base) || m(raw, &base))?;
        if parts.iter().any(|p| p.slot == slot) {
            return None;
        }
        let mut share_percent = Quantity::default();
        share_percent.push(share.statement()?);
        parts.push(BreakdownPart {
            name: COMPOSITIONS[c].parts[slot].0.to_string(),
            slot,
            amount: amount.statement()?,
            share_percent,
        });
    }
    let (c, base) = whole?;
    let comp = &COMPOSITIONS[c];
    let complete = (0..comp.parts.len())
        .filter(|&k| comp.required >> k & 1 == 1)
        .all(|k| parts.iter().any(|p| p.slot == k));
    if !complete || parts.len() < 2 {
        return None;
    }
    let amounts: Vec<&Statement> = parts.iter().map(|p| &p.amount).collect();
    let total = Statement::sum_of(&amounts)?;
    Some(Breakdown {
        name: format!("{base}（各项之和）"),
        composition: c,
        total,
        parts,
        paragraph: facts[0].paragraph,
    })
}

#[cfg(test)]
mod tests {
    use super::implied_breakdowns;
    use crate::read::read;
    use crate::segment::segment;

    #[test]
    fn the_three_parts_of_sangong_with_their_shares_imply_the_whole() {
        let t = "“三公”经费预算支出中，因公出国（境）费支出110万元，占“三公”经费的18.85%；公务用车购置及运行费支出317.8万元，占“三公”经费的54.43%；公务接待费支出156.55万元，占“三公”经费的26.72%。";
        let seg = segment(t);
        let r = read(t, &seg, &[]);
        let b = implied_breakdowns(&r.facts);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].total.value.to_string(), "584.35");
        assert_eq!(b[0].parts.len(), 3);
    }
}
