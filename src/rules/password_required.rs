//! ING002: the PDF needs a user password to open.
//!
//! ## What it checks
//! The PDF is encrypted with a user (open) password that was not given. PDFs that only carry an owner password (print or copy restrictions) open normally and are audited.
//!
//! ## Why it matters
//! Nothing in an encrypted file can be read without its password; the unit must send an unprotected copy, or the reviewer must supply the password.
//!
//! ## Example
//! A report saved with "打开密码" → ING002 「PDF 需要打开密码」.
//!
//! Ingestion outcomes are decided in `crate::ingest`; this file holds the
//! rule's documentation.
