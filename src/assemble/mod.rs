//! Assemble: what the readers read → the report model.
//!
//! One walk over the paragraphs in text order ([`state::Assembler`]):
//! [`prose`] reads the paragraph structure and dispatches each fact by its
//! kind to [`amounts`] (splits, breakdowns, changes) or [`scores`] (the
//! indicator tree); [`projects`] takes project lists, [`wholes`] decides
//! what a classified split divides, and [`tables`] applies the scoring
//! tables of a self-evaluation form.
//!
//! The model is what a reviewer builds by hand: income and its items with
//! shares, expenditure and its items, the execution rate, the indicator
//! tree (levels, points, scores, deductions, stated counts), the total
//! score and grade, and the projects of each unit with amounts and counts.
//! Every value keeps the statements it came from, so a quantity stated
//! twice can be compared ([`Quantity`]), and every finding can quote its
//! sentence.

mod amounts;
mod lists;
mod projects;
mod prose;
mod scores;
mod shares;
mod state;
mod tables;
mod wholes;
mod words;

use crate::model::*;
use crate::read::document::document_info;
use crate::read::is_table_row;
use crate::read::Readings;
use crate::segment::Segments;
use crate::text::LineInfo;
use projects::listed_projects;
use scores::infer_levels;
use state::Assembler;
use std::ops::Range;
use tables::apply_tables;
use wholes::choose_wholes;

/// Builds the report model from the facts, reading the paragraph structure
/// (headings, enumerated units and projects) from the text.
pub fn assemble(text: &str, seg: &Segments, lines: &[LineInfo], facts: &Readings) -> Report {
    let info = document_info(text);
    let mut a = Assembler {
        budget_doc: info.kind == DocumentKind::Budget,
        own_rate: matches!(
            info.kind,
            DocumentKind::Project | DocumentKind::DepartmentOverall
        ),
        year: info.year,
        ..Assembler::default()
    };
    let mut fi = 0;
    let mut table_block = false;
    for (pi, para) in seg.paragraphs.iter().enumerate() {
        let line = &text[para.span.clone()];
        let is_table = is_table_row(line, lines.get(pi));
        a.paragraph(line, para.sentences.start, is_table && table_block);
        table_block = is_table;
        for si in para.sentences.clone() {
            let span = seg.sentences[si].span.clone();
            a.sentence(&text[span.clone()], span.start);
            while fi < facts.facts.len() && facts.facts[fi].sentence < si {
                fi += 1; // cannot happen with ordered facts; never stall
            }
            let end = fi + facts.facts[fi..].partition_point(|f| f.sentence == si);
            let listed = listed_projects(text, &facts.facts[fi..end], line, si);
            let mut taken: &[Range<usize>] = &[];
            if let Some((unit, spans)) = &listed {
                a.r.projects.units.push(unit.clone());
                taken = spans;
            }
            for f in &facts.facts[fi..end] {
                if !taken.contains(&f.span) {
                    a.fact(f, si, line, is_table);
                }
            }
            fi = end;
        }
    }
    a.flush_project_rate();
    choose_wholes(&mut a.r, &a.splits.classified_wholes);
    let mut r = a.r;
    // A total with no part stated is not a breakdown.
    r.breakdowns.retain(|b| !b.parts.is_empty());
    // A 决算's 收入总计 adds 年初结转和结余 to the 本年收入合计: where the
    // report speaks of 结转/结余 and both are stated and differ, they are
    // two quantities, and the items add up to the 本年 one.
    let carry_over =
        text.contains("结转和结余") || text.contains("年初结转") || text.contains("年末结转");
    for split in [&mut r.income, &mut r.expenditure]
        .into_iter()
        .filter(|_| carry_over)
    {
        let t = &mut split.total;
        let (grand, own): (Vec<_>, Vec<_>) = t
            .statements
            .iter()
            .cloned()
            .partition(|s| r.grand_totals.contains(&s.span));
        if !grand.is_empty() && !own.is_empty() && t.is_conflicting() {
            t.statements = own;
        }
    }
    apply_tables(&mut r, &facts.tables);
    r.tables = facts.index.clone();
    r.subject_tables = facts.subjects.clone();
    r.subject_mentions = facts.mentions.clone();
    r.balances = facts.balances.clone();
    r.template_slips = facts.slips.clone();
    r.three_public_mentions = facts.three_public.clone();
    r.total_mentions = facts.totals.clone();
    r.purpose_lists = facts.purposes.clone();
    r.breakdowns
        .extend(shares::implied_breakdowns(&facts.facts));
    r.classified_expenditure
        .extend(shares::divided_wholes(text, seg, &facts.facts));
    r.named_lists = facts
        .facts
        .iter()
        .filter_map(|f| lists::named_list(text, seg, f))
        .collect();
    infer_levels(&mut r.evaluation);
    r
}

/// Sums statements exactly, in the unit of the first (for messages).
#[cfg(test)]
mod tests {
    use crate::ingest::Pages;

    fn findings(text: &str) -> Vec<String> {
        let pages = Pages {
            pages: vec![text.to_string()],
            text_layer: "text".into(),
            rows: Vec::new(),
            diagnostics: vec![],
            ocr: Vec::new(),
        };
        // The stages as analysis runs them, without its bookkeeping.
        let text = crate::normalize::normalize(&pages);
        let seg = crate::segment::segment(&text.text);
        let readings = crate::read::read(&text.text, &seg, &text.lines);
        let mut report = super::assemble(&text.text, &seg, &text.lines, &readings);
        let page_at = |b: usize| text.page_at(b);
        let cx = crate::check::Ctx {
            text: &text.text,
            seg: &seg,
            page_at: &page_at,
        };
        crate::check::check(&mut report, &cx)
            .iter()
            .map(|f| format!("{} {}", f.rule, f.message))
            .collect()
    }

    #[test]
    fn a_level1_heading_starts_its_section() {
        // The recap names 管理效率 last; the counts under 「（二）履职效能」
        // are still 履职效能's.
        let t = "（一）总体评价\n其中履职效能满分50分，得49分；管理效率满分50分，得50分。\n（二）履职效能\n履职效能设二级指标一个、三级指标两个。\n1．产出指标完成情况，满分30分，得29分。\n2．效益指标完成情况，满分20分，得满分。\n";
        assert_eq!(findings(t), Vec::<String>::new());
        let wrong = t.replace("三级指标两个", "三级指标三个");
        let got = findings(&wrong);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("CNT001 履职效能三级指标报告为 3 个"),
            "{got:?}"
        );
    }

    #[test]
    fn a_grade_after_the_total_and_its_parts_is_the_totals() {
        let t = "（一）总体评价\n经评价，部门整体支出绩效自评得分97.38分，其中履职效能得分48.38分，管理效率得分49分，绩效等级为优。\n";
        assert_eq!(findings(t), Vec::<String>::new());
        let wrong = t
            .replace("97.38分", "87.38分")
            .replace("48.38分", "38.38分");
        let got = findings(&wrong);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("GRD001 总得分 87.38 分"), "{got:?}");
    }

    #[test]
    fn a_purchase_total_is_not_the_expenditure_total() {
        let t = "2023年度支出合计1279.02万元，其中：基本支出1045.74万元，占支出合计的81.76%；项目支出233.28万元，占支出合计的18.24%。\n2023年度本部门政府采购支出总额86.40万元，全部为政府采购服务支出。\n";
        assert_eq!(findings(t), Vec::<String>::new());
    }

    #[test]
    fn a_recap_sentence_states_the_total_not_an_indicator() {
        let t = "（二）履职效能分析\n履职效能得分49.93分。\n（三）管理效率分析\n管理效率得分48.99分。\n综上，履职效能得分49.93分，管理效率得分48.99分，绩效自评为98.92分，绩效等级为优。\n";
        assert_eq!(findings(t), Vec::<String>::new());
        let wrong = t.replace("98.92分，绩效等级", "98.29分，绩效等级");
        let got = findings(&wrong);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("SCR003 总得分 98.29 分"), "{got:?}");
    }

    #[test]
    fn a_change_is_of_the_amount_completed_not_of_the_base_of_its_ratio() {
        // 367 ÷ (2236 − 367) = 19.6%: of 2236, not of 25200.
        let t = "4月，政府性基金预算收入累计完成2236万元，完成年初预算数25200万元的8.9%，比上年增收367万元，增长19.6%。\n";
        assert_eq!(findings(t), Vec::<String>::new());
        let t = "地方一般公共预算收入完成30,161万元，同比增长14.6%，增收4,376万。\n";
        assert_eq!(
            findings(t),
            ["GRW001 地方一般公共预算收入变动幅度报告为 14.6%，按变动额与上年数计算应为 16.97%"]
        );
    }

    #[test]
    fn a_whole_divided_into_named_parts_checks_their_shares_of_it() {
        let t = "（二）按支出结构分类划分，分为基本支出预算和项目支出预算。\n1.基本支出预算2476260.58元，占一般公共预算支出的84.06%。\n2.项目支出469500元，占一般公共预算支出的19.62%。\n";
        assert_eq!(
            findings(t),
            ["PCT001 项目支出预算占比 19.62%，按 469500 元 ÷ 2945760.58 元 计算应为 15.94%"]
        );
        let right = t.replace("19.62", "15.94");
        assert_eq!(findings(&right), Vec::<String>::new());
    }

    #[test]
    fn a_share_of_a_whole_it_names_is_not_a_share_of_the_split() {
        // 300 of 1000 is 30% of 支出合计, but the 25% is of another whole.
        let t = "支出合计1000万元，其中基本支出700万元，占70%；项目支出300万元，占一般公共预算支出的25%。\n";
        assert_eq!(findings(t), Vec::<String>::new());
        let t = t.replace("占一般公共预算支出的25%", "占25%");
        assert_eq!(
            findings(&t),
            [
                "PCT001 项目支出占比 25%，按 300 万元 ÷ 1000 万元 计算应为 30.00%",
                "PCT002 支出各项占比之和为 95%，不等于 100%"
            ]
        );
    }
}
