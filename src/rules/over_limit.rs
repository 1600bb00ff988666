//! ING005: the file is over the size or time limit.
//!
//! ## What it checks
//! The file is larger than the size limit, or its extraction ran past the time limit and was stopped.
//!
//! ## Why it matters
//! A decompression bomb or a pathological file must not hold up a batch of thousands of reports.
//!
//! ## Example
//! A 2 GB PDF, or one whose extraction runs for minutes → ING005 「文件超出大小或时间限制」.
//!
//! Ingestion outcomes are decided in `crate::ingest`; this file holds the
//! rule's documentation.
