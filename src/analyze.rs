//! From pages of text to findings: normalize, segment, extract, assemble,
//! check — the part of the pipeline that runs after ingestion.

use crate::assemble::Report;
use crate::ingest::Pages;
use crate::record::{Diagnostic, DocumentInfo, Finding};
use std::time::Duration;

/// Wall time spent in each stage for one document (for `summary.json`;
/// never written into a record, which must be deterministic).
#[derive(Clone, Copy, Debug, Default)]
pub struct StageTimings {
    pub normalize: Duration,
    pub segment: Duration,
    pub extract: Duration,
    pub assemble: Duration,
    pub check: Duration,
}

/// What the analysis of one readable document produced.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub document: DocumentInfo,
    pub report: Report,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: StageTimings,
}

/// Runs normalize → segment → extract → assemble → check on one document.
pub fn analyze(pages: &Pages) -> Analysis {
    let _ = pages;
    todo!("being written")
}
