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
//! A write that fails (a full disk, an I/O error) is cut back to the end
//! of the last whole line and tried again (see [`Journal`]), so the file
//! never holds part of a line followed by more records, and every record
//! is where the journal says it is; when the dataset is written, each line
//! taken from the journal is checked to be that record's, whole.
//!
//! A line counts only when it is complete and trustworthy: it ends with
//! `\n`, parses as a record of this [`SCHEMA_VERSION`], names its file and
//! its sha256, and is a success or a failure with an ING code. A kill in
//! the middle of a write leaves a torn last line; [`read`] ignores it (and
//! any other line that is not such a record), so that file is simply
//! audited again.
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
//! The records are reused as they are, so only when the run that wrote
//! them had the same jixiao build and the same options ([`RunSettings`],
//! kept in [`SETTINGS_FILE`]); otherwise every file is audited again.

use super::reports;
use crate::ordered_json::OrderedJson;
use crate::record::{Record, Status, SCHEMA_VERSION};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The journal's file name in the `--out` folder.
pub const JOURNAL_FILE: &str = "reports.partial.jsonl";

/// The name of the file, in the `--out` folder, that says which jixiao and
/// which options wrote its records (see [`RunSettings`]).
pub const SETTINGS_FILE: &str = ".jixiao.settings";

/// What a record depends on besides its file's bytes: the jixiao build
/// (version, and the executable's size and modification time, so that a
/// rebuilt binary counts as another) and the options that change records
/// (limits, text layer, whether a password was given). `--resume` reuses
/// records only when these are the same as the run that wrote them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSettings(pub String);

impl RunSettings {
    /// Reads the settings an earlier run left in `dir`, if any.
    pub fn previous(dir: &Path) -> Option<RunSettings> {
        fs::read_to_string(dir.join(SETTINGS_FILE))
            .ok()
            .map(|s| RunSettings(s.trim_end().to_string()))
    }

    /// Records these settings in `dir` for a later `--resume`.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        super::write_atomically(&dir.join(SETTINGS_FILE), |w| writeln!(w, "{}", self.0)).map(|_| ())
    }
}

/// The lock file's name in the `--out` folder.
pub const LOCK_FILE: &str = ".jixiao.lock";

/// An exclusive lock on an `--out` folder, held for a whole run: two runs
/// writing one folder would interleave their journals and datasets. The
/// lock is `flock` on [`LOCK_FILE`], released when the process ends,
/// however it ends; the file itself stays (removing it would let a third
/// run lock a file the second still holds open).
#[derive(Debug)]
pub struct OutLock {
    _file: fs::File,
    dir: PathBuf,
}

impl OutLock {
    /// Locks `dir` (created if missing), or fails at once naming why: a
    /// second run waiting silently behind the first would look hung.
    pub fn acquire(dir: &Path) -> io::Result<OutLock> {
        use std::os::unix::io::AsRawFd;
        fs::create_dir_all(dir)?;
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))?;
        // SAFETY: flock on a descriptor this function owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::WouldBlock {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    "另一个 jixiao 正在向该文件夹写入结果；请等它结束，或换一个 --out 文件夹",
                ));
            }
            return Err(e);
        }
        Ok(OutLock {
            _file: file,
            dir: dir.to_path_buf(),
        })
    }

    /// Removes the temporary files (`.reports.jsonl.PID.tmp` and the like)
    /// that a run killed while writing its files left in the folder, and
    /// returns how many there were. Under the lock no other run writes
    /// here, so every such file is a dead run's.
    pub fn remove_stale_temporaries(&self) -> io::Result<usize> {
        let mut removed = 0;
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            if !name.to_str().is_some_and(super::is_temporary) {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_file() => fs::remove_file(entry.path())?,
                // The HTML report half built (`.report.PID.tmp/`).
                Ok(t) if t.is_dir() => fs::remove_dir_all(entry.path())?,
                _ => continue,
            }
            removed += 1;
        }
        Ok(removed)
    }
}

/// One record on its way into `reports.jsonl`: the line that goes into the
/// file, and the record that `findings.csv` and `summary.json` count.
///
/// The line is [`reports::line`] of the record for a record of this run,
/// or exactly as an earlier run wrote it (so `reports.jsonl` gets the same
/// bytes). Once the line is in the journal, only where it sits there is
/// kept ([`Line::InJournal`]), and `record` has everything except the
/// report model (`record.report` is `None`; the emitters that use `record`
/// never need it): what a run holds per file is its findings and
/// diagnostics, not its report, so memory stays flat as a batch grows.
#[derive(Clone, Debug)]
pub struct Stored {
    line: Line,
    pub record: Record,
}

/// Where a record's line is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Line {
    Text(String),
    /// Not serialized yet: made from the record when it is written.
    Unwritten,
    /// `len` bytes (without the `\n`) at `offset` of the journal.
    InJournal {
        offset: u64,
        len: usize,
    },
}

impl Stored {
    /// A record of this run, its line in memory.
    pub fn new(record: Record) -> io::Result<Stored> {
        Ok(Stored {
            line: Line::Text(reports::line(&record)?),
            record,
        })
    }

    /// A line of an earlier run, or `None` when it is not a whole record of
    /// this schema version.
    pub fn parse(line: &str) -> Option<Stored> {
        // The report model is not read back: the line itself carries it
        // into `reports.jsonl`.
        let record: Record = serde_json::from_str(line).ok()?;
        if !is_whole(&record) {
            return None;
        }
        Some(Stored {
            line: Line::Text(line.to_string()),
            record,
        })
    }

    /// The record's report model: the record's own, or read back from its
    /// line (from `journal` when the line is kept there).
    pub fn report(&self, journal: Option<&fs::File>) -> io::Result<Option<OrderedJson>> {
        Ok(match &self.record.report {
            Some(r) => Some(r.clone()),
            None => reports::report_of_line(&self.read_line(journal)?),
        })
    }

    /// Changes the record with `change` (which sees it whole, its report
    /// included): its line is made again and held in memory, and the
    /// record keeps everything but the report.
    pub fn amend(
        &mut self,
        journal: Option<&fs::File>,
        change: impl FnOnce(&mut Record),
    ) -> io::Result<()> {
        let mut record = self.record.clone();
        record.report = self.report(journal)?;
        change(&mut record);
        self.line = Line::Text(reports::line(&record)?);
        record.report = None;
        self.record = record;
        Ok(())
    }

    /// The path the record is about, as given on the command line.
    pub fn path(&self) -> &str {
        &self.record.source.path
    }

    /// The line, when it is held in memory.
    pub fn text(&self) -> Option<&str> {
        match &self.line {
            Line::Text(t) => Some(t),
            Line::Unwritten | Line::InJournal { .. } => None,
        }
    }

    /// The line: from memory, made from the record, or read from
    /// `journal`, the journal of the `--out` folder (needed only when
    /// [`Stored::in_journal`]).
    ///
    /// A line read from the journal is checked before it is used: it must
    /// be a whole line there (a `\n` before and after it) and the record
    /// of the same file and bytes. Anything else means the journal is not
    /// what this run wrote, and is an error, never a garbled dataset.
    pub fn read_line(&self, journal: Option<&fs::File>) -> io::Result<Cow<'_, str>> {
        match &self.line {
            Line::Text(t) => Ok(Cow::Borrowed(t)),
            Line::Unwritten => reports::line(&self.record).map(Cow::Owned),
            Line::InJournal { offset, len } => {
                use std::os::unix::fs::FileExt;
                let journal = journal.ok_or_else(|| {
                    io::Error::new(io::ErrorKind::NotFound, "the journal holding the line")
                })?;
                // The byte before the line, the line, and its `\n`.
                let before = u64::from(*offset > 0);
                let mut buf = vec![0; *len + 1 + before as usize];
                journal.read_exact_at(&mut buf, offset - before)?;
                let whole = (before == 0 || buf[0] == b'\n') && buf.last() == Some(&b'\n');
                buf.pop();
                let line = String::from_utf8(buf.split_off(before as usize)).ok();
                match line {
                    Some(line) if whole && self.is_line_of(&line) => Ok(Cow::Owned(line)),
                    _ => Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "续跑日志第 {offset} 字节处不是 {} 的完整记录，日志已被改动或损坏",
                            self.path()
                        ),
                    )),
                }
            }
        }
    }

    /// Whether `line` is a record of the same file, with the same bytes,
    /// as this one.
    fn is_line_of(&self, line: &str) -> bool {
        #[derive(serde::Deserialize)]
        struct Key {
            source: KeySource,
        }
        #[derive(serde::Deserialize)]
        struct KeySource {
            path: String,
            sha256: String,
        }
        serde_json::from_str::<Key>(line).is_ok_and(|k| {
            k.source.path == self.record.source.path && k.source.sha256 == self.record.source.sha256
        })
    }

    /// Whether the line has to be read from the journal.
    pub fn in_journal(&self) -> bool {
        matches!(self.line, Line::InJournal { .. })
    }
}

/// Whether a record read back can be trusted as the audit of its file: of
/// this schema version, naming a file and its sha256, and either a
/// success or a failure with an ING code, as only a finished audit gives.
fn is_whole(record: &Record) -> bool {
    let source = &record.source;
    let sha256 = source.sha256.len() == 64
        && source
            .sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let outcome = match (record.status, &record.error) {
        (Status::Ok, None) => record.document.is_some(),
        (Status::Failed, Some(error)) => error.code.is_ingest() && record.findings.is_empty(),
        _ => false,
    };
    record.schema_version == SCHEMA_VERSION && !source.path.is_empty() && sha256 && outcome
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
    /// Earlier records not reused because their file is no longer among
    /// the inputs (one per file and bytes).
    pub gone: usize,
    /// Earlier records not reused because their file's bytes changed, or
    /// it cannot be read now (one per file and bytes).
    pub changed: usize,
}

impl Plan {
    /// Earlier records not reused. Copies count once, and a copy of a
    /// reused record not at all: a finished `reports.jsonl` and a journal
    /// both hold every record when a run is killed after writing its
    /// dataset, or a resumed run after starting its journal.
    pub fn dropped(&self) -> usize {
        self.gone + self.changed
    }
}

/// Splits `files` into those recorded in `previous` with the same path and
/// the same content (sha256 of the bytes, hashed again now), and the rest.
///
/// A file that cannot be read now goes to `todo`: auditing it gives the
/// failed record that says why.
pub fn plan(files: &[PathBuf], previous: Vec<Stored>) -> Plan {
    let mut by_path: HashMap<String, Vec<Stored>> = HashMap::new();
    for stored in previous {
        by_path
            .entry(stored.path().to_string())
            .or_default()
            .push(stored);
    }
    let mut plan = Plan::default();
    for file in files {
        let candidates = by_path
            .remove(&crate::discover::path_string(file))
            .unwrap_or_default();
        let sha256 = if candidates.is_empty() {
            None
        } else {
            file_sha256(file).ok()
        };
        // The latest record of these bytes, if any; the others are copies
        // of it, or records of other bytes (each counted once).
        let mut reused = None;
        let mut other_bytes = HashSet::new();
        for stored in candidates.into_iter().rev() {
            let same = sha256.as_deref() == Some(stored.record.source.sha256.as_str());
            // A failure that was not the file's (a worker killed from
            // outside) is audited again.
            let transient = stored.record.error.as_ref().is_some_and(|e| e.transient);
            if !same {
                other_bytes.insert(stored.record.source.sha256.clone());
            } else if reused.is_none() && !transient {
                reused = Some(stored);
            }
        }
        plan.changed += other_bytes.len();
        match reused {
            Some(stored) => plan.resumed.push(stored),
            None => plan.todo.push(file.clone()),
        }
    }
    plan.gone = by_path
        .values()
        .map(|records| {
            let bytes: HashSet<&str> = records
                .iter()
                .map(|s| s.record.source.sha256.as_str())
                .collect();
            bytes.len()
        })
        .sum();
    plan
}

/// The lowercase hex sha256 of a file's bytes, as in `source.sha256`.
fn file_sha256(path: &Path) -> io::Result<String> {
    // Never opens a FIFO or a device: that would block or never end.
    let mut file = crate::discover::open_file(path)?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Where the journal's bytes go: the journal file in a run; in tests, a
/// file that fails on demand (a full disk, an I/O error), so that what
/// follows a failed write can be tested without filling a disk.
pub trait JournalFile: Send + std::fmt::Debug {
    /// Writes all of `bytes` at the end of the file. On an error, any part
    /// of them may have been written.
    fn append(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Flushes what was written to the disk.
    fn sync(&mut self) -> io::Result<()>;
    /// Cuts the file back to its first `len` bytes.
    fn truncate(&mut self, len: u64) -> io::Result<()>;
    /// The file's length in bytes.
    fn size(&self) -> io::Result<u64>;
}

/// The journal file, opened for appending.
impl JournalFile for fs::File {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_all(bytes)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.sync_data()
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        self.set_len(len)?;
        self.sync_data()
    }

    fn size(&self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }
}

/// How long to wait before each new attempt at an append that failed (a
/// disk that is full for a moment, while another program's temporary file
/// goes): four attempts over about four seconds.
const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_millis(250),
    Duration::from_secs(1),
    Duration::from_secs(3),
];

/// The open journal of a run. [`append`](Journal::append) may be called
/// from several threads at once.
///
/// # A write that fails
///
/// A failed append (a full disk, an I/O error) may have left part of its
/// line in the file. The journal then cuts the file back to where the line
/// began — the end of the last whole record, which it keeps — and tries
/// again, a few times over a few seconds; so the file only ever holds
/// whole lines, each where the journal says it is, and the next record
/// goes right after the last good one.
///
/// A record that still cannot be written is kept in memory: it goes into
/// the dataset at the end all the same, but a killed run would audit its
/// file again. While appends keep failing, each is tried once, without
/// waiting. If the file cannot even be cut back, its end is unknown: the
/// journal then writes nothing more (what it holds stays valid, the torn
/// end is ignored when it is read) and every later record stays in memory.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<Appender>,
    retry_delays: Vec<Duration>,
}

/// The journal file and what the journal knows of it.
#[derive(Debug)]
struct Appender {
    file: Box<dyn JournalFile>,
    /// The end of the last whole line: where the next one goes.
    end: u64,
    /// The last append failed (even after its retries).
    failing: bool,
    /// Why the file could not be cut back after a failure, if so: nothing
    /// more is written.
    broken: Option<String>,
    /// Whether the first failure, and the break, have been returned.
    said_failing: bool,
    said_broken: bool,
}

impl Journal {
    /// Starts the journal in `dir` (created if missing) with the records
    /// `kept`, replacing any journal there.
    ///
    /// The new journal is written beside the old one and renamed over it,
    /// so a kill while starting leaves one or the other, whole.
    pub fn start(dir: &Path, kept: Vec<Stored>) -> io::Result<(Journal, Vec<Stored>)> {
        Journal::start_with(dir, kept, |file| Box::new(file))
    }

    /// [`Journal::start`], its file passed through `wrap` before any record
    /// is appended (tests wrap it in a file that fails on demand).
    pub fn start_with(
        dir: &Path,
        kept: Vec<Stored>,
        wrap: impl FnOnce(fs::File) -> Box<dyn JournalFile>,
    ) -> io::Result<(Journal, Vec<Stored>)> {
        fs::create_dir_all(dir)?;
        let path = dir.join(JOURNAL_FILE);
        let mut offset = 0u64;
        let mut placed = Vec::with_capacity(kept.len());
        super::write_atomically(&path, |w| {
            for mut stored in kept {
                if let Line::Text(t) = &stored.line {
                    w.write_all(t.as_bytes())?;
                    w.write_all(b"\n")?;
                    let len = t.len();
                    stored.line = Line::InJournal { offset, len };
                    offset += len as u64 + 1;
                }
                placed.push(stored);
            }
            Ok(())
        })?;
        let file = fs::OpenOptions::new().append(true).open(&path)?;
        let journal = Journal {
            path,
            file: Mutex::new(Appender {
                file: wrap(file),
                end: offset,
                failing: false,
                broken: None,
                said_failing: false,
                said_broken: false,
            }),
            retry_delays: RETRY_DELAYS.to_vec(),
        };
        Ok((journal, placed))
    }

    /// The same journal, waiting `delays` before its successive new
    /// attempts at a failed append instead of the few seconds of a run.
    pub fn with_retry_delays(mut self, delays: Vec<Duration>) -> Journal {
        self.retry_delays = delays;
        self
    }

    /// Appends one record and flushes it to the disk; returns it as
    /// [`Stored`], its line left in the journal and its report dropped.
    ///
    /// A record that cannot be written (see [`Journal`]) keeps its line in
    /// memory, and the error — a whole Chinese sentence that names the file,
    /// the cause and the disk — is returned the first time appends fail,
    /// and again if the journal has to stop writing, so that the caller
    /// says each once.
    pub fn append(&self, mut record: Record) -> (Stored, Option<io::Error>) {
        let line = match reports::line(&record) {
            Ok(line) => line,
            Err(e) => {
                // Serializing a record cannot fail short of a bug; keep the
                // whole record, its line is tried again at the end.
                let stored = Stored {
                    line: Line::Unwritten,
                    record,
                };
                let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
                let said = std::mem::replace(&mut file.said_failing, true);
                return (stored, (!said).then_some(e));
            }
        };
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        match file.append_line(&bytes, &self.retry_delays) {
            Ok(offset) => {
                drop(file);
                record.report = None;
                let stored = Stored {
                    line: Line::InJournal {
                        offset,
                        len: line.len(),
                    },
                    record,
                };
                (stored, None)
            }
            Err(e) => {
                let say = file.news(&e, &self.path, self.retry_delays.len());
                drop(file);
                let stored = Stored {
                    line: Line::Text(line),
                    record,
                };
                (stored, say)
            }
        }
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

impl Appender {
    /// Appends `bytes` (a line and its `\n`) at the end of the last whole
    /// line, and returns where it starts; after a failure, cuts the file
    /// back and tries again, once per delay.
    fn append_line(&mut self, bytes: &[u8], delays: &[Duration]) -> io::Result<u64> {
        if self.broken.is_some() {
            return Err(io::Error::other("journal stopped"));
        }
        let start = self.end;
        let retries = if self.failing { &[][..] } else { delays };
        let mut attempt = 0;
        loop {
            let written = self.file.append(bytes).and_then(|()| self.file.sync());
            let e = match written {
                Ok(()) => {
                    self.end = start + bytes.len() as u64;
                    self.failing = false;
                    return Ok(start);
                }
                Err(e) => e,
            };
            if let Err(cut) = self.cut_back(start) {
                self.broken = Some(cut.to_string());
                return Err(e);
            }
            let Some(delay) = retries.get(attempt) else {
                self.failing = true;
                return Err(e);
            };
            attempt += 1;
            std::thread::sleep(*delay);
        }
    }

    /// Cuts the file back to `len` bytes, and checks that it is so.
    fn cut_back(&mut self, len: u64) -> io::Result<()> {
        self.file.truncate(len)?;
        let now = self.file.size()?;
        if now != len {
            return Err(io::Error::other(format!(
                "{now} bytes long instead of {len}"
            )));
        }
        Ok(())
    }

    /// What to tell the reviewer of the failure `e`, if it is news: the
    /// first failure, or the journal stopping.
    fn news(&mut self, e: &io::Error, path: &Path, retries: usize) -> Option<io::Error> {
        let failure = super::write_failure(path, e);
        if let Some(cut) = &self.broken {
            if std::mem::replace(&mut self.said_broken, true) {
                return None;
            }
            self.said_failing = true;
            return Some(io::Error::new(
                e.kind(),
                format!(
                    "{failure}：截回到最后一条完整记录也失败（{cut}），续跑日志不再写入；\
                     已写入的记录仍然有效，之后的记录暂存于内存，结束时写入数据集\
                     （运行若被中断，这些文件需重新检查）"
                ),
            ));
        }
        if std::mem::replace(&mut self.said_failing, true) {
            return None;
        }
        Some(io::Error::new(
            e.kind(),
            format!(
                "{failure}：已重试 {retries} 次；未写入续跑日志的记录暂存于内存，\
                 结束时写入数据集（运行若被中断，这些文件需重新检查）"
            ),
        ))
    }
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
            let back = Stored::parse(stored.text().unwrap()).unwrap();
            assert_eq!(back.line, stored.line);
            // Everything but the report model survives.
            let mut expected = record;
            expected.report = None;
            assert_eq!(
                format!("{:?}", back.record),
                format!("{expected:?}"),
                "{:?}",
                stored.line
            );
        }
    }

    #[test]
    fn appended_records_read_back_and_a_torn_last_line_is_ignored() {
        let s = Scratch::new("journal-torn");
        let (journal, _) = Journal::start(&s.0, Vec::new()).unwrap();
        let mut stored = Vec::new();
        for record in testing::records() {
            let (s, failure) = journal.append(record.clone());
            assert!(failure.is_none());
            // The line is left in the journal, the report dropped.
            let file = fs::File::open(journal.path()).unwrap();
            assert_eq!(
                s.read_line(Some(&file)).unwrap(),
                reports::line(&record).unwrap()
            );
            assert!(s.text().is_none() && s.record.report.is_none());
            stored.push(s);
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
    fn a_journal_line_that_is_not_where_it_was_written_is_an_error() {
        let s = Scratch::new("journal-moved");
        let (journal, _) = Journal::start(&s.0, Vec::new()).unwrap();
        let (first, _) = journal.append(testing::clean());
        let (second, _) = journal.append(testing::failed());
        let path = journal.path().to_path_buf();
        // Two bytes more in front: every line is two bytes further on.
        let bytes = fs::read(&path).unwrap();
        fs::write(&path, [b"{\n".as_slice(), &bytes].concat()).unwrap();
        let file = fs::File::open(&path).unwrap();
        for stored in [&first, &second] {
            let e = stored.read_line(Some(&file)).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidData);
            assert!(e.to_string().contains("不是"), "{e}");
        }
        // Another record where this one was: the same length, other bytes.
        let line = reports::line(&testing::clean()).unwrap();
        let other = line.replace("corpus/c.pdf", "corpus/x.pdf");
        fs::write(&path, [other.as_bytes(), b"\n"].concat()).unwrap();
        let file = fs::File::open(&path).unwrap();
        assert!(first.read_line(Some(&file)).is_err());
        fs::write(&path, [line.as_bytes(), b"\n"].concat()).unwrap();
        let file = fs::File::open(&path).unwrap();
        assert_eq!(first.read_line(Some(&file)).unwrap(), line);
    }

    #[test]
    fn a_line_of_another_schema_version_or_garbage_is_ignored() {
        let s = Scratch::new("journal-garbage");
        let line = Stored::new(testing::failed())
            .unwrap()
            .text()
            .unwrap()
            .to_string();
        let other = line.replace("\"schema_version\":1", "\"schema_version\":2");
        let path = s.0.join(JOURNAL_FILE);
        fs::write(&path, format!("{other}\n{{\"x\":1}}\n\n{line}\n")).unwrap();
        let back = read(&path).unwrap();
        assert_eq!(back.entries.len(), 1);
        assert_eq!(back.entries[0].text(), Some(line.as_str()));
        assert_eq!(back.ignored, 2);
        assert_eq!(read(&s.0.join("missing")).unwrap().entries.len(), 0);
    }

    #[test]
    fn starting_keeps_the_given_records_and_replaces_the_rest() {
        let s = Scratch::new("journal-start");
        let (journal, _) = Journal::start(&s.0, Vec::new()).unwrap();
        journal.append(testing::clean());
        drop(journal);
        let failed = Stored::new(testing::failed()).unwrap();
        let line = failed.text().unwrap().to_string();
        let (journal, kept) = Journal::start(&s.0, vec![failed]).unwrap();
        // The kept record's line now lives in the journal.
        let file = fs::File::open(journal.path()).unwrap();
        assert!(kept[0].in_journal());
        assert_eq!(kept[0].read_line(Some(&file)).unwrap(), line);
        let (appended, _) = journal.append(testing::with_findings());
        let file = fs::File::open(journal.path()).unwrap();
        assert_eq!(
            appended.read_line(Some(&file)).unwrap(),
            reports::line(&testing::with_findings()).unwrap()
        );
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
            // Copies, as a finished dataset and a journal both hold them.
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
        // An older record of `same` (other bytes), `changed`, `gone.txt`.
        assert_eq!((plan.changed, plan.gone), (2, 1));
        assert_eq!(plan.dropped(), 3);
    }

    #[test]
    fn a_second_run_on_the_same_folder_is_refused_until_the_first_ends() {
        let s = Scratch::new("journal-lock");
        let first = OutLock::acquire(&s.0).unwrap();
        let e = OutLock::acquire(&s.0).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        assert!(e.to_string().contains("另一个 jixiao"), "{e}");
        drop(first);
        OutLock::acquire(&s.0).unwrap();
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
