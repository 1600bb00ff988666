//! Shares of a whole the report names but does not state: 「“三公”经费预算
//! 支出中，因公出国（境）费支出110万元，占“三公”经费的18.85%；公务用车购置及
//! 运行费支出317.8万元，占…；公务接待费支出156.55万元，占…」. When every part
//! the whole is composed of ([`COMPOSITIONS`]) is stated in the paragraph,
//! each with its share of that whole, the whole is their sum, and each share
//! can be checked against it (PCT001).

use crate::model::composition::COMPOSITIONS;
use crate::model::{Breakdown, BreakdownPart, Quantity, Split, SplitItem, Statement};
use crate::read::{Fact, FactKind};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

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

/// The list of names a sentence divides a whole into: 「（二）按支出结构
/// 分类划分，分为基本支出预算和项目支出预算。」 → 基本支出预算, 项目支出预算.
static DIVIDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"分为(?P<list>[^，,。；;：:（(\d]{4,80}?)(?:两|三|四)?(?:部分|类)?[。；;]").unwrap()
});

/// A whole a paragraph divides into named parts (「分为A和B」), each part
/// then stated in the paragraphs that follow with its amount and its share
/// of one whole the report names (「1.基本支出预算2476260.58元，占一般公共
/// 预算支出的84.06%」…): the whole is the parts' sum, and each share is
/// checked against it (PCT001). Only a division the text says is complete,
/// with every named part found, is taken.
pub(super) fn divided_wholes(text: &str, seg: &Segments, facts: &[Fact]) -> Vec<Split> {
    let mut out = Vec::new();
    for s in &seg.sentences {
        let Some(c) = DIVIDED.captures(&text[s.span.clone()]) else {
            continue;
        };
        let names = divided_names(&c["list"]);
        if names.len() < 2 {
            continue;
        }
        let after: Vec<&Fact> = facts
            .iter()
            .filter(|f| f.paragraph > s.paragraph && f.paragraph <= s.paragraph + 8)
            .collect();
        out.extend(named_parts(&names, &after));
    }
    out
}

/// The names of a 「A、B和C」 list, each 2 to 16 characters.
fn divided_names(list: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for part in list.split('、') {
        names.extend(part.split(['和', '及']).map(|n| n.trim().to_string()));
    }
    let ok = names
        .iter()
        .all(|n| (2..=16).contains(&n.chars().count()) && !n.contains(crate::text::is_punct));
    if ok {
        names
    } else {
        Vec::new()
    }
}

/// Each name's first amount, with the share of a whole stated right after
/// it; a split when every name has one and every share is of one whole.
fn named_parts(names: &[String], facts: &[&Fact]) -> Option<Split> {
    let mut whole: Option<String> = None;
    let mut items = Vec::new();
    for name in names {
        let k = facts.iter().position(|f| {
            matches!(f.kind, FactKind::Amount(_))
                && !f.label.is_empty()
                && (f.label == *name
                    || name.starts_with(&f.label)
                    || f.label.starts_with(name.as_str()))
        })?;
        let share = facts.get(k + 1).filter(|f| f.kind == FactKind::Percent)?;
        let base = share.label.strip_prefix('占')?.trim_end_matches('的');
        if base.is_empty() || whole.as_deref().is_some_and(|w| w != base) {
            return None;
        }
        whole = Some(base.to_string());
        let mut amount = Quantity::default();
        amount.push(facts[k].statement()?);
        let mut share_percent = Quantity::default();
        share_percent.push(share.statement()?);
        items.push(SplitItem {
            name: name.clone(),
            amount,
            share_percent,
        });
    }
    let amounts: Vec<&Statement> = items.iter().filter_map(|i| i.amount.get()).collect();
    let mut total = Quantity::default();
    total.push(Statement::sum_of(&amounts)?);
    Some(Split { total, items })
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
