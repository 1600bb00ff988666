//! The 科目 tables of a 部门预算 or 部门决算: rows that start with a
//! 科目编码 (类 3 digits, 款 5, 项 7), then the 科目's name and the row's
//! figures — 「2010201 行政运行 3,233.03 3,233.03」 — grouped into tables
//! by the titles between them (「表五 财政拨款支出预算表」, 「一般公共预算
//! 财政拨款基本支出决算表」) with the unit each states (「单位：万元」).
//!
//! Only what the text shows is read: a blank cell is not seen, so a row may
//! have fewer figures than the table has columns, and a rule that compares
//! a column other than the first asks that every row it uses be whole.
//! A code split over 类 | 款 | 项 columns (「204 06 01 行政运行」) is read
//! whole; rows whose names carry no code are not read here.

use crate::model::{Statement, SubjectRow, SubjectTable, Unit};
use crate::segment::Segments;
use regex::Regex;
use std::sync::LazyLock;

/// A row: its code, its name, its figures.
static CODE_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{3}(?: \d{2}(?: \d{2})?)?|\d{5}|\d{7}) ?([^\d\s,.\-－—][^\s]*?)((?: (?:-?\d[\d,]*(?:\.\d+)?|-|－|—))+)$",
    )
    .unwrap()
});

/// A table's title: its number (表五, 公开03表) and name ending in 表.
pub(crate) static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:表[一二三四五六七八九十]+|公开\d+表|表\d+)?[^，。；：:\s]{0,30}?(?:预算|决算)[^，。；：:\s]{0,14}?表")
        .unwrap()
});

/// What a title match may carry before the title itself: a header's last
/// cell and its figure (「…金额合计18,330.37」), a note (「本部门无该项目」,
/// 「…为必填项」).
pub(crate) static BEFORE_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^.*(?:合计[\d,.]*|必填项|无该项目|无此项|无相关收支项目)").unwrap()
});

/// A 合计 row: the word and the figures that end the line (「合计 2,940.05
/// 2,336.91 603.14」, a header glued to it: 「…金额合计17,981.68」), not a
/// side of a 总表 (「收入合计 …」, 「本年支出合计 …」).
static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^入出年])合计[:：]? ?(-?\d[\d,]*(?:\.\d+)?(?: -?\d[\d,]*(?:\.\d+)?)*)$")
        .unwrap()
});

/// A table's unit line: 「单位：万元」.
pub(crate) static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"单位[：:]\s*(万元|元)").unwrap());

/// Reads the 科目 tables of the text.
pub fn read(text: &str, seg: &Segments) -> Vec<SubjectTable> {
    let mut tables: Vec<SubjectTable> = Vec::new();
    let mut open: Option<SubjectTable> = None;
    let mut title = String::new();
    let mut unit: Option<Unit> = None;
    // A 合计 row read before the table's first row (a header glued to it).
    let mut pending: Option<SubjectRow> = None;
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        let code_row = line
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_digit)
            .then(|| CODE_ROW.captures(line))
            .flatten();
        if let Some(c) = code_row {
            let t = open.get_or_insert_with(|| SubjectTable {
                title: title.clone(),
                unit,
                total: pending.take(),
                ..SubjectTable::default()
            });
            let figures = c.get(3).unwrap();
            let at = para.span.start + figures.start();
            t.rows.push(SubjectRow {
                // Split over 类 | 款 | 项 columns: 「204 06 01」 is 2040601.
                code: c[1].replace(' ', ""),
                name: c[2].to_string(),
                cells: cells(figures.as_str(), at, t.unit, seg, para.sentences.start),
            });
            continue;
        }
        let chars = line.chars().count();
        let found = (chars <= 240 && line.contains('表'))
            .then(|| TITLE.find(line))
            .flatten();
        if let Some(m) = found {
            tables.extend(open.take());
            title = BEFORE_TITLE.replace(m.as_str(), "").into_owned();
            unit = None;
            pending = None;
        }
        if let Some(u) = line.contains("单位").then(|| UNIT.captures(line)).flatten() {
            unit = Unit::parse(&u[1]);
            if let Some(t) = open.as_mut().filter(|t| t.rows.is_empty()) {
                t.unit = unit;
            }
        }
        if let Some(c) = line
            .contains("合计")
            .then(|| TOTAL.captures(line))
            .flatten()
        {
            let figures = c.get(1).unwrap();
            let at = para.span.start + figures.start();
            let u = open.as_ref().map_or(unit, |t| t.unit);
            let row = SubjectRow {
                code: String::new(),
                name: "合计".into(),
                cells: cells(figures.as_str(), at, u, seg, para.sentences.start),
            };
            match open.as_mut() {
                Some(t) if t.total.is_none() => t.total = Some(row),
                Some(_) => {}
                None => pending = Some(row),
            }
        }
        // Prose ends a table; short lines (a header row, a 合计 row, a
        // note) are part of it.
        if found.is_none() && chars > 24 && line.contains('。') {
            tables.extend(open.take());
            title.clear();
            unit = None;
            pending = None;
        }
    }
    tables.extend(open);
    tables.retain(|t| !t.rows.is_empty());
    tables
}

/// The figures of a row, space-separated from `at` on.
pub(crate) fn cells(
    figures: &str,
    mut at: usize,
    unit: Option<Unit>,
    seg: &Segments,
    first: usize,
) -> Vec<Option<Statement>> {
    let mut out = Vec::new();
    for tok in figures.split(' ') {
        if !tok.is_empty() {
            out.push(super::figure_at(tok, at, unit, seg, first));
        }
        at += tok.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::segment::segment;

    fn brief(text: &str) -> Vec<String> {
        let seg = segment(text);
        read(text, &seg)
            .iter()
            .map(|t| {
                let rows: Vec<String> = t
                    .rows
                    .iter()
                    .map(|r| {
                        let cells: Vec<String> = r
                            .cells
                            .iter()
                            .map(|c| c.as_ref().map_or("-".into(), |c| c.value.to_string()))
                            .collect();
                        format!("{} {} {}", r.code, r.name, cells.join(" "))
                    })
                    .collect();
                format!(
                    "{} [{}] {}",
                    t.title,
                    t.unit.map_or("?", |u| u.as_str()),
                    rows.join(" | ")
                )
            })
            .collect()
    }

    #[test]
    fn a_total_row_before_or_after_the_rows_is_the_tables_not_a_sides() {
        let text = "表五财政拨款支出预算表单位：万元功能科目代码功能科目名称金额合计1,200.50\n201 一般公共服务支出 1,200.50\n表二支出决算表\n收入合计 90.00 支出合计 90.00\n201 一般公共服务支出 90.00 60.00 30.00\n合计 90.00 60.00 30.00\n";
        let seg = segment(text);
        let totals: Vec<String> = read(text, &seg)
            .iter()
            .map(|t| {
                let cells: Vec<String> = t
                    .total
                    .iter()
                    .flat_map(|r| &r.cells)
                    .flatten()
                    .map(|c| c.value.to_string())
                    .collect();
                format!("{} {}", t.title, cells.join(" "))
            })
            .collect();
        assert_eq!(
            totals,
            [
                "表五财政拨款支出预算表 1200.50",
                "表二支出决算表 90.00 60.00 30.00"
            ]
        );
    }

    #[test]
    fn rows_by_code_are_grouped_by_the_titles_between_them() {
        let text = "表五财政拨款支出预算表部门：某县档案馆单位：万元功能科目代码功能科目名称金额合计1,200.50\n201 一般公共服务支出 1,000.50\n20126 档案事务 1,000.50\n2012601 行政运行 800.00\n2012604 档案馆 200.50\n221 住房保障支出 200.00\n22102 住房改革支出 200.00\n2210201 住房公积金 200.00\n表六财政拨款基本支出预算表\n单位：元\n科目编码 科目名称 合计 人员经费 公用经费\n301 工资福利支出 500 500 -\n30101 基本工资 500 500 -\n一、部门预算收支情况。本部门收入预算1200.50万元，比上年增长5%，主要是人员增加。\n208 社会保障和就业支出 10.00\n208 05 行政事业单位养老支出 10.00\n208 05 01 行政单位离退休 10.00\n";
        assert_eq!(
            brief(text),
            [
                "表五财政拨款支出预算表 [万元] 201 一般公共服务支出 1000.50 | 20126 档案事务 1000.50 | 2012601 行政运行 800.00 | 2012604 档案馆 200.50 | 221 住房保障支出 200.00 | 22102 住房改革支出 200.00 | 2210201 住房公积金 200.00",
                "表六财政拨款基本支出预算表 [元] 301 工资福利支出 500 500 - | 30101 基本工资 500 500 -",
                " [?] 208 社会保障和就业支出 10.00 | 20805 行政事业单位养老支出 10.00 | 2080501 行政单位离退休 10.00",
            ]
        );
    }
}
