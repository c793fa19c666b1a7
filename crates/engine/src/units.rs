//! Small domain types, so that a rate is never mistaken for a percentage and
//! money is never mistaken for a count.

use serde::{Deserialize, Serialize};

/// An amount of money in the scenario's currency. Formatting (symbol, locale)
/// is the UI's job; the engine only carries the number.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub f64);

impl Money {
    pub const ZERO: Money = Money(0.0);

    pub fn value(self) -> f64 {
        self.0
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

/// A proportion stored as a fraction (0.026 means 2.6%). Conversion rates,
/// margins and uplifts are all `Rate`s; the UI multiplies by 100 to print them.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rate(pub f64);

impl Rate {
    pub fn fraction(self) -> f64 {
        self.0
    }

    pub fn percent(self) -> f64 {
        self.0 * 100.0
    }

    pub fn from_percent(p: f64) -> Rate {
        Rate(p / 100.0)
    }

    /// The rate, capped at the largest finite value (an IRR can overflow).
    pub fn min_finite(self) -> Rate {
        Rate(self.0.min(f64::MAX))
    }
}

/// A closed interval `[low, high]` around an estimate; written as a
/// two-element array `[low, high]` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(into = "[f64; 2]", from = "[f64; 2]")]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }

    pub fn excludes_zero(&self) -> bool {
        !self.contains(0.0)
    }
}

impl From<Interval> for [f64; 2] {
    fn from(i: Interval) -> [f64; 2] {
        [i.low, i.high]
    }
}

impl From<[f64; 2]> for Interval {
    fn from([low, high]: [f64; 2]) -> Interval {
        Interval { low, high }
    }
}
