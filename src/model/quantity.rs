//! Quantities as a report states them: a figure with its unit and place
//! ([`Statement`]), every statement of one quantity ([`Quantity`]), and the
//! units and grades the figures are read in.

use crate::number::{Interval, Stated};
use rust_decimal::Decimal;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::ops::Range;

/// The currency unit of an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Unit {
    #[serde(rename = "元")]
    Yuan,
    #[serde(rename = "万元")]
    WanYuan,
    #[serde(rename = "亿元")]
    YiYuan,
}

impl Unit {
    pub fn parse(s: &str) -> Option<Unit> {
        match s {
            "元" => Some(Unit::Yuan),
            "万元" => Some(Unit::WanYuan),
            "亿元" => Some(Unit::YiYuan),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::WanYuan => "万元",
            Unit::YiYuan => "亿元",
        }
    }

    /// How many 元 one of this unit is.
    pub fn in_yuan(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::ONE,
            Unit::WanYuan => Decimal::new(10_000, 0),
            Unit::YiYuan => Decimal::new(100_000_000, 0),
        }
    }
}

/// A performance grade (绩效等级).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Grade {
    #[serde(rename = "优")]
    Excellent,
    #[serde(rename = "良")]
    Good,
    #[serde(rename = "中")]
    Fair,
    #[serde(rename = "差")]
    Poor,
}

impl Grade {
    /// The grade of a score by the bureau's bands: 优 from 90, 良 from 80,
    /// 中 from 60, else 差.
    pub fn for_score(score: Decimal) -> Grade {
        if score >= Decimal::from(90) {
            Grade::Excellent
        } else if score >= Decimal::from(80) {
            Grade::Good
        } else if score >= Decimal::from(60) {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }
}

/// One place where the report states a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub value: Stated,
    pub unit: Option<Unit>,
    /// Byte range of the figure in the normalized text.
    pub span: Range<usize>,
    pub sentence: usize,
}

impl Statement {
    /// The interval the statement allows, in 元 for amounts.
    pub fn interval(&self) -> Interval {
        let i = self.value.interval();
        match self.unit {
            Some(u) => i.scale(u.in_yuan()),
            None => i,
        }
    }

    /// The value as written, with its unit ("4726.02 万元", "9.99").
    pub fn display(&self) -> String {
        match self.unit {
            Some(u) => format!("{} {}", self.value, u.as_str()),
            None => self.value.to_string(),
        }
    }
}

/// A quantity of the report with every statement of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quantity {
    pub statements: Vec<Statement>,
    /// Set by conflict resolution: the statement the other relations back.
    pub resolved: Option<usize>,
}

impl Quantity {
    pub fn push(&mut self, s: Statement) {
        self.statements.push(s);
    }

    /// Whether two statements of it cannot both be true.
    ///
    /// Closed intervals on a line meet pairwise exactly when the highest
    /// lower bound is at most the lowest upper bound, so one pass decides
    /// it: a document that states one quantity thousands of times costs
    /// thousands of steps, not millions of comparisons.
    pub fn is_conflicting(&self) -> bool {
        let mut intervals = self.statements.iter().map(Statement::interval);
        let Some(first) = intervals.next() else {
            return false;
        };
        let (lo, hi) = intervals.fold((first.lo, first.hi), |(lo, hi), i| {
            (lo.max(i.lo), hi.min(i.hi))
        });
        lo > hi
    }

    /// The value to compute with: the only one, the agreed one, or the one
    /// conflict resolution chose. None when unknown or undecided.
    pub fn get(&self) -> Option<&Statement> {
        if let Some(i) = self.resolved {
            return self.statements.get(i);
        }
        if self.is_conflicting() {
            return None;
        }
        self.statements.first()
    }

    pub fn is_stated(&self) -> bool {
        !self.statements.is_empty()
    }

    /// Whether no statement of it was read (for `skip_serializing_if`).
    pub fn is_unstated(&self) -> bool {
        self.statements.is_empty()
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.get() {
            None => s.serialize_none(),
            Some(st) => match st.unit {
                None => st.value.serialize(s),
                Some(u) => {
                    let mut m = s.serialize_map(Some(2))?;
                    m.serialize_entry("value", &st.value)?;
                    m.serialize_entry("unit", u.as_str())?;
                    m.end()
                }
            },
        }
    }
}

impl Statement {
    /// The exact sum of `parts` as written, in the first part's unit and at
    /// its precision, placed at the first part (for messages: 「应为 X」).
    /// None when there are no parts.
    pub fn sum_of(parts: &[&Statement]) -> Option<Statement> {
        let first = parts.first()?;
        let mut total = Decimal::ZERO;
        for p in parts {
            let v = match (p.unit, first.unit) {
                (Some(a), Some(b)) if a != b => p.value.value * a.in_yuan() / b.in_yuan(),
                _ => p.value.value,
            };
            total += v;
        }
        Some(Statement {
            value: Stated {
                value: total,
                precision: first.value.precision,
            },
            unit: first.unit,
            span: first.span.clone(),
            sentence: first.sentence,
        })
    }

    /// Whether the parts' sum can equal this total (their intervals meet),
    /// and the parts' exact sum in this total's unit.
    pub fn sum_holds(&self, parts: &[&Statement]) -> (bool, Statement) {
        let sum = parts.iter().map(|s| s.interval()).sum::<Interval>();
        let mut exact = Statement::sum_of(parts).expect("at least one part");
        if let (Some(tu), Some(pu)) = (self.unit, exact.unit) {
            exact.value.value = exact.value.value * pu.in_yuan() / tu.in_yuan();
            exact.unit = Some(tu);
        }
        (sum.intersects(&self.interval()), exact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Precision;

    fn quantity(values: &[(&str, Option<Unit>)]) -> Quantity {
        let mut q = Quantity::default();
        for (i, (v, unit)) in values.iter().enumerate() {
            q.push(Statement {
                value: Stated::parse(v, Precision::Digits).unwrap(),
                unit: *unit,
                span: i..i + 1,
                sentence: i,
            });
        }
        q
    }

    /// The definition: some two statements cannot both be true.
    fn pairwise(q: &Quantity) -> bool {
        let s = &q.statements;
        s.iter().enumerate().any(|(i, a)| {
            s[i + 1..]
                .iter()
                .any(|b| !a.interval().intersects(&b.interval()))
        })
    }

    #[test]
    fn statements_conflict_when_their_intervals_do_not_all_meet() {
        let w = Some(Unit::WanYuan);
        let y = Some(Unit::Yuan);
        // 1268.45 万元 and 12684500 元 meet; 1268.4 万元 allows 1268.35..1268.45.
        assert!(!quantity(&[("1268.45", w), ("12684500", y), ("1268.4", w)]).is_conflicting());
        assert!(quantity(&[("1268.45", w), ("1268.47", w)]).is_conflicting());
        // Both meet "1" (0.5..1.5), but not each other.
        assert!(quantity(&[("1.0", None), ("1", None), ("1.4", None)]).is_conflicting());
        assert!(!quantity(&[]).is_conflicting());
        assert!(!quantity(&[("7", None)]).is_conflicting());
    }

    #[test]
    fn the_one_pass_test_agrees_with_the_pairwise_definition() {
        let values = ["1", "1.0", "1.04", "1.05", "1.1", "0.95", "2", "1.5", "0.9"];
        // Every ordered triple and pair of the values above.
        for a in values {
            for b in values {
                let q = quantity(&[(a, None), (b, None)]);
                assert_eq!(q.is_conflicting(), pairwise(&q), "{a} {b}");
                for c in values {
                    let q = quantity(&[(a, None), (b, None), (c, None)]);
                    assert_eq!(q.is_conflicting(), pairwise(&q), "{a} {b} {c}");
                }
            }
        }
    }

    #[test]
    fn a_quantity_stated_a_hundred_thousand_times_is_decided_in_one_pass() {
        // Every pair was 5·10⁹ interval comparisons here (a report stating
        // one quantity 8,000 times took a minute to analyse); one pass is
        // 10⁵. The pairwise test would not answer within the wait.
        let q = quantity(&vec![("1268.45", Some(Unit::WanYuan)); 100_000]);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(q.is_conflicting());
        });
        let answer = rx.recv_timeout(std::time::Duration::from_secs(60));
        assert_eq!(answer, Ok(false));
    }
}
