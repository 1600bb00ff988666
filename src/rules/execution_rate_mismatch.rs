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
    let exact = to_yuan(e) / to_yuan(b) * Decimal::ONE_HUNDRED;
    let exp = crate::number::round_half_up(exact, rate.value.value.scale().max(2));
    let slip = crate::number::one_unit_off(&rate.value, exact);
    let finding = cx.finding(
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
    );
    out.push(cx.rounding_slip(finding, slip));
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{messages, one, quotes, said, Doc};

    /// The department's budget, executed amount and execution rate.
    fn department(d: &mut Doc, budget: &str, executed: &str, rate: &str) {
        d.report.budget = one(d.amount("全年预算数", budget));
        d.report.executed = one(d.amount("全年执行数", executed));
        d.report.execution_rate_percent = one(d.percent("执行率", rate));
    }

    #[test]
    fn a_rate_that_is_not_executed_over_budget_fires() {
        let mut d = Doc::new();
        department(&mut d, "5286.4 万元", "5150.72 万元", "98.2");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "执行率 98.2%，按执行数 5150.72 万元 ÷ 预算数 5286.4 万元 计算应为 97.43%",
                "98.2",
                "97.43"
            )
        );
        assert_eq!(
            quotes(&f[0]),
            ["执行率98.2%。", "全年执行数5150.72万元。", "全年预算数5286.4万元。"]
        );
    }

    #[test]
    fn a_rate_rounded_to_its_last_digit_holds() {
        // 5150.72 ÷ 5286.4 = 97.433…%.
        for rate in ["97.43", "97.4", "97"] {
            let mut d = Doc::new();
            department(&mut d, "5286.4 万元", "5150.72 万元", rate);
            assert_eq!(messages(&d.findings(check)), Vec::<&str>::new(), "{rate}");
        }
    }

    #[test]
    fn an_executed_amount_in_yuan_of_a_budget_in_wan_yuan_holds() {
        let mut d = Doc::new();
        department(&mut d, "5286.4 万元", "51,507,200 元", "97.43");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_whole_percent_rate_shows_its_expected_value_to_hundredths() {
        let mut d = Doc::new();
        department(&mut d, "500 万元", "450 万元", "95");
        let f = d.findings(check);
        assert_eq!((said(&f[0]).1, said(&f[0]).2), ("95", "90.00"));
    }

    #[test]
    fn each_source_of_funds_of_a_budget_table_is_checked_but_not_its_total_row() {
        let mut d = Doc::new();
        let lines = vec![
            // The total row's rate is the department's, checked above.
            d.budget_line("年度资金总额", "", "500", "450", "95"),
            d.budget_line("当年财政拨款", "", "300", "270", "95"),
            d.budget_line("其他资金", "", "200", "180", "90"),
        ];
        d.report.budget_lines = lines;
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["当年财政拨款执行率 95%，按执行数 270 ÷ 预算数 300 计算应为 90.00%"]
        );
    }

    #[test]
    fn a_listed_project_with_its_own_three_figures_is_checked() {
        let mut d = Doc::new();
        let line = d.budget_line("老年助餐项目", "", "120 万元", "96 万元", "85");
        d.report.project_rates.push(line);
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["老年助餐项目执行率 85%，按执行数 96 万元 ÷ 预算数 120 万元 计算应为 80.00%"]
        );
    }

    #[test]
    fn a_budget_of_zero_or_a_missing_figure_is_left_alone() {
        let mut d = Doc::new();
        department(&mut d, "0", "10 万元", "100");
        let line = d.budget_line("其他资金", "", "200", "", "90");
        d.report.project_rates.push(line);
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
