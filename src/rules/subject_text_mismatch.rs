//! TBL003: the narrative states a 科目's amount that its table does not.
//!
//! ## What it checks
//! In the section that explains a table (「五、财政拨款支出预算表情况说明」),
//! a sentence that names a 科目 by its levels — 「政协事务（款）行政运行（项）
//! 支出3,233.03万元」 — states an amount of that 科目's row in that table:
//! the row with that name at that level (under the 款 or 类 named with it,
//! among its ancestors) must show it in one of its cells, within the
//! precision of both figures, amounts in 元 and 万元 converted exactly.
//!
//! Nothing is compared where the section names no table the document
//! holds, where the 科目 has no row there, or where the table's own sums
//! fail in too many places to confirm its reading (see TBL001).
//!
//! ## Why it matters
//! The narrative is what most readers read; a figure that its table does
//! not carry was copied from the wrong row or the wrong year, or the
//! table was changed after the text was written.
//!
//! ## Example
//! Under 「财政拨款支出预算表情况说明」, 「政协事务（款）行政运行（项）支出
//! 3,323.03万元」 while the table's row 「2010201 行政运行」 is 3,233.03 →
//! TBL003. 「3,233.03万元」 holds.

use crate::model::{Code, Finding, Report, Statement, SubjectMention, SubjectRow, SubjectTable};
use crate::rules::evidence::Ctx;

/// Whether a table's title is the table a section names: the title ends
/// with the name, and what comes before is a number, a year or a body
/// (「五、」, 「公开05表」, 「2017年度…部门」), not more of a name
/// (「财政拨款支出预算表」 is not 「支出预算表」).
fn named(title: &str, name: &str) -> bool {
    let Some(before) = title.strip_suffix(name) else {
        return false;
    };
    before.is_empty()
        || before.ends_with(|c: char| c.is_ascii_digit() || "、.．）)表一二三四五六七八九十".contains(c))
        || ["部门", "单位", "年度", "年"].iter().any(|w| before.ends_with(w))
}

/// Whether `row` is the 科目 `name` (a narrative drops 「支出」 from a
/// 类's name: 「一般公共服务（类）」 is 「一般公共服务支出」).
pub(crate) fn same_name(row: &str, name: &str) -> bool {
    row == name || row.strip_suffix("支出") == Some(name) || name.strip_suffix("支出") == Some(row)
}

/// The rows of `t` that are the mention's 科目: its name at its level, and
/// under the 科目 named before it where the table lists that one.
fn rows<'a>(t: &'a SubjectTable, m: &SubjectMention) -> Vec<&'a SubjectRow> {
    let Some((name, level)) = m.chain.last() else {
        return Vec::new();
    };
    t.rows
        .iter()
        .filter(|r| r.code.len() == *level && same_name(&r.name, name))
        // Each 科目 named before it is one of its ancestors, at whatever
        // level (writers mark a 款 as （类） too).
        .filter(|r| {
            m.chain[..m.chain.len() - 1].iter().all(|(pname, _)| {
                t.rows.iter().any(|p| {
                    p.code.len() < r.code.len()
                        && r.code.starts_with(p.code.as_str())
                        && same_name(&p.name, pname)
                })
            })
        })
        .collect()
}

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let confirmed = crate::rules::subject_sum_mismatch::reading_confirmed;
    for m in &r.subject_mentions {
        let tables: Vec<&SubjectTable> = r
            .subject_tables
            .iter()
            .filter(|t| named(&t.title, &m.table))
            .collect();
        if tables.is_empty() || !tables.iter().all(|t| confirmed(t)) {
            continue;
        }
        let found: Vec<(&SubjectTable, &SubjectRow)> = tables
            .iter()
            .flat_map(|t| rows(t, m).into_iter().map(move |row| (*t, row)))
            .collect();
        let Some((t, row)) = found.first() else {
            continue;
        };
        let carried = found.iter().any(|(_, row)| {
            row.cells
                .iter()
                .flatten()
                .any(|c| c.interval().intersects(&m.amount.interval()))
        });
        if carried {
            continue;
        }
        let cells: Vec<&Statement> = row.cells.iter().flatten().collect();
        let Some(first) = cells.first() else { continue };
        let shown: Vec<String> = cells.iter().map(|c| c.value.to_string()).collect();
        let chain: String = m
            .chain
            .iter()
            .map(|(n, l)| {
                let mark = match l {
                    3 => "类",
                    5 => "款",
                    _ => "项",
                };
                format!("{n}（{mark}）")
            })
            .collect();
        let mut evidence = vec![cx.evidence(&m.amount)];
        evidence.extend(cells.iter().map(|c| cx.evidence(c)));
        out.push(cx.finding(
            Code::TBL003,
            format!(
                "说明中{chain} {}，与{}中该科目（{} {}）的 {} {} 均不符",
                m.amount.display(),
                t.title,
                row.code,
                row.name,
                shown.join("、"),
                first.unit.map_or("", |u| u.as_str())
            ),
            m.amount.value.to_string(),
            first.value.to_string(),
            evidence,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::model::{SubjectMention, SubjectRow, SubjectTable, Unit};
    use crate::rules::testing::{messages, said, Doc};

    fn doc(stated: &str, unit: &str, table_unit: Unit) -> Doc {
        let mut d = Doc::new();
        let u = table_unit.as_str();
        // The table's figures in its own unit: 万元 as written, 元 × 10000.
        let in_unit = |v: &str| match table_unit {
            Unit::Yuan => format!("{}00.00", v.replace('.', "")),
            _ => v.to_string(),
        };
        let row = |d: &mut Doc, code: &str, name: &str, v: &str| SubjectRow {
            code: code.into(),
            name: name.into(),
            cells: vec![Some(
                d.amount(&format!("{code} {name}"), &format!("{} {u}", in_unit(v))),
            )],
        };
        let rows = vec![
            row(&mut d, "201", "一般公共服务支出", "6463.55"),
            row(&mut d, "20102", "政协事务", "6463.55"),
            row(&mut d, "2010201", "行政运行", "3233.03"),
            row(&mut d, "2010202", "一般行政管理事务", "3230.52"),
        ];
        d.report.subject_tables = vec![SubjectTable {
            title: "表五财政拨款支出预算表".into(),
            unit: Some(table_unit),
            page: 1,
            rows,
            total: None,
        }];
        let amount = d.amount("政协事务（款）行政运行（项）支出", &format!("{stated} {unit}"));
        d.report.subject_mentions = vec![SubjectMention {
            table: "财政拨款支出预算表".into(),
            chain: vec![("政协事务".into(), 5), ("行政运行".into(), 7)],
            amount,
        }];
        d
    }

    #[test]
    fn an_amount_its_row_does_not_carry_fires() {
        let d = doc("3323.03", "万元", Unit::WanYuan);
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["说明中政协事务（款）行政运行（项） 3323.03 万元，与表五财政拨款支出预算表中该科目（2010201 行政运行）的 3233.03 万元 均不符"]
        );
        assert_eq!((said(&f[0]).1, said(&f[0]).2), ("3323.03", "3233.03"));
    }

    #[test]
    fn the_rows_amount_holds_in_either_unit() {
        assert!(doc("3233.03", "万元", Unit::WanYuan).findings(check).is_empty());
        // 32,330,300.00 元 in the table is 3,233.03 万元 in the text.
        assert!(doc("3233.03", "万元", Unit::Yuan).findings(check).is_empty());
        assert_eq!(doc("3233.04", "万元", Unit::Yuan).findings(check).len(), 1);
    }

    #[test]
    fn a_mention_of_another_table_or_another_kuan_is_not_compared() {
        let mut d = doc("3323.03", "万元", Unit::WanYuan);
        d.report.subject_mentions[0].table = "一般公共预算支出预算表".into();
        assert!(d.findings(check).is_empty());
        let mut d = doc("3323.03", "万元", Unit::WanYuan);
        d.report.subject_mentions[0].chain[0].0 = "人大事务".into();
        assert!(d.findings(check).is_empty());
    }
}
