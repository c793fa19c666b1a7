//! The Markov-chain removal effect of each channel (Anderl, Becker, von
//! Wangenheim & Schumann 2016, "Mapping the customer journey", IJRM 33(3)),
//! computed exactly rather than by simulating journeys as ChannelAttribution
//! does.
//!
//! States are the windows of `order` touches along each path (a path
//! shorter than that is one state), consecutive equal states merged; from
//! (start) every journey steps along its states and ends in (conversion) or
//! (null). With `Q` the transitions between states and `r(s)` the chance of
//! converting from `s`, the expected visits are `x = e_start (I − Q)⁻¹`,
//! summed here as the series `Σₙ e_start Qⁿ` until what is left is below
//! 1e-18, and the chance of converting is `P = Σ_s x_s r(s)`. Removing
//! channel `k` sends every journey that reaches a state holding `k` to
//! (null): `RE_k = 1 − P₋ₖ / P`, and `k` is credited
//! `RE_k / Σ_j RE_j` of the conversions. For value, each conversion is worth
//! the mean value of the journeys that converted from its last state.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::paths::Journeys;
use super::AttributionError;

/// Orders the chain may have.
pub const MAX_ORDER: usize = 3;

/// What is left of the series when it stops.
const NEGLIGIBLE: f64 = 1e-18;

/// One channel's removal effects and credit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkovChannel {
    /// `1 − P(conversion without the channel) / P(conversion)`.
    pub removal_effect: f64,
    /// The same for the value of the conversions, when the paths have one.
    pub value_removal_effect: Option<f64>,
    /// The conversions and value credited: the removal effects scaled to
    /// the observed totals.
    pub conversions: f64,
    pub value: Option<f64>,
}

/// The chain of one order, and every channel's credit by it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkovResult {
    pub order: usize,
    /// Journeys that did not convert were part of the chain.
    pub with_nulls: bool,
    /// States, (start) included.
    pub states: usize,
    /// The chance that a journey converts.
    pub conversion_probability: f64,
    /// In the order of [`Journeys::channels`].
    pub channels: Vec<MarkovChannel>,
}

/// The chain built from the paths.
struct Chain {
    /// The channels each state holds (none for (start), state 0).
    holds: Vec<Vec<usize>>,
    /// Transitions between states: (to, probability), per state.
    next: Vec<Vec<(usize, f64)>>,
    /// The chance of converting from each state.
    converts: Vec<f64>,
    /// The mean value of a conversion from each state.
    worth: Vec<f64>,
}

/// The states of a path: its windows of `order` touches (the whole path
/// when shorter), consecutive equal ones merged.
fn states_of(touches: &[usize], order: usize) -> Vec<&[usize]> {
    let mut states: Vec<&[usize]> = if touches.len() <= order {
        vec![touches]
    } else {
        touches.windows(order).collect()
    };
    states.dedup();
    states
}

fn chain(j: &Journeys, order: usize, with_nulls: bool) -> Chain {
    let mut index: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut holds: Vec<Vec<usize>> = vec![Vec::new()];
    let mut counts: Vec<HashMap<usize, f64>> = vec![HashMap::new()];
    let mut ends: Vec<(f64, f64, f64)> = vec![(0.0, 0.0, 0.0)];
    for p in &j.paths {
        let nulls = if with_nulls { p.nulls } else { 0.0 };
        let weight = p.conversions + nulls;
        if weight <= 0.0 {
            continue;
        }
        let mut from = 0;
        for state in states_of(&p.touches, order) {
            let next = holds.len();
            let to = *index.entry(state.to_vec()).or_insert(next);
            if to == next {
                let mut channels = state.to_vec();
                channels.sort_unstable();
                channels.dedup();
                holds.push(channels);
                counts.push(HashMap::new());
                ends.push((0.0, 0.0, 0.0));
            }
            if let Some(c) = counts.get_mut(from) {
                *c.entry(to).or_default() += weight;
            }
            from = to;
        }
        if let Some(e) = ends.get_mut(from) {
            e.0 += p.conversions;
            e.1 += nulls;
            e.2 += p.value;
        }
    }
    let mut next = Vec::with_capacity(holds.len());
    let mut converts = Vec::with_capacity(holds.len());
    let mut worth = Vec::with_capacity(holds.len());
    for (c, &(conv, null, value)) in counts.iter().zip(&ends) {
        let out: f64 = c.values().sum::<f64>() + conv + null;
        let mut row: Vec<(usize, f64)> = c.iter().map(|(&to, &n)| (to, n / out)).collect();
        // Summed in a fixed order: the same chain gives the same bits.
        row.sort_unstable_by_key(|&(to, _)| to);
        next.push(row);
        converts.push(if out > 0.0 { conv / out } else { 0.0 });
        worth.push(if conv > 0.0 { value / conv } else { 0.0 });
    }
    Chain {
        holds,
        next,
        converts,
        worth,
    }
}

/// The chance of converting, and the value converted per journey, when
/// every state holding `removed` leads to (null).
fn converting(chain: &Chain, removed: Option<usize>) -> (f64, f64) {
    let n = chain.holds.len();
    let kept: Vec<bool> = chain
        .holds
        .iter()
        .map(|h| removed.is_none_or(|k| !h.contains(&k)))
        .collect();
    let mut visits = vec![0.0; n];
    let mut step = vec![0.0; n];
    let mut after = vec![0.0; n];
    if let (Some(v), Some(s)) = (visits.first_mut(), step.first_mut()) {
        *v = 1.0;
        *s = 1.0;
    }
    // Each step moves what is left of the journeys along the chain: a
    // journey that never ends is impossible (every state has an end), so
    // the mass falls geometrically; the cap only guards a chain gone wrong.
    for _ in 0..1_000_000 {
        after.iter_mut().for_each(|a| *a = 0.0);
        for (from, &mass) in step.iter().enumerate() {
            if mass == 0.0 {
                continue;
            }
            for &(to, p) in chain.next.get(from).map_or(&[][..], Vec::as_slice) {
                if kept.get(to).copied().unwrap_or(false) {
                    if let Some(a) = after.get_mut(to) {
                        *a += mass * p;
                    }
                }
            }
        }
        std::mem::swap(&mut step, &mut after);
        let left: f64 = step.iter().sum();
        for (v, s) in visits.iter_mut().zip(&step) {
            *v += s;
        }
        if left < NEGLIGIBLE {
            break;
        }
    }
    let mut p = 0.0;
    let mut value = 0.0;
    for ((&x, &r), (&m, &keep)) in visits
        .iter()
        .zip(&chain.converts)
        .zip(chain.worth.iter().zip(&kept))
    {
        if keep {
            p += x * r;
            value += x * r * m;
        }
    }
    (p, value)
}

/// Every channel's removal effect and credit by the chain of `order`
/// (1 to [`MAX_ORDER`]); without the journeys that did not convert when
/// `with_nulls` is false (or the paths have none), as ChannelAttribution
/// does then.
pub fn markov(
    j: &Journeys,
    order: usize,
    with_nulls: bool,
) -> Result<MarkovResult, AttributionError> {
    if !(1..=MAX_ORDER).contains(&order) {
        return Err(AttributionError::Order { order });
    }
    let with_nulls = with_nulls && j.has_nulls;
    let chain = chain(j, order, with_nulls);
    let (p, value) = converting(&chain, None);
    if p <= 0.0 {
        return Err(AttributionError::NoConversions);
    }
    let total_conversions: f64 = j.paths.iter().map(|p| p.conversions).sum();
    let total_value: f64 = j.paths.iter().map(|p| p.value).sum();
    let effects: Vec<(f64, f64)> = (0..j.channels.len())
        .map(|k| {
            let (pk, vk) = converting(&chain, Some(k));
            let rev = if value > 0.0 { 1.0 - vk / value } else { 0.0 };
            (1.0 - pk / p, rev)
        })
        .collect();
    let sum_re: f64 = effects.iter().map(|e| e.0).sum();
    let sum_rev: f64 = effects.iter().map(|e| e.1).sum();
    let valued = j.has_value && value > 0.0;
    let channels = effects
        .iter()
        .map(|&(re, rev)| MarkovChannel {
            removal_effect: re,
            value_removal_effect: valued.then_some(rev),
            conversions: if sum_re > 0.0 {
                re / sum_re * total_conversions
            } else {
                0.0
            },
            value: valued.then(|| {
                if sum_rev > 0.0 {
                    rev / sum_rev * total_value
                } else {
                    0.0
                }
            }),
        })
        .collect();
    Ok(MarkovResult {
        order,
        with_nulls,
        states: chain.holds.len(),
        conversion_probability: p,
        channels,
    })
}

#[cfg(test)]
mod tests {
    use super::super::paths::read_paths;
    use super::*;

    /// The classic toy chain (Anderl et al.; the research note's check):
    /// C1 > C2 > C3 converts once, C1 and C2 > C3 end without.
    #[test]
    fn the_toy_chain_has_its_known_removal_effects() -> Result<(), AttributionError> {
        let j = read_paths("path,conversions,nulls\nC1 > C2 > C3,1,0\nC1,0,1\nC2 > C3,0,1\n")?;
        let m = markov(&j, 1, true)?;
        assert!((m.conversion_probability - 1.0 / 3.0).abs() < 1e-15);
        let re: Vec<f64> = m.channels.iter().map(|c| c.removal_effect).collect();
        let conv: Vec<f64> = m.channels.iter().map(|c| c.conversions).collect();
        for (got, want) in re.iter().zip([0.5, 1.0, 1.0]) {
            assert!((got - want).abs() < 1e-15, "{re:?}");
        }
        for (got, want) in conv.iter().zip([0.2, 0.4, 0.4]) {
            assert!((got - want).abs() < 1e-15, "{conv:?}");
        }
        assert_eq!(m.states, 4);
        Ok(())
    }

    #[test]
    fn states_are_windows_with_repeats_merged() {
        assert_eq!(states_of(&[0, 0, 1], 1), vec![&[0][..], &[1]]);
        assert_eq!(states_of(&[0, 0, 0, 1], 2), vec![&[0, 0][..], &[0, 1]]);
        assert_eq!(states_of(&[0, 1], 3), vec![&[0, 1][..]]);
    }

    #[test]
    fn an_order_beyond_three_or_no_conversion_is_refused() -> Result<(), AttributionError> {
        let j = read_paths("path,conversions,nulls\na > b,0,3\n")?;
        assert_eq!(
            markov(&j, 4, true),
            Err(AttributionError::Order { order: 4 })
        );
        assert_eq!(markov(&j, 1, true), Err(AttributionError::NoConversions));
        Ok(())
    }
}
