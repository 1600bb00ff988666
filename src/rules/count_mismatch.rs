//! CNT001: a stated count differs from the items listed.
//!
//! ## What it checks
//! Counts the report states — 「二级指标 7 个、三级指标 23 个」, 「21 个全部为
//! 满分」, 「一级项目 6 个，二级项目 21 个」 per unit and in all — against the
//! items it then lists: indicators under the section, items at full marks,
//! projects per unit and the 二级项目 each project says it contains. A count
//! is checked only when the report lists such items at all; a count of
//! 三级指标 or 二级指标 for the whole tree only against an indicator table
//! read whole (its rows' points make the 总分's points). A count of units or
//! offices followed by their names (「设9个内设机构，分别为：办公室、…」)
//! against the names, unless the list ends with 等; a last name joined by
//! 和/及 may be one name or two, and either reading that matches holds.
//!
//! ## Why it matters
//! A count that disagrees with the listing means an item was left out, or
//! one was listed that the count forgot; either way the figures built on the
//! listing (sums, scores) cannot be trusted as complete.
//!
//! ## Example
//! 「一级项目 6 个」 for the department, then 6 listed for 本级 and 2 for
//! 下属单位 → CNT001: 8 listed. 「二级项目 21 个」 with 17 + 4 holds.

use crate::model::{
    Counted, Evaluation, NamedList, ProjectUnit, Projects, Report, StatementValue,
};
use crate::number::Interval;
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
        section(ev, root, cx, out);
    }
    tree(ev, cx, out);
    for u in &r.projects.units {
        unit(u, cx, out);
    }
    department(&r.projects, cx, out);
    for l in &r.named_lists {
        named_list(l, cx, out);
    }
}

/// A count followed by the names it counts: the names must be as many,
/// whether a last item joined by 和/及 is read as one name or two.
fn named_list(l: &NamedList, cx: &Ctx, out: &mut Vec<Finding>) {
    let (as_written, split) = l.listed();
    let stated = l.count.value.value;
    if [as_written, split]
        .iter()
        .any(|&n| stated == Decimal::from(n))
    {
        return;
    }
    push(
        out,
        cx,
        &l.what,
        &StatementValue(l.count.clone()),
        as_written,
        format!("（{}）", l.names.join("、")),
        Vec::new(),
    );
}

/// The counts a 一级指标 states against the items listed under it: its
/// 二级指标, its 三级指标, and those at full marks, each only when such items
/// are listed.
fn section(ev: &Evaluation, root: usize, cx: &Ctx, out: &mut Vec<Finding>) {
    let name = &ev.indicators[root].name;
    let level2: Vec<usize> = ev
        .children(root)
        .filter(|&i| ev.indicators[i].level == Some(2))
        .collect();
    let leaves = ev.leaves(root);
    // A listing whose stated points do not make the section's points is
    // not the section's whole (items the text names in passing, or a tree
    // the reading built wrong): it proves nothing about a count.
    let level2_whole = ev.points_close(root, &level2) != Some(false);
    let leaves_whole = ev.points_close(root, &leaves) != Some(false);
    for c in &ev.indicators[root].counts {
        match c.counted {
            Counted::Level2 if !level2.is_empty() && level2_whole => push(
                out,
                cx,
                &format!("{name}二级指标"),
                &c.value,
                level2.len(),
                String::new(),
                vec![],
            ),
            Counted::Level3 if !leaves.is_empty() && leaves_whole => push(
                out,
                cx,
                &format!("{name}三级指标"),
                &c.value,
                leaves.len(),
                String::new(),
                vec![],
            ),
            Counted::FullMarks if !leaves.is_empty() && leaves_whole => {
                let marks: Option<Vec<bool>> = leaves.iter().map(|&i| full_marks(ev, i)).collect();
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

/// 「共设置…三级指标 N 个」 for the whole tree, against a table that lists
/// every row — read whole, its rows' points making the 总分's points.
fn tree(ev: &Evaluation, cx: &Ctx, out: &mut Vec<Finding>) {
    let rows: Vec<usize> = (0..ev.indicators.len())
        .filter(|&i| {
            let ind = &ev.indicators[i];
            ind.lists_every_item() && ind.level == Some(3) && ev.children(i).next().is_none()
        })
        .collect();
    if rows.is_empty() || !read_whole(ev) {
        return;
    }
    // The 二级指标 are the table's groups of those rows.
    let groups = (0..ev.indicators.len())
        .filter(|&i| {
            let ind = &ev.indicators[i];
            ind.lists_every_item() && ind.level == Some(2) && ev.children(i).next().is_some()
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

/// Whether the points of the tree's rows make the 总分's points: a 一级指标
/// without rows counts its own points, one with rows (or a row without a
/// 一级指标) the points of its rows.
fn read_whole(ev: &Evaluation) -> bool {
    let Some(t) = ev.total_points.get() else {
        return false;
    };
    ev.roots()
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
                    .sum::<Option<Interval>>(),
                _ => Some(Interval::zero()),
            }
        })
        .sum::<Option<Interval>>()
        .is_some_and(|sum| sum.intersects(&t.interval()))
}

/// A unit's 一级项目 against the projects it lists, and its 二级项目 against
/// the 二级项目 each project says it contains.
fn unit(u: &ProjectUnit, cx: &Ctx, out: &mut Vec<Finding>) {
    if u.projects.is_empty() {
        return;
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

/// The department's 一级项目 and 二级项目 against the units that list
/// projects, added up, with each unit's sentence as evidence.
fn department(pr: &Projects, cx: &Ctx, out: &mut Vec<Finding>) {
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
        let detail = per_unit_detail(parts);
        push(out, cx, "一级项目总数", c, n, detail, unit_evidence(cx));
    }
    if let Some(c) = &pr.level2_count {
        let per_unit: Option<Vec<Decimal>> = listed_units.iter().map(|u| level2_of(u)).collect();
        if let Some(per_unit) = per_unit {
            let n: Decimal = per_unit.iter().copied().sum();
            if let Ok(n) = usize::try_from(n) {
                let parts: Vec<String> = per_unit.iter().map(|d| d.to_string()).collect();
                let detail = per_unit_detail(parts);
                push(out, cx, "二级项目总数", c, n, detail, unit_evidence(cx));
            }
        }
    }
}

/// A unit's 二级项目: the count it states, or else the sum of the counts
/// its projects state (None when one of them states none).
fn level2_of(u: &ProjectUnit) -> Option<Decimal> {
    u.level2_count.as_ref().map(|c| c.0.value.value).or_else(|| {
        u.projects
            .iter()
            .map(|p| p.level2_count.as_ref().map(|c| c.0.value.value))
            .sum::<Option<Decimal>>()
    })
}

/// 「（各单位 6 + 2 个）」 when more than one unit lists projects.
fn per_unit_detail(parts: Vec<String>) -> String {
    if parts.len() > 1 {
        format!("（各单位 {} 个）", parts.join(" + "))
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::model::Counted;
    use crate::rules::testing::{messages, one, quotes, said, Doc};

    /// 管理效率 with its counts: two 二级指标, three 三级指标, two of them at
    /// full marks (one said so, one scoring its points).
    fn management(d: &mut Doc, level2: &str, level3: &str, full: &str) {
        let root = d
            .root("管理效率")
            .count(Counted::Level2, level2)
            .count(Counted::Level3, level3)
            .count(Counted::FullMarks, full)
            .id();
        let budget = d.indicator(Some(root), 2, "预算管理").id();
        d.indicator(Some(budget), 3, "预算编制").points("10").full_marks();
        d.indicator(Some(budget), 3, "预算执行").points("10").score("10");
        let assets = d.indicator(Some(root), 2, "资产管理").id();
        d.indicator(Some(assets), 3, "资产配置").points("10").score("8");
    }

    #[test]
    fn a_sections_count_of_items_that_is_not_its_listing_fires() {
        let mut d = Doc::new();
        management(&mut d, "2", "4", "2");
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("管理效率三级指标报告为 4 个，实际列出 3 个", "4", "3")
        );
        assert_eq!(quotes(&f[0]), ["管理效率三级指标4个。"]);
    }

    #[test]
    fn counts_that_match_the_listing_hold() {
        let mut d = Doc::new();
        management(&mut d, "2", "3", "2");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn counts_of_groups_and_of_full_marks_are_checked_too() {
        let mut d = Doc::new();
        management(&mut d, "3", "3", "3");
        assert_eq!(
            messages(&d.findings(check)),
            [
                "管理效率二级指标报告为 3 个，实际列出 2 个",
                "管理效率满分三级指标报告为 3 个，实际列出 2 个"
            ]
        );
    }

    #[test]
    fn full_marks_are_not_counted_while_an_items_score_is_unknown() {
        let mut d = Doc::new();
        let root = d.root("管理效率").count(Counted::FullMarks, "3").id();
        d.indicator(Some(root), 3, "预算编制").points("10").full_marks();
        d.indicator(Some(root), 3, "资产配置").points("10");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_count_without_a_listing_is_not_checked() {
        let mut d = Doc::new();
        d.root("履职效能")
            .count(Counted::Level2, "3")
            .count(Counted::Level3, "9")
            .score("49.5");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_units_count_of_projects_and_of_their_level_2_projects_is_checked() {
        let mut d = Doc::new();
        let mut unit = d.unit("下属单位", &[("设备购置", "120 万元"), ("信息化建设", "80 万元")]);
        unit.level1_count = Some(d.count("下属单位一级项目", "2"));
        unit.level2_count = Some(d.count("下属单位二级项目", "3"));
        for p in &mut unit.projects {
            p.level2_count = Some(d.count(&format!("{}含二级项目", p.name), "1"));
        }
        d.report.projects.units.push(unit);
        let f = d.findings(check);
        assert_eq!(messages(&f).len(), 1);
        assert_eq!(
            said(&f[0]),
            ("下属单位二级项目报告为 3 个，实际列出 2 个", "3", "2")
        );
    }

    /// 本级 (4 projects, 17 二级项目 by its own count) and 下属单位 (2
    /// projects of 1 and 3 二级项目).
    fn two_units(d: &mut Doc) {
        let four = [("a", "1 万元"), ("b", "1 万元"), ("c", "1 万元"), ("d", "1 万元")];
        let mut own = d.unit("本级", &four);
        own.level2_count = Some(d.count("本级二级项目", "17"));
        let mut sub = d.unit("下属单位", &[("e", "1 万元"), ("f", "1 万元")]);
        sub.projects[0].level2_count = Some(d.count("e含二级项目", "1"));
        sub.projects[1].level2_count = Some(d.count("f含二级项目", "3"));
        d.report.projects.units = vec![own, sub];
    }

    #[test]
    fn the_departments_count_of_projects_is_the_units_listings_added_up() {
        let mut d = Doc::new();
        two_units(&mut d);
        d.report.projects.level1_count = Some(d.count("一级项目", "6"));
        d.report.projects.level2_count = Some(d.count("二级项目", "21"));
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_departments_count_of_projects_that_is_not_the_listing_fires_with_each_unit() {
        let mut d = Doc::new();
        two_units(&mut d);
        d.report.projects.level1_count = Some(d.count("一级项目", "5"));
        d.report.projects.level2_count = Some(d.count("二级项目", "20"));
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            [
                "一级项目总数报告为 5 个，实际列出 6 个（各单位 4 + 2 个）",
                "二级项目总数报告为 20 个，实际列出 21 个（各单位 17 + 4 个）"
            ]
        );
        assert_eq!(
            quotes(&f[0]),
            ["一级项目5个。", "本级的一级项目如下。", "下属单位的一级项目如下。"]
        );
    }

    #[test]
    fn a_unit_that_lists_no_projects_is_not_counted() {
        let mut d = Doc::new();
        let mut own = d.unit("本级", &[("a", "1 万元"), ("b", "1 万元")]);
        own.level1_count = Some(d.count("本级一级项目", "2"));
        let mut sub = d.unit("下属单位", &[]);
        sub.level1_count = Some(d.count("下属单位一级项目", "3"));
        d.report.projects.units = vec![own, sub];
        d.report.projects.level1_count = Some(d.count("一级项目", "2"));
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    /// A 项目支出绩效自评表: 预算执行率 (10) and two 一级指标 of 二级指标
    /// groups of rows (30 + 20, 40), and the tree's counts.
    fn indicator_table(d: &mut Doc, total_points: &str, level2: &str, level3: &str) {
        d.root("预算执行率").points("10").score("10");
        let output = d.root("产出指标").id();
        let quantity = d.indicator(Some(output), 2, "数量指标").id();
        d.indicator(Some(quantity), 3, "完成数量").points("30").score("30");
        d.indicator(Some(quantity), 3, "完成质量").points("20").score("20");
        let effect = d.root("效益指标").id();
        let social = d.indicator(Some(effect), 2, "社会效益指标").id();
        d.indicator(Some(social), 3, "群众满意度").points("40").score("38");
        d.report.evaluation.total_points = one(d.points("总分", total_points));
        let counts = vec![
            d.stated_count("共设置", Counted::Level2, level2),
            d.stated_count("共设置", Counted::Level3, level3),
        ];
        d.report.evaluation.counts = counts;
        d.read_as_indicator_table();
    }

    #[test]
    fn the_trees_counts_are_checked_against_a_table_read_whole() {
        let mut d = Doc::new();
        indicator_table(&mut d, "100", "2", "3");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
        let mut d = Doc::new();
        indicator_table(&mut d, "100", "3", "4");
        let f = d.findings(check);
        assert_eq!(
            messages(&f),
            ["二级指标报告为 3 个，实际列出 2 个", "三级指标报告为 4 个，实际列出 3 个"]
        );
        assert_eq!(quotes(&f[1]), ["共设置三级指标4个。"]);
    }

    #[test]
    fn the_trees_counts_are_not_checked_against_a_table_not_read_whole() {
        let mut d = Doc::new();
        indicator_table(&mut d, "110", "3", "4");
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn the_trees_counts_are_not_checked_against_prose() {
        let mut d = Doc::new();
        d.root("履职效能").points("50").score("50");
        let root = d.root("管理效率").points("50").id();
        d.indicator(Some(root), 3, "预算编制").points("50").score("48");
        d.report.evaluation.total_points = one(d.points("总分", "100"));
        let count = d.stated_count("共设置", Counted::Level3, "23");
        d.report.evaluation.counts.push(count);
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }

    #[test]
    fn a_count_against_items_whose_points_miss_the_sections_is_not_checked() {
        // 3 items of 10 points under a 50-point section: not its listing.
        let mut d = Doc::new();
        let root = d
            .root("管理效率")
            .points("50")
            .count(Counted::Level3, "5")
            .id();
        for name in ["预算编制", "资产配置", "信息公开"] {
            d.indicator(Some(root), 3, name).points("10");
        }
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
        // Their points make the section's: the count of 5 is wrong.
        let mut d = Doc::new();
        let root = d
            .root("管理效率")
            .points("30")
            .count(Counted::Level3, "5")
            .id();
        for name in ["预算编制", "资产配置", "信息公开"] {
            d.indicator(Some(root), 3, name).points("10");
        }
        assert_eq!(
            messages(&d.findings(check)),
            ["管理效率三级指标报告为 5 个，实际列出 3 个"]
        );
    }

    #[test]
    fn a_count_of_offices_is_checked_against_their_names() {
        let mut d = Doc::new();
        let count = d.count("内设机构", "3").0;
        d.report.named_lists.push(crate::model::NamedList {
            what: "内设机构".into(),
            count,
            names: vec!["办公室".into(), "预算股".into()],
            joined: false,
        });
        let f = d.findings(check);
        assert_eq!(
            said(&f[0]),
            ("内设机构报告为 3 个，实际列出 2 个（办公室、预算股）", "3", "2")
        );
        // 「预算股和国库股」 may be two names: 3 holds.
        d.report.named_lists[0].names[1] = "预算股和国库股".into();
        d.report.named_lists[0].joined = true;
        assert_eq!(messages(&d.findings(check)), Vec::<&str>::new());
    }
}
