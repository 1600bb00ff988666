//! Assembly of the indicator tree: scores, points and deductions by name,
//! levels, and the counts stated for it.

use super::state::*;
use super::words::*;
use crate::model::*;
use crate::read::{Fact, FactKind};

impl Assembler {
    pub(super) fn score(&mut self, f: &Fact, st: Statement) {
        if f.kind == FactKind::Points {
            self.sentence.points_read = true;
        }
        if let Some(l) = f.level {
            self.sentence.level = Some(l);
        }
        let label = f.label.as_str();
        let ev = &mut self.r.evaluation;
        if label.is_empty() {
            // "得分0分", "扣1分": about the indicator the sentence is on.
            if let Some(i) = self.sentence.current {
                push_score(&mut ev.indicators[i], f.kind, st);
                return;
            }
            // 「合同备案时效性分值分，得分0分」 (the 分值's figure lost): the
            // score's indicator is unknown, and it is not the total.
            let points_lost = self
                .sentence
                .points_word_at
                .is_some_and(|at| at < f.span.start && !self.sentence.points_read);
            if points_lost {
                return;
            }
        }
        // A project's own self-evaluation score is not an indicator.
        if f.kind == FactKind::Score && label.ends_with("项目") {
            self.sentence.last_score = Some(LastScore {
                name: label.to_string(),
                score: st,
                is_total: false,
            });
            return;
        }
        if TOTAL_LABELS.contains(&label) {
            match f.kind {
                FactKind::Score => {
                    self.sentence.last_score = Some(LastScore {
                        name: "总得分".into(),
                        score: st.clone(),
                        is_total: true,
                    });
                    ev.total_score.push(st)
                }
                FactKind::Points => ev.total_points.push(st),
                _ => {}
            }
            return;
        }
        let names: Vec<&str> = if f.each {
            label.split('、').filter(|s| !s.is_empty()).collect()
        } else {
            vec![label]
        };
        for name in names {
            let is_level1 = f.level == Some(1)
                || self.outline.heading_name.as_deref() == Some(name)
                || (f.level.is_none() && LEVEL1_NAMES.contains(&name) && !self.outline.list_item);
            let i = if is_level1 {
                let i = find_or_create(ev, name, Some(1), None, None);
                self.outline.section = Some(i);
                i
            } else {
                let level = f.level.or(self.sentence.level);
                let parent = if level == Some(2) {
                    self.outline.section
                } else {
                    self.outline.level2.or(self.outline.section)
                };
                find_or_create(ev, name, level, parent, self.outline.section)
            };
            // 「…自评得分97.38分，其中履职效能得分48.38分，管理效率得分49分，
            // 绩效等级为优」: after the total, the sentence's grade stays the
            // total's.
            let after_total = self
                .sentence
                .last_score
                .as_ref()
                .is_some_and(|l| l.is_total);
            if f.kind == FactKind::Score && !after_total {
                self.sentence.last_score = Some(LastScore {
                    name: name.to_string(),
                    score: st.clone(),
                    is_total: false,
                });
            }
            push_score(&mut ev.indicators[i], f.kind, st.clone());
            self.sentence.current = Some(i);
            if !self.sentence.inds.contains(&i) {
                self.sentence.inds.push(i);
            }
        }
    }
}

/// Fills in levels the text left implicit: an item under a level-2
/// indicator is level 3, and so is an unmarked item beside level-3 items.
pub(super) fn infer_levels(ev: &mut Evaluation) {
    for i in 0..ev.indicators.len() {
        if ev.indicators[i].level.is_some() {
            continue;
        }
        let Some(p) = ev.indicators[i].parent else {
            continue;
        };
        let parent_level = ev.indicators[p].level;
        let sibling_level3 = ev.children(p).any(|k| ev.indicators[k].level == Some(3));
        let counted3 = ev.indicators[p]
            .counts
            .iter()
            .any(|c| c.counted == Counted::Level3);
        if parent_level == Some(2) || (parent_level == Some(1) && (sibling_level3 || counted3)) {
            ev.indicators[i].level = Some(3);
        }
    }
}

pub(super) fn push_score(ind: &mut Indicator, kind: FactKind, st: Statement) {
    match kind {
        FactKind::Points => ind.points.push(st),
        FactKind::Score => ind.score.push(st),
        FactKind::Deduction => ind.deduction.push(st),
        _ => {}
    }
}

/// Whether two mentions name one indicator: the same characters, quotation
/// marks aside (「“三公”经费控制情况」 and 「"三公"经费控制情况」 and a
/// mention whose closing quote a scan lost are one indicator).
fn same_name(a: &str, b: &str) -> bool {
    let quote = |c: &char| matches!(c, '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」');
    a == b
        || a.chars()
            .filter(|c| !quote(c))
            .eq(b.chars().filter(|c| !quote(c)))
}

/// Finds an indicator by name within a section (or anywhere when there is
/// none), or creates it. A later, more specific mention fills in the level
/// and parent an earlier summary mention did not give.
pub(super) fn find_or_create(
    ev: &mut Evaluation,
    name: &str,
    level: Option<u8>,
    parent: Option<usize>,
    section: Option<usize>,
) -> usize {
    let found = ev.indicators.iter().enumerate().position(|(i, ind)| {
        same_name(&ind.name, name)
            && (level == Some(1) && ind.level == Some(1)
                || level != Some(1) && ind.level != Some(1) && section_of(ev, i) == section)
    });
    match found {
        Some(i) => {
            let ind = &mut ev.indicators[i];
            if ind.level.is_none() {
                ind.level = level;
            }
            if parent.is_some()
                && (ind.parent.is_none() || ind.parent == section)
                && Some(i) != parent
            {
                ind.parent = parent;
            }
            i
        }
        None => {
            ev.indicators.push(Indicator {
                name: name.to_string(),
                level,
                parent,
                ..Indicator::default()
            });
            ev.indicators.len() - 1
        }
    }
}

/// The level-1 indicator above `i` (None for roots themselves).
pub(super) fn section_of(ev: &Evaluation, mut i: usize) -> Option<usize> {
    let mut up = ev.indicators[i].parent?;
    for _ in 0..8 {
        i = up;
        match ev.indicators[i].parent {
            Some(p) => up = p,
            None => return Some(i),
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
pub(super) fn count_fact(
    r: &mut Report,
    f: &Fact,
    st: Statement,
    section: Option<usize>,
    unit: Option<usize>,
    project: Option<(usize, usize)>,
    project_para: bool,
    line: &str,
) {
    let label = f.label.as_str();
    let follows = f.follows.as_str();
    let subject = if label.ends_with("一级项目") || follows.starts_with("一级项目") {
        "一级项目"
    } else if label.ends_with("二级项目") || follows.starts_with("二级项目") {
        "二级项目"
    } else if follows.contains("满分") {
        "满分"
    } else if f.level == Some(2) && label.is_empty() || label.ends_with("二级指标") {
        "二级指标"
    } else if f.level == Some(3) && label.is_empty() || label.ends_with("三级指标") {
        "三级指标"
    } else {
        return;
    };
    let sv = StatementValue(st);
    match subject {
        "一级项目" | "二级项目" => {
            let level1 = subject == "一级项目";
            if let Some((u, k)) = project {
                if !level1 {
                    r.projects.units[u].projects[k]
                        .level2_count
                        .get_or_insert(sv);
                }
                return;
            }
            let unit_line = UNIT_HEADING.is_match(line);
            let slot = match (unit_line, unit) {
                (true, Some(u)) => {
                    let pu = &mut r.projects.units[u];
                    if level1 {
                        &mut pu.level1_count
                    } else {
                        &mut pu.level2_count
                    }
                }
                _ if !project_para => {
                    if level1 {
                        &mut r.projects.level1_count
                    } else {
                        &mut r.projects.level2_count
                    }
                }
                _ => return,
            };
            slot.get_or_insert(sv);
        }
        _ => {
            let counted = match subject {
                "二级指标" => Counted::Level2,
                "三级指标" => Counted::Level3,
                _ => Counted::FullMarks,
            };
            let c = StatedCount { counted, value: sv };
            // 「指标体系共设置一级指标四个、二级指标八个…」 counts the whole
            // tree, wherever it stands.
            let whole =
                line.contains("一级指标") && line.contains("二级指标") || line.contains("指标体系");
            let section = if whole { None } else { section };
            match section {
                Some(s) => r.evaluation.indicators[s].counts.push(c),
                None => r.evaluation.counts.push(c),
            }
        }
    }
}
