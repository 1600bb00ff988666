//! The dataset record: one per input file, the unit of `reports.jsonl`.
//!
//! Field by field (numbers are JSON strings so they keep their stated
//! precision; the record is deterministic — no timings, no absolute paths,
//! no map-order noise):
//! - `schema_version`: 1.
//! - `source`: `path` as given on the command line (relative stays
//!   relative; a byte that is not UTF-8 is written `\xNN`, lower-case hex,
//!   and a backslash `\\`, so the form is lossless and no two files share
//!   a path: [`crate::discover::path_string`]), `sha256` of the bytes,
//!   `bytes`, `pages` (null when the file
//!   could not be opened), `text_layer` (the extractor that produced the
//!   text, e.g. `pdf-extract` or `text`; a fallback is written `a+b`).
//! - `status`: `ok` or `failed`.
//! - `error`: null, or `{code, message}` with an ING code and a Chinese
//!   message that names the cause; `transient: true` is added when the
//!   failure was not the file's (its worker process was killed from
//!   outside), and `--resume` audits such a file again.
//! - `document`: kind, organization and year, as far as they were read.
//! - `report`: the assembled report model (see [`crate::model::Report`]),
//!   as the analysis wrote it (it ran in a worker process).
//! - `partners`: the other files of the batch this file was checked
//!   together with (written only when there are some): `{path, relation}`,
//!   `relation` saying what the partner is to this file (`tables`: the
//!   tables of this narrative; `narrative`: the narrative of these
//!   tables; `previous_year`: the same body's document of the year before,
//!   which this one's changes were checked against; `next_year`: the
//!   reverse). See [`crate::pairs`].
//! - `findings`: inconsistencies, each with rule, severity, Chinese message,
//!   stated and expected values, and evidence (page and quoted sentence),
//!   the primary evidence first.
//! - `diagnostics`: what the pipeline could not use, and why.

use crate::model::OcrSummary;
pub use crate::model::{Code, Diagnostic, DocumentInfo, Evidence, Finding, Severity};
use crate::ordered_json::OrderedJson;
use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Record {
    pub schema_version: u32,
    pub source: Source,
    pub status: Status,
    pub error: Option<RecordError>,
    pub document: Option<DocumentInfo>,
    /// The files checked together with this one (see [`crate::pairs`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    /// The report model as JSON ([`OrderedJson::of`] a
    /// [`crate::model::Report`]). Not read back from a dataset line (the
    /// line carries it as written).
    #[serde(skip_deserializing)]
    pub report: Option<OrderedJson>,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Another file of the batch that this one was checked together with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// Its path, as in its own record's `source.path`.
    pub path: String,
    /// What it is to this file.
    pub relation: Relation,
}

/// What a partner is to the file whose record names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The tables of this narrative (a 预算/决算 published as two files).
    Tables,
    /// The narrative of these tables.
    Narrative,
    /// The same body's document of the year before, of the same kind,
    /// that this one's changes against last year were checked against.
    PreviousYear,
    /// The same body's document of the year after, checked against this.
    NextYear,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub pages: Option<u32>,
    pub text_layer: Option<String>,
    /// The pages read by OCR and their mean confidence, when any were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrSummary>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Failed,
}

/// Why a file could not be read: always an ING code.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordError {
    pub code: Code,
    pub message: String,
    /// The failure was not the file's: the process auditing it was killed
    /// from outside (the operator, the system's out-of-memory killer), so
    /// the record must not be reused — `--resume` audits the file again.
    /// Written only when true.
    #[serde(default, skip_serializing_if = "is_false")]
    pub transient: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}
