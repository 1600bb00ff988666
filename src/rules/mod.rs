//! The rules: one file per rule, each opening with the doc comment that
//! `jixiao rules` prints (what it checks, why it matters, an example).
//!
//! [`RULES`] is the one table of codes, severities and docs. Codes are
//! stable: new rules get new codes, and a retired rule stays in the table.

use crate::record::Severity;
use serde::{Serialize, Serializer};
use std::fmt;

pub mod child_scores_sum_mismatch;
pub mod conflicting_statements;
pub mod count_mismatch;
pub mod deduction_mismatch;
pub mod execution_rate_mismatch;
pub mod extractor_failed;
pub mod grade_band_mismatch;
pub mod growth_mismatch;
pub mod no_text_layer;
pub mod over_limit;
pub mod parts_sum_mismatch;
pub mod password_required;
pub mod rate_score_mismatch;
pub mod score_above_points;
pub mod share_mismatch;
pub mod shares_not_hundred;
pub mod unreadable_pdf;

/// A rule code, as it appears in the dataset ("SCR001").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    ING001,
    ING002,
    ING003,
    ING004,
    ING005,
    SUM001,
    PCT001,
    PCT002,
    SCR001,
    SCR002,
    SCR003,
    SCR004,
    RATE001,
    GRD001,
    CNT001,
    CON001,
    GRW001,
}

/// One row of the rules table.
pub struct RuleInfo {
    pub code: Code,
    /// The rule's name, as its file is named.
    pub name: &'static str,
    pub severity: Severity,
    /// The source of the rule's file; its leading `//!` lines are the doc.
    source: &'static str,
}

impl RuleInfo {
    /// The rule's documentation: the `//!` comment at the top of its file.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out.trim_end().to_string()
    }

    /// The first line of the doc: a one-sentence summary.
    pub fn summary(&self) -> String {
        self.doc().lines().next().unwrap_or_default().to_string()
    }
}

macro_rules! rule {
    ($code:ident, $name:ident, $sev:ident) => {
        RuleInfo {
            code: Code::$code,
            name: stringify!($name),
            severity: Severity::$sev,
            source: include_str!(concat!(stringify!($name), ".rs")),
        }
    };
}

/// Every rule, in code order.
pub static RULES: &[RuleInfo] = &[
    rule!(ING001, unreadable_pdf, Error),
    rule!(ING002, password_required, Error),
    rule!(ING003, no_text_layer, Error),
    rule!(ING004, extractor_failed, Error),
    rule!(ING005, over_limit, Error),
    rule!(SUM001, parts_sum_mismatch, Error),
    rule!(PCT001, share_mismatch, Error),
    rule!(PCT002, shares_not_hundred, Warning),
    rule!(SCR001, score_above_points, Error),
    rule!(SCR002, deduction_mismatch, Error),
    rule!(SCR003, child_scores_sum_mismatch, Error),
    rule!(SCR004, rate_score_mismatch, Warning),
    rule!(RATE001, execution_rate_mismatch, Error),
    rule!(GRD001, grade_band_mismatch, Error),
    rule!(CNT001, count_mismatch, Warning),
    rule!(CON001, conflicting_statements, Error),
    rule!(GRW001, growth_mismatch, Error),
];

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ING001 => "ING001",
            Code::ING002 => "ING002",
            Code::ING003 => "ING003",
            Code::ING004 => "ING004",
            Code::ING005 => "ING005",
            Code::SUM001 => "SUM001",
            Code::PCT001 => "PCT001",
            Code::PCT002 => "PCT002",
            Code::SCR001 => "SCR001",
            Code::SCR002 => "SCR002",
            Code::SCR003 => "SCR003",
            Code::SCR004 => "SCR004",
            Code::RATE001 => "RATE001",
            Code::GRD001 => "GRD001",
            Code::CNT001 => "CNT001",
            Code::CON001 => "CON001",
            Code::GRW001 => "GRW001",
        }
    }

    /// Parses a code, case-insensitively ("scr001" → SCR001).
    pub fn parse(s: &str) -> Option<Code> {
        RULES
            .iter()
            .map(|r| r.code)
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }

    pub fn info(self) -> &'static RuleInfo {
        RULES
            .iter()
            .find(|r| r.code == self)
            .expect("every code is in RULES")
    }

    pub fn severity(self) -> Severity {
        self.info().severity
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_has_a_doc_with_an_example() {
        for r in RULES {
            assert_eq!(Code::parse(r.code.as_str()), Some(r.code));
            assert_eq!(Code::parse(&r.code.as_str().to_lowercase()), Some(r.code));
            let doc = r.doc();
            assert!(!doc.is_empty(), "{} has no doc", r.code);
            for heading in ["## What it checks", "## Why it matters", "## Example"] {
                assert!(doc.contains(heading), "{} doc lacks {heading}", r.code);
            }
        }
        assert_eq!(RULES.len(), 17);
    }
}
