//! SCR003: child scores do not add up to the parent's score (or the total).
//!
//! ## What it checks
//! For each level-1 indicator with a stated score, the scores of the items
//! listed under it (a full-marks item counts its points) must add up to it;
//! so must their points to its points. The level-1 scores must add up to
//! the total score. Only complete listings are checked: every item needs a
//! known score, and a stated count of items must match the listing; an
//! item whose points are known only as its score plus its deduction
//! (「该指标扣0.2分，得9.8分」), with the items' points short of the
//! parent's, tells that only some items are listed. In an
//! indicator table (a 项目支出绩效自评表) every row is listed, so a 一级指标
//! without a score of its own counts the sum of its rows. A table is
//! checked only when the points of its rows (预算执行率 10 + the
//! indicators) make the 总分's points: otherwise the PDF lost a row, and
//! the reviewer gets a diagnostic rather than a finding.
//!
//! ## Why it matters
//! The total decides the grade. A sum that does not hold means a score was
//! mistyped or an item was left out.
//!
//! ## Example
//! 「履职效能得分 49.93 分」 with items 19.94, 20 and 9.98 → SCR003:
//! 19.94 + 20 + 9.98 = 49.92. Rounded figures are allowed their rounding:
//! 49.93 from 19.94 + 20 + 9.99 holds.

use crate::model::{Evaluation, Report};
use crate::rules::evidence::Ctx;
use crate::number::Interval;
use crate::model::{Evidence, Finding};
use crate::model::Code;
use rust_decimal::Decimal;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let ev = &r.evaluation;
    for root in ev.roots() {
        let ind = &ev.indicators[root];
        let leaves = ev.leaves(root);
        if leaves.is_empty()
            || !ev.listing_complete(root)
            || names_some_items_only(ev, root, &leaves)
        {
            continue;
        }
        // A table's rows are grouped under their 一级指标 by merged cells
        // the PDF may have scrambled: the grouping is trusted for the score
        // only where the rows' points add up to the 一级指标's points, and
        // its points are checked against the 总分 instead.
        let grouped = !ind.from_table || {
            let pts: Option<Vec<_>> = leaves
                .iter()
                .map(|&i| ev.indicators[i].points.get())
                .collect();
            match (ind.points.get(), pts) {
                (Some(p), Some(pts)) => pts
                    .iter()
                    .map(|s| s.interval())
                    .sum::<Interval>()
                    .intersects(&p.interval()),
                _ => false,
            }
        };
        if let (Some(s), true) = (ind.score.get(), grouped) {
            let parts: Option<Vec<_>> = leaves.iter().map(|&i| ev.effective_score(i)).collect();
            if let Some(parts) = parts {
                let sum = parts.iter().map(|p| p.1).sum::<Interval>();
                if !sum.intersects(&s.interval()) {
                    let exact: Decimal = parts.iter().map(|p| p.0.value).sum();
                    let mut evidence = vec![cx.evidence(s)];
                    evidence.extend(leaves.iter().filter_map(|&i| leaf_evidence(ev, i, cx)));
                    out.push(cx.finding(
                        Code::SCR003,
                        format!(
                            "{}得分 {} 分，与其下各指标得分之和 {} 分不符",
                            ind.name, s.value, exact
                        ),
                        s.value.to_string(),
                        exact.to_string(),
                        evidence,
                    ));
                }
            }
        }
        if let (Some(p), false) = (ind.points.get(), ind.from_table) {
            let parts: Option<Vec<_>> = leaves
                .iter()
                .map(|&i| ev.indicators[i].points.get())
                .collect();
            if let Some(parts) = parts {
                let sum = parts.iter().map(|s| s.interval()).sum::<Interval>();
                if !sum.intersects(&p.interval()) {
                    let exact: Decimal = parts.iter().map(|s| s.value.value).sum();
                    out.push(cx.finding(
                        Code::SCR003,
                        format!(
                            "{}分值 {} 分，与其下各指标分值之和 {} 分不符",
                            ind.name, p.value, exact
                        ),
                        p.value.to_string(),
                        exact.to_string(),
                        vec![cx.evidence(p)],
                    ));
                }
            }
        }
    }
    // Level-1 scores add up to the total; so do their points to the
    // total's points (总分 100) when a table lists them all.
    // (A table row no 一级指标 was read for counts on its own.)
    let roots: Vec<usize> = ev
        .roots()
        .filter(|&i| {
            let ind = &ev.indicators[i];
            ind.level == Some(1) || ind.from_table && ind.level == Some(3)
        })
        .collect();
    if roots.len() < 2 {
        return;
    }
    // A table whose rows' points do not make its 总分's points was not read
    // whole (cells the PDF wrapped or glued): its sum proves nothing.
    let table = roots.iter().all(|&i| ev.indicators[i].from_table);
    let read_whole = !table || {
        let pts: Option<Vec<_>> = roots.iter().map(|&i| root_points(ev, i)).collect();
        match (ev.total_points.get(), pts) {
            (Some(t), Some(pts)) => pts
                .iter()
                .map(|p| p.1)
                .sum::<Interval>()
                .intersects(&t.interval()),
            _ => false,
        }
    };
    if !read_whole {
        return;
    }
    if let Some(total) = ev.total_score.get() {
        let parts: Option<Vec<_>> = roots.iter().map(|&i| root_score(ev, i)).collect();
        if let Some(parts) = parts {
            let sum = parts.iter().map(|p| p.1).sum::<Interval>();
            if !sum.intersects(&total.interval()) {
                let exact: Decimal = parts.iter().map(|p| p.0).sum();
                let mut evidence = vec![cx.evidence(total)];
                evidence.extend(roots.iter().filter_map(|&i| {
                    ev.indicators[i]
                        .score
                        .get()
                        .map(|s| cx.evidence(s))
                        .or_else(|| leaf_evidence(ev, i, cx))
                }));
                out.push(cx.finding(
                    Code::SCR003,
                    format!(
                        "总得分 {} 分，与各一级指标得分之和 {} 分不符",
                        total.value, exact
                    ),
                    total.value.to_string(),
                    exact.to_string(),
                    evidence,
                ));
            }
        }
    }
}

/// Whether the items listed under `root` are only some of its items: an
/// item whose points are known only as its score plus its deduction
/// (「该指标扣0.2分，得9.8分」, said of the one item that lost points),
/// and the items' points short of the parent's. Their scores prove nothing
/// about the parent's.
fn names_some_items_only(ev: &Evaluation, root: usize, leaves: &[usize]) -> bool {
    let Some(points) = ev.indicators[root].points.get() else {
        return false;
    };
    let mut derived = false;
    let mut sum = Interval::zero();
    for &l in leaves {
        let ind = &ev.indicators[l];
        let iv = match (ind.points.get(), ind.score.get(), ind.deduction.get()) {
            (Some(p), _, _) => p.interval(),
            (None, Some(s), Some(d)) => {
                derived = true;
                s.interval().plus(d.interval())
            }
            _ => return false,
        };
        sum = sum.plus(iv);
    }
    derived && !sum.intersects(&points.interval())
}

/// A level-1 indicator's score: stated, or — for a table that lists every
/// row — the sum of its rows' scores.
fn root_score(ev: &Evaluation, root: usize) -> Option<(Decimal, Interval)> {
    let ind = &ev.indicators[root];
    if let Some(s) = ind.score.get() {
        return Some((s.value.value, s.interval()));
    }
    let leaves = ev.leaves(root);
    if !ind.from_table || leaves.is_empty() {
        return None;
    }
    let parts: Vec<_> = leaves
        .iter()
        .map(|&i| ev.effective_score(i))
        .collect::<Option<_>>()?;
    Some((
        parts.iter().map(|p| p.0.value).sum(),
        parts.iter().map(|p| p.1).sum(),
    ))
}

/// A level-1 indicator's points: stated, or the sum of its rows' points.
fn root_points(ev: &Evaluation, root: usize) -> Option<(Decimal, Interval)> {
    let ind = &ev.indicators[root];
    if let Some(p) = ind.points.get() {
        return Some((p.value.value, p.interval()));
    }
    let leaves = ev.leaves(root);
    if leaves.is_empty() {
        return None;
    }
    let parts: Vec<_> = leaves
        .iter()
        .map(|&i| ev.indicators[i].points.get())
        .collect::<Option<_>>()?;
    Some((
        parts.iter().map(|p| p.value.value).sum(),
        parts.iter().map(|p| p.interval()).sum(),
    ))
}

fn leaf_evidence(ev: &Evaluation, i: usize, cx: &Ctx) -> Option<Evidence> {
    let ind = &ev.indicators[i];
    if let Some(s) = ind.score.get() {
        return Some(cx.evidence(s));
    }
    ind.points.get().map(|p| cx.evidence(p))
}
