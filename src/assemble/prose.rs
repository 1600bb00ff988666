//! Assembly of prose: the paragraph structure (headings, numbered items,
//! project paragraphs), sentences, and the facts dispatched by kind.

use super::scores::{count_fact, find_or_create, section_of};
use super::state::*;
use super::wholes::SplitKind;
use super::words::*;
use crate::model::*;
use crate::read::{Fact, FactKind};

impl Assembler {
    pub(super) fn paragraph(&mut self, line: &str, first_sentence: usize, continues_table: bool) {
        if !continues_table {
            self.splits.split = None;
            self.splits.last_item = None;
        }
        self.splits.last_part = None;
        self.outline.level2 = None;
        self.place.project = None;
        self.outline.list_item = false;
        self.amounts.in_paragraph.clear();
        self.amounts.by_label.clear();
        if TOP_HEADING.is_match(line) && line.chars().count() <= 30 {
            self.outline.section = None;
            self.outline.heading_name = None;
            self.outline.item = None;
            self.splits.expense_wholes.clear();
        }
        if let Some(c) = HEADING.captures(line) {
            self.outline.item = None;
            self.outline.heading_name = Some(c[1].to_string());
            // 「（二）履职效能」: the section of a level-1 indicator starts at
            // its heading, before any sentence scores it.
            let ev = &mut self.r.evaluation;
            let known = ev
                .indicators
                .iter()
                .any(|i| i.level == Some(1) && i.name == c[1]);
            if known || LEVEL1_NAMES.contains(&&c[1]) {
                self.outline.section = Some(find_or_create(ev, &c[1], Some(1), None, None));
            }
        }
        if let Some(c) = ITEM_LEAD.captures(line) {
            self.item_lead(&c[1], &c[2]);
        }
        if let Some(c) = LEVEL2_MARKER.captures(line) {
            let ev = &mut self.r.evaluation;
            self.outline.level2 = Some(find_or_create(
                ev,
                &c[1],
                Some(2),
                self.outline.section,
                self.outline.section,
            ));
        }
        if let Some(c) = UNIT_HEADING.captures(line) {
            self.r.projects.units.push(ProjectUnit {
                name: c[1].trim().to_string(),
                sentence: first_sentence,
                ..ProjectUnit::default()
            });
            self.place.unit = Some(self.r.projects.units.len() - 1);
        }
        self.place.in_project = PROJECT_PARA.is_match(line);
        self.flush_project_rate();
        self.place.name = if self.place.in_project {
            let name: String = line
                .trim_start_matches(|c: char| "（()）".contains(c) || c.is_ascii_digit())
                .chars()
                .take_while(|c| !"：:，,。".contains(*c) && !c.is_ascii_digit())
                .collect();
            Some(name)
        } else {
            None
        };
    }

    /// A numbered paragraph that opens with a name (「1.产出指标。…」): a
    /// 一级指标's name starts its section, as a heading would — the scores
    /// that follow are its items', whatever a recap before named last. An
    /// item that goes on a list of the section's sub-items (「1.数量指标…」
    /// … 「4.成本指标（权重5分）。」 under 产出指标) is another of them.
    pub(super) fn item_lead(&mut self, marker: &str, name: &str) {
        let paren = marker.starts_with(['（', '(']);
        let digits: String = marker.chars().filter(|c| c.is_ascii_digit()).collect();
        let number = digits.parse::<u32>().ok().or_else(|| {
            let inner: String = marker.chars().filter(|c| !"（()）".contains(*c)).collect();
            crate::text::chinese_numeral(&inner)
        });
        let ev = &mut self.r.evaluation;
        let goes_on = match (&self.outline.item, number) {
            (Some(item), Some(k))
                if item.paren == paren && item.number.checked_add(1) == Some(k) =>
            {
                let prev = &item.name;
                self.outline.section.is_some()
                    && ev.indicators.iter().enumerate().any(|(i, ind)| {
                        &ind.name == prev
                            && ind.level != Some(1)
                            && section_of(ev, i) == self.outline.section
                    })
            }
            _ => false,
        };
        // Names a 一级指标 in some templates and a sub-item in others: under
        // an open section, an item so named is the section's.
        let sub_item_too = [
            "预算执行",
            "预算执行率",
            "成本指标",
            "社会效益",
            "经济效益",
            "生态效益",
        ]
        .contains(&name)
            && self.outline.section.is_some();
        if goes_on {
            self.outline.list_item = true;
        } else if !sub_item_too {
            let known = ev
                .indicators
                .iter()
                .any(|i| i.level == Some(1) && i.name == name);
            if known || LEVEL1_NAMES.contains(&name) {
                self.outline.section = Some(find_or_create(ev, name, Some(1), None, None));
                self.outline.heading_name = Some(name.to_string());
            }
        }
        self.outline.item = number.map(|number| NumberedItem {
            paren,
            number,
            name: name.to_string(),
        });
    }

    /// A new sentence, starting at `start` in the document's text.
    pub(super) fn sentence(&mut self, sentence: &str, start: usize) {
        self.flush_project_rate();
        // 「按支出功能分类：卫生健康支出X万元，占Y%；…」: the items that follow
        // divide the expenditure whole stated before, not its split.
        if let (true, Some(whole)) = (
            CLASSIFICATION.is_match(sentence),
            self.splits.expense_wholes.last().cloned(),
        ) {
            let mut total = Quantity::default();
            total.push(whole);
            self.splits
                .classified_wholes
                .push(self.splits.expense_wholes.clone());
            self.r.classified_expenditure.push(Split {
                total,
                items: Vec::new(),
            });
            self.splits.split = Some(SplitKind::Classified(
                self.r.classified_expenditure.len() - 1,
            ));
            self.splits.last_item = None;
        }
        self.sentence.interim = INTERIM.is_match(sentence);
        self.sentence.last_score = None;
        self.sentence.current = None;
        self.sentence.points_read = false;
        self.sentence.points_word_at = sentence.find("分值").map(|at| start + at);
        self.sentence.last_amount = None;
        self.sentence.pending_previous = None;
        self.sentence.changes = self.r.changes.len();
        self.sentence.part = sentence
            .trim_start_matches(crate::text::is_punct)
            .starts_with("其中");
        self.sentence.inds.clear();
        self.sentence.level = None;
    }

    pub(super) fn fact(&mut self, f: &Fact, si: usize, line: &str, is_table: bool) {
        let Some(st) = f.statement() else {
            self.marker(f, si);
            return;
        };
        if matches!(f.kind, FactKind::Amount(_) | FactKind::Percent) && self.change(f, &st, si) {
            return;
        }
        match f.kind {
            FactKind::Amount(_) => self.amount(f, st, is_table),
            FactKind::Percent => self.percent(f, st),
            FactKind::Count => count_fact(
                &mut self.r,
                f,
                st,
                self.outline.section,
                self.place.unit,
                self.place.project,
                self.place.in_project,
                line,
            ),
            FactKind::Points | FactKind::Score | FactKind::Deduction => self.score(f, st),
            FactKind::FullMarks | FactKind::Grade(_) => {}
        }
    }

    /// Keeps a project's budget, executed amount and rate when all three
    /// were stated in one sentence.
    pub(super) fn flush_project_rate(&mut self) {
        let line = std::mem::take(&mut self.place.rate);
        let one = |q: &Quantity| q.statements.len() == 1;
        if one(&line.budget) && one(&line.executed) && one(&line.rate_percent) {
            self.r.project_rates.push(BudgetLine {
                name: self.place.name.clone().unwrap_or_default(),
                ..line
            });
        }
    }

    /// Number-less facts: full marks for the sentence's indicators, a grade.
    pub(super) fn marker(&mut self, f: &Fact, si: usize) {
        match f.kind {
            FactKind::FullMarks => {
                for &i in &self.sentence.inds {
                    let ind = &mut self.r.evaluation.indicators[i];
                    if !ind.score.is_stated() && ind.full_marks.is_none() {
                        ind.full_marks = Some(f.span.clone());
                        ind.full_marks_sentence = Some(si);
                    }
                }
            }
            FactKind::Grade(g) => match self.sentence.last_score.take() {
                Some(LastScore {
                    name,
                    score,
                    is_total: false,
                }) => self.r.graded.push(Graded {
                    name,
                    score,
                    grade: g,
                    grade_span: f.span.clone(),
                    grade_sentence: si,
                }),
                _ if self.r.evaluation.grade.is_none() => {
                    self.r.evaluation.grade = Some((g, f.span.clone(), si));
                }
                _ => {}
            },
            _ => {}
        }
    }
}
