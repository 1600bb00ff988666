//! Stated numbers and exact interval arithmetic.
//!
//! A number in a report is a statement with a precision: "99.94%" says the
//! true value lies in [99.935, 99.945]. Checks compare intervals, never
//! floats: a relation is broken only when no choice of values inside the
//! stated intervals satisfies it (the idea behind XBRL Calculations 1.1).
//! Intervals are closed, so a value that sits exactly on a rounding
//! boundary is given the benefit of the doubt.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How precisely a number was stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Precision {
    /// Rounded to its last written digit: "10590.2" is 10590.2 ± 0.05.
    Digits,
    /// Rounded to its last written digit, but never coarser than this many
    /// decimals: scores are kept to hundredths, so "20 分" is 20 ± 0.005.
    AtLeast(u32),
    /// Exact by definition: points (分值) and counts.
    Exact,
}

/// A number as the report states it, keeping its written scale
/// ("10590.20" stays "10590.20").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stated {
    pub value: Decimal,
    pub precision: Precision,
}

impl Stated {
    /// Parses an ASCII decimal such as `1,234.56` (commas are dropped).
    pub fn parse(text: &str, precision: Precision) -> Option<Stated> {
        let cleaned: String = text.chars().filter(|c| *c != ',').collect();
        if cleaned.is_empty() || cleaned.starts_with('.') || cleaned.ends_with('.') {
            return None;
        }
        let value = Decimal::from_str(&cleaned).ok()?;
        // No figure of a report has more than 15 integer digits (a budget
        // of 10^15 亿元 is not one); such a string is not a figure, and its
        // products with units and shares would overflow.
        if value.abs() >= Decimal::from(1_000_000_000_000_000u64) {
            return None;
        }
        Some(Stated { value, precision })
    }

    pub fn exact(value: Decimal) -> Stated {
        Stated {
            value,
            precision: Precision::Exact,
        }
    }

    /// Half the width of the interval the statement allows.
    pub fn half_width(&self) -> Decimal {
        let scale = match self.precision {
            Precision::Exact => return Decimal::ZERO,
            Precision::Digits => self.value.scale(),
            Precision::AtLeast(min) => self.value.scale().max(min),
        };
        Decimal::new(5, scale + 1)
    }

    pub fn interval(&self) -> Interval {
        let h = self.half_width();
        Interval {
            lo: self.value - h,
            hi: self.value + h,
        }
    }
}

impl fmt::Display for Stated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)
    }
}

impl Serialize for Stated {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.value)
    }
}

/// A closed interval [lo, hi] of exact decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub lo: Decimal,
    pub hi: Decimal,
}

impl Interval {
    pub fn point(v: Decimal) -> Interval {
        Interval { lo: v, hi: v }
    }

    pub fn zero() -> Interval {
        Interval::point(Decimal::ZERO)
    }

    pub fn plus(self, o: Interval) -> Interval {
        Interval {
            lo: self.lo + o.lo,
            hi: self.hi + o.hi,
        }
    }

    pub fn minus(self, o: Interval) -> Interval {
        Interval {
            lo: self.lo - o.hi,
            hi: self.hi - o.lo,
        }
    }

    /// Product of two intervals (any signs).
    pub fn times(self, o: Interval) -> Interval {
        let c = [
            self.lo * o.lo,
            self.lo * o.hi,
            self.hi * o.lo,
            self.hi * o.hi,
        ];
        Interval {
            lo: c.iter().copied().min().unwrap_or_default(),
            hi: c.iter().copied().max().unwrap_or_default(),
        }
    }

    /// Scales by an exact factor (used for "/ 100" on percentages).
    pub fn scale(self, k: Decimal) -> Interval {
        self.times(Interval::point(k))
    }

    /// Quotient of a non-negative interval by a positive one (an amount
    /// over its base); `None` when the divisor can be zero or either can
    /// be negative.
    pub fn over(self, o: Interval) -> Option<Interval> {
        (self.lo >= Decimal::ZERO && o.lo > Decimal::ZERO).then(|| Interval {
            lo: self.lo / o.hi,
            hi: self.hi / o.lo,
        })
    }

    pub fn intersects(&self, o: &Interval) -> bool {
        self.lo <= o.hi && o.lo <= self.hi
    }

    pub fn contains(&self, v: Decimal) -> bool {
        self.lo <= v && v <= self.hi
    }
}

/// Rounds half away from zero (四舍五入), as reports round, to `dp`
/// decimals. Used only for the expected values shown to reviewers; checks
/// compare intervals and never round.
pub fn round_half_up(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

impl std::iter::Sum for Interval {
    /// The interval sum: every value the parts allow, added up.
    fn sum<I: Iterator<Item = Interval>>(iter: I) -> Interval {
        iter.fold(Interval::zero(), Interval::plus)
    }
}

/// Whether a stated figure misses the exact value only by one unit of its
/// last stated digit (10.15 where 10.158 is exact, 99.8 where 99.87 is):
/// the slip of a rounding or a truncation, which a finding reports as a
/// notice rather than an error. A figure stated without decimals is not
/// so excused: one unit there is a whole percentage point.
pub fn one_unit_off(stated: &Stated, exact: Decimal) -> bool {
    let scale = stated.value.scale();
    let unit = Decimal::new(1, scale);
    scale > 0 && (round_half_up(exact, scale) - stated.value).abs() == unit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn percent_interval_is_half_a_unit_of_the_last_digit() {
        let s = Stated::parse("99.94", Precision::Digits).unwrap();
        assert_eq!(
            s.interval(),
            Interval {
                lo: d("99.935"),
                hi: d("99.945")
            }
        );
        assert_eq!(s.to_string(), "99.94");
    }

    #[test]
    fn scale_is_kept_and_commas_dropped() {
        let s = Stated::parse("1,234.50", Precision::Digits).unwrap();
        assert_eq!(s.to_string(), "1234.50");
        assert_eq!(s.half_width(), d("0.005"));
        assert!(Stated::parse("1.", Precision::Digits).is_none());
    }

    #[test]
    fn expected_values_round_half_up() {
        assert_eq!(round_half_up(d("4.625"), 2), d("4.63"));
        assert_eq!(round_half_up(d("9.985"), 2), d("9.99"));
        assert_eq!(round_half_up(d("-0.125"), 2), d("-0.13"));
    }

    #[test]
    fn scores_are_at_least_hundredths() {
        let s = Stated::parse("20", Precision::AtLeast(2)).unwrap();
        assert_eq!(s.half_width(), d("0.005"));
        let p = Stated::parse("1", Precision::Exact).unwrap();
        assert_eq!(p.half_width(), Decimal::ZERO);
    }

    #[test]
    fn amounts_in_yuan_and_wan_yuan_compare_with_each_sides_precision() {
        let wan = d("10000");
        let in_yuan = |s: &str, k: Decimal| {
            Stated::parse(s, Precision::Digits)
                .unwrap()
                .interval()
                .scale(k)
        };
        // 6.30 万元 is 62950..63050 元; 63,000 元 is 62999.5..63000.5 元.
        let table = in_yuan("63,000", Decimal::ONE);
        assert!(in_yuan("6.30", wan).intersects(&table));
        // 6.3 万元 is coarser, 62500..63500 元: 63,400 元 fits it, but not
        // 6.30 万元.
        let other = in_yuan("63,400", Decimal::ONE);
        assert!(in_yuan("6.3", wan).intersects(&other));
        assert!(!in_yuan("6.30", wan).intersects(&other));
        // 10,793,281.60 元 against 1079.33 万元 (10793250..10793350 元).
        let big = in_yuan("10,793,281.60", Decimal::ONE);
        assert_eq!(big.lo, d("10793281.595"));
        assert!(in_yuan("1079.33", wan).intersects(&big));
        assert!(!in_yuan("1079.34", wan).intersects(&big));
    }

    #[test]
    fn rounded_share_is_consistent_but_wrong_one_is_not() {
        // 10583.6 / 10590.2 = 99.9377…% rounds to 99.94%.
        let part = Stated::parse("10583.6", Precision::Digits)
            .unwrap()
            .interval();
        let total = Stated::parse("10590.2", Precision::Digits)
            .unwrap()
            .interval();
        let share = Stated::parse("99.94", Precision::Digits)
            .unwrap()
            .interval();
        assert!(part.intersects(&share.times(total).scale(d("0.01"))));
        let wrong = Stated::parse("99.90", Precision::Digits)
            .unwrap()
            .interval();
        assert!(!part.intersects(&wrong.times(total).scale(d("0.01"))));
    }
}
