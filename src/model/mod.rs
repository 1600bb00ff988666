//! The vocabulary every stage shares, at the leaf of the module graph: it
//! imports nothing from the stages (only [`crate::number`]).
//!
//! - [`code`]: rule codes and severities, and the one list of rules;
//! - [`quantity`]: a figure as stated ([`Statement`]), every statement of one
//!   quantity ([`Quantity`]), units and grades;
//! - [`report`]: the report model a document is assembled into;
//! - [`composition`]: how the totals a report breaks down are composed;
//! - [`table`]: the 科目 tables of a 部门预算/决算;
//! - [`finding`], [`diagnostic`], [`document`]: what the audit says of a
//!   document;
//! - [`ocr`]: what OCR read on pages without a text layer.

pub mod code;
pub mod composition;
pub mod diagnostic;
pub mod document;
pub mod finding;
pub mod ocr;
pub mod quantity;
pub mod report;
pub mod table;

pub use code::{Code, Severity};
pub use diagnostic::{Diagnostic, DiagnosticKind};
pub use document::{DocumentInfo, DocumentKind};
pub use finding::{Evidence, Finding};
pub use ocr::{OcrPage, OcrSummary};
pub use quantity::{Grade, Quantity, Statement, Unit};
pub use report::*;
pub use table::{
    Balance, ClassAmount, SubjectMention, SubjectRow, SubjectTable, TableEntry, TableKind,
    TemplateSlip, TemplateSlipKind, ThreePublicMention, TotalMention,
};
