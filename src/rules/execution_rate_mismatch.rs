//! RATE001: a stated execution rate differs from executed ÷ budget.
//!
//! ## What it checks
//! When the report states the budget (预算数), the executed amount (执行数)
//! and the execution rate (执行率, 支出进度), the rate must equal executed ÷
//! budget, within the precision of each figure. In a budget execution
//! table (项目支出绩效自评表) each source of funds with a rate of its own
//! (当年财政拨款, 其他资金) is checked too, and so is each listed project
//! that states its 预算数, 执行数 and 执行率 in one sentence.
//!
//! ## Why it matters
//! The execution rate feeds a scored indicator; a rate that does not follow
//! from the amounts raises the score without the spending behind it.
//!
//! ## Example
//! 「全年预算数 500 万元，全年执行数 450 万元，执行率 95%」 → RATE001:
//! 450 ÷ 500 = 90%. 「执行率 90%」 holds.

use crate::model::{Report, Statement};
use crate::rules::evidence::Ctx;
use crate::model::Finding;
use crate::model::Code;
use rust_decimal::Decimal;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    if let (Some(b), Some(e), Some(rate)) = (
        r.budget.get(),
        r.executed.get(),
        r.execution_rate_percent.get(),
    ) {
        check_one("", b, e, rate, cx, out);
    }
    // The sub-rows of a budget execution table (当年财政拨款, 其他资金…), and
    // each enumerated project that states its own three figures.
    for line in r.budget_lines.iter().skip(1).chain(&r.project_rates) {
        if let (Some(b), Some(e), Some(rate)) = (
            line.budget.get(),
            line.executed.get(),
            line.rate_percent.get(),
        ) {
            check_one(&line.name, b, e, rate, cx, out);
        }
    }
}

fn check_one(
    name: &str,
    b: &Statement,
    e: &Statement,
    rate: &Statement,
    cx: &Ctx,
    out: &mut Vec<Finding>,
) {
    let hundredth = Decimal::new(1, 2);
    let implied = rate.interval().scale(hundredth).times(b.interval());
    if implied.intersects(&e.interval()) || b.value.value.is_zero() {
        return;
    }
    let to_yuan = |s: &Statement| s.value.value * s.unit.map_or(Decimal::ONE, |u| u.in_yuan());
    let exp = crate::number::round_half_up(
        to_yuan(e) / to_yuan(b) * Decimal::ONE_HUNDRED,
        rate.value.value.scale().max(2),
    );
    out.push(cx.finding(
        Code::RATE001,
        format!(
            "{name}执行率 {}%，按执行数 {} ÷ 预算数 {} 计算应为 {}%",
            rate.value,
            e.display(),
            b.display(),
            exp
        ),
        rate.value.to_string(),
        exp.to_string(),
        vec![cx.evidence(rate), cx.evidence(e), cx.evidence(b)],
    ));
}
