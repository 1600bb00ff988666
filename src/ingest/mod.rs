//! Ingest: bytes of one input file → its pages of raw text.
//!
//! PDFs are read with pdf-extract, page by page, in a worker process (the
//! `jixiao` binary in worker mode) so that a panic, an abort or a hang in
//! the parser costs one record, not the batch. `.txt` files (UTF-8, one
//! report each; a form feed separates pages) are read directly.
//!
//! Every failure is an [`IngestError`] with an ING code and a Chinese
//! message naming the cause.

use crate::record::Diagnostic;
use crate::rules::Code;
use std::path::PathBuf;
use std::time::Duration;

/// The raw text of a document, one string per page, in page order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pages {
    pub pages: Vec<String>,
    /// The extractor that produced the text: `pdf-extract` or `text`.
    pub text_layer: String,
    /// What ingestion noticed but could still read past.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct IngestError {
    /// One of ING001..ING005.
    pub code: Code,
    /// Chinese, for the reviewer: names the cause and what to do.
    pub message: String,
}

/// Limits and the worker to extract in.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// The executable to run as the extraction worker (`jixiao`). `None`
    /// extracts in this process, guarded only by `catch_unwind`: fine for
    /// tests on trusted files, not for a batch of unknown ones.
    pub worker_exe: Option<PathBuf>,
    /// Time limit for one file's extraction.
    pub timeout: Duration,
    /// Files larger than this are refused with ING005.
    pub max_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            worker_exe: None,
            timeout: Duration::from_secs(60),
            max_bytes: 200 * 1024 * 1024,
        }
    }
}
