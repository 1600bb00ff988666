//! What a document is: kind, organization and year from its title and
//! its form's fields; whether it is a budget; the report's year.

use crate::model::{DocumentInfo, DocumentKind};
use regex::Regex;
use std::sync::{LazyLock, OnceLock};

/// Kind, organization and year, from the title and the form's fields.
///
/// The kind is the first title among the first lines that names one (a
/// line such as 「附件2」 or a running header may come before it):
/// 部门整体支出绩效自评报告 → `department_overall`; 项目支出绩效自评报告 /
/// 自评表 → `project`; 部门决算 / 单位决算 / 决算说明 → `final_accounts`;
/// 部门预算 / 单位预算 / 预算说明 → `budget`; a government's 财政决算（草案）,
/// 决算草案 or 预算执行情况的报告 → `government_report`. Without such a
/// title, the structure decides: a budget execution table or 项目支出绩效
/// in the text is a project, 整体支出绩效 a department, 决算 with 三公经费 a
/// final account, 预算 with 三公经费 a budget.
///
/// The organization is the unit the title names, before or after the year
/// (「2023年度某市民政局部门决算说明」, 「某市民政局2023年部门预算」);
/// a project's title names the project, so its organization is the form's
/// 实施单位 (or 项目单位, 单位名称, 填报单位, 主管部门). The year is the
/// title's, else the form's 「（2023年度）」.
pub fn document_info(text: &str) -> DocumentInfo {
    let lines: Vec<&str> = text.lines().take(12).collect();
    let title = lines.iter().position(|l| title_kind(l).is_some());
    let kind = match title {
        Some(i) => title_kind(lines[i]).unwrap(),
        None => kind_by_structure(text),
    };
    let title_text = title.map(|i| lines[i]).unwrap_or_default();
    let (mut year, mut organization) = title_year_and_organization(title_text);
    if kind == DocumentKind::Project {
        // The title names the project; the unit is the form's.
        if let Some(org) = form_organization(text) {
            organization = Some(org);
        } else if organization.as_deref().is_some_and(|o| o.ends_with("项目")) {
            organization = None;
        }
    }
    if organization.as_deref().is_some_and(is_part_heading) {
        // 「第二部分2019年度部门预算表」: a contents line, not a title.
        organization = None;
    }
    if matches!(kind, DocumentKind::Budget | DocumentKind::FinalAccounts) {
        // The tables' own field names the body, where a title may not
        // (「区级」, a tables-only PDF); without either, the body its
        // sentences begin with.
        if let Some(org) = table_organization(text) {
            organization = Some(org);
        } else if organization.as_deref().is_none_or(str::is_empty) {
            organization = subject_organization(text);
        }
    }
    if organization.as_deref().is_some_and(|o| o.is_empty()) {
        organization = None;
    }
    if year.is_none() {
        let head: String = text.lines().take(12).collect::<Vec<_>>().join("\n");
        year = FORM_YEAR.captures(&head).and_then(|c| c[1].parse().ok());
    }
    DocumentInfo {
        kind,
        organization,
        year,
    }
}

/// 「2023年度某市民政局部门决算说明」: the year, then the organization.
static YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年度?([^，。；：\d]{2,40}?)(?:部门)?(?:整体支出|项目支出|部门决算|部门预算|单位决算|单位预算|决算|预算)").unwrap()
});

/// 「某市民政局2023年部门预算」: the organization, then the year.
static ORG_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([^，。；：\d]{2,40}?)((?:19|20)\d{2})\s*年度?(?:部门|单位|财政)?(?:整体支出|项目支出|决算|预算)").unwrap()
});

/// A form's field that names the unit (实施单位, 项目单位…).
static UNIT_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(实施单位|项目单位|单位名称|填报单位|主管部门|预算单位|部门名称)(?:[（(]盖章[)）])?[：:]?\s*").unwrap()
});

/// A form's year: 「（2023年度）」.
static FORM_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[（(]((?:19|20)\d{2})\s*年度?[)）]").unwrap());

/// The kind a title line names, if it names one.
fn title_kind(l: &str) -> Option<DocumentKind> {
    if l.contains("整体支出绩效") || l.contains("部门整体绩效") {
        Some(DocumentKind::DepartmentOverall)
    } else if l.contains("项目支出绩效")
        || l.contains("项目绩效自评")
        || l.contains("项目支出绩效自评表")
    {
        Some(DocumentKind::Project)
    } else if l.chars().count() > 60 {
        None
    } else if [
        "决算草案",
        "财政决算",
        "总决算",
        "预算执行情况的报告",
        "预算执行情况报告",
    ]
    .iter()
    .any(|k| l.contains(k))
        && !l.contains("部门")
    {
        Some(DocumentKind::GovernmentReport)
    } else if ["部门决算", "决算说明", "单位决算"]
        .iter()
        .any(|k| l.contains(k))
    {
        Some(DocumentKind::FinalAccounts)
    } else if ["部门预算", "预算说明", "单位预算"]
        .iter()
        .any(|k| l.contains(k))
    {
        Some(DocumentKind::Budget)
    } else {
        None
    }
}

/// Without a title, the structure decides the kind.
fn kind_by_structure(text: &str) -> DocumentKind {
    let budget_table = text.contains("全年执行数") && text.contains("年初预算数");
    if budget_table || text.contains("项目支出绩效") {
        DocumentKind::Project
    } else if text.contains("整体支出绩效") {
        DocumentKind::DepartmentOverall
    } else if text.contains("决算") && text.contains("三公") {
        DocumentKind::FinalAccounts
    } else if text.contains("预算") && text.contains("三公") {
        DocumentKind::Budget
    } else {
        DocumentKind::Unknown
    }
}

fn clean_org(o: &str) -> String {
    o.trim()
        .trim_start_matches(['“', '《'])
        .trim_end_matches("部门")
        .trim_end_matches("本级")
        .to_string()
}

/// 「第二部分」, 「第一部分」: a part of the document, not a body.
fn is_part_heading(o: &str) -> bool {
    o.starts_with('第') && o.ends_with("部分")
}

/// The body a narrative's sentences begin with (「某厅2019年度收入、支出预算
/// 总计…」, 「某厅本年收入预算合计…」): the name before a year or 本年 at
/// the start of a line, ending in a word that names a body (厅, 局, 委 …),
/// the one given most often, when given at least three times.
fn subject_organization(text: &str) -> Option<String> {
    static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^([^，。；：\s\d“”（）()、]{2,30}?(?:厅|局|院|委|办|会|部|署|室|处|所|站|馆|校|学|中心))(?:(?:19|20)\d{2}\s*年|本年)")
            .unwrap()
    });
    let names = SUBJECT.captures_iter(text).map(|c| clean_org(&c[1]));
    most_frequent(names, 3)
}

/// The value given most often (the first of those, on a tie), when given
/// at least `at_least` times.
fn most_frequent(values: impl Iterator<Item = String>, at_least: usize) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(o, _)| *o == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best && best >= at_least)
        .map(|(o, _)| o)
}

/// The year and the organization a title names, before or after the year.
fn title_year_and_organization(title: &str) -> (Option<u32>, Option<String>) {
    // 「郑州市2021年度财政决算」: 财政 says what is reported, not who.
    let by_year_first = YEAR_FIRST
        .captures(title)
        .map(|c| (c[1].parse().ok(), clean_org(&c[2])))
        .map(|(y, o)| {
            let generic = [
                "财政",
                "财政总",
                "本级",
                "市本级",
                "全市",
                "全省",
                "全县",
                "全区",
            ];
            (
                y,
                if generic.contains(&o.as_str()) {
                    String::new()
                } else {
                    o
                },
            )
        });
    let by_org_first = ORG_FIRST
        .captures(title)
        .map(|c| (c[2].parse().ok(), clean_org(&c[1])));
    match (by_year_first, by_org_first) {
        (Some((y, o)), _) if !o.is_empty() => (y, Some(o)),
        (_, Some((y, o))) => (y, Some(o)),
        (Some((y, o)), None) => (y, Some(o)),
        (None, None) => (None, None),
    }
}

/// The unit a project's form names: 实施单位 first, then 项目单位, 单位名称,
/// 填报单位 or 预算单位, then 主管部门; each value runs to the next field or
/// a stop.
fn form_organization(text: &str) -> Option<String> {
    let head: String = text.lines().take(40).collect::<Vec<_>>().join("\n");
    let mut best: Option<(usize, String)> = None;
    let found: Vec<_> = UNIT_FIELD.captures_iter(&head).collect();
    for (k, c) in found.iter().enumerate() {
        let whole = c.get(0).unwrap();
        let end = found
            .get(k + 1)
            .map_or(head.len(), |n| n.get(0).unwrap().start());
        let value: String = head[whole.end()..end]
            .split(|ch: char| ch.is_whitespace() || "，。；：:（(".contains(ch))
            .next()
            .unwrap_or_default()
            .to_string();
        let value = [
            "项目资金",
            "项目名称",
            "联系人",
            "填报日期",
            "金额单位",
            "项目负责人",
        ]
        .iter()
        .fold(value, |v, stop| {
            v.split(stop).next().unwrap_or_default().to_string()
        });
        let rank = match &c[1] {
            "实施单位" => 0,
            "项目单位" | "单位名称" | "填报单位" | "预算单位" => 1,
            _ => 2,
        };
        let count = value.chars().count();
        if (2..=30).contains(&count) && best.as_ref().is_none_or(|b| rank < b.0) {
            best = Some((rank, clean_org(&value)));
        }
    }
    best.map(|(_, org)| org)
}

/// The body a 预算/决算's tables name in their header field (「部门：X」,
/// 「部门名称：X」, 「编制部门：X」, 「编制单位：X」), the value they give most
/// often (a value glued to the next word, 「…司法局目录」, is rarer), when
/// given at least twice.
fn table_organization(text: &str) -> Option<String> {
    most_frequent(TABLE_ORG.captures_iter(text).map(|c| clean_org(&c[1])), 2)
}

static TABLE_ORG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:编制部门|编制单位|部门名称|单位名称|部门)[：:]\s*([^单：:\s，。；、]{2,30})")
        .unwrap()
});

/// The report's year: its title's, else the first year its text names.
pub fn report_year(text: &str) -> Option<u32> {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let y = YEAR.get_or_init(|| Regex::new(r"((?:19|20)\d{2})\s*年").unwrap());
    document_info(text)
        .year
        .or_else(|| y.captures(text).and_then(|c| c[1].parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::document_info;

    fn info(t: &str) -> (String, Option<String>, Option<u32>) {
        let d = document_info(t);
        (d.kind.as_str().to_string(), d.organization, d.year)
    }

    #[test]
    fn a_budgets_tables_name_its_body_where_its_title_does_not() {
        let t = "2026年区级部门预算\n2026年部门收入预算总表编制部门：某区档案局单位：元\n2026年部门支出预算总表编制部门：某区档案局目录\n2026年部门财政拨款收支预算总表编制部门：某区档案局单位：元\n";
        assert_eq!(info(t).1.as_deref(), Some("某区档案局"));
        // Named once only: not enough to override the title.
        let t = "2026年某区档案局部门预算\n部门：某区文化局单位：万元\n";
        assert_eq!(info(t).1.as_deref(), Some("某区档案局"));
    }

    #[test]
    fn kinds_organizations_and_years_from_titles_and_forms() {
        let cases: &[(&str, &str, Option<&str>, Option<u32>)] = &[
            ("2023年度广州市档案馆部门整体支出绩效自评报告\n一、基本情况", "department_overall", Some("广州市档案馆"), Some(2023)),
            ("附件2\n某区教育局2022年度部门整体支出绩效自评报告\n", "department_overall", Some("某区教育局"), Some(2022)),
            ("2023年度某市民政局部门决算说明\n一、部门基本情况", "final_accounts", Some("某市民政局"), Some(2023)),
            ("某县卫生健康局2024年部门预算说明\n", "budget", Some("某县卫生健康局"), Some(2024)),
            ("郑州市2021年度财政决算（草案）郑州市财政局\n一、关于郑州市2021年财政决算（草案）的说明", "government_report", Some("郑州市"), Some(2021)),
            ("项目支出绩效自评表\n（2023年度）\n项目名称社区居家养老服务补贴项目主管部门某市民政局实施单位某市养老服务指导中心项目资金\n", "project", Some("某市养老服务指导中心"), Some(2023)),
            ("2023年度农村公路养护项目支出绩效自评报告\n一、项目概况\n项目单位：某县交通运输局\n", "project", Some("某县交通运输局"), Some(2023)),
            ("第1页\n年初预算数 全年预算数 全年执行数 分值 执行率 得分\n", "project", None, None),
            ("工作总结\n本年度完成了各项工作。", "unknown", None, None),
        ];
        for &(t, kind, org, year) in cases {
            assert_eq!(
                info(t),
                (kind.to_string(), org.map(String::from), year),
                "{t}"
            );
        }
    }

    #[test]
    fn a_narrative_without_title_or_tables_is_named_by_its_sentences() {
        // A contents line is no title; the body the sentences begin with
        // names the document, when they name it at least three times.
        let t = "目录第一部分部门概况\n第二部分2019年度部门预算表\n某省某厅2019年度收入、支出预算总计13.00万元。\n某省某厅本年收入预算合计13.00万元。\n某省某厅本年支出预算合计13.00万元。\n";
        assert_eq!(
            info(t),
            (
                "budget".to_string(),
                Some("某省某厅".to_string()),
                Some(2019)
            )
        );
        let twice = "第二部分2019年度部门预算表\n某省某厅本年收入预算合计1.00万元。\n某省某厅本年支出预算合计1.00万元。\n";
        assert_eq!(info(twice).1, None);
    }
}
