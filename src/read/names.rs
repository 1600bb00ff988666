//! Names of what a score is about: a lone name clause before it (an item
//! title, a clause after a colon, 「效益指标方面」), or the one indicator the
//! paragraph has named; reasons and summaries are no names.

use super::classify::score_kind;
use super::fact::{Fact, FactKind};
use super::label::{clean_label, prepare_raw, ENUMERATOR, SELF_REF};
use crate::text::is_punct;
use std::ops::Range;

/// Words of a sentence that tells what happened or why, which an
/// indicator's name does not have ("城市书房建设未在年底前全部完成，评分为
/// 9分", "因部分社区活动参与度不高扣1分").
pub(super) const NARRATIVE: &[&str] = &["未", "没有", "因", "由于", "导致", "尚", "仍", "但", "已"];

pub(super) fn is_narrative(s: &str) -> bool {
    NARRATIVE.iter().any(|w| s.contains(w))
}

/// Words of a heading over the whole evaluation ("（一）自评结论：得分98.92
/// 分"), whose score is the total, not an indicator's; and of a sentence
/// that sums up ("综上，本部门得分98.92分").
pub(super) const SUMMARY_WORDS: &[&str] = &[
    "结论",
    "总体",
    "综合",
    "自评",
    "总分",
    "合计",
    "总计",
    "得分情况",
    "评分情况",
    "综上",
];

/// Words that point back at the indicator a paragraph is about
/// ("该项评分为19.5分").
pub(super) const BACK_REFERENCES: &[&str] = &[
    "该项",
    "该指标",
    "该项指标",
    "此项",
    "本项",
    "此指标",
    "本指标",
];

/// The indicators a paragraph has named so far, for the scores of its
/// later sentences that name none: 「4.成本指标（权重5分）。各项活动均控制在
/// 预算范围内，得5分。」 is 成本指标's score, and so is 「该项评分为19.5分」.
#[derive(Default)]
pub(super) struct ParagraphNames {
    paragraph: usize,
    names: Vec<(Option<u8>, String)>,
}

impl ParagraphNames {
    /// `item`: the paragraph is an enumerated item ("1．…", "（2）…"),
    /// about one indicator; only there does a later deduction that names
    /// nothing belong to it (in a section's paragraph, 「…逾期，扣1分」 is
    /// some sub-item's).
    pub(super) fn resolve(&mut self, paragraph: usize, item: bool, facts: &mut [Fact]) {
        if paragraph != self.paragraph {
            self.paragraph = paragraph;
            self.names.clear();
        }
        let mut scored_before = false;
        for f in facts.iter_mut().filter(|f| f.kind.is_score_like()) {
            if f.each {
                scored_before = true;
                continue;
            }
            if BACK_REFERENCES.contains(&f.label.as_str()) {
                if let Some((level, name)) = self.names.last() {
                    f.label = name.clone();
                    f.level = f.level.or(*level);
                }
            } else if f.label.is_empty()
                && !scored_before
                && self.names.len() == 1
                && (item || f.kind != FactKind::Deduction)
                && !sums_up(&f.raw_label)
            {
                // Within one sentence the assembler already keeps the
                // indicator the sentence is on.
                let (level, name) = &self.names[0];
                f.label = name.clone();
                f.level = f.level.or(*level);
            }
            if !f.label.is_empty() && !self.names.iter().any(|(_, n)| *n == f.label) {
                self.names.push((f.level, f.label.clone()));
            }
            scored_before = true;
        }
    }
}

/// Whether a score's raw label speaks of the whole unit or sums up
/// ("综上，本部门得分", "本局整体得分"): its score is no indicator's.
pub(super) fn sums_up(raw: &str) -> bool {
    let raw = prepare_raw(raw);
    SELF_REF.is_match(&raw) || SUMMARY_WORDS.iter().any(|w| raw.contains(w)) || raw.contains("整体")
}

/// Whether a label says only which kind of 分-figure follows ("满分",
/// "得", "分值为"), and no name.
pub(super) fn is_bare_keyword(raw: &str) -> bool {
    let (kind, rest, _) = score_kind(&prepare_raw(raw));
    kind.is_some() && clean_label(&rest).1.is_empty()
}

/// Words that open a clause about the evaluation, not an indicator's name
/// ("经综合评价，得分95分").
pub(super) const NOT_A_NAME_START: &[&str] = &[
    "经", "按", "根据", "依据", "通过", "综上", "总体", "总的", "其中", "对", "在", "由于", "因",
    "为", "从", "结合", "截至", "截止", "本", "我", "该", "全年", "今年", "此外", "同时",
];

/// The name stated alone in clause `k` of a sentence, if it is one: the
/// title of an enumerated item paragraph ("1．部门预算资金支出率，满分10分"),
/// a clause after a colon ("（1）预算编制：新增预算项目事前绩效评估，满分
/// 3分") or after a level marker ("三级指标结转结余率、财务管理合规性，满分
/// 各2分") or that says what it is about ("效益指标方面，满分30分"), without
/// figures, short, not opening with a connective, not
/// telling what happened. Any other clause ("部分项目跨年度实施，扣减0.06分",
/// a 偏差原因 cell wrapped out of its table: "晚于计划，扣1.5分") is more
/// likely a reason than a name.
pub(super) fn name_clause(
    text: &str,
    clauses: &[Range<usize>],
    k: usize,
    opens_paragraph: bool,
) -> Option<String> {
    let after_colon = k
        .checked_sub(1)
        .is_some_and(|j| text[clauses[j].clone()].ends_with(['：', ':']));
    let clause = &text[clauses[k].clone()];
    let raw = prepare_raw(clause);
    let marked = ["三级指标", "二级指标"].iter().any(|m| raw.starts_with(m));
    let item_title = k == 0 && opens_paragraph && ENUMERATOR.is_match(clause.trim());
    // 「效益指标方面，满分30分」: the clause names what it is about.
    let about = raw.trim_end_matches(is_punct).strip_suffix("方面");
    if !(item_title || after_colon || marked || about.is_some()) {
        return None;
    }
    let name = about.unwrap_or(&raw).trim_end_matches(is_punct);
    let ok = !name.is_empty()
        && name.chars().count() <= 30
        && !is_narrative(name)
        && !SUMMARY_WORDS.iter().any(|w| name.contains(w))
        && !name.chars().any(|c| c.is_ascii_digit() || c == '%')
        && !NOT_A_NAME_START.iter().any(|w| name.starts_with(w))
        && !name.contains(['，', '。', '；']);
    ok.then(|| name.to_string())
}
