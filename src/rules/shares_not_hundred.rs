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
