//! Capping (winsorizing) a per-user metric, so that one whale cannot move
//! revenue per user: every user's value above the cap counts as the cap
//! (and, for a floor, every value below it as the floor) before the sums
//! are taken, so means, variances, ratios and CUPED all see the capped
//! values.
//!
//! A cap is an amount, or a percentile of the per-user values *pooled over
//! every variant* (never per variant, which would bias the difference),
//! taken by linear interpolation (Hyndman–Fan type 7, numpy's default,
//! SQL's `PERCENTILE_CONT`), optionally without the zeros. This is
//! GrowthBook's capping (`LEAST(COALESCE(value, 0), cap)` with the cap from
//! all units of all variations; "ignore zeros" leaves zeros out of the
//! percentile only), with a lower tail as Statsig's warehouse product and
//! Eppo offer. The cap is estimated from the data, and the interval of the
//! capped mean ignores that, as every vendor's does.
//!
//! Aggregated files carry an applied cap as an `X_cap` (or `X_floor`)
//! column, the same value on every row, so sums written by the app read
//! back as capped.
//!
//! Taking a percentile needs every user's value: [`resolve_caps`] reads
//! them (the CLI, the metrics panel and `Scenario::experiment` use it).
//! The web page caps with the values known without that reading
//! ([`known_caps`]): amounts, and each percentile with the value it was
//! last taken at, which the metrics panel writes into the plan's line
//! (`cap: spend 99% = 362.2`) and takes again when the data changes.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnMapping, ColumnRole, Columns};
use super::values::column_values;
use super::{header_fields, IngestError};
use crate::stats::quantile::type7;

/// The key of the fixed revenue metric, which a cap on the revenue column
/// (`revenue`, `spend`, …) applies to.
pub const REVENUE_KEY: &str = "revenue_per_user";

/// Which end of the values a cap bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tail {
    /// Values above the cap become the cap (the usual one).
    Upper,
    /// Values below the floor become the floor.
    Lower,
}

impl Tail {
    /// The suffix of the column that carries it in aggregated files.
    pub fn suffix(self) -> &'static str {
        match self {
            Tail::Upper => "_cap",
            Tail::Lower => "_floor",
        }
    }
}

/// Where a cap sits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapAt {
    /// A percentile of the pooled per-user values, as a fraction (0.99).
    Percentile(f64),
    /// A fixed amount.
    Value(f64),
}

/// A cap the user asked for: `spend 99%`, `spend 500`, `spend 99%
/// ignoring zeros`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapSpec {
    /// The metric's key: a metric column's header, or the revenue column's
    /// header (or `revenue_per_user`).
    pub metric: String,
    pub tail: Tail,
    pub at: CapAt,
    /// Take the percentile without the users whose value is 0 (mostly
    /// non-buyers, who would otherwise pull a revenue percentile to 0).
    pub ignore_zeros: bool,
    /// A percentile's value when it was last taken from the data, written
    /// `= 122.8` after the level: the web page caps with it, and the
    /// metrics panel takes the percentile again when the data changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<f64>,
}

const IGNORING_ZEROS: &str = " ignoring zeros";

impl CapSpec {
    /// `COLUMN LEVEL[ ignoring zeros][ = VALUE]`, LEVEL a percentage
    /// (`99%`, `99.9%`) or an amount (`500`), VALUE a percentile's value
    /// when last taken; `None` when it cannot be read.
    pub fn parse(tail: Tail, text: &str) -> Option<CapSpec> {
        // Word by word from the end, with char patterns only: a `&str`
        // pattern's searcher would cost the web page's download a kilobyte.
        let (rest, value) = text.trim().rsplit_once(' ')?;
        let (text, resolved) = match rest.strip_suffix(" =") {
            Some(before) => (before, Some(crate::decimal::parse_f64(value)?)),
            None => (text.trim(), None),
        };
        let (text, ignore_zeros) = match text.rsplit_once(' ') {
            Some((before, "zeros")) if before.ends_with(" ignoring") => {
                (before.get(..before.len() - " ignoring".len())?, true)
            }
            _ => (text, false),
        };
        let (metric, level) = text.rsplit_once(' ')?;
        let at = match level.strip_suffix('%') {
            Some(pct) => {
                let p = crate::decimal::parse_f64(pct)? / 100.0;
                (p > 0.0 && p < 1.0).then_some(CapAt::Percentile(p))?
            }
            None => CapAt::Value(crate::decimal::parse_f64(level).filter(|v| v.is_finite())?),
        };
        let metric = metric.trim();
        (!metric.is_empty()).then(|| CapSpec {
            metric: metric.to_string(),
            tail,
            at,
            ignore_zeros,
            resolved: resolved.filter(|_| matches!(at, CapAt::Percentile(_))),
        })
    }

    /// The cap's value when it is known without reading the data: an
    /// amount, or a percentile's value when last taken.
    pub fn known(&self) -> Option<f64> {
        match self.at {
            CapAt::Value(v) => Some(v),
            CapAt::Percentile(_) => self.resolved,
        }
    }

    /// The text [`CapSpec::parse`] reads back exactly.
    pub fn text(&self) -> String {
        let level = match self.at {
            CapAt::Percentile(p) => format!("{}%", p * 100.0),
            CapAt::Value(v) => format!("{v}"),
        };
        let zeros = if self.ignore_zeros {
            IGNORING_ZEROS
        } else {
            ""
        };
        let value = self.resolved.map(|v| format!(" = {v}")).unwrap_or_default();
        format!("{} {level}{zeros}{value}", self.metric)
    }
}

/// The caps whose value is known without reading the data
/// ([`CapSpec::known`]), as applied caps (users beyond them untold).
pub fn known_caps(specs: &[CapSpec]) -> Vec<AppliedCap> {
    specs
        .iter()
        .filter_map(|s| {
            Some(AppliedCap {
                metric: s.metric.clone(),
                tail: s.tail,
                value: s.known()?,
                beyond: 0,
            })
        })
        .collect()
}

/// A cap as applied to the data: the metric's key, the tail and the value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedCap {
    /// [`REVENUE_KEY`] for the revenue column, else the column's header.
    pub metric: String,
    pub tail: Tail,
    pub value: f64,
    /// Users whose value was beyond it, over every variant (0 when read
    /// back from sums, which do not say).
    #[serde(default)]
    pub beyond: u64,
}

/// Each cap's value on the rows of a row-level file: its amount, or its
/// percentile of the pooled values of every user (blank cells are 0). An
/// aggregated file gives none: its sums are capped already or cannot be.
/// An error names a metric with no column, or one whose values (without
/// the zeros, when asked) are all missing.
pub fn resolve_caps(
    text: &str,
    mapping: &ColumnMapping,
    specs: &[CapSpec],
) -> Result<Vec<AppliedCap>, IngestError> {
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let headers = header_fields(text);
    let cols = Columns::find(&headers, mapping);
    if cols.get(ColumnRole::Users).is_some() || cols.get(ColumnRole::Variant).is_none() {
        return Ok(Vec::new());
    }
    let revenue = cols
        .get(ColumnRole::Revenue)
        .map(|i| cols.name(i).to_string());
    specs
        .iter()
        .map(|spec| {
            let (key, column) = match &revenue {
                Some(r) if spec.metric == REVENUE_KEY || spec.metric == *r => {
                    (REVENUE_KEY.to_string(), r.clone())
                }
                _ if spec.metric == REVENUE_KEY => {
                    return Err(IngestError::NoCapColumn {
                        column: "revenue".into(),
                    })
                }
                _ => (spec.metric.clone(), spec.metric.clone()),
            };
            let by_variant =
                column_values(text, mapping, &column)?.ok_or_else(|| IngestError::NoCapColumn {
                    column: column.clone(),
                })?;
            let mut pooled: Vec<f64> = by_variant
                .into_iter()
                .flat_map(|(_, values)| values)
                .collect();
            let value = match spec.at {
                CapAt::Value(v) => v,
                CapAt::Percentile(p) => {
                    let mut sample: Vec<f64> = pooled
                        .iter()
                        .copied()
                        .filter(|&x| !(spec.ignore_zeros && x == 0.0))
                        .collect();
                    sample.sort_by(f64::total_cmp);
                    type7(&sample, p).ok_or_else(|| IngestError::NothingToCap {
                        column: column.clone(),
                    })?
                }
            };
            pooled.retain(|&x| match spec.tail {
                Tail::Upper => x > value,
                Tail::Lower => x < value,
            });
            Ok(AppliedCap {
                metric: key,
                tail: spec.tail,
                value,
                beyond: pooled.len() as u64,
            })
        })
        .collect()
}

/// The bounds one column's values are clamped to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Bounds {
    pub(super) low: f64,
    pub(super) high: f64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            low: f64::NEG_INFINITY,
            high: f64::INFINITY,
        }
    }
}

impl Bounds {
    /// The caps on `key`, tightest of each tail.
    pub(super) fn of(caps: &[AppliedCap], key: &str) -> Bounds {
        caps.iter()
            .filter(|c| c.metric == key)
            .fold(Bounds::default(), |b, c| match c.tail {
                Tail::Upper => Bounds {
                    high: b.high.min(c.value),
                    ..b
                },
                Tail::Lower => Bounds {
                    low: b.low.max(c.value),
                    ..b
                },
            })
    }

    /// `x` within the bounds (a floor above the cap leaves the cap).
    pub(super) fn clamp(self, x: f64) -> f64 {
        x.max(self.low).min(self.high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> CapSpec {
        let Some(s) = CapSpec::parse(Tail::Upper, text) else {
            panic!("cannot read {text}");
        };
        s
    }

    #[test]
    fn cap_lines_read_back_from_their_text() {
        for text in [
            "spend 99%",
            "order value 99.9% ignoring zeros",
            "spend 500",
            "x 0.5",
            "spend 99% = 122.8019",
            "a b 95% ignoring zeros = 0.5",
        ] {
            assert_eq!(spec(text).text(), text);
        }
        assert_eq!(spec("spend 99%").at, CapAt::Percentile(0.99));
        assert!(spec("a b 95% ignoring zeros").ignore_zeros);
        assert_eq!(spec("a b 95% ignoring zeros").metric, "a b");
        assert_eq!(spec("spend 99% = 122.8").known(), Some(122.8));
        assert_eq!(spec("spend 99%").known(), None);
        assert_eq!(spec("spend 500").known(), Some(500.0));
        // An amount has no taken value to keep.
        assert_eq!(spec("spend 500 = 3").resolved, None);
        for bad in [
            "spend",
            "spend 100%",
            "spend 0%",
            "spend lots",
            " 99%",
            "spend NaN",
            "spend 99% = x",
        ] {
            assert_eq!(CapSpec::parse(Tail::Upper, bad), None, "{bad}");
        }
    }

    #[test]
    fn a_percentile_cap_pools_every_variant_and_can_leave_out_zeros() {
        // A: 0, 0, 10, 20; B: 0, 30, 40, 1000. Pooled sorted: 0 0 0 10 20 30 40 1000.
        let text = "variant,spend\nA,0\nA,0\nA,10\nA,20\nB,0\nB,30\nB,40\nB,1000\n";
        let m = ColumnMapping::new();
        let Ok(caps) = resolve_caps(text, &m, &[spec("spend 75%")]) else {
            panic!("no caps");
        };
        // type 7: h = 7·0.75 = 5.25 → 30 + 0.25·(40 − 30).
        assert_eq!(
            caps[..],
            [AppliedCap {
                metric: REVENUE_KEY.into(),
                tail: Tail::Upper,
                value: 32.5,
                beyond: 2
            }]
        );
        let Ok(caps) = resolve_caps(text, &m, &[spec("spend 50% ignoring zeros")]) else {
            panic!("no caps");
        };
        // Without zeros: 10 20 30 40 1000 → the median 30; 40 and 1000 beyond.
        assert_eq!((caps[0].value, caps[0].beyond), (30.0, 2));
        let floor = CapSpec::parse(Tail::Lower, "spend 5")
            .into_iter()
            .collect::<Vec<_>>();
        let Ok(caps) = resolve_caps(text, &m, &floor) else {
            panic!("no floor");
        };
        assert_eq!(
            (caps[0].value, caps[0].beyond, caps[0].tail),
            (5.0, 3, Tail::Lower)
        );
    }

    #[test]
    fn caps_that_cannot_be_taken_say_why() {
        let text = "variant,spend,visits\nA,0,1\nB,0,2\n";
        let m = ColumnMapping::new();
        assert_eq!(
            resolve_caps(text, &m, &[spec("minutes 99%")]),
            Err(IngestError::NoCapColumn {
                column: "minutes".into()
            })
        );
        assert_eq!(
            resolve_caps(text, &m, &[spec("spend 99% ignoring zeros")]),
            Err(IngestError::NothingToCap {
                column: "spend".into()
            })
        );
        // A metric column caps under its own header.
        let Ok(caps) = resolve_caps(text, &m, &[spec("visits 1.5")]) else {
            panic!("no cap");
        };
        assert_eq!((caps[0].metric.as_str(), caps[0].beyond), ("visits", 1));
        // Sums cannot be capped again: no caps, and no error.
        let sums = "variant,users,revenue\nA,10,100\nB,10,120\n";
        assert_eq!(
            resolve_caps(sums, &m, &[spec("revenue 99%")]),
            Ok(Vec::new())
        );
    }

    #[test]
    fn capped_sums_use_the_capped_values_everywhere_and_read_back_as_capped() {
        use crate::ingest::{parse_experiment_capped, to_aggregated_csv};
        let text = "variant,spend,pre_revenue,minutes\nA,0,1,5\nA,10,2,50\nB,0,3,7\nB,1000,4,500\n";
        let m = ColumnMapping::new();
        let caps = [spec("spend 20"), spec("minutes 60")];
        let Ok(e) = parse_experiment_capped(text, &m, &caps) else {
            panic!("unreadable");
        };
        let b = &e.variants[1];
        // B's whale counts as 20: sums, squares and the CUPED product.
        assert_eq!(
            (b.revenue, b.revenue_sq, b.revenue_x_pre),
            (Some(20.0), Some(400.0), Some(80.0))
        );
        // Still a buyer.
        assert_eq!(b.conversions, Some(1));
        assert_eq!(b.columns[0].sum, 67.0);
        assert_eq!(b.columns[0].sum_sq, Some(49.0 + 3600.0));
        assert_eq!(e.caps.len(), 2);
        assert_eq!(
            (e.caps[0].metric.as_str(), e.caps[0].beyond),
            (REVENUE_KEY, 1)
        );
        // Written as sums and read back: the same sums, and still capped.
        let sums = to_aggregated_csv(&e.variants, &e.metric_columns, &e.caps);
        assert!(sums.contains(",revenue_cap,"), "{sums}");
        let Ok(back) = parse_experiment_capped(&sums, &m, &caps) else {
            panic!("sums unreadable: {sums}");
        };
        assert_eq!(back.variants[1].revenue, Some(20.0));
        assert_eq!(back.variants[1].columns.first().map(|c| c.sum), Some(67.0));
        let applied: Vec<_> = back
            .caps
            .iter()
            .map(|c| (c.metric.as_str(), c.value))
            .collect();
        assert_eq!(applied, [(REVENUE_KEY, 20.0), ("minutes", 60.0)]);
        assert_eq!(back.metric_columns.len(), 1, "{:?}", back.metric_columns);
        // Without caps nothing changes.
        let Ok(raw) = parse_experiment_capped(text, &m, &[]) else {
            panic!("unreadable");
        };
        assert_eq!((raw.variants[1].revenue, raw.caps.len()), (Some(1000.0), 0));
    }

    #[test]
    fn bounds_take_the_tightest_cap_of_each_tail() {
        let cap = |tail, value| AppliedCap {
            metric: "x".into(),
            tail,
            value,
            beyond: 0,
        };
        let b = Bounds::of(
            &[
                cap(Tail::Upper, 10.0),
                cap(Tail::Upper, 8.0),
                cap(Tail::Lower, 1.0),
            ],
            "x",
        );
        assert_eq!((b.clamp(9.0), b.clamp(0.5), b.clamp(5.0)), (8.0, 1.0, 5.0));
        assert_eq!(Bounds::of(&[cap(Tail::Upper, 1.0)], "y").clamp(1e9), 1e9);
    }
}
