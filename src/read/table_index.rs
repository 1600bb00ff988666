//! The standard tables of a 部门预算 or 部门决算, found by their titles:
//! each title that the table's own unit line follows (「单位：万元」, after
//! 「部门：…」 or 「编制部门：…」), so that a table of contents, a part
//! heading (「第二部分 部门决算表」) and a sentence that names a table are
//! not taken for one. Each is recognised by the words of its title
//! ([`TableKind::of_title`]); an empty table keeps the note it prints
//! instead of rows (「此表为空」, 「注：本部门无政府性基金预算财政拨款
//! 安排的预算，故本表为空表。」).

use super::figure_at;
use super::subject_table::{cells, BEFORE_TITLE, TITLE};
use crate::model::{ClassAmount, Statement, SubjectTable, TableEntry, TableKind, Unit};
use crate::segment::{Paragraph, Segments};
use regex::Regex;
use std::sync::LazyLock;

/// The unit line a table title is followed by.
/// 「单位：万元」; 「单位：万部门名称：某厅元」 where the text interleaved a
/// field with it.
static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"单位[：:]\s*(万元|元|万)(?:[^元\n]{0,40}元)?").unwrap());

/// A table's number before its title: 「表十二」, 「公开05表：」, 「一、」, 「1.」.
static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:表[一二三四五六七八九十]+|公开\d+表[：:]?|表\d+[：:]?|[一二三四五六七八九十]+、|\d+[.．、])")
        .unwrap()
});

/// A previous table's last row glued before a title:
/// 「其中：动用上年结转和结余资金」 ends a 收入预算总表,
/// a row's last figure (「…106.84表四财政拨款收支预算总表」), and the
/// remark closing a narrative's 附件 line (「…公开表（另附）收支预算总表」;
/// an enumerator 「（一）」 is the title's own).
static GLUED_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:其中[：:])?动用上年结转和结余资金|-?[\d,]*\.\d+|[（(][^（）()一二三四五六七八九十\d]{1,8}[）)])").unwrap()
});

/// The note of an empty table.
static EMPTY_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"此表为空|本表为空表?|本表无数据|(?:注|说明)[：:]\s*[^。：:]{0,30}?(?:无|没有)[^。]{0,60}|本(?:部门|单位)(?:无|没有)(?:该项目|此项|相关收支项目)|[（(](?:无|没有)[^）)]{1,30}[）)]",
    )
    .unwrap()
});

/// A line of figures only: the one row of a “三公” table.
static FIGURES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^-?\d[\d,]*(?:\.\d+)?(?: -?\d[\d,]*(?:\.\d+)?)+$").unwrap());

/// A 总表's line of totals: it starts with one.
static TOTAL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:本年收入合计|本年支出合计|当年收入小计|当年支出小计|本年收入小计|本年支出小计|收入总计|支出总计|收入合计|支出合计|总计|合计) ?-?\d",
    )
    .unwrap()
});

/// A figure standing alone between spaces.
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s|[^\d,.])(-?\d[\d,]*(?:\.\d+)?)").unwrap());

/// A Chinese enumerator: 「十一、」.
static ENUMERATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[一二三四五六七八九十]{1,3}、").unwrap());

/// The figure right after a 类's name.
static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s?(-?\d[\d,]*(?:\.\d+)?)").unwrap());

/// A 总表's 本年支出合计 and its figure.
static SPENDING_SUBTOTAL: LazyLock<Regex> = LazyLock::new(|| subtotal("支出"));

/// A 总表's 本年收入合计 and its figure.
static INCOME_SUBTOTAL: LazyLock<Regex> = LazyLock::new(|| subtotal("收入"));

/// The line that totals a side (`flow`: 收入 or 支出) for the year:
/// 本年…合计, 当年…小计, 本年…小计, and its figure.
fn subtotal(flow: &str) -> Regex {
    Regex::new(&format!(
        r"(?:本年{flow}合计|当年{flow}小计|本年{flow}小计)[：:]? ?(-?\d[\d,]*(?:\.\d+)?)"
    ))
    .unwrap()
}

/// How many lines after its title a one-row table's figures may be.
const FIGURES_WITHIN_LINES: usize = 6;

/// How far after a title its unit line may be (its 部门 field between).
const UNIT_WITHIN: usize = 300;

/// How many lines after its title an empty table's note may be.
const NOTE_WITHIN_LINES: usize = 8;

/// Finds the standard tables of the text and links each to the 科目
/// tables read from it.
pub fn read(text: &str, seg: &Segments, subjects: &[SubjectTable]) -> Vec<TableEntry> {
    // Every title-shaped phrase of a short line, in text order.
    let mut titles: Vec<(usize, usize)> = Vec::new();
    for para in &seg.paragraphs {
        let line = &text[para.span.clone()];
        // A title may end a paragraph the text glued it to (a page's last
        // sentence, then the next page's title), or follow a note.
        if !line.contains('表') {
            continue;
        }
        for m in TITLE.find_iter(line) {
            let (before, after) = (&line[..m.start()], &line[m.end()..]);
            // 《收支预算总表》 names a table in a sentence; 「……12」 is a
            // table of contents.
            let quoted = before.ends_with('《') || after.starts_with('》');
            let contents = after.trim_start().starts_with('…');
            // 「以下为部门决算公开表」, 「构成情况如下表」, 「明细见表」: a sentence that
            // points at tables; 「部门决算报表」: a part heading.
            let pointer = ["以下", "如下", "见"]
                .iter()
                .any(|w| m.as_str().contains(w))
                || m.as_str().ends_with("报表");
            if !quoted && !contents && !pointer {
                // What a header, a note or a row left glued before the
                // title is not the title's.
                let title = m.as_str();
                let cut = BEFORE_TITLE.find(title).map_or(0, |g| g.end());
                let cut = cut + GLUED_ROW.find(&title[cut..]).map_or(0, |g| g.end());
                let at = para.span.start + m.start();
                titles.push((at + cut, para.span.start + m.end()));
            }
        }
    }
    let mut out: Vec<TableEntry> = Vec::new();
    for (i, &(start, end)) in titles.iter().enumerate() {
        let next = titles.get(i + 1).map_or(text.len(), |t| t.0);
        let window = window_end(text, end, (end + UNIT_WITHIN).min(next));
        let Some(unit) = UNIT.captures(&text[end..window]) else {
            continue;
        };
        let title = text[start..end].to_string();
        let kind = TableKind::of_title(&title);
        // A title repeated over a continuation page is the same table.
        if out.last().is_some_and(|e| {
            e.kind == kind && NUMBERING.replace(&e.title, "") == NUMBERING.replace(&title, "")
        }) {
            continue;
        }
        let body_end = lines_after(text, seg, end, NOTE_WITHIN_LINES).min(next);
        let unit = Unit::parse(if &unit[1] == "万" {
            "万元"
        } else {
            &unit[1]
        });
        let overview = matches!(kind, TableKind::Overview | TableKind::FiscalOverview);
        let [(classes, spending_subtotal), (sources, income_subtotal), (uses, _)] = if overview {
            sides(text, seg, (end, next), unit, [&SPENDING, &INCOME, &USES])
        } else {
            Default::default()
        };
        let figures = match kind {
            TableKind::ThreePublic => one_row(text, seg, end, next, unit),
            TableKind::Overview | TableKind::FiscalOverview => {
                total_lines(text, seg, end, next, unit)
            }
            _ => Vec::new(),
        };
        out.push(TableEntry {
            empty_note: EMPTY_NOTE
                .find(&text[end..body_end])
                .map(|m| m.as_str().to_string()),
            classes,
            spending_subtotal,
            sources,
            income_subtotal,
            uses,
            figures,
            at: start,
            ..TableEntry::new(kind, &title, unit)
        });
    }
    for i in 0..out.len() {
        let (from, to) = (out[i].at, out.get(i + 1).map_or(text.len(), |e| e.at));
        out[i].subjects = subjects
            .iter()
            .enumerate()
            .filter(|(_, t)| first_figure(t).is_some_and(|at| (from..to).contains(&at)))
            .map(|(k, _)| k)
            .collect();
        out[i].subject_rows = out[i]
            .subjects
            .iter()
            .map(|&k| subjects[k].rows.len())
            .sum();
    }
    out
}

/// The first line of figures only within a few lines after `from`, before
/// `until`.
fn one_row(
    text: &str,
    seg: &Segments,
    from: usize,
    until: usize,
    unit: Option<Unit>,
) -> Vec<crate::model::Statement> {
    lines(seg, from, until)
        .skip(1)
        .take(FIGURES_WITHIN_LINES)
        .find(|p| FIGURES.is_match(&text[p.span.clone()]))
        .map(|p| {
            cells(
                &text[p.span.clone()],
                p.span.start,
                unit,
                seg,
                p.sentences.start,
            )
            .into_iter()
            .flatten()
            .collect()
        })
        .unwrap_or_default()
}

/// The figures of a 总表's 合计 and 总计 lines (「本年收入合计 2,940.05 本年
/// 支出合计 2,940.05」, 「收入总计 96,282,213.44 支出总计 96,282,213.44」,
/// 「总计 2,961.68 总计 2,961.68」) between `from` and `until`.
fn total_lines(
    text: &str,
    seg: &Segments,
    from: usize,
    until: usize,
    unit: Option<Unit>,
) -> Vec<crate::model::Statement> {
    let mut out = Vec::new();
    for p in lines(seg, from, until) {
        let line = &text[p.span.clone()];
        if !TOTAL_LINE.is_match(line) {
            continue;
        }
        for m in FIGURE.captures_iter(line).filter_map(|c| c.get(1)) {
            let at = p.span.start + m.start();
            out.extend(figure_at(m.as_str(), at, unit, seg, p.sentences.start));
        }
    }
    out
}

/// A side of a 总表: which enumerated items are its own, and the line
/// that totals them for the year.
struct Side {
    is_item: fn(&str) -> bool,
    subtotal: &'static LazyLock<Regex>,
}

/// The 支出 side: the 类 of the 支出功能分类, and 本年支出合计 (当年支出小计).
const SPENDING: Side = Side {
    is_item: crate::text::subjects::is_function_class,
    subtotal: &SPENDING_SUBTOTAL,
};

/// The 收入 side: the sources (「一、财政拨款收入」, 「二、事业收入」, 「二、财政
/// 专户管理资金」), and 本年收入合计 (当年收入小计).
const INCOME: Side = Side {
    is_item: |name| {
        !name.ends_with("支出") && ["收入", "拨款", "资金"].iter().any(|w| name.ends_with(w))
    },
    subtotal: &INCOME_SUBTOTAL,
};

/// The 支出用途 column some 收支总表 print beside the 类 (「一、基本支出」,
/// 「二、项目支出」, 「三、单位预留机动经费」): another split of 本年支出合计.
const USES: Side = Side {
    is_item: |name| {
        [
            "基本支出",
            "项目支出",
            "单位预留机动经费",
            "上缴上级支出",
            "经营支出",
            "对附属单位补助支出",
        ]
        .contains(&name)
    },
    subtotal: &SPENDING_SUBTOTAL,
};

/// What one side of a 总表 was read to hold: its items, and its total
/// for the year.
type SideReading = (Vec<ClassAmount>, Option<Statement>);

/// The items of the sides of a 总表, in one pass over its lines — each
/// segment of a line that starts with a Chinese enumerator and names an
/// item of a side (「…2,940.05一、一般公共服务支出2,106.66」), with the first
/// figure after the name — and each side's total for the year, between
/// `from` and `until`.
fn sides<const N: usize>(
    text: &str,
    seg: &Segments,
    (from, until): (usize, usize),
    unit: Option<Unit>,
    sides: [&Side; N],
) -> [SideReading; N] {
    let mut read: [(SideReading, Vec<u32>); N] = std::array::from_fn(|_| Default::default());
    let all: Vec<&Paragraph> = lines(seg, from, until).collect();
    let figure = |at: usize, m: regex::Match, p: &Paragraph| {
        figure_at(m.as_str(), at + m.start(), unit, seg, p.sentences.start)
    };
    for (i, p) in all.iter().enumerate() {
        let line = &text[p.span.clone()];
        for (side, ((_, subtotal), _)) in sides.iter().zip(read.iter_mut()) {
            if let Some(c) = side.subtotal.captures(line) {
                if subtotal.is_none() {
                    *subtotal = figure(p.span.start, c.get(1).unwrap(), p);
                }
            }
        }
        let starts: Vec<regex::Match> = ENUMERATOR.find_iter(line).collect();
        for (k, e) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(line.len(), |n| n.start());
            let segment = &line[e.end()..end];
            let name_end = segment
                .find(|c: char| c.is_ascii_digit() || c.is_whitespace())
                .unwrap_or(segment.len());
            let at = p.span.start + e.end() + name_end;
            let rest = &segment[name_end..];
            let mut name = segment[..name_end].to_string();
            let mut amount = AMOUNT
                .captures(rest)
                .and_then(|c| c.get(1))
                .and_then(|m| figure(at, m, p));
            let known = |n: &str| sides.iter().any(|side| (side.is_item)(n));
            // A broken name ends mid-word and its rest is short: a name
            // that ends as names do (「…支出」, 「…收入」) is whole, whatever
            // follows it.
            let mendable = |name: &str, tail: &str| {
                !tail.is_empty()
                    && tail.chars().count() <= 8
                    && !name.ends_with("支出")
                    && !name.ends_with("收入")
                    && known(&format!("{name}{tail}"))
            };
            if !known(&name) {
                // A name the text broke: around its figure (「八、社会保障和
                // 就1,608.51业支出」), or over two lines (「九、医疗卫生与计划
                // 生育支」 and 「出」 on the next).
                let after_figure = AMOUNT.find(rest).map(|m| &rest[m.end()..]);
                let tail_here = after_figure.map_or("", leading_name);
                // The line ends with the name, or with the name and its
                // figure (「八、社会保障和就1,608.51」, 「业支出」 below).
                let ends_line =
                    k + 1 == starts.len() && after_figure.map_or(rest, str::trim).trim().is_empty();
                if mendable(&name, tail_here) {
                    name.push_str(tail_here);
                } else if let Some(n) = all.get(i + 1).filter(|_| ends_line) {
                    let next_line = &text[n.span.clone()];
                    let tail = leading_name(next_line);
                    if mendable(&name, tail) {
                        name.push_str(tail);
                        if amount.is_none() {
                            let after = &next_line[tail.len()..];
                            amount = AMOUNT
                                .captures(after)
                                .and_then(|c| c.get(1))
                                .and_then(|m| figure(n.span.start + tail.len(), m, n));
                        }
                    }
                }
            }
            for (side, ((items, _), numbers)) in sides.iter().zip(read.iter_mut()) {
                if !(side.is_item)(&name) || items.iter().any(|c| c.name == name) {
                    continue;
                }
                items.push(ClassAmount {
                    name: name.clone(),
                    amount: amount.clone(),
                });
                numbers.extend(crate::text::numeral::chinese_numeral(
                    e.as_str().trim_end_matches('、'),
                ));
            }
        }
    }
    read.map(|((mut items, subtotal), mut numbers)| {
        // Read whole only when the items are numbered 一 to their last
        // without a gap: an item whose name the text broke (「八、社会保障和
        // 就1,608.51业支出」) is not read, and its figure would be missing
        // from the sum.
        numbers.sort_unstable();
        let whole = numbers.len() == items.len()
            && numbers.iter().enumerate().all(|(i, &n)| n == i as u32 + 1);
        if !whole {
            items.clear();
        }
        (items, subtotal)
    })
}

/// The words a line starts with, up to a figure, a space or an
/// enumerator: the rest of a name broken before it.
fn leading_name(line: &str) -> &str {
    let end = line
        .find(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '-')
        .unwrap_or(line.len());
    let end = ENUMERATOR.find(&line[..end]).map_or(end, |m| m.start());
    &line[..end]
}

/// The lines from the one holding byte `from` on, those that start before
/// `until`.
fn lines(seg: &Segments, from: usize, until: usize) -> impl Iterator<Item = &Paragraph> {
    let first = seg.paragraphs.partition_point(|p| p.span.end < from);
    seg.paragraphs[first..]
        .iter()
        .take_while(move |p| p.span.start < until)
}

/// `limit` moved back to a char boundary.
fn window_end(text: &str, from: usize, mut limit: usize) -> usize {
    limit = limit.min(text.len()).max(from);
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    limit
}

/// The end of the `n`th line after the one holding byte `at`.
fn lines_after(text: &str, seg: &Segments, at: usize, n: usize) -> usize {
    let first = seg.paragraphs.partition_point(|p| p.span.end < at);
    seg.paragraphs
        .get(first + n)
        .or(seg.paragraphs.last())
        .map_or(text.len(), |p| p.span.end)
}

/// Where a 科目 table's first figure is in the text.
fn first_figure(t: &SubjectTable) -> Option<usize> {
    t.rows
        .iter()
        .flat_map(|r| r.cells.iter().flatten())
        .map(|c| c.span.start)
        .next()
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::read::subject_table;
    use crate::segment::segment;

    fn index(text: &str) -> Vec<String> {
        let seg = segment(text);
        let subjects = subject_table::read(text, &seg);
        read(text, &seg, &subjects)
            .iter()
            .map(|e| {
                format!(
                    "{:?} {} [{}] rows {}{}",
                    e.kind,
                    e.title,
                    e.unit.map_or("?", |u| u.as_str()),
                    e.subject_rows,
                    e.empty_note
                        .as_ref()
                        .map_or(String::new(), |n| format!(" empty: {n}"))
                )
            })
            .collect()
    }

    #[test]
    fn titles_followed_by_their_unit_are_tables_and_a_contents_page_is_not() {
        let text = "目录\n一、收支预算总表\n二、财政拨款支出预算表\n三、政府性基金预算支出表\n第二部分 2026年部门预算表\n收支预算总表部门：某县档案馆单位：万元\n收入 支出\n一、一般公共预算拨款 1,200.50 一、一般公共服务支出 1,200.50\n收入总计 1,200.50 支出总计 1,200.50\n其中：动用上年结转和结余资金支出预算总表\n单位：元\n合计 基本支出 项目支出\n表五财政拨款支出预算表单位：万元\n201 一般公共服务支出 1,000.50\n20126 档案事务 1,000.50\n政府性基金预算支出表\n部门：某县档案馆 单位：万元\n功能科目编码 功能科目名称 金额\n合计\n注：本部门无政府性基金预算财政拨款安排的预算，故本表为空表。\n“三公”经费支出预算表单位：万元\n合计 因公出国（境）费 公务用车购置及运行费 公务接待费\n10.81 0 9.98 0.83\n本部门2026年“三公”经费预算10.81万元，没有因公出国（境）费，本表反映“三公”经费。\n";
        assert_eq!(
            index(text),
            [
                "Overview 收支预算总表 [万元] rows 0",
                "Spending 支出预算总表 [元] rows 0",
                "FiscalSpending 表五财政拨款支出预算表 [万元] rows 2",
                "GovernmentFund 政府性基金预算支出表 [万元] rows 0 empty: 注：本部门无政府性基金预算财政拨款安排的预算，故本表为空表",
                "ThreePublic “三公”经费支出预算表 [万元] rows 0",
            ]
        );
    }

    #[test]
    fn a_title_glued_after_a_note_or_a_header_is_found() {
        let text = "以下为部门决算公开表（金额单位：万元）。\n支出决算按功能分类的构成情况如下表（单位：万元）\n收支决算明细见表1（单位：元）\n二、2023年度部门决算报表单位：万元\n功能科目编码功能科目名称金额合计注：本部门无该项目一般公共预算机关运行经费支出预算表部门：江苏省某厅单位：万元\n科目编码 科目名称 机关运行经费支出\n序号单位名称备注1某局（本级）第二部分某局2024年度部门决算表收入支出决算总表单位：万元\n附件：某局2025年部门预算公开表（另附）收支预算总表\n部门：某局单位：万元\n（一）财政拨款支出预算表\n单位：万元\n";
        assert_eq!(
            index(text),
            [
                "OperatingCosts 一般公共预算机关运行经费支出预算表 [万元] rows 0",
                "Overview 收入支出决算总表 [万元] rows 0",
                "Overview 收支预算总表 [万元] rows 0",
                "FiscalSpending （一）财政拨款支出预算表 [万元] rows 0",
            ]
        );
    }

    #[test]
    fn class_names_broken_around_their_figure_or_over_lines_are_mended() {
        let text = "收支预算总表\n部门：某厅单位：万元\n一、财政拨款 30.00 一、一般公共服务支出 10.00\n二、其他资金 二、文化体育与传\n媒支出\n三、社会保障和就5.00\n业支出\n四、医疗卫生与计划生\n育支出 15.00\n五、住房保障支出\n本年收入合计 30.00 本年支出合计 30.00\n";
        let seg = segment(text);
        let subjects = subject_table::read(text, &seg);
        let tables = read(text, &seg, &subjects);
        let classes: Vec<String> = tables[0]
            .classes
            .iter()
            .map(|c| {
                let amount = c
                    .amount
                    .as_ref()
                    .map_or("-".into(), |a| a.value.to_string());
                format!("{} {amount}", c.name)
            })
            .collect();
        assert_eq!(
            classes,
            [
                "一般公共服务支出 10.00",
                "文化体育与传媒支出 -",
                "社会保障和就业支出 5.00",
                "医疗卫生与计划生育支出 15.00",
                "住房保障支出 -",
            ]
        );
        // A whole name is not joined to what follows it.
        let text = "收支决算总表\n单位：万元\n一、一般公共预算收入 3.00 一、一般公共服务支出 3.00\n二、转移性收入 1.00 二、外交支出\n中央税收返还收入 1.00\n本年收入合计 4.00 本年支出合计 3.00\n";
        let seg = segment(text);
        let tables = read(text, &seg, &[]);
        let names: Vec<&str> = tables[0].classes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["一般公共服务支出", "外交支出"]);
    }
}
