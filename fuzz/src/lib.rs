//! What the fuzz targets share: a panic is a finding only when it is
//! jixiao's own.
//!
//! libFuzzer counts every panic as a crash, and libfuzzer-sys aborts at
//! the first one, before any `catch_unwind` can see it. But jixiao catches
//! the panics of the libraries it reads PDFs with (lopdf, pdf-extract —
//! damaged files make them panic, and each becomes a failed record), so
//! those are expected here; a panic raised in jixiao's own code (its text
//! layer, its analysis) is a bug, and stays a crash.

use std::sync::Once;

/// Lets a panic raised in a dependency (its source under the cargo
/// registry) unwind to jixiao's `catch_unwind`, silently; any other panic
/// prints its message and aborts, for libFuzzer to report. Call it at the
/// start of each run of a target (it installs the hook once).
pub fn only_own_panics_crash() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let third_party = info.location().is_some_and(|l| {
                let file = l.file();
                file.contains("/.cargo/registry/") || file.contains("\\.cargo\\registry\\")
            });
            if !third_party {
                default(info);
                std::process::abort();
            }
        }));
    });
}
