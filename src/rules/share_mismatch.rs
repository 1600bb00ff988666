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

use crate::model::Report;
use crate::rules::evidence::Ctx;
use crate::model::Finding;
use crate::model::Code;
use rust_decimal::Decimal;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let hundredth = Decimal::new(1, 2);
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
            let implied = s.interval().scale(hundredth).times(total.interval());
            if implied.intersects(&a.interval()) || total.value.value.is_zero() {
                continue;
            }
            let exact = a.interval().lo / total.interval().lo; // for display only
            let _ = exact;
            let ratio = a.value.value * a.unit.map_or(Decimal::ONE, |u| u.in_yuan())
                / (total.value.value * total.unit.map_or(Decimal::ONE, |u| u.in_yuan()))
                * Decimal::ONE_HUNDRED;
            let exp = crate::number::round_half_up(ratio, s.value.value.scale().max(2));
            out.push(cx.finding(
                Code::PCT001,
                format!(
                    "{}占比 {}%，按 {} ÷ {} 计算应为 {}%",
                    item.name,
                    s.value,
                    a.display(),
                    total.display(),
                    exp
                ),
                s.value.to_string(),
                exp.to_string(),
                vec![cx.evidence(s), cx.evidence(a), cx.evidence(total)],
            ));
        }
    }
}
