//! The hand-written reports of `fixtures/handwritten/` — fifteen reports of
//! the three kinds, each written as a different unit's author would write
//! it and rendered through a real producer (`scripts/make_handwritten.sh`)
//! — audited through the library: the findings of each are exactly the
//! ones its `NAME.labels.json` lists (worked out by hand from the
//! document's own numbers): the same rule and stated figure, an expected
//! figure that agrees (a finding raised for the wrong reason is no
//! detection) and a quote on the labelled page. Each report's findings are
//! a reviewed snapshot.
//!
//! A report jixiao does not yet read right is listed in [`KNOWN_GAPS`] with
//! what it misses, what it raises wrongly and why. The test asserts the gap
//! itself: it fails when the findings change, including when a gap is
//! fixed, so that the list is kept honest. The snapshots of such a report
//! record its findings as they are, the false alarms included.

use jixiao::batch::{audit_batch, AuditOptions};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const DIR: &str = "fixtures/handwritten";

/// A report whose findings differ from its labels today.
struct Gap {
    file: &'static str,
    /// Labelled findings (rule, stated) that jixiao does not raise.
    missing: &'static [(&'static str, &'static str)],
    /// Findings (rule, stated) jixiao raises that are not in the labels.
    false_alarms: &'static [(&'static str, &'static str)],
    /// Why, for whoever fixes it (shown when the gap changes).
    why: &'static str,
}

const KNOWN_GAPS: &[Gap] = &[];

/// (rule, stated) with the stated number in a canonical form, so that the
/// label's "49" and a finding's "49.00" are one value.
type Pair = (String, String);

fn canon(stated: &str) -> String {
    let s = stated.trim();
    let numeric = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    if numeric && s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

fn pair(rule: &str, stated: &str) -> Pair {
    (rule.to_string(), canon(stated))
}

struct Labelled {
    labels: Value,
    pdf: PathBuf,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn labelled() -> Vec<Labelled> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join(DIR)).expect("fixtures/handwritten") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if let Some(stem) = name.strip_suffix(".labels.json") {
            let labels: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(labels["file"], format!("{stem}.pdf"), "{name}: file");
            out.push(Labelled {
                labels,
                pdf: root().join(DIR).join(format!("{stem}.pdf")),
            });
        }
    }
    out.sort_by(|a, b| a.pdf.cmp(&b.pdf));
    out
}

/// Every report's record, audited once for all the tests (in process, in
/// parallel), keyed by PDF file name.
fn records() -> &'static Vec<(String, Value)> {
    static RECORDS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let files: Vec<PathBuf> = labelled().into_iter().map(|l| l.pdf).collect();
        let batch = audit_batch(&files, &AuditOptions::default(), |_| {});
        batch
            .records
            .iter()
            .map(|r| {
                let v = serde_json::to_value(r).unwrap();
                let name = Path::new(v["source"]["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                (name, v)
            })
            .collect()
    })
}

fn record(file: &str) -> &'static Value {
    &records()
        .iter()
        .find(|(n, _)| n == file)
        .unwrap_or_else(|| panic!("no record for {file}"))
        .1
}

/// The sum of the percentages a text writes ("占83.12%…占12.70%" → "95.82"),
/// to two decimals.
fn percent_sum(text: &str) -> String {
    let mut hundredths = 0u64;
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c != '%' {
            continue;
        }
        let start = chars[..i]
            .iter()
            .rposition(|c| !(c.is_ascii_digit() || *c == '.'))
            .map_or(0, |p| p + 1);
        let num: String = chars[start..i].iter().collect();
        let (int, frac) = num.split_once('.').unwrap_or((&num, ""));
        let frac = format!("{frac:0<2}");
        assert!(frac.len() == 2, "more than two decimals in {num}%");
        hundredths += int.parse::<u64>().unwrap() * 100 + frac.parse::<u64>().unwrap();
    }
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// A count below 100 as Chinese numerals write it (9 → 九, 23 → 二十三).
fn chinese_numeral(n: u32) -> Option<String> {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    match n {
        0..=9 => Some(DIGITS[n as usize].to_string()),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut s = String::new();
            if tens > 1 {
                s.push(DIGITS[tens as usize]);
            }
            s.push('十');
            if ones > 0 {
                s.push(DIGITS[ones as usize]);
            }
            Some(s)
        }
        _ => None,
    }
}

#[test]
fn there_are_at_least_ten_reports_of_the_three_kinds_with_well_formed_labels() {
    let all = labelled();
    assert!(all.len() >= 10, "{} labelled reports", all.len());
    let mut kinds = BTreeSet::new();
    let mut producers = BTreeSet::new();
    for l in &all {
        let file = l.labels["file"].as_str().unwrap();
        assert!(l.pdf.is_file(), "{file}: no PDF");
        let src = root()
            .join(DIR)
            .join("src")
            .join(file.replace(".pdf", ".md"));
        assert!(
            src.is_file(),
            "{file}: no hand-written source {}",
            src.display()
        );
        kinds.insert(l.labels["kind"].as_str().unwrap().to_string());
        producers.insert(l.labels["producer"].as_str().unwrap().to_string());
        assert!(l.labels["organization"]
            .as_str()
            .is_some_and(|o| !o.is_empty()));
        assert!(l.labels["year"].as_u64().is_some());
        for e in l.labels["expected"].as_array().unwrap() {
            let rule = e["rule"].as_str().unwrap();
            assert!(
                jixiao::rules::RULES.iter().any(|r| r.code.as_str() == rule),
                "{file}: unknown rule {rule}"
            );
            assert!(
                e["page"].as_u64().is_some(),
                "{file}: {rule} without a page"
            );
            let quote: String = e["quote"]
                .as_str()
                .unwrap()
                .chars()
                .filter(|c| *c != ',' && !c.is_whitespace())
                .collect();
            let stated = e["stated"].as_str().unwrap();
            if rule == "PCT002" {
                // stated is the sum of the shares the quote writes
                assert_eq!(
                    percent_sum(&quote),
                    stated,
                    "{file}: PCT002 stated is not the sum of the shares in {quote}"
                );
                continue;
            }
            let in_chinese = stated.parse::<u32>().ok().and_then(chinese_numeral);
            assert!(
                quote.contains(stated) || in_chinese.is_some_and(|c| quote.contains(&c)),
                "{file}: {rule} stated {stated} is not written in its quote {quote}"
            );
        }
    }
    let want: BTreeSet<String> = ["department_overall", "project", "final_accounts"]
        .map(String::from)
        .into();
    assert_eq!(kinds, want);
    assert!(producers.len() >= 3, "{producers:?}");
}

/// A multiset of (rule, stated): a finding raised twice counts twice.
type Bag = BTreeMap<Pair, usize>;

fn bag(pairs: impl IntoIterator<Item = Pair>) -> Bag {
    let mut b = Bag::new();
    for p in pairs {
        *b.entry(p).or_default() += 1;
    }
    b
}

/// Whether a finding's `expected` agrees with the label's: the same text
/// (a grade, 「≤ 6」), or the same number once the more precise of the two
/// is rounded to the other's decimals (「7.603」 and 「7.60」).
fn same_expected(label: &str, got: &str) -> bool {
    fn decimals(s: &str) -> u32 {
        s.split_once('.').map_or(0, |(_, f)| f.len() as u32)
    }
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    if squash(label) == squash(got) {
        return true;
    }
    match (
        label.parse::<rust_decimal::Decimal>(),
        got.parse::<rust_decimal::Decimal>(),
    ) {
        (Ok(l), Ok(g)) => {
            // rounding the less precise one is the identity
            let d = decimals(label).min(decimals(got));
            let round = |x: rust_decimal::Decimal| {
                x.round_dp_with_strategy(d, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            };
            round(l) == round(g)
        }
        _ => false,
    }
}

/// Matches a report's findings to its labels, one to one: a finding
/// detects a label when its rule and stated figure are the label's, its
/// expected figure agrees with the label's (so a finding raised for the
/// wrong reason is no detection), and one of its quotes is on the labelled
/// page. Returns the labels left over (misses) and the findings left over
/// (false alarms).
fn match_labels(labels: &[Value], findings: &[Value]) -> (Bag, Bag) {
    let mut used = vec![false; findings.len()];
    let mut missing = Vec::new();
    for l in labels {
        let want = pair(l["rule"].as_str().unwrap(), l["stated"].as_str().unwrap());
        let hit = findings.iter().enumerate().position(|(i, f)| {
            !used[i]
                && pair(f["rule"].as_str().unwrap(), f["stated"].as_str().unwrap()) == want
                && l["expected"]
                    .as_str()
                    .is_none_or(|e| same_expected(e, f["expected"].as_str().unwrap_or("")))
                && f["evidence"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|ev| ev["page"] == l["page"])
        });
        match hit {
            Some(i) => used[i] = true,
            None => missing.push(want),
        }
    }
    let false_alarms = findings
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(f, _)| pair(f["rule"].as_str().unwrap(), f["stated"].as_str().unwrap()));
    (bag(missing), bag(false_alarms))
}

#[test]
fn every_report_gives_exactly_its_labelled_findings_or_its_known_gap() {
    let mut failures = Vec::new();
    for l in labelled() {
        let file = l.labels["file"].as_str().unwrap();
        let r = record(file);
        assert_eq!(r["status"], "ok", "{file}: {}", r["error"]);
        let (missing, false_alarms) = match_labels(
            l.labels["expected"].as_array().unwrap(),
            r["findings"].as_array().unwrap(),
        );
        let gap = KNOWN_GAPS.iter().find(|g| g.file == file);
        let (want_missing, want_false_alarms) = match gap {
            None => (Bag::new(), Bag::new()),
            Some(gap) => {
                assert!(
                    !gap.missing.is_empty() || !gap.false_alarms.is_empty(),
                    "{file}: a gap with nothing in it"
                );
                (
                    bag(gap.missing.iter().map(|(r, s)| pair(r, s))),
                    bag(gap.false_alarms.iter().map(|(r, s)| pair(r, s))),
                )
            }
        };
        if missing != want_missing || false_alarms != want_false_alarms {
            failures.push(format!(
                "{file}:\n  missed       {missing:?}\n  false alarms {false_alarms:?}\n  \
                 KNOWN_GAPS says missed {want_missing:?}, false alarms {want_false_alarms:?}{}",
                match gap {
                    Some(g) => format!(" ({}) — update the entry when a gap is fixed", g.why),
                    None => String::new(),
                }
            ));
        }
    }
    for gap in KNOWN_GAPS {
        assert!(
            records().iter().any(|(n, _)| n == gap.file),
            "KNOWN_GAPS names {} which is not a report",
            gap.file
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn handwritten_findings_match_their_reviewed_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for l in labelled() {
            let file = l.labels["file"].as_str().unwrap();
            let r = record(file);
            let name = format!("handwritten__{}", file.trim_end_matches(".pdf"));
            insta::assert_json_snapshot!(name, r["findings"]);
        }
    });
}
