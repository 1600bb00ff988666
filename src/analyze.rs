//! From pages of text to findings: normalize, segment, read, assemble,
//! check — the part of the pipeline that runs after ingestion.

use crate::assemble::assemble;
use crate::check::{check, Ctx};
use crate::ingest::Pages;
use crate::model::{Diagnostic, DocumentInfo, Finding, Report};
use crate::normalize::normalize;
use crate::read::document::document_info;
use crate::read::read;
use crate::segment::segment;
use std::time::{Duration, Instant};

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

/// Runs normalize → segment → read → assemble → check on one document.
pub fn analyze(pages: &Pages) -> Analysis {
    let mut timings = StageTimings::default();
    let mut clock = Instant::now();
    let mut lap = |slot: &mut Duration| {
        *slot = clock.elapsed();
        clock = Instant::now();
    };
    let text = normalize(pages);
    lap(&mut timings.normalize);
    let seg = segment(&text.text);
    lap(&mut timings.segment);
    let readings = read(&text.text, &seg, &text.lines);
    lap(&mut timings.extract);
    let mut report = assemble(&text.text, &seg, &text.lines, &readings);
    let document = document_info(&text.text);
    lap(&mut timings.assemble);
    let page_at = |b: usize| text.page_at(b);
    let cx = Ctx {
        text: &text.text,
        seg: &seg,
        page_at: &page_at,
    };
    let mut findings = check(&mut report, &cx);
    // Deterministic order: by page of the primary evidence, then rule.
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.evidence.first().and_then(|e| e.page),
                f.rule,
                f.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    lap(&mut timings.check);
    let mut diagnostics = text.diagnostics.clone();
    for fd in &readings.diagnostics {
        let (token, d) = (&fd.token, &fd.diagnostic);
        let page = Some(text.page_at(fd.at));
        // Normalization already names a glued number it saw in a table row.
        let seen = diagnostics
            .iter()
            .any(|x| x.kind == d.kind && x.page == page && x.message.contains(token.as_str()));
        if !seen {
            diagnostics.push(Diagnostic { page, ..d.clone() });
        }
    }
    Analysis {
        document,
        report,
        findings,
        diagnostics,
        timings,
    }
}
