//! `audit --annotate` (issue 14): a copy of each PDF with findings in
//! `DIR/annotated/`, one annotation per finding on the finding's page — a
//! highlight whose rectangle lies over the figure, or a note where the
//! figure is not found — and the originals untouched. Read back with
//! lopdf; rendered with pdftoppm where poppler is installed (else that
//! part says it skipped).

mod common;

use jixiao::output::annotate::annotate;
use jixiao::record::Record;
use lopdf::{Document, Object};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jixiao-annotate-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const INPUTS: [&str; 3] = [
    "corpus/guangzhou-archives-2023-libreoffice.pdf",
    "fixtures/budget-pair/budget-2026-narrative-planted-libreoffice.pdf",
    "fixtures/budget-pair/budget-2026-tables-planted-libreoffice-calc.pdf",
];

fn sha(path: &Path) -> String {
    format!("{:x}", Sha256::digest(fs::read(path).unwrap()))
}

/// (subtype, rect) of each jixiao annotation, by page.
fn annotations(pdf: &Path) -> BTreeMap<u32, Vec<(String, [f32; 4])>> {
    let doc = Document::load(pdf).unwrap();
    let mut out = BTreeMap::new();
    for (n, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).unwrap();
        let annots = match page.get(b"Annots") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(Object::Reference(r)) => doc.get_object(*r).unwrap().as_array().unwrap().clone(),
            _ => continue,
        };
        for a in annots {
            let d = doc.dereference(&a).unwrap().1.as_dict().unwrap().clone();
            let subtype =
                String::from_utf8_lossy(d.get(b"Subtype").unwrap().as_name().unwrap()).into_owned();
            let rect: Vec<f32> = d
                .get(b"Rect")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_float().unwrap())
                .collect();
            out.entry(n)
                .or_insert_with(Vec::new)
                .push((subtype, [rect[0], rect[1], rect[2], rect[3]]));
        }
    }
    out
}

#[test]
fn each_finding_is_annotated_on_its_page_and_the_originals_are_untouched() {
    let input = scratch("in");
    for p in INPUTS {
        fs::copy(
            root().join(p),
            input.join(Path::new(p).file_name().unwrap()),
        )
        .unwrap();
    }
    let before: Vec<String> = INPUTS
        .iter()
        .map(|p| sha(&input.join(Path::new(p).file_name().unwrap())))
        .collect();
    let out = scratch("out");
    common::audit_into(&out, &["--annotate"], &input);
    let records: Vec<Record> = fs::read_to_string(out.join("reports.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut highlights = 0;
    for r in &records {
        let name = Path::new(&r.source.path).file_name().unwrap();
        let copy = out.join("annotated").join(name);
        // Findings by the page of their first evidence in this file.
        let mut expected: BTreeMap<u32, usize> = BTreeMap::new();
        for f in &r.findings {
            if let Some(p) = f
                .evidence
                .iter()
                .find(|e| e.source.is_none())
                .and_then(|e| e.page)
            {
                *expected.entry(p).or_default() += 1;
            }
        }
        if expected.is_empty() {
            assert!(!copy.exists(), "{}: no finding, no copy", r.source.path);
            continue;
        }
        let got = annotations(&copy);
        let counts: BTreeMap<u32, usize> = got.iter().map(|(p, a)| (*p, a.len())).collect();
        assert_eq!(counts, expected, "{}", r.source.path);
        let doc = Document::load(&copy).unwrap();
        for (page, annots) in &got {
            let id = doc.get_pages()[page];
            let media: Vec<f32> = doc
                .get_dictionary(id)
                .unwrap()
                .get(b"MediaBox")
                .map(|m| {
                    m.as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_float().unwrap())
                        .collect()
                })
                .unwrap_or_else(|_| vec![0.0, 0.0, 595.0, 842.0]);
            for (subtype, [x0, y0, x1, y1]) in annots {
                assert!(x1 > x0 && y1 > y0, "{subtype} rect");
                assert!(*x0 >= media[0] && *x1 <= media[2] && *y0 >= media[1] && *y1 <= media[3]);
                if subtype == "Highlight" {
                    highlights += 1;
                    // A figure's height: a line of text, not a block.
                    assert!(y1 - y0 < 30.0, "{} p{page}: {y0}..{y1}", r.source.path);
                }
            }
        }
    }
    assert!(highlights >= 8, "the figures were found: {highlights}");
    // The report's page of a file with a copy links to it.
    let copies = fs::read_dir(out.join("annotated")).unwrap().count();
    let linked = fs::read_dir(out.join("report/docs"))
        .unwrap()
        .filter(|e| {
            fs::read_to_string(e.as_ref().unwrap().path())
                .unwrap()
                .contains("打开标注副本")
        })
        .count();
    assert_eq!((copies, linked), (2, 2));
    for (p, b) in INPUTS.iter().zip(&before) {
        assert_eq!(
            &sha(&input.join(Path::new(p).file_name().unwrap())),
            b,
            "{p} untouched"
        );
    }

    // Rendered as a reviewer's viewer would.
    let copy = out.join("annotated/budget-2026-narrative-planted-libreoffice.pdf");
    match Command::new("pdftoppm")
        .args(["-f", "1", "-l", "1", "-r", "40", "-png"])
        .arg(&copy)
        .arg(out.join("page"))
        .output()
    {
        Ok(o) if o.status.success() => {
            let png = fs::read_dir(&out)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|e| e == "png"))
                .expect("a rendered page");
            assert!(fs::metadata(png).unwrap().len() > 1000);
        }
        _ => eprintln!(
            "skipped: pdftoppm (poppler-utils) is not installed, the copy was not rendered"
        ),
    }

    // A file changed since its audit is not annotated: a diagnostic says why.
    let r = records
        .iter()
        .find(|r| !r.findings.is_empty())
        .unwrap()
        .clone();
    let mut changed = r.clone();
    changed.source.sha256 = "0".repeat(64);
    let outcome = annotate(&changed, &scratch("changed"), "x.pdf");
    assert!(outcome.written.is_none());
    assert!(outcome.diagnostics[0]
        .message
        .contains("文件在检查后已被改动"));
    let _ = fs::remove_dir_all(&out);
    let _ = fs::remove_dir_all(&input);
}

#[test]
fn a_second_run_over_a_folder_holding_its_out_folder_does_not_audit_its_copies() {
    let input = scratch("nested");
    fs::copy(root().join(INPUTS[0]), input.join("a.pdf")).unwrap();
    let out = input.join("out");
    let run = || {
        common::audit_into(&out, &["--annotate"], &input);
        fs::read_to_string(out.join("reports.jsonl"))
            .unwrap()
            .lines()
            .count()
    };
    assert_eq!(run(), 1);
    assert!(out.join("annotated/a.pdf").is_file());
    assert_eq!(run(), 1, "out/annotated/a.pdf is an output, not an input");
    let copies: Vec<_> = fs::read_dir(out.join("annotated")).unwrap().collect();
    assert_eq!(copies.len(), 1);
    let _ = fs::remove_dir_all(&input);
}
