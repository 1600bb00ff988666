//! jixiao audits Chinese performance self-evaluation reports (绩效自评报告)
//! and budget/final-account explanations: it reads the PDFs, extracts the
//! figures a reviewer checks by hand, redoes the arithmetic exactly and
//! writes a dataset in which every inconsistency points at its sentence and
//! page.
//!
//! The pipeline is a chain of plain functions over distinct types:
//!
//! ```text
//! bytes ─ingest→ Pages ─normalize→ Text ─segment→ Sentences
//!       ─read→ Readings ─assemble→ Report ─check→ Findings ─output→ dataset
//! ```
//!
//! [`batch::audit_file`] runs it on one file and always returns a
//! [`record::Record`]:
//! a file that cannot be read gives a failed record, never an error.

pub mod analyze;
pub mod assemble;
pub mod batch;
pub mod check;
pub mod discover;
pub mod eval;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod number;
pub mod ordered_json;
pub mod output;
pub mod pairs;
pub mod pdftext;
pub mod read;
pub mod record;
pub mod rules;
#[cfg(test)]
mod scratch;
pub mod segment;
pub mod text;
pub mod worker;
