//! Facts: one number the report states (or a marker such as 得满分, 绩效等级为优),
//! typed by the words around it, with its label and place — what the
//! readers give to assembly.

use crate::model::{Diagnostic, Grade, Statement, Unit};
use crate::number::Stated;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactKind {
    Amount(Unit),
    Percent,
    Points,
    Score,
    Deduction,
    Count,
    /// "得满分", "均为满分": the score equals the points.
    FullMarks,
    Grade(Grade),
}

impl FactKind {
    pub(super) fn is_score_like(self) -> bool {
        matches!(
            self,
            FactKind::Points | FactKind::Score | FactKind::Deduction
        )
    }
}

/// One stated figure (or marker) with its context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub kind: FactKind,
    /// None for markers (full marks, grade).
    pub value: Option<Stated>,
    /// The cleaned label before the figure ("一般公共预算财政拨款收入").
    pub label: String,
    /// The label as written, before cleaning (keeps "比上年增加", "占").
    pub raw_label: String,
    /// The words right after a count ("8个二级项目" → "二级项目"), and 的
    /// after an amount that is the base of a ratio ("完成年初预算数25200万元
    /// 的8.9%").
    pub follows: String,
    /// "分值各 2 分": the figure applies to each name of a 、-list.
    pub each: bool,
    /// An indicator level marked in the label ("三级指标X" → 3).
    pub level: Option<u8>,
    /// Byte range of the figure (number and unit) in the text.
    pub span: Range<usize>,
    pub sentence: usize,
    pub paragraph: usize,
    /// For table cells: the column header ("金额", "占比", "分值", "得分").
    pub column: Option<String>,
}

impl Fact {
    /// The fact as a statement of the model: its value, unit and place.
    /// None for markers (full marks, grade), which state no figure.
    pub fn statement(&self) -> Option<Statement> {
        Some(Statement {
            value: self.value?,
            unit: match self.kind {
                FactKind::Amount(u) => Some(u),
                _ => None,
            },
            span: self.span.clone(),
            sentence: self.sentence,
        })
    }
}

/// A diagnostic of a reader, at the byte offset where it was found and
/// with the text it concerns (so one that normalization already reported
/// for the same text on the same page is not repeated).
#[derive(Clone, Debug)]
pub struct FactDiagnostic {
    pub at: usize,
    pub token: String,
    pub diagnostic: Diagnostic,
}
