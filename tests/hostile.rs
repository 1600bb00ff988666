//! The ingestion fixtures (`fixtures/ingest/`, made by
//! `scripts/make_fixtures.sh`, described in its README) audited by the real
//! binary in ONE run, as a reviewer would audit a folder mixing good
//! reports with everything else a bureau receives: one record per file,
//! sorted, each with its named outcome, exit status 0. The good files'
//! records are the same in that mixed batch as when audited alone.
//!
//! The text layer is jixiao's own (`src/pdftext/`): it reads the files
//! pdf-extract 0.12 cannot (a predefined Chinese CMap, a page without
//! MediaBox, a null font object, a form that draws itself — pdf-extract
//! panics on the first three and overflows its stack on the last), and
//! says what it could not read in `text_layer_problem` diagnostics.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const DIR: &str = "fixtures/ingest";

/// The excerpt's one deliberate error (fixtures/ingest/README.md):
/// 5864.18 + 4762.02 = 10626.20 ≠ 支出合计 10590.2.
const REPORT_FINDINGS: &[&str] = &["SUM001"];

/// What a record must say.
enum Expect {
    /// `status: ok`, read by the own text layer, with exactly these
    /// finding rules and these diagnostic kinds, in order.
    Audited {
        findings: &'static [&'static str],
        diagnostics: &'static [&'static str],
    },
    /// `status: failed` with this ING code, a message containing every
    /// one of `words`, no report and no findings.
    Failed {
        code: &'static str,
        words: &'static [&'static str],
    },
}

use Expect::{Audited, Failed};

/// Every file of fixtures/ingest/ and its outcome today.
const CASES: &[(&str, Expect)] = &[
    // No text and nothing drawn that could hold any: a readable, blank
    // file, not a scan (issue 15).
    (
        "blank.pdf",
        Audited {
            findings: &[],
            diagnostics: &["little_text"],
        },
    ),
    (
        "broken-xref.pdf",
        Audited {
            findings: REPORT_FINDINGS,
            diagnostics: &["repaired"],
        },
    ),
    (
        "cid-identity-h.pdf",
        Audited {
            findings: REPORT_FINDINGS,
            diagnostics: &[],
        },
    ),
    (
        "empty.pdf",
        Failed {
            code: "ING001",
            words: &["为空"],
        },
    ),
    (
        "html.pdf",
        Failed {
            code: "ING001",
            words: &["不是 PDF", "HTML"],
        },
    ),
    (
        "image.pdf",
        Failed {
            code: "ING001",
            words: &["不是 PDF", "PNG"],
        },
    ),
    // The text drawn with the null font is lost (U+FFFD, named); the rest
    // reads. The fallback is tried and pdf-extract panics (ObjectNotFound),
    // so the own layer's text stays.
    (
        "missing-font-object.pdf",
        Audited {
            findings: REPORT_FINDINGS,
            diagnostics: &["text_layer_problem", "text_layer_fallback"],
        },
    ),
    // The page defaults to A4 (pdf-extract panics: `.expect("MediaBox")`).
    (
        "no-mediabox.pdf",
        Audited {
            findings: REPORT_FINDINGS,
            diagnostics: &[],
        },
    ),
    (
        "office.pdf",
        Failed {
            code: "ING001",
            words: &["不是 PDF", "Office"],
        },
    ),
    (
        "owner-password.pdf",
        Audited {
            findings: REPORT_FINDINGS,
            diagnostics: &[],
        },
    ),
    (
        "report.pdf",
        Audited {
            findings: REPORT_FINDINGS,
            diagnostics: &[],
        },
    ),
    // A 50 dpi scan: below what OCR reads reliably, or, without
    // Tesseract, not read at all; either way the message says OCR.
    (
        "scanned.pdf",
        Failed {
            code: "ING003",
            words: &["OCR", "1 页"],
        },
    ),
    // The cycle is cut and named (pdf-extract recurses into the form until
    // the stack overflows and its process aborts).
    (
        "self-drawing-form.pdf",
        Audited {
            findings: REPORT_FINDINGS,
            diagnostics: &["text_layer_problem"],
        },
    ),
    // A non-embedded STSong with the predefined UniGB-UCS2-H CMap (pdf-extract
    // panics on every predefined CMap: "unsupported encoding").
    (
        "stsong-unigb-ucs2.pdf",
        Audited {
            findings: REPORT_FINDINGS,
            diagnostics: &[],
        },
    ),
    (
        "truncated.pdf",
        Failed {
            code: "ING001",
            words: &["损坏或不完整", "截断"],
        },
    ),
    (
        "user-password.pdf",
        Failed {
            code: "ING002",
            words: &["密码"],
        },
    ),
];

/// The files that read as reports: their records must not depend on what
/// else is in the batch.
const GOOD: &[&str] = &[
    "report.pdf",
    "owner-password.pdf",
    "broken-xref.pdf",
    "cid-identity-h.pdf",
    "missing-font-object.pdf",
    "no-mediabox.pdf",
    "self-drawing-form.pdf",
    "stsong-unigb-ucs2.pdf",
];

fn jixiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the jixiao binary runs")
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rel(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// The one mixed run: `jixiao audit fixtures/ingest --out TMP`.
struct Run {
    status: Option<i32>,
    stderr: String,
    /// Paths in the order of reports.jsonl.
    order: Vec<String>,
    /// Records by file name.
    records: BTreeMap<String, Value>,
}

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-mixed");
        let _ = std::fs::remove_dir_all(&out);
        let o = jixiao(&["audit", DIR, "--out", out.to_str().unwrap()]);
        let jsonl = std::fs::read_to_string(out.join("reports.jsonl")).unwrap_or_default();
        let mut order = Vec::new();
        let mut records = BTreeMap::new();
        for line in jsonl.lines() {
            let r: Value = serde_json::from_str(line).expect("each line is one JSON object");
            let path = r["source"]["path"].as_str().unwrap().to_string();
            let name = path.rsplit('/').next().unwrap().to_string();
            order.push(path);
            assert!(
                records.insert(name.clone(), r).is_none(),
                "two records for {name}"
            );
        }
        Run {
            status: o.status.code(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            order,
            records,
        }
    })
}

fn record(name: &str) -> &'static Value {
    let run = run();
    run.records
        .get(name)
        .unwrap_or_else(|| panic!("no record for {name}; stderr: {}", run.stderr))
}

fn rules(r: &Value) -> Vec<&str> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

fn diagnostic_kinds(r: &Value) -> Vec<&str> {
    r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect()
}

fn expectation(name: &str) -> &'static Expect {
    &CASES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("{name}: no expected outcome in CASES"))
        .1
}

/// Asserts the record of `name` against its entry in [`CASES`].
fn check(name: &str) {
    let r = record(name);
    let bytes = std::fs::metadata(manifest().join(rel(name))).unwrap().len();
    assert_eq!(r["source"]["path"], rel(name), "{r}");
    assert_eq!(r["source"]["bytes"], bytes, "{r}");
    assert_eq!(r["source"]["sha256"].as_str().unwrap().len(), 64, "{r}");
    match expectation(name) {
        Audited {
            findings,
            diagnostics,
        } => {
            assert_eq!(r["status"], "ok", "{name}: {r}");
            assert!(r["error"].is_null(), "{name}: {r}");
            assert_eq!(rules(r), *findings, "{name}: {r}");
            assert_eq!(r["source"]["pages"], 1, "{name}");
            assert_eq!(r["source"]["text_layer"], "pdftext", "{name}");
            assert_eq!(diagnostic_kinds(r), *diagnostics, "{name}: {r}");
            if *findings == REPORT_FINDINGS {
                the_excerpts_finding(name, &r["findings"][0]);
            }
        }
        Failed { code, words } => {
            assert_eq!(r["status"], "failed", "{name}: {r}");
            assert_eq!(r["error"]["code"], *code, "{name}: {r}");
            let message = r["error"]["message"].as_str().unwrap();
            assert!(message.starts_with(name), "names the file: {message}");
            for w in *words {
                assert!(message.contains(w), "{name}: {message:?} lacks {w:?}");
            }
            assert!(r["report"].is_null(), "{name}: {r}");
            assert_eq!(rules(r), Vec::<&str>::new(), "{name}");
        }
    }
}

/// The SUM001 of the excerpt: 支出合计 10590.2 万元 against 10626.20.
fn the_excerpts_finding(name: &str, f: &Value) {
    assert_eq!(f["rule"], "SUM001", "{name}: {f}");
    assert_eq!(f["severity"], "error", "{name}: {f}");
    let message = f["message"].as_str().unwrap();
    for w in ["支出合计", "10590.2", "10626.2"] {
        assert!(message.contains(w), "{name}: {message:?} lacks {w:?}");
    }
    let evidence = &f["evidence"][0];
    assert_eq!(evidence["page"], 1, "{name}: {f}");
    let quote = evidence["quote"].as_str().unwrap();
    assert!(
        quote.contains("项目支出4762.02万元"),
        "{name}: quote {quote:?}"
    );
}

#[test]
fn one_record_per_file_sorted_and_exit_0() {
    let run = run();
    assert_eq!(run.status, Some(0), "stderr: {}", run.stderr);
    let mut files: Vec<String> = std::fs::read_dir(manifest().join(DIR))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    files.sort();
    let expected: Vec<String> = files.iter().map(|n| rel(n)).collect();
    assert_eq!(run.order, expected, "one record per file, sorted by path");
    let mut cases: Vec<&str> = CASES.iter().map(|(n, _)| *n).collect();
    cases.sort();
    assert_eq!(cases, files, "every fixture has an expected outcome");
}

#[test]
fn every_fixture_gets_its_outcome() {
    // All at once, so that one message lists the first failing file; the
    // per-case tests below name each case on its own.
    for (name, _) in CASES {
        check(name);
    }
}

#[test]
fn report() {
    check("report.pdf");
}

#[test]
fn owner_password_opens_and_audits_like_the_plain_report() {
    check("owner-password.pdf");
    assert_eq!(
        record("owner-password.pdf")["findings"],
        record("report.pdf")["findings"]
    );
}

#[test]
fn user_password_is_ing002() {
    check("user-password.pdf");
}

#[test]
fn truncated_is_ing001() {
    check("truncated.pdf");
}

#[test]
fn broken_xref_is_repaired_and_audits_like_the_plain_report() {
    check("broken-xref.pdf");
    assert_eq!(
        record("broken-xref.pdf")["findings"],
        record("report.pdf")["findings"]
    );
}

#[test]
fn scanned_is_ing003() {
    check("scanned.pdf");
}

#[test]
fn blank_is_a_readable_empty_file() {
    check("blank.pdf");
}

#[test]
fn the_hand_written_control_audits() {
    check("cid-identity-h.pdf");
}

#[test]
fn no_mediabox_reads_as_an_a4_page() {
    check("no-mediabox.pdf");
}

#[test]
fn missing_font_object_costs_its_text_only() {
    check("missing-font-object.pdf");
}

#[test]
fn self_drawing_form_is_cut_at_the_cycle() {
    check("self-drawing-form.pdf");
}

#[test]
fn stsong_unigb_ucs2_reads() {
    check("stsong-unigb-ucs2.pdf");
}

#[test]
fn not_pdfs_are_ing001_and_named() {
    for name in ["empty.pdf", "html.pdf", "image.pdf", "office.pdf"] {
        check(name);
    }
}

/// The record of `name` audited on its own (`--json`).
fn alone(name: &str) -> Value {
    let o = jixiao(&["audit", &rel(name), "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("--json prints one record")
}

#[test]
fn good_records_are_the_same_alone_as_in_the_mixed_batch() {
    for name in GOOD {
        let mixed = record(name);
        assert_eq!(mixed["status"], "ok", "{name}: {mixed}");
        let alone = alone(name);
        assert_eq!(alone["findings"], mixed["findings"], "{name}: findings");
        assert_eq!(&alone, mixed, "{name}: the whole record");
    }
}

// The files the own text layer reads where pdf-extract could not are in
// GOOD: alone they give the same record as in the mixed batch, which
// `check` holds to the report's finding. A user-password file needs the
// reviewer's password to read as the report.

fn audits_like_the_report(name: &str, extra: &[&str]) {
    let mut args = vec!["audit".to_string(), rel(name), "--json".to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = jixiao(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["status"], "ok", "{name}: {r}");
    assert_eq!(rules(&r), REPORT_FINDINGS, "{name}: {r}");
    the_excerpts_finding(name, &r["findings"][0]);
}

#[test]
fn user_password_opens_with_password() {
    audits_like_the_report("user-password.pdf", &["--password", "jixiao2023"]);
}
