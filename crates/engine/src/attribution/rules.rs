//! The rule-based credit of each channel: each journey's conversions and
//! value split among its touches by a fixed rule. Each rule follows a named
//! convention, since tools differ:
//! - first and last touch: the whole journey to its first or last touch;
//! - linear per touch: equal shares per touch, repeats counted
//!   (ChannelAttribution's `linear_touch`, mta's `linear(share="proportional")`);
//! - linear per channel: equal shares per distinct channel, which is also
//!   Zhao, Mahboobi & Bagheri's (2018) simplified Shapley value
//!   (`φ_j = Σ_{S∋j} R(S)/|S|`; mta's `linear(share="same")` and `shapley`);
//! - position-based (U-shaped): 40% to the first touch, 40% to the last,
//!   20% split equally over the touches between (Google Ads'
//!   POSITION_BASED; mta's `position_based`): one touch takes all, two
//!   touches half each.

use serde::{Deserialize, Serialize};

use super::paths::Journeys;

/// Conversions and value credited to a channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Credit {
    pub conversions: f64,
    pub value: f64,
}

/// A rule's credit for every channel, in the order of
/// [`Journeys::channels`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleCredits {
    pub first_touch: Vec<Credit>,
    pub last_touch: Vec<Credit>,
    pub linear_touch: Vec<Credit>,
    /// Linear per distinct channel: the simplified Shapley value.
    pub shapley: Vec<Credit>,
    pub position_based: Vec<Credit>,
}

/// Every rule's credit. Journeys that did not convert credit nothing.
pub fn rule_credits(j: &Journeys) -> RuleCredits {
    let n = j.channels.len();
    let mut out = RuleCredits {
        first_touch: vec![Credit::default(); n],
        last_touch: vec![Credit::default(); n],
        linear_touch: vec![Credit::default(); n],
        shapley: vec![Credit::default(); n],
        position_based: vec![Credit::default(); n],
    };
    let mut distinct: Vec<usize> = Vec::new();
    for p in j
        .paths
        .iter()
        .filter(|p| p.conversions > 0.0 || p.value > 0.0)
    {
        let give = |credits: &mut Vec<Credit>, channel: usize, share: f64| {
            if let Some(c) = credits.get_mut(channel) {
                c.conversions += p.conversions * share;
                c.value += p.value * share;
            }
        };
        let len = p.touches.len();
        let (Some(&first), Some(&last)) = (p.touches.first(), p.touches.last()) else {
            continue;
        };
        give(&mut out.first_touch, first, 1.0);
        give(&mut out.last_touch, last, 1.0);
        for &t in &p.touches {
            give(&mut out.linear_touch, t, 1.0 / len as f64);
        }
        distinct.clear();
        for &t in &p.touches {
            if !distinct.contains(&t) {
                distinct.push(t);
            }
        }
        for &t in &distinct {
            give(&mut out.shapley, t, 1.0 / distinct.len() as f64);
        }
        match len {
            1 => give(&mut out.position_based, first, 1.0),
            2 => {
                give(&mut out.position_based, first, 0.5);
                give(&mut out.position_based, last, 0.5);
            }
            _ => {
                give(&mut out.position_based, first, 0.4);
                give(&mut out.position_based, last, 0.4);
                let middle = p.touches.get(1..len - 1).unwrap_or_default();
                for &t in middle {
                    give(&mut out.position_based, t, 0.2 / middle.len() as f64);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::paths::read_paths;
    use super::*;

    #[test]
    fn each_rule_splits_a_journey_by_its_convention() -> Result<(), super::super::AttributionError>
    {
        // a > a > b converts once (value 3); c > a > d > b once (value 6).
        let j = read_paths("path,conversions,value\na > a > b,1,3\nc > a > d > b,1,6\nd,0,0\n")?;
        let r = rule_credits(&j);
        let conv = |c: &[Credit]| c.iter().map(|c| c.conversions).collect::<Vec<_>>();
        let close = |got: Vec<f64>, want: [f64; 4]| {
            assert!(
                got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-12),
                "{got:?} vs {want:?}"
            );
        };
        // Channels: a, b, c, d.
        close(conv(&r.first_touch), [1.0, 0.0, 1.0, 0.0]);
        close(conv(&r.last_touch), [0.0, 2.0, 0.0, 0.0]);
        close(
            conv(&r.linear_touch),
            [2.0 / 3.0 + 0.25, 1.0 / 3.0 + 0.25, 0.25, 0.25],
        );
        close(conv(&r.shapley), [0.5 + 0.25, 0.5 + 0.25, 0.25, 0.25]);
        close(
            conv(&r.position_based),
            [0.4 + 0.2 + 0.1, 0.4 + 0.4, 0.4, 0.1],
        );
        let value: f64 = r.position_based.iter().map(|c| c.value).sum();
        assert!((value - 9.0).abs() < 1e-12);
        Ok(())
    }
}
