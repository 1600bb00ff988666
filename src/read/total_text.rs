//! What the narrative says of a table's total:
//! - a 收支总表's: 「2017年度收入、支出预算总计17,996.68万元」, 「（一）收入
//!   预算总计9,146.79万元」, 「2024年度财政拨款收入支出总计2,961.68万元」,
//!   「省检察院本年收入预算合计17996.68万元」, 「本年支出合计2940.05万元」.
//!   Only a total of the whole (or of the 财政拨款) is read: before 收入/支出
//!   stands a year, a body, a number or nothing — never a fund
//!   (「其他资金收入预算总计」, 「事业收入总计」);
//! - a 财政拨款 支出 table's: 「2017年一般公共预算财政拨款支出预算13,649.07
//!   万元」, 「2017年度财政拨款基本支出预算7,666.68万元」, 「一般公共预算财政
//!   拨款支出2,940.05万元，占…」 — at the start of its sentence or right
//!   after its year (「其中：财政拨款支出预算…」 is a part of something
//!   else), and not of an earlier year than the document's others.

use super::{figure_at, of_latest_year};
use crate::model::{TableKind, TotalMention, Unit};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(财政拨款)?(?:本年|当年)?(?:收入、?支出|收、支|收入|支出)(?:预算|决算)?(?:总计|合计|小计)(?:为|是)?[：:]?(\d[\d,]*(?:\.\d+)?)(万元|元)")
        .unwrap()
});

/// The total of a 财政拨款 支出 table.
static SPENDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(20\d\d)年度?)?(一般公共预算)?财政拨款(基本)?(?:预算)?支出(预算|决算)?(?:数)?(?:为|是)?(\d[\d,]*(?:\.\d+)?)(万元|元)")
        .unwrap()
});

/// What may stand right before a total of the whole.
static LEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|年|年度|部门|单位|学校|本级|[、）)．.：:，,\s])$").unwrap());

/// Reads the totals the narrative states.
pub fn read(text: &str, seg: &Segments) -> Vec<TotalMention> {
    let mut out = Vec::new();
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        if !line.contains("总计") && !line.contains("合计") && !line.contains("小计") {
            continue;
        }
        for si in para.sentences.clone() {
            let span = seg.sentences[si].span.clone();
            let s = &text[span.clone()];
            for c in MENTION.captures_iter(s) {
                let whole = c.get(0).unwrap();
                // 「本年收入合计」 names the year's total whatever stands
                // before it (the body's name); otherwise a year, a body or a
                // number must.
                let this_year = whole
                    .as_str()
                    .trim_start_matches("财政拨款")
                    .starts_with(['本', '当']);
                if !this_year && !LEAD.is_match(&s[..whole.start()]) {
                    continue;
                }
                let figure = c.get(2).unwrap();
                let at = span.start + figure.start();
                let Some(amount) = figure_at(figure.as_str(), at, Unit::parse(&c[3]), seg, si)
                else {
                    continue;
                };
                out.push(TotalMention {
                    table: if c.get(1).is_some() {
                        TableKind::FiscalOverview
                    } else {
                        TableKind::Overview
                    },
                    phase: None,
                    amount,
                });
            }
        }
    }
    out.extend(spending_totals(text, seg));
    out
}

/// The totals of the 财政拨款 支出 tables; see the module docs.
fn spending_totals(text: &str, seg: &Segments) -> Vec<TotalMention> {
    let mut found: Vec<(Option<u32>, TotalMention)> = Vec::new();
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        if !line.contains("财政拨款") {
            continue;
        }
        for si in para.sentences.clone() {
            let span = seg.sentences[si].span.clone();
            let s = &text[span.clone()];
            for c in SPENDING.captures_iter(s) {
                let before = &s[..c.get(0).unwrap().start()];
                let year: Option<u32> = c.get(1).and_then(|y| y.as_str().parse().ok());
                // Right after its year (a body's name before it), or the
                // sentence's start.
                if year.is_none() && !before.trim().is_empty() {
                    continue;
                }
                let figure = c.get(5).unwrap();
                let at = span.start + figure.start();
                let Some(amount) = figure_at(figure.as_str(), at, Unit::parse(&c[6]), seg, si)
                else {
                    continue;
                };
                let table = match (c.get(2).is_some(), c.get(3).is_some()) {
                    (true, true) => TableKind::GeneralBasic,
                    (true, false) => TableKind::GeneralSpending,
                    (false, true) => TableKind::FiscalBasic,
                    (false, false) => TableKind::FiscalSpending,
                };
                let phase = match c.get(4).map(|p| p.as_str()) {
                    Some("预算") => Some("预算"),
                    Some("决算") => Some("决算"),
                    _ => None,
                };
                found.push((
                    year,
                    TotalMention {
                        table,
                        phase,
                        amount,
                    },
                ));
            }
        }
    }
    // A total of an earlier year than the others (「2016年…」 in a 2017
    // budget) is not this document's.
    of_latest_year(found)
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::segment::segment;

    #[test]
    fn totals_of_the_whole_and_of_the_fiscal_grants() {
        let text = "某厅2017年度收入、支出预算总计17,996.68万元，与上年相比收、支预算总计各增加1463.8万元。\n（一）收入预算总计9,146.79万元\n1．财政拨款收入预算总计9,131.79万元\n2．其他资金收入预算总计15万元\n某局2024年度财政拨款收入支出总计0.3万元。学校2023年度各项支出总计457,676.75万元。\n省检察院本年收入预算合计17996.68万元，其中：一般公共预算收入17981.68万元。基本支出合计120万元。\n";
        let seg = segment(text);
        let got: Vec<String> = read(text, &seg)
            .iter()
            .map(|m| format!("{:?} {}", m.table, m.amount.display()))
            .collect();
        assert_eq!(
            got,
            [
                "Overview 17996.68 万元",
                "Overview 9146.79 万元",
                "FiscalOverview 9131.79 万元",
                "FiscalOverview 0.3 万元",
                "Overview 17996.68 万元",
            ]
        );
    }

    #[test]
    fn totals_of_the_spending_tables_of_this_year() {
        let text = "某厅2017年度一般公共预算财政拨款支出预算13,649.07万元。某厅2017年度财政拨款基本支出预算7,666.68万元。\n一般公共预算财政拨款基本支出2336.91万元，占90%。\n项目支出300万元，其中：财政拨款支出预算200万元。某厅2016年财政拨款预算支出12,000.00万元。\n";
        let seg = segment(text);
        let got: Vec<String> = read(text, &seg)
            .iter()
            .map(|m| format!("{:?} {:?} {}", m.table, m.phase, m.amount.display()))
            .collect();
        assert_eq!(
            got,
            [
                "GeneralSpending Some(\"预算\") 13649.07 万元",
                "FiscalBasic Some(\"预算\") 7666.68 万元",
                "GeneralBasic None 2336.91 万元",
            ]
        );
    }
}
