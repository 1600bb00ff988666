//! What the narrative of a 预算/决算 says of a 科目, where it explains a
//! table: in the section 「五、财政拨款支出预算表情况说明」, the sentence
//! 「政协事务（款）行政运行（项）支出3,233.03万元」 states the amount of the
//! 项 行政运行 under the 款 政协事务 in that table.
//!
//! Only a statement with its 科目 marked by level — （类）, （款）, （项） —
//! and inside a section that names its table is read; the amount is the
//! first one after the marks (「支出」, 「预算」, 「为」 may stand between).

use super::figure_at;
use crate::model::{SubjectMention, Unit};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

/// A section that explains one table: 「五、财政拨款支出预算表情况说明」,
/// 「五、一般公共预算财政拨款支出决算情况说明」 (the table's name without
/// its 表).
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?(.{2,40}?(?:预算|决算))表?(?:情况)?说明(?:$|本表|[：:])").unwrap()
});

/// Any other heading ends the section: 「第四部分…」, 「二、…」.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)").unwrap()
});

/// A 科目 chain and its amount: 「一般公共服务（类）政协事务（款）行政运行（项）
/// 支出3,233.03万元」.
static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:(?:[\p{Han}“”]|（[^（）类款项一二三四五六七八九十\d]{1,6}）)+（[类款项]）){1,3})((?:支出|预算|决算|安排|为|数){0,3})(\d[\d,]*(?:\.\d+)?)(万元|元)")
        .unwrap()
});

/// One 科目 of a chain; its name may hold a bracketed word of its own
/// (「党委办公厅（室）及相关机构事务（款）」).
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:[\p{Han}“”]|（[^（）类款项一二三四五六七八九十\d]{1,6}）)+)（([类款项])）")
        .unwrap()
});

/// Words before a 科目's name in a sentence: an enumerator's tail, 其中.
const LEAD: &[&str] = &["其中", "主要是", "包括", "用于"];

/// Reads the 科目 mentions of the narrative.
pub fn read(text: &str, seg: &Segments) -> Vec<SubjectMention> {
    let mut out = Vec::new();
    let mut table: Option<String> = None;
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        let short = line.len() <= 160;
        // The heading alone on its line, or glued to the section's first
        // sentence (「十、…预算表说明本表反映…」).
        if let Some(c) = line
            .contains("说明")
            .then(|| SECTION.captures(line))
            .flatten()
        {
            table = Some(format!("{}表", &c[1]));
            continue;
        }
        if short && HEADING.is_match(line) && line.chars().count() <= 40 {
            table = None;
            continue;
        }
        let Some(t) = &table else { continue };
        for si in para.sentences.clone() {
            let sentence = &seg.sentences[si];
            let s = &text[sentence.span.clone()];
            if !s.contains(['类', '款', '项']) {
                continue;
            }
            for m in MENTION.captures_iter(s) {
                let chain: Vec<(String, usize)> = LINK
                    .captures_iter(&m[1])
                    .map(|l| {
                        let mut name = l[1].to_string();
                        for w in LEAD {
                            if let Some(rest) = name.strip_prefix(w) {
                                name = rest.to_string();
                            }
                        }
                        let level = match &l[2] {
                            "类" => 3,
                            "款" => 5,
                            _ => 7,
                        };
                        (name, level)
                    })
                    .collect();
                // A 预算 amount is not a 决算 table's, nor the reverse
                // (「一般公共预算财政拨款支出决算表」 is a 决算 table).
                let words = &m[2];
                let phase_clash = if t.contains("决算") {
                    words.contains("预算")
                } else {
                    words.contains("决算")
                };
                if phase_clash {
                    continue;
                }
                let figure = m.get(3).unwrap();
                let at = sentence.span.start + figure.start();
                let Some(amount) = figure_at(figure.as_str(), at, Unit::parse(&m[4]), seg, si)
                else {
                    continue;
                };
                out.push(SubjectMention {
                    table: t.clone(),
                    chain,
                    amount,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::segment::segment;

    #[test]
    fn a_budget_amount_is_not_read_for_a_final_accounts_table() {
        let text = "五、一般公共预算财政拨款支出决算情况说明\n1.财政事务（款）行政运行（项）预算数为1560.05万元。\n2.财政事务（款）信息化建设（项）支出决算为135.25万元。\n";
        let seg = segment(text);
        let got: Vec<String> = read(text, &seg)
            .iter()
            .map(|m| m.amount.display())
            .collect();
        assert_eq!(got, ["135.25 万元"]);
    }

    #[test]
    fn a_heading_glued_to_its_first_sentence_starts_its_section() {
        let text = "九、一般公共预算基本支出预算表说明\n（7）会议费（款）支出66.72万元。\n十、一般公共预算机关运行经费支出预算表说明本表反映部门年度一般公共预算机关运行经费支出预算安排情况，按照经济分类“款”级细化列示。\n（8）会议费（款）支出1,094.62万元。\n";
        let seg = segment(text);
        let got: Vec<String> = read(text, &seg)
            .iter()
            .map(|m| format!("{} {}", m.table, m.amount.display()))
            .collect();
        assert_eq!(
            got,
            [
                "一般公共预算基本支出预算表 66.72 万元",
                "一般公共预算机关运行经费支出预算表 1094.62 万元"
            ]
        );
    }

    #[test]
    fn mentions_are_read_in_the_section_of_their_table() {
        let text = "五、财政拨款支出预算情况说明\n1.政协事务（款）行政运行（项）支出3,233.03万元，与上年相比减少108.56万元。\n2.政协事务（款）政协会议（项）决算数为900.00万元。\n（二）社会保障和就业支出（类）支出1,509.72万元。\n六、部门概况\n一般公共服务（类）支出6,543.55万元。\n";
        let seg = segment(text);
        let got: Vec<String> = read(text, &seg)
            .iter()
            .map(|m| {
                let chain: Vec<String> = m.chain.iter().map(|(n, l)| format!("{n}/{l}")).collect();
                format!("{} {} {}", m.table, chain.join(" "), m.amount.display())
            })
            .collect();
        assert_eq!(
            got,
            [
                "财政拨款支出预算表 政协事务/5 行政运行/7 3233.03 万元",
                "财政拨款支出预算表 社会保障和就业支出/3 1509.72 万元",
            ]
        );
    }
}
