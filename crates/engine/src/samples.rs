//! Realistic sample files for the "load sample" menu: each shape the app
//! reads, generated from a seed so every visitor sees the same numbers.

use crate::rng::Rng;
use crate::scenario::DEMO_DATA;

/// A sample experiment file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// One row per variant with revenue sums (the demo).
    Aggregated,
    /// One row per variant and device segment.
    Segmented,
    /// One row per user: converted flag, orders and revenue.
    RowLevel,
    /// One row per user with last quarter's revenue, for CUPED.
    PrePeriod,
}

impl Sample {
    pub const ALL: [Sample; 4] = [
        Sample::Aggregated,
        Sample::Segmented,
        Sample::RowLevel,
        Sample::PrePeriod,
    ];

    /// Short identifier for forms and links.
    pub fn id(self) -> &'static str {
        match self {
            Sample::Aggregated => "aggregated",
            Sample::Segmented => "segments",
            Sample::RowLevel => "row-level",
            Sample::PrePeriod => "pre-period",
        }
    }

    pub fn from_id(id: &str) -> Option<Sample> {
        Sample::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Sample::Aggregated => "Aggregated per variant (the demo)",
            Sample::Segmented => "Aggregated per variant and device",
            Sample::RowLevel => "One row per user (4,000 users)",
            Sample::PrePeriod => "Per user with pre-period revenue (CUPED)",
        }
    }

    /// The sample's CSV text.
    pub fn csv(self) -> String {
        match self {
            Sample::Aggregated => DEMO_DATA.to_string(),
            Sample::Segmented => "\
variant,segment,users,conversions,orders,revenue
control,mobile,14400,245,262,19650
control,desktop,9600,235,254,21630
personalized,mobile,14400,331,360,27720
personalized,desktop,9600,293,320,28720
"
            .to_string(),
            Sample::RowLevel => users_csv(4_000, false, 11),
            Sample::PrePeriod => users_csv(4_000, true, 12),
        }
    }
}

/// `n` users split evenly, the personalized arm converting 25% more often.
/// With `pre_period`, revenue follows each user's earlier spend, which is
/// what makes CUPED shrink the interval.
fn users_csv(n: usize, pre_period: bool, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from(if pre_period {
        "user_id,variant,converted,orders,revenue,pre_revenue\n"
    } else {
        "user_id,variant,converted,orders,revenue\n"
    });
    for i in 0..n {
        let treated = i % 2 == 1;
        let pre = if rng.uniform() < 0.4 {
            rng.gamma(2.0, 40.0)
        } else {
            0.0
        };
        let base = if treated { 0.05 } else { 0.04 };
        let p = if pre_period && pre > 0.0 {
            base * 2.0
        } else {
            base
        };
        let converted = rng.uniform() < p;
        let orders = if converted {
            1 + u32::from(rng.uniform() < 0.15)
        } else {
            0
        };
        let revenue = if converted {
            f64::from(orders) * rng.gamma(4.0, 20.0) + 0.3 * pre
        } else {
            0.0
        };
        let variant = if treated { "personalized" } else { "control" };
        out.push_str(&format!(
            "{},{variant},{},{orders},{revenue:.2}",
            100_000 + i,
            u8::from(converted)
        ));
        if pre_period {
            out.push_str(&format!(",{pre:.2}"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{parse_experiment, DataShape};

    #[test]
    fn every_sample_parses_into_two_variants() {
        for s in Sample::ALL {
            let e = match parse_experiment(&s.csv()) {
                Ok(e) => e,
                Err(err) => panic!("{}: {err}", s.id()),
            };
            assert_eq!(e.variants.len(), 2, "{}", s.id());
            assert_eq!(e.skipped, 0);
            assert_eq!(Sample::from_id(s.id()), Some(s));
        }
        let e = parse_experiment(&Sample::PrePeriod.csv());
        assert!(
            matches!(e, Ok(ref e) if e.shape == DataShape::RowLevel && e.variants[0].pre_revenue.is_some())
        );
    }

    #[test]
    fn samples_are_the_same_every_time() {
        assert_eq!(Sample::RowLevel.csv(), Sample::RowLevel.csv());
    }
}
