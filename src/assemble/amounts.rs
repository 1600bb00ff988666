//! Assembly of amounts and shares: splits and their items, breakdowns,
//! year-on-year changes, budget and executed amounts.

use super::state::*;
use super::wholes::SplitKind;
use super::words::*;
use crate::model::composition::COMPOSITIONS;
use crate::model::*;
use crate::read::{Fact, FactKind};
use regex::Regex;
use std::sync::LazyLock;

impl Assembler {
    /// A change against last year, or last year's amount. Returns whether
    /// the fact was one.
    ///
    /// The change is of the amount stated before it in its sentence; when
    /// the sentence states none, of the amount an earlier sentence of the
    /// paragraph states under the name the change gives
    /// (「…公务用车运行维护费12.76万元。公务用车运行维护费较上年减少1.05万元」),
    /// or, when the change names nothing but the year (「本年比上年增加」),
    /// of the one amount the sentence before states.
    pub(super) fn change(&mut self, f: &Fact, st: &Statement, si: usize) -> bool {
        if let Some(up) = change_direction(&f.raw_label) {
            self.change_figure(f, st, si, up);
            return true;
        }
        if f.kind == FactKind::Percent {
            return false;
        }
        // 上年结转, 上年结余 are this year's funds, not last year's amount.
        let carried = f.label.contains("结转") || f.label.contains("结余");
        let last_year = (f.label.starts_with("上年") || f.label.ends_with("上年")) && !carried;
        if last_year || self.names_last_year(&f.raw_label) {
            self.previous_amount(f, st, si);
            return true;
        }
        if f.follows == "的" {
            // The base of a ratio (「完成年初预算数25200万元的8.9%」) is no
            // amount a change that follows is of.
            return false;
        }
        let raw = f.raw_label.trim_start_matches(crate::text::is_punct);
        let part = self.sentence.part || raw.starts_with("其中");
        self.sentence.last_amount = Some((f.label.clone(), st.clone()));
        self.amounts
            .in_paragraph
            .push((f.label.clone(), st.clone(), part));
        self.amounts
            .by_label
            .entry(f.label.clone())
            .or_default()
            .push(st.clone());
        false
    }

    /// Whether the year an amount's label names last is the year before the
    /// report's: 「与2016年度相比（2016年度部门支出预算安排为8,648.07万元）」 in
    /// a 2017 report states last year's amount.
    fn names_last_year(&self, raw_label: &str) -> bool {
        static YEAR: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").unwrap());
        let Some(year) = self.year else {
            return false;
        };
        YEAR.captures_iter(raw_label)
            .last()
            .and_then(|c| c[1].parse::<u32>().ok())
            .is_some_and(|y| y + 1 == year)
    }

    /// A change (比上年增加 Δ, 增长 p%) of the sentence's current amount.
    fn change_figure(&mut self, f: &Fact, st: &Statement, si: usize, up: bool) {
        if self.sentence.last_amount.is_none() {
            self.sentence.last_amount = self.carried_current(&f.label, si);
        }
        let Some((name, cur)) = &self.sentence.last_amount else {
            return;
        };
        let k = match self.amounts.change_at.get(&cur.span) {
            Some(&k) => k,
            None => {
                // Last year's amount held for this one: of the same
                // subject, or of none (上年决算数).
                let previous = self
                    .sentence
                    .pending_previous
                    .take_if(|(subject, _)| {
                        let own = change_subject(name);
                        subject.is_empty()
                            || own.is_empty()
                            || own.contains(subject.as_str())
                            || subject.contains(own)
                    })
                    .map(|(_, s)| s);
                let change = Change {
                    name: change_name(name),
                    current: cur.clone(),
                    previous,
                    delta: None,
                    percent: None,
                    increase: up,
                };
                self.push_change(change)
            }
        };
        let c = &mut self.r.changes[k];
        if f.kind == FactKind::Percent {
            c.percent.get_or_insert(st.clone());
        } else {
            c.increase = up;
            c.delta.get_or_insert(st.clone());
        }
    }

    /// Pushes a change, indexed by its current amount's span.
    fn push_change(&mut self, change: Change) -> usize {
        let span = change.current.span.clone();
        self.r.changes.push(change);
        let k = self.r.changes.len() - 1;
        self.amounts.change_at.insert(span, k);
        k
    }

    /// Last year's amount (上年决算数, 上年X): of the sentence's change, or
    /// of its current amount, or held for the change a later clause states.
    fn previous_amount(&mut self, f: &Fact, st: &Statement, si: usize) {
        let changes = &mut self.r.changes;
        let cur = self
            .sentence
            .last_amount
            .as_ref()
            .map(|(_, c)| c.span.clone());
        // The last change whose amount is this sentence's, or else the
        // change of the sentence's current amount.
        let k = (self.sentence.changes..changes.len())
            .rev()
            .find(|&k| {
                changes[k].current.sentence == si || Some(&changes[k].current.span) == cur.as_ref()
            })
            .or_else(|| {
                cur.as_ref()
                    .and_then(|c| self.amounts.change_at.get(c).copied())
            });
        if let Some(k) = k {
            changes[k].previous.get_or_insert(st.clone());
        } else if let Some((name, cur)) = &self.sentence.last_amount {
            let change = Change {
                name: change_name(name),
                current: cur.clone(),
                previous: Some(st.clone()),
                delta: None,
                percent: None,
                increase: true,
            };
            self.push_change(change);
        } else {
            let subject = f
                .label
                .strip_prefix("上年")
                .or_else(|| f.label.strip_suffix("上年"))
                .unwrap_or(&f.label)
                .trim_end_matches(['为', '是'])
                .trim_matches(crate::text::is_punct);
            let subject = ["决算数", "预算数", "决算", "数"]
                .iter()
                .find_map(|w| subject.strip_suffix(w))
                .unwrap_or(subject)
                .trim_matches(crate::text::is_punct);
            self.sentence
                .pending_previous
                .get_or_insert((subject.to_string(), st.clone()));
        }
    }

    /// The current amount of a change stated in a sentence that states no
    /// amount before it (see [`Assembler::change`]).
    pub(super) fn carried_current(&self, label: &str, si: usize) -> Option<(String, Statement)> {
        let subject = change_subject(label);
        if subject.is_empty() {
            // The amounts of the sentence before, read back from the end
            // (those of this sentence come last): exactly one, and no part.
            let mut before = self
                .amounts
                .in_paragraph
                .iter()
                .rev()
                .skip_while(|(_, s, _)| s.sentence >= si)
                .take_while(|(_, s, _)| s.sentence + 1 == si);
            match (before.next(), before.next()) {
                (Some((l, s, false)), None) => Some((l.clone(), s.clone())),
                _ => None,
            }
        } else {
            let st = self.amounts.by_label.get(subject)?;
            let s = st.iter().rev().find(|s| s.sentence < si)?;
            Some((subject.to_string(), s.clone()))
        }
    }

    pub(super) fn amount(&mut self, f: &Fact, st: Statement, is_table: bool) {
        if let (true, Some(u), None) = (self.place.in_project, self.place.unit, self.place.project)
        {
            let name = f.label.strip_suffix("支出").unwrap_or(&f.label).to_string();
            let projects = &mut self.r.projects.units[u].projects;
            let mut amount = Quantity::default();
            amount.push(st);
            projects.push(Project {
                name,
                amount,
                level2_count: None,
            });
            self.place.project = Some((u, projects.len() - 1));
            return;
        }
        // Amounts in a project's paragraph are not the department's; its
        // own 预算数, 执行数 and 执行率 are checked together (RATE001).
        if (self.place.project.is_some() || self.place.in_project) && !is_table {
            let label = f.label.as_str();
            if label.ends_with("预算数") && !label.ends_with("年初预算数") {
                self.place.rate.budget.push(st);
            } else if label.ends_with("执行数") || label.ends_with("实际支出") {
                self.place.rate.executed.push(st);
            }
            return;
        }
        let budget_whole = f.label == "支出预算" || f.label.ends_with("部门支出预算");
        if is_expenditure_whole(&f.label) && (self.budget_doc || !budget_whole) {
            self.splits.expense_wholes.push(st.clone());
        }
        self.splits.last_part = None;
        if self.breakdown(f, &st) {
            // A part of a breakdown is no item of the income or expenditure
            // split, and a share after it is not the item's before it.
            self.splits.last_item = None;
            return;
        }
        amount_fact(
            &mut self.r,
            f,
            st,
            &mut self.splits.split,
            &mut self.splits.last_item,
            self.own_rate,
        );
    }

    /// A total that the report breaks down (基本支出, “三公”经费, 公务用车购置及
    /// 运行费, 财政拨款收入/支出) opens a breakdown; an amount named as one of
    /// its parts, in the same paragraph or the two after it, is a part.
    /// Returns whether the amount was taken as a part.
    pub(super) fn breakdown(&mut self, f: &Fact, st: &Statement) -> bool {
        let label = f.label.as_str();
        let para = f.paragraph;
        let mut taken = false;
        for bi in (0..self.r.breakdowns.len()).rev() {
            let b = &mut self.r.breakdowns[bi];
            if para > b.paragraph + 2 {
                continue;
            }
            let comp = &COMPOSITIONS[b.composition];
            // The label as written too: 「因公出国（境）费」 is cleaned to 「费」.
            let raw = f.raw_label.trim_start_matches(crate::text::is_punct);
            let raw = raw
                .strip_prefix("其中")
                .unwrap_or(raw)
                .trim_start_matches(crate::text::is_punct);
            let Some(k) = comp
                .parts
                .iter()
                .position(|(_, m)| m(label, &b.name) || m(raw, &b.name))
            else {
                continue;
            };
            if b.parts.iter().any(|p| p.slot == k) {
                continue;
            }
            // A 决算 part is not part of a 预算 total (「“三公”经费年初预算
            // 0.95万元…其中：因公出国（境）费决算为0.00万元」), nor the other
            // way round.
            if matches!((phase(&b.name), phase(raw)), (Some(a), Some(p)) if a != p) {
                continue;
            }
            let name = if comp.parts[k].1(label, &b.name) {
                label
            } else {
                raw
            };
            b.parts.push(BreakdownPart {
                name: name.to_string(),
                slot: k,
                amount: st.clone(),
                share_percent: Quantity::default(),
            });
            self.splits.last_part = Some((bi, b.parts.len() - 1));
            taken = true;
            break;
        }
        if let Some(c) = COMPOSITIONS.iter().position(|c| (c.total)(label)) {
            self.r.breakdowns.push(Breakdown {
                name: label.to_string(),
                composition: c,
                total: st.clone(),
                parts: Vec::new(),
                paragraph: para,
            });
        }
        taken
    }

    pub(super) fn percent(&mut self, f: &Fact, st: Statement) {
        let raw = f.raw_label.trim_start_matches(crate::text::is_punct);
        let share = raw.starts_with('占')
            || f.label.starts_with('占')
            || f.label == "占比"
            || matches!(f.column.as_deref(), Some("占比" | "比重"));
        if share {
            if let Some((b, p)) = self.splits.last_part.take() {
                // Its share of the breakdown's total, unless the share names
                // some other whole (「占一般公共预算支出的」).
                let base = share_base(f);
                let total = &self.r.breakdowns[b].name;
                let core = total.trim_matches(['“', '”']).replace(['“', '”'], "");
                let of_total = base.is_empty()
                    || base == "比"
                    || core.contains(&base.replace(['“', '”'], ""))
                    || base.contains("三公") && core.contains("三公");
                if of_total {
                    self.r.breakdowns[b].parts[p].share_percent.push(st);
                }
                return;
            }
            if let Some((k, i)) = self.splits.last_item {
                // A share of a whole it names is of that whole only: 「占一般
                // 公共预算支出的19.62%」 is no share of the department's 支出合计.
                let base = share_base(f);
                let whole = |totals: &[&str]| {
                    base.is_empty()
                        || base == "比"
                        || totals.iter().any(|t| {
                            base.strip_suffix(t)
                                .is_some_and(|before| !names_a_part(before))
                        })
                };
                let of_split = match k {
                    SplitKind::Income => whole(&[
                        "收入",
                        "收入合计",
                        "总收入",
                        "收入总计",
                        "收入总额",
                        "收入总体",
                    ]),
                    SplitKind::Expenditure => {
                        whole(&["支出", "支出合计", "总支出", "支出总计", "支出总额"])
                    }
                    SplitKind::Classified(_) => true,
                };
                if !of_split {
                    return;
                }
                let s = match k {
                    SplitKind::Income => &mut self.r.income,
                    SplitKind::Expenditure => &mut self.r.expenditure,
                    SplitKind::Classified(j) => {
                        // A share of some other whole (「占一般公共预算支出的」)
                        // is not of this one.
                        let base = f.label.trim_start_matches('占');
                        if !base.is_empty() && !is_expenditure_whole(base) {
                            return;
                        }
                        &mut self.r.classified_expenditure[j]
                    }
                };
                // A share of a 分别 list names its item in its label.
                let i = s
                    .items
                    .iter()
                    .position(|it| it.name == f.label)
                    .unwrap_or(i);
                s.items[i].share_percent.push(st);
            }
        } else if is_rate_label(&f.label) && !self.sentence.interim {
            match self.sentence.current {
                Some(i) => self.r.evaluation.indicators[i].rate_percent.push(st),
                None if !self.place.in_project => self.r.execution_rate_percent.push(st),
                None if !self.sentence.interim => {
                    self.place.rate.rate_percent.push(st);
                }
                None => {}
            }
        }
    }
}

pub(super) fn amount_fact(
    r: &mut Report,
    f: &Fact,
    st: Statement,
    split: &mut Option<SplitKind>,
    last_item: &mut Option<(SplitKind, usize)>,
    own_rate: bool,
) {
    let label = f.label.as_str();
    // A share that follows is this amount's: of the split's item when the
    // amount is one, else of no item (「基本支出…占比44.39%，项目文出2031.07
    // 万元，占比55.61%」 — 支 read as 文 — is no second share of 基本支出).
    *last_item = None;
    if let Some(SplitKind::Classified(k)) = *split {
        if label.ends_with("支出") && !is_expenditure_whole(label) {
            let s = &mut r.classified_expenditure[k];
            s.items.push(SplitItem {
                name: label.to_string(),
                ..SplitItem::default()
            });
            s.items.last_mut().unwrap().amount.push(st);
            *last_item = Some((SplitKind::Classified(k), s.items.len() - 1));
            return;
        }
    }
    if let Some(kind) = split_total_kind(label) {
        if label.ends_with("总计") {
            r.grand_totals.push(st.span.clone());
        }
        match kind {
            SplitKind::Income => r.income.total.push(st),
            _ => r.expenditure.total.push(st),
        }
        *split = Some(kind);
        *last_item = None;
        return;
    }
    if budget_figure(r, label, &st, own_rate) {
        return;
    }
    let kind = if label.ends_with("收入") {
        SplitKind::Income
    } else if label.ends_with("支出") || label.ends_with("经费") {
        SplitKind::Expenditure
    } else {
        return;
    };
    let s = match kind {
        SplitKind::Income => &mut r.income,
        _ => &mut r.expenditure,
    };
    // Items belong to a split only next to its total (same sentence or the
    // same table), so an amount elsewhere is never taken for an item; but a
    // table row named as an item already stated restates it (a table in 元
    // after the prose in 万元, its rows apart from the total).
    let restated = f.column.is_some() && s.items.iter().any(|it| it.name == label);
    if *split != Some(kind) && !restated {
        return;
    }
    let i = match s.items.iter().position(|it| it.name == label) {
        Some(i) => i,
        None => {
            s.items.push(SplitItem {
                name: label.to_string(),
                ..SplitItem::default()
            });
            s.items.len() - 1
        }
    };
    s.items[i].amount.push(st);
    *last_item = Some((kind, i));
}

/// The split whose total a label names (收入合计, 支出总计…). 「政府采购支出
/// 总额86.40万元」 is a total of purchases, not of the department's
/// expenditure.
fn split_total_kind(label: &str) -> Option<SplitKind> {
    const INCOME_TOTAL: &[&str] = &[
        "收入合计",
        "总收入",
        "收入总计",
        "收入总额",
        "本年收入合计",
        "收入总体",
    ];
    let whole = |totals: &[&str]| {
        totals.iter().any(|k| {
            label
                .strip_suffix(k)
                .is_some_and(|before| !names_a_part(before))
        })
    };
    if label.contains("采购") {
        None
    } else if whole(INCOME_TOTAL) {
        Some(SplitKind::Income)
    } else if whole(EXPENSE_TOTAL) {
        Some(SplitKind::Expenditure)
    } else {
        None
    }
}

/// Whether what a label says before its total word (收入合计, 支出总计…)
/// names a part of the department's money rather than the department: a
/// source of funds (「财政拨款收入总计」 is the 财政拨款's total, not the
/// department's), a kind of spending, last year's or the budget's figure,
/// or a table's heading glued to the row.
fn names_a_part(before: &str) -> bool {
    const PARTS: &[&str] = &[
        "财政拨款",
        "一般公共预算",
        "政府性基金",
        "国有资本",
        "财政专户",
        "事业",
        "经营",
        "上级补助",
        "附属单位",
        "其他",
        "基本",
        "项目",
        "三公",
        "机关运行",
        "上年",
        "年初",
        "结转",
        "结余",
        "科目",
        "小计",
        "当年",
    ];
    PARTS.iter().any(|w| before.contains(w))
}

/// The budget and executed amounts (for the execution rate); true when the
/// label names one. 年初预算数 is the budget before adjustment, and the rate
/// is on 全年预算数: it is taken, and not kept; so is last year's (上年预算数)
/// and, where the document's rate is not its own (`own_rate`), every one.
fn budget_figure(r: &mut Report, label: &str, st: &Statement, own_rate: bool) -> bool {
    if label.ends_with("年初预算数") || label.ends_with("年初预算") {
        return true;
    }
    let keep = own_rate && !label.contains("上年");
    if ["预算数", "全年预算", "调整后预算", "预算金额"]
        .iter()
        .any(|k| label.ends_with(k))
    {
        if keep {
            r.budget.push(st.clone());
        }
        return true;
    }
    if ["执行数", "实际支出", "执行金额", "实际执行"]
        .iter()
        .any(|k| label.ends_with(k))
    {
        if keep {
            r.executed.push(st.clone());
        }
        return true;
    }
    false
}

/// Whether a label names a budget (预算) or an outturn (决算) figure.
fn phase(label: &str) -> Option<&'static str> {
    if label.contains("决算") {
        Some("决算")
    } else if label.contains("预算") {
        Some("预算")
    } else {
        None
    }
}

/// The name a change is reported under: its amount's label without the
/// verb that states the amount (「地方一般公共预算收入完成」, 「…预算数为」).
fn change_name(label: &str) -> String {
    let mut name = label.trim_end_matches(['为', '是']);
    for verb in ["累计完成", "完成", "实现"] {
        if let Some(n) = name.strip_suffix(verb).filter(|n| !n.is_empty()) {
            name = n;
            break;
        }
    }
    name.to_string()
}

/// The whole a share names (「占总收入的比重」 → 总收入, 「占一般公共预算支出
/// 的」 → 一般公共预算支出), from its label as written (a member of a 分别
/// list is labelled with its item's name), empty when it names none.
fn share_base(f: &Fact) -> &str {
    let raw = f.raw_label.trim_start_matches(crate::text::is_punct);
    let named = if raw.starts_with('占') {
        raw
    } else {
        f.label.as_str()
    };
    match named.strip_prefix('占') {
        Some(rest) => rest
            .split('的')
            .next()
            .unwrap_or_default()
            .trim_end_matches(['比', '为']),
        None => "",
    }
}
