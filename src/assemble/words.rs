//! The words assembly reads a paragraph's structure by: headings, numbered
//! items, level-1 indicator names, total labels, change words.

use regex::Regex;
use std::sync::LazyLock;

/// The change words of a label: Some(true) for an increase, Some(false)
/// for a decrease, None when it is not a change.
pub(super) fn change_direction(raw: &str) -> Option<bool> {
    let against = [
        "比上年",
        "较上年",
        "同比",
        "比去年",
        "较去年",
        "上年相比",
        "去年相比",
    ]
    .iter()
    .any(|k| raw.contains(k));
    // 「与上年相比减少了」: the aspect particle changes nothing.
    let raw = raw.trim_end_matches('了');
    let up = ["增加", "增长", "上升", "提高", "增收", "增支"]
        .iter()
        .any(|k| raw.contains(k));
    let down = ["减少", "下降", "降低", "减收", "减支"]
        .iter()
        .any(|k| raw.contains(k));
    // 「增收4,376万元」, 「减支120万元」: revenue or spending up or down.
    let verb = |ws: &[&str]| ws.iter().any(|w| raw.ends_with(w));
    match (up, down) {
        (true, false) if against || verb(&["增加", "增长", "增收", "增支"]) => Some(true),
        (false, true) if against || verb(&["减少", "下降", "减收", "减支"]) => Some(false),
        _ => None,
    }
}

/// What a change's label names before its change words, without the
/// year: 「公务用车运行维护费较上年减少」 → 公务用车运行维护费, 「本年比上年增加」
/// → nothing.
pub(super) fn change_subject(label: &str) -> &str {
    let cut = [
        "与上年相比",
        "和上年相比",
        "上年相比",
        "去年相比",
        "比上年",
        "较上年",
        "同比",
        "比去年",
        "较去年",
        "增加",
        "增长",
        "上升",
        "提高",
        "减少",
        "下降",
        "降低",
        "增收",
        "减收",
        "增支",
        "减支",
    ]
    .iter()
    .filter_map(|k| label.find(k))
    .min()
    .unwrap_or(label.len());
    let s = label[..cut].trim_matches(crate::text::is_punct);
    let s = ["本年度", "本年", "今年", "当年"]
        .iter()
        .find_map(|y| s.strip_prefix(y))
        .unwrap_or(s);
    s.trim_matches(crate::text::is_punct)
}

/// 「按支出功能分类：…」: the items that follow divide an expenditure whole.
pub(super) static CLASSIFICATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?[从按](?:支出)?(?:功能|经济)(?:科目)?分类",
    )
    .unwrap()
});

/// A numbered heading that names what its section is about (「（二）履职效能分析」).
pub(super) static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、])\s*([^，。；：\d]{2,12}?)(?:完成情况|分析|情况)?$",
    )
    .unwrap()
});

/// A top-level heading (「一、」): it closes the section before.
pub(super) static TOP_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[一二三四五六七八九十]+、").unwrap());

/// A rate as of a date within the year is not the year's rate.
pub(super) static INTERIM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"截[至止]\d{1,2}月|\d{1,2}月(?:底|末|份)|上半年|前三季度|第[一二三]季度|序时进度")
        .unwrap()
});

/// 「二级指标X，」: the 二级指标 the paragraph is about.
pub(super) static LEVEL2_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d+[.、．]\s*)?二级指标([^\d，,；。：:、]{1,20})[，,：:]").unwrap()
});

/// 「1.某单位一级项目…」: a unit whose projects are listed.
pub(super) static UNIT_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+[.、．]\s*(.+?)一级项目").unwrap());

/// 「（1）」: an enumerated project's paragraph.
pub(super) static PROJECT_PARA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[（(]\d+[)）]").unwrap());

/// 「1.产出指标。…」, 「4.成本指标（权重5分）。…」: a numbered paragraph
/// that opens with the name of what it is about.
pub(super) static ITEM_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）])\s*([^，。；：:\d（(]{2,12}?)(?:[（(][^）)]*[)）])?[。：:]",
    )
    .unwrap()
});

/// Level-1 indicator names used across the bureau's templates.
pub(super) const LEVEL1_NAMES: &[&str] = &[
    "履职效能",
    "管理效率",
    "决策",
    "过程",
    "产出",
    "效益",
    "满意度",
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    "社会效益",
    "经济效益",
    "生态效益",
    "预算执行",
    "预算执行率",
];

/// Labels that name the total score rather than an indicator.
pub(super) const TOTAL_LABELS: &[&str] = &[
    "综合",
    "总",
    "自评总",
    "最终",
    "整体",
    "部门整体",
    "",
    "整体支出绩效",
    "绩效",
    "整体绩效",
    "部门整体绩效",
    "部门整体支出绩效",
    "绩效自评",
    "自评",
    "总分",
    "总得分",
    "综合得分",
    "合计",
    "总计",
    "自评总分",
    "绩效评价",
    "评价",
];

pub(super) const EXPENSE_TOTAL: &[&str] =
    &["支出合计", "总支出", "支出总计", "支出总额", "本年支出合计"];

/// Whether an amount so labelled is a whole that an expenditure
/// classification may divide: 支出合计 and the like, a 财政拨款支出, a
/// department's 支出预算.
pub(super) fn is_expenditure_whole(label: &str) -> bool {
    !label.contains("采购")
        && (EXPENSE_TOTAL.iter().any(|k| label.ends_with(k))
            || label.ends_with("财政拨款支出")
            || label == "支出预算"
            || label.ends_with("部门支出预算"))
}

pub(super) fn is_rate_label(label: &str) -> bool {
    ["支出进度", "执行率", "支出率", "执行进度", "执行比例"]
        .iter()
        .any(|k| label.contains(k))
}
