//! ING001: the file is not a readable PDF.
//!
//! ## What it checks
//! The file is empty, is not a PDF at all (an HTML page, an image or an Office file renamed to `.pdf`), is truncated, or is corrupt beyond repair.
//!
//! ## Why it matters
//! A reviewer who sees no record for a file assumes it was checked. Naming the cause tells the submitting unit what to send again.
//!
//! ## Example
//! `report.pdf` of 0 bytes, or an HTML error page saved as `report.pdf` → ING001 「文件不是可读取的 PDF：文件为空」.
//!
//! Ingestion outcomes are decided in `crate::ingest`; this file holds the
//! rule's documentation.
