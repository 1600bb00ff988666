//! The two sides of a 收支总表 on their bottom line: 「收入总计 96,282,213.44
//! 支出总计 96,282,213.44」, 「收入合计 9,146.79 支出合计 9,146.79」,
//! 「总计 2,995.39 总计 2,995.39」. 本年收入合计 and 本年支出合计 are not a
//! balance (what is carried over sits between them) and are not read.

use super::figure_at;
use super::subject_table::UNIT;
use crate::model::{Balance, Unit};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(收入总计|收入合计|总计) ?(\d[\d,]*(?:\.\d+)?) (支出总计|支出合计|总计) ?(\d[\d,]*(?:\.\d+)?)(?: |$)")
        .unwrap()
});

/// Reads the balance lines of the text, each with the unit its table
/// stated last before it.
pub fn read(text: &str, seg: &Segments) -> Vec<Balance> {
    let mut out = Vec::new();
    let mut unit: Option<Unit> = None;
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        if let Some(u) = line
            .contains("单位")
            .then(|| UNIT.captures_iter(line).last())
            .flatten()
        {
            unit = Unit::parse(&u[1]);
        }
        let Some(c) = line.contains("计").then(|| LINE.captures(line)).flatten() else {
            continue;
        };
        // 「总计 … 总计 …」 and 「收入… 支出…」 pair; 「收入总计 … 总计 …」 does not.
        let sides_match = (&c[1] == "总计") == (&c[3] == "总计");
        if !sides_match {
            continue;
        }
        let statement = |m: regex::Match| {
            figure_at(
                m.as_str(),
                para.span.start + m.start(),
                unit,
                seg,
                para.sentences.start,
            )
        };
        if let (Some(income), Some(spending)) =
            (statement(c.get(2).unwrap()), statement(c.get(4).unwrap()))
        {
            out.push(Balance {
                income_label: c[1].to_string(),
                income,
                spending_label: c[3].to_string(),
                spending,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::segment::segment;

    #[test]
    fn the_bottom_lines_of_two_sided_tables_are_read() {
        let text = "收支预算总表单位：万元\n收入合计 9,146.79 支出合计 9,146.79\n本年收入合计 2,946.25 本年支出合计 2,940.05\n总计 2,995.39 总计 2,995.39 2,995.39\n收入总计 12.50 总计 12.50\n";
        let seg = segment(text);
        let got: Vec<String> = read(text, &seg)
            .iter()
            .map(|b| {
                format!(
                    "{} {} {} {}",
                    b.income_label,
                    b.income.display(),
                    b.spending_label,
                    b.spending.display()
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "收入合计 9146.79 万元 支出合计 9146.79 万元",
                "总计 2995.39 万元 总计 2995.39 万元"
            ]
        );
    }
}
