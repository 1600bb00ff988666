//! ING003: the PDF has no usable text layer; OCR is needed.
//!
//! ## What it checks
//! The pages carry no text that can be read: scanned images only, fonts without a Unicode mapping, or text that fails the quality gate (control characters, replacement characters, implausible characters).
//!
//! ## Why it matters
//! An extractor returns empty or garbage text for such files without any error; trusting it would mark an unread report as clean.
//!
//! ## Example
//! A report printed and scanned into PDF → ING003 「未能从 PDF 中读取到可用文字（可能为扫描件）」.
//!
//! Ingestion outcomes are decided in `crate::ingest`; this file holds the
//! rule's documentation.
