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
    pub fn is_conflicting(&self) -> bool {
        let s = &self.statements;
        s.iter().enumerate().any(|(i, a)| {
            s[i + 1..]
                .iter()
                .any(|b| !a.interval().intersects(&b.interval()))
        })
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
