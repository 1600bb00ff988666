//! What OCR read on a page without a text layer: the vocabulary ingestion,
//! the analysis and the record share.

use serde::{Deserialize, Serialize};

/// One page whose text came from OCR.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OcrPage {
    /// 1-based page number.
    pub page: u32,
    /// Mean confidence of the page's words (0–100, as Tesseract gives it),
    /// weighted by their characters, to one decimal.
    pub confidence: f64,
    /// Where the image came from: `embedded` (the page's own scanned image,
    /// decoded) or `rendered` (the page drawn by poppler's `pdftoppm`).
    pub image: String,
    /// The figures (words holding a digit) read with low confidence, as
    /// read: a finding that rests on one of them is never an error alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsure: Vec<String>,
    /// The page's text as other, independent readings give it (the image
    /// at other scales), then as the three readings' vote gives it (what
    /// two of them read alike); empty when there are none. A finding on an
    /// OCR'd page must hold on one of them too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternates: Vec<String>,
}

// Confidences are never NaN (they are rounded means of Tesseract's
// numbers, 0 when a page has no word), so equality is an equivalence.
impl Eq for OcrPage {}

/// A word whose confidence is below this is read with low confidence
/// (Tesseract gives real report text 85–97; misread digits often below 60).
pub const LOW_CONFIDENCE: f64 = 60.0;

/// The record's summary of a document's OCR (`source.ocr`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OcrSummary {
    /// The pages read by OCR, in order.
    pub pages: Vec<u32>,
    /// Mean confidence over those pages (weighted by page), to one decimal.
    pub confidence: f64,
}

impl OcrSummary {
    pub fn of(pages: &[OcrPage]) -> Option<OcrSummary> {
        if pages.is_empty() {
            return None;
        }
        let mean = pages.iter().map(|p| p.confidence).sum::<f64>() / pages.len() as f64;
        Some(OcrSummary {
            pages: pages.iter().map(|p| p.page).collect(),
            confidence: (mean * 10.0).round() / 10.0,
        })
    }
}
