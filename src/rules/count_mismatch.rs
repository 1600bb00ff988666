//! CNT001: a stated count differs from the items listed.
//!
//! ## What it checks
//! Counts the report states — 「二级指标 7 个、三级指标 23 个」, 「21 个全部为
//! 满分」, 「一级项目 6 个，二级项目 21 个」 per unit and in all — against the
//! items it then lists: indicators under the section, items at full marks,
//! projects per unit and the 二级项目 each project says it contains. A count
//! is checked only when the report lists such items at all; a count of
//! 三级指标 or 二级指标 for the whole tree only against an indicator table
//! read whole (its rows' points make the 总分's points).
//!
//! ## Why it matters
//! A count that disagrees with the listing means an item was left out, or
//! one was listed that the count forgot; either way the figures built on the
//! listing (sums, scores) cannot be trusted as complete.
//!
//! ## Example
//! 「一级项目 6 个」 for the department, then 6 listed for 本级 and 2 for
//! 下属单位 → CNT001: 8 listed. 「二级项目 21 个」 with 17 + 4 holds.

use crate::model::{Counted, Evaluation, Report, StatementValue};
use crate::rules::evidence::Ctx;
use crate::model::{Evidence, Finding};
use crate::model::Code;
use rust_decimal::Decimal;

fn full_marks(ev: &Evaluation, i: usize) -> Option<bool> {
    let ind = &ev.indicators[i];
    if ind.has_full_marks() {
        return Some(true);
    }
    let s = ind.score.get()?;
    let p = ind.points.get()?;
    Some(s.value.value == p.value.value)
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut Vec<Finding>,
    cx: &Ctx,
    what: &str,
    stated: &StatementValue,
    listed: usize,
    detail: String,
    mut evidence: Vec<Evidence>,
) {
    if stated.0.value.value == Decimal::from(listed) {
        return;
    }
    evidence.insert(0, cx.evidence(&stated.0));
    out.push(cx.finding(
        Code::CNT001,
        format!(
            "{what}报告为 {} 个，实际列出 {listed} 个{detail}",
            stated.0.value
        ),
        stated.0.value.to_string(),
        listed.to_string(),
        evidence,
    ));
}

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let ev = &r.evaluation;
    for root in ev.roots() {
        let name = &ev.indicators[root].name;
        let level2: Vec<usize> = ev
            .children(root)
            .filter(|&i| ev.indicators[i].level == Some(2))
            .collect();
        let leaves = ev.leaves(root);
        for c in &ev.indicators[root].counts {
            match c.counted {
                Counted::Level2 if !level2.is_empty() => push(
                    out,
                    cx,
                    &format!("{name}二级指标"),
                    &c.value,
                    level2.len(),
                    String::new(),
                    vec![],
                ),
                Counted::Level3 if !leaves.is_empty() => push(
                    out,
                    cx,
                    &format!("{name}三级指标"),
                    &c.value,
                    leaves.len(),
                    String::new(),
                    vec![],
                ),
                Counted::FullMarks if !leaves.is_empty() => {
                    let marks: Option<Vec<bool>> =
                        leaves.iter().map(|&i| full_marks(ev, i)).collect();
                    if let Some(marks) = marks {
                        let n = marks.iter().filter(|m| **m).count();
                        push(
                            out,
                            cx,
                            &format!("{name}满分三级指标"),
                            &c.value,
                            n,
                            String::new(),
                            vec![],
                        );
                    }
                }
                _ => {}
            }
        }
    }
    // 「共设置…三级指标 N 个」 for the whole tree, against a table that lists
    // every row — read whole, its rows' points making the 总分's points.
    let rows: Vec<usize> = (0..ev.indicators.len())
        .filter(|&i| {
            let ind = &ev.indicators[i];
            ind.from_table && ind.level == Some(3) && ev.children(i).next().is_none()
        })
        .collect();
    let whole = !rows.is_empty()
        && match ev.total_points.get() {
            Some(t) => ev
                .roots()
                .map(|i| {
                    let ind = &ev.indicators[i];
                    match ind.points.get() {
                        Some(p) if ind.level == Some(1) && ev.children(i).next().is_none() => {
                            Some(p.interval())
                        }
                        _ if ind.level == Some(1) || ind.level == Some(3) => ev
                            .leaves(i)
                            .iter()
                            .chain(std::iter::once(&i).filter(|_| ind.level == Some(3)))
                            .map(|&k| ev.indicators[k].points.get().map(|p| p.interval()))
                            .sum::<Option<crate::number::Interval>>(),
                        _ => Some(crate::number::Interval::zero()),
                    }
                })
                .sum::<Option<crate::number::Interval>>()
                .is_some_and(|sum| sum.intersects(&t.interval())),
            None => false,
        };
    if whole {
        // The 二级指标 are the table's groups of those rows.
        let groups = (0..ev.indicators.len())
            .filter(|&i| {
                let ind = &ev.indicators[i];
                ind.from_table && ind.level == Some(2) && ev.children(i).next().is_some()
            })
            .count();
        for c in &ev.counts {
            let (what, listed) = match c.counted {
                Counted::Level3 => ("三级指标", rows.len()),
                Counted::Level2 if groups > 0 => ("二级指标", groups),
                _ => continue,
            };
            push(out, cx, what, &c.value, listed, String::new(), vec![]);
        }
    }
    let pr = &r.projects;
    for u in &pr.units {
        if u.projects.is_empty() {
            continue;
        }
        if let Some(c) = &u.level1_count {
            push(
                out,
                cx,
                &format!("{}一级项目", u.name),
                c,
                u.projects.len(),
                String::new(),
                vec![],
            );
        }
        if let (Some(c), Some(counts)) = (
            &u.level2_count,
            u.projects
                .iter()
                .map(|p| p.level2_count.as_ref())
                .collect::<Option<Vec<_>>>(),
        ) {
            let n: Decimal = counts.iter().map(|c| c.0.value.value).sum();
            if let Ok(n) = usize::try_from(n) {
                push(
                    out,
                    cx,
                    &format!("{}二级项目", u.name),
                    c,
                    n,
                    String::new(),
                    vec![],
                );
            }
        }
    }
    let listed_units: Vec<_> = pr.units.iter().filter(|u| !u.projects.is_empty()).collect();
    if listed_units.is_empty() {
        return;
    }
    let unit_evidence = |cx: &Ctx| -> Vec<Evidence> {
        listed_units
            .iter()
            .map(|u| {
                let s = &cx.seg.sentences[u.sentence];
                cx.evidence_at(u.sentence, s.span.start, s.span.end)
            })
            .collect()
    };
    if let Some(c) = &pr.level1_count {
        let parts: Vec<String> = listed_units
            .iter()
            .map(|u| u.projects.len().to_string())
            .collect();
        let n: usize = listed_units.iter().map(|u| u.projects.len()).sum();
        let detail = if parts.len() > 1 {
            format!("（各单位 {} 个）", parts.join(" + "))
        } else {
            String::new()
        };
        push(out, cx, "一级项目总数", c, n, detail, unit_evidence(cx));
    }
    if let Some(c) = &pr.level2_count {
        let per_unit: Option<Vec<Decimal>> = listed_units
            .iter()
            .map(|u| {
                u.level2_count
                    .as_ref()
                    .map(|c| c.0.value.value)
                    .or_else(|| {
                        u.projects
                            .iter()
                            .map(|p| p.level2_count.as_ref().map(|c| c.0.value.value))
                            .sum::<Option<Decimal>>()
                    })
            })
            .collect();
        if let Some(per_unit) = per_unit {
            let n: Decimal = per_unit.iter().copied().sum();
            if let Ok(n) = usize::try_from(n) {
                let parts: Vec<String> = per_unit.iter().map(|d| d.to_string()).collect();
                let detail = if parts.len() > 1 {
                    format!("（各单位 {} 个）", parts.join(" + "))
                } else {
                    String::new()
                };
                push(out, cx, "二级项目总数", c, n, detail, unit_evidence(cx));
            }
        }
    }
}
