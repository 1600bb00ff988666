//! What the narrative says of the “三公” items (and of 机关运行经费, which
//! some “三公” tables carry): 「因公出国（境）费支出110万元」,
//! 「“三公”经费预算数为10.81万元」, 「公务接待费支出决算为0.95万元」 — the
//! item, then at most a few words (支出, 预算, 决算, 数, 为, 财政拨款), then
//! the amount. A figure of another year is not read: a clause that says
//! 上年 (去年, 同期) or names a year earlier than another year of its
//! sentence (「2025年公务接待费0.90万元，2026年…」) or than the other
//! mentions of the document.

use super::{figure_at, of_latest_year};
use crate::model::{ThreePublicMention, Unit};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    item_amount(
        r#"[“"「]?三公[”"」]?经费|因公出国[（(]境[)）](?:经)?费|公务用车购置及运行(?:维护)?费|公务用车购置费|公务用车运行(?:维护)?费|公务接待费|机关运行经费"#,
    )
});

/// 会议费 and 培训费, which some “三公” tables carry beside the “三公”: read
/// only in the section that explains that table (the words name other
/// figures elsewhere: the 基本支出 table's 会议费 款).
static MEETING: LazyLock<Regex> = LazyLock::new(|| item_amount("会议费|培训费"));

/// One of `items`, at most a few words (支出, 预算, 为 …), and the amount:
/// groups item, words, figure, unit.
fn item_amount(items: &str) -> Regex {
    Regex::new(&format!(
        r"({items})((?:财政拨款|一般公共预算|支出|年初|预算|决算|安排|数|为|是|共计|合计){{0,6}})[：:]?(\d[\d,]*(?:\.\d+)?)(万元|元)"
    ))
    .unwrap()
}

/// A top-level heading: 「十一、…」, 「第三部分…」.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)").unwrap()
});

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(20\d\d)年").unwrap());

/// Reads the “三公” amounts of the narrative.
pub fn read(text: &str, seg: &Segments) -> Vec<ThreePublicMention> {
    // Each mention with the year its clause names, if any.
    let mut out: Vec<(Option<u32>, ThreePublicMention)> = Vec::new();
    // Whether the text is in the section that explains the “三公” table.
    let mut in_section = false;
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        if !line.contains('。') && line.chars().count() <= 60 && HEADING.is_match(line) {
            in_section = line.contains("三公");
        }
        if !line.contains('费') || !line.contains('。') {
            continue;
        }
        for si in para.sentences.clone() {
            let span = seg.sentences[si].span.clone();
            let s = &text[span.clone()];
            if !s.contains("费") {
                continue;
            }
            let latest = YEAR.captures_iter(s).map(|c| c[1].to_string()).max();
            let meetings = MEETING.captures_iter(s).filter(|_| in_section);
            for c in MENTION.captures_iter(s).chain(meetings) {
                let item = c.get(1).unwrap();
                let clause_start = s[..item.start()]
                    .rfind(['，', '；', ',', ';', '：'])
                    .map_or(0, |i| i + s[i..].chars().next().map_or(0, char::len_utf8));
                let clause = &s[clause_start..item.start()];
                let earlier = YEAR
                    .captures_iter(clause)
                    .any(|y| latest.as_deref().is_some_and(|l| &y[1] < l));
                if earlier
                    || ["上年", "去年", "同期", "上一年"]
                        .iter()
                        .any(|w| clause.contains(w))
                {
                    continue;
                }
                let figure = c.get(3).unwrap();
                let at = span.start + figure.start();
                let Some(amount) = figure_at(figure.as_str(), at, Unit::parse(&c[4]), seg, si)
                else {
                    continue;
                };
                let year = YEAR
                    .captures_iter(clause)
                    .last()
                    .and_then(|y| y[1].parse().ok());
                out.push((
                    year,
                    ThreePublicMention {
                        item: item.as_str().to_string(),
                        amount,
                    },
                ));
            }
        }
    }
    // A mention of an earlier year than the document's others (a sentence
    // of its own on last year's 「2023年度公务接待费0.95万元」) is not read.
    of_latest_year(out)
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::segment::segment;

    fn mentions(text: &str) -> Vec<String> {
        let seg = segment(text);
        read(text, &seg)
            .iter()
            .map(|m| format!("{} {}", m.item, m.amount.display()))
            .collect()
    }

    #[test]
    fn each_item_and_its_amount_of_this_year() {
        let text = "2026年“三公”经费预算数为10.81万元，比2025年预算持平。其中：因公出国（境）费0万元；公务用车购置及运行费9.98万元，其中：公务用车购置费0万元，公务用车运行费9.98万元；公务接待费0.83万元。\n2025年公务接待费0.90万元，2026年公务接待费支出决算为0.95万元。上年公务接待费1.2万元。“三公”经费、会议费、培训费预算1,452.35万元。2025年公务用车运行费9.50万元。\n“三公”经费财政拨款支出年初预算为0.95万元。机关运行经费预算为217.83万元。\n会议费（款）支出66.72万元。会议费支出50万元。\n十一、“三公”经费、会议费、培训费支出预算表情况说明\n某厅2026年度一般公共预算拨款安排的会议费预算支出168万元，本年数等于上年预算数。\n";
        assert_eq!(
            mentions(text),
            [
                "“三公”经费 10.81 万元",
                "因公出国（境）费 0 万元",
                "公务用车购置及运行费 9.98 万元",
                "公务用车购置费 0 万元",
                "公务用车运行费 9.98 万元",
                "公务接待费 0.83 万元",
                "公务接待费 0.95 万元",
                "“三公”经费 0.95 万元",
                "机关运行经费 217.83 万元",
                "会议费 168 万元",
            ]
        );
    }
}
