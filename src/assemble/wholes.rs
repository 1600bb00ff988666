//! The whole a classified expenditure split divides.

use crate::model::*;
use crate::number::Interval;
use rust_decimal::Decimal;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SplitKind {
    Income,
    Expenditure,
    /// The expenditure split by a classification, an index into
    /// [`Report::classified_expenditure`].
    Classified(usize),
}

/// A classification divides one of the wholes stated before it in its
/// section (支出合计, 财政拨款支出, …): the one its items add up to; where
/// they add up to none, the last stated — unless the shares fit another
/// whole, when which whole is meant is unknown and the split is left out.
pub(super) fn choose_wholes(r: &mut Report, wholes: &[Vec<Statement>]) {
    let mut keep = vec![true; r.classified_expenditure.len()];
    for (j, split) in r.classified_expenditure.iter_mut().enumerate() {
        let Some(cands) = wholes.get(j).filter(|c| c.len() > 1) else {
            continue;
        };
        let amounts: Option<Vec<&Statement>> =
            split.items.iter().map(|it| it.amount.get()).collect();
        let sum = amounts.as_ref().and_then(|a| {
            a.iter()
                .try_fold(Interval::zero(), |acc, s| {
                    let i = s.interval();
                    Some(Interval {
                        lo: acc.lo.checked_add(i.lo)?,
                        hi: acc.hi.checked_add(i.hi)?,
                    })
                })
                .filter(|_| !a.is_empty())
        });
        if let Some(w) =
            sum.and_then(|sum| cands.iter().rev().find(|w| w.interval().intersects(&sum)))
        {
            let mut total = Quantity::default();
            total.push(w.clone());
            split.total = total;
            continue;
        }
        // The shares as stated, against each other whole.
        let last = cands.last().unwrap();
        let fits = |w: &Statement| {
            let wi = w.interval();
            let mut any = false;
            for it in &split.items {
                let (Some(a), Some(p)) = (it.amount.get(), it.share_percent.get()) else {
                    continue;
                };
                let (ai, pi) = (a.interval(), p.interval());
                // a / w × 100 within the share's interval, at its rounding.
                let lo = ai
                    .lo
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|x| x.checked_div(wi.hi));
                let hi = ai
                    .hi
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|x| x.checked_div(wi.lo));
                match (lo, hi) {
                    (Some(lo), Some(hi)) if lo <= pi.hi && pi.lo <= hi => any = true,
                    _ => return false,
                }
            }
            any
        };
        if cands.iter().any(|w| w.span != last.span && fits(w)) && !fits(last) {
            keep[j] = false;
        }
    }
    let mut j = 0;
    r.classified_expenditure.retain(|_| {
        j += 1;
        keep[j - 1]
    });
}
