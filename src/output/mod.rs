//! Output: emitters over the same records, one module per format.
//!
//! - [`reports`]: `reports.jsonl`, one compact record per line;
//! - [`findings`]: `findings.csv`, one row per finding, for spreadsheets;
//! - [`summary`]: `summary.json`, counts and the run's timings;
//! - [`human`]: the text a person reads in the terminal;
//! - [`json`]: one record, pretty-printed (`audit --json`);
//! - [`journal`]: the records of a run as each file finishes, so that an
//!   interrupted run can be resumed.
//!
//! Every emitter writes to any [`std::io::Write`] so that it can be tested
//! on a buffer; [`Dataset::write`] puts the three dataset files in a
//! folder.

pub mod findings;
pub mod human;
pub mod journal;
pub mod json;
pub mod reports;
pub mod summary;

pub use journal::Stored;

use crate::batch::RunTimings;
use crate::record::Record;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use summary::Summary;

/// The dataset files, as written into the `--out` folder.
pub const REPORTS_FILE: &str = "reports.jsonl";
pub const FINDINGS_FILE: &str = "findings.csv";
pub const SUMMARY_FILE: &str = "summary.json";

/// Everything the `--out` folder gets at the end of a run: the records of
/// all input files, in path order, and their summary.
#[derive(Debug)]
pub struct Dataset {
    entries: Vec<Stored>,
    pub summary: Summary,
}

impl Dataset {
    /// The dataset of `entries` (in any order): the records audited in this
    /// run, whose `timings` the summary reports, and `resumed` of them
    /// taken from an earlier, interrupted run.
    pub fn new(mut entries: Vec<Stored>, timings: &RunTimings, resumed: usize) -> Dataset {
        entries.sort_by(|a, b| Path::new(a.path()).cmp(Path::new(b.path())));
        let records: Vec<&Record> = entries.iter().map(|s| &s.record).collect();
        let mut summary = Summary::new(&records, timings);
        summary.resumed = resumed;
        Dataset { entries, summary }
    }

    /// The records in path order.
    pub fn records(&self) -> Vec<&Record> {
        self.entries.iter().map(|s| &s.record).collect()
    }

    /// Writes `reports.jsonl`, `findings.csv` and `summary.json` into `dir`
    /// (created if missing) and returns their paths.
    ///
    /// Each file is written to a temporary file in `dir` and then renamed
    /// over its final name, so a reader never sees half a dataset file, and
    /// a run that fails midway leaves the previous file in place.
    pub fn write(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        fs::create_dir_all(dir)?;
        let records = self.records();
        let written = vec![
            write_atomically(&dir.join(REPORTS_FILE), |w| self.write_reports(w, dir))?,
            write_atomically(&dir.join(FINDINGS_FILE), |w| findings::write(w, &records))?,
            write_atomically(&dir.join(SUMMARY_FILE), |w| {
                summary::write(w, &self.summary)
            })?,
        ];
        sync_dir(dir);
        Ok(written)
    }
}

impl Dataset {
    /// `reports.jsonl`: each line from memory or from the journal in `dir`.
    fn write_reports(&self, w: &mut dyn Write, dir: &Path) -> io::Result<()> {
        let journal = if self.entries.iter().any(Stored::in_journal) {
            Some(fs::File::open(dir.join(journal::JOURNAL_FILE))?)
        } else {
            None
        };
        for stored in &self.entries {
            let line = stored.read_line(journal.as_ref())?;
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
        }
        w.flush()
    }
}

/// The records in path order, whatever order they came in.
pub fn sorted(records: &[Record]) -> Vec<&Record> {
    let mut refs: Vec<&Record> = records.iter().collect();
    refs.sort_by(|a, b| Path::new(&a.source.path).cmp(Path::new(&b.source.path)));
    refs
}

/// Writes `path` through a temporary file in the same folder, flushed to
/// the disk and renamed over `path`: whoever reads `path` sees the old
/// file or the new one, whole.
fn write_atomically(
    path: &Path,
    emit: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = fs::File::create(&tmp)?;
        let mut w = BufWriter::new(file);
        emit(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| path.to_path_buf())
}

/// Flushes a folder's entries (the renames into it) to the disk. Only
/// some systems can open a folder for this; elsewhere it is skipped.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Records for the emitters' tests: one with findings, one failed, one
    //! clean.
    use crate::model::Report;
    use crate::record::*;
    use crate::rules::Code;

    fn source(path: &str, pages: Option<u32>) -> Source {
        Source {
            path: path.to_string(),
            sha256: "ab".repeat(32),
            bytes: 1234,
            pages,
            text_layer: pages.map(|_| "pdf-extract".to_string()),
        }
    }

    pub fn with_findings() -> Record {
        Record {
            schema_version: SCHEMA_VERSION,
            source: source("corpus/b.pdf", Some(9)),
            status: Status::Ok,
            error: None,
            document: Some(DocumentInfo {
                kind: crate::model::DocumentKind::DepartmentOverall,
                organization: Some("广州市档案馆".into()),
                year: Some(2023),
            }),
            report: Some(crate::ordered_json::OrderedJson::of(&Report::default()).unwrap()),
            findings: vec![
                Finding {
                    rule: Code::SCR001,
                    severity: Severity::Error,
                    message: "采购政策效能得分 9.99 分，超过其分值 1 分".into(),
                    stated: Some("9.99".into()),
                    expected: Some("≤ 1".into()),
                    evidence: vec![Evidence {
                        page: Some(8),
                        quote: "采购政策效能分值 1 分，得分 9.99 分".into(),
                    }],
                },
                Finding {
                    rule: Code::CNT001,
                    severity: Severity::Warning,
                    message: "一级项目共 6 个，但列出 8 个".into(),
                    stated: Some("6".into()),
                    expected: Some("8".into()),
                    evidence: vec![
                        Evidence {
                            page: Some(5),
                            quote: "一级项目共 6 个".into(),
                        },
                        Evidence {
                            page: None,
                            quote: "下属单位一级项目 2 个, \"档案\"".into(),
                        },
                    ],
                },
            ],
            diagnostics: vec![Diagnostic {
                kind: crate::model::DiagnosticKind::UnreadTable,
                page: Some(3),
                message: "表格未能读取".into(),
            }],
        }
    }

    pub fn failed() -> Record {
        Record {
            schema_version: SCHEMA_VERSION,
            source: source("corpus/a.pdf", None),
            status: Status::Failed,
            error: Some(RecordError {
                code: Code::ING001,
                message: "a.pdf：文件为空".into(),
                transient: false,
            }),
            document: None,
            report: None,
            findings: vec![],
            diagnostics: vec![],
        }
    }

    pub fn clean() -> Record {
        Record {
            findings: vec![],
            diagnostics: vec![],
            source: source("corpus/c.pdf", Some(2)),
            ..with_findings()
        }
    }

    /// Unsorted on purpose: emitters must sort.
    pub fn records() -> Vec<Record> {
        vec![clean(), with_findings(), failed()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_dataset_writes_three_files_and_leaves_no_temporary_files() {
        let dir = std::env::temp_dir().join(format!("jixiao-output-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let dataset = || {
            let entries = testing::records()
                .into_iter()
                .map(|r| Stored::new(r).unwrap())
                .collect();
            Dataset::new(entries, &RunTimings::default(), 0)
        };
        let written = dataset().write(&dir).unwrap();
        assert_eq!(written.len(), 3);
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [FINDINGS_FILE, REPORTS_FILE, SUMMARY_FILE]);
        // Writing again replaces the files in place.
        dataset().write(&dir).unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 3);
        fs::remove_dir_all(&dir).unwrap();
    }
}
