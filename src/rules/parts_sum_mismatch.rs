//! SUM001: parts do not add up to their stated total.
//!
//! ## What it checks
//! Income items add up to 收入合计, expenditure items (基本支出, 项目支出…) to
//! 支出合计, and the amounts of the listed 一级项目 of all units to 项目支出.
//! A total the report breaks down must equal its parts: 基本支出 = 人员经费 +
//! 公用经费; “三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费;
//! 公务用车购置及运行费 = 购置费 + 运行维护费; 财政拨款收入（支出） =
//! 一般公共预算 + 政府性基金预算 (+ 国有资本经营预算) 财政拨款.
//! In a budget execution table, 年度资金总额 is the sum of 当年财政拨款,
//! 上年结转资金 and 其他资金 in each of 年初预算数, 全年预算数 and 全年执行数;
//! where a source is left empty, the total is still checked against the
//! sources stated when they alone exceed it (a total row left at zero),
//! in one finding for the row. The amounts listed under a total by their
//! use (「共完成预算资金89.97万元。其中：30万元用于…；30万元用于…；29.99万元
//! 用于…」) may be only some of its uses: they are checked against
//! exceeding it — an error when they do for every value their precision
//! allows, a warning when they do as written (a part without cents, 30,
//! beside one with cents, 29.99, taken as 30.00 exactly).
//! Each figure counts with its stated precision, and amounts in 元 and 万元
//! are compared exactly after conversion.
//!
//! ## Why it matters
//! A total that its parts do not reach hides spending that is not
//! explained, or a mistyped figure in the part of the report a reviewer
//! reads first.
//!
//! ## Example
//! 「项目支出 4726.02 万元」 while the listed 一级项目 add up to 4714.28 万元 →
//! SUM001. 「收入合计 10590.2 万元 = 10583.6 + 6.6」 holds.

use crate::model::{Report, Split, Statement};
use crate::rules::evidence::Ctx;
use crate::model::Finding;
use crate::model::Code;
use rust_decimal::Decimal;

fn split_parts(split: &Split) -> Option<Vec<&Statement>> {
    if split.items.len() < 2 {
        return None;
    }
    split.items.iter().map(|i| i.amount.get()).collect()
}

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    splits(r, cx, out);
    budget_lines(r, cx, out);
    breakdowns(r, cx, out);
    projects(r, cx, out);
    purpose_lists(r, cx, out);
}

/// The uses listed under a total (「其中：30万元用于…；29.99万元用于…」)
/// may be only some of them, so their sum is checked only against being
/// more than the total.
fn purpose_lists(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for l in &r.purpose_lists {
        let sum = l
            .parts
            .iter()
            .map(|p| p.interval())
            .sum::<crate::number::Interval>();
        let proven = sum.lo > l.total.interval().hi;
        // Read as the writer wrote them: where some parts show cents
        // (29.99), a part written without them (30) has none; a list that
        // exceeds its total only under that reading is a warning.
        let cents = l.parts.iter().any(|p| p.value.value.scale() > 0);
        let as_written = cents
            && l
                .parts
                .iter()
                .map(|p| {
                    if p.value.value.scale() == 0 {
                        Statement {
                            value: crate::number::Stated::exact(p.value.value),
                            ..p.clone()
                        }
                        .interval()
                    } else {
                        p.interval()
                    }
                })
                .sum::<crate::number::Interval>()
                .lo
                > l.total.interval().hi;
        if !proven && !as_written {
            continue;
        }
        let exact: Decimal = l.parts.iter().map(|p| p.value.value).sum();
        let unit = l.total.unit.map_or("", |u| u.as_str());
        let same_unit = l.parts.iter().all(|p| p.unit == l.total.unit);
        let shown = if same_unit {
            format!("{exact} {unit}")
        } else {
            let parts: Vec<String> = l.parts.iter().map(Statement::display).collect();
            parts.join(" + ")
        };
        let mut evidence = vec![cx.evidence(&l.total)];
        evidence.extend(l.parts.iter().map(|p| cx.evidence(p)));
        let mut f = cx.finding(
            Code::SUM001,
            format!(
                "总额 {}，小于其中所列 {} 项用途金额之和 {shown}{}",
                l.total.display(),
                l.parts.len(),
                if proven {
                    ""
                } else {
                    "（未写小数的金额按整数计）"
                }
            ),
            l.total.value.to_string(),
            if same_unit { exact.to_string() } else { String::new() },
            evidence,
        );
        if !proven {
            f.severity = crate::model::Severity::Warning;
        }
        out.push(f);
    }
}

/// Income items add up to 收入合计, expenditure items to 支出合计.
fn splits(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for (name, split) in [("收入合计", &r.income), ("支出合计", &r.expenditure)] {
        let (Some(total), Some(parts)) = (split.total.get(), split_parts(split)) else {
            continue;
        };
        let (ok, exact) = total.sum_holds(&parts);
        if !ok {
            let names: Vec<&str> = split.items.iter().map(|i| i.name.as_str()).collect();
            let mut evidence = vec![cx.evidence(total)];
            evidence.extend(parts.iter().map(|p| cx.evidence(p)));
            out.push(cx.finding(
                Code::SUM001,
                format!(
                    "{name} {}，与{}之和 {} 不符",
                    total.display(),
                    names.join("、"),
                    exact.display()
                ),
                total.value.to_string(),
                exact.value.to_string(),
                evidence,
            ));
        }
    }
}

/// 基本支出 = 人员经费 + 公用经费, “三公”经费 = 因公出国（境）费 + 公务用车购置
/// 及运行费 + 公务接待费, and the like.
fn breakdowns(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for b in r.breakdowns.iter().filter(|b| b.is_complete()) {
        let parts: Vec<&Statement> = b.parts.iter().map(|p| &p.amount).collect();
        let (ok, exact) = b.total.sum_holds(&parts);
        if !ok {
            let names: Vec<&str> = b.parts.iter().map(|p| p.name.as_str()).collect();
            let mut evidence = vec![cx.evidence(&b.total)];
            evidence.extend(parts.iter().map(|p| cx.evidence(p)));
            out.push(cx.finding(
                Code::SUM001,
                format!(
                    "{} {}，与{}之和 {} 不符",
                    b.name,
                    b.total.display(),
                    names.join("、"),
                    exact.display()
                ),
                b.total.value.to_string(),
                exact.value.to_string(),
                evidence,
            ));
        }
    }
}

/// The listed 一级项目 add up to 项目支出.
fn projects(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let projects: Vec<_> = r.projects.all().collect();
    if projects.len() < 2 {
        return;
    }
    let Some(parts) = projects
        .iter()
        .map(|p| p.amount.get())
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let Some(total) = r
        .expenditure
        .items
        .iter()
        .find(|i| i.name == "项目支出")
        .and_then(|i| i.amount.get())
    else {
        return;
    };
    let (ok, exact) = total.sum_holds(&parts);
    if !ok {
        let mut evidence = vec![cx.evidence(total)];
        evidence.extend(parts.iter().map(|p| cx.evidence(p)));
        let diff = (total.value.value - exact.value.value).abs();
        out.push(cx.finding(
            Code::SUM001,
            format!(
                "所列 {} 个一级项目支出合计 {}，与项目支出 {} 不符（相差 {} {}）",
                projects.len(),
                exact.display(),
                total.display(),
                diff,
                total.unit.map(|u| u.as_str()).unwrap_or("")
            ),
            total.value.to_string(),
            exact.value.to_string(),
            evidence,
        ));
    }
}

/// A column whose stated parts exceed its total: the column's name, the
/// total, the parts' exact sum and the parts.
type Exceeded<'a> = (&'static str, &'a Statement, Statement, Vec<&'a Statement>);

/// A budget execution table: 年度资金总额 = 当年财政拨款 + 上年结转资金 +
/// 其他资金, column by column. A column with a part left empty (or a row
/// not read) proves a mismatch only when the stated parts alone already
/// exceed the total: the parts are amounts, none below zero.
fn budget_lines(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let Some((total, subs)) = r.budget_lines.split_first() else {
        return;
    };
    if subs.is_empty() {
        return;
    }
    type Column = fn(&crate::model::BudgetLine) -> &crate::model::Quantity;
    let columns: [(&str, Column); 3] = [
        ("年初预算数", |l| &l.initial_budget),
        ("全年预算数", |l| &l.budget),
        ("全年执行数", |l| &l.executed),
    ];
    // Columns whose stated parts exceed the total while a part is not
    // stated: one row's mistake (a total left at zero), one finding.
    let mut exceeded: Vec<Exceeded> = Vec::new();
    let mut exceeded_names: Vec<&str> = Vec::new();
    for (col, get) in columns {
        let Some(t) = get(total).get() else { continue };
        let stated: Vec<(&str, &Statement)> = subs
            .iter()
            .filter_map(|l| Some((l.name.as_str(), get(l).get()?)))
            .collect();
        if stated.is_empty() {
            continue;
        }
        let parts: Vec<&Statement> = stated.iter().map(|p| p.1).collect();
        let (ok, exact) = t.sum_holds(&parts);
        let names: Vec<&str> = stated.iter().map(|p| p.0).collect();
        if ok {
            continue;
        }
        if subs.len() >= 2 && stated.len() == subs.len() {
            let mut evidence = vec![cx.evidence(t)];
            evidence.extend(parts.iter().map(|p| cx.evidence(p)));
            out.push(cx.finding(
                Code::SUM001,
                format!(
                    "{}{col} {}，与{}之和 {} 不符",
                    total.name,
                    t.display(),
                    names.join("、"),
                    exact.display()
                ),
                t.value.to_string(),
                exact.value.to_string(),
                evidence,
            ));
            continue;
        }
        let sum = parts
            .iter()
            .map(|p| p.interval())
            .sum::<crate::number::Interval>();
        let exceeds = parts
            .iter()
            .all(|p| p.value.value >= Decimal::ZERO && p.unit == t.unit)
            && sum.lo > t.interval().hi;
        if exceeds {
            for n in names {
                if !exceeded_names.contains(&n) {
                    exceeded_names.push(n);
                }
            }
            exceeded.push((col, t, exact, parts));
        }
    }
    let Some((_, first_total, first_exact, _)) = exceeded.first() else {
        return;
    };
    let join = |f: &dyn Fn(&Exceeded) -> String| {
        exceeded.iter().map(f).collect::<Vec<_>>().join("、")
    };
    let mut evidence = Vec::new();
    for (_, t, _, parts) in &exceeded {
        evidence.push(cx.evidence(t));
        evidence.extend(parts.iter().map(|p| cx.evidence(p)));
    }
    out.push(cx.finding(
        Code::SUM001,
        format!(
            "{}{}，小于其中所列{}{} {}",
            total.name,
            join(&|(col, t, _, _)| format!("{col} {}", t.display())),
            exceeded_names.join("、"),
            if exceeded_names.len() > 1 { "之和" } else { "" },
            join(&|(_, _, e, _)| e.display())
        ),
        first_total.value.to_string(),
        first_exact.value.to_string(),
        evidence,
    ));
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{messages, quotes, said, Doc};

    #[test]
    fn items_that_do_not_add_up_to_their_total_fire() {
        let mut d = Doc::new();
        d.report.expenditure = d.split(
            "支出合计",
            "1250.36 万元",
            &[("基本支出", "850.12 万元", ""), ("项目支出", "400.28 万元", "")],
        );
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "支出合计 1250.36 万元，与基本支出、项目支出之和 1250.40 万元 不符",
                "1250.36",
                "1250.40"
            )
        );
        assert_eq!(
            quotes(&f[0]),
            ["支出合计1250.36万元。", "基本支出850.12万元。", "项目支出400.28万元。"]
        );
    }

    #[test]
    fn an_item_in_yuan_next_to_items_in_wan_yuan_holds() {
        // 1267.77 万元 + 6832.65 元 = 1268.453265 万元.
        let mut d = Doc::new();
        d.report.income = d.split(
            "收入合计",
            "1268.45 万元",
            &[("财政拨款收入", "1267.77 万元", ""), ("其他收入", "6832.65 元", "")],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_single_item_or_an_item_without_amount_is_no_sum() {
        let mut d = Doc::new();
        d.report.income = d.split("收入合计", "100 万元", &[("财政拨款收入", "90 万元", "")]);
        d.report.expenditure = d.split(
            "支出合计",
            "100 万元",
            &[("基本支出", "90 万元", ""), ("项目支出", "", "")],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_broken_down_total_that_is_not_its_parts_fires() {
        let mut d = Doc::new();
        let b = d.breakdown(
            "基本支出",
            "3126.49 万元",
            &[("人员经费", "2800.00 万元"), ("公用经费", "300.00 万元")],
        );
        d.report.breakdowns.push(b);
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "基本支出 3126.49 万元，与人员经费、公用经费之和 3100.00 万元 不符",
                "3126.49",
                "3100.00"
            )
        );
    }

    #[test]
    fn a_breakdown_missing_a_required_part_is_not_summed() {
        let mut d = Doc::new();
        let b = d.breakdown(
            "“三公”经费",
            "30 万元",
            &[("因公出国（境）费", "5 万元"), ("公务接待费", "3 万元")],
        );
        d.report.breakdowns.push(b);
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_breakdown_without_an_optional_part_is_summed() {
        // 国有资本经营预算财政拨款 may be left out; the other two may not.
        let mut d = Doc::new();
        let b = d.breakdown(
            "财政拨款收入",
            "1000.00 万元",
            &[
                ("一般公共预算财政拨款收入", "900.00 万元"),
                ("政府性基金预算财政拨款收入", "90.00 万元"),
            ],
        );
        d.report.breakdowns.push(b);
        assert_eq!(
            messages(&d.findings(check)),
            ["财政拨款收入 1000.00 万元，与一般公共预算财政拨款收入、政府性基金预算财政拨款收入之和 990.00 万元 不符"]
        );
    }

    #[test]
    fn listed_projects_that_do_not_make_project_expenditure_fire() {
        let mut d = Doc::new();
        d.report.expenditure = d.split("支出合计", "", &[("项目支出", "4726.02 万元", "")]);
        let own = d.unit("本级", &[("运行保障", "2000.00 万元"), ("信息化", "1500.00 万元")]);
        let sub = d.unit("下属单位", &[("设备购置", "1214.28 万元")]);
        d.report.projects.units = vec![own, sub];
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "所列 3 个一级项目支出合计 4714.28 万元，与项目支出 4726.02 万元 不符（相差 11.74 万元）",
                "4726.02",
                "4714.28"
            )
        );
    }

    #[test]
    fn projects_rounded_to_one_decimal_hold() {
        // 215.6 + 120.4 + 64.3 = 400.3 is 400.15..400.45.
        let mut d = Doc::new();
        d.report.expenditure = d.split("支出合计", "", &[("项目支出", "400.28 万元", "")]);
        let own = d.unit(
            "本级",
            &[("运行保障", "215.6 万元"), ("信息化", "120.4 万元"), ("设备购置", "64.3 万元")],
        );
        d.report.projects.units.push(own);
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_budget_tables_total_row_is_its_sources_column_by_column() {
        let mut d = Doc::new();
        let lines = vec![
            d.budget_line("年度资金总额", "", "100", "100", ""),
            d.budget_line("当年财政拨款", "", "60", "60", ""),
            d.budget_line("上年结转资金", "", "30", "30", ""),
            d.budget_line("其他资金", "", "10", "5", ""),
        ];
        d.report.budget_lines = lines;
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "年度资金总额全年执行数 100，与当年财政拨款、上年结转资金、其他资金之和 95 不符",
                "100",
                "95"
            )
        );
        assert_eq!(
            quotes(&f[0]),
            [
                "年度资金总额全年执行数100。",
                "当年财政拨款全年执行数60。",
                "上年结转资金全年执行数30。",
                "其他资金全年执行数5。"
            ]
        );
    }

    #[test]
    fn a_budget_table_with_one_source_or_an_empty_cell_is_not_summed() {
        let mut d = Doc::new();
        let lines = vec![
            d.budget_line("年度资金总额", "100", "100", "", ""),
            d.budget_line("当年财政拨款", "60", "60", "", ""),
            d.budget_line("其他资金", "", "10", "", ""),
        ];
        d.report.budget_lines = lines;
        assert_eq!(
            messages(&d.findings(check)),
            ["年度资金总额全年预算数 100，与当年财政拨款、其他资金之和 70 不符"]
        );
        d.report.budget_lines.truncate(2);
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    fn uses(total: &str, parts: &[&str]) -> Vec<crate::model::Finding> {
        let mut d = Doc::new();
        let total = d.amount("本项目共完成预算资金", &format!("{total} 万元"));
        let parts = parts
            .iter()
            .map(|p| d.amount("其中：", &format!("{p} 万元")))
            .collect();
        d.report.purpose_lists = vec![crate::model::PurposeList { total, parts }];
        d.findings(check)
    }

    #[test]
    fn uses_that_exceed_their_total_fire_and_fewer_uses_do_not() {
        let f = uses("89.90", &["30.00", "30.00", "29.99"]);
        assert_eq!(messages(&f), ["总额 89.90 万元，小于其中所列 3 项用途金额之和 89.99 万元"]);
        assert_eq!(f[0].severity, crate::model::Severity::Error);
        // Within the rounding of four figures written to cents.
        assert!(uses("89.97", &["30.00", "30.00", "29.99"]).is_empty());
        // 30 beside 29.99 is 30.00 as written, not 29.995: a warning.
        let f = uses("89.97", &["30", "30", "29.99"]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, crate::model::Severity::Warning);
        // Uses that fall short may be only some of them.
        assert!(uses("90", &["30", "30"]).is_empty());
        assert!(uses("90", &["30", "30", "30"]).is_empty());
        // Whole numbers only: each may be rounded.
        assert!(uses("89", &["30", "30", "30"]).is_empty());
    }

    #[test]
    fn stated_parts_that_exceed_the_total_fire_whatever_is_left_empty() {
        // A total row left at zero while one source of funds holds money:
        // the other sources, empty or not read, can only add to it.
        let mut d = Doc::new();
        let lines = vec![
            d.budget_line("年度资金总额", "0", "0", "0", ""),
            d.budget_line("当年财政拨款", "75", "74.6", "74.6", ""),
            d.budget_line("其他资金", "", "", "", ""),
        ];
        d.report.budget_lines = lines;
        assert_eq!(
            messages(&d.findings(check)),
            ["年度资金总额年初预算数 0、全年预算数 0、全年执行数 0，小于其中所列当年财政拨款 75、74.6、74.6"]
        );
        // Parts below the total prove nothing while one is not stated.
        d.report.budget_lines[0] = d.budget_line("年度资金总额", "80", "80", "80", "");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
