//! PCT001: a stated share differs from part ÷ total.
//!
//! ## What it checks
//! Each item's share (占总收入的 X%, 占比 X%) against its amount divided by
//! the split's total, also for an expenditure split again by a
//! classification (「按支出功能分类：卫生健康支出X万元，占Y%」) against the
//! whole stated before it. All three figures count with their stated precision,
//! so a share that is only rounded never fires.
//!
//! ## Why it matters
//! Shares are recomputed by hand less often than sums, and a wrong one
//! misstates how the department is funded or spends.
//!
//! ## Example
//! 「收入合计 10590.2 万元，其中财政拨款收入 10583.6 万元，占 99.90%」 →
//! PCT001: 10583.6 ÷ 10590.2 = 99.94%. 「占 99.94%」 holds.

use crate::model::{Report, Statement};
use crate::rules::evidence::Ctx;
use crate::model::Finding;
use crate::model::Code;
use rust_decimal::Decimal;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    splits(r, cx, out);
    for b in &r.breakdowns {
        for part in &b.parts {
            if let Some(s) = part.share_percent.get() {
                share(&part.name, s, &part.amount, &b.total, cx, out);
            }
        }
    }
}

/// Each item's share of its split's total.
fn splits(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let splits = [&r.income, &r.expenditure]
        .into_iter()
        .chain(&r.classified_expenditure);
    for split in splits {
        let Some(total) = split.total.get() else {
            continue;
        };
        for item in &split.items {
            let (Some(a), Some(s)) = (item.amount.get(), item.share_percent.get()) else {
                continue;
            };
            share(&item.name, s, a, total, cx, out);
        }
    }
}

/// A share against its amount over its whole.
fn share(
    name: &str,
    s: &Statement,
    a: &Statement,
    total: &Statement,
    cx: &Ctx,
    out: &mut Vec<Finding>,
) {
    let hundredth = Decimal::new(1, 2);
    let implied = s.interval().scale(hundredth).times(total.interval());
    if implied.intersects(&a.interval()) || total.value.value.is_zero() {
        return;
    }
    let ratio = a.value.value * a.unit.map_or(Decimal::ONE, |u| u.in_yuan())
        / (total.value.value * total.unit.map_or(Decimal::ONE, |u| u.in_yuan()))
        * Decimal::ONE_HUNDRED;
    let exp = crate::number::round_half_up(ratio, s.value.value.scale().max(2));
    let slip = crate::number::one_unit_off(&s.value, ratio);
    let finding = cx.finding(
        Code::PCT001,
        format!(
            "{name}占比 {}%，按 {} ÷ {} 计算应为 {exp}%",
            s.value,
            a.display(),
            total.display(),
        ),
        s.value.to_string(),
        exp.to_string(),
        vec![cx.evidence(s), cx.evidence(a), cx.evidence(total)],
    );
    out.push(cx.rounding_slip(finding, slip));
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{messages, quotes, said, Doc};

    #[test]
    fn a_share_that_is_not_part_over_total_fires() {
        let mut d = Doc::new();
        d.report.income = d.split(
            "收入合计",
            "10590.2 万元",
            &[
                ("财政拨款收入", "10583.6 万元", "99.90"),
                ("其他收入", "6.6 万元", ""),
            ],
        );
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            (
                "财政拨款收入占比 99.90%，按 10583.6 万元 ÷ 10590.2 万元 计算应为 99.94%",
                "99.90",
                "99.94"
            )
        );
        assert_eq!(
            quotes(&f[0]),
            [
                "财政拨款收入占比99.90%。",
                "财政拨款收入10583.6万元。",
                "收入合计10590.2万元。"
            ]
        );
    }

    #[test]
    fn a_share_rounded_to_its_last_digit_holds() {
        let mut d = Doc::new();
        d.report.income = d.split(
            "收入合计",
            "10590.2 万元",
            &[("财政拨款收入", "10583.6 万元", "99.94")],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_share_exactly_halfway_between_two_roundings_holds_either_way() {
        // 1753.10 ÷ 2000.00 = 87.655%.
        for share in ["87.66", "87.65"] {
            let mut d = Doc::new();
            d.report.income = d.split(
                "收入合计",
                "2000.00 万元",
                &[("财政拨款收入", "1753.10 万元", share)],
            );
            assert_eq!(messages(&d.findings(check)), Vec::<&str>::new(), "{share}");
        }
    }

    #[test]
    fn an_amount_in_yuan_of_a_total_in_wan_yuan_holds() {
        // 63,000 元 ÷ 2000.00 万元 = 0.315%.
        let mut d = Doc::new();
        d.report.income = d.split(
            "收入合计",
            "2000.00 万元",
            &[("其他收入", "63,000 元", "0.32")],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn swapped_shares_both_fire() {
        let mut d = Doc::new();
        d.report.expenditure = d.split(
            "支出合计",
            "1000.00 万元",
            &[
                ("基本支出", "655.70 万元", "34.43"),
                ("项目支出", "344.30 万元", "65.57"),
            ],
        );
        let f = d.findings(check);
        let got: Vec<_> = f.iter().map(said).map(|s| (s.1, s.2)).collect();
        assert_eq!(got, [("34.43", "65.57"), ("65.57", "34.43")]);
    }

    #[test]
    fn a_classified_expenditure_is_checked_against_its_whole() {
        let mut d = Doc::new();
        let split = d.split(
            "支出合计",
            "800.00 万元",
            &[("卫生健康支出", "600.00 万元", "70.00")],
        );
        d.report.classified_expenditure.push(split);
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["卫生健康支出占比 70.00%，按 600.00 万元 ÷ 800.00 万元 计算应为 75.00%"]
        );
    }

    #[test]
    fn a_total_of_zero_is_not_divided_by() {
        let mut d = Doc::new();
        d.report.income = d.split(
            "收入合计",
            "0",
            &[("其他收入", "5.00 万元", "10.00")],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn an_item_without_a_share_or_an_amount_is_left_alone() {
        let mut d = Doc::new();
        d.report.income = d.split(
            "收入合计",
            "1000.00 万元",
            &[("财政拨款收入", "", "50.00"), ("其他收入", "100.00 万元", "")],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
