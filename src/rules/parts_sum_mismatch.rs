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
//! 上年结转资金 and 其他资金 in each of 年初预算数, 全年预算数 and 全年执行数.
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

fn split_parts(split: &Split) -> Option<Vec<&Statement>> {
    if split.items.len() < 2 {
        return None;
    }
    split.items.iter().map(|i| i.amount.get()).collect()
}

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
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
    // A budget execution table: 年度资金总额 = 当年财政拨款 + 上年结转资金 +
    // 其他资金, column by column.
    budget_lines(r, cx, out);
    // 基本支出 = 人员经费 + 公用经费, “三公”经费 = 因公出国（境）费 + 公务用车购置
    // 及运行费 + 公务接待费, and the like.
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
    // The listed 一级项目 add up to 项目支出.
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

fn budget_lines(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let Some((total, subs)) = r.budget_lines.split_first() else {
        return;
    };
    if subs.len() < 2 {
        return;
    }
    type Column = fn(&crate::model::BudgetLine) -> &crate::model::Quantity;
    let columns: [(&str, Column); 3] = [
        ("年初预算数", |l| &l.initial_budget),
        ("全年预算数", |l| &l.budget),
        ("全年执行数", |l| &l.executed),
    ];
    for (col, get) in columns {
        let Some(t) = get(total).get() else { continue };
        let Some(parts) = subs
            .iter()
            .map(|l| get(l).get())
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let (ok, exact) = t.sum_holds(&parts);
        if !ok {
            let names: Vec<&str> = subs.iter().map(|l| l.name.as_str()).collect();
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
        }
    }
}
