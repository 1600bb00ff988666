//! The scoring tables of a self-evaluation form, applied to the model: the
//! budget execution table's rows and the indicator table's tree.

use super::scores::find_or_create;
use crate::model::*;
use crate::read::scoring::{Cell, ScoringTables};

fn cell_statement(c: &Cell, unit: Option<Unit>) -> Statement {
    Statement {
        value: c.value,
        unit,
        span: c.span.clone(),
        sentence: c.sentence,
    }
}

/// Puts the scoring tables into the model: the budget rows (the first is
/// the project's budget, executed amount and rate, and its 分值/得分 the
/// 预算执行率 indicator), the indicator rows as a tree under their 一级指标,
/// and the 总分 row as the total.
pub(super) fn apply_tables(r: &mut Report, t: &ScoringTables) {
    apply_budget_rows(r, t);
    apply_indicator_rows(&mut r.evaluation, t);
}

fn st(c: &Option<Cell>, unit: Option<Unit>) -> Option<Statement> {
    c.as_ref().map(|c| cell_statement(c, unit))
}

fn fill(q: &mut Quantity, s: Option<Statement>) {
    if let Some(s) = s {
        q.push(s);
    }
}

/// The budget rows: the first is the project's budget, executed amount and
/// rate, and its 分值/得分 the 预算执行率 indicator's.
fn apply_budget_rows(r: &mut Report, t: &ScoringTables) {
    // The first row must be the total (年度资金总额), not a source of funds
    // whose total row could not be read.
    let sub_row = |n: &str| {
        ["财政拨款", "结转", "其他", "自筹"]
            .iter()
            .any(|k| n.contains(k))
    };
    let usable = !t.scrambled_budget && t.budget.first().is_some_and(|r| !sub_row(&r.name));
    for (k, row) in t.budget.iter().enumerate().filter(|_| usable) {
        let mut line = BudgetLine {
            name: row.name.clone(),
            ..BudgetLine::default()
        };
        fill(&mut line.initial_budget, st(&row.initial, row.unit));
        fill(&mut line.budget, st(&row.budget, row.unit));
        fill(&mut line.executed, st(&row.executed, row.unit));
        fill(&mut line.rate_percent, st(&row.rate, None));
        fill(&mut line.points, st(&row.points, None));
        fill(&mut line.score, st(&row.score, None));
        if k == 0 {
            fill(&mut r.budget, st(&row.budget, row.unit));
            fill(&mut r.executed, st(&row.executed, row.unit));
            fill(&mut r.execution_rate_percent, st(&row.rate, None));
            if row.points.is_some() || row.score.is_some() {
                let ev = &mut r.evaluation;
                let i = find_or_create(ev, "预算执行率", Some(1), None, None);
                let ind = &mut ev.indicators[i];
                ind.listing = Listing::Every;
                fill(&mut ind.points, st(&row.points, None));
                fill(&mut ind.score, st(&row.score, None));
                fill(&mut ind.rate_percent, st(&row.rate, None));
            }
        }
        r.budget_lines.push(line);
    }
}

/// The indicator rows as a tree under their 一级指标, the 一级指标's own
/// rows, and the 总分 row as the total.
fn apply_indicator_rows(ev: &mut Evaluation, t: &ScoringTables) {
    for row in &t.indicators {
        let l1 = row.level1.as_deref().map(|n| {
            let i = find_or_create(ev, n, Some(1), None, None);
            ev.indicators[i].listing = Listing::Every;
            i
        });
        let l2 = row.level2.as_deref().map(|n| {
            let i = find_or_create(ev, n, Some(2), l1, l1);
            ev.indicators[i].listing = Listing::Every;
            i
        });
        let mut i = find_or_create(ev, &row.name, Some(3), l2.or(l1), l1);
        if Some(i) == l2 {
            // A 三级指标 named as its 二级指标 (预算执行率 under 预算执行率).
            ev.indicators.push(Indicator {
                name: row.name.clone(),
                level: Some(3),
                parent: l2,
                ..Indicator::default()
            });
            i = ev.indicators.len() - 1;
        }
        let ind = &mut ev.indicators[i];
        ind.listing = Listing::Every;
        if let Some(p) = st(&row.points, None) {
            ind.points.push(p);
        }
        if let Some(s) = st(&row.score, None) {
            ind.score.push(s);
        }
        if let Some(d) = st(&row.deduction, None) {
            ind.deduction.push(d);
        }
    }
    for row in &t.level1 {
        let i = find_or_create(ev, &row.name, Some(1), None, None);
        let ind = &mut ev.indicators[i];
        ind.listing = Listing::Every;
        if let Some(p) = st(&row.points, None) {
            ind.points.push(p);
        }
        if let Some(s) = st(&row.score, None) {
            ind.score.push(s);
        }
    }
    if let Some(p) = st(&t.total_points, None) {
        ev.total_points.push(p);
    }
    if let Some(s) = st(&t.total_score, None) {
        ev.total_score.push(s);
    }
    if let (None, Some(g)) = (&ev.grade, &t.grade) {
        ev.grade = Some(g.clone());
    }
}
