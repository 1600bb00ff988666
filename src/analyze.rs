//! From pages of text to findings: normalize, segment, read, assemble,
//! check — the part of the pipeline that runs after ingestion.
//!
//! What one document adds to the dataset is bounded, whatever the PDF:
//! at most [`MAX_FINDINGS`] findings, each with at most [`MAX_EVIDENCE`]
//! pieces of evidence whose quotes hold at most [`MAX_QUOTE_CHARS`]
//! characters each and [`MAX_QUOTED_CHARS`] together. A crafted file
//! (thousands of statements on one line, each quoting the whole line)
//! would otherwise write hundreds of megabytes per record. A cap that is
//! reached is said in an [`DiagnosticKind::OutputCapped`] diagnostic.

use crate::assemble::assemble;
use crate::check::{check, unconfirmed, Ctx};
use crate::ingest::Pages;
pub use crate::model::finding::{MAX_QUOTE_CHARS, QUOTE_CUT_MARKER};
use crate::model::{Diagnostic, DiagnosticKind, DocumentInfo, Finding, OcrPage, Report, Severity};
use crate::normalize::{normalize, Text};
use crate::read::document::document_info;
use crate::read::{read, Readings};
use crate::segment::{segment, Segments};
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

/// A document read and assembled: what the rules run on.
struct Assembled {
    text: Text,
    seg: Segments,
    readings: Readings,
    report: Report,
}

/// Runs normalize → segment → read → assemble on one document, each
/// stage's wall time into `timings`.
fn assembled(pages: &Pages, timings: &mut StageTimings) -> Assembled {
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
    for t in &mut report.subject_tables {
        let first = t.rows.iter().flat_map(|r| r.cells.iter().flatten()).next();
        t.page = first.map_or(0, |c| text.page_at(c.span.start));
    }
    for t in &mut report.tables {
        t.page = text.page_at(t.at);
    }
    lap(&mut timings.assemble);
    Assembled {
        text,
        seg,
        readings,
        report,
    }
}

/// Reads one document as [`analyze`] does, without running the rules, and
/// hands its report and the context that quotes its statements to `f`:
/// for checks that need two documents (see [`crate::pairs`]).
pub fn with_report<R>(pages: &Pages, f: impl FnOnce(&Report, &Ctx) -> R) -> R {
    let a = assembled(pages, &mut StageTimings::default());
    let page_at = |b: usize| a.text.page_at(b);
    let cx = Ctx {
        text: &a.text.text,
        seg: &a.seg,
        page_at: &page_at,
    };
    f(&a.report, &cx)
}

/// Runs normalize → segment → read → assemble → check on one document.
///
/// A document with pages read by OCR is analysed once on each of the
/// other readings of those pages and on the three readings' vote (see
/// [`crate::model::OcrPage::alternates`]), and a finding that rests on an
/// OCR'd page is kept only when one of them proves it too (same rule,
/// same stated and expected figures, same page): a misread digit or a
/// lost list marker rarely happens alike at two scales, while what the
/// document really says is read alike. What only the first reading shows
/// becomes an `unconfirmed_ocr` diagnostic.
pub fn analyze(pages: &Pages) -> Analysis {
    let mut a = analyze_once(pages);
    // The other readings are analysed only when a finding needs them.
    if !a.findings.iter().any(|f| f.ocr) {
        return a;
    }
    let readings = pages.ocr.iter().map(|p| p.alternates.len()).max();
    let others: Vec<Finding> = (0..readings.unwrap_or(0))
        .filter_map(|k| alternate_reading(pages, k))
        .flat_map(|other| analyze_once(&other).findings)
        .collect();
    confirm(&mut a, &others);
    a
}

/// The document with its OCR'd pages as their `k`th other reading gives
/// them (a page without one keeps the first reading's text).
fn alternate_reading(pages: &Pages, k: usize) -> Option<Pages> {
    let mut other = pages.clone();
    let mut replaced = false;
    for p in &pages.ocr {
        if let (Some(text), Some(alt)) = (
            other.pages.get_mut(p.page as usize - 1),
            p.alternates.get(k).filter(|a| !a.is_empty()),
        ) {
            *text = alt.clone();
            replaced = true;
        }
    }
    replaced.then_some(other)
}

/// Keeps the findings on OCR'd pages that `others` (the analyses of the
/// other readings) have too; the others become diagnostics.
fn confirm(a: &mut Analysis, others: &[Finding]) {
    let key = |f: &Finding| {
        (
            f.rule,
            f.stated.clone(),
            f.expected.clone(),
            f.evidence.first().and_then(|e| e.page),
        )
    };
    let (kept, dropped): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut a.findings)
        .into_iter()
        .partition(|f| !f.ocr || others.iter().any(|g| key(g) == key(f)));
    a.findings = kept;
    for f in dropped {
        let page = f.evidence.first().and_then(|e| e.page);
        a.diagnostics.push(Diagnostic {
            kind: DiagnosticKind::UnconfirmedOcr,
            page,
            message: format!(
                "{}由 OCR 识别，其他独立识别的结果不能同样得出以下问题，未予报告，可与原件核对：[{}] {}",
                page.map(|p| format!("第 {p} 页")).unwrap_or_default(),
                f.rule,
                f.message
            ),
        });
    }
}

fn analyze_once(pages: &Pages) -> Analysis {
    let mut timings = StageTimings::default();
    let Assembled {
        text,
        seg,
        readings,
        mut report,
    } = assembled(pages, &mut timings);
    let clock = Instant::now();
    let document = document_info(&text.text);
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
    mark_ocr(&mut findings, &pages.ocr);
    let capped = cap_findings(&mut findings);
    let unconfirmed = unconfirmed(&report, &cx);
    timings.check = clock.elapsed();
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
    diagnostics.extend(unconfirmed);
    diagnostics.extend(capped);
    Analysis {
        document,
        report,
        findings,
        diagnostics,
        timings,
    }
}

/// Marks the findings that rest on a page read by OCR (`ocr: true`); one
/// whose statements hold a figure OCR read with low confidence is at most a
/// warning, since scanned 8, 6 and 0, or 1 and 7, are confused, and says
/// so.
pub fn mark_ocr(findings: &mut [Finding], ocr: &[OcrPage]) {
    if ocr.is_empty() {
        return;
    }
    for f in findings {
        let mut unsure = Vec::new();
        for e in &f.evidence {
            let Some(page) = ocr.iter().find(|p| Some(p.page) == e.page) else {
                continue;
            };
            f.ocr = true;
            unsure.extend(
                page.unsure
                    .iter()
                    .filter(|u| quotes_figure(&e.quote, u))
                    .cloned(),
            );
        }
        if !unsure.is_empty() && f.severity == Severity::Error {
            unsure.dedup();
            f.severity = Severity::Warning;
            f.message = format!(
                "{}（所依据的 {} 由 OCR 识别且置信度低，请与原件核对）",
                f.message,
                unsure.join("、")
            );
        }
    }
}

/// Whether `quote` holds the figure OCR read as `word` (its digits, with
/// neither more digits nor a decimal point on either side).
fn quotes_figure(quote: &str, word: &str) -> bool {
    let figure: String = word
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | '%' | '-'))
        .collect();
    let figure = figure.trim_matches(|c| c == '.' || c == '-');
    if figure.is_empty() {
        return false;
    }
    let quote: String = quote
        .chars()
        .filter(|&c| c != ',' && !c.is_whitespace())
        .collect();
    let digit_at = |i: usize| {
        quote[i..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    };
    quote.match_indices(figure).any(|(at, _)| {
        let end = at + figure.len();
        let joined_before = quote[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || c == '.');
        let joined_after = digit_at(end) || (quote[end..].starts_with('.') && digit_at(end + 1));
        !joined_before && !joined_after
    })
}

/// The most findings a document's record keeps (the first, in their
/// order: by page, then rule).
pub const MAX_FINDINGS: usize = 200;

/// The most pieces of evidence a finding keeps (the primary one first).
pub const MAX_EVIDENCE: usize = 40;

/// The most characters all the quotes of one finding keep together.
pub const MAX_QUOTED_CHARS: usize = 2_000;

/// Cuts `findings`, in their final order, to the caps above, and returns
/// a diagnostic for each cap reached.
pub fn cap_findings(findings: &mut Vec<Finding>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if findings.len() > MAX_FINDINGS {
        let left_out = findings.len() - MAX_FINDINGS;
        findings.truncate(MAX_FINDINGS);
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::OutputCapped,
            page: None,
            message: format!(
                "发现的问题超过上限 {MAX_FINDINGS} 个：只记录按页码排在前面的 {MAX_FINDINGS} 个，\
                 另有 {left_out} 个未记录"
            ),
        });
    }
    let cut = findings.iter_mut().map(cap_evidence).filter(|&c| c).count();
    if cut > 0 {
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::OutputCapped,
            page: None,
            message: format!(
                "{cut} 个问题的引文过长或证据过多，已截断：每段引文最多 {MAX_QUOTE_CHARS} 字，\
                 每个问题最多 {MAX_EVIDENCE} 条证据、引文合计最多 {MAX_QUOTED_CHARS} 字"
            ),
        });
    }
    diagnostics
}

/// Cuts one finding's evidence to the caps; whether anything was cut.
fn cap_evidence(finding: &mut Finding) -> bool {
    let mut cut = finding.evidence.len() > MAX_EVIDENCE;
    finding.evidence.truncate(MAX_EVIDENCE);
    let mut budget = MAX_QUOTED_CHARS;
    for evidence in &mut finding.evidence {
        let allowed = MAX_QUOTE_CHARS.min(budget);
        match evidence.quote.char_indices().nth(allowed) {
            None => budget -= evidence.quote.chars().count(),
            Some((end, _)) => {
                evidence.quote.truncate(end);
                evidence.quote.push_str(QUOTE_CUT_MARKER);
                budget -= allowed;
                cut = true;
            }
        }
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Code, Evidence, Severity};

    #[test]
    fn a_figure_is_found_in_a_quote_whole_only() {
        assert!(quotes_figure("部门预算资金支出率得分9.99分", "9.99"));
        assert!(quotes_figure("项目支出4,726.02万元", "4726.02，"));
        assert!(quotes_figure("占比44.639%", "44.639%"));
        assert!(!quotes_figure("得分19.99分", "9.99"));
        assert!(!quotes_figure("得分9.995分", "9.99"));
        assert!(!quotes_figure("得分8.5分", "8"));
        assert!(quotes_figure("得分8分", "8"));
    }

    #[test]
    fn a_finding_on_an_unsure_ocr_figure_is_a_warning_at_most() {
        let mut f = vec![finding(3, &["采购政策效能分值1分，得分9.99分".to_string()])];
        f[0].severity = Severity::Error;
        let mut other = f[0].clone();
        let page = |unsure: &[&str]| OcrPage {
            page: 3,
            confidence: 90.0,
            image: "embedded".into(),
            unsure: unsure.iter().map(|s| s.to_string()).collect(),
            alternates: Vec::new(),
        };
        mark_ocr(&mut f, &[page(&["9.99"])]);
        assert!(f[0].ocr);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("9.99 由 OCR 识别且置信度低"),
            "{}",
            f[0].message
        );
        // Sure figures: an error stays one, and says it rests on OCR.
        mark_ocr(std::slice::from_mut(&mut other), &[page(&["19.99"])]);
        assert!(other.ocr);
        assert_eq!(other.severity, Severity::Error);
        // A page not read by OCR: nothing changes.
        let mut text = finding(4, &["得分9.99分".to_string()]);
        text.severity = Severity::Error;
        mark_ocr(std::slice::from_mut(&mut text), &[page(&["9.99"])]);
        assert!(!text.ocr);
        assert_eq!(text.severity, Severity::Error);
    }

    fn finding(page: u32, quotes: &[String]) -> Finding {
        Finding {
            rule: Code::SCR001,
            severity: Severity::Error,
            message: "采购政策效能得分 9.99 分，超过其分值 1 分".into(),
            stated: Some("9.99".into()),
            expected: Some("≤ 1".into()),
            evidence: quotes
                .iter()
                .map(|q| Evidence {
                    page: Some(page),
                    quote: q.clone(),
                    source: None,
                })
                .collect(),
            ocr: false,
        }
    }

    #[test]
    fn findings_within_the_caps_are_kept_as_they_are() {
        let quotes = vec!["得".repeat(MAX_QUOTE_CHARS); MAX_QUOTED_CHARS / MAX_QUOTE_CHARS];
        let mut findings: Vec<Finding> = (0..MAX_FINDINGS as u32)
            .map(|p| finding(p, &quotes))
            .collect();
        let before = format!("{findings:?}");
        assert!(cap_findings(&mut findings).is_empty());
        assert_eq!(format!("{findings:?}"), before);
    }

    #[test]
    fn too_many_findings_keep_the_first_and_say_so() {
        let mut findings: Vec<Finding> = (0..4000).map(|p| finding(p, &["短句".into()])).collect();
        let diagnostics = cap_findings(&mut findings);
        assert_eq!(findings.len(), MAX_FINDINGS);
        assert_eq!(findings.last().unwrap().evidence[0].page, Some(199));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].kind, DiagnosticKind::OutputCapped);
        assert!(diagnostics[0].message.contains("另有 3800 个未记录"));
    }

    #[test]
    fn long_quotes_and_much_evidence_are_cut_with_a_marker() {
        let line = "采购政策效能分值1分得分9.99分".repeat(4000);
        let mut findings = vec![
            finding(1, &[line]),
            finding(2, &vec!["得分".repeat(300); 100]),
            finding(3, &["短句".into()]),
        ];
        let diagnostics = cap_findings(&mut findings);
        let quote = &findings[0].evidence[0].quote;
        assert_eq!(
            quote.chars().count(),
            MAX_QUOTE_CHARS + QUOTE_CUT_MARKER.chars().count()
        );
        assert!(quote.starts_with("采购政策效能分值1分") && quote.ends_with(QUOTE_CUT_MARKER));
        let many = &findings[1].evidence;
        assert_eq!(many.len(), MAX_EVIDENCE);
        let quoted: usize = many
            .iter()
            .map(|e| e.quote.trim_end_matches(QUOTE_CUT_MARKER).chars().count())
            .sum();
        assert_eq!(quoted, MAX_QUOTED_CHARS);
        assert_eq!(findings[2].evidence[0].quote, "短句");
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0].message.starts_with("2 个问题的引文过长"),
            "{}",
            diagnostics[0].message
        );
    }
}
