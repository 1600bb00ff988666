//! `report/`: the HTML report a reviewer opens from the file system — no
//! server, no network (styles, script and charts are inline).
//!
//! - `report/index.html`: the batch at a glance (files by status, findings
//!   by severity; bar charts of findings per rule, per organization and of
//!   the reasons files could not be read), and the table of documents,
//!   sortable by any column and filtered by rule, severity, status, kind,
//!   organization and text; the filter state is in the URL (`#rule=SCR001`),
//!   so a link shows what its sender saw.
//! - `report/docs/NNNNN.html`, one per input file in the dataset's order:
//!   each finding with its Chinese message, the stated and expected
//!   figures, and its evidence — the page as a link that opens the PDF
//!   there (`file.pdf#page=N`, relative to the page, so the folder can be
//!   moved with its inputs), the quote with its figures marked — and what
//!   could not be checked, and why.
//!
//! Every string from a PDF or a file name is escaped by the template
//! engine (minijinja, HTML auto-escaping); numbers and links are built
//! here, links from the paths only.

use super::links::{absolute, finding_figures, plain_number, relative};
use super::summary::Summary;
use crate::batch::file_name;
use crate::record::{Record, Relation, Severity, Status};
use minijinja::value::{Serde, Value};
use minijinja::{context, Environment};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CSS: &str = include_str!("html/style.css");
const JS: &str = include_str!("html/index.js");

/// The templates, compiled once.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.add_template("index.html", include_str!("html/index.html"))
        .expect("the index template parses");
    env.add_template("document.html", include_str!("html/document.html"))
        .expect("the document template parses");
    env
}

/// One row of the documents table (and the head of its page).
#[derive(Serialize)]
struct DocRow {
    page: String,
    name: String,
    path: String,
    href: String,
    status: &'static str,
    error_code: String,
    error_message: String,
    kind: &'static str,
    kind_label: &'static str,
    org: String,
    year: String,
    pages: String,
    text_layer: String,
    /// A link to the annotated copy, where there is one.
    annotated: String,
    errors: usize,
    warnings: usize,
    notices: usize,
    /// The rule codes of its findings, space-separated, in code order.
    rules: String,
    /// The severities it has, space-separated.
    sevs: String,
    /// What the text filter searches: name, organization, messages.
    search: String,
}

#[derive(Serialize)]
struct Part {
    text: String,
    mark: bool,
}

#[derive(Serialize)]
struct EvidenceView {
    place: String,
    href: String,
    parts: Vec<Part>,
}

#[derive(Serialize)]
struct FindingView {
    rule: String,
    severity: &'static str,
    severity_label: &'static str,
    message: String,
    stated: String,
    expected: String,
    evidence: Vec<EvidenceView>,
}

#[derive(Serialize)]
struct DiagnosticView {
    page: Option<u32>,
    message: String,
}

#[derive(Serialize)]
struct PartnerView {
    relation: &'static str,
    path: String,
    href: String,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    short: String,
    value: usize,
    width: usize,
    y: usize,
    fail: bool,
}

#[derive(Serialize)]
struct Chart {
    title: &'static str,
    height: usize,
    bars: Vec<Bar>,
}

/// The report being built: a page per record as it comes, the index at
/// the end.
pub struct Report {
    env: Environment<'static>,
    /// `report/` (absolute), for the links.
    dir: PathBuf,
    rows: Vec<DocRow>,
    by_rule: BTreeMap<String, usize>,
    by_org: BTreeMap<String, usize>,
    by_failure: BTreeMap<String, usize>,
}

/// What [`Report::add`] gives: the page's file name under `docs/` and
/// its HTML.
pub struct Page {
    pub name: String,
    pub html: String,
}

impl Report {
    /// A report to be written into `dir` (`DIR/report`).
    pub fn new(dir: &Path) -> Report {
        Report {
            env: environment(),
            dir: absolute(dir),
            rows: Vec::new(),
            by_rule: BTreeMap::new(),
            by_org: BTreeMap::new(),
            by_failure: BTreeMap::new(),
        }
    }

    /// Adds a record; returns its page. `annotated`: the annotated copy
    /// of its PDF, where there is one.
    pub fn add(
        &mut self,
        record: &Record,
        annotated: Option<&Path>,
    ) -> Result<Page, minijinja::Error> {
        let n = self.rows.len();
        let page = format!("{:05}.html", n + 1);
        let docs = self.dir.join("docs");
        let pdf = absolute(Path::new(&record.source.path));
        let href = |from: &Path, page: Option<u32>| {
            let rel = relative(from, &pdf);
            link(&rel, page)
        };
        let count = |s: Severity| record.findings.iter().filter(|f| f.severity == s).count();
        let mut rules: Vec<&str> = record.findings.iter().map(|f| f.rule.as_str()).collect();
        rules.sort_unstable();
        rules.dedup();
        let mut sevs: Vec<&str> = record
            .findings
            .iter()
            .map(|f| f.severity.as_str())
            .collect();
        sevs.sort_unstable();
        sevs.dedup();
        let doc = record.document.as_ref();
        let org = doc.and_then(|d| d.organization.clone()).unwrap_or_default();
        let name = file_name(Path::new(&record.source.path));
        let search = std::iter::once(record.source.path.as_str())
            .chain(std::iter::once(org.as_str()))
            .chain(record.findings.iter().map(|f| f.message.as_str()))
            .collect::<Vec<_>>()
            .join(" ");
        let row = DocRow {
            page: page.clone(),
            name,
            path: record.source.path.clone(),
            href: href(&docs, None),
            status: match record.status {
                Status::Ok => "ok",
                Status::Failed => "failed",
            },
            error_code: record
                .error
                .as_ref()
                .map_or(String::new(), |e| e.code.to_string()),
            error_message: record
                .error
                .as_ref()
                .map_or(String::new(), |e| e.message.clone()),
            kind: doc.map_or("", |d| d.kind.as_str()),
            kind_label: doc.map_or("", |d| d.kind.chinese()),
            org: org.clone(),
            year: doc
                .and_then(|d| d.year)
                .map_or(String::new(), |y| y.to_string()),
            pages: record.source.pages.map_or(String::new(), |p| p.to_string()),
            text_layer: record.source.text_layer.clone().unwrap_or_default(),
            annotated: annotated.map_or(String::new(), |a| {
                link(&relative(&docs, &absolute(a)), None)
            }),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notices: count(Severity::Notice),
            rules: rules.join(" "),
            sevs: sevs.join(" "),
            search,
        };
        for f in &record.findings {
            *self.by_rule.entry(f.rule.to_string()).or_default() += 1;
        }
        if !record.findings.is_empty() {
            let org = if org.is_empty() {
                "（未识别单位）".to_string()
            } else {
                org
            };
            *self.by_org.entry(org).or_default() += record.findings.len();
        }
        if let Some(e) = &record.error {
            *self.by_failure.entry(e.code.to_string()).or_default() += 1;
        }
        let findings: Vec<FindingView> = record
            .findings
            .iter()
            .map(|f| finding_view(f, &record.source.path, &docs))
            .collect();
        let diagnostics: Vec<DiagnosticView> = record
            .diagnostics
            .iter()
            .map(|d| DiagnosticView {
                page: d.page,
                message: d.message.clone(),
            })
            .collect();
        let partners: Vec<PartnerView> = record
            .partners
            .iter()
            .map(|p| PartnerView {
                relation: match p.relation {
                    Relation::Tables => "其公开表",
                    Relation::Narrative => "其情况说明",
                    Relation::PreviousYear => "上年文件",
                    Relation::NextYear => "下一年文件",
                },
                path: p.path.clone(),
                href: link(&relative(&docs, &absolute(Path::new(&p.path))), None),
            })
            .collect();
        let html = self.env.get_template("document.html")?.render(context! {
            css => CSS,
            d => context! {
                findings => Serde(&findings),
                diagnostics => Serde(&diagnostics),
                partners => Serde(&partners),
                ..Value::from(Serde(&row))
            },
        })?;
        self.rows.push(row);
        Ok(Page { name: page, html })
    }

    /// The index page, from every record added and the run's summary.
    pub fn index(&self, s: &Summary) -> Result<String, minijinja::Error> {
        let with_findings = self
            .rows
            .iter()
            .filter(|r| r.status == "ok" && r.errors + r.warnings + r.notices > 0)
            .count();
        let mut orgs: Vec<String> = self
            .rows
            .iter()
            .filter(|r| !r.org.is_empty())
            .map(|r| r.org.clone())
            .collect();
        orgs.sort_unstable();
        orgs.dedup();
        let mut kinds: Vec<(&str, &str)> = self
            .rows
            .iter()
            .filter(|r| !r.kind.is_empty())
            .map(|r| (r.kind, r.kind_label))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        let rules: Vec<_> = self
            .by_rule
            .iter()
            .map(|(code, n)| context! { code => code, count => n })
            .collect();
        let mut by_org: Vec<(String, usize)> = self.by_org.clone().into_iter().collect();
        by_org.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        by_org.truncate(15);
        let charts = [
            chart(
                "每条规则的问题数",
                self.by_rule.clone().into_iter().collect(),
                false,
            ),
            chart("问题最多的单位（前 15）", by_org, false),
            chart(
                "未能读取的原因",
                self.by_failure.clone().into_iter().collect(),
                true,
            ),
        ];
        self.env.get_template("index.html")?.render(context! {
            css => CSS,
            js => JS,
            s => context! {
                files => s.files,
                ok => s.status.ok,
                failed => s.status.failed,
                with_findings => with_findings,
                errors => s.findings.by_severity.error,
                warnings => s.findings.by_severity.warning,
                notices => s.findings.by_severity.notice,
            },
            charts => Serde(&charts),
            rules => rules,
            kinds => kinds.iter().map(|&(v, l)| context! { value => v, label => l }).collect::<Vec<_>>(),
            orgs => orgs,
            docs => Serde(&self.rows),
        })
    }
}

/// A finding as its card shows it: links from the page folder `docs` to
/// the file of each statement (`own`: the record's file).
fn finding_view(f: &crate::model::Finding, own: &str, docs: &Path) -> FindingView {
    let marks = finding_figures(f);
    let evidence = f
        .evidence
        .iter()
        .map(|e| {
            let file = e.source.as_deref().unwrap_or(own);
            let target = relative(docs, &absolute(Path::new(file)));
            let other = e.source.as_deref().map(|s| file_name(Path::new(s)));
            let place = match (other, e.page) {
                (Some(o), Some(p)) => format!("{o} 第 {p} 页"),
                (Some(o), None) => o,
                (None, Some(p)) => format!("第 {p} 页"),
                (None, None) => "页码不详".to_string(),
            };
            EvidenceView {
                place,
                href: link(&target, e.page),
                parts: marked(&e.quote, &marks),
            }
        })
        .collect();
    FindingView {
        rule: f.rule.to_string(),
        severity: f.severity.as_str(),
        severity_label: f.severity.chinese(),
        message: f.message.clone(),
        stated: f.stated.clone().unwrap_or_default(),
        expected: f.expected.clone().unwrap_or_default(),
        evidence,
    }
}

fn chart(title: &'static str, values: Vec<(String, usize)>, fail: bool) -> Chart {
    let max = values.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1);
    let bars: Vec<Bar> = values
        .into_iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let short: String = label.chars().take(8).collect();
            let short = if short.chars().count() < label.chars().count() {
                format!("{short}…")
            } else {
                short
            };
            Bar {
                label,
                short,
                value,
                width: (value * 170).div_ceil(max),
                y: i * 20,
                fail,
            }
        })
        .collect();
    Chart {
        title,
        height: (bars.len() * 20).max(20),
        bars,
    }
}

/// `quote` cut into parts, the figures among `marks` marked.
fn marked(quote: &str, marks: &[String]) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let mut push = |text: &str, mark: bool| {
        if text.is_empty() {
            return;
        }
        match parts.last_mut() {
            Some(p) if p.mark == mark => p.text.push_str(text),
            _ => parts.push(Part {
                text: text.to_string(),
                mark,
            }),
        }
    };
    let mut last = 0;
    for r in super::links::figures(quote) {
        let plain = plain_number(&quote[r.clone()]);
        let hit = marks.iter().any(|m| {
            m == &plain
                || (m.contains('.') && plain.contains('.') && {
                    let (a, b) = (m.trim_end_matches('0'), plain.trim_end_matches('0'));
                    a.trim_end_matches('.') == b.trim_end_matches('.')
                })
        });
        if hit {
            push(&quote[last..r.start], false);
            push(&quote[r.clone()], true);
            last = r.end;
        }
    }
    push(&quote[last..], false);
    parts
}

/// A relative link to a file, at a page: every byte of its path segments
/// that a URL does not take as it is percent-escaped (so `#` and spaces
/// in a file name stay in the name, and the link is plain ASCII).
fn link(rel: &Path, page: Option<u32>) -> String {
    let mut out = String::new();
    for (k, c) in rel.components().enumerate() {
        if k > 0 {
            out.push('/');
        }
        for b in c.as_os_str().as_encoded_bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(b) {
                out.push(*b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    match page {
        Some(p) => format!("{out}#page={p}"),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_of_the_finding_are_marked_in_the_quote() {
        let parts = marked(
            "得分 9.99 分，分值 1 分，共 1,951.63 万元",
            &["9.99".into(), "1951.63".into()],
        );
        let shown: Vec<(String, bool)> = parts.into_iter().map(|p| (p.text, p.mark)).collect();
        assert_eq!(
            shown,
            [
                ("得分 ".to_string(), false),
                ("9.99".to_string(), true),
                (" 分，分值 1 分，共 ".to_string(), false),
                ("1,951.63".to_string(), true),
                (" 万元".to_string(), false),
            ]
        );
    }

    #[test]
    fn links_are_relative_and_escaped() {
        let rel = relative(Path::new("/o/report/docs"), Path::new("/c/a b#1/报告.pdf"));
        assert_eq!(
            link(&rel, Some(3)),
            "../../../c/a%20b%231/%E6%8A%A5%E5%91%8A.pdf#page=3"
        );
    }
}
