//! A budget execution table flattened into one paragraph, as a web page
//! gives it when its cells run together: 「项目资金（万元） 年初预算数
//! 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0
//! 其中:本年财政拨款 90 89.974 89.974 上年结转资金 其他资金 年度总体目标 …」.
//!
//! The header is the column words one after another; each row is one of
//! the template's row names (年度资金总额, 财政拨款, 上年结转, 其他资金…)
//! followed by its figures, and the table ends at the first word that is
//! neither. A row is read when its figures fill every column, or exactly
//! the amount columns the header starts with (a source of funds without a
//! 分值, 执行率 or 得分 of its own); a row with no figure is an empty row.
//! Any other row — figures that could sit in more than one set of columns
//! — leaves the whole table unread: nothing is guessed.

use super::budget_table::{budget_header, slot, BudgetCol};
use super::{cell_value, BudgetRow, ScoringTables, TABLE_UNIT};
use crate::model::Unit;
use crate::segment::Segments;
use crate::text::table_line::is_empty_cell;
use regex::Regex;
use std::sync::LazyLock;

/// The column words of a budget table's header, one after another.
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    let word = r"(?:年初预算数|全年预算数|调整后预算数|预算数|全年执行数|执行数|分值|执行率|得分计算方法|计分方法|评分标准|计算方法|备注|说明|得分)(?:[（(][^）)]{0,8}[）)])?";
    Regex::new(&format!(r"{word}(?: ?{word}){{2,}}")).unwrap()
});

/// A header that ends a paragraph the text joined to the lines before it
/// (the form's title and its first rows): its columns.
pub(super) fn trailing_header(line: &str) -> Option<Vec<BudgetCol>> {
    let end = line.trim_end().len();
    let m = HEADER.find_iter(line).last().filter(|m| m.end() == end)?;
    let compact: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
    budget_header(&compact)
}

/// A row's name as the template writes it, at the start of a run of
/// words (the names of rows left empty run together: 「上年结转资金其他资金」).
static ROW_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:其中[:：]?)?((?:年度)?资金总额|合计|总计|(?:本年|当年|本级)?财政拨款(?:资金)?|上年结转(?:结余)?(?:资金)?|其他资金|自筹资金|基本支出|项目支出)[:：]?",
    )
    .unwrap()
});

/// What follows the header: a figure, an empty cell's mark, or a run of
/// words.
static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d[\d,]*(?:\.\d+)?%?)|(——|—|－)|([^\s\d—－]+)").unwrap());

enum Token<'a> {
    Figure(&'a str, usize),
    Name(&'a str),
    End,
}

/// The tokens after the header: figures with their places, and row names
/// split from the runs of words; `End` at the first word that is not a
/// row's name.
fn tokens(rest: &str, at: usize) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    for m in TOKEN.captures_iter(rest) {
        let whole = m.get(0).unwrap();
        if m.get(3).is_none() {
            out.push(Token::Figure(whole.as_str(), at + whole.start()));
            continue;
        }
        let mut words = whole.as_str();
        while let Some(n) = ROW_NAME.captures(words) {
            out.push(Token::Name(n.get(1).unwrap().as_str()));
            words = &words[n.get(0).unwrap().end()..];
        }
        if !words.is_empty() {
            out.push(Token::End);
            break;
        }
    }
    out
}

/// Reads the flattened budget table of paragraph `pi`, if it holds one;
/// true when its rows were read.
pub(super) fn read_flat_budget(
    text: &str,
    seg: &Segments,
    pi: usize,
    out: &mut ScoringTables,
) -> bool {
    let span = seg.paragraphs[pi].span.clone();
    let line = &text[span.clone()];
    let Some(h) = HEADER.find(line) else {
        return false;
    };
    let compact: String = h.as_str().chars().filter(|c| !c.is_whitespace()).collect();
    let Some(cols) = budget_header(&compact) else {
        return false;
    };
    // The unit written just before the header: 「项目资金（万元）」.
    let before = &line[..h.start()];
    let near = before.char_indices().rev().nth(11).map_or(0, |(i, _)| i);
    let unit = TABLE_UNIT
        .captures(&before[near..])
        .and_then(|c| Unit::parse(c.get(1).or(c.get(2)).unwrap().as_str()))
        .or(Some(Unit::WanYuan));
    let amounts = cols
        .iter()
        .take_while(|c| {
            matches!(
                c,
                BudgetCol::Initial | BudgetCol::Budget | BudgetCol::Executed
            )
        })
        .count();

    let toks = tokens(&line[h.end()..], span.start + h.end());
    let mut rows: Vec<BudgetRow> = Vec::new();
    let mut i = 0;
    while let Some(Token::Name(name)) = toks.get(i) {
        let figures: Vec<(&str, usize)> = toks[i + 1..]
            .iter()
            .map_while(|t| match t {
                Token::Figure(f, at) => Some((*f, *at)),
                _ => None,
            })
            .collect();
        i += 1 + figures.len();
        if figures.is_empty() {
            continue;
        }
        let filled = if figures.len() == cols.len() {
            &cols[..]
        } else if figures.len() == amounts && amounts >= 2 {
            &cols[..amounts]
        } else {
            return false;
        };
        let mut row = BudgetRow {
            name: name.to_string(),
            unit,
            ..BudgetRow::default()
        };
        for ((t, at), col) in figures.iter().zip(filled) {
            if is_empty_cell(t) {
                continue;
            }
            // A percent belongs in 执行率 only: elsewhere the row is shifted.
            if t.ends_with('%') && *col != BudgetCol::Rate {
                return false;
            }
            let Some((slot, precision)) = slot(&mut row, *col) else {
                continue;
            };
            *slot = cell_value(seg, pi, t, *at..*at + t.len(), precision);
        }
        rows.push(row);
    }
    // The first row is the total: a table that starts with a source of
    // funds is not read as whole.
    let total_first = rows.first().is_some_and(|r| {
        ["资金总额", "合计", "总计"]
            .iter()
            .any(|w| r.name.contains(w))
    });
    if !total_first {
        return false;
    }
    out.budget.extend(rows);
    true
}

#[cfg(test)]
mod tests {
    use super::read_flat_budget;
    use crate::read::scoring::ScoringTables;
    use crate::segment::segment;

    fn read(t: &str) -> Option<Vec<String>> {
        let seg = segment(t);
        let mut out = ScoringTables::default();
        let v = |c: &Option<super::super::Cell>| {
            c.as_ref()
                .map_or("-".to_string(), |c| c.value.value.to_string())
        };
        read_flat_budget(t, &seg, 0, &mut out).then(|| {
            out.budget
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {} {} {} {} {}",
                        r.name,
                        v(&r.initial),
                        v(&r.budget),
                        v(&r.executed),
                        v(&r.points),
                        v(&r.rate),
                        v(&r.score)
                    )
                })
                .collect()
        })
    }

    #[test]
    fn a_flattened_table_is_read_row_by_row() {
        let rows = [
            "年度资金总额 120 118 96 10 81.36 8.14",
            "当年财政拨款 100 98 80 - - -",
            "其他资金 20 20 16 - - -",
        ];
        // As the page gives it, and as normalization writes it (no space
        // between Chinese words, the row names of empty rows run together).
        let t = "项目名称 档案数字化 项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 120 118 96 10 81.36% 8.14 其中:当年财政拨款 100 98 80 上年结转资金 其他资金 20 20 16 年度总体目标 完成档案数字化。";
        assert_eq!(read(t).unwrap(), rows);
        let t = "项目名称档案数字化项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分年度资金总额:120 118 96 10 81.36% 8.14其中:当年财政拨款100 98 80上年结转资金其他资金20 20 16年度总体目标完成档案数字化。";
        assert_eq!(read(t).unwrap(), rows);
    }

    #[test]
    fn a_row_whose_figures_could_sit_in_other_columns_leaves_the_table_unread() {
        // Four figures under six columns: which four is not known.
        let t = "年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额 120 118 96 10 81.36% 8.14 其中：当年财政拨款 100 98 80 81.6%";
        assert_eq!(read(t), None);
        // A table that does not start with its total.
        let t = "年初预算数 全年预算数 全年执行数 当年财政拨款 100 98 80";
        assert_eq!(read(t), None);
    }
}
