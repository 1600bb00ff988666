//! A total and the amounts listed under it by their use: 「本项目共完成预算
//! 资金89.97万元。其中：30万元用于预算编制；30万元用于审计；29.99万元用于
//! 设计、规划、测绘。」 — the amount right before 「其中：」, then each clause
//! that starts with an amount and 用于, as long as they follow one another
//! (at least two).

use super::figure_at;
use crate::model::{PurposeList, Unit};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

static TOTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d[\d,]*(?:\.\d+)?) ?(万元|元)[。，,]? ?其中[：:] ?").unwrap());

static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d[\d,]*(?:\.\d+)?) ?(万元|元)用于[^；;，,。]*[；;，,]? ?").unwrap()
});

/// Reads the lists of uses of the text.
pub fn read(text: &str, seg: &Segments) -> Vec<PurposeList> {
    let mut out = Vec::new();
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        if !line.contains("用于") || !line.contains("其中") {
            continue;
        }
        let statement = |m: regex::Match, unit: &str, base: usize| {
            let at = para.span.start + base + m.start();
            figure_at(m.as_str(), at, Unit::parse(unit), seg, para.sentences.start)
        };
        for c in TOTAL.captures_iter(line) {
            let Some(total) = statement(c.get(1).unwrap(), &c[2], 0) else {
                continue;
            };
            let mut at = c.get(0).unwrap().end();
            let mut parts = Vec::new();
            while let Some(p) = PART.captures(&line[at..]) {
                if let Some(s) = statement(p.get(1).unwrap(), &p[2], at) {
                    parts.push(s);
                }
                let end = p.get(0).unwrap().end();
                let closed = line[at..at + end].trim_end().ends_with('。');
                at += end;
                if closed {
                    break;
                }
            }
            if parts.len() >= 2 {
                out.push(PurposeList { total, parts });
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
    fn a_total_and_its_uses() {
        let text = "本项目共申请预算资金90万元。其中:30万元用于预算编制;30万元用于审计;30万元用于设计、规划、测绘。本项目共完成预算资金89.97万元。其中:30万元用于预算编制;30万元用于审计;29.99万元用于设计。支出100万元，其中：50万元用于培训。\n";
        let seg = segment(text);
        let got: Vec<String> = read(text, &seg)
            .iter()
            .map(|l| {
                let parts: Vec<String> = l.parts.iter().map(|p| p.value.to_string()).collect();
                format!("{} = {}", l.total.value, parts.join(" + "))
            })
            .collect();
        assert_eq!(got, ["90 = 30 + 30 + 30", "89.97 = 30 + 30 + 29.99"]);
    }
}
