//! `jixiao eval DIR`: how well the audit detects errors, measured against
//! labelled reports.
//!
//! Next to every labelled PDF `X.pdf` sits `X.labels.json`, which lists
//! every finding a correct audit of the document must produce (`expected`:
//! rule, page, stated figure, quoted statement) and the values that only
//! look wrong (`traps`, documentation). The labels are worked out from the
//! document's own numbers (for the generated corpus, by
//! `scripts/labelled/generate.py`), never copied from jixiao's output.
//!
//! A finding *detects* a label when the rule is the same and it points at
//! the same statement: one of its evidence quotes shares a run of at least
//! [`MIN_SHARED_RUN`] characters with the label's quote (both after NFKC
//! and with whitespace removed), or its `stated` figure equals the label's
//! numerically. Each label is matched by at most one finding and each
//! finding matches at most one label (a maximum matching, per file and
//! rule). Unmatched labels are misses; unmatched findings of the report
//! rules (not the ING codes, which say a file could not be read) are false
//! alarms. A file whose record is `failed` misses all its labels.
//!
//! Recall is detected ÷ labelled, precision is (findings − false alarms) ÷
//! findings, per rule and overall; a ratio with nothing to divide by is
//! shown as "-".

use crate::batch::{self, AuditOptions};
use crate::output::safe::terminal;
use crate::record::{Finding, Record, Status};
use crate::rules::RULES;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

/// Characters a finding's quote and a label's quote must share in one run.
pub const MIN_SHARED_RUN: usize = 8;

/// The suffix of a label file: `X.pdf` is labelled by `X.labels.json`.
pub const LABELS_SUFFIX: &str = ".labels.json";

/// A `.labels.json` file.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LabelFile {
    pub file: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub producer: Option<String>,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub year: Option<u32>,
    pub expected: Vec<Label>,
    #[serde(default)]
    pub traps: Vec<serde_json::Value>,
}

/// One finding a correct audit must produce.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Label {
    pub rule: String,
    #[serde(default)]
    pub page: Option<u32>,
    pub stated: String,
    pub quote: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A labelled PDF and its labels.
#[derive(Clone, Debug)]
pub struct Labelled {
    pub pdf: PathBuf,
    pub labels: LabelFile,
}

/// Every PDF under `dir` (recursively, hidden entries skipped) that has a
/// `.labels.json` next to it, sorted by path.
pub fn discover(dir: &Path) -> io::Result<Vec<Labelled>> {
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    out.sort_by(|a, b| a.pdf.cmp(&b.pdf));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Labelled>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else if let Some(stem) = name.strip_suffix(LABELS_SUFFIX) {
            let pdf = path.with_file_name(format!("{stem}.pdf"));
            if !pdf.is_file() {
                continue;
            }
            let text = fs::read_to_string(&path)?;
            let labels: LabelFile = serde_json::from_str(&text).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}：标注文件格式错误（{e}）", path.display()),
                )
            })?;
            out.push(Labelled { pdf, labels });
        }
    }
    Ok(())
}

/// Audits every labelled PDF under `dir` with the batch API and evaluates
/// the findings against the labels.
pub fn run(dir: &Path, opts: &AuditOptions) -> io::Result<Evaluation> {
    let labelled = discover(dir)?;
    let files: Vec<PathBuf> = labelled.iter().map(|l| l.pdf.clone()).collect();
    let mut batch = batch::audit_batch(&files, opts, |_| {});
    // Narratives and their table files are checked together, as in an
    // audit run.
    let ingester = crate::ingest::Ingester::new(opts.ingest.clone());
    crate::pairs::pair_records(&mut batch.records, &ingester, opts.jobs);
    Ok(evaluate(&labelled, &batch.records))
}

/// One row of the per-rule table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RuleRow {
    pub rule: String,
    /// Labels of this rule.
    pub labelled: usize,
    /// Labels matched by a finding.
    pub detected: usize,
    /// Findings of this rule.
    pub findings: usize,
    /// Findings that match no label.
    pub false_alarms: usize,
    /// detected ÷ labelled, three decimals; None when nothing is labelled.
    pub recall: Option<Decimal>,
    /// matched findings ÷ findings, three decimals; None without findings.
    pub precision: Option<Decimal>,
}

impl RuleRow {
    fn finish(mut self) -> RuleRow {
        self.recall = ratio(self.detected, self.labelled);
        self.precision = ratio(self.findings - self.false_alarms, self.findings);
        self
    }
}

fn ratio(num: usize, den: usize) -> Option<Decimal> {
    (den > 0).then(|| (Decimal::from(num) / Decimal::from(den)).round_dp(3))
}

/// A label no finding detected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Miss {
    pub file: String,
    pub page: Option<u32>,
    pub rule: String,
    pub stated: String,
    pub quote: String,
    pub note: Option<String>,
    /// The file's record failed (nothing was checked).
    pub failed: bool,
}

/// A finding that matches no label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FalseAlarm {
    pub file: String,
    pub page: Option<u32>,
    pub rule: String,
    pub stated: Option<String>,
    pub quote: String,
    pub message: String,
}

/// One labelled file's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileResult {
    pub file: String,
    /// `ok` or `failed`; `missing` when the batch returned no record.
    pub status: String,
    pub labelled: usize,
    pub detected: usize,
    pub findings: usize,
    pub false_alarms: usize,
}

/// The evaluation of a labelled corpus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub files: Vec<FileResult>,
    /// One row per report rule (in the order of `jixiao rules`).
    pub rules: Vec<RuleRow>,
    pub overall: RuleRow,
    pub misses: Vec<Miss>,
    pub false_alarms: Vec<FalseAlarm>,
}

/// Matches `records` (by source path) against the labels.
pub fn evaluate(labelled: &[Labelled], records: &[Record]) -> Evaluation {
    let by_path: BTreeMap<String, &Record> =
        records.iter().map(|r| (r.source.path.clone(), r)).collect();
    let mut tally = Tally::default();
    for item in labelled {
        let path = crate::discover::path_string(&item.pdf);
        let result = tally.file(&path, by_path.get(&path).copied(), &item.labels.expected);
        tally.files.push(result);
    }
    let (rules, overall) = rule_rows(tally.rows);
    Evaluation {
        files: tally.files,
        rules,
        overall,
        misses: tally.misses,
        false_alarms: tally.false_alarms,
    }
}

/// What the matching has counted so far.
#[derive(Default)]
struct Tally {
    rows: BTreeMap<String, RuleRow>,
    files: Vec<FileResult>,
    misses: Vec<Miss>,
    false_alarms: Vec<FalseAlarm>,
}

impl Tally {
    /// Matches one labelled file's findings against its labels.
    fn file(&mut self, path: &str, record: Option<&Record>, labels: &[Label]) -> FileResult {
        let status = match record {
            Some(r) if r.status == Status::Ok => "ok",
            Some(_) => "failed",
            None => "missing",
        };
        let findings: Vec<&Finding> = match record {
            Some(r) if r.status == Status::Ok => {
                r.findings.iter().filter(|f| !f.rule.is_ingest()).collect()
            }
            _ => Vec::new(),
        };
        let (label_match, finding_match) = match_file(labels, &findings);
        let mut result = FileResult {
            file: path.to_string(),
            status: status.to_string(),
            labelled: labels.len(),
            detected: 0,
            findings: findings.len(),
            false_alarms: 0,
        };
        for (label, matched) in labels.iter().zip(&label_match) {
            let row = row_for(&mut self.rows, &label.rule);
            row.labelled += 1;
            if matched.is_some() {
                row.detected += 1;
                result.detected += 1;
            } else {
                self.misses.push(Miss {
                    file: path.to_string(),
                    page: label.page,
                    rule: label.rule.clone(),
                    stated: label.stated.clone(),
                    quote: label.quote.clone(),
                    note: label.note.clone(),
                    failed: status != "ok",
                });
            }
        }
        for (finding, matched) in findings.iter().zip(&finding_match) {
            let row = row_for(&mut self.rows, finding.rule.as_str());
            row.findings += 1;
            if matched.is_none() {
                row.false_alarms += 1;
                result.false_alarms += 1;
                let first = finding.evidence.first();
                self.false_alarms.push(FalseAlarm {
                    file: path.to_string(),
                    page: first.and_then(|e| e.page),
                    rule: finding.rule.to_string(),
                    stated: finding.stated.clone(),
                    quote: first.map(|e| e.quote.clone()).unwrap_or_default(),
                    message: finding.message.clone(),
                });
            }
        }
        result
    }
}

/// Every report rule has a row, in the order of the rules table; labels of
/// an unknown rule come after them. Then the overall row.
fn rule_rows(mut rows: BTreeMap<String, RuleRow>) -> (Vec<RuleRow>, RuleRow) {
    let mut ordered: Vec<RuleRow> = RULES
        .iter()
        .map(|r| r.code)
        .filter(|c| !c.is_ingest())
        .map(|code| {
            rows.remove(code.as_str()).unwrap_or_else(|| RuleRow {
                rule: code.to_string(),
                ..RuleRow::default()
            })
        })
        .collect();
    ordered.extend(rows.into_values());
    let mut overall = RuleRow {
        rule: "overall".into(),
        ..RuleRow::default()
    };
    for row in &ordered {
        overall.labelled += row.labelled;
        overall.detected += row.detected;
        overall.findings += row.findings;
        overall.false_alarms += row.false_alarms;
    }
    (
        ordered.into_iter().map(RuleRow::finish).collect(),
        overall.finish(),
    )
}

fn row_for<'a>(rows: &'a mut BTreeMap<String, RuleRow>, rule: &str) -> &'a mut RuleRow {
    rows.entry(rule.to_string()).or_insert_with(|| RuleRow {
        rule: rule.to_string(),
        ..RuleRow::default()
    })
}

/// The matching of one file: for each label the index of its finding, for
/// each finding the index of its label. A maximum one-to-one matching over
/// the pairs that [`detects`] accepts (augmenting paths; a file has a
/// handful of labels).
pub fn match_file(
    labels: &[Label],
    findings: &[&Finding],
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let edges: Vec<Vec<usize>> = labels
        .iter()
        .map(|l| {
            (0..findings.len())
                .filter(|&f| detects(findings[f], l))
                .collect()
        })
        .collect();
    let mut label_of: Vec<Option<usize>> = vec![None; findings.len()];
    for l in 0..labels.len() {
        let mut seen = vec![false; findings.len()];
        augment(l, &edges, &mut seen, &mut label_of);
    }
    let mut finding_of = vec![None; labels.len()];
    for (f, l) in label_of.iter().enumerate() {
        if let Some(l) = l {
            finding_of[*l] = Some(f);
        }
    }
    (finding_of, label_of)
}

fn augment(
    l: usize,
    edges: &[Vec<usize>],
    seen: &mut [bool],
    label_of: &mut [Option<usize>],
) -> bool {
    for &f in &edges[l] {
        if seen[f] {
            continue;
        }
        seen[f] = true;
        let free = match label_of[f] {
            None => true,
            Some(other) => augment(other, edges, seen, label_of),
        };
        if free {
            label_of[f] = Some(l);
            return true;
        }
    }
    false
}

/// Whether `finding` detects `label`: same rule, and a shared quote run or
/// an equal stated figure.
pub fn detects(finding: &Finding, label: &Label) -> bool {
    if finding.rule.as_str() != label.rule {
        return false;
    }
    let label_quote = squash(&label.quote);
    finding
        .evidence
        .iter()
        .any(|e| shares_run(&squash(&e.quote), &label_quote, MIN_SHARED_RUN))
        || finding
            .stated
            .as_deref()
            .is_some_and(|s| same_stated(s, &label.stated))
}

/// NFKC, whitespace removed.
pub fn squash(s: &str) -> Vec<char> {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `a` and `b` have a common run of at least `n` characters.
pub fn shares_run(a: &[char], b: &[char], n: usize) -> bool {
    if n == 0 {
        return true;
    }
    if a.len() < n || b.len() < n {
        return false;
    }
    let windows: HashSet<&[char]> = a.windows(n).collect();
    b.windows(n).any(|w| windows.contains(w))
}

/// Two stated figures are equal: numerically when both are numbers (after
/// NFKC, without thousands separators, %, units), else as text ("优").
pub fn same_stated(a: &str, b: &str) -> bool {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => {
            let (a, b) = (squash(a), squash(b));
            !a.is_empty() && a == b
        }
    }
}

fn number(s: &str) -> Option<Decimal> {
    let t: String = s
        .nfkc()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let t = t
        .trim_end_matches('%')
        .trim_end_matches("万元")
        .trim_end_matches('元')
        .trim_end_matches('分');
    Decimal::from_str(t).ok()
}

/// The table and the lists for a person.
pub fn write_human(w: &mut dyn Write, eval: &Evaluation) -> io::Result<()> {
    let failed = eval.files.iter().filter(|f| f.status != "ok").count();
    writeln!(
        w,
        "{} 个已标注文件（{} 个读取失败），{} 处标注的错误",
        eval.files.len(),
        failed,
        eval.overall.labelled
    )?;
    writeln!(
        w,
        "{:<8} {:>8} {:>8} {:>8} {:>12} {:>7} {:>9}",
        "rule", "labelled", "detected", "findings", "false_alarms", "recall", "precision"
    )?;
    for row in eval.rules.iter().chain(std::iter::once(&eval.overall)) {
        writeln!(
            w,
            "{:<8} {:>8} {:>8} {:>8} {:>12} {:>7} {:>9}",
            row.rule,
            row.labelled,
            row.detected,
            row.findings,
            row.false_alarms,
            shown(row.recall),
            shown(row.precision)
        )?;
    }
    writeln!(w, "\n漏报（{}）：", eval.misses.len())?;
    for m in &eval.misses {
        writeln!(
            w,
            "  {} 第{}页 {} 标注值 {}{}：「{}」",
            terminal(&m.file),
            page(m.page),
            terminal(&m.rule),
            terminal(&m.stated),
            if m.failed {
                "（文件读取失败）"
            } else {
                ""
            },
            terminal(&m.quote)
        )?;
    }
    writeln!(w, "\n误报（{}）：", eval.false_alarms.len())?;
    for f in &eval.false_alarms {
        writeln!(
            w,
            "  {} 第{}页 {} 陈述值 {}：「{}」 {}",
            terminal(&f.file),
            page(f.page),
            f.rule,
            terminal(f.stated.as_deref().unwrap_or("-")),
            terminal(&f.quote),
            terminal(&f.message)
        )?;
    }
    w.flush()
}

fn shown(x: Option<Decimal>) -> String {
    x.map_or_else(|| "-".to_string(), |d| format!("{d:.3}"))
}

fn page(p: Option<u32>) -> String {
    p.map_or_else(|| "?".to_string(), |p| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Code;
    use crate::record::{Evidence, Severity, Source};

    fn finding(rule: Code, stated: &str, quotes: &[&str]) -> Finding {
        Finding {
            rule,
            severity: Severity::Error,
            message: "测试".into(),
            stated: Some(stated.into()),
            expected: None,
            evidence: quotes
                .iter()
                .map(|q| Evidence {
                    page: Some(1),
                    quote: q.to_string(),
                    source: None,
                })
                .collect(),
            ocr: false,
        }
    }

    fn label(rule: &str, stated: &str, quote: &str) -> Label {
        Label {
            rule: rule.into(),
            page: Some(1),
            stated: stated.into(),
            quote: quote.into(),
            note: None,
        }
    }

    #[test]
    fn a_shared_run_of_eight_characters_matches_and_seven_does_not() {
        let l = label("SCR001", "9.99", "采购政策效能分值1分，得分9.99分");
        // 8 characters in common ("采购政策效能分值"), stated differs
        let f8 = finding(Code::SCR001, "1", &["另一句：采购政策效能分值很高"]);
        assert!(detects(&f8, &l));
        // 7 characters in common ("采购政策效能分"), stated differs
        let f7 = finding(Code::SCR001, "1", &["其中采购政策效能分析"]);
        assert!(!detects(&f7, &l));
        // whitespace and full-width forms do not count against a run
        let fw = finding(Code::SCR001, "1", &["采购政策效能 分值 １ 分，得分"]);
        assert!(detects(&fw, &l));
        // another rule never matches
        let other = finding(Code::SCR002, "9.99", &["采购政策效能分值1分，得分9.99分"]);
        assert!(!detects(&other, &l));
    }

    #[test]
    fn stated_figures_are_compared_as_numbers() {
        let l = label("SUM001", "4726.02", "项目支出4726.02万元");
        assert!(detects(&finding(Code::SUM001, "4726.020", &["无关"]), &l));
        assert!(detects(
            &finding(Code::SUM001, "４７２６．０２", &["无关"]),
            &l
        ));
        assert!(!detects(&finding(Code::SUM001, "4726.03", &["无关"]), &l));
        assert!(same_stated("1,234.5", "1234.50"));
        assert!(same_stated("98.5%", "98.5"));
        assert!(same_stated("优", "优"));
        assert!(!same_stated("优", "良"));
        assert!(!same_stated("", ""));
    }

    #[test]
    fn matching_is_one_to_one_and_maximal() {
        // two PCT001 labels in one sentence; the first finding matches
        // both by quote, the second only the first label by stated value:
        // a greedy matcher would pair f0–l0 and leave l1 missed
        let sentence = "基本支出901.76万元，占65.62%，项目支出472.48万元，占34.38%";
        let labels = vec![
            label("PCT001", "65.62", sentence),
            label("PCT001", "34.38", sentence),
        ];
        let f0 = finding(Code::PCT001, "34.38", &[sentence]);
        let f1 = finding(Code::PCT001, "65.62", &["其他"]);
        let findings = vec![&f0, &f1];
        let (by_label, by_finding) = match_file(&labels, &findings);
        assert_eq!(by_label, vec![Some(1), Some(0)]);
        assert_eq!(by_finding, vec![Some(1), Some(0)]);
        // three findings for one label: one detects it, two are false alarms
        let one = vec![label("PCT001", "65.62", sentence)];
        let f2 = finding(Code::PCT001, "65.62", &[sentence]);
        let findings = vec![&f0, &f2, &f1];
        let (by_label, by_finding) = match_file(&one, &findings);
        assert_eq!(by_label, vec![Some(0)]);
        assert_eq!(by_finding.iter().filter(|m| m.is_some()).count(), 1);
    }

    fn record(path: &str, status: Status, findings: Vec<Finding>) -> Record {
        Record {
            schema_version: 1,
            source: Source {
                path: path.into(),
                sha256: String::new(),
                bytes: 0,
                pages: Some(1),
                text_layer: None,
                ocr: None,
            },
            status,
            error: None,
            document: None,
            partners: Vec::new(),
            report: None,
            findings,
            diagnostics: vec![],
        }
    }

    #[test]
    fn counts_per_rule_with_misses_false_alarms_and_failed_files() {
        let a = Labelled {
            pdf: PathBuf::from("c/a.pdf"),
            labels: LabelFile {
                file: "a.pdf".into(),
                kind: None,
                producer: None,
                organization: None,
                year: None,
                expected: vec![
                    label("SCR001", "9.99", "采购政策效能分值1分，得分9.99分"),
                    label("CNT001", "6", "一级项目6个，二级项目21个"),
                ],
                traps: vec![],
            },
        };
        let b = Labelled {
            pdf: PathBuf::from("c/b.pdf"),
            labels: LabelFile {
                expected: vec![label("GRW001", "12.3", "比上年增加5.6万元，增长12.3%")],
                ..a.labels.clone()
            },
        };
        let records = vec![
            record(
                "c/a.pdf",
                Status::Ok,
                vec![
                    finding(Code::SCR001, "9.99", &["采购政策效能分值1分，得分9.99分"]),
                    finding(Code::PCT001, "99.9", &["占总收入的99.9%"]),
                    finding(Code::ING003, "", &[]),
                ],
            ),
            record("c/b.pdf", Status::Failed, vec![]),
        ];
        let eval = evaluate(&[a, b], &records);
        let row = |r: &str| eval.rules.iter().find(|x| x.rule == r).unwrap().clone();
        let report_rules = Code::ALL.iter().filter(|c| !c.is_ingest()).count();
        assert_eq!(eval.rules.len(), report_rules);
        assert_eq!(
            (
                row("SCR001").labelled,
                row("SCR001").detected,
                row("SCR001").findings
            ),
            (1, 1, 1)
        );
        assert_eq!(row("SCR001").recall, Some(Decimal::ONE));
        assert_eq!((row("CNT001").labelled, row("CNT001").detected), (1, 0));
        assert_eq!(row("CNT001").precision, None);
        assert_eq!((row("PCT001").findings, row("PCT001").false_alarms), (1, 1));
        assert_eq!(row("PCT001").precision, Some(Decimal::ZERO));
        assert_eq!(
            (
                eval.overall.labelled,
                eval.overall.detected,
                eval.overall.findings,
                eval.overall.false_alarms
            ),
            (3, 1, 2, 1)
        );
        assert_eq!(
            eval.overall.recall,
            Some(Decimal::from_str("0.333").unwrap())
        );
        assert_eq!(
            eval.overall.precision,
            Some(Decimal::from_str("0.5").unwrap())
        );
        let missed: Vec<_> = eval
            .misses
            .iter()
            .map(|m| (m.rule.as_str(), m.failed))
            .collect();
        assert_eq!(missed, vec![("CNT001", false), ("GRW001", true)]);
        assert_eq!(eval.false_alarms.len(), 1);
        assert_eq!(eval.false_alarms[0].rule, "PCT001");
        assert_eq!(
            eval.files
                .iter()
                .map(|f| f.status.as_str())
                .collect::<Vec<_>>(),
            vec!["ok", "failed"]
        );
    }
}
