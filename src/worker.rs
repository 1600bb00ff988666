//! The worker process (`jixiao worker`): ingestion's worker (see
//! `ingest/worker.rs`) with this crate's analysis, so that a file's whole
//! audit — its text and its analysis — runs under the worker's time and
//! memory limits; and the analysis as it crosses back to the batch.
//!
//! The analysis travels as JSON: [`encode`] writes what
//! [`crate::analyze::analyze`] returns, [`decode`] reads it back into the
//! parts of a record. The report model serializes one way only, so it comes
//! back as the JSON it was written as ([`OrderedJson`]), which the record
//! writes out byte for byte as the model would have been.

use crate::analyze::{analyze, Analysis, StageTimings};
use crate::ingest::Pages;
use crate::model::{Diagnostic, DocumentInfo, Finding, Report};
use crate::ordered_json::OrderedJson;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The body of `jixiao worker`: serves the batch's requests until its
/// input ends; returns the exit status.
pub fn worker_main() -> i32 {
    // jieba's dictionary (about 0.15 s of CPU, once per worker) loads while
    // the worker reads its first file.
    std::thread::spawn(|| {
        crate::segment::jieba();
    });
    crate::ingest::worker_main(analysis_json)
}

/// The worker's analysis of a file's pages: [`analyze`], as [`encode`]
/// writes it.
pub fn analysis_json(pages: &Pages) -> String {
    encode(&analyze(pages))
}

/// What [`encode`] writes.
#[derive(Serialize)]
struct Written<'a> {
    document: &'a DocumentInfo,
    report: &'a Report,
    findings: &'a [Finding],
    diagnostics: &'a [Diagnostic],
    /// Stage times in nanoseconds: normalize, segment, extract, assemble,
    /// check.
    timings: [u64; 5],
}

/// An analysis as [`decode`] reads it back: the parts of a record, and the
/// stage times (for the run's summary, never for the record).
#[derive(Debug, Deserialize)]
pub struct Decoded {
    pub document: DocumentInfo,
    pub report: OrderedJson,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    #[serde(deserialize_with = "stage_timings")]
    pub timings: StageTimings,
}

/// An analysis as JSON.
pub fn encode(a: &Analysis) -> String {
    let t = &a.timings;
    let nanos = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    let written = Written {
        document: &a.document,
        report: &a.report,
        findings: &a.findings,
        diagnostics: &a.diagnostics,
        timings: [
            nanos(t.normalize),
            nanos(t.segment),
            nanos(t.extract),
            nanos(t.assemble),
            nanos(t.check),
        ],
    };
    // Every part is plain data with string keys: serializing it cannot
    // fail, and a failure would show as a record that cannot be decoded.
    serde_json::to_string(&written).unwrap_or_default()
}

/// An analysis [`encode`] wrote.
pub fn decode(json: &str) -> serde_json::Result<Decoded> {
    serde_json::from_str(json)
}

fn stage_timings<'de, D: serde::Deserializer<'de>>(d: D) -> Result<StageTimings, D::Error> {
    let [normalize, segment, extract, assemble, check] = <[u64; 5]>::deserialize(d)?;
    Ok(StageTimings {
        normalize: Duration::from_nanos(normalize),
        segment: Duration::from_nanos(segment),
        extract: Duration::from_nanos(extract),
        assemble: Duration::from_nanos(assemble),
        check: Duration::from_nanos(check),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_analysis_comes_back_as_the_record_would_write_it() {
        let text = "2023年本馆收入合计1268.45万元，其中一般公共预算财政拨款收入1267.77万元，其他收入6832.65元。\n采购政策效能分值1分，得分9.99分。";
        let pages = Pages {
            pages: vec![text.to_string()],
            text_layer: "text".into(),
            ..Pages::default()
        };
        let a = analyze(&pages);
        assert!(!a.findings.is_empty(), "the text has a finding to carry");
        let back = decode(&analysis_json(&pages)).unwrap();
        assert_eq!(
            serde_json::to_string(&back.report).unwrap(),
            serde_json::to_string(&a.report).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&back.findings).unwrap(),
            serde_json::to_string(&a.findings).unwrap()
        );
        assert_eq!(back.diagnostics, a.diagnostics);
        assert_eq!(back.document, a.document);
    }
}
