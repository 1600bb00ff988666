//! The text layer (`jixiao::pdftext`) on any bytes lopdf loads: every page
//! read, whatever the document holds. lopdf's own failures (and panics)
//! are not findings here; a panic, a stack overflow, an endless loop or an
//! allocation past libFuzzer's limit in the text layer is.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lopdf::{Document, LoadOptions};
use std::panic::{catch_unwind, AssertUnwindSafe};

fuzz_target!(|data: &[u8]| {
    jixiao_fuzz::only_own_panics_crash();
    // The bound ingestion loads documents with (a quarter of the worker's
    // default memory limit).
    let options = LoadOptions {
        max_decompressed_size: Some(512 << 20),
        ..LoadOptions::default()
    };
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(data, options)
    }));
    if let Ok(Ok(doc)) = loaded {
        let _ = jixiao::pdftext::extract_pages(&doc);
    }
});
