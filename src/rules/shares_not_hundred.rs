//! PCT002: the shares of one split do not add up to 100%.
//!
//! ## What it checks
//! When every item of a complete split (its amounts add up to the total)
//! states its share, the shares must add up to 100%, within their rounding.
//!
//! ## Why it matters
//! Shares that miss 100% by more than rounding show that one of them was
//! computed against the wrong total or mistyped.
//!
//! ## Example
//! 「基本支出占 55.37%，项目支出占 44.73%」 → PCT002: 100.10%. 55.37% and
//! 44.63% hold; so do 33.33% three times (99.99% is within rounding).

use crate::model::Report;
use crate::rules::evidence::Ctx;
use crate::number::Interval;
use crate::model::Finding;
use crate::model::Code;
use rust_decimal::Decimal;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    for (name, split) in [("收入", &r.income), ("支出", &r.expenditure)] {
        if split.items.len() < 2 {
            continue;
        }
        let Some(shares) = split
            .items
            .iter()
            .map(|i| i.share_percent.get())
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let Some(amounts) = split
            .items
            .iter()
            .map(|i| i.amount.get())
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let Some(total) = split.total.get() else {
            continue;
        };
        if !total.sum_holds(&amounts).0 {
            continue; // SUM001's finding; the listing is not the whole split
        }
        let sum = shares.iter().map(|s| s.interval()).sum::<Interval>();
        if !sum.contains(Decimal::ONE_HUNDRED) {
            let exact: Decimal = shares.iter().map(|s| s.value.value).sum();
            out.push(cx.finding(
                Code::PCT002,
                format!("{name}各项占比之和为 {exact}%，不等于 100%"),
                exact.to_string(),
                "100".into(),
                shares.iter().map(|s| cx.evidence(s)).collect(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::testing::{messages, quotes, said, Doc};

    #[test]
    fn shares_of_a_complete_split_that_miss_a_hundred_fire() {
        let mut d = Doc::new();
        d.report.expenditure = d.split(
            "支出合计",
            "1000.00 万元",
            &[
                ("基本支出", "553.70 万元", "55.37"),
                ("项目支出", "446.30 万元", "44.73"),
            ],
        );
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("支出各项占比之和为 100.10%，不等于 100%", "100.10", "100")
        );
        assert_eq!(
            quotes(&f[0]),
            ["基本支出占比55.37%。", "项目支出占比44.73%。"]
        );
    }

    #[test]
    fn shares_that_make_a_hundred_hold() {
        let mut d = Doc::new();
        d.report.income = d.split(
            "收入合计",
            "1000.00 万元",
            &[
                ("财政拨款收入", "553.70 万元", "55.37"),
                ("其他收入", "446.30 万元", "44.63"),
            ],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_third_three_times_is_within_rounding() {
        let mut d = Doc::new();
        d.report.expenditure = d.split(
            "支出合计",
            "300 万元",
            &[
                ("人员支出", "100 万元", "33.33"),
                ("公用支出", "100 万元", "33.33"),
                ("项目支出", "100 万元", "33.33"),
            ],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_hundredth_beyond_rounding_fires() {
        // Three shares to hundredths allow 99.985 to 100.015 around their
        // sum: 33.33 × 2 + 33.32 = 99.98 does not reach 100.
        let mut d = Doc::new();
        d.report.expenditure = d.split(
            "支出合计",
            "300 万元",
            &[
                ("人员支出", "100 万元", "33.33"),
                ("公用支出", "100 万元", "33.33"),
                ("项目支出", "100 万元", "33.32"),
            ],
        );
        assert_eq!(
            messages(&d.findings(check)),
            ["支出各项占比之和为 99.98%，不等于 100%"]
        );
    }

    #[test]
    fn an_incomplete_listing_is_left_to_sum001() {
        let mut d = Doc::new();
        d.report.income = d.split(
            "收入合计",
            "1000.00 万元",
            &[
                ("财政拨款收入", "553.70 万元", "55.37"),
                ("事业收入", "400.00 万元", "40.00"),
            ],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_split_with_an_item_without_share_or_a_single_item_is_left_alone() {
        let mut d = Doc::new();
        d.report.income = d.split(
            "收入合计",
            "1000.00 万元",
            &[
                ("财政拨款收入", "553.70 万元", "50.00"),
                ("其他收入", "446.30 万元", ""),
            ],
        );
        d.report.expenditure = d.split(
            "支出合计",
            "1000.00 万元",
            &[("基本支出", "1000.00 万元", "90.00")],
        );
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
