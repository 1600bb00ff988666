//! TBL008: last year's figure that this year's document implies is not
//! what last year's own document states.
//!
//! ## What it checks
//! A 预算/决算 narrative states this year's totals with their change
//! against last year: 「2018年度收入、支出预算总计21,955.35万元，与上年
//! 相比…增加3,958.67万元」 says that last year's total was 21,955.35 −
//! 3,958.67 = 17,996.68万元 (or states it: 「上年为…」). When the batch
//! holds the same body's document of the year before, of the same kind
//! (预算 with 预算, 决算 with 决算; see `crate::pairs`), that figure must be
//! in it:
//! - a total of the 收支总表 or of the 财政拨款收支总表 (the statement that
//!   TBL007 reads as one): one of the figures on the 合计/总计 lines of
//!   last year's table of the same kind;
//! - the total of a 财政拨款 支出 table (「一般公共预算财政拨款支出预算…」):
//!   the 合计 of last year's table of that kind, where its 类/款/项 sums
//!   confirm its reading;
//! - a “三公” item (「公务接待费预算支出101.26万元，比上年减少15.24万元」),
//!   or 会议费, 培训费, 机关运行经费 where the “三公” table carries them: one
//!   of the figures of last year's “三公” table row (as TBL005 reads it) —
//!   not where last year's figure would be 0, which a blank cell hides;
//! - a 类 of spending (「一般公共服务支出22,395.50万元，比上年增加
//!   2,241.75万元」): the 类 on the 支出 side of last year's 收支总表 —
//!   compared only where last year's 收支总表 and 财政拨款收支总表 give
//!   that 类 the same amount, so that the sentence's scope (all funds or
//!   财政拨款 only) cannot matter.
//!
//! Each within the precision of every figure (this year's, its change,
//! last year's), 元 and 万元 converted; a sentence that does not say it
//! compares with last year (上年, 上一年, or last year's number) is not
//! read. (A miss by one unit of a last digit is within those precisions,
//! so it never fires.)
//!
//! ## Why it matters
//! The change is checked within the sentence by GRW001; only last year's
//! document shows whether the base itself is right: a change computed
//! from a draft, from the adjusted budget, or copied from another line.
//!
//! ## Example
//! This year: 「一般公共预算财政拨款支出预算21,940.96万元，比上年增加
//! 3,958.98万元」 (so last year 17,981.98); last year's 一般公共预算支出
//! 预算表 合计 17,981.68 → TBL008 (the change should be 3,959.28).

use crate::model::{Code, Finding, Report, Statement, TableKind};
use crate::number::Interval;
use crate::rules::evidence::Ctx;
use crate::rules::subject_sum_mismatch::reading_confirmed;
use crate::rules::total_text_mismatch::carriers;
use rust_decimal::Decimal;

/// Last year's document, read: its report, the context that quotes it,
/// and its path for the evidence.
pub struct LastYear<'a> {
    pub report: &'a Report,
    pub cx: &'a Ctx<'a>,
    pub path: &'a str,
}

/// Words that say a change is against last year.
const LAST_YEAR: &[&str] = &["上年", "上一年", "去年"];

pub fn check_pair(r: &Report, cx: &Ctx, last: &LastYear, out: &mut Vec<Finding>) {
    for c in &r.changes {
        // The sentences of its figures: the change may follow in the next
        // one (「…支出22395.50万元，主要用于…。与上年相比增加2241.75万元」).
        let said = [Some(&c.current), c.delta.as_ref(), c.previous.as_ref()]
            .into_iter()
            .flatten()
            .any(|st| {
                let s = &cx.text[cx.seg.sentences[st.sentence].span.clone()];
                let year_before = sentence_year(s).map(|y| format!("{}年", y - 1));
                LAST_YEAR.iter().any(|w| s.contains(w))
                    || year_before.as_deref().is_some_and(|y| s.contains(y))
            });
        if !said {
            continue;
        }
        let Some(implied) = implied_previous(c) else {
            continue;
        };
        let Some((mut figures, what, row)) = last_years_figures(r, c, last.report) else {
            continue;
        };
        // Last year's 0 may be a blank cell, which the text does not show.
        let none_last_year = implied.contains(rust_decimal::Decimal::ZERO);
        if none_last_year
            || figures.is_empty()
            || figures.iter().any(|f| f.interval().intersects(&implied))
        {
            continue;
        }
        if row {
            // Named by its 合计 (the row's other cells are its parts).
            figures.truncate(1);
        }
        out.push(finding(cx, last, c, &figures, &what, &implied));
    }
}

/// The first year a sentence names (「2018年度…」).
fn sentence_year(s: &str) -> Option<u32> {
    let bytes = s.as_bytes();
    (0..bytes.len().saturating_sub(4)).find_map(|i| {
        let digits = bytes[i..i + 4].iter().all(u8::is_ascii_digit);
        let before = i == 0 || !bytes[i - 1].is_ascii_digit();
        (digits && before && s[i + 4..].starts_with('年'))
            .then(|| s[i..i + 4].parse().ok())
            .flatten()
    })
}

/// Last year's figure the change implies, in 元: stated (「上年为…」), or
/// this year's ∓ the change.
fn implied_previous(c: &crate::model::Change) -> Option<Interval> {
    if let Some(p) = &c.previous {
        return Some(p.interval());
    }
    let d = c.delta.as_ref()?;
    let now = c.current.interval();
    Some(if c.increase {
        now.minus(d.interval())
    } else {
        now.plus(d.interval())
    })
}

/// The figures of last year's document the change's amount must be one
/// of, and what they are (for the message): a table's title, or a 类 in
/// it. The 合计 row of a 支出 table offers all its cells (its 合计 column
/// may be printed last), the first named in the message.
fn last_years_figures<'a>(
    r: &Report,
    c: &crate::model::Change,
    last: &'a Report,
) -> Option<(Vec<&'a Statement>, String, bool)> {
    // A total this year's narrative states (TBL007's reading).
    if let Some(m) = r
        .total_mentions
        .iter()
        .find(|m| m.amount.span.start == c.current.span.start)
    {
        let table = last.only_table(m.table)?;
        let (figures, row) = carriers(last, m, table)?;
        let what = if row {
            format!("{}合计", table.title)
        } else {
            format!("{}合计、总计行", table.title)
        };
        return Some((figures, what, row));
    }
    // A “三公” item (or 会议费, 培训费, 机关运行经费 where the table
    // carries them): one of the figures of last year's “三公” table row
    // (TBL005's reading: its column order varies, blank cells are unseen).
    if let Some(m) = r
        .three_public_mentions
        .iter()
        .find(|m| m.amount.span.start == c.current.span.start)
    {
        let table = last.only_table(TableKind::ThreePublic)?;
        let carried = !["机关运行经费", "会议费", "培训费"].contains(&m.item.as_str())
            || table.title.contains(m.item.as_str());
        if !carried || table.figures.is_empty() {
            return None;
        }
        return Some((table.figures.iter().collect(), table.title.clone(), false));
    }
    // A 类 of spending, where last year's 总表 and its 财政拨款 支出 table
    // give it the same amount (so the sentence's scope cannot matter).
    // 「一般公共服务支出预算」 names the 类 一般公共服务支出.
    let mut name = c.name.trim();
    for phase in ["预算数", "决算数", "预算", "决算"] {
        name = name.strip_suffix(phase).unwrap_or(name);
    }
    let overview = last.only_table(TableKind::Overview)?;
    let all_funds = overview
        .classes
        .iter()
        .find(|k| k.name == name)?
        .amount
        .as_ref()?;
    let fiscal_agrees = [TableKind::FiscalSpending, TableKind::GeneralSpending]
        .into_iter()
        .filter_map(|kind| last.subject_table_of(last.only_table(kind)?))
        .filter(|t| reading_confirmed(t))
        .any(|t| {
            t.rows.iter().any(|row| {
                row.code.len() == 3
                    && row.name == name
                    && row
                        .cells
                        .first()
                        .and_then(Option::as_ref)
                        .is_some_and(|cell| cell.interval() == all_funds.interval())
            })
        });
    fiscal_agrees.then(|| (vec![all_funds], format!("{}中{name}", overview.title), false))
}

fn finding(
    cx: &Ctx,
    last: &LastYear,
    c: &crate::model::Change,
    figures: &[&Statement],
    what: &str,
    implied: &Interval,
) -> Finding {
    let in_unit = |f: &Statement, unit: Decimal| f.value.value * f.unit.map_or(Decimal::ONE, |u| u.in_yuan()) / unit;
    let shown: Vec<String> = figures.iter().map(|f| f.display()).collect();
    let (how, stated, expected) = match (&c.previous, &c.delta) {
        (Some(p), _) => (
            format!("所述上年数 {}", p.display()),
            p.value.to_string(),
            shown[0].clone(),
        ),
        (None, Some(d)) => {
            // The change that last year's (nearest) figure gives.
            let unit = d.unit.map_or(Decimal::ONE, |u| u.in_yuan());
            let now = in_unit(&c.current, unit);
            let nearest = figures
                .iter()
                .map(|f| in_unit(f, unit))
                .min_by_key(|f| (now - *f).abs())
                .unwrap_or_default();
            let exact = (now - nearest).abs();
            let word = if c.increase { "增加" } else { "减少" };
            (
                format!(
                    "{} {} 比上年{word} {}，即上年为 {}",
                    c.name,
                    c.current.display(),
                    d.display(),
                    implied_display(implied, c),
                ),
                d.value.to_string(),
                // To the change's own decimals (3,959.28, 32.30).
                format!("{:.*}", d.value.value.scale() as usize, exact),
            )
        }
        (None, None) => unreachable!("implied_previous needs one of them"),
    };
    let file = std::path::Path::new(last.path)
        .file_name()
        .map_or(last.path.to_string(), |n| n.to_string_lossy().into_owned());
    let message = format!(
        "{how}，与上年文件 {file} 的{what}（{}）不符",
        shown.join("、")
    );
    let mut evidence = vec![cx.evidence(&c.current)];
    for f in figures {
        let mut e = last.cx.evidence(f);
        e.source = Some(last.path.to_string());
        evidence.push(e);
    }
    cx.finding(Code::TBL008, message, stated, expected, evidence)
}

/// Last year's figure as this year's sentence implies it, in the unit of
/// this year's figure (the interval's middle, to the figure's decimals).
fn implied_display(implied: &Interval, c: &crate::model::Change) -> String {
    let unit = c.current.unit.map_or(Decimal::ONE, |u| u.in_yuan());
    let mid = (implied.lo + implied.hi) / Decimal::TWO / unit;
    let dp = c.current.value.value.scale();
    let v = crate::number::round_half_up(mid, dp);
    match c.current.unit {
        Some(u) => format!("{v} {}", u.as_str()),
        None => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{check_pair, LastYear};
    use crate::model::{
        ClassAmount, Severity, TableEntry, TableKind, TotalMention, Unit,
    };
    use crate::model::Finding;
    use crate::rules::testing::{messages, said, Doc};

    /// The rule between this year's document and `last` (at `path`).
    fn pair(now: &Doc, last: &Doc, path: &str) -> Vec<Finding> {
        now.with_ctx(|report, cx| {
            last.with_ctx(|last_report, last_cx| {
                let last = LastYear {
                    report: last_report,
                    cx: last_cx,
                    path,
                };
                let mut out = Vec::new();
                check_pair(report, cx, &last, &mut out);
                out
            })
        })
    }

    /// This year's document: its total and its change against last year.
    fn this_year(total: &str, delta: &str) -> Doc {
        let mut d = Doc::new();
        let change = d.change("收入、支出预算总计", total, "", delta, "", true);
        d.report.total_mentions = vec![TotalMention {
            table: TableKind::Overview,
            phase: None,
            amount: change.current.clone(),
        }];
        d.report.changes = vec![change];
        d
    }

    /// Last year's: its 收支总表 (in 元, as Shanghai prints it).
    fn last_year() -> Doc {
        let mut d = Doc::new();
        let figures = ["179966800.00", "179966800.00"]
            .iter()
            .map(|v| d.amount("总计", &format!("{v} 元")))
            .collect();
        d.report.tables = vec![TableEntry {
            figures,
            ..TableEntry::new(TableKind::Overview, "收支预算总表", Some(Unit::Yuan))
        }];
        d
    }

    #[test]
    fn last_years_total_as_last_years_document_states_it_holds() {
        let now = this_year("21955.35 万元", "3958.67 万元");
        assert!(messages(&pair(&now, &last_year(), "a/2017.pdf")).is_empty());
    }

    #[test]
    fn a_change_from_another_base_fires_naming_last_years_file() {
        let now = this_year("21955.35 万元", "3958.98 万元");
        let f = pair(&now, &last_year(), "a/2017.pdf");
        assert_eq!(
            said(&f[0]),
            (
                "收入、支出预算总计 21955.35 万元 比上年增加 3958.98 万元，即上年为 17996.37 万元，与上年文件 2017.pdf 的收支预算总表合计、总计行（179966800.00 元、179966800.00 元）不符",
                "3958.98",
                "3958.67"
            )
        );
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].evidence[1].source.as_deref(), Some("a/2017.pdf"));
        assert_eq!(f[0].evidence[0].source, None);
    }

    #[test]
    fn a_miss_within_the_stated_precision_holds() {
        // 21955.35 − 3958.68 may be 17996.66 to 17996.68: it may be 17996.68.
        let now = this_year("21955.35 万元", "3958.68 万元");
        assert!(pair(&now, &last_year(), "2017.pdf").is_empty());
    }

    /// A 类: compared only where last year's 财政拨款 支出 table gives it
    /// the amount of the 收支总表 (no other funds in it).
    fn class_years(fiscal: &str) -> (Doc, Doc) {
        let mut now = Doc::new();
        let change = now.change("一般公共服务支出", "22395.50 万元", "", "2241.75 万元", "", true);
        now.report.changes = vec![change];
        let mut last = Doc::new();
        let amount = last.amount("一般公共服务支出", "20153.70 万元");
        let table = last.subject_table(
            "一般公共预算支出预算表",
            Unit::WanYuan,
            &[("201", "一般公共服务支出", &[fiscal]), ("20101", "人大事务", &[fiscal])],
        );
        last.report.subject_tables = vec![table];
        let mut spending = TableEntry::new(TableKind::GeneralSpending, "一般公共预算支出预算表", Some(Unit::WanYuan));
        spending.subjects = vec![0];
        last.report.tables = vec![
            TableEntry {
                classes: vec![ClassAmount {
                    name: "一般公共服务支出".into(),
                    amount: Some(amount),
                }],
                ..TableEntry::new(TableKind::Overview, "收支预算总表", Some(Unit::WanYuan))
            },
            spending,
        ];
        (now, last)
    }

    /// A “三公” item against last year's “三公” table row.
    fn three_public_years(item: &str, now: &str, delta: &str, increase: bool) -> (Doc, Doc) {
        let mut d = Doc::new();
        let change = d.change(item, now, "", delta, "", increase);
        d.report.three_public_mentions = vec![crate::model::ThreePublicMention {
            item: item.into(),
            amount: change.current.clone(),
        }];
        d.report.changes = vec![change];
        let mut last = Doc::new();
        let figures = ["33.00", "8.60", "24.40"]
            .iter()
            .map(|v| last.amount("“三公”", &format!("{v} 万元")))
            .collect();
        last.report.tables = vec![TableEntry {
            figures,
            ..TableEntry::new(TableKind::ThreePublic, "“三公”经费支出预算表", Some(Unit::WanYuan))
        }];
        (d, last)
    }

    #[test]
    fn a_three_public_item_is_one_of_last_years_row() {
        let (now, last) = three_public_years("公务接待费", "10.00 万元", "1.40 万元", true);
        assert!(pair(&now, &last, "2017.pdf").is_empty());
        let (now, last) = three_public_years("公务接待费", "10.00 万元", "1.50 万元", true);
        assert_eq!(pair(&now, &last, "2017.pdf").len(), 1);
        // Last year's 0 would be a blank cell: not compared.
        let (now, last) = three_public_years("因公出国（境）费", "5.00 万元", "5.00 万元", true);
        assert!(pair(&now, &last, "2017.pdf").is_empty());
    }

    #[test]
    fn a_class_is_compared_only_where_its_scope_cannot_matter() {
        let (now, last) = class_years("20153.70");
        let f = pair(&now, &last, "2018.pdf");
        assert_eq!(f.len(), 1, "{:?}", messages(&f));
        assert!(f[0].message.contains("收支预算总表中一般公共服务支出"));
        // Other funds in the 类: the sentence may mean either amount.
        let (now, last) = class_years("20000.00");
        assert!(pair(&now, &last, "2018.pdf").is_empty());
    }
}
