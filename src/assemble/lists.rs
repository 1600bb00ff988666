//! Counts followed by the names they count: 「直属事业单位10个，即A、B、C。」,
//! 「设9个内设机构，分别为：A、B…。」 — an organization's units, its
//! internal offices, the bodies in its budget.

use crate::model::{NamedList, Statement};
use crate::read::{Fact, FactKind};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

/// After the count: the noun it counts (if it follows), then the words that
/// introduce the names, then the names to the end of the clause.
static INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<noun>[^，,。；;：:、\d]{0,12}?)[，,]?(?:即|分别为|分别是|包括|具体为|具体是)[：:]?(?P<list>[^。；;]+)")
        .unwrap()
});

/// What an organization's count counts: units, offices, bodies. A count
/// of anything else (人, 项目, 指标) is not a list of names.
const UNIT_NOUNS: &[&str] = &[
    "机构", "单位", "科室", "股室", "处室", "部门", "中心", "站所", "下属",
];

/// The named list a count opens, if the text after it introduces the names
/// of what it counts and gives them all: a list that ends with 等 (and
/// others), or whose items are not names (a figure, a clause), is none.
pub(super) fn named_list(text: &str, seg: &Segments, f: &Fact) -> Option<NamedList> {
    if f.kind != FactKind::Count {
        return None;
    }
    let count: Statement = f.statement()?;
    let sentence = &seg.sentences[f.sentence];
    let rest = &text[f.span.end..sentence.span.end];
    let c = INTRO.captures(rest)?;
    let noun = c["noun"].trim();
    let what = if noun.is_empty() {
        f.label.as_str()
    } else {
        noun
    };
    if !UNIT_NOUNS.iter().any(|w| what.contains(w)) {
        return None;
    }
    let list = c["list"].trim_end_matches(|ch: char| "，,。；;".contains(ch));
    if list.contains('等') || list.contains("其中") {
        return None;
    }
    let names: Vec<String> = list.split('、').map(|n| n.trim().to_string()).collect();
    let is_name = |n: &str| {
        (2..=24).contains(&n.chars().count())
            && !n.contains(|ch: char| ch.is_ascii_digit() || "，,（(".contains(ch))
    };
    if names.len() < 2 || !names.iter().all(|n| is_name(n)) {
        return None;
    }
    let joined = names
        .last()
        .is_some_and(|n| n.contains('和') || n.contains('及'));
    Some(NamedList {
        what: what.to_string(),
        count,
        names,
        joined,
    })
}

#[cfg(test)]
mod tests {
    use super::named_list;
    use crate::read::read;
    use crate::segment::segment;

    fn lists(t: &str) -> Vec<(String, String, usize, bool)> {
        let seg = segment(t);
        let r = read(t, &seg, &[]);
        r.facts
            .iter()
            .filter_map(|f| named_list(t, &seg, f))
            .map(|l| (l.what, l.count.value.to_string(), l.names.len(), l.joined))
            .collect()
    }

    #[test]
    fn a_count_of_units_then_their_names_is_a_named_list() {
        assert_eq!(
            lists("本局设3个内设机构，分别为：办公室、预算股、国库股。"),
            [("内设机构".to_string(), "3".to_string(), 3, false)]
        );
        assert_eq!(
            lists("直属事业单位2个，即县国库集中支付中心、县会计服务中心和县财政所。"),
            [("直属事业单位".to_string(), "2".to_string(), 2, true)]
        );
    }

    #[test]
    fn a_list_with_others_or_of_other_things_is_none() {
        assert!(lists("下设办公室、预算股等16个股室。").is_empty());
        assert!(lists("设3个内设机构，分别为：办公室、预算股等。").is_empty());
        assert!(lists("完成项目3个，分别为：道路修缮、绿化提升、路灯改造。").is_empty());
        assert!(lists("下属单位2个，分别为：甲单位120人、乙单位80人。").is_empty());
    }
}
