//! Output: emitters over the same records, one module per format.
//!
//! - [`reports`]: `reports.jsonl`, one compact record per line;
//! - [`findings`]: `findings.csv`, one row per finding, for spreadsheets;
//! - [`summary`]: `summary.json`, counts and the run's timings;
//! - [`workbook`]: `findings.xlsx`, the same records as sheets for a
//!   reviewer (files, findings, figures read, 科目 rows);
//! - [`human`]: the text a person reads in the terminal;
//! - [`json`]: one record, pretty-printed (`audit --json`);
//! - [`safe`]: untrusted text made safe for a spreadsheet or a terminal;
//! - [`journal`]: the records of a run as each file finishes, so that an
//!   interrupted run can be resumed.
//!
//! Every emitter writes to any [`std::io::Write`] so that it can be tested
//! on a buffer; [`Dataset::write`] puts the four dataset files in a
//! folder.

pub mod annotate;
pub mod findings;
pub mod html;
pub mod human;
pub mod journal;
pub mod json;
pub mod links;
pub mod reports;
pub mod safe;
pub mod summary;
pub mod workbook;

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
pub const WORKBOOK_FILE: &str = "findings.xlsx";
/// The folder of the HTML report (see [`html`]).
pub const REPORT_DIR: &str = "report";

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

    /// Writes `reports.jsonl`, `findings.csv`, `summary.json` and
    /// `findings.xlsx` into `dir`
    /// (created if missing) and returns their paths.
    ///
    /// Each file is written to a temporary file in `dir`, flushed to the
    /// disk and then renamed over its final name, so a reader never sees
    /// half a dataset file, and a run that fails midway leaves the previous
    /// file in place. An error names the file, its cause in Chinese and the
    /// disk (see [`write_failure`]).
    pub fn write(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        fs::create_dir_all(dir)?;
        let records = self.records();
        // An error of the system names the file, the cause and the disk;
        // jixiao's own errors (a journal line that is not what was
        // written) say what they are already.
        let named = |path: PathBuf| {
            move |e: io::Error| match e.raw_os_error() {
                Some(_) => io::Error::new(e.kind(), write_failure(&path, &e)),
                None => e,
            }
        };
        let (reports_path, findings_path, summary_path, workbook_path) = (
            dir.join(REPORTS_FILE),
            dir.join(FINDINGS_FILE),
            dir.join(SUMMARY_FILE),
            dir.join(WORKBOOK_FILE),
        );
        let mut written = vec![
            write_atomically(&reports_path, |w| self.write_reports(w, dir))
                .map_err(named(reports_path.clone()))?,
            write_atomically(&findings_path, |w| findings::write(w, &records))
                .map_err(named(findings_path.clone()))?,
            write_atomically(&summary_path, |w| summary::write(w, &self.summary))
                .map_err(named(summary_path.clone()))?,
        ];
        written.extend(
            self.write_views(dir, &workbook_path)
                .map_err(named(workbook_path.clone()))?,
        );
        sync_dir(dir);
        Ok(written)
    }
}

impl Dataset {
    /// The journal in `dir`, when a record's line is kept there.
    fn journal(&self, dir: &Path) -> io::Result<Option<fs::File>> {
        if self.entries.iter().any(Stored::in_journal) {
            Ok(Some(fs::File::open(dir.join(journal::JOURNAL_FILE))?))
        } else {
            Ok(None)
        }
    }

    /// `findings.xlsx` (see [`workbook`]) and the HTML report (see
    /// [`html`]), in one pass over the records, each record's report
    /// model read back from its line. The report is built in a temporary
    /// folder and then put in the place of the previous one.
    fn write_views(&self, dir: &Path, workbook_path: &Path) -> io::Result<Vec<PathBuf>> {
        let journal = self.journal(dir)?;
        let xlsx_failed = |e: rust_xlsxwriter::XlsxError| {
            io::Error::other(format!("无法生成 {WORKBOOK_FILE}：{e}"))
        };
        let html_failed =
            |e: minijinja::Error| io::Error::other(format!("无法生成审核报告 {REPORT_DIR}/：{e}"));
        let report_dir = dir.join(REPORT_DIR);
        let building = dir.join(format!(".{REPORT_DIR}.{}.tmp", std::process::id()));
        let _ = fs::remove_dir_all(&building);
        fs::create_dir_all(building.join("docs"))?;
        let mut book = workbook::Book::new(dir).map_err(xlsx_failed)?;
        let mut pages = html::Report::new(&report_dir);
        // The annotated copies, where this run (or an earlier one into
        // this folder) wrote them: the page links to the copy too.
        let copies = dir.join(annotate::ANNOTATED_DIR);
        let names = annotate::names(self.entries.iter().map(Stored::path));
        for (stored, name) in self.entries.iter().zip(&names) {
            let report = stored.report(journal.as_ref())?;
            book.add(&stored.record, report.as_ref())
                .map_err(xlsx_failed)?;
            let copy = Some(copies.join(name)).filter(|c| c.is_file());
            let page = pages
                .add(&stored.record, copy.as_deref())
                .map_err(html_failed)?;
            fs::write(building.join("docs").join(&page.name), page.html)?;
        }
        let index = pages.index(&self.summary).map_err(html_failed)?;
        fs::write(building.join("index.html"), index)?;
        let bytes = book.finish().map_err(xlsx_failed)?;
        let xlsx = write_atomically(workbook_path, |w| w.write_all(&bytes))?;
        if report_dir.exists() {
            fs::remove_dir_all(&report_dir)?;
        }
        fs::rename(&building, &report_dir)?;
        Ok(vec![xlsx, report_dir.join("index.html")])
    }

    /// `reports.jsonl`: each line from memory or from the journal in `dir`.
    fn write_reports(&self, w: &mut dyn Write, dir: &Path) -> io::Result<()> {
        let journal = self.journal(dir)?;
        for stored in &self.entries {
            let line = stored.read_line(journal.as_ref())?;
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
        }
        w.flush()
    }
}

/// Whether a discovered file is one jixiao wrote into the `--out` folder
/// `dir` (an annotated copy, a report page): a run over a folder that holds
/// its own `--out` folder must not audit its outputs as inputs.
pub fn generated_inputs(dir: &Path) -> impl Fn(&Path) -> bool {
    let resolve = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| links::absolute(p));
    let folders = [
        resolve(&dir.join(annotate::ANNOTATED_DIR)),
        resolve(&dir.join(REPORT_DIR)),
    ];
    move |file: &Path| {
        let file = resolve(file);
        folders.iter().any(|f| file.starts_with(f))
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

/// Whether `name` is a temporary file of [`write_atomically`] for one of
/// the files jixiao writes in an `--out` folder: `.NAME.PID.tmp`.
pub(crate) fn is_temporary(name: &str) -> bool {
    const WRITTEN: [&str; 7] = [
        REPORTS_FILE,
        FINDINGS_FILE,
        SUMMARY_FILE,
        WORKBOOK_FILE,
        REPORT_DIR,
        journal::JOURNAL_FILE,
        journal::SETTINGS_FILE,
    ];
    let Some(middle) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let Some((file, pid)) = middle.rsplit_once('.') else {
        return false;
    };
    WRITTEN.contains(&file) && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
}

/// Why writing `path` failed, for a reviewer: the cause in Chinese for
/// what a disk does (full, quota, I/O error, read-only, permissions), the
/// system's own words, and the disk — the mount point that holds `path` —
/// so that it is clear which disk to look at.
pub fn write_failure(path: &Path, e: &io::Error) -> String {
    let cause = match e.raw_os_error() {
        Some(libc::ENOSPC) => Some("磁盘空间已满"),
        Some(libc::EDQUOT) => Some("磁盘配额已用完"),
        Some(libc::EIO) => Some("磁盘读写错误"),
        Some(libc::EROFS) => Some("磁盘为只读"),
        Some(libc::EACCES) | Some(libc::EPERM) => Some("没有写入权限"),
        Some(libc::EFBIG) => Some("文件超过磁盘允许的大小"),
        _ => None,
    };
    let mut text = format!("无法写入 {}（", path.display());
    if let Some(cause) = cause {
        text.push_str(cause);
        text.push('：');
    }
    text.push_str(&e.to_string());
    if let Some(disk) = mount_point(path) {
        text.push_str(&format!("；所在磁盘：{}", disk.display()));
    }
    text.push('）');
    text
}

/// The mount point of the file system that holds `path` (or its nearest
/// existing folder): the last folder up the tree on the same device.
fn mount_point(path: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let start = path
        .ancestors()
        .find(|p| !p.as_os_str().is_empty() && p.exists())?;
    let mut here = fs::canonicalize(start).ok()?;
    let device = fs::metadata(&here).ok()?.dev();
    while let Some(parent) = here.parent() {
        if fs::metadata(parent).ok()?.dev() != device {
            break;
        }
        here = parent.to_path_buf();
    }
    Some(here)
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
            ocr: None,
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
            partners: Vec::new(),
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
                        source: None,
                    }],
                    ocr: false,
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
                            source: None,
                        },
                        Evidence {
                            page: None,
                            quote: "下属单位一级项目 2 个, \"档案\"".into(),
                            source: None,
                        },
                    ],
                    ocr: false,
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
            partners: Vec::new(),
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
    fn write_dataset_writes_its_files_and_the_report_and_leaves_no_temporary_files() {
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
        assert_eq!(written.len(), 5);
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                FINDINGS_FILE,
                WORKBOOK_FILE,
                REPORT_DIR,
                REPORTS_FILE,
                SUMMARY_FILE
            ]
        );
        let pages = fs::read_dir(dir.join(REPORT_DIR).join("docs"))
            .unwrap()
            .count();
        assert_eq!(pages, testing::records().len());
        // The workbook is a zip of its four sheets.
        let xlsx = fs::read(dir.join(WORKBOOK_FILE)).unwrap();
        assert!(xlsx.starts_with(b"PK"));
        let has = |name: &[u8]| xlsx.windows(name.len()).any(|w| w == name);
        assert!(has(b"xl/worksheets/sheet4.xml"), "four sheets");
        // Writing again replaces the files in place.
        dataset().write(&dir).unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 5);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporaries_are_recognised_by_name() {
        for name in [
            ".reports.jsonl.123.tmp",
            ".findings.csv.9.tmp",
            ".summary.json.42.tmp",
            ".reports.partial.jsonl.7.tmp",
            "..jixiao.settings.77.tmp",
        ] {
            assert!(is_temporary(name), "{name}");
        }
        for name in [
            "reports.jsonl",
            ".reports.jsonl..tmp",
            ".reports.jsonl.12a.tmp",
            ".notes.txt.12.tmp",
            ".jixiao.lock",
            "x.12.tmp",
        ] {
            assert!(!is_temporary(name), "{name}");
        }
    }

    #[test]
    fn a_write_failure_names_the_cause_in_chinese_and_the_disk() {
        let full = io::Error::from_raw_os_error(libc::ENOSPC);
        let text = write_failure(Path::new("/no/such/out/reports.jsonl"), &full);
        assert!(
            text.starts_with("无法写入 /no/such/out/reports.jsonl（磁盘空间已满："),
            "{text}"
        );
        assert!(text.ends_with("；所在磁盘：/）"), "{text}");
        let eio = io::Error::from_raw_os_error(libc::EIO);
        assert!(write_failure(Path::new("x"), &eio).contains("磁盘读写错误"));
    }
}
