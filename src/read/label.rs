//! Labels: the words before a figure, cleaned of connectives (其中, 共, 为,
//! 达到…) by jieba tokens, so that 「其中一般公共预算财政拨款收入为」 is the
//! label 一般公共预算财政拨款收入.

use crate::segment::tokens;
use crate::text::is_punct;
use regex::Regex;
use std::sync::LazyLock;

/// A leading year (「2023年度」), which is no part of a name.
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:19|20)\d{2}年度?").unwrap());

/// How a unit names itself: 我馆, 本局, 本单位, 我中心…
pub(super) static SELF_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:综上所述|综上|总体来看|总的来看)?[，,]?(?:我|本)(?:馆|局|院|委|办|中心|单位|部门|所|校|站|厅|部|处|会|队|项目)",
    )
    .unwrap()
});

/// An enumerated item's marker: （一） (3) 1. 2、 一、 一是.
pub(super) static ENUMERATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+[、是])")
        .unwrap()
});

/// What stands between the members of a list of figures.
pub(super) const LIST_SEPARATORS: &[&str] = &["、", "和", "及", "以及", "与", "或", ","];

/// Leading words of a reason ("因…扣1分"): what follows is no name.
const REASON_START: &[&str] = &["因", "由于", "主要因", "主要由于", "原因"];

/// A score's label without the reason written into it: 「因部分社区活动参与度
/// 不高扣1分」 and 「…扣分原因扣减0.12分」 name nothing, 「财务管理合规性因
/// 个别凭证附件不全扣0.5分」 names 财务管理合规性.
pub(super) fn without_reason(label: String) -> String {
    if REASON_START.iter().any(|w| label.starts_with(w)) || label.contains("原因") {
        return String::new();
    }
    let cut = ["由于", "因为", "因"]
        .iter()
        .filter_map(|w| label.find(w))
        .filter(|&i| !label[i..].starts_with("因素"))
        .min();
    match cut {
        Some(i) => label[..i].to_string(),
        None => label,
    }
}

/// Leading words that connect a clause to the previous one and are not part
/// of a label.
pub(super) const LEADING_STOPS: &[&str] = &[
    "其中",
    "包括",
    "主要",
    "我馆",
    "本部门",
    "本单位",
    "共",
    "合计共",
    "全年",
    "本次",
    "此次",
    "截至",
    "另",
    "以及",
    "和",
    "及",
    "与",
    "，",
    "、",
    "；",
];

/// Trailing words between a label and its figure.
pub(super) const TRAILING_STOPS: &[&str] = &[
    "为", "是", "达", "达到", "约", "仅", "共", "共计", "的", "已",
];

/// Drops leading punctuation, but keeps an opening quote or bracket whose
/// partner is in the label (「“三公”经费」 keeps its quotes).
pub(super) fn trim_leading_punct(s: &str) -> &str {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let partner = match c {
            '“' => Some('”'),
            '《' => Some('》'),
            '（' => Some('）'),
            '(' => Some(')'),
            _ => None,
        };
        let keep = partner.is_some_and(|p| rest.contains(p));
        if !is_punct(c) || keep {
            break;
        }
        rest = &rest[c.len_utf8()..];
    }
    rest
}

/// A label as written, without what belongs to an earlier phrase: text
/// before a closing bracket ("（含…8个二级项目）整体支出绩效自评为" labels the
/// score "整体支出绩效"), enumerators and leading punctuation.
pub(super) fn prepare_raw(raw: &str) -> String {
    // 「公共安全（类）支出」, 「检察（款）行政运行（项）支出」: the level marks
    // of a budget subject are part of its name, not an earlier phrase.
    let mut raw = ["（类）", "（款）", "（项）", "(类)", "(款)", "(项)"]
        .iter()
        .fold(raw.trim().to_string(), |r, m| r.replace(m, ""));
    if let Some(i) = raw.rfind(['）', ')']) {
        let rest = &raw[i + raw[i..].chars().next().map_or(1, char::len_utf8)..];
        if !rest.is_empty() {
            raw = rest.to_string();
        }
    }
    loop {
        let before = raw.clone();
        if let Some(m) = ENUMERATOR.find(&raw) {
            raw = raw[m.end()..].to_string();
        }
        raw = raw.trim_start_matches(is_punct).to_string();
        if raw == before {
            break;
        }
    }
    raw
}

/// The whole income or expenditure stated without 合计: 「收入共计2000万元」,
/// 「全年收入…」, 「共取得收入…」, 「本年支出…」 say 收入合计 / 支出合计 (but
/// not 「上年收入」 or a change against it).
pub(super) fn split_total(label: &str, raw: &str) -> Option<&'static str> {
    if ["上年", "去年", "比", "较", "同比"]
        .iter()
        .any(|w| raw.contains(w))
    {
        return None;
    }
    match label {
        "收入" | "取得收入" | "共取得收入" | "实现收入" | "本年收入" | "全年收入" | "全部收入" => {
            Some("收入合计")
        }
        "支出" | "本年支出" | "全年支出" | "全部支出" | "实现支出" => {
            Some("支出合计")
        }
        _ => None,
    }
}

/// The change words of a label in the form the assembler reads: 「增幅」,
/// 「增长率」, 「增长幅度」 are 增长; 「降幅」, 「下降幅度」, 「减幅」 are 下降;
/// 「比上年多/少」 is 比上年增加/减少. The rest of the label is kept.
pub(super) fn canonical_change(raw: &str) -> Option<String> {
    let t = raw.trim_end_matches(['为', '是', '达', '了']);
    for (word, canonical) in [
        ("增长幅度", "增长"),
        ("增长率", "增长"),
        ("增幅", "增长"),
        ("下降幅度", "下降"),
        ("降幅", "下降"),
        ("减幅", "下降"),
        ("减少幅度", "下降"),
    ] {
        if let Some(head) = t.strip_suffix(word) {
            return Some(format!("{head}{canonical}"));
        }
    }
    let against = ["比上年", "较上年", "比去年", "较去年"]
        .iter()
        .any(|k| t.contains(k));
    if against {
        if let Some(head) = t.strip_suffix('多') {
            return Some(format!("{head}增加"));
        }
        if let Some(head) = t.strip_suffix('少') {
            return Some(format!("{head}减少"));
        }
    }
    None
}

/// Removes connectives, years and level markers from a label with jieba
/// tokens; returns the indicator level it names, if any.
pub fn clean_label(raw: &str) -> (Option<u8>, String) {
    let mut s = raw.to_string();
    let mut level = None;
    for _ in 0..4 {
        let before = s.clone();
        s = YEAR.replace(&s, "").into_owned();
        s = SELF_REF.replace(&s, "").into_owned();
        // A first token that is a stop word starts the label with it: only
        // then is the label worth tokenizing (jieba's cut is most of the
        // cost of reading a report's prose).
        if LEADING_STOPS.iter().any(|w| s.starts_with(w)) {
            let toks = tokens(&s);
            if let Some(first) = toks.first() {
                if LEADING_STOPS.contains(first) {
                    s = s[first.len()..].to_string();
                }
            }
        }
        for (marker, l) in [("一级指标", 1u8), ("二级指标", 2), ("三级指标", 3)] {
            if let Some(rest) = s.strip_prefix(marker) {
                level = Some(l);
                s = rest.to_string();
            }
        }
        s = trim_leading_punct(&s).to_string();
        if s == before {
            break;
        }
    }
    loop {
        if !TRAILING_STOPS.iter().any(|w| s.ends_with(w)) {
            break;
        }
        let toks = tokens(&s);
        match toks.last() {
            Some(last) if TRAILING_STOPS.contains(last) && s.len() > last.len() => {
                s.truncate(s.len() - last.len());
            }
            _ => break,
        }
    }
    (level, s.trim_end_matches(is_punct).to_string())
}
