//! Ingest: bytes of one input file → its pages of raw text.
//!
//! PDFs are opened with lopdf 0.47 and read with jixiao's own text layer
//! (`crate::pdftext`), in long-lived worker processes (the `jixiao` binary
//! in worker mode, see `worker.rs` and `pool.rs`) so that a panic, an
//! abort, a hang or a decompression bomb costs one record, not the batch.
//! When the own layer falls short — it fails, its text fails the quality
//! gate, or some glyphs could not be decoded — the file is read again with
//! pdf-extract in a request of its own (pdf-extract can abort its process),
//! and pdf-extract's text is kept only when it is better: it passes the
//! gate with no more unusable pages and fewer undecodable characters.
//! `source.text_layer` says which text was used (`pdftext`, or
//! `pdftext+pdf-extract` for the fallback) and a `text_layer_fallback`
//! diagnostic says why. `.txt` files (UTF-8, one report each; a form feed
//! separates pages) are read directly.
//!
//! A batch makes one [`Ingester`] and shares it between its threads; it
//! holds the worker pool. [`Ingester::audit`] runs the whole audit of a
//! file in the workers — the reading above and the analysis of its pages
//! (normalize to check, given by the caller) — so that the time limit (one
//! deadline per file, across every request the file takes) and the memory
//! limit cover all of it; `.txt` files are audited there too. Without a
//! worker executable, everything runs in this process, without those
//! limits. [`Ingester::ingest`] reads the pages only. [`ingest`] is the
//! one-file shorthand: it starts a worker for that file alone.
//!
//! Hostile files are refused by measures of the file, not of the time or
//! memory they happened to take, so that the same file always gets the
//! same record: a stream that inflates past 64 MiB, a page past its work
//! or glyph bound (the own layer does not read past them, and pdf-extract,
//! which has no such bounds, is then not tried), a document past its
//! budgets of work and glyphs (`crate::pdftext`), streams that inflate past
//! the limits before pdf-extract reads a file.
//!
//! Every failure is an [`IngestError`] with an ING code and a Chinese
//! message naming the cause and what the reviewer can do (the batch adds
//! the file name):
//! - ING001: empty file, not a PDF (what it looks like instead: HTML page,
//!   image, Office document, …), corrupt or truncated PDF, no pages, pages
//!   whose objects cannot be read, an `/Encrypt` dictionary that is not
//!   one (an unknown security handler, missing keys); a `.txt` that is not
//!   UTF-8.
//! - ING002: the PDF needs a user password, and none was given or the one
//!   given ([`IngestOptions::password`]) does not open it; or it is
//!   encrypted in a way jixiao cannot decrypt (a certificate). Owner-
//!   password-only PDFs (printing or copying restricted) open normally.
//! - ING003: the text failed the quality gate (`quality.rs`): scanned
//!   pages, fonts without a Unicode mapping, control characters or
//!   mojibake, on every page. The message lists the pages and why.
//! - ING004: both text layers failed, panicked or crashed on this file;
//!   or the worker was killed from outside ([`IngestError::transient`]).
//! - ING005: over a limit: [`IngestOptions::max_bytes`],
//!   [`IngestOptions::max_pages`], [`IngestOptions::timeout`] or
//!   [`IngestOptions::max_memory_mib`] (the last two enforced only with a
//!   worker), or one of the measures of hostile files above.
//!
//! On success, [`Pages`] has one string per PDF page in page order, as the
//! extractor laid it out (one visual line per line, indentation and wide
//! gaps as runs of spaces; see `layout.rs`) — normalization is the next
//! stage — and diagnostics: `repaired` when the cross-reference table was
//! rebuilt, `text_layer_problem` for what the own layer could not read (a
//! font without a usable mapping, a form that draws itself),
//! `text_layer_fallback`, `empty_page` and `low_quality_page` for pages
//! whose text is missing or unusable (a reviewer must know those were not
//! checked). [`Pages::text_layer`] names the layer and, for the own
//! layer's text, holds the lines it read as rows of ruled tables, with
//! their cells, from the pages' geometry.

mod layout;
pub mod ocr;
mod pdf;
mod pool;
mod protocol;
pub mod quality;
mod raster;
pub mod sniff;
mod text;
mod vote;
use text::ingest_text;
mod worker;

use crate::model::{Code, Diagnostic, DiagnosticKind, OcrPage};
use crate::pdftext::{RuledRow, MAX_DOCUMENT_GLYPHS};
use pdf::Extracted;
use pool::WorkerPool;
use protocol::{Answer, Layer, Response, Task};
use quality::page_list;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use crate::text::is_han;
pub use worker::worker_main;

/// The raw text of a document, one string per page, in page order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pages {
    pub pages: Vec<String>,
    /// `pdftext` (jixiao's own), `pdftext+pdf-extract` (the own layer fell
    /// short and pdf-extract's text was used), or `text` for a `.txt` file.
    pub text_layer: String,
    /// Per page, the lines the layer read as rows of ruled tables, with
    /// their cells (see [`RuledRow`]). Only the own layer reads the page's
    /// geometry: for other text, and for a document without a ruled table,
    /// it is empty.
    pub rows: Vec<Vec<RuledRow>>,
    /// What ingestion noticed but could still read past.
    pub diagnostics: Vec<Diagnostic>,
    /// The pages whose text came from OCR.
    pub ocr: Vec<OcrPage>,
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct IngestError {
    /// One of ING001..ING005.
    pub code: Code,
    /// Chinese, for the reviewer: names the cause and what to do.
    pub message: String,
    /// The failure is not the file's: the process reading it was killed
    /// from outside (by the operator, or by the system's out-of-memory
    /// killer). The same file may well be read the next time, so a
    /// resumed run audits it again.
    pub transient: bool,
}

impl IngestError {
    pub fn new(code: Code, message: String) -> IngestError {
        IngestError {
            code,
            message,
            transient: false,
        }
    }

    /// A failure that is not the file's (see [`IngestError::transient`]).
    pub fn transient(code: Code, message: String) -> IngestError {
        IngestError {
            code,
            message,
            transient: true,
        }
    }
}

/// Limits, the password, and the worker to audit in.
#[derive(Clone)]
pub struct IngestOptions {
    /// The executable to run as the worker (`jixiao`), which reads files
    /// and, for [`Ingester::audit`], analyses them. `None` does all of it in
    /// this process, guarded only by `catch_unwind` and without the time
    /// and memory limits: fine for tests on trusted files, not for a batch
    /// of unknown ones.
    pub worker_exe: Option<PathBuf>,
    /// Time limit for one file: its reading (both layers, when it takes
    /// two) and, for [`Ingester::audit`], its analysis, under one deadline.
    pub timeout: Duration,
    /// Files larger than this are refused with ING005.
    pub max_bytes: u64,
    /// PDFs with more pages than this are refused with ING005.
    pub max_pages: usize,
    /// Address-space limit of each worker process, in MiB (0: none). A
    /// file whose reading or analysis needs more is ING005.
    pub max_memory_mib: u64,
    /// The user password to open encrypted PDFs with, when the empty
    /// password does not. Files that open without it are not affected.
    pub password: Option<String>,
    /// Which text layer reads PDFs.
    pub text_layer: TextLayer,
}

/// Which text layer reads PDFs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextLayer {
    /// jixiao's own layer, with pdf-extract as the fallback where it falls
    /// short (the default).
    #[default]
    Auto,
    /// pdf-extract alone: to compare with the own layer.
    PdfExtract,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            worker_exe: None,
            timeout: Duration::from_secs(300),
            max_bytes: 200 * 1024 * 1024,
            max_pages: 2000,
            max_memory_mib: 2048,
            password: None,
            text_layer: TextLayer::Auto,
        }
    }
}

impl std::fmt::Debug for IngestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IngestOptions")
            .field("worker_exe", &self.worker_exe)
            .field("timeout", &self.timeout)
            .field("max_bytes", &self.max_bytes)
            .field("max_pages", &self.max_pages)
            .field("max_memory_mib", &self.max_memory_mib)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("text_layer", &self.text_layer)
            .finish()
    }
}

impl IngestOptions {
    fn request(&self, task: Task) -> protocol::Request {
        // Object and cross-reference streams are decoded while the file's
        // structure loads; none of a real report comes near a quarter of
        // the memory limit (or lopdf's own 256 MiB bound).
        let default = lopdf::DEFAULT_MAX_DECOMPRESSED_SIZE;
        let max_decompressed = match self.max_memory_mib {
            0 => default,
            mib => default.min(usize::try_from(mib * 1024 * 1024 / 4).unwrap_or(default)),
        };
        protocol::Request {
            password: self.password.clone(),
            max_pages: self.max_pages,
            max_decompressed,
            layer: match self.text_layer {
                TextLayer::Auto => Layer::Pdftext,
                TextLayer::PdfExtract => Layer::PdfExtract,
            },
            task,
            time_left_ms: None,
        }
    }
}

/// The analysis of one file's pages, as the caller defines it (the crate's
/// pipeline, in practice): its output is the caller's text (JSON), which
/// ingestion only carries.
pub type AnalyzeFn = fn(&Pages) -> String;

/// One file audited: what ingestion read, and what the analysis made of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audited {
    /// How many pages of text the file has.
    pub pages: usize,
    /// As [`Pages::text_layer`].
    pub text_layer: String,
    /// What ingestion noticed ([`Pages::diagnostics`]).
    pub diagnostics: Vec<Diagnostic>,
    /// As [`Pages::ocr`].
    pub ocr: Vec<OcrPage>,
    /// The analysis's output, or the message it panicked with.
    pub analysis: Result<String, String>,
}

/// One file's deadline: the time limit counts from the start of its audit,
/// across every request the file takes (the own layer, pdf-extract, the
/// analysis), so that the limit bounds the whole of it once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    /// `None` when the limit is too far to be a point in time.
    at: Option<Instant>,
    limit: Duration,
}

impl Deadline {
    fn start(limit: Duration) -> Deadline {
        Deadline {
            at: Instant::now().checked_add(limit),
            limit,
        }
    }

    /// The time left, or `None` when the deadline has passed.
    pub(crate) fn remaining(&self) -> Option<Duration> {
        match self.at {
            None => Some(self.limit),
            Some(at) => {
                let left = at.saturating_duration_since(Instant::now());
                (!left.is_zero()).then_some(left)
            }
        }
    }

    /// The file's error when its time is up.
    pub(crate) fn exceeded(&self) -> IngestError {
        IngestError::new(
            Code::ING005,
            format!(
                "处理超时：读取和检查该文件超过时限 {} 秒仍未完成，已终止（文件可能过于复杂或结构异常）；可用 --timeout-secs 调高时限后单独重试",
                self.limit.as_secs_f64()
            ),
        )
    }
}

/// Reads input files with the given options; with a worker executable, it
/// holds the pool of worker processes, shared by every thread that calls
/// [`Ingester::ingest`] or [`Ingester::audit`]. Dropping it stops the
/// workers.
#[derive(Debug)]
pub struct Ingester {
    opts: IngestOptions,
    pool: Option<WorkerPool>,
}

/// What a file is, once it is let in.
enum Admitted {
    Text,
    Pdf,
}

impl Ingester {
    pub fn new(opts: IngestOptions) -> Ingester {
        let pool = opts
            .worker_exe
            .as_deref()
            .map(|exe| WorkerPool::new(exe, opts.max_memory_mib));
        Ingester { opts, pool }
    }

    pub fn options(&self) -> &IngestOptions {
        &self.opts
    }

    /// Worker processes started so far, replacements included (0 without
    /// a worker).
    pub fn workers_started(&self) -> usize {
        self.pool.as_ref().map_or(0, WorkerPool::started)
    }

    /// Reads one input file into pages of raw text.
    ///
    /// `path` is used only for its extension: `.txt` (any case) is read as
    /// UTF-8 text with pages separated by form feeds; anything else must be
    /// a PDF. `bytes` is the file's content.
    pub fn ingest(&self, path: &Path, bytes: &[u8]) -> Result<Pages, IngestError> {
        let deadline = Deadline::start(self.opts.timeout);
        match self.admit(path, bytes)? {
            Admitted::Text => ingest_text(bytes),
            Admitted::Pdf => {
                let request = self.opts.request(Task::Extract);
                let first = self.read_text(&request, bytes, &deadline);
                self.pages_from(&request, bytes, &deadline, first)
            }
        }
    }

    /// Reads one input file (as [`Ingester::ingest`]) and analyses its
    /// pages.
    ///
    /// With a worker executable, the whole audit runs in worker processes,
    /// within the time limit (one deadline for the file) and the memory
    /// limit: the analysis is the worker's own (see [`worker_main`]), and
    /// `analyze` is not used. Without one, everything runs here, `analyze`
    /// included, without those limits. Either way a panic of the analysis
    /// is [`Audited::analysis`]'s error, not the caller's.
    pub fn audit(
        &self,
        path: &Path,
        bytes: &[u8],
        analyze: &dyn Fn(&Pages) -> String,
    ) -> Result<Audited, IngestError> {
        let deadline = Deadline::start(self.opts.timeout);
        let admitted = self.admit(path, bytes)?;
        let Some(pool) = &self.pool else {
            let pages = match admitted {
                Admitted::Text => ingest_text(bytes)?,
                Admitted::Pdf => {
                    let request = self.opts.request(Task::Extract);
                    let first = pdf::read_text(bytes, &request);
                    self.pages_from(&request, bytes, &deadline, first)?
                }
            };
            return Ok(audit_pages(pages, analyze));
        };
        if let Admitted::Text = admitted {
            let request = self.opts.request(Task::AuditText);
            return audited(pool.call(&request, bytes, &deadline)?);
        }
        // The own layer's reading, analysed in the same request when its
        // text is final (the usual case).
        let request = self.opts.request(Task::AuditPdf);
        let first = match pool.call(&request, bytes, &deadline) {
            Ok(response) => match response.into_answer() {
                Answer::Audited(audited) => return Ok(audited),
                Answer::Read(first) => first,
            },
            Err(e) => Err(e),
        };
        let extract = protocol::Request {
            task: Task::Extract,
            ..request
        };
        let pages = self.pages_from(&extract, bytes, &deadline, first)?;
        let body = serde_json::to_vec(&protocol::WirePages::from(pages)).map_err(|_| {
            IngestError::new(
                Code::ING004,
                "无法把读出的文字交给分析进程，请将此文件反馈给开发者".to_string(),
            )
        })?;
        let analyze = protocol::Request {
            task: Task::Analyze,
            ..extract
        };
        audited(pool.call(&analyze, &body, &deadline)?)
    }

    /// Refuses what is over the size limit or not what its name says.
    fn admit(&self, path: &Path, bytes: &[u8]) -> Result<Admitted, IngestError> {
        let max_bytes = self.opts.max_bytes;
        let is_txt = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        if is_txt {
            if bytes.len() as u64 > max_bytes {
                return Err(too_large(bytes.len() as u64, max_bytes));
            }
            return Ok(Admitted::Text);
        }
        refuse_non_pdf(bytes)?;
        if bytes.len() as u64 > max_bytes {
            return Err(too_large(bytes.len() as u64, max_bytes));
        }
        Ok(Admitted::Pdf)
    }

    /// One reading of the file's text, in a worker or in this process.
    fn read_text(
        &self,
        request: &protocol::Request,
        bytes: &[u8],
        deadline: &Deadline,
    ) -> Result<Extracted, IngestError> {
        match &self.pool {
            Some(pool) => pool
                .call(request, bytes, deadline)
                .and_then(Response::into_result),
            None => pdf::read_text(bytes, request),
        }
    }

    /// The text of a PDF, from its first reading (with the layer the
    /// options name) and, when the own layer falls short, a second one by
    /// pdf-extract.
    fn pages_from(
        &self,
        request: &protocol::Request,
        bytes: &[u8],
        deadline: &Deadline,
        first: Result<Extracted, IngestError>,
    ) -> Result<Pages, IngestError> {
        let pdf_extract = || {
            self.read_text(
                &protocol::Request {
                    layer: Layer::PdfExtract,
                    task: Task::Extract,
                    ..request.clone()
                },
                bytes,
                deadline,
            )
        };
        match settle(first, self.opts.text_layer) {
            Settled::Done(result) => result,
            Settled::Crashed(crash) => after_crash(crash, pdf_extract()),
            Settled::Again {
                own,
                own_gate,
                own_garbled,
                reason,
            } => {
                let outcome = match pdf_extract() {
                    Ok(pe) => {
                        let pe_gate = quality::gate(&pe.pages, &own.shows);
                        if better(&pe.pages, &pe_gate, own_garbled, &own_gate) {
                            return finish(pe, pe_gate, Fallback::Taken { reason });
                        }
                        "备用的 pdf-extract 读出的文字并不更好".to_string()
                    }
                    // A limit pdf-extract ran into says more about a file
                    // whose own text is unusable than "no text" would.
                    Err(e) if e.code == Code::ING005 && own_gate.is_err() => return Err(e),
                    // Not the file's doing: its audit is to be done again.
                    Err(e) if e.transient => return Err(e),
                    Err(e) => format!("备用的 pdf-extract 也无法读取（{}）", e.message),
                };
                finish(own, own_gate, Fallback::Refused { reason, outcome })
            }
        }
    }
}

/// The audit a worker answered with, or its error.
fn audited(response: Response) -> Result<Audited, IngestError> {
    match response.into_answer() {
        Answer::Audited(audited) => Ok(audited),
        Answer::Read(Err(e)) => Err(e),
        Answer::Read(Ok(_)) => Err(IngestError::new(
            Code::ING004,
            "处理该文件的进程只返回了文字而没有检查结果，请重试，如仍失败请将此文件反馈给开发者"
                .to_string(),
        )),
    }
}

/// Runs `analyze` on the pages, a panic becoming the analysis's error.
fn audit_pages(pages: Pages, analyze: &dyn Fn(&Pages) -> String) -> Audited {
    let analysis = catch_unwind(AssertUnwindSafe(|| analyze(&pages)))
        .map_err(|payload| pdf::panic_message(&*payload));
    Audited {
        pages: pages.pages.len(),
        text_layer: pages.text_layer,
        diagnostics: pages.diagnostics,
        ocr: pages.ocr,
        analysis,
    }
}

/// A worker's audit of a PDF ([`Task::AuditPdf`]): the own layer's reading
/// and, when its text is final, the analysis; else the reading, for the
/// parent to go on with.
pub(crate) fn audit_pdf_here(
    bytes: &[u8],
    request: &protocol::Request,
    analyze: AnalyzeFn,
) -> Response {
    let layer = match request.layer {
        Layer::Pdftext => TextLayer::Auto,
        Layer::PdfExtract => TextLayer::PdfExtract,
    };
    match settle(pdf::read_text(bytes, request), layer) {
        Settled::Done(Ok(pages)) => Response::from_audit(Ok(audit_pages(pages, &analyze))),
        Settled::Done(Err(e)) | Settled::Crashed(e) => Response::from_error(e),
        Settled::Again { own, .. } => Response::from_result(Ok(own)),
    }
}

/// A worker's audit of a `.txt` file ([`Task::AuditText`]).
pub(crate) fn audit_text_here(bytes: &[u8], analyze: AnalyzeFn) -> Response {
    Response::from_audit(ingest_text(bytes).map(|pages| audit_pages(pages, &analyze)))
}

/// A worker's analysis of pages the parent sends ([`Task::Analyze`]).
pub(crate) fn analyze_here(body: &[u8], analyze: AnalyzeFn) -> Response {
    match serde_json::from_slice::<protocol::WirePages>(body) {
        Ok(pages) => Response::from_audit(Ok(audit_pages(pages.into(), &analyze))),
        Err(_) => Response::from_error(IngestError::new(
            Code::ING004,
            "分析进程收到的文字无法识别，请将此文件反馈给开发者".to_string(),
        )),
    }
}

/// What the first reading of a PDF settles.
enum Settled {
    /// The text, or why there is none: no second reading is needed.
    Done(Result<Pages, IngestError>),
    /// The own layer crashed: pdf-extract may still read the file.
    Crashed(IngestError),
    /// The own layer's text falls short for `reason` (it fails the quality
    /// gate, or some glyphs could not be decoded): pdf-extract reads the
    /// file too — in a request of its own, so that in a worker a
    /// pdf-extract crash costs that worker, not the file — and the better
    /// text is kept.
    Again {
        own: Extracted,
        own_gate: Gate,
        own_garbled: usize,
        reason: String,
    },
}

fn settle(first: Result<Extracted, IngestError>, layer: TextLayer) -> Settled {
    let own = match first {
        Ok(own) => own,
        Err(e) if layer == TextLayer::Auto && e.code == Code::ING004 && !e.transient => {
            return Settled::Crashed(e)
        }
        Err(e) => return Settled::Done(Err(e)),
    };
    if layer == TextLayer::PdfExtract {
        let gate = quality::gate(&own.pages, &own.shows);
        return Settled::Done(finish(own, gate, Fallback::Chosen));
    }
    // The quality gate is the costliest check of ingestion: each text is
    // gated once here, and the result travels with it.
    let own_gate = quality::gate(&own.pages, &own.shows);
    let own_garbled = quality::garbled_chars(&own.pages);
    let reason = match (&own_gate, own_garbled) {
        (Ok(_), 0) => return Settled::Done(finish(own, own_gate, Fallback::NotNeeded)),
        (Err(_), _) => "本程序文字层读出的文字未通过质量检查".to_string(),
        (Ok(_), garbled) => format!("本程序文字层有 {garbled} 个字符无法解码"),
    };
    if let Some(limit) = &own.limited {
        // pdf-extract reads the same data without a bound: it would end at
        // the time or the memory limit, whichever the load makes first.
        let outcome = format!("文件中有超出上限的内容（{limit}），未改用 pdf-extract 读取");
        return Settled::Done(finish(own, own_gate, Fallback::Refused { reason, outcome }));
    }
    Settled::Again {
        own,
        own_gate,
        own_garbled,
        reason,
    }
}

/// The pages of the text kept, with every diagnostic; or, when that text
/// is unusable, why, under the code that names the cause.
fn finish(extracted: Extracted, gate: Gate, fallback: Fallback) -> Result<Pages, IngestError> {
    let mut diagnostics: Vec<Diagnostic> = extracted.diagnostics;
    let (mut text_layer, gate_note) = fallback.note(extracted.layer, &mut diagnostics);
    match gate {
        Ok(pages) => {
            diagnostics.extend(pages);
            if let Some(missing) = &extracted.ocr_missing {
                diagnostics.push(Diagnostic {
                    kind: DiagnosticKind::OcrFailed,
                    page: None,
                    message: format!("{missing}；这些页的内容未被检查"),
                });
            }
        }
        Err(mut e) => {
            if let Some(limit) = extracted.limited {
                // Not a scan: a limit kept the text from being read.
                return Err(IngestError::new(
                    Code::ING005,
                    format!(
                        "文件内容超出上限，未能读取到可用文字：{limit}；超出上限的部分不予读取（也不改用不设上限的 pdf-extract），请向报送单位索取正常导出的文件"
                    ),
                ));
            }
            if !extracted.unreadable.is_empty()
                && extracted.unreadable.len() == extracted.pages.len()
            {
                // Not a scan either: the pages themselves are damaged.
                return Err(IngestError::new(
                    Code::ING001,
                    format!(
                        "文件已损坏：第 {} 页的页面对象无法读取（对象语法错误或数值超出范围），因此没有可用文字；请重新获取文件，或请报送单位重新导出 PDF",
                        page_list(&extracted.unreadable)
                    ),
                ));
            }
            // The reviewer should know that both layers were tried.
            for d in diagnostics.iter().filter(|d| {
                matches!(
                    d.kind,
                    DiagnosticKind::TextLayerProblem | DiagnosticKind::OcrFailed
                )
            }) {
                e.message = format!("{}；{}", e.message, d.message);
            }
            if let Some(note) = gate_note {
                e.message = format!("{}；{note}", e.message);
            }
            if let Some(missing) = &extracted.ocr_missing {
                e.message = format!("{}；{missing}", e.message);
            }
            return Err(e);
        }
    }
    refuse_too_much_text(extracted.pages.iter().map(String::as_str))?;
    if !extracted.ocr.is_empty() {
        text_layer = if extracted.ocr.len() == extracted.pages.len() {
            "ocr".to_string()
        } else {
            format!("{text_layer}+ocr")
        };
    }
    Ok(Pages {
        pages: extracted.pages,
        text_layer,
        rows: extracted.rows,
        diagnostics,
        ocr: extracted.ocr,
    })
}

/// Refuses a text of more characters (whitespace aside) than a document
/// may hold ([`MAX_DOCUMENT_GLYPHS`], as the own layer counts glyphs): a
/// `.txt` or pdf-extract's text, whose analysis would otherwise end at the
/// time or the memory limit, whichever the machine's load makes first.
pub(crate) fn refuse_too_much_text<'a>(
    pages: impl IntoIterator<Item = &'a str>,
) -> Result<(), IngestError> {
    let mut chars = 0usize;
    for page in pages {
        chars += page.chars().filter(|c| !c.is_whitespace()).count();
        if chars > MAX_DOCUMENT_GLYPHS {
            return Err(IngestError::new(
                Code::ING005,
                format!(
                    "文件内容超出上限：文件的文字超过 {} 万字（可能是恶意构造的文件），未予检查；请向报送单位索取正常导出的文件",
                    MAX_DOCUMENT_GLYPHS / 10_000
                ),
            ));
        }
    }
    Ok(())
}

/// The text pdf-extract read after the own layer crashed with `crash`, or
/// both failures.
fn after_crash(
    crash: IngestError,
    pdf_extract: Result<Extracted, IngestError>,
) -> Result<Pages, IngestError> {
    match pdf_extract {
        Ok(pe) => {
            // The own layer crashed: what the pages show is not known.
            let gate = quality::gate(&pe.pages, &pe.shows);
            let reason = format!("本程序文字层无法读取（{}）", crash.message);
            finish(pe, gate, Fallback::Taken { reason })
        }
        Err(second) if second.transient => Err(second),
        Err(second) => Err(IngestError::new(
            crash.code,
            format!(
                "{}；备用的 pdf-extract 也无法读取：{}",
                crash.message, second.message
            ),
        )),
    }
}

/// What became of the pdf-extract fallback for one file.
enum Fallback {
    /// The reviewer chose the layer: no fallback.
    Chosen,
    /// The own layer's text was good.
    NotNeeded,
    /// pdf-extract's text is used, because of `reason`.
    Taken { reason: String },
    /// pdf-extract was tried because of `reason`, but the own layer's text
    /// is kept: `outcome` says why.
    Refused { reason: String, outcome: String },
}

impl Fallback {
    /// The name of the text's layer (`source.text_layer`), with the
    /// `text_layer_fallback` diagnostic that says why pdf-extract was tried
    /// and what became of it; and, when the own text is kept, that outcome
    /// (for the message of a file whose text fails the gate).
    fn note(self, layer: Layer, diagnostics: &mut Vec<Diagnostic>) -> (String, Option<String>) {
        match self {
            Fallback::Chosen | Fallback::NotNeeded => (layer.name().to_string(), None),
            Fallback::Taken { reason } => {
                diagnostics.push(Diagnostic {
                    kind: DiagnosticKind::TextLayerFallback,
                    page: None,
                    message: format!("{reason}，已改用 pdf-extract 读取全文；可与原件核对"),
                });
                (format!("{}+{}", Layer::Pdftext.name(), layer.name()), None)
            }
            Fallback::Refused { reason, outcome } => {
                diagnostics.push(Diagnostic {
                    kind: DiagnosticKind::TextLayerFallback,
                    page: None,
                    message: format!("{reason}；{outcome}，仍用本程序文字层的结果"),
                });
                (layer.name().to_string(), Some(outcome))
            }
        }
    }
}

/// Refuses what is not a PDF, naming what it looks like instead.
fn refuse_non_pdf(bytes: &[u8]) -> Result<(), IngestError> {
    match sniff::sniff(bytes) {
        sniff::Kind::Pdf => Ok(()),
        sniff::Kind::Empty => Err(IngestError::new(
            Code::ING001,
            "文件为空（0 字节），请重新获取文件".to_string(),
        )),
        other => Err(IngestError::new(
            Code::ING001,
            format!(
                "文件不是 PDF：开头 {} 字节内没有 PDF 文件头（%PDF-），内容看起来是{}；请向报送单位索取 PDF 文件",
                sniff::HEADER_WINDOW,
                other.describe()
            ),
        )),
    }
}

/// The quality gate's verdict on a text: its page diagnostics, or why the
/// document has no usable text.
type Gate = Result<Vec<Diagnostic>, IngestError>;

/// The own layer's text goes to pdf-extract when it fails the quality gate,
/// or some glyphs could not be decoded (U+FFFD) or came out as control
/// characters. pdf-extract's text is kept only when it passes the gate and
/// has fewer undecodable characters and no fewer usable pages than the own
/// layer's.
fn better(
    candidate: &[String],
    candidate_gate: &Gate,
    own_garbled: usize,
    own_gate: &Gate,
) -> bool {
    let Ok(diagnostics) = candidate_gate else {
        return false;
    };
    // A text with little or nothing in it (pdf-extract reading no page of a
    // file the own layer could not read) passes the gate, but gives
    // nothing to check.
    if diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::LittleText)
    {
        return false;
    }
    let unusable = diagnostics.len();
    let own_unusable = match own_gate {
        Ok(d) => d.len(),
        Err(_) => usize::MAX,
    };
    unusable <= own_unusable
        && (quality::garbled_chars(candidate) < own_garbled || own_unusable == usize::MAX)
}

/// Reads one input file into pages of raw text: [`Ingester::ingest`] with
/// an ingester of its own (with a worker executable, one worker process is
/// started for this file and stopped after it).
pub fn ingest(path: &Path, bytes: &[u8], opts: &IngestOptions) -> Result<Pages, IngestError> {
    Ingester::new(opts.clone()).ingest(path, bytes)
}

fn too_large(len: u64, max: u64) -> IngestError {
    IngestError::new(
        Code::ING005,
        format!(
            "文件过大：{} 字节（{:.1} MB），超过上限 {} 字节（{:.1} MB）；如确需审核，可用 --max-bytes 调高上限",
            len,
            len as f64 / 1048576.0,
            max,
            max as f64 / 1048576.0
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> IngestOptions {
        IngestOptions::default()
    }

    #[test]
    fn text_files_split_pages_on_form_feeds() {
        let p = ingest(
            Path::new("a.TXT"),
            "\u{feff}第一页\x0c第二页".as_bytes(),
            &opts(),
        )
        .unwrap();
        assert_eq!(p.pages, vec!["第一页", "第二页"]);
        assert_eq!(p.text_layer, "text");
    }

    #[test]
    fn text_that_is_not_utf8_names_the_cause() {
        // "绩效" in GBK.
        let e = ingest(Path::new("a.txt"), b"\xbc\xa8\xd0\xa7", &opts()).unwrap_err();
        assert_eq!(e.code, Code::ING001);
        assert!(e.message.contains("UTF-8"), "{}", e.message);
    }

    #[test]
    fn impostors_are_refused_before_parsing() {
        let e = ingest(Path::new("a.pdf"), b"", &opts()).unwrap_err();
        assert_eq!((e.code, e.message.contains("为空")), (Code::ING001, true));
        let e = ingest(Path::new("a.pdf"), b"<!DOCTYPE html><html>", &opts()).unwrap_err();
        assert!(e.message.contains("HTML"), "{}", e.message);
        let e = ingest(Path::new("a.pdf"), b"\x89PNG\r\n\x1a\n....", &opts()).unwrap_err();
        assert!(e.message.contains("PNG"), "{}", e.message);
        let e = ingest(Path::new("a.pdf"), b"PK\x03\x04....", &opts()).unwrap_err();
        assert!(e.message.contains("Office"), "{}", e.message);
    }

    #[test]
    fn size_limit_is_ing005() {
        let small = IngestOptions {
            max_bytes: 10,
            ..IngestOptions::default()
        };
        let e = ingest(
            Path::new("a.pdf"),
            b"%PDF-1.7 and more than ten bytes",
            &small,
        )
        .unwrap_err();
        assert_eq!(e.code, Code::ING005);
    }

    #[test]
    fn garbage_after_a_pdf_header_is_corrupt() {
        let e = ingest(Path::new("a.pdf"), b"%PDF-1.7\nnothing else", &opts()).unwrap_err();
        assert_eq!(e.code, Code::ING001, "{}", e.message);
        assert!(e.message.contains("损坏或不完整"), "{}", e.message);
    }
}
