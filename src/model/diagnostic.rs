//! What the pipeline saw but could not use, so a reviewer knows what was
//! not checked.

use serde::{Deserialize, Serialize};

/// A stable kind of diagnostic, written in snake case in the dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// A number glued to its neighbour by the PDF (`10583.699.94%`): not
    /// split by guessing, so not read.
    GluedNumber,
    /// A 分别 list whose names and figures cannot be matched one to one.
    UnmatchedList,
    /// A table (or its lines) that could not be read.
    UnreadTable,
    /// A page without text.
    EmptyPage,
    /// A page whose text fails the quality check.
    LowQualityPage,
    /// Something the text layer could not read (a font, a glyph), with its
    /// pages.
    TextLayerProblem,
    /// Why the file was read again with the fallback extractor.
    TextLayerFallback,
    /// The page tree and the pages read disagree in number.
    PageCountMismatch,
    /// The PDF was damaged and read after repair.
    Repaired,
    /// A cap on what one record holds was reached: findings per document,
    /// or quoted text per finding (see [`crate::analyze`]).
    OutputCapped,
    /// One quantity read with three or more different values: the reading
    /// took different quantities for one, so none of them is compared.
    UnconfirmedQuantity,
    /// A 科目 table whose sums fail too often for its reading to be
    /// trusted: nothing in it is reported.
    UnconfirmedTable,
    /// A cross-document check that could not be made: the batch holds
    /// several candidate partners, or a partner could not be read again.
    UnpairedDocument,
    /// `--annotate`: the file, or a finding on one of its pages, could not
    /// be annotated.
    NotAnnotated,
    /// A readable file with little or no text (and no scanned page): short,
    /// or blank.
    LittleText,
    /// A page that shows a scan (or text drawn as outlines) could not be
    /// read by OCR: OCR is not installed, or failed on it.
    OcrFailed,
    /// A finding on a page read by OCR that the second, independent reading
    /// of the page does not prove: not reported.
    UnconfirmedOcr,
}

impl DiagnosticKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::GluedNumber => "glued_number",
            DiagnosticKind::UnmatchedList => "unmatched_list",
            DiagnosticKind::UnreadTable => "unread_table",
            DiagnosticKind::EmptyPage => "empty_page",
            DiagnosticKind::LowQualityPage => "low_quality_page",
            DiagnosticKind::TextLayerProblem => "text_layer_problem",
            DiagnosticKind::TextLayerFallback => "text_layer_fallback",
            DiagnosticKind::PageCountMismatch => "page_count_mismatch",
            DiagnosticKind::Repaired => "repaired",
            DiagnosticKind::OutputCapped => "output_capped",
            DiagnosticKind::UnconfirmedQuantity => "unconfirmed_quantity",
            DiagnosticKind::UnconfirmedTable => "unconfirmed_table",
            DiagnosticKind::UnpairedDocument => "unpaired_document",
            DiagnosticKind::NotAnnotated => "not_annotated",
            DiagnosticKind::LittleText => "little_text",
            DiagnosticKind::OcrFailed => "ocr_failed",
            DiagnosticKind::UnconfirmedOcr => "unconfirmed_ocr",
        }
    }
}

/// Something the pipeline saw but could not use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub page: Option<u32>,
    /// In Chinese, for the reviewer: what was not checked, and why.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::DiagnosticKind;

    #[test]
    fn kinds_serialize_as_their_names() {
        for k in [
            DiagnosticKind::GluedNumber,
            DiagnosticKind::UnmatchedList,
            DiagnosticKind::UnreadTable,
            DiagnosticKind::EmptyPage,
            DiagnosticKind::LowQualityPage,
            DiagnosticKind::TextLayerProblem,
            DiagnosticKind::TextLayerFallback,
            DiagnosticKind::PageCountMismatch,
            DiagnosticKind::Repaired,
            DiagnosticKind::OutputCapped,
            DiagnosticKind::UnconfirmedQuantity,
            DiagnosticKind::UnconfirmedTable,
            DiagnosticKind::UnpairedDocument,
            DiagnosticKind::NotAnnotated,
            DiagnosticKind::LittleText,
            DiagnosticKind::OcrFailed,
            DiagnosticKind::UnconfirmedOcr,
        ] {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(serde_json::from_str::<DiagnosticKind>(&json).unwrap(), k);
        }
    }
}
