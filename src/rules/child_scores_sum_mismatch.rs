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
//! the reviewer gets a diagnostic rather than a finding. Where both the
//! scores and the points of a section's items miss the section's, the
//! items are not its items (a misreading breaks every relation at once, a
//! real error one): neither is reported.
//!
//! ## Why it matters
//! The total decides the grade. A sum that does not hold means a score was
//! mistyped or an item was left out.
//!
//! ## Example
//! 「履职效能得分 49.93 分」 with items 19.94, 20 and 9.96 → SCR003:
//! 19.94 + 20 + 9.96 = 49.90. Rounded figures are allowed their rounding:
//! 49.93 from 19.94 + 20 + 9.98 (49.92) holds, since each score to
//! hundredths may be up to 0.005 off.

use crate::model::{Evaluation, Report, Statement};
use crate::rules::evidence::Ctx;
use crate::number::Interval;
use crate::model::{Evidence, Finding};
use crate::model::Code;
use rust_decimal::Decimal;

pub fn check(r: &Report, cx: &Ctx, out: &mut Vec<Finding>) {
    let ev = &r.evaluation;
    for root in ev.roots() {
        section(ev, root, cx, out);
    }
    total(ev, cx, out);
}

/// A 一级指标's score and points against the items listed under it, when
/// they are all of its items.
fn section(ev: &Evaluation, root: usize, cx: &Ctx, out: &mut Vec<Finding>) {
    let ind = &ev.indicators[root];
    let leaves = ev.leaves(root);
    if leaves.is_empty() || !ev.listing_complete(root) || names_some_items_only(ev, root, &leaves)
    {
        return;
    }
    let mut found = Vec::new();
    if let (Some(s), true) = (ind.score.get(), grouped(ev, root, &leaves)) {
        score_sum(ev, root, s, &leaves, cx, &mut found);
    }
    if let (Some(p), false) = (ind.points.get(), ind.lists_every_item()) {
        points_sum(ev, root, p, &leaves, cx, &mut found);
    }
    // A real error breaks one relation while its neighbour holds; items
    // whose scores and points both miss the section's are not its items
    // (a tree read wrong, items named in passing): no proof of either.
    if found.len() < 2 {
        out.extend(found);
    }
}

/// A 一级指标's score against its items' scores (a full-marks item counts
/// its points), when every item's score is known.
fn score_sum(
    ev: &Evaluation,
    root: usize,
    s: &Statement,
    leaves: &[usize],
    cx: &Ctx,
    out: &mut Vec<Finding>,
) {
    let Some(parts) = leaves
        .iter()
        .map(|&i| ev.effective_score(i))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let sum = parts.iter().map(|p| p.1).sum::<Interval>();
    if !sum.intersects(&s.interval()) {
        let exact: Decimal = parts.iter().map(|p| p.0.value).sum();
        let mut evidence = vec![cx.evidence(s)];
        evidence.extend(leaves.iter().filter_map(|&i| leaf_evidence(ev, i, cx)));
        out.push(cx.finding(
            Code::SCR003,
            format!(
                "{}得分 {} 分，与其下各指标得分之和 {} 分不符",
                ev.indicators[root].name, s.value, exact
            ),
            s.value.to_string(),
            exact.to_string(),
            evidence,
        ));
    }
}

/// A 一级指标's points against its items' points, when every item's points
/// are known.
fn points_sum(
    ev: &Evaluation,
    root: usize,
    p: &Statement,
    leaves: &[usize],
    cx: &Ctx,
    out: &mut Vec<Finding>,
) {
    let Some(parts) = leaves
        .iter()
        .map(|&i| ev.indicators[i].points.get())
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let sum = parts.iter().map(|s| s.interval()).sum::<Interval>();
    if !sum.intersects(&p.interval()) {
        let exact: Decimal = parts.iter().map(|s| s.value.value).sum();
        out.push(cx.finding(
            Code::SCR003,
            format!(
                "{}分值 {} 分，与其下各指标分值之和 {} 分不符",
                ev.indicators[root].name, p.value, exact
            ),
            p.value.to_string(),
            exact.to_string(),
            vec![cx.evidence(p)],
        ));
    }
}

/// Whether the rows listed under `root` are grouped as the report groups
/// them. A table's rows are grouped under their 一级指标 by merged cells
/// the PDF may have scrambled: the grouping is trusted for the score only
/// where the rows' points add up to the 一级指标's points, and its points
/// are checked against the 总分 instead. Prose is always grouped.
fn grouped(ev: &Evaluation, root: usize, leaves: &[usize]) -> bool {
    let ind = &ev.indicators[root];
    !ind.lists_every_item() || {
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
    }
}

/// Level-1 scores add up to the total. (A table row no 一级指标 was read
/// for counts on its own.)
fn total(ev: &Evaluation, cx: &Ctx, out: &mut Vec<Finding>) {
    let roots: Vec<usize> = ev
        .roots()
        .filter(|&i| {
            let ind = &ev.indicators[i];
            ind.level == Some(1) || ind.lists_every_item() && ind.level == Some(3)
        })
        .collect();
    if roots.len() < 2 || !read_whole(ev, &roots) {
        return;
    }
    let Some(total) = ev.total_score.get() else {
        return;
    };
    let Some(parts) = roots
        .iter()
        .map(|&i| root_score(ev, i))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
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

/// Whether the level-1 indicators were read whole: so their points make
/// the total's points (总分 100) when a table lists them all. A table
/// whose rows' points do not make its 总分's points was not read whole
/// (cells the PDF wrapped or glued): its sum proves nothing. Prose is
/// taken as read, unless the points it states for its 一级指标 miss the
/// total's (「效益指标方面满分30分」 and 「产出指标方面满分40分」 of 100: the
/// others are not named).
fn read_whole(ev: &Evaluation, roots: &[usize]) -> bool {
    let table = roots.iter().all(|&i| ev.indicators[i].lists_every_item());
    let pts: Option<Vec<_>> = roots.iter().map(|&i| root_points(ev, i)).collect();
    let closes = match (ev.total_points.get(), pts) {
        (Some(t), Some(pts)) => Some(
            pts.iter()
                .map(|p| p.1)
                .sum::<Interval>()
                .intersects(&t.interval()),
        ),
        _ => None,
    };
    // A table must be shown whole; prose is taken as read unless the
    // points it states say that some 一级指标 are not named.
    if table {
        closes == Some(true)
    } else {
        closes != Some(false)
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
    if !ind.lists_every_item() || leaves.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::check;
    use crate::model::Counted;
    use crate::rules::testing::{messages, one, quotes, said, Doc};

    /// 管理效率 (50 points) with three items; the third at full marks.
    fn management(d: &mut Doc, score: &str, first: &str, second: &str) -> usize {
        let root = d.root("管理效率").points("50").score(score).id();
        d.indicator(Some(root), 3, "预算编制").points("20").score(first);
        d.indicator(Some(root), 3, "资金管理").points("20").score(second);
        d.indicator(Some(root), 3, "资产管理").points("10").full_marks();
        root
    }

    #[test]
    fn a_parent_score_that_is_not_its_items_sum_fires() {
        let mut d = Doc::new();
        management(&mut d, "46.5", "18", "18");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("管理效率得分 46.5 分，与其下各指标得分之和 46 分不符", "46.5", "46")
        );
        // The parent's score, then each item's (its points at full marks).
        assert_eq!(
            quotes(&f[0]),
            [
                "管理效率得分46.5分。",
                "预算编制得分18分。",
                "资金管理得分18分。",
                "资产管理分值10分。"
            ]
        );
    }

    #[test]
    fn scores_that_add_up_hold() {
        let mut d = Doc::new();
        management(&mut d, "49.93", "19.94", "19.99");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_sum_within_the_rounding_of_its_items_holds() {
        // Two scores to hundredths allow ±0.01 around 49.92.
        let mut d = Doc::new();
        management(&mut d, "49.93", "19.94", "19.98");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn the_documented_example_fires() {
        let mut d = Doc::new();
        let root = d.root("履职效能").points("50").score("49.93").id();
        d.indicator(Some(root), 3, "目标完成率").points("20").score("19.94");
        d.indicator(Some(root), 3, "目标完成质量").points("20").score("20");
        d.indicator(Some(root), 3, "目标完成时效").points("10").score("9.96");
        assert_eq!(
            messages(&d.findings(check)),
            ["履职效能得分 49.93 分，与其下各指标得分之和 49.90 分不符"]
        );
    }

    #[test]
    fn the_documented_rounding_holds() {
        let mut d = Doc::new();
        let root = d.root("履职效能").points("50").score("49.93").id();
        d.indicator(Some(root), 3, "目标完成率").points("20").score("19.94");
        d.indicator(Some(root), 3, "目标完成质量").points("20").score("20");
        d.indicator(Some(root), 3, "目标完成时效").points("10").score("9.98");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn points_that_are_not_the_items_points_fire() {
        let mut d = Doc::new();
        let root = d.root("履职效能").points("50").id();
        d.indicator(Some(root), 3, "目标完成率").points("20");
        d.indicator(Some(root), 3, "目标完成质量").points("20");
        d.indicator(Some(root), 3, "目标完成时效").points("5");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("履职效能分值 50 分，与其下各指标分值之和 45 分不符", "50", "45")
        );
        assert_eq!(quotes(&f[0]), ["履职效能分值50分。"]);
    }

    #[test]
    fn a_level_2_indicator_groups_items_but_is_not_one() {
        let mut d = Doc::new();
        let root = d.root("履职效能").points("30").score("29").id();
        let group = d
            .indicator(Some(root), 2, "产出指标")
            .points("30")
            .score("29")
            .id();
        d.indicator(Some(group), 3, "数量").points("10").score("10");
        d.indicator(Some(group), 3, "质量").points("20").score("19");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_listing_shorter_than_its_stated_count_is_not_checked() {
        let mut d = Doc::new();
        let root = management(&mut d, "46.5", "18", "18");
        let count = d.stated_count("管理效率", Counted::Level3, "4");
        d.report.evaluation.indicators[root].counts.push(count);
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_listing_that_matches_its_stated_count_is_checked() {
        let mut d = Doc::new();
        let root = management(&mut d, "46.5", "18", "18");
        let count = d.stated_count("管理效率", Counted::Level3, "3");
        d.report.evaluation.indicators[root].counts.push(count);
        assert_eq!(
            messages(&d.findings(check)),
            ["管理效率得分 46.5 分，与其下各指标得分之和 46 分不符"]
        );
    }

    #[test]
    fn the_one_item_that_lost_points_names_only_some_items() {
        // 「该指标扣0.2分，得9.8分」: 10 points of the parent's 50.
        let mut d = Doc::new();
        let root = d.root("管理效率").points("50").score("49.8").id();
        d.indicator(Some(root), 3, "资金管理").score("9.8").deduction("0.2");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn an_item_without_a_known_score_leaves_the_parents_score_unchecked() {
        let mut d = Doc::new();
        let root = d.root("管理效率").points("30").score("25").id();
        d.indicator(Some(root), 3, "预算编制").points("20").score("18");
        d.indicator(Some(root), 3, "资金管理").points("10");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn level_1_scores_that_are_not_the_total_fire() {
        let mut d = Doc::new();
        d.root("履职效能").points("50").score("49.93");
        d.root("管理效率").points("50").score("46.5");
        d.report.evaluation.total_score = one(d.score("总得分", "96.5"));
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("总得分 96.5 分，与各一级指标得分之和 96.43 分不符", "96.5", "96.43")
        );
        assert_eq!(
            quotes(&f[0]),
            ["总得分96.5分。", "履职效能得分49.93分。", "管理效率得分46.5分。"]
        );
    }

    #[test]
    fn level_1_scores_that_make_the_total_hold_and_one_alone_is_not_summed() {
        let mut d = Doc::new();
        d.root("履职效能").points("50").score("49.93");
        d.root("管理效率").points("50").score("46.5");
        d.report.evaluation.total_score = one(d.score("总得分", "96.43"));
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());

        let mut d = Doc::new();
        d.root("履职效能").points("50").score("49.93");
        d.report.evaluation.total_score = one(d.score("总得分", "96.43"));
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    /// A 项目支出绩效自评表 read whole: 预算执行率 10 + 产出指标 50 (rows 30 and
    /// 20, no 小计) + 效益指标 40 (one row) make the 总分's 100.
    fn indicator_table(d: &mut Doc, total_points: &str, total_score: &str) {
        d.root("预算执行率").points("10").score("10");
        let output = d.root("产出指标").points("50").id();
        d.indicator(Some(output), 3, "完成数量").points("30").score("28");
        d.indicator(Some(output), 3, "完成质量").points("20").score("20");
        let effect = d.root("效益指标").points("40").id();
        d.indicator(Some(effect), 3, "社会效益").points("40").score("38");
        d.report.evaluation.total_points = one(d.points("总分", total_points));
        d.report.evaluation.total_score = one(d.score("总得分", total_score));
        d.read_as_indicator_table();
    }

    #[test]
    fn in_a_table_a_level_1_without_a_score_counts_its_rows() {
        let mut d = Doc::new();
        indicator_table(&mut d, "100", "95");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("总得分 95 分，与各一级指标得分之和 96 分不符", "95", "96")
        );
        assert_eq!(
            quotes(&f[0]),
            [
                "总得分95分。",
                "预算执行率得分10分。",
                "产出指标分值50分。",
                "效益指标分值40分。"
            ]
        );
    }

    #[test]
    fn a_table_whose_rows_do_not_make_its_total_points_proves_nothing() {
        let mut d = Doc::new();
        indicator_table(&mut d, "110", "95");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_table_group_whose_rows_miss_its_points_is_not_summed() {
        // The rows under 产出指标 make 45 of its 50 points: a row was
        // scrambled into another group, so neither its score nor its points
        // are checked against them.
        let mut d = Doc::new();
        let output = d.root("产出指标").points("50").score("40").id();
        d.indicator(Some(output), 3, "完成数量").points("25").score("25");
        d.indicator(Some(output), 3, "完成质量").points("20").score("20");
        d.read_as_indicator_table();
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    #[ignore = "false alarm: Evaluation::leaves never counts a 二级指标, so a group \
                stated with its score but without its items drops out of the sum \
                (30 of 48 here)"]
    fn a_group_stated_by_its_score_alone_counts_its_score() {
        let mut d = Doc::new();
        let root = d.root("履职效能").points("50").score("48").id();
        let output = d
            .indicator(Some(root), 2, "产出指标")
            .points("30")
            .score("30")
            .id();
        d.indicator(Some(output), 3, "数量").points("20").score("20");
        d.indicator(Some(output), 3, "质量").points("10").score("10");
        d.indicator(Some(root), 2, "效益指标").points("20").score("18");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    #[ignore = "miss: a 一级指标 whose listed items are all 二级指标 (30 + 18) has \
                no leaves, so its score (49) is never checked"]
    fn a_parent_listed_by_its_groups_scores_is_checked() {
        let mut d = Doc::new();
        let root = d.root("履职效能").points("50").score("49").id();
        d.indicator(Some(root), 2, "产出指标").points("30").score("30");
        d.indicator(Some(root), 2, "效益指标").points("20").score("18");
        assert_eq!(
            messages(&d.findings(check)),
            ["履职效能得分 49 分，与其下各指标得分之和 48 分不符"]
        );
    }

    #[test]
    fn items_whose_scores_and_points_both_miss_the_sections_prove_nothing() {
        let mut d = Doc::new();
        let root = d.root("产出指标").points("50").score("48").id();
        d.indicator(Some(root), 3, "数量").points("20").score("20");
        d.indicator(Some(root), 3, "质量").points("10").score("10");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
