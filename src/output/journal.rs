//! The journal: records written as each file finishes, so that a run that
//! is killed keeps what it did, and `audit --resume` finishes it.
//!
//! # Format
//!
//! `reports.partial.jsonl` in the `--out` folder holds exactly the lines of
//! `reports.jsonl` (one compact [`Record`] as JSON, then `\n`), in the order
//! the files finished rather than by path. Each line is written with one
//! call on a file opened for appending and then flushed to the disk
//! (`sync_data`), so a line that is in the journal stays there whatever
//! happens to the process afterwards.
//!
//! A line counts only when it is complete: it ends with `\n` and parses as
//! a record of this [`SCHEMA_VERSION`]. A kill in the middle of a write
//! leaves a torn last line; [`read`] ignores it (and any other line that
//! does not parse), so that file is simply audited again.
//!
//! # Lifecycle
//!
//! - A run with `--out` starts a fresh journal ([`Journal::start`] with
//!   nothing kept), appends every record as it finishes
//!   ([`Journal::append`]), writes the dataset from all records and then
//!   removes the journal ([`Journal::remove`]).
//! - A run with `--resume` first reads what earlier runs left
//!   ([`previous`]: a finished `reports.jsonl`, then the journal), keeps
//!   the records whose file is still among the inputs with the same bytes
//!   ([`plan`], by `source.path` and `source.sha256`), starts a journal
//!   that holds those records, and audits only the rest.
//!
//! A record is reused only for the same path *and* the same content: the
//! path is part of the record (and of its messages), so a copy of a file
//! under another name is audited under that name.
//!
//! The records are reused as they are: a resumed run assumes the same
//! jixiao version and the same limits (`--max-bytes`, `--timeout-secs`, …)
//! as the run that wrote them.

use super::reports;
use crate::record::{
    Diagnostic, DocumentInfo, Evidence, Finding, Record, RecordError, Severity, Source, Status,
    SCHEMA_VERSION,
};
use crate::rules::Code;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The journal's file name in the `--out` folder.
pub const JOURNAL_FILE: &str = "reports.partial.jsonl";

/// One record on its way into `reports.jsonl`: the line that goes into the
/// file, and the record that `findings.csv` and `summary.json` count.
///
/// For a record of this run, `line` is [`reports::line`] of `record`. For a
/// record read back from an earlier run, `line` is the line exactly as that
/// run wrote it (so `reports.jsonl` gets the same bytes), and `record` has
/// everything except the report model: `record.report` is `None`, since the
/// emitters that use `record` never need it.
#[derive(Clone, Debug)]
pub struct Stored {
    pub line: String,
    pub record: Record,
}

impl Stored {
    /// A record of this run.
    pub fn new(record: Record) -> io::Result<Stored> {
        Ok(Stored {
            line: reports::line(&record)?,
            record,
        })
    }

    /// A line of an earlier run, or `None` when it is not a whole record of
    /// this schema version.
    pub fn parse(line: &str) -> Option<Stored> {
        let read: LineRecord = serde_json::from_str(line).ok()?;
        Some(Stored {
            line: line.to_string(),
            record: read.into_record()?,
        })
    }

    /// The path the record is about, as given on the command line.
    pub fn path(&self) -> &str {
        &self.record.source.path
    }
}

/// What [`read`] found in a file of records.
#[derive(Debug, Default)]
pub struct ReadBack {
    /// The whole records, in file order.
    pub entries: Vec<Stored>,
    /// Lines that were not whole records: a torn last line, or lines of
    /// another schema version.
    pub ignored: usize,
}

/// Reads a journal or a `reports.jsonl`. A missing file reads as empty.
pub fn read(path: &Path) -> io::Result<ReadBack> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ReadBack::default()),
        Err(e) => return Err(e),
    };
    let mut back = ReadBack::default();
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            // No newline: the write of this line never finished.
            back.ignored += 1;
            break;
        };
        let line = &rest[..end];
        rest = &rest[end + 1..];
        match std::str::from_utf8(line).ok().and_then(Stored::parse) {
            Some(stored) => back.entries.push(stored),
            None if line.is_empty() => {}
            None => back.ignored += 1,
        }
    }
    Ok(back)
}

/// What earlier runs left in an `--out` folder.
#[derive(Debug, Default)]
pub struct Previous {
    /// The records of a finished `reports.jsonl`, then those of the
    /// journal: when both hold the same file, the later one counts.
    pub entries: Vec<Stored>,
    /// Lines that were not whole records (see [`ReadBack::ignored`]).
    pub ignored: usize,
}

/// Reads `reports.jsonl` and the journal in `dir`, either of which may be
/// missing.
pub fn previous(dir: &Path) -> io::Result<Previous> {
    let finished = read(&dir.join(super::REPORTS_FILE))?;
    let journal = read(&dir.join(JOURNAL_FILE))?;
    let mut entries = finished.entries;
    entries.extend(journal.entries);
    Ok(Previous {
        entries,
        ignored: finished.ignored + journal.ignored,
    })
}

/// Which inputs a resumed run can take from earlier runs, and which it
/// must audit.
#[derive(Debug, Default)]
pub struct Plan {
    /// Records reused as they are, one per input file at most.
    pub resumed: Vec<Stored>,
    /// Files to audit, in the order given.
    pub todo: Vec<PathBuf>,
    /// Earlier records not reused: their file is no longer among the
    /// inputs, or its bytes changed, or a later record replaced them.
    pub dropped: usize,
}

/// Splits `files` into those recorded in `previous` with the same path and
/// the same content (sha256 of the bytes, hashed again now), and the rest.
///
/// A file that cannot be read now goes to `todo`: auditing it gives the
/// failed record that says why.
pub fn plan(files: &[PathBuf], previous: Vec<Stored>) -> Plan {
    let total = previous.len();
    let mut by_path: HashMap<String, Vec<Stored>> = HashMap::new();
    for stored in previous {
        by_path
            .entry(stored.path().to_string())
            .or_default()
            .push(stored);
    }
    let mut plan = Plan::default();
    for file in files {
        let reused = by_path
            .remove(&file.display().to_string())
            .and_then(|candidates| {
                let sha256 = file_sha256(file).ok()?;
                // The latest record of these bytes, if any.
                candidates
                    .into_iter()
                    .rev()
                    .find(|s| s.record.source.sha256 == sha256)
            });
        match reused {
            Some(stored) => plan.resumed.push(stored),
            None => plan.todo.push(file.clone()),
        }
    }
    plan.dropped = total - plan.resumed.len();
    plan
}

/// The lowercase hex sha256 of a file's bytes, as in `source.sha256`.
fn file_sha256(path: &Path) -> io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The open journal of a run. [`append`](Journal::append) may be called
/// from several threads at once.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<fs::File>,
    /// Whether a write has failed: the run goes on (its records are still
    /// in memory), but it could not be resumed from what was written.
    failed: Mutex<bool>,
}

impl Journal {
    /// Starts the journal in `dir` (created if missing) with the records
    /// `kept`, replacing any journal there.
    ///
    /// The new journal is written beside the old one and renamed over it,
    /// so a kill while starting leaves one or the other, whole.
    pub fn start(dir: &Path, kept: &[Stored]) -> io::Result<Journal> {
        fs::create_dir_all(dir)?;
        let path = dir.join(JOURNAL_FILE);
        super::write_atomically(&path, |w| {
            for stored in kept {
                w.write_all(stored.line.as_bytes())?;
                w.write_all(b"\n")?;
            }
            Ok(())
        })?;
        let file = fs::OpenOptions::new().append(true).open(&path)?;
        Ok(Journal {
            path,
            file: Mutex::new(file),
            failed: Mutex::new(false),
        })
    }

    /// Appends one record and flushes it to the disk. A failure is returned
    /// the first time only, so that the caller says it once.
    pub fn append(&self, record: &Record) -> Option<io::Error> {
        let result = (|| {
            let mut line = reports::line(record)?.into_bytes();
            line.push(b'\n');
            let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
            file.write_all(&line)?;
            file.sync_data()
        })();
        let e = result.err()?;
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        if std::mem::replace(&mut *failed, true) {
            return None;
        }
        Some(e)
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the journal, once the dataset that holds its records has
    /// been written.
    pub fn remove(self) -> io::Result<()> {
        drop(self.file);
        fs::remove_file(&self.path)
    }
}

// The shape of a record line, for reading it back. The report model is not
// read: the line itself carries it into `reports.jsonl`.

#[derive(Deserialize)]
struct LineRecord {
    schema_version: u32,
    source: LineSource,
    status: String,
    error: Option<LineError>,
    document: Option<LineDocument>,
    findings: Vec<LineFinding>,
    diagnostics: Vec<LineDiagnostic>,
}

#[derive(Deserialize)]
struct LineSource {
    path: String,
    sha256: String,
    bytes: u64,
    pages: Option<u32>,
    text_layer: Option<String>,
}

#[derive(Deserialize)]
struct LineError {
    code: String,
    message: String,
}

#[derive(Deserialize)]
struct LineDocument {
    kind: String,
    organization: Option<String>,
    year: Option<u32>,
}

#[derive(Deserialize)]
struct LineFinding {
    rule: String,
    severity: String,
    message: String,
    stated: Option<String>,
    expected: Option<String>,
    evidence: Vec<LineEvidence>,
}

#[derive(Deserialize)]
struct LineEvidence {
    page: Option<u32>,
    quote: String,
}

#[derive(Deserialize)]
struct LineDiagnostic {
    kind: String,
    page: Option<u32>,
    message: String,
}

impl LineRecord {
    fn into_record(self) -> Option<Record> {
        if self.schema_version != SCHEMA_VERSION {
            return None;
        }
        let status = match self.status.as_str() {
            "ok" => Status::Ok,
            "failed" => Status::Failed,
            _ => return None,
        };
        let error = match self.error {
            Some(e) => Some(RecordError {
                code: exact_code(&e.code)?,
                message: e.message,
            }),
            None => None,
        };
        let findings = self
            .findings
            .into_iter()
            .map(|f| {
                Some(Finding {
                    rule: exact_code(&f.rule)?,
                    severity: match f.severity.as_str() {
                        "error" => Severity::Error,
                        "warning" => Severity::Warning,
                        _ => return None,
                    },
                    message: f.message,
                    stated: f.stated,
                    expected: f.expected,
                    evidence: f
                        .evidence
                        .into_iter()
                        .map(|e| Evidence {
                            page: e.page,
                            quote: e.quote,
                        })
                        .collect(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Record {
            schema_version: self.schema_version,
            source: Source {
                path: self.source.path,
                sha256: self.source.sha256,
                bytes: self.source.bytes,
                pages: self.source.pages,
                text_layer: self.source.text_layer,
            },
            status,
            error,
            document: self.document.map(|d| DocumentInfo {
                kind: d.kind,
                organization: d.organization,
                year: d.year,
            }),
            report: None,
            findings,
            diagnostics: self
                .diagnostics
                .into_iter()
                .map(|d| Diagnostic {
                    kind: d.kind,
                    page: d.page,
                    message: d.message,
                })
                .collect(),
        })
    }
}

/// A rule code exactly as the record writes it (a code this version does
/// not know makes the line unusable, and its file is audited again).
fn exact_code(s: &str) -> Option<Code> {
    Code::parse(s).filter(|c| c.as_str() == s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing;

    use crate::scratch::Scratch;

    #[test]
    fn a_line_reads_back_as_the_same_line_and_the_same_counts() {
        for record in testing::records() {
            let stored = Stored::new(record.clone()).unwrap();
            let back = Stored::parse(&stored.line).unwrap();
            assert_eq!(back.line, stored.line);
            // Everything but the report model survives.
            let mut expected = record;
            expected.report = None;
            assert_eq!(
                format!("{:?}", back.record),
                format!("{expected:?}"),
                "{}",
                stored.line
            );
        }
    }

    #[test]
    fn appended_records_read_back_and_a_torn_last_line_is_ignored() {
        let s = Scratch::new("journal-torn");
        let journal = Journal::start(&s.0, &[]).unwrap();
        for record in testing::records() {
            assert!(journal.append(&record).is_none());
        }
        let path = journal.path().to_path_buf();
        drop(journal);
        let whole = fs::read_to_string(&path).unwrap();
        let first = whole.lines().next().unwrap();
        // Half a line, as a kill in the middle of a write leaves it.
        let mut file = fs::OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(&first.as_bytes()[..first.len() / 2])
            .unwrap();
        drop(file);

        let back = read(&path).unwrap();
        let paths: Vec<&str> = back.entries.iter().map(Stored::path).collect();
        assert_eq!(paths, ["corpus/c.pdf", "corpus/b.pdf", "corpus/a.pdf"]);
        assert_eq!(back.ignored, 1);
    }

    #[test]
    fn a_line_of_another_schema_version_or_garbage_is_ignored() {
        let s = Scratch::new("journal-garbage");
        let line = Stored::new(testing::failed()).unwrap().line;
        let other = line.replace("\"schema_version\":1", "\"schema_version\":2");
        let path = s.0.join(JOURNAL_FILE);
        fs::write(&path, format!("{other}\n{{\"x\":1}}\n\n{line}\n")).unwrap();
        let back = read(&path).unwrap();
        assert_eq!(back.entries.len(), 1);
        assert_eq!(back.entries[0].line, line);
        assert_eq!(back.ignored, 2);
        assert_eq!(read(&s.0.join("missing")).unwrap().entries.len(), 0);
    }

    #[test]
    fn starting_keeps_the_given_records_and_replaces_the_rest() {
        let s = Scratch::new("journal-start");
        let journal = Journal::start(&s.0, &[]).unwrap();
        journal.append(&testing::clean());
        drop(journal);
        let kept = [Stored::new(testing::failed()).unwrap()];
        let journal = Journal::start(&s.0, &kept).unwrap();
        journal.append(&testing::with_findings());
        let back = read(journal.path()).unwrap();
        let paths: Vec<&str> = back.entries.iter().map(Stored::path).collect();
        assert_eq!(paths, ["corpus/a.pdf", "corpus/b.pdf"]);
        journal.remove().unwrap();
        assert_eq!(fs::read_dir(&s.0).unwrap().count(), 0);
    }

    #[test]
    fn plan_reuses_a_record_only_for_the_same_path_and_bytes() {
        let s = Scratch::new("journal-plan");
        let same = s.0.join("same.txt");
        let changed = s.0.join("changed.txt");
        let new = s.0.join("new.txt");
        for (path, text) in [(&same, "a"), (&changed, "b"), (&new, "c")] {
            fs::write(path, text).unwrap();
        }
        let entry = |path: &Path, sha256: String| {
            let mut record = testing::clean();
            record.source.path = path.display().to_string();
            record.source.sha256 = sha256;
            Stored::new(record).unwrap()
        };
        let sha = |path: &Path| file_sha256(path).unwrap();
        let previous = vec![
            entry(&same, "0".repeat(64)),
            entry(&same, sha(&same)),
            entry(&changed, "1".repeat(64)),
            entry(&s.0.join("gone.txt"), "2".repeat(64)),
        ];
        let files = vec![changed.clone(), new.clone(), same.clone()];
        let plan = plan(&files, previous);
        let resumed: Vec<&str> = plan.resumed.iter().map(Stored::path).collect();
        assert_eq!(resumed, [same.display().to_string()]);
        assert_eq!(plan.resumed[0].record.source.sha256, sha(&same));
        assert_eq!(plan.todo, vec![changed, new]);
        assert_eq!(plan.dropped, 3);
    }

    #[test]
    fn file_sha256_matches_the_record_hash() {
        let s = Scratch::new("journal-sha");
        let path = s.0.join("abc.txt");
        fs::write(&path, "abc").unwrap();
        assert_eq!(
            file_sha256(&path).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
