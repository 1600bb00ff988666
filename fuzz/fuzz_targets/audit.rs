//! A file's whole audit in process, as a worker runs it: ingestion (both
//! text layers, the quality gate, every ING code) and the analysis of the
//! pages (normalize, segment, read, assemble, check, the findings as
//! JSON), on the bytes as a `.pdf` and as a `.txt`. Each must end in an
//! audit or an `IngestError` whose message is Chinese; a panic in jixiao's
//! own code is a finding (pdf-extract's and lopdf's are caught, as in a
//! batch).

#![no_main]

use jixiao::ingest::{IngestOptions, Ingester};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    jixiao_fuzz::only_own_panics_crash();
    // No worker: everything runs here, where libFuzzer sees it.
    let ingester = Ingester::new(IngestOptions::default());
    for name in ["x.pdf", "x.txt"] {
        match ingester.audit(Path::new(name), data, &jixiao::worker::analysis_json) {
            Ok(audited) => {
                let json = audited.analysis.expect("the analysis does not panic");
                jixiao::worker::decode(&json).expect("the analysis reads back");
            }
            Err(e) => assert!(
                e.message.chars().any(jixiao::ingest::is_han),
                "{}: {}",
                e.code,
                e.message
            ),
        }
    }
});
