//! Classify: a sentence's facts typed by their labels — points, score or
//! deduction (分值/得分/扣分 and their synonyms), shares, counts and totals
//! — and 分别 lists matched to their names.

use super::fact::{Fact, FactKind};
use super::label::{
    canonical_change, clean_label, prepare_raw, split_total, without_reason, LIST_SEPARATORS,
};
use crate::number::Precision;
use std::ops::Range;

/// Words that end a label and decide what kind of 分-figure follows.
pub(super) const DEDUCTION_KEYS: &[&str] = &["扣分为", "扣分", "扣减", "扣除", "扣", "减分", "减"];

pub(super) const POINTS_KEYS: &[&str] = &[
    "分值各为",
    "分值各",
    "分值为",
    "分值是",
    "分值",
    "权重各为",
    "权重各",
    "权重为",
    "权重",
    "满分各为",
    "满分各",
    "满分均为",
    "分值均为",
    "权重均为",
    "满分为",
    "满分",
    "标准分为",
    "标准分",
];

pub(super) const SCORE_KEYS: &[&str] = &[
    "得满分",
    "自评综合得分",
    "实际得分为",
    "实际得分",
    "实际得",
    "最终得分为",
    "最终得分",
    "最终得",
    "本项得分",
    "本项得",
    "自评得分为",
    "自评得分",
    "得分为",
    "得分是",
    "得分",
    "评分为",
    "评分",
    "自评为",
    "评为",
    "得",
    "计",
];

/// Words between a level marker and its count that add nothing
/// (「三级指标合计23个」).
pub(super) const COUNT_TOTAL_WORDS: &[&str] =
    &["合计", "共计", "总计", "共有", "总共", "一共", "合计共"];

/// Labels of a share ("比重为 12.03%", "所占比例为 34.43%"): read as 占比.
pub(super) const SHARE_WORDS: &[&str] = &["占比", "比重", "所占比重", "所占比例", "比例", "占比重"];

/// Decides each 分-figure's kind and cleans every label. `runs` are the
/// lists of figures of one kind (see [`list_runs`]): a list that says
/// 分别 gets one name per member. Returns the indices of figures that
/// must be dropped, as runs: a 分别 list of scores whose names cannot be
/// matched one to one would otherwise pin every score on one indicator.
pub(super) fn classify(facts: &mut [Fact], runs: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut c = Classifier::default();
    let kinds: Vec<FactKind> = facts.iter().map(|f| f.kind).collect();
    for k in 0..facts.len() {
        if facts[k].kind == FactKind::FullMarks {
            c.bare_points.append(&mut c.defaulted);
        }
        if let Some(run) = runs.iter().find(|r| r.start == k) {
            let p = plan_list(&facts[run.clone()], &facts[..k]);
            if p.is_none() && facts[k].raw_label.contains("分别") {
                c.unmatched.push(run.clone());
            }
            c.plan = Some((run.clone(), p));
        }
        if c.list_member(k, &mut facts[k]) {
            continue;
        }
        let share_first = (k > 0 && kinds[k - 1] == FactKind::Percent)
            .then(|| c.share_item.take())
            .flatten();
        let after_amount = k > 0 && matches!(kinds[k - 1], FactKind::Amount(_));
        c.figure(k, &mut facts[k], share_first, after_amount);
    }
    for &j in &c.bare_points {
        set_score_kind(&mut facts[j], FactKind::Points);
    }
    drop_unmatched(facts, c.unmatched)
}

/// What classifying a sentence's figures has learnt so far.
#[derive(Default)]
struct Classifier {
    /// The kind of the last 分-figure (points, score or deduction).
    last_score_kind: Option<FactKind>,
    /// 分别 lists whose names could not be matched.
    unmatched: Vec<Range<usize>>,
    /// The list being read, and its names if they could be matched.
    plan: Option<(Range<usize>, Option<ListPlan>)>,
    /// The item a share was stated for before its amount (「其他收入占总收入
    /// 的0.32%」).
    share_item: Option<String>,
    /// 分-figures whose kind nothing said, and those found to be points.
    defaulted: Vec<usize>,
    bare_points: Vec<usize>,
}

impl Classifier {
    /// A member of a list whose names were matched gets its name (and a
    /// 分-figure the list's kind); true when `f` was one.
    fn list_member(&mut self, k: usize, f: &mut Fact) -> bool {
        let Some((at, Some(p))) = self
            .plan
            .as_ref()
            .filter(|(run, _)| run.contains(&k))
            .map(|(run, p)| (k - run.start, p.as_ref()))
        else {
            return false;
        };
        if f.kind == FactKind::Score {
            let kind = p.kind.or(self.last_score_kind).unwrap_or(FactKind::Score);
            set_score_kind(f, kind);
            self.last_score_kind = Some(kind);
        }
        let (level, name) = p.names[at].clone();
        f.level = level;
        f.label = name.clone();
        f.raw_label = p.share_raw.clone().unwrap_or(name);
        true
    }

    /// A figure outside a matched list: its kind and its cleaned label.
    fn figure(&mut self, k: usize, f: &mut Fact, share_first: Option<String>, after_amount: bool) {
        if matches!(f.kind, FactKind::Amount(_) | FactKind::Percent) {
            if let Some(canonical) = canonical_change(&f.raw_label) {
                f.raw_label = canonical;
            }
        }
        let mut raw = prepare_raw(&f.raw_label);
        if f.kind == FactKind::Score {
            raw = self.score_figure(k, f, raw);
        }
        if f.kind.is_score_like() {
            self.last_score_kind = Some(f.kind);
        }
        let (level, label) = clean_label(&raw);
        f.level = level;
        if f.kind == FactKind::Count && count_label(f, &label) {
            return;
        }
        f.label = figure_label(f, label, &raw, share_first, after_amount);
        if f.kind == FactKind::Percent {
            self.share_item = f
                .label
                .find('占')
                .filter(|&i| i > 0)
                .map(|i| f.label[..i].to_string());
        }
    }

    /// A 分-figure: points, score or deduction by its keyword, else as the
    /// figures around it say. Returns the label without the keyword.
    fn score_figure(&mut self, k: usize, f: &mut Fact, raw: String) -> String {
        let (kind, rest, each) = score_kind(&raw);
        // 「本项目总分100分，其中预算执行率10分、产出指标50分…」: a total of
        // exactly 100 is what the scale allows, not what was scored.
        let hundred = f
            .value
            .is_some_and(|v| v.value == rust_decimal::Decimal::ONE_HUNDRED);
        let total_points = kind.is_none()
            && hundred
            && ["总分", "总分为", "总分是"]
                .iter()
                .any(|k| raw.ends_with(k));
        let kind = if total_points {
            Some(FactKind::Points)
        } else {
            kind
        };
        // 「采购政策效能1分，得0.99分」: a bare figure before a score
        // of the same indicator is its points; so are bare figures
        // that the sentence then says are 「均为满分」.
        if kind.is_none() && (self.last_score_kind.is_none() || !self.defaulted.is_empty()) {
            self.defaulted.push(k);
        } else if kind == Some(FactKind::Score) && clean_label(&rest).1.is_empty() {
            self.bare_points.extend(self.defaulted.pop());
            self.defaulted.clear();
        } else {
            self.defaulted.clear();
        }
        let kind = kind.or(self.last_score_kind).unwrap_or(FactKind::Score);
        set_score_kind(f, kind);
        f.each = each;
        rest
    }
}

/// A count's level from the words around it: 「下设7个二级指标、23个三级指标」
/// (the noun after the count says what is counted), 「三级指标合计23个」.
/// True when the count was so read (its label is then empty).
fn count_label(f: &mut Fact, label: &str) -> bool {
    let counted = [("一级指标", 1u8), ("二级指标", 2), ("三级指标", 3)]
        .iter()
        .find(|(m, _)| f.follows.starts_with(m));
    if let Some(&(_, l)) = counted {
        f.level = Some(l);
        f.label = String::new();
        return true;
    }
    if f.level.is_some() && COUNT_TOTAL_WORDS.contains(&label) {
        f.label = String::new();
        return true;
    }
    false
}

/// A figure's label, cleaned: the total a split names, the item a share
/// named before its amount, 占比 for a share, a score's label without its
/// reason.
fn figure_label(
    f: &Fact,
    label: String,
    raw: &str,
    share_first: Option<String>,
    after_amount: bool,
) -> String {
    if let (FactKind::Amount(_), Some(total)) = (f.kind, split_total(&label, raw)) {
        total.to_string()
    } else if let (FactKind::Amount(_), Some(item)) =
        (f.kind, share_first.filter(|_| label == "金额"))
    {
        // 「其他收入占总收入的0.32%，金额6.30万元」: the item named
        // with its share.
        item
    } else if f.kind == FactKind::Percent && SHARE_WORDS.contains(&label.as_str()) {
        "占比".to_string()
    } else if f.kind == FactKind::Percent && label.starts_with("约占") {
        label["约".len()..].to_string()
    } else if f.kind == FactKind::Percent
        && label.is_empty()
        && matches!(f.raw_label.trim(), "（" | "(")
        && after_amount
    {
        // 「其他收入6.30万元（0.32%）」: the amount's share.
        "占比".to_string()
    } else if f.kind.is_score_like() {
        without_reason(label)
    } else {
        label
    }
}

/// A 分别 list whose names could not be matched: its members say nothing
/// usable about any one name. Scores are dropped (returned), other figures
/// lose their labels.
fn drop_unmatched(facts: &mut [Fact], unmatched: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut drop = Vec::new();
    for run in unmatched {
        if facts[run.start].kind.is_score_like() {
            drop.push(run);
            continue;
        }
        for f in &mut facts[run] {
            f.label.clear();
            f.raw_label.clear();
            f.level = None;
        }
    }
    drop
}

fn set_score_kind(f: &mut Fact, kind: FactKind) {
    f.kind = kind;
    // Points and counts are exact; scores are kept to hundredths.
    if let Some(v) = f.value.as_mut() {
        v.precision = match kind {
            FactKind::Points => Precision::Exact,
            _ => Precision::AtLeast(2),
        };
    }
}

/// How the members of a 分别 list are named: one (level, label) per
/// member, the kind a 分-list announces, and for shares the words that
/// make them shares ("占总收入的").
#[derive(Clone, Debug, PartialEq, Eq)]
struct ListPlan {
    names: Vec<(Option<u8>, String)>,
    kind: Option<FactKind>,
    share_raw: Option<String>,
}

/// Runs of figures of one kind in one clause, each after the first
/// separated from the one before only by a list separator
/// ("1753.10、240.60和6.30万元", "87.66%、12.03%和0.32%").
pub(super) fn list_runs(facts: &[Fact], clause_of: &[usize]) -> Vec<Range<usize>> {
    let same = |a: FactKind, b: FactKind| {
        matches!((a, b), (FactKind::Amount(_), FactKind::Amount(_))) || a == b
    };
    let mut runs = Vec::new();
    let mut i = 0;
    while i < facts.len() {
        let mut j = i + 1;
        while j < facts.len()
            && facts[i].value.is_some()
            && facts[j].value.is_some()
            && clause_of[j] == clause_of[i]
            && same(facts[i].kind, facts[j].kind)
            && LIST_SEPARATORS.contains(&facts[j].raw_label.trim())
        {
            j += 1;
        }
        if j - i >= 2 {
            runs.push(i..j);
        }
        i = j;
    }
    runs
}

/// Names the members of a list from its head: "A、B和C分别为", "A和B的得分
/// 分别为", "分别占总收入的" (names from the amounts stated before it, in
/// `earlier`). None when the list says no 分别 (and is not a list of
/// shares), or when its names cannot be matched one to one.
fn plan_list(run: &[Fact], earlier: &[Fact]) -> Option<ListPlan> {
    let n = run.len();
    let kind0 = run[0].kind;
    let raw = prepare_raw(&run[0].raw_label);
    let (mut names_part, connector) = match raw.find("分别") {
        Some(i) => (raw[..i].to_string(), raw[i + "分别".len()..].to_string()),
        None if kind0 == FactKind::Percent && raw.contains('占') => (raw.clone(), String::new()),
        None => return None,
    };
    let mut kind = None;
    let mut share_raw = None;
    if kind0.is_score_like() {
        let connector = connector.trim_end_matches(['为', '是']);
        kind = score_kind(connector).0;
        let (k, rest, _) = score_kind(names_part.trim_end_matches('的'));
        if k.is_some() {
            names_part = rest;
        }
        kind = kind.or(k);
    } else if kind0 == FactKind::Percent {
        if let Some(i) = connector.find('占') {
            share_raw = Some(connector[i..].to_string());
        } else {
            let last_name_at = names_part.rfind('、').map_or(0, |i| i + '、'.len_utf8());
            if let Some(i) = names_part[last_name_at..]
                .find('占')
                .map(|i| i + last_name_at)
            {
                let i = if names_part[..i].ends_with('所') {
                    i - '所'.len_utf8()
                } else {
                    i
                };
                share_raw = Some(names_part[i..].trim_start_matches('所').to_string());
                names_part.truncate(i);
            } else if let Some(w) = ["的比重", "的比例", "比重", "比例"]
                .iter()
                .find(|w| names_part.ends_with(**w))
            {
                share_raw = Some("占比".to_string());
                names_part.truncate(names_part.len() - w.len());
            }
        }
    }
    let names_part = names_part.trim_end_matches('的');
    let names = if let Some(names) = split_names(names_part, n) {
        names
    } else if clean_label(names_part).1.is_empty() && !names_part.contains('、') {
        // "…、其他收入6.3万元，分别占总收入的…": the amounts just named;
        // "分值分别为…，得分分别为…": the names of the points.
        let named: Vec<&Fact> = earlier
            .iter()
            .filter(|f| {
                let same = if share_raw.is_some() {
                    matches!(f.kind, FactKind::Amount(_))
                } else {
                    f.kind == kind0 || (kind0.is_score_like() && f.kind.is_score_like())
                };
                same && !f.label.is_empty()
            })
            .collect();
        // 「优抚对象满意度为96%，退役军人满意度为94%，…分别扣0.4分和0.6分」:
        // the names of whatever figures came just before, for deductions
        // only (a score or points would make those names indicators).
        let named = if named.len() >= n || kind != Some(FactKind::Deduction) {
            named
        } else {
            earlier.iter().filter(|f| !f.label.is_empty()).collect()
        };
        if named.len() < n {
            return None;
        }
        named[named.len() - n..]
            .iter()
            .map(|f| (f.level, f.label.clone()))
            .collect()
    } else {
        return None;
    };
    Some(ListPlan {
        names,
        kind,
        share_raw,
    })
}

/// Splits "A、B和C" into n cleaned names: by 、, and the last piece once
/// more at its last 和/及/以及/与 when one name is still missing (names may
/// themselves contain 和: "商品和服务支出").
fn split_names(s: &str, n: usize) -> Option<Vec<(Option<u8>, String)>> {
    let mut parts: Vec<&str> = s.split('、').collect();
    if parts.len() + 1 == n {
        let last = parts.pop()?;
        let (i, w) = ["以及", "和", "及", "与"]
            .iter()
            .filter_map(|w| last.rfind(*w).map(|i| (i, *w)))
            .max_by_key(|&(i, _)| i)?;
        parts.push(&last[..i]);
        parts.push(&last[i + w.len()..]);
    }
    if parts.len() != n {
        return None;
    }
    let names: Vec<(Option<u8>, String)> = parts.iter().map(|p| clean_label(p)).collect();
    names
        .iter()
        .all(|(level, label)| level.is_some() || !label.is_empty())
        .then_some(names)
}

/// Splits a label into the kind its keyword announces, the label without
/// the keyword, and whether it says "各" (each).
pub(super) fn score_kind(raw: &str) -> (Option<FactKind>, String, bool) {
    let groups: [(&[&str], FactKind); 3] = [
        (DEDUCTION_KEYS, FactKind::Deduction),
        (POINTS_KEYS, FactKind::Points),
        (SCORE_KEYS, FactKind::Score),
    ];
    // The longest keyword at the end of the label wins.
    let mut best: Option<(&str, FactKind)> = None;
    for (keys, kind) in groups {
        for k in keys {
            if raw.ends_with(k) && best.is_none_or(|(b, _)| k.len() > b.len()) {
                best = Some((k, kind));
            }
        }
    }
    match best {
        Some((k, kind)) => {
            let rest = raw[..raw.len() - k.len()].to_string();
            let each = k.contains('各') || k.contains('均');
            // "得分各 2 分" is not a thing; "各" only qualifies points.
            (
                Some(kind),
                rest.trim_end_matches('各').to_string(),
                each || rest.ends_with('各'),
            )
        }
        None => (None, raw.to_string(), false),
    }
}
