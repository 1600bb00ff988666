//! Check: the report model → findings, by the rules in [`crate::rules`].
//!
//! Conflicting statements are resolved first (CON001): when one quantity is
//! stated twice with different values and the other relations of the
//! model back one of them, the relations are then checked on that value,
//! so that one typo is reported once as a contradiction rather than again
//! by every sum it breaks. Then every rule of the registry
//! ([`crate::rules::RULES`]) runs, in code order. Bounds (SCR001) are
//! properties of a single statement and are checked on every statement.

use crate::model::{Diagnostic, DiagnosticKind, Finding, Report};
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

/// What the check could not use: each quantity read with three or more
/// different values (see [`crate::rules::conflicting_statements::resolve`]),
/// at the page of its first statement, and each 科目 table whose sums fail
/// too often to trust its reading.
pub fn unconfirmed(report: &Report, cx: &Ctx) -> Vec<Diagnostic> {
    let mut out = quantities(report, cx);
    out.extend(crate::rules::subject_sum_mismatch::unconfirmed(report, cx));
    out
}

/// Quantities read with three or more different values.
fn quantities(report: &Report, cx: &Ctx) -> Vec<Diagnostic> {
    report
        .unconfirmed
        .iter()
        .map(|c| {
            let mut values: Vec<String> = Vec::new();
            for s in &c.statements {
                let d = format!("{}{}", s.display(), c.unit_word);
                if !values.contains(&d) {
                    values.push(d);
                }
            }
            Diagnostic {
                kind: DiagnosticKind::UnconfirmedQuantity,
                page: c.statements.first().map(|s| (cx.page_at)(s.span.start)),
                message: format!(
                    "「{}」读到 {} 个不同的数值（{}），应是把不同的数据当成了同一项，未作前后一致性比较",
                    c.name,
                    c.values(),
                    values.join("、")
                ),
            }
        })
        .collect()
}
