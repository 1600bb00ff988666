//! Findings: an inconsistency in the report itself (not a failure to read
//! it), with the statements that prove it.

use crate::model::code::{Code, Severity};
use serde::{Deserialize, Serialize};

/// An inconsistency in the report itself (not a failure to read it).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Code,
    pub severity: Severity,
    pub message: String,
    pub stated: Option<String>,
    pub expected: Option<String>,
    /// The primary evidence (the statement that is wrong) first, then the
    /// statements it disagrees with or was computed from.
    pub evidence: Vec<Evidence>,
    /// The finding rests on a page read by OCR (see [`crate::model::ocr`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr: bool,
}

/// Where a statement is: its page and the sentence that states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub page: Option<u32>,
    pub quote: String,
    /// The file the statement is in, when it is not the record's own: a
    /// partner document of a cross-document check (see [`crate::pairs`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The most characters one quote keeps.
pub const MAX_QUOTE_CHARS: usize = 400;

/// What ends a quote cut at [`MAX_QUOTE_CHARS`] (or at the cap on all the
/// quotes of one finding).
pub const QUOTE_CUT_MARKER: &str = "…（引文过长，已截断）";
