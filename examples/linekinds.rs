//! Where the page geometry and normalize's heuristics disagree about what a
//! line is: each PDF is read as the audit reads it (own text layer, with
//! its fallback), normalized with the ruled rows the text layer found and
//! again without them, and every line where they differ is printed as
//! `FILE:PAGE:LINE` (LINE counts the normalized text's lines from 1), what
//! differs, both kinds and the line's text. What differs is `kind` (the
//! ruling makes the line another kind than the heuristics do), `cells`
//! (both make it a row or both a header, with other cells) or `joined`
//! (the heuristics joined a ruled row with other lines, so the line has
//! the heuristics' kind). With `--all`, every line is printed.
//!
//! `cargo run --release --example linekinds -- [--all] FILE.pdf|DIR...`

use jixiao::ingest::{ingest, IngestOptions, Pages};
use jixiao::normalize::{normalize, KindSource, LineInfo, LineKind, Text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Lines with a ruled row, and the lines where the two readings differ, by
/// what differs.
#[derive(Default)]
struct Tally {
    ruled: usize,
    differ: BTreeMap<&'static str, usize>,
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.first().is_some_and(|a| a == "--all");
    if all {
        args.remove(0);
    }
    if args.is_empty() {
        eprintln!("usage: linekinds [--all] FILE.pdf|DIR...");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for a in &args {
        collect(Path::new(a), &mut files);
    }
    files.sort();
    let mut tally = Tally::default();
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        match ingest(f, &bytes, &IngestOptions::default()) {
            Ok(pages) => compare(f, &pages, all, &mut tally),
            Err(e) => eprintln!("{}: {e}", f.display()),
        }
    }
    eprintln!(
        "{} files, {} lines with a ruled row; they differ: {:?}",
        files.len(),
        tally.ruled,
        tally.differ
    );
}

/// Normalizes with and without the ruled rows and prints the lines where
/// the kinds differ (every line with `all`).
fn compare(f: &Path, pages: &Pages, all: bool, tally: &mut Tally) {
    let with = normalize(pages);
    let without = normalize(&Pages {
        text_layer: pages.text_layer.as_str().into(),
        rows: Vec::new(),
        ..pages.clone()
    });
    assert_eq!(with.text, without.text, "{}: the text changed", f.display());
    for (i, (w, s)) in with.lines.iter().zip(&without.lines).enumerate() {
        if w.source != KindSource::Shape {
            tally.ruled += 1;
        }
        let differs = match w.source {
            KindSource::Ruling if w.kind == s.kind => "",
            KindSource::Ruling
                if std::mem::discriminant(&w.kind) == std::mem::discriminant(&s.kind) =>
            {
                "cells"
            }
            KindSource::Ruling => "kind",
            KindSource::JoinedRuling => "joined",
            KindSource::Shape => "",
        };
        if !differs.is_empty() {
            *tally.differ.entry(differs).or_default() += 1;
        }
        if all || !differs.is_empty() {
            let page = with.page_at(w.span.start);
            println!(
                "{}:{page}:{}\t{differs}\t{}\tshape: {}\t{}",
                f.display(),
                i + 1,
                describe(&with, w),
                describe(&without, s),
                &with.text[w.span.clone()]
            );
        }
    }
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap().flatten() {
            collect(&e.path(), out);
        }
    } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
        out.push(p.to_path_buf());
    }
}

/// `Row[a|b|c]` with the cells' text, `Header[…]`, `Prose`, `Heading`, and
/// the source when it is not the shape.
fn describe(text: &Text, l: &LineInfo) -> String {
    let cells = |r: &[std::ops::Range<usize>]| {
        r.iter()
            .map(|c| &text.text[c.clone()])
            .collect::<Vec<_>>()
            .join("|")
    };
    let kind = match &l.kind {
        LineKind::Prose => "Prose".to_string(),
        LineKind::Heading => "Heading".to_string(),
        LineKind::Row { cells: c } => format!("Row[{}]", cells(c)),
        LineKind::Header { columns } => format!("Header[{}]", cells(columns)),
    };
    match l.source {
        KindSource::Shape => kind,
        KindSource::Ruling => format!("ruling: {kind}"),
        KindSource::JoinedRuling => format!("joined ruled rows: {kind}"),
    }
}
