//! A report model built in code for the rules' unit tests, with no PDF and
//! no prose to read.
//!
//! [`Doc`] writes one short sentence per statement, each on a line of its
//! own (「采购政策效能得分9.99分。」), and keeps the report model those
//! statements make. Every statement's span and sentence are real, so a
//! finding quotes what it would quote in a report. [`Doc::findings`] runs
//! one rule's check on the model with a [`Ctx`] over that text (every
//! sentence on page 1).
//!
//! A figure keeps the precision the report states it with: amounts and
//! percentages are rounded to their last written digit ("4726.02 万元",
//! "99.94"); scores and deductions to at least hundredths ("20" is 20 ±
//! 0.005); points and counts are exact. Where a constructor takes several
//! figures, "" stands for a figure the report does not state.

use crate::model::composition::COMPOSITIONS;
use crate::model::{
    Breakdown, BreakdownPart, BudgetLine, Change, Counted, Finding, Grade, Graded, Indicator,
    Listing, Project, ProjectUnit, Quantity, Report, Split, SplitItem, StatedCount, Statement,
    StatementValue, Unit,
};
use crate::number::{Precision, Stated};
use crate::rules::evidence::Ctx;
use crate::rules::CheckFn;
use crate::segment::segment;
use std::ops::Range;

/// A synthetic document: its text, one sentence a line, and the report
/// model read from it.
#[derive(Default)]
pub(crate) struct Doc {
    text: String,
    pub report: Report,
}

/// A quantity stated once.
pub(crate) fn one(s: Statement) -> Quantity {
    Quantity {
        statements: vec![s],
        resolved: None,
    }
}

/// The messages of some findings, in order: what a test compares when it
/// wants none, so that a failure shows what fired.
pub(crate) fn messages(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.message.as_str()).collect()
}

/// A finding's message, stated and expected values.
pub(crate) fn said(f: &Finding) -> (&str, &str, &str) {
    (
        f.message.as_str(),
        f.stated.as_deref().unwrap_or_default(),
        f.expected.as_deref().unwrap_or_default(),
    )
}

/// The quotes of a finding's evidence, primary first.
pub(crate) fn quotes(f: &Finding) -> Vec<&str> {
    f.evidence.iter().map(|e| e.quote.as_str()).collect()
}

impl Doc {
    pub fn new() -> Doc {
        Doc::default()
    }

    /// Runs one rule's check on the model, quoting from the text.
    pub fn findings(&self, check: CheckFn) -> Vec<Finding> {
        let seg = segment(&self.text);
        assert_eq!(
            seg.sentences.len(),
            self.text.lines().count(),
            "one sentence a line:\n{}",
            self.text
        );
        let cx = Ctx {
            text: &self.text,
            seg: &seg,
            page_at: &|_| 1,
        };
        let mut out = Vec::new();
        check(&self.report, &cx, &mut out);
        out
    }

    /// Hands the model and a context quoting its text to `f` (for checks
    /// that read two documents).
    pub fn with_ctx<R>(&self, f: impl FnOnce(&Report, &Ctx) -> R) -> R {
        let seg = segment(&self.text);
        let cx = Ctx {
            text: &self.text,
            seg: &seg,
            page_at: &|_| 1,
        };
        f(&self.report, &cx)
    }

    /// Runs what a rule says it could not check, quoting from the text.
    pub fn diagnostics(
        &self,
        said: fn(&crate::model::Report, &Ctx) -> Vec<crate::model::Diagnostic>,
    ) -> Vec<crate::model::Diagnostic> {
        let seg = segment(&self.text);
        let cx = Ctx {
            text: &self.text,
            seg: &seg,
            page_at: &|_| 1,
        };
        said(&self.report, &cx)
    }

    /// Writes the sentence 「{before}{marked}{after}。」 on a line of its
    /// own; returns the byte range of `marked` and the sentence's index.
    pub fn write(&mut self, before: &str, marked: &str, after: &str) -> (Range<usize>, usize) {
        let words = format!("{before}{marked}{after}");
        assert!(
            !words.contains(['。', '！', '？', '；', ';', '!', '?', '\n']),
            "one sentence: {words}"
        );
        let sentence = self.text.lines().count();
        self.text.push_str(before);
        let start = self.text.len();
        self.text.push_str(marked);
        let span = start..self.text.len();
        self.text.push_str(after);
        self.text.push_str("。\n");
        (span, sentence)
    }

    /// States `figure` ("4726.02 万元", "9.99") after `label`, followed by
    /// its unit or else `suffix`.
    fn state(
        &mut self,
        label: &str,
        figure: &str,
        precision: Precision,
        suffix: &str,
    ) -> Statement {
        let (number, unit) = match figure.split_once(' ') {
            Some((n, u)) => (n, Some(Unit::parse(u).expect("元, 万元 or 亿元"))),
            None => (figure, None),
        };
        let value = Stated::parse(number, precision).expect("a figure");
        let after = unit.map_or(suffix, |u| u.as_str());
        let (span, sentence) = self.write(label, number, after);
        Statement {
            value,
            unit,
            span,
            sentence,
        }
    }

    /// An amount ("4726.02 万元", "63,000 元"), rounded to its last digit.
    pub fn amount(&mut self, label: &str, figure: &str) -> Statement {
        self.state(label, figure, Precision::Digits, "")
    }

    /// A percentage ("99.94"), rounded to its last digit.
    pub fn percent(&mut self, label: &str, figure: &str) -> Statement {
        self.state(label, figure, Precision::Digits, "%")
    }

    /// A score or a deduction ("9.99", "20"), to at least hundredths.
    pub fn score(&mut self, label: &str, figure: &str) -> Statement {
        self.state(label, figure, Precision::AtLeast(2), "分")
    }

    /// Points (分值), exact.
    pub fn points(&mut self, label: &str, figure: &str) -> Statement {
        self.state(label, figure, Precision::Exact, "分")
    }

    /// A count, exact.
    pub fn count(&mut self, label: &str, figure: &str) -> StatementValue {
        StatementValue(self.state(label, figure, Precision::Exact, "个"))
    }

    /// A count of indicators stated for a section (`of` its name) or the
    /// whole tree (`of` 「共设置」).
    pub fn stated_count(&mut self, of: &str, counted: Counted, figure: &str) -> StatedCount {
        let what = match counted {
            Counted::Level2 => "二级指标",
            Counted::Level3 => "三级指标",
            Counted::FullMarks => "满分指标",
        };
        StatedCount {
            counted,
            value: self.count(&format!("{of}{what}"), figure),
        }
    }

    /// The quantity of `figure` as `kind` states it, or none for "".
    fn maybe(
        &mut self,
        kind: fn(&mut Doc, &str, &str) -> Statement,
        label: &str,
        figure: &str,
    ) -> Quantity {
        if figure.is_empty() {
            Quantity::default()
        } else {
            one(kind(self, label, figure))
        }
    }

    /// A split: its total and its items as (name, amount, share percent).
    pub fn split(&mut self, total_label: &str, total: &str, items: &[(&str, &str, &str)]) -> Split {
        let total = self.maybe(Doc::amount, total_label, total);
        let items = items
            .iter()
            .map(|&(name, amount, share)| SplitItem {
                name: name.into(),
                amount: self.maybe(Doc::amount, name, amount),
                share_percent: self.maybe(Doc::percent, &format!("{name}占比"), share),
            })
            .collect();
        Split { total, items }
    }

    /// A total broken into its parts (基本支出 = 人员经费 + 公用经费), each
    /// part in the slot of the composition its name matches.
    pub fn breakdown(&mut self, name: &str, total: &str, parts: &[(&str, &str)]) -> Breakdown {
        let composition = COMPOSITIONS
            .iter()
            .position(|c| (c.total)(name))
            .expect("a composed total");
        let total = self.amount(name, total);
        let parts = parts
            .iter()
            .map(|&(part, amount)| BreakdownPart {
                name: part.into(),
                slot: COMPOSITIONS[composition]
                    .parts
                    .iter()
                    .position(|(_, m)| m(part, name))
                    .expect("a part of the composition"),
                amount: self.amount(part, amount),
                share_percent: Quantity::default(),
            })
            .collect();
        Breakdown {
            name: name.into(),
            composition,
            paragraph: total.sentence,
            total,
            parts,
        }
    }

    /// A unit and its 一级项目 as (name, amount), introduced by a sentence
    /// of its own.
    pub fn unit(&mut self, name: &str, projects: &[(&str, &str)]) -> ProjectUnit {
        let (_, sentence) = self.write(name, "", "的一级项目如下");
        let projects = projects
            .iter()
            .map(|&(project, amount)| Project {
                name: project.into(),
                amount: self.maybe(Doc::amount, project, amount),
                level2_count: None,
            })
            .collect();
        ProjectUnit {
            name: name.into(),
            projects,
            sentence,
            ..Default::default()
        }
    }

    /// A row of a budget execution table: 年初预算数, 全年预算数, 全年执行数
    /// and 执行率.
    pub fn budget_line(
        &mut self,
        name: &str,
        initial: &str,
        budget: &str,
        executed: &str,
        rate: &str,
    ) -> BudgetLine {
        BudgetLine {
            name: name.into(),
            initial_budget: self.maybe(Doc::amount, &format!("{name}年初预算数"), initial),
            budget: self.maybe(Doc::amount, &format!("{name}全年预算数"), budget),
            executed: self.maybe(Doc::amount, &format!("{name}全年执行数"), executed),
            rate_percent: self.maybe(Doc::percent, &format!("{name}执行率"), rate),
            ..BudgetLine::default()
        }
    }

    /// A 科目 table: rows of (code, name, cells), each cell an amount in
    /// `unit` stated on a line of its own; `-` is an empty cell's mark.
    pub fn subject_table(
        &mut self,
        title: &str,
        unit: crate::model::Unit,
        rows: &[(&str, &str, &[&str])],
    ) -> crate::model::SubjectTable {
        let rows = rows
            .iter()
            .map(|(code, name, cells)| crate::model::SubjectRow {
                code: code.to_string(),
                name: name.to_string(),
                cells: cells
                    .iter()
                    .map(|c| {
                        (*c != "-").then(|| {
                            self.amount(
                                &format!("{code} {name}"),
                                &format!("{c} {}", unit.as_str()),
                            )
                        })
                    })
                    .collect(),
            })
            .collect();
        crate::model::SubjectTable {
            title: title.into(),
            unit: Some(unit),
            page: 1,
            rows,
            total: None,
        }
    }

    /// A budget row scored by itself: its 分值 and 得分.
    pub fn scored(&mut self, mut line: BudgetLine, points: &str, score: &str) -> BudgetLine {
        line.points = one(self.points(&format!("{}分值", line.name), points));
        line.score = one(self.score(&format!("{}得分", line.name), score));
        line
    }

    /// A change against last year: this year's amount, last year's, the
    /// change (增加 or 减少) and its percentage (增长 or 下降).
    pub fn change(
        &mut self,
        name: &str,
        current: &str,
        previous: &str,
        delta: &str,
        percent: &str,
        increase: bool,
    ) -> Change {
        let (more, grew) = if increase {
            ("增加", "增长")
        } else {
            ("减少", "下降")
        };
        let stated = |q: Quantity| q.statements.into_iter().next();
        Change {
            name: name.into(),
            current: self.amount(name, current),
            previous: stated(self.maybe(Doc::amount, &format!("{name}上年为"), previous)),
            delta: stated(self.maybe(Doc::amount, &format!("{name}比上年{more}"), delta)),
            percent: stated(self.maybe(Doc::percent, &format!("{name}{grew}"), percent)),
            increase,
        }
    }

    /// The grade of the whole evaluation, where it is stated.
    pub fn grade(&mut self, grade: Grade) -> (Grade, Range<usize>, usize) {
        let (span, sentence) = self.write("绩效等级为", grade.as_str(), "");
        (grade, span, sentence)
    }

    /// A score stated with a grade for something other than the whole
    /// department (a project's self-evaluation).
    pub fn graded(&mut self, name: &str, score: &str, grade: Grade) -> Graded {
        let score = self.score(&format!("{name}自评得分"), score);
        let (grade_span, grade_sentence) = self.write("绩效等级为", grade.as_str(), "");
        Graded {
            name: name.into(),
            score,
            grade,
            grade_span,
            grade_sentence,
        }
    }

    /// A 一级指标 (level 1, no parent).
    pub fn root(&mut self, name: &str) -> Ind<'_> {
        self.indicator(None, 1, name)
    }

    /// An indicator at `level` under `parent`, stated with nothing yet.
    pub fn indicator(&mut self, parent: Option<usize>, level: u8, name: &str) -> Ind<'_> {
        let ev = &mut self.report.evaluation;
        ev.indicators.push(Indicator {
            name: name.into(),
            level: Some(level),
            parent,
            ..Default::default()
        });
        let at = ev.indicators.len() - 1;
        Ind { doc: self, at }
    }

    /// Every indicator is a row of an indicator table (项目支出绩效自评表),
    /// where every scored item is listed ([`Listing::Every`]).
    pub fn read_as_indicator_table(&mut self) {
        for ind in &mut self.report.evaluation.indicators {
            ind.listing = Listing::Every;
        }
    }
}

/// An indicator being stated: each call writes its sentence and adds the
/// statement to the indicator.
pub(crate) struct Ind<'a> {
    doc: &'a mut Doc,
    at: usize,
}

impl Ind<'_> {
    fn name(&self) -> String {
        self.doc.report.evaluation.indicators[self.at].name.clone()
    }

    fn get(&mut self) -> &mut Indicator {
        &mut self.doc.report.evaluation.indicators[self.at]
    }

    /// 「{name}分值{v}分」.
    pub fn points(mut self, v: &str) -> Self {
        let s = self.doc.points(&format!("{}分值", self.name()), v);
        self.get().points.push(s);
        self
    }

    /// 「{name}得分{v}分」.
    pub fn score(mut self, v: &str) -> Self {
        let s = self.doc.score(&format!("{}得分", self.name()), v);
        self.get().score.push(s);
        self
    }

    /// 「{name}扣{v}分」.
    pub fn deduction(mut self, v: &str) -> Self {
        let s = self.doc.score(&format!("{}扣", self.name()), v);
        self.get().deduction.push(s);
        self
    }

    /// 「{name}为{v}%」: the rate the indicator is scored by.
    pub fn rate(mut self, v: &str) -> Self {
        let s = self.doc.percent(&format!("{}为", self.name()), v);
        self.get().rate_percent.push(s);
        self
    }

    /// 「{name}得满分」.
    pub fn full_marks(mut self) -> Self {
        let (span, sentence) = self.doc.write(&format!("{}得", self.name()), "满分", "");
        let ind = self.get();
        ind.full_marks = Some(span);
        ind.full_marks_sentence = Some(sentence);
        self
    }

    /// A count of the items under it (「{name}三级指标{v}个」).
    pub fn count(mut self, counted: Counted, v: &str) -> Self {
        let c = self.doc.stated_count(&self.name(), counted, v);
        self.get().counts.push(c);
        self
    }

    /// Its index in the evaluation, for its children's `parent`.
    pub fn id(self) -> usize {
        self.at
    }
}
