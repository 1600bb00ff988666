//! What the narrative says of a 收支总表's totals: 「2017年度收入、支出预算
//! 总计17,996.68万元」, 「（一）收入预算总计9,146.79万元」, 「2024年度财政
//! 拨款收入支出总计2,961.68万元」. Only a total of the whole (or of the
//! 财政拨款) is read: before 收入/支出 stands a year, a body, a number or
//! nothing — never a fund (「其他资金收入预算总计」, 「事业收入总计」).

use crate::model::{Statement, TotalMention, Unit};
use crate::number::{Precision, Stated};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(财政拨款)?(?:收入、?支出|收、支|收入|支出)(?:预算|决算)?总计(?:为|是)?[：:]?(\d[\d,]*(?:\.\d+)?)(万元|元)")
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
        if !line.contains("总计") {
            continue;
        }
        for si in para.sentences.clone() {
            let span = seg.sentences[si].span.clone();
            let s = &text[span.clone()];
            for c in MENTION.captures_iter(s) {
                let whole = c.get(0).unwrap();
                if !LEAD.is_match(&s[..whole.start()]) {
                    continue;
                }
                let figure = c.get(2).unwrap();
                let Some(value) = Stated::parse(figure.as_str(), Precision::Digits) else {
                    continue;
                };
                let start = span.start + figure.start();
                out.push(TotalMention {
                    fiscal: c.get(1).is_some(),
                    amount: Statement {
                        value,
                        unit: Unit::parse(&c[3]),
                        span: start..start + figure.len(),
                        sentence: si,
                    },
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
    fn totals_of_the_whole_and_of_the_fiscal_grants() {
        let text = "某厅2017年度收入、支出预算总计17,996.68万元，与上年相比收、支预算总计各增加1463.8万元。\n（一）收入预算总计9,146.79万元\n1．财政拨款收入预算总计9,131.79万元\n2．其他资金收入预算总计15万元\n某局2024年度财政拨款收入支出总计0.3万元。学校2023年度各项支出总计457,676.75万元。\n";
        let seg = segment(text);
        let got: Vec<String> = read(text, &seg)
            .iter()
            .map(|m| format!("{} {}", m.fiscal, m.amount.display()))
            .collect();
        assert_eq!(
            got,
            [
                "false 17996.68 万元",
                "false 9146.79 万元",
                "true 9131.79 万元",
                "true 0.3 万元",
            ]
        );
    }
}
