//! ING004: the text extractor failed or crashed on this file.
//!
//! ## What it checks
//! The PDF text extractor panicked, aborted (for example a stack overflow on a form that draws itself) or returned an error.
//!
//! ## Why it matters
//! One hostile file must cost one record, never the batch: extraction runs in a separate worker process, and its failure is recorded here.
//!
//! ## Example
//! A PDF whose font references a missing object makes the extractor panic → ING004 「PDF 文字提取失败」.
//!
//! Ingestion outcomes are decided in `crate::ingest`; this file holds the
//! rule's documentation.
