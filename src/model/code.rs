//! Rule codes and severities: the closed set of what a finding or a failed
//! file can be. [`for_each_rule!`] is the one list of rules; the model
//! makes [`Code`] from it and `crate::rules` makes its registry (file,
//! documentation, check function) from the same lines, so the two cannot
//! disagree.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Calls `$m!` with every rule, one `CODE => file, Severity, stage;` line
/// each, in code order. `file` is the rule's module under `src/rules/`
/// (its `//!` comment is the rule's documentation); `stage` is `ingest`
/// for the reasons a file could not be read, `report` for the relations
/// checked on the report model (the module then has
/// `pub fn check(&Report, &Ctx, &mut Vec<Finding>)`), `pair` for the
/// relations between two documents of a batch (checked by
/// `crate::pairs`, through the module's own function).
///
/// A new rule is one line here and one file under `src/rules/`. Codes are
/// stable: a retired rule keeps its line.
macro_rules! for_each_rule {
    ($m:ident) => {
        $m! {
            ING001 => unreadable_pdf, Error, ingest;
            ING002 => password_required, Error, ingest;
            ING003 => no_text_layer, Error, ingest;
            ING004 => extractor_failed, Error, ingest;
            ING005 => over_limit, Error, ingest;
            SUM001 => parts_sum_mismatch, Error, report;
            PCT001 => share_mismatch, Error, report;
            PCT002 => shares_not_hundred, Warning, report;
            SCR001 => score_above_points, Error, report;
            SCR002 => deduction_mismatch, Error, report;
            SCR003 => child_scores_sum_mismatch, Error, report;
            SCR004 => rate_score_mismatch, Warning, report;
            RATE001 => execution_rate_mismatch, Error, report;
            GRD001 => grade_band_mismatch, Error, report;
            CNT001 => count_mismatch, Warning, report;
            CON001 => conflicting_statements, Error, report;
            GRW001 => growth_mismatch, Error, report;
            TBL001 => subject_sum_mismatch, Error, report;
            TBL002 => subject_row_sum_mismatch, Error, report;
            TBL003 => subject_text_mismatch, Error, report;
            TBL004 => balance_mismatch, Error, report;
            TBL005 => three_public_text_mismatch, Error, report;
            TBL006 => cross_table_mismatch, Error, report;
            TBL007 => total_text_mismatch, Error, report;
            TBL008 => previous_year_mismatch, Error, pair;
            TPL001 => template_left, Warning, report;
        }
    };
}
pub(crate) use for_each_rule;

/// How much a finding weighs: an error is a relation that fails for every
/// value the stated precision allows; a warning needs a reviewer's look; a
/// notice is a relation that misses only by one unit of the last stated
/// digit (29.13% where 29.14% is exact: a rounding or truncation slip),
/// shown and counted apart, never an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Notice,
}

impl Severity {
    /// As a reviewer reads it: 错误, 警告, 提示.
    pub fn chinese(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Notice => "提示",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

macro_rules! define_codes {
    ($($code:ident => $name:ident, $sev:ident, $stage:ident;)*) => {
        /// A rule code, as it appears in the dataset ("SCR001").
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in code order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$code => Severity::$sev,)*
                }
            }

            /// The rule's name, as its file under `src/rules/` is named.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($name),)*
                }
            }

            /// `ingest`, `report` or `pair` (see [`for_each_rule!`]).
            pub fn stage(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($stage),)*
                }
            }
        }
    };
}
for_each_rule!(define_codes);

impl Code {
    /// Parses a code, case-insensitively ("scr001" → SCR001).
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Whether the code says why a file could not be read (ING…).
    pub fn is_ingest(self) -> bool {
        self.as_str().starts_with("ING")
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

/// Only the exact spelling a dataset holds ("SCR001", not "scr001").
impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let s = String::deserialize(d)?;
        Code::parse(&s)
            .filter(|c| c.as_str() == s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule code {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_in_text_and_json() {
        for &c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(c));
            assert_eq!(Code::parse(&c.as_str().to_lowercase()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), c);
        }
        assert!(serde_json::from_str::<Code>("\"scr001\"").is_err());
        assert_eq!(Code::ALL.len(), 26);
    }
}
