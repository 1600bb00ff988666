//! The rules: one file per rule, each opening with the doc comment that
//! `jixiao rules` prints (what it checks, why it matters, an example).
//!
//! [`RULES`] is the registry: code, severity, documentation and check
//! function of every rule, made from the one list in
//! [`crate::model::code`]. Codes are stable: new rules get new codes, and a
//! retired rule stays in the table.

pub mod evidence;
#[cfg(test)]
pub(crate) mod testing;

use crate::model::code::for_each_rule;
pub use crate::model::Code;
use crate::model::{Finding, Report, Severity};
use evidence::Ctx;

/// A rule's check: reads the report model, quotes its evidence through
/// the context, and pushes what it finds.
pub type CheckFn = fn(&Report, &Ctx, &mut Vec<Finding>);

/// One row of the rules table.
pub struct RuleInfo {
    pub code: Code,
    /// The rule's name, as its file is named.
    pub name: &'static str,
    pub severity: Severity,
    /// The source of the rule's file; its leading `//!` lines are the doc.
    source: &'static str,
    /// None for the reasons a file could not be read (ING codes) and for
    /// the relations between two documents (`crate::pairs` checks those).
    pub check: Option<CheckFn>,
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

macro_rules! check_of {
    (ingest, $name:ident) => {
        None
    };
    (report, $name:ident) => {
        Some($name::check as CheckFn)
    };
    (pair, $name:ident) => {
        None
    };
}

macro_rules! define_registry {
    ($($code:ident => $name:ident, $sev:ident, $stage:ident;)*) => {
        $(pub mod $name;)*

        /// Every rule, in code order.
        pub static RULES: &[RuleInfo] = &[$(
            RuleInfo {
                code: Code::$code,
                name: stringify!($name),
                severity: Severity::$sev,
                source: include_str!(concat!(stringify!($name), ".rs")),
                check: check_of!($stage, $name),
            },
        )*];
    };
}
for_each_rule!(define_registry);

/// The rules table's row of a code.
pub fn info(code: Code) -> &'static RuleInfo {
    RULES
        .iter()
        .find(|r| r.code == code)
        .expect("every code is in RULES")
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
        assert_eq!(RULES.len(), Code::ALL.len());
        for (r, &c) in RULES.iter().zip(Code::ALL) {
            assert_eq!(r.code, c);
            assert_eq!(r.name, c.name());
            assert_eq!(r.severity, c.severity());
            assert_eq!(r.check.is_none(), c.stage() != "report");
            assert_eq!(c.is_ingest(), c.stage() == "ingest");
        }
    }
}
