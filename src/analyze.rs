//! From pages of text to findings: normalize, segment, extract, assemble,
//! check — the part of the pipeline that runs after ingestion.

use crate::assemble::{assemble, Report};
use crate::check::{check, Ctx};
use crate::extract::extract;
use crate::ingest::Pages;
use crate::normalize::normalize;
use crate::record::{Diagnostic, DocumentInfo, Finding};
use crate::segment::segment;
use regex::Regex;
use std::sync::OnceLock;
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

/// Runs normalize → segment → extract → assemble → check on one document.
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
    let facts = extract(&text.text, &seg);
    lap(&mut timings.extract);
    let mut report = assemble(&text.text, &seg, &facts);
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
    for (at, token, d) in &facts.diagnostics {
        let page = Some(text.page_at(*at));
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

/// Kind, organization and year from the title (the first lines).
pub fn document_info(text: &str) -> DocumentInfo {
    static TITLE: OnceLock<Regex> = OnceLock::new();
    let re = TITLE.get_or_init(|| {
        Regex::new(r"((?:19|20)\d{2})年度?(.{2,40}?)(?:部门)?(?:整体支出|项目支出|部门决算|部门预算|决算|预算)").unwrap()
    });
    let head: String = text.lines().take(5).collect::<Vec<_>>().join("\n");
    let kind = if head.contains("整体支出绩效") {
        "department_overall"
    } else if head.contains("项目支出绩效") {
        "project"
    } else if head.contains("决算") || head.contains("预算") {
        "final_accounts"
    } else {
        "unknown"
    };
    let (year, organization) = match re.captures(&head) {
        Some(c) => (
            c[1].parse().ok(),
            Some(c[2].trim_end_matches("部门").to_string()),
        ),
        None => (None, None),
    };
    DocumentInfo {
        kind: kind.into(),
        organization,
        year,
    }
}
