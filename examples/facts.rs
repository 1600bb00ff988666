//! Prints what the readers read from a document — each fact with its page,
//! kind, label, value and the line it stands in — and, with `--quantities`,
//! every quantity of the report model stated more than once, with each
//! statement's page and line: for whoever debugs why a figure was read as
//! it was.
//! `cargo run --release --example facts -- [--quantities] FILE.pdf|FILE.txt`.

use jixiao::ingest::{ingest, IngestOptions};
use jixiao::model::{Quantity, Report};
use jixiao::normalize::{normalize, Text};
use jixiao::segment::segment;
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let quantities = args.next_if(|a| a == "--quantities").is_some();
    let Some(path) = args.next() else {
        eprintln!("usage: facts [--quantities] FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let pages = ingest(Path::new(&path), &bytes, &IngestOptions::default()).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let text = normalize(&pages);
    let seg = segment(&text.text);
    let readings = jixiao::read::read(&text.text, &seg, &text.lines);
    if !quantities {
        for f in &readings.facts {
            let para = &seg.paragraphs[f.paragraph];
            println!(
                "p{} {:?} [{}] {} {:?} | {}",
                text.page_at(f.span.start),
                f.kind,
                f.label,
                f.value.map(|v| v.to_string()).unwrap_or_default(),
                f.column,
                &text.text[para.span.clone()]
            );
        }
        return;
    }
    let report = jixiao::assemble::assemble(&text.text, &seg, &text.lines, &readings);
    for (name, q) in stated_twice(&report) {
        println!("== {name}");
        for s in &q.statements {
            println!(
                "  p{} {} | {}",
                text.page_at(s.span.start),
                s.display(),
                line_of(&text, s.span.start)
            );
        }
    }
}

/// The line of the text that holds byte `at`.
fn line_of(text: &Text, at: usize) -> &str {
    let start = text.text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text.text[at..]
        .find('\n')
        .map_or(text.text.len(), |i| at + i);
    &text.text[start..end]
}

/// The quantities of the model with more than one statement.
fn stated_twice(r: &Report) -> Vec<(String, &Quantity)> {
    let mut out: Vec<(String, &Quantity)> = vec![
        ("收入合计".into(), &r.income.total),
        ("支出合计".into(), &r.expenditure.total),
        ("预算数".into(), &r.budget),
        ("执行数".into(), &r.executed),
        ("执行率".into(), &r.execution_rate_percent),
        ("总得分".into(), &r.evaluation.total_score),
        ("总分值".into(), &r.evaluation.total_points),
    ];
    for (split, items) in [("收入", &r.income.items), ("支出", &r.expenditure.items)] {
        for i in items {
            out.push((format!("{split}/{}金额", i.name), &i.amount));
            out.push((format!("{split}/{}占比", i.name), &i.share_percent));
        }
    }
    for ind in &r.evaluation.indicators {
        out.push((format!("{}分值", ind.name), &ind.points));
        out.push((format!("{}得分", ind.name), &ind.score));
    }
    out.retain(|(_, q)| q.statements.len() > 1);
    out
}
