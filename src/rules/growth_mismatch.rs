//! GRW001: a stated change against last year does not follow from the figures.
//!
//! ## What it checks
//! 「X 万元，比上年增加 Δ 万元，增长 Y%」 (also 减少/下降): when last year's
//! amount is stated, Δ must equal this year − last year; and Y must equal
//! Δ ÷ last year, where last year is the stated one or this year − Δ.
//!
//! ## Why it matters
//! Year-on-year changes are what the 决算 explanations are read for; a
//! change that does not follow from the two years' figures misleads.
//!
//! ## Example
//! 「支出合计 1200 万元，比上年增加 200 万元，增长 25%」 → GRW001: 200 ÷
//! (1200 − 200) = 20%. 「增长 20%」 holds.

use crate::model::{Change, Report};
use crate::rules::evidence::Ctx;
use crate::number::Interval;
use crate::model::{Finding, Statement};
use crate::model::Code;
use rust_decimal::Decimal;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for c in &r.changes {
        if change(c, cx, out) {
            percent(c, cx, out);
        }
    }
}

/// +1 for an increase (增加, 增长), −1 for a decrease (减少, 下降).
fn sign(c: &Change) -> Decimal {
    if c.increase {
        Decimal::ONE
    } else {
        -Decimal::ONE
    }
}

/// The change with its sign, in 元 for amounts.
fn signed_delta(c: &Change) -> Option<Interval> {
    c.delta.as_ref().map(|d| d.interval().scale(sign(c)))
}

/// Δ against this year − last year, when last year's amount is stated.
/// Returns false when it found them apart: the percentage is then not
/// checked against a change already reported.
fn change(c: &Change, cx: &Ctx, out: &mut Vec<Finding>) -> bool {
    let (Some(p), Some(d), Some(ds)) = (c.previous.as_ref(), signed_delta(c), c.delta.as_ref())
    else {
        return true;
    };
    if c.current.interval().minus(p.interval()).intersects(&d) {
        return true;
    }
    let exp = if ds.unit == c.current.unit && ds.unit == p.unit {
        (c.current.value.value - p.value.value).abs()
    } else {
        // In the change's unit: 12.50 万元 − 11.70 万元 is 8000 元.
        let in_yuan = |s: &Statement| s.value.value * s.unit.map_or(Decimal::ONE, |u| u.in_yuan());
        let unit = ds.unit.map_or(Decimal::ONE, |u| u.in_yuan());
        ((in_yuan(&c.current) - in_yuan(p)) / unit).abs().normalize()
    };
    out.push(cx.finding(
        Code::GRW001,
        format!(
            "{}本年 {}，上年 {}，变动额应为 {}{}，报告为 {}",
            c.name,
            c.current.display(),
            p.display(),
            exp,
            ds.unit.map(|u| format!(" {}", u.as_str())).unwrap_or_default(),
            ds.display()
        ),
        ds.value.to_string(),
        exp.to_string(),
        vec![cx.evidence(ds), cx.evidence(&c.current), cx.evidence(p)],
    ));
    false
}

/// Y against Δ ÷ last year, where last year is the stated one or this
/// year − Δ.
fn percent(c: &Change, cx: &Ctx, out: &mut Vec<Finding>) {
    let hundredth = Decimal::new(1, 2);
    let cur = c.current.interval();
    let delta = signed_delta(c);
    // Last year: stated, or this year minus the change.
    let prev: Option<Interval> = c
        .previous
        .as_ref()
        .map(|p| p.interval())
        .or(delta.map(|d| cur.minus(d)));
    let (Some(pct), Some(prev), Some(d)) = (c.percent.as_ref(), prev, delta) else {
        return;
    };
    if prev.lo <= Decimal::ZERO {
        return;
    }
    // pct/100 × prev must be able to equal the change.
    let implied = pct.interval().scale(hundredth * sign(c)).times(prev);
    if !implied.intersects(&d) {
        let prev_v = (prev.lo + prev.hi) / Decimal::TWO;
        let d_v = (d.lo + d.hi) / Decimal::TWO;
        let exact = (d_v / prev_v * Decimal::ONE_HUNDRED).abs();
        let exp = crate::number::round_half_up(exact, pct.value.value.scale().max(2));
        let slip = crate::number::one_unit_off(&pct.value, exact);
        let mut evidence = vec![cx.evidence(pct), cx.evidence(&c.current)];
        if let Some(ds) = &c.delta {
            evidence.push(cx.evidence(ds));
        }
        let finding = cx.finding(
            Code::GRW001,
            format!(
                "{}变动幅度报告为 {}%，按变动额与上年数计算应为 {}%",
                c.name, pct.value, exp
            ),
            pct.value.to_string(),
            exp.to_string(),
            evidence,
        );
        out.push(cx.rounding_slip(finding, slip));
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{messages, quotes, said, Doc};

    #[test]
    fn a_change_that_is_not_this_year_less_last_year_fires() {
        let mut d = Doc::new();
        let c = d.change("公共预算支出", "11200.5 万元", "11800.5 万元", "560 万元", "", false);
        d.report.changes.push(c);
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "公共预算支出本年 11200.5 万元，上年 11800.5 万元，变动额应为 600.0 万元，报告为 560 万元",
                "560",
                "600.0"
            )
        );
        assert_eq!(
            quotes(&f[0]),
            [
                "公共预算支出比上年减少560万元。",
                "公共预算支出11200.5万元。",
                "公共预算支出上年为11800.5万元。"
            ]
        );
    }

    #[test]
    fn a_wrong_change_is_reported_once_not_again_by_its_percentage() {
        let mut d = Doc::new();
        let c = d.change("公共预算支出", "11200.5 万元", "11800.5 万元", "560 万元", "9", false);
        d.report.changes.push(c);
        assert_eq!(messages(&d.findings(check)).len(), 1);
    }

    #[test]
    fn a_percentage_that_is_not_the_change_over_last_year_fires() {
        // Last year is 45.6 − 5.6 = 40: 5.6 ÷ 40 = 14%.
        let mut d = Doc::new();
        let c = d.change("项目支出", "45.6 万元", "", "5.6 万元", "12.3", true);
        d.report.changes.push(c);
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("项目支出变动幅度报告为 12.3%，按变动额与上年数计算应为 14.00%", "12.3", "14.00")
        );
        assert_eq!(
            quotes(&f[0]),
            ["项目支出增长12.3%。", "项目支出45.6万元。", "项目支出比上年增加5.6万元。"]
        );
    }

    #[test]
    fn a_percentage_rounded_to_its_last_digit_holds_and_one_hundredth_more_fires() {
        // 1256.3 ÷ 11600 = 10.830…%.
        let mut d = Doc::new();
        let c = d.change("支出合计", "12856.3 万元", "11600 万元", "1256.3 万元", "10.83", true);
        d.report.changes.push(c);
        let c = d.change("收入合计", "12856.3 万元", "11600 万元", "1256.3 万元", "10.84", true);
        d.report.changes.push(c);
        assert_eq!(
            messages(&d.findings(check)),
            ["收入合计变动幅度报告为 10.84%，按变动额与上年数计算应为 10.83%"]
        );
    }

    #[test]
    fn a_percentage_one_hundredth_off_is_a_notice_and_a_point_off_an_error() {
        // 1256.3 ÷ 11600 = 10.830…%: 10.84 misses by the last digit's unit.
        let mut d = Doc::new();
        let c = d.change("收入合计", "12856.3 万元", "11600 万元", "1256.3 万元", "10.84", true);
        d.report.changes.push(c);
        let f = d.findings(check);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, crate::model::Severity::Notice);
        // 40 ÷ 1001 = 3.996%: 下降 5% is a whole point off.
        let mut d = Doc::new();
        let c = d.change("基本支出", "961 万元", "1001 万元", "40 万元", "5", false);
        d.report.changes.push(c);
        let f = d.findings(check);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, crate::model::Severity::Error);
    }

    #[test]
    fn a_decrease_is_checked_as_a_fall() {
        // 40 ÷ 1001 = 3.996%: 下降 4% holds, 下降 5% does not.
        let mut d = Doc::new();
        let c = d.change("基本支出", "961 万元", "1001 万元", "40 万元", "4", false);
        d.report.changes.push(c);
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
        let c = d.change("基本支出", "961 万元", "1001 万元", "40 万元", "5", false);
        d.report.changes.push(c);
        assert_eq!(
            messages(&d.findings(check)),
            ["基本支出变动幅度报告为 5%，按变动额与上年数计算应为 4.00%"]
        );
    }

    #[test]
    fn a_change_in_yuan_of_an_amount_in_wan_yuan_holds() {
        // 8000 元 ÷ (12.5 万元 − 8000 元) = 6.84%.
        let mut d = Doc::new();
        let c = d.change("公用经费", "12.5 万元", "", "8000 元", "6.84", true);
        d.report.changes.push(c);
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_percentage_of_nothing_last_year_is_not_computed() {
        let mut d = Doc::new();
        let c = d.change("其他收入", "10 万元", "0 万元", "10 万元", "50", true);
        d.report.changes.push(c);
        let c = d.change("事业收入", "10 万元", "", "", "50", true);
        d.report.changes.push(c);
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_change_in_yuan_of_amounts_in_wan_yuan_expects_its_value_in_yuan() {
        let mut d = Doc::new();
        let c = d.change("公用经费", "12.50 万元", "11.70 万元", "9000 元", "", true);
        d.report.changes.push(c);
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "公用经费本年 12.50 万元，上年 11.70 万元，变动额应为 8000 元，报告为 9000 元",
                "9000",
                "8000"
            )
        );
    }
}
