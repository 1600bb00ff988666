//! Projects listed with their amounts in one sentence (「一级项目五个，具体
//! 为：A经费X万元，…」).

use super::words::{change_direction, PROJECT_PARA, UNIT_HEADING};
use crate::model::*;
use crate::read::{Fact, FactKind};
use rust_decimal::Decimal;
use std::ops::Range;

/// 「一级项目五个，具体为：A经费806.52万元，B经费238.17万元，…」: a
/// sentence that counts the 一级项目 and then names as many amounts lists
/// the projects with their amounts (in a unit of its own, so that their
/// sum is checked against 项目支出). A listing that says it is partial
/// (主要, 部分), or whose amounts are not all named as projects (涉及资金,
/// 实际支出, a change), or are not as many as counted, is not one. Returns
/// the unit and the spans of the amounts it took.
pub(super) fn listed_projects(
    text: &str,
    fs: &[Fact],
    line: &str,
    si: usize,
) -> Option<(ProjectUnit, Vec<Range<usize>>)> {
    if UNIT_HEADING.is_match(line) || PROJECT_PARA.is_match(line) {
        return None;
    }
    let k = fs.iter().position(|f| {
        f.kind == FactKind::Count
            && (f.label.ends_with("一级项目") || f.follows.starts_with("一级项目"))
    })?;
    let count = fs[k].value?.value;
    let amounts: Vec<&Fact> = fs[k + 1..]
        .iter()
        .filter(|f| matches!(f.kind, FactKind::Amount(_)))
        .collect();
    if amounts.len() < 2 || Decimal::from(amounts.len()) != count {
        return None;
    }
    let intro = text.get(fs[k].span.end..amounts[0].span.start)?;
    if ["主要", "部分"].iter().any(|w| intro.contains(w)) {
        return None;
    }
    // A list says it is one (「具体为」, 「分别为」, 「包括」, 「：」); amounts
    // that merely follow the count (「资金总额X万元，到位资金Y万元」) are not.
    if !["具体为", "分别为", "包括", "：", ":"]
        .iter()
        .any(|w| intro.contains(w))
    {
        return None;
    }
    const NOT_A_PROJECT: &[&str] = &[
        "合计", "共计", "总计", "累计", "涉及", "预算", "执行", "实际", "结转", "结余", "支出",
        "资金", "总额", "到位", "安排", "下达", "拨付",
    ];
    // A 「其中」 amount is a part of the one before it, not a project.
    let part = |f: &Fact| {
        let raw = f.raw_label.trim_start_matches(crate::text::is_punct);
        let before = text.get(..f.span.start).unwrap_or_default();
        let clause = before.rsplit(['，', '；', '。']).next().unwrap_or_default();
        raw.starts_with("其中") || clause.contains("其中")
    };
    let named = amounts.iter().all(|f| {
        !f.label.is_empty()
            && !part(f)
            && change_direction(&f.raw_label).is_none()
            && !NOT_A_PROJECT.iter().any(|w| f.label.contains(w))
    });
    if !named {
        return None;
    }
    let projects = amounts
        .iter()
        .map(|f| {
            let mut amount = Quantity::default();
            amount.push(f.statement()?);
            Some(Project {
                name: f.label.clone(),
                amount,
                level2_count: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some((
        ProjectUnit {
            name: String::new(),
            sentence: si,
            projects,
            ..ProjectUnit::default()
        },
        amounts.iter().map(|f| f.span.clone()).collect(),
    ))
}
