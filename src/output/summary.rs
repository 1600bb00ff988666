//! `summary.json`: what a run found, in counts, and how long it took.
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "files": 3,
//!   "resumed": 0,
//!   "status": {"ok": 1, "failed": 2},
//!   "failures": {"ING001": 2, "ING002": 0, "ING003": 0, "ING004": 0, "ING005": 0},
//!   "findings": {
//!     "total": 4,
//!     "by_severity": {"error": 3, "warning": 1, "notice": 0},
//!     "by_rule": {"SUM001": 1, "PCT001": 0, "…": 0}
//!   },
//!   "diagnostics": 2,
//!   "timings": {
//!     "threads": 8,
//!     "wall_seconds": 1.234,
//!     "stage_seconds": {"read": 0.01, "ingest": 5.1, "normalize": 0.2, "…": 0}
//!   }
//! }
//! ```
//!
//! - `files`: records in the dataset, one per input file; `resumed`: how
//!   many of them were taken from an earlier, interrupted run
//!   (`audit --resume`) instead of being audited in this one;
//! - `status`: records per status; `failures`: failed records per ING code;
//! - `findings.by_rule`: findings per checking rule; every code is present,
//!   in code order, so the keys are the same in every run;
//! - `diagnostics`: how many things the pipeline could not use, over all
//!   records;
//! - `timings`: the only part that varies between runs. `wall_seconds` is
//!   the batch from start to end; `stage_seconds` are per-stage times summed
//!   over files (files run in parallel, so they can exceed the wall time).
//!   They cover this run only: a resumed record's time was spent in the run
//!   that wrote it, and is not counted.

use crate::batch::RunTimings;
use crate::record::{Record, Severity, Status};
use crate::rules::{Code, RULES};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::time::Duration;

#[derive(Debug, Serialize)]
pub struct Summary {
    pub schema_version: u32,
    pub files: usize,
    /// Records taken from an earlier run rather than audited in this one.
    pub resumed: usize,
    pub status: StatusCounts,
    pub failures: BTreeMap<Code, usize>,
    pub findings: FindingCounts,
    pub diagnostics: usize,
    pub timings: TimingsOut,
}

#[derive(Debug, Default, Serialize)]
pub struct StatusCounts {
    pub ok: usize,
    pub failed: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct FindingCounts {
    pub total: usize,
    pub by_severity: SeverityCounts,
    pub by_rule: BTreeMap<Code, usize>,
}

#[derive(Debug, Default, Serialize)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    /// Relations missed by one unit of the last stated digit, counted apart.
    pub notice: usize,
}

#[derive(Debug, Serialize)]
pub struct TimingsOut {
    pub threads: usize,
    pub wall_seconds: f64,
    pub stage_seconds: StageSeconds,
}

#[derive(Debug, Serialize)]
pub struct StageSeconds {
    pub read: f64,
    pub ingest: f64,
    pub normalize: f64,
    pub segment: f64,
    pub extract: f64,
    pub assemble: f64,
    pub check: f64,
}

impl Summary {
    /// Counts the records, none of them resumed. Also used for the summary
    /// people read.
    pub fn new(records: &[&Record], timings: &RunTimings) -> Summary {
        let mut status = StatusCounts::default();
        let mut failures: BTreeMap<Code, usize> = BTreeMap::new();
        let mut findings = FindingCounts::default();
        for rule in RULES {
            if rule.code.is_ingest() {
                failures.insert(rule.code, 0);
            } else {
                findings.by_rule.insert(rule.code, 0);
            }
        }
        let mut diagnostics = 0;
        for record in records {
            match record.status {
                Status::Ok => status.ok += 1,
                Status::Failed => status.failed += 1,
            }
            if let Some(error) = &record.error {
                *failures.entry(error.code).or_default() += 1;
            }
            for finding in &record.findings {
                findings.total += 1;
                match finding.severity {
                    Severity::Error => findings.by_severity.error += 1,
                    Severity::Warning => findings.by_severity.warning += 1,
                    Severity::Notice => findings.by_severity.notice += 1,
                }
                *findings.by_rule.entry(finding.rule).or_default() += 1;
            }
            diagnostics += record.diagnostics.len();
        }
        let s = &timings.sum;
        Summary {
            schema_version: crate::record::SCHEMA_VERSION,
            files: records.len(),
            resumed: 0,
            status,
            failures,
            findings,
            diagnostics,
            timings: TimingsOut {
                threads: timings.threads,
                wall_seconds: seconds(timings.wall),
                stage_seconds: StageSeconds {
                    read: seconds(s.read),
                    ingest: seconds(s.ingest),
                    normalize: seconds(s.stages.normalize),
                    segment: seconds(s.stages.segment),
                    extract: seconds(s.stages.extract),
                    assemble: seconds(s.stages.assemble),
                    check: seconds(s.stages.check),
                },
            },
        }
    }
}

/// Seconds to the millisecond: finer digits are noise.
fn seconds(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

/// Writes the summary as pretty JSON followed by a newline.
pub fn write(w: &mut dyn Write, summary: &Summary) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, summary)?;
    w.write_all(b"\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Timings;
    use crate::output::{sorted, testing};

    #[test]
    fn counts_records_findings_and_failures() {
        let timings = RunTimings {
            wall: Duration::from_millis(1500),
            sum: Timings {
                ingest: Duration::from_micros(2_345_678),
                ..Default::default()
            },
            threads: 4,
        };
        let mut out = Vec::new();
        let mut summary = Summary::new(&sorted(&testing::records()), &timings);
        summary.resumed = 2;
        write(&mut out, &summary).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["files"], 3);
        assert_eq!(v["resumed"], 2);
        assert_eq!(v["status"]["ok"], 2);
        assert_eq!(v["status"]["failed"], 1);
        assert_eq!(v["failures"]["ING001"], 1);
        assert_eq!(v["failures"]["ING005"], 0);
        assert_eq!(v["findings"]["total"], 2);
        assert_eq!(v["findings"]["by_severity"]["error"], 1);
        assert_eq!(v["findings"]["by_severity"]["warning"], 1);
        assert_eq!(v["findings"]["by_rule"]["SCR001"], 1);
        assert_eq!(v["findings"]["by_rule"]["CNT001"], 1);
        assert_eq!(v["findings"]["by_rule"]["SUM001"], 0);
        assert!(v["findings"]["by_rule"].get("ING001").is_none());
        assert_eq!(v["diagnostics"], 1);
        assert_eq!(v["timings"]["threads"], 4);
        assert_eq!(v["timings"]["wall_seconds"], 1.5);
        assert_eq!(v["timings"]["stage_seconds"]["ingest"], 2.346);
    }

    #[test]
    fn rules_are_listed_in_code_order() {
        let summary = Summary::new(&[], &RunTimings::default());
        let json = serde_json::to_string(&summary.findings.by_rule).unwrap();
        assert!(
            json.starts_with(r#"{"SUM001":0,"PCT001":0,"PCT002":0,"SCR001":0"#),
            "{json}"
        );
        let report_rules = crate::model::Code::ALL
            .iter()
            .filter(|c| !c.is_ingest())
            .count();
        assert_eq!(summary.findings.by_rule.len(), report_rules);
        assert_eq!(summary.failures.len(), 5);
    }
}
