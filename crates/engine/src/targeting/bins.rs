//! The uplift per bin of the score: users cut into bins by their rank
//! (scikit-uplift's `uplift_by_percentile`, both strategies).

use super::*;

/// How users are put into bins (scikit-uplift's `strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinStrategy {
    /// All users ranked by score and cut into equal bins; each bin's
    /// treated and untreated users compared.
    Overall,
    /// Treated and untreated users ranked and cut separately.
    ByGroup,
}

/// One bin of users by score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreBin {
    /// "0-10": the bin's place, in percent of the ranking.
    pub percentile: String,
    pub n_treatment: u64,
    pub n_control: u64,
    /// Response rates (NaN for an empty group, `null` in JSON) and their
    /// difference.
    #[serde(with = "crate::json_float")]
    pub response_rate_treatment: f64,
    #[serde(with = "crate::json_float")]
    pub response_rate_control: f64,
    #[serde(with = "crate::json_float")]
    pub uplift: f64,
    /// Binomial standard errors `√(p(1 − p)/n)`, and the uplift's
    /// `√(se_t² + se_c²)`.
    #[serde(with = "crate::json_float")]
    pub std_treatment: f64,
    #[serde(with = "crate::json_float")]
    pub std_control: f64,
    #[serde(with = "crate::json_float")]
    pub std_uplift: f64,
}

/// The uplift in `bins` bins of the score (scikit-uplift's
/// `uplift_by_percentile` with `std=True`), then a row "total" over all
/// users. Bins are cut as numpy's `array_split`: the first `n mod bins`
/// bins get one user more.
pub fn uplift_by_percentile(
    units: &Units,
    bins: usize,
    strategy: BinStrategy,
) -> Result<Vec<ScoreBin>, TargetingError> {
    units.check()?;
    let n = units.score.len();
    if bins == 0 || bins >= n {
        return Err(TargetingError::TooManyBins { bins });
    }
    let order = Units::ranked(&units.score);
    let is_treated = |i: &usize| units.treated.get(*i).copied().unwrap_or(false);
    let outcome = |i: &usize| units.outcome.get(*i).copied().unwrap_or(0.0);
    // (treated, untreated) users of each bin.
    let groups: Vec<(Vec<usize>, Vec<usize>)> = match strategy {
        BinStrategy::Overall => split(&order, bins)
            .into_iter()
            .map(|b| b.iter().copied().partition(is_treated))
            .collect(),
        BinStrategy::ByGroup => {
            let (t, c): (Vec<usize>, Vec<usize>) = order.iter().copied().partition(is_treated);
            split(&t, bins)
                .into_iter()
                .zip(split(&c, bins))
                .map(|(t, c)| (t.to_vec(), c.to_vec()))
                .collect()
        }
    };
    let labels = percentile_labels(bins);
    let mut out: Vec<ScoreBin> = groups
        .iter()
        .zip(labels)
        .map(|((t, c), label)| {
            let rate = |g: &[usize]| g.iter().map(outcome).sum::<f64>() / g.len() as f64;
            bin(label, (t.len(), rate(t)), (c.len(), rate(c)))
        })
        .collect();
    let (t, c): (Vec<usize>, Vec<usize>) = order.iter().copied().partition(is_treated);
    let rate = |g: &[usize]| g.iter().map(outcome).sum::<f64>() / g.len() as f64;
    out.push(bin(
        "total".into(),
        (t.len(), rate(&t)),
        (c.len(), rate(&c)),
    ));
    Ok(out)
}

pub(super) fn bin(percentile: String, (nt, pt): (usize, f64), (nc, pc): (usize, f64)) -> ScoreBin {
    let se = |p: f64, n: usize| (p * (1.0 - p) / n as f64).sqrt();
    let (st, sc) = (se(pt, nt), se(pc, nc));
    ScoreBin {
        percentile,
        n_treatment: nt as u64,
        n_control: nc as u64,
        response_rate_treatment: pt,
        response_rate_control: pc,
        uplift: pt - pc,
        std_treatment: st,
        std_control: sc,
        std_uplift: (st * st + sc * sc).sqrt(),
    }
}

/// `items` in `bins` consecutive parts, the first `len mod bins` one longer.
pub(super) fn split(items: &[usize], bins: usize) -> Vec<&[usize]> {
    let (size, extra) = (items.len() / bins, items.len() % bins);
    let mut rest = items;
    (0..bins)
        .map(|k| {
            let take = (size + usize::from(k < extra)).min(rest.len());
            let (part, after) = rest.split_at(take);
            rest = after;
            part
        })
        .collect()
}

/// "0-10", "10-20", …: each bin's upper edge in percent, rounded half to
/// even as Python's `round`.
pub(super) fn percentile_labels(bins: usize) -> Vec<String> {
    let edges: Vec<i64> = (1..=bins)
        .map(|p| (p as f64 * 100.0 / bins as f64).round_ties_even() as i64)
        .collect();
    std::iter::once(0)
        .chain(edges.iter().copied())
        .zip(&edges)
        .map(|(a, b)| format!("{a}-{b}"))
        .collect()
}
