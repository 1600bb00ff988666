//! Prints the text jixiao's own text layer reads from a PDF, page by page,
//! or with `--normalized` the document's text as the analysis reads it
//! (one paragraph or table row per line); a `.txt` report is printed as
//! normalized text:
//! `cargo run --release --example pagetext -- [--normalized] FILE.pdf|FILE.txt [PAGE]`.

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let normalized = args.next_if(|a| a == "--normalized").is_some();
    // Through ingestion (OCR of scanned pages included), not the text layer
    // alone.
    let ingested = args.next_if(|a| a == "--ingested").is_some();
    let Some(path) = args.next() else {
        eprintln!("usage: pagetext [--normalized] [--ingested] FILE.pdf [PAGE]");
        std::process::exit(2);
    };
    let only: Option<u32> = args.next().and_then(|p| p.parse().ok());
    if path.ends_with(".txt") || ingested {
        // A text report, or any file as ingestion reads it: the lines the
        // analysis reads, after normalization (raw pages without
        // --normalized, for a PDF).
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        });
        let opts = jixiao::ingest::IngestOptions::default();
        match jixiao::ingest::ingest(std::path::Path::new(&path), &bytes, &opts) {
            Ok(pages) if normalized || path.ends_with(".txt") => {
                println!("{}", jixiao::normalize::normalize(&pages).text)
            }
            Ok(pages) => {
                for (i, p) in pages.pages.iter().enumerate() {
                    if only.is_none_or(|n| n as usize == i + 1) {
                        println!("=== page {}\n{p}", i + 1);
                    }
                }
            }
            Err(e) => eprintln!("{path}: {e}"),
        }
        return;
    }
    let doc = match lopdf::Document::load(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    match jixiao::pdftext::extract_pages(&doc) {
        Ok(pages) if normalized => {
            let pages = jixiao::ingest::Pages {
                pages: pages.into_iter().map(|p| p.text).collect(),
                text_layer: "pdftext".into(),
                rows: Vec::new(),
                diagnostics: Vec::new(),
                ocr: Vec::new(),
            };
            println!("{}", jixiao::normalize::normalize(&pages).text);
        }
        Ok(pages) => {
            for p in pages.iter().filter(|p| only.is_none_or(|n| n == p.number)) {
                println!("=== page {}", p.number);
                println!("{}", p.text);
                for why in &p.problems {
                    println!("!!! {why}");
                }
            }
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
