//! Check: the report model → findings, by the rules in [`crate::rules`].
//!
//! Conflicting statements are resolved first (CON001): when one quantity is
//! stated twice with different values and the other relations of the
//! model back one of them, the relations are then checked on that value,
//! so that one typo is reported once as a contradiction rather than again
//! by every sum it breaks. Then every rule of the registry
//! ([`crate::rules::RULES`]) runs, in code order. Bounds (SCR001) are
//! properties of a single statement and are checked on every statement.

use crate::model::{Finding, Report};
pub use crate::rules::evidence::Ctx;
use crate::rules::{self, RULES};

/// Resolves conflicts in the model, then runs every rule.
pub fn check(report: &mut Report, cx: &Ctx) -> Vec<Finding> {
    rules::conflicting_statements::resolve(report);
    let mut out = Vec::new();
    for rule in RULES {
        if let Some(check) = rule.check {
            check(report, cx, &mut out);
        }
    }
    out
}
