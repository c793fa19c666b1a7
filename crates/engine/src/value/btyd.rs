//! Customer lifetime value from a transaction log: the BG/NBD model of how
//! often customers buy and when they drop out (Fader, Hardie & Lee 2005,
//! "Counting your customers the easy way"), and the Gamma-Gamma model of how
//! much they spend (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie
//! 2013 note). Both are fitted by maximum likelihood, as `lifetimes` does.

use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

use super::transactions::CustomerSummary;

/// BG/NBD parameters: purchase rates ~ Gamma(r, α), dropout p ~ Beta(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// Gamma-Gamma parameters of spend per transaction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

fn log_add_exp(x: f64, y: f64) -> f64 {
    let m = x.max(y);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + ((x - m).exp() + (y - m).exp()).ln()
}

/// Gauss hypergeometric ₂F₁(a, b; c; z) by its power series, for 0 ≤ z < 1.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 0..100_000 {
        let k = f64::from(k);
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() < 1e-16 * sum.abs() {
            break;
        }
    }
    sum
}

impl BgNbd {
    /// Log-likelihood of one customer (frequency x, recency tₓ, age T):
    /// A₁ = lnΓ(r + x) − lnΓ(r) + r·ln α,
    /// A₂ = lnΓ(a + b) + lnΓ(b + x) − lnΓ(b) − lnΓ(a + b + x),
    /// A₃ = −(r + x)·ln(α + T),
    /// A₄ = ln a − ln(b + x − 1) − (r + x)·ln(α + tₓ) (only when x > 0);
    /// LL = A₁ + A₂ + ln(e^A₃ + 𝟙(x > 0)·e^A₄). Source: Fader, Hardie & Lee (2005), eq. 6.
    pub fn log_likelihood(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let a3 = -(r + x) * (alpha + t).ln();
        let tail = if x > 0.0 {
            log_add_exp(
                a3,
                a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln(),
            )
        } else {
            a3
        };
        a1 + a2 + tail
    }

    /// P(alive | x, tₓ, T) = 1 / (1 + 𝟙(x > 0)·a/(b + x − 1)·((α + T)/(α + tₓ))^(r + x)).
    pub fn probability_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        1.0 / (1.0 + a / (b + x - 1.0) * ((alpha + t) / (alpha + t_x)).powf(r + x))
    }

    /// Expected purchases in the next `h` periods for a customer with history
    /// (x, tₓ, T): (a + b + x − 1)/(a − 1) ·
    /// [1 − ((α + T)/(α + T + h))^(r + x) · ₂F₁(r + x, b + x; a + b + x − 1; h/(α + T + h))]
    /// · P(alive). Source: Fader, Hardie & Lee (2005), eq. 10.
    pub fn conditional_expected_purchases(&self, h: f64, x: f64, t_x: f64, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let z = h / (alpha + t + h);
        let lead = (a + b + x - 1.0) / (a - 1.0);
        let hyp = hyp2f1(r + x, b + x, a + b + x - 1.0, z);
        let bracket = 1.0 - ((alpha + t) / (alpha + t + h)).powf(r + x) * hyp;
        let alive_odds = if x > 0.0 {
            a / (b + x - 1.0) * ((alpha + t) / (alpha + t_x)).powf(r + x)
        } else {
            0.0
        };
        lead * bracket / (1.0 + alive_odds)
    }

    /// Expected purchases of a new customer in `h` periods:
    /// (a + b − 1)/(a − 1) · [1 − (α/(α + h))^r · ₂F₁(r, b; a + b − 1; h/(α + h))].
    pub fn expected_purchases(&self, h: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        (a + b - 1.0) / (a - 1.0)
            * (1.0 - (alpha / (alpha + h)).powf(r) * hyp2f1(r, b, a + b - 1.0, h / (alpha + h)))
    }
}

impl GammaGamma {
    /// Log-likelihood of a customer with x > 0 repeat purchases of mean value m:
    /// lnΓ(px + q) − lnΓ(px) − lnΓ(q) + q·ln v + (px − 1)·ln m + px·ln x − (px + q)·ln(x·m + v).
    pub fn log_likelihood(&self, x: f64, m: f64) -> f64 {
        let GammaGamma { p, q, v } = *self;
        ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
            + q * v.ln()
            + (p * x - 1.0) * m.ln()
            + p * x * x.ln()
            - (p * x + q) * (x * m + v).ln()
    }

    /// Expected average spend per transaction given x purchases of mean m:
    /// p·(v + x·m)/(p·x + q − 1); for x = 0, the population mean p·v/(q − 1).
    pub fn conditional_expected_average_profit(&self, x: f64, m: f64) -> f64 {
        let GammaGamma { p, q, v } = *self;
        p * (v + x * m) / (p * x + q - 1.0)
    }
}

/// Nelder–Mead minimisation (Nelder & Mead 1965; standard coefficients
/// 1, 2, 0.5, 0.5), resumable: [`Simplex::iterate`] can be called again to
/// continue where it stopped, so long fits can be cut into short steps.
pub struct Simplex {
    simplex: Vec<Vec<f64>>,
    values: Vec<f64>,
}

impl Simplex {
    pub fn new(f: &dyn Fn(&[f64]) -> f64, start: &[f64]) -> Simplex {
        let n = start.len();
        let mut simplex: Vec<Vec<f64>> = vec![start.to_vec()];
        for i in 0..n {
            let mut p = start.to_vec();
            if let Some(x) = p.get_mut(i) {
                *x = if *x != 0.0 { *x * 1.05 } else { 0.000_25 };
            }
            simplex.push(p);
        }
        let values: Vec<f64> = simplex.iter().map(|p| f(p)).collect();
        Simplex { simplex, values }
    }

    /// Up to `max_iter` iterations; true once the simplex's function values
    /// and points agree to `tol`.
    pub fn iterate(&mut self, f: &dyn Fn(&[f64]) -> f64, tol: f64, max_iter: usize) -> bool {
        let n = self.simplex.len().saturating_sub(1);
        let mut simplex = std::mem::take(&mut self.simplex);
        let mut values = std::mem::take(&mut self.values);
        let mut converged = false;
        let eval = |p: &[f64]| {
            let v = f(p);
            if v.is_finite() {
                v
            } else {
                f64::INFINITY
            }
        };
        for _ in 0..max_iter {
            let mut order: Vec<usize> = (0..=n).collect();
            order.sort_by(|&i, &j| {
                let (a, b) = (values.get(i).copied(), values.get(j).copied());
                a.unwrap_or(f64::INFINITY)
                    .total_cmp(&b.unwrap_or(f64::INFINITY))
            });
            simplex = order
                .iter()
                .filter_map(|&i| simplex.get(i).cloned())
                .collect();
            values = order
                .iter()
                .filter_map(|&i| values.get(i).copied())
                .collect();
            let (Some(best), Some(worst)) = (values.first().copied(), values.last().copied())
            else {
                break;
            };
            let spread = simplex
                .iter()
                .skip(1)
                .flat_map(|p| {
                    p.iter()
                        .zip(simplex.first().into_iter().flatten())
                        .map(|(a, b)| (a - b).abs())
                })
                .fold(0.0_f64, f64::max);
            if (worst - best).abs() <= tol && spread <= tol {
                converged = true;
                break;
            }
            let centroid: Vec<f64> = (0..n)
                .map(|k| {
                    simplex
                        .iter()
                        .take(n)
                        .map(|p| p.get(k).copied().unwrap_or(0.0))
                        .sum::<f64>()
                        / n as f64
                })
                .collect();
            let Some(worst_p) = simplex.last().cloned() else {
                break;
            };
            let along = |t: f64| -> Vec<f64> {
                centroid
                    .iter()
                    .zip(&worst_p)
                    .map(|(c, w)| c + t * (c - w))
                    .collect()
            };
            let second_worst = values.get(n - 1).copied().unwrap_or(f64::INFINITY);
            let reflected = along(1.0);
            let fr = eval(&reflected);
            let replace =
                |simplex: &mut Vec<Vec<f64>>, values: &mut Vec<f64>, p: Vec<f64>, v: f64| {
                    if let (Some(sp), Some(sv)) = (simplex.last_mut(), values.last_mut()) {
                        *sp = p;
                        *sv = v;
                    }
                };
            if fr < best {
                let expanded = along(2.0);
                let fe = eval(&expanded);
                if fe < fr {
                    replace(&mut simplex, &mut values, expanded, fe);
                } else {
                    replace(&mut simplex, &mut values, reflected, fr);
                }
            } else if fr < second_worst {
                replace(&mut simplex, &mut values, reflected, fr);
            } else {
                let (contracted, fc) = if fr < worst {
                    let c = along(0.5);
                    let v = eval(&c);
                    (c, v)
                } else {
                    let c = along(-0.5);
                    let v = eval(&c);
                    (c, v)
                };
                if fc < worst.min(fr) {
                    replace(&mut simplex, &mut values, contracted, fc);
                } else {
                    // Shrink towards the best point.
                    let Some(best_p) = simplex.first().cloned() else {
                        break;
                    };
                    for (p, v) in simplex.iter_mut().zip(values.iter_mut()).skip(1) {
                        for (x, b) in p.iter_mut().zip(&best_p) {
                            *x = b + 0.5 * (*x - b);
                        }
                        *v = eval(p);
                    }
                }
            }
        }
        self.simplex = simplex;
        self.values = values;
        converged
    }

    /// The best point so far.
    pub fn best(&self) -> Vec<f64> {
        let i = self
            .values
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map_or(0, |(i, _)| i);
        self.simplex.get(i).cloned().unwrap_or_default()
    }
}

/// Minimise `f` from `start` (see [`Simplex`]).
pub fn nelder_mead(
    f: &dyn Fn(&[f64]) -> f64,
    start: &[f64],
    tol: f64,
    max_iter: usize,
) -> Vec<f64> {
    let mut s = Simplex::new(f, start);
    s.iterate(f, tol, max_iter);
    s.best()
}

/// Histories grouped by frequency x: the gamma-function terms of the
/// likelihood depend on x only, so each is computed once per distinct x
/// instead of once per customer. Within a group, customers with the same
/// (tₓ, T) share one term with a weight.
/// Customers of one frequency x: (x, [(tₓ, T, weight)]).
type FrequencyGroup = (f64, Vec<(f64, f64, f64)>);

struct Grouped {
    groups: Vec<FrequencyGroup>,
    customers: f64,
}

fn group_histories(customers: &[CustomerSummary]) -> Grouped {
    let mut keyed: Vec<(f64, f64, f64)> = customers
        .iter()
        .map(|c| (c.frequency, c.recency, c.t))
        .collect();
    keyed.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.total_cmp(&b.2))
    });
    let mut groups: Vec<FrequencyGroup> = Vec::new();
    for (x, tx, t) in keyed {
        if groups.last().is_none_or(|g| g.0 != x) {
            groups.push((x, Vec::new()));
        }
        if let Some((_, members)) = groups.last_mut() {
            match members.last_mut() {
                Some(last) if last.0 == tx && last.1 == t => last.2 += 1.0,
                _ => members.push((tx, t, 1.0)),
            }
        }
    }
    Grouped {
        groups,
        customers: customers.len() as f64,
    }
}

impl BgNbd {
    /// Total log-likelihood of grouped histories; equal to the sum of
    /// [`BgNbd::log_likelihood`] over customers.
    fn total_log_likelihood(&self, data: &Grouped) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
        let base = -ln_gamma(r) + r * ln_alpha + ln_gamma(a + b) - ln_gamma(b);
        let mut total = 0.0;
        for (x, members) in &data.groups {
            let x = *x;
            let head = base + ln_gamma(r + x) + ln_gamma(b + x) - ln_gamma(a + b + x);
            let a4_const = ln_a - (b + x - 1.0).ln();
            for &(t_x, t, w) in members {
                let a3 = -(r + x) * (alpha + t).ln();
                let tail = if x > 0.0 {
                    log_add_exp(a3, a4_const - (r + x) * (alpha + t_x).ln())
                } else {
                    a3
                };
                total += w * (head + tail);
            }
        }
        total
    }
}

/// A fit and how good it is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fit<P> {
    pub params: P,
    /// Total log-likelihood at the fitted parameters.
    pub log_likelihood: f64,
}

/// Log-parameters beyond ±15 (a factor of 3·10⁶) are outside any sensible
/// model and only reached along degenerate ridges of the likelihood (for
/// Gamma-Gamma, q and v → ∞ when spend hardly varies between customers);
/// the objectives refuse them so the optimiser stays where the maths is sound.
const LOG_PARAM_LIMIT: f64 = 15.0;

fn within_limits(v: &[f64]) -> bool {
    v.iter().all(|x| x.abs() <= LOG_PARAM_LIMIT)
}

fn bg_params(v: &[f64]) -> BgNbd {
    BgNbd {
        r: v.first().copied().unwrap_or(0.0).exp(),
        alpha: v.get(1).copied().unwrap_or(0.0).exp(),
        a: v.get(2).copied().unwrap_or(0.0).exp(),
        b: v.get(3).copied().unwrap_or(0.0).exp(),
    }
}

fn gg_params(v: &[f64]) -> GammaGamma {
    GammaGamma {
        p: v.first().copied().unwrap_or(0.0).exp(),
        q: v.get(1).copied().unwrap_or(0.0).exp(),
        v: v.get(2).copied().unwrap_or(0.0).exp(),
    }
}

/// Repeat customers grouped by frequency for the Gamma-Gamma likelihood:
/// its gamma-function terms depend on x only.
struct SpendData {
    /// (x, spends of the customers with that x, Σ ln spend)
    by_x: Vec<(f64, Vec<f64>, f64)>,
    customers: f64,
    mean_spend: f64,
}

impl SpendData {
    fn new(customers: &[CustomerSummary]) -> Option<SpendData> {
        let mut data: Vec<(f64, f64)> = customers
            .iter()
            .filter(|c| c.frequency > 0.0 && c.monetary_value > 0.0)
            .map(|c| (c.frequency, c.monetary_value))
            .collect();
        if data.len() < 3 {
            return None;
        }
        let n = data.len() as f64;
        let mean_spend = data.iter().map(|d| d.1).sum::<f64>() / n;
        data.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut by_x: Vec<(f64, Vec<f64>, f64)> = Vec::new();
        for (x, m) in data {
            match by_x.last_mut() {
                Some((gx, ms, sum_ln)) if *gx == x => {
                    ms.push(m);
                    *sum_ln += m.ln();
                }
                _ => by_x.push((x, vec![m], m.ln())),
            }
        }
        Some(SpendData {
            by_x,
            customers: n,
            mean_spend,
        })
    }

    /// Total Gamma-Gamma log-likelihood; equal to the sum of
    /// [`GammaGamma::log_likelihood`] over customers.
    fn total_log_likelihood(&self, g: &GammaGamma) -> f64 {
        let GammaGamma { p, q, v } = *g;
        let base = -ln_gamma(q) + q * v.ln();
        self.by_x
            .iter()
            .map(|(x, ms, sum_ln_m)| {
                let (x, n) = (*x, ms.len() as f64);
                let px = p * x;
                let per = base + ln_gamma(px + q) - ln_gamma(px) + px * x.ln();
                n * per + (px - 1.0) * sum_ln_m
                    - (px + q) * ms.iter().map(|m| (x * m + v).ln()).sum::<f64>()
            })
            .sum()
    }

    /// Moment-based starts: mean spend per transaction p·v/(q − 1) equal to
    /// the observed mean. The likelihood has a long ridge towards p → ∞ on
    /// which a simplex can stall, so several starts are tried.
    fn starts(&self) -> Vec<Vec<f64>> {
        [(1.0_f64, 2.0_f64), (5.0, 4.0), (10.0, 3.0)]
            .iter()
            .map(|&(p0, q0)| vec![p0.ln(), q0.ln(), (self.mean_spend * (q0 - 1.0) / p0).ln()])
            .collect()
    }
}

/// One Nelder–Mead pass per step; two passes per start, because restarting
/// from its own answer keeps a collapsed simplex from stopping short.
const PASSES: usize = 2;
const TOLERANCE: f64 = 1e-9;

/// Fit BG/NBD by maximum likelihood over log-parameters (so all stay
/// positive), starting from 1 as lifetimes does. `None` with no customers.
pub fn fit_bgnbd(customers: &[CustomerSummary]) -> Option<Fit<BgNbd>> {
    let data = group_histories(customers);
    if data.groups.is_empty() {
        return None;
    }
    let objective = |v: &[f64]| bg_objective(&data, v);
    let mut v = vec![0.0; 4];
    for _ in 0..PASSES {
        v = nelder_mead(&objective, &v, TOLERANCE, 20_000);
    }
    let m = bg_params(&v);
    Some(Fit {
        params: m,
        log_likelihood: m.total_log_likelihood(&data),
    })
}

/// Fit Gamma-Gamma on customers with repeat purchases and positive spend.
pub fn fit_gamma_gamma(customers: &[CustomerSummary]) -> Option<Fit<GammaGamma>> {
    let data = SpendData::new(customers)?;
    let objective = |v: &[f64]| gg_objective(&data, v);
    let mut best: Option<(f64, Vec<f64>)> = None;
    for mut v in data.starts() {
        for _ in 0..PASSES {
            v = nelder_mead(&objective, &v, TOLERANCE, 20_000);
        }
        let value = objective(&v);
        if best.as_ref().is_none_or(|(b, _)| value < *b) {
            best = Some((value, v));
        }
    }
    let g = gg_params(&best?.1);
    Some(Fit {
        params: g,
        log_likelihood: data.total_log_likelihood(&g),
    })
}

/// CLV over `months` months as lifetimes' `customer_lifetime_value`: for
/// each month i, the expected purchases between month i − 1 and i (in model
/// periods, `periods_per_month` of them a month) times the expected spend,
/// discounted by (1 + monthly rate)^i.
pub fn customer_lifetime_value(
    model: &BgNbd,
    spend: f64,
    c: &CustomerSummary,
    months: u32,
    monthly_discount: f64,
    periods_per_month: f64,
) -> f64 {
    let purchases = |h: f64| model.conditional_expected_purchases(h, c.frequency, c.recency, c.t);
    (1..=months)
        .map(|i| {
            let h = f64::from(i) * periods_per_month;
            let step = purchases(h) - purchases(h - periods_per_month);
            spend * step / (1.0 + monthly_discount).powf(h / periods_per_month)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hypergeometric_matches_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z
        let z: f64 = 0.3;
        assert!((hyp2f1(1.0, 1.0, 2.0, z) - (-(1.0 - z).ln() / z)).abs() < 1e-14);
        assert_eq!(hyp2f1(2.0, 3.0, 4.0, 0.0), 1.0);
    }

    #[test]
    fn grouped_likelihood_equals_the_per_customer_sum() {
        let log = crate::value::transactions::demo_transaction_log(300, 5);
        let Ok(s) = crate::value::transactions::summarise_transactions(
            &log,
            crate::value::transactions::TimeUnit::Weeks,
            None,
        ) else {
            panic!()
        };
        let m = BgNbd {
            r: 0.3,
            alpha: 5.0,
            a: 0.9,
            b: 2.0,
        };
        let direct: f64 = s
            .customers
            .iter()
            .map(|c| m.log_likelihood(c.frequency, c.recency, c.t))
            .sum();
        let grouped = m.total_log_likelihood(&group_histories(&s.customers));
        assert!(
            (direct - grouped).abs() < 1e-8 * direct.abs(),
            "{direct} {grouped}"
        );
        let g = GammaGamma {
            p: 3.0,
            q: 6.0,
            v: 70.0,
        };
        let Some(fit) = fit_gamma_gamma(&s.customers) else {
            panic!()
        };
        let direct: f64 = s
            .customers
            .iter()
            .filter(|c| c.frequency > 0.0 && c.monetary_value > 0.0)
            .map(|c| fit.params.log_likelihood(c.frequency, c.monetary_value))
            .sum();
        assert!(
            (direct - fit.log_likelihood).abs() < 1e-8 * direct.abs(),
            "{direct} vs {} at {:?}",
            fit.log_likelihood,
            fit.params
        );
        assert!(g.log_likelihood(2.0, 30.0).is_finite());
    }

    #[test]
    fn job_in_steps_equals_the_one_shot_fit() {
        let log = crate::value::transactions::demo_transaction_log(300, 9);
        let unit = crate::value::transactions::TimeUnit::Weeks;
        let settings = ClvSettings {
            unit,
            ..ClvSettings::default()
        };
        let Ok(mut job) = ClvJob::new(&log, settings) else {
            panic!()
        };
        let mut steps = 0;
        let report = loop {
            steps += 1;
            assert!(job.progress().0 <= job.progress().1);
            if let Some(r) = job.step() {
                break r;
            }
            assert!(steps < 10_000, "the job never finishes");
        };
        assert!(steps > 3, "{steps}");
        let Ok(s) = crate::value::transactions::summarise_transactions(&log, unit, None) else {
            panic!()
        };
        assert_eq!(Some(report.bgnbd), fit_bgnbd(&s.customers));
        assert_eq!(report.gamma_gamma, fit_gamma_gamma(&s.customers));
        assert_eq!(report.by_variant.len(), 2);
    }

    #[test]
    fn nelder_mead_finds_a_quadratic_minimum() {
        let f = |v: &[f64]| (v[0] - 3.0).powi(2) + 10.0 * (v[1] + 1.0).powi(2);
        let m = nelder_mead(&f, &[0.0, 0.0], 1e-12, 10_000);
        assert!(
            (m[0] - 3.0).abs() < 1e-5 && (m[1] + 1.0).abs() < 1e-5,
            "{m:?}"
        );
    }

    #[test]
    fn new_customer_is_alive_and_purchases_grow_with_horizon() {
        let m = BgNbd {
            r: 0.24,
            alpha: 4.41,
            a: 0.79,
            b: 2.43,
        };
        assert_eq!(m.probability_alive(0.0, 0.0, 30.0), 1.0);
        let p1 = m.conditional_expected_purchases(10.0, 2.0, 30.0, 38.0);
        let p2 = m.conditional_expected_purchases(20.0, 2.0, 30.0, 38.0);
        assert!(p1 > 0.0 && p2 > p1);
        assert!(m.expected_purchases(39.0) > m.expected_purchases(10.0));
    }
}

/// CLV of the customers of one variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantClv {
    pub variant: String,
    pub customers: usize,
    /// Mean predicted CLV per customer over the horizon.
    pub mean_clv: f64,
    /// Interval of that mean over customers (mean ± z·sd/√n); it reflects
    /// the spread between customers, not the uncertainty of the fitted
    /// parameters.
    pub ci: crate::units::Interval,
    pub mean_expected_purchases: f64,
    pub mean_probability_alive: f64,
}

/// BG/NBD + Gamma-Gamma analysis of a transaction log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClvReport {
    pub unit: super::transactions::TimeUnit,
    pub observation_end: String,
    pub customers: usize,
    pub transactions: usize,
    /// Rows left out for a placeholder date (`9999-12-31`).
    #[serde(default)]
    pub placeholder_dates: usize,
    pub bgnbd: Fit<BgNbd>,
    pub gamma_gamma: Option<Fit<GammaGamma>>,
    pub horizon_months: u32,
    pub monthly_discount_rate: f64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    pub by_variant: Vec<VariantClv>,
    /// Relative CLV uplift of the second variant over the first (control),
    /// with a delta-method interval, when the log has a variant column.
    pub clv_uplift: Option<crate::stats::Comparison>,
}

/// Model periods per month, as lifetimes' `customer_lifetime_value`.
pub fn periods_per_month(unit: super::transactions::TimeUnit) -> f64 {
    match unit {
        super::transactions::TimeUnit::Days => 30.0,
        super::transactions::TimeUnit::Weeks => 4.345,
    }
}

/// Iterations of the optimiser per [`ClvJob::step`]: a few tens of
/// milliseconds on 20,000 customers in a browser.
const ITERATIONS_PER_STEP: usize = 40;

/// Which model the job is fitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    BgNbd,
    GammaGamma,
}

/// A CLV analysis done in small steps, so that a page can keep responding
/// between them: each [`ClvJob::step`] runs a bounded number of optimiser
/// iterations, and the last one predicts.
pub struct ClvJob {
    summary: super::transactions::TransactionSummary,
    histories: Grouped,
    spend: Option<SpendData>,
    months: u32,
    monthly_discount: f64,
    confidence: f64,
    stage: Stage,
    simplex: Simplex,
    passes: usize,
    iterations: usize,
    bg: Vec<f64>,
    gg_starts: Vec<Vec<f64>>,
    gg_best: Option<(f64, Vec<f64>)>,
    passes_done: usize,
}

/// How a transaction log is analysed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClvSettings {
    pub unit: super::transactions::TimeUnit,
    /// End of the observation period as a day number; `None` = last purchase.
    pub end: Option<i64>,
    /// CLV horizon in months.
    pub months: u32,
    pub monthly_discount: f64,
    pub confidence: f64,
    /// The last day a purchase can be from (today): later ones are left
    /// out and counted with the placeholder dates.
    pub latest: Option<i64>,
}

impl Default for ClvSettings {
    fn default() -> Self {
        ClvSettings {
            unit: super::transactions::TimeUnit::Weeks,
            end: None,
            months: 12,
            monthly_discount: 0.01,
            confidence: 0.95,
            latest: None,
        }
    }
}

impl ClvJob {
    /// Read the log and prepare the fit; errors name the line and column.
    pub fn new(text: &str, settings: ClvSettings) -> Result<ClvJob, ClvError> {
        let ClvSettings {
            unit,
            end,
            months,
            monthly_discount,
            confidence,
            latest,
        } = settings;
        let summary = super::transactions::summarise_transactions_until(text, unit, end, latest)?;
        let histories = group_histories(&summary.customers);
        if histories.groups.is_empty() {
            return Err(ClvError::TooFewCustomers);
        }
        let spend = SpendData::new(&summary.customers);
        let mut gg_starts = spend.as_ref().map(SpendData::starts).unwrap_or_default();
        gg_starts.reverse();
        let start = vec![0.0; 4];
        let simplex = Simplex::new(&|v: &[f64]| bg_objective(&histories, v), &start);
        Ok(ClvJob {
            summary,
            histories,
            spend,
            months,
            monthly_discount,
            confidence,
            stage: Stage::BgNbd,
            simplex,
            passes: 0,
            iterations: 0,
            bg: start,
            gg_starts,
            gg_best: None,
            passes_done: 0,
        })
    }

    /// (optimiser passes finished, passes in all), for a progress bar.
    pub fn progress(&self) -> (usize, usize) {
        let gg = self.spend.as_ref().map_or(0, |s| s.starts().len() * PASSES);
        (self.passes_done, PASSES + gg)
    }

    /// Do the next piece of work; the report once everything is done.
    pub fn step(&mut self) -> Option<ClvReport> {
        let converged = match (self.stage, &self.spend) {
            (Stage::BgNbd, _) => {
                let data = &self.histories;
                self.simplex.iterate(
                    &|v: &[f64]| bg_objective(data, v),
                    TOLERANCE,
                    ITERATIONS_PER_STEP,
                )
            }
            (Stage::GammaGamma, Some(spend)) => self.simplex.iterate(
                &|v: &[f64]| gg_objective(spend, v),
                TOLERANCE,
                ITERATIONS_PER_STEP,
            ),
            (Stage::GammaGamma, None) => return Some(self.finish()),
        };
        self.iterations += ITERATIONS_PER_STEP;
        if !converged && self.iterations < 20_000 {
            return None;
        }
        // A pass ended: restart from its answer, or move on.
        self.iterations = 0;
        self.passes += 1;
        self.passes_done += 1;
        let best = self.simplex.best();
        match self.stage {
            Stage::BgNbd => {
                self.bg = best.clone();
                if self.passes < PASSES {
                    let data = &self.histories;
                    self.simplex = Simplex::new(&|v: &[f64]| bg_objective(data, v), &best);
                    return None;
                }
                self.stage = Stage::GammaGamma;
                self.passes = PASSES;
            }
            Stage::GammaGamma => {
                let Some(spend) = &self.spend else {
                    return Some(self.finish());
                };
                if self.passes < PASSES {
                    self.simplex = Simplex::new(&|v: &[f64]| gg_objective(spend, v), &best);
                    return None;
                }
                let value = gg_objective(spend, &best);
                if self.gg_best.as_ref().is_none_or(|(b, _)| value < *b) {
                    self.gg_best = Some((value, best));
                }
            }
        }
        // Start the next Gamma-Gamma start, if any.
        match (&self.spend, self.gg_starts.pop()) {
            (Some(spend), Some(start)) => {
                self.simplex = Simplex::new(&|v: &[f64]| gg_objective(spend, v), &start);
                self.passes = 0;
                None
            }
            _ => Some(self.finish()),
        }
    }

    /// Run every remaining step.
    pub fn run(mut self) -> ClvReport {
        loop {
            if let Some(report) = self.step() {
                return report;
            }
        }
    }

    fn finish(&self) -> ClvReport {
        let bg = bg_params(&self.bg);
        let bgnbd = Fit {
            params: bg,
            log_likelihood: bg.total_log_likelihood(&self.histories),
        };
        let gamma_gamma = match (&self.spend, &self.gg_best) {
            (Some(spend), Some((_, v))) => {
                let g = gg_params(v);
                Some(Fit {
                    params: g,
                    log_likelihood: spend.total_log_likelihood(&g),
                })
            }
            _ => None,
        };
        predict(
            &self.summary,
            bgnbd,
            gamma_gamma,
            self.months,
            self.monthly_discount,
            self.confidence,
        )
    }
}

fn bg_objective(data: &Grouped, v: &[f64]) -> f64 {
    if !within_limits(v) {
        return f64::INFINITY;
    }
    -bg_params(v).total_log_likelihood(data) / data.customers
}

fn gg_objective(data: &SpendData, v: &[f64]) -> f64 {
    if !within_limits(v) {
        return f64::INFINITY;
    }
    -data.total_log_likelihood(&gg_params(v)) / data.customers
}

/// Fit both models on a transaction log and predict each customer's CLV
/// over `months` months, by variant when the log has one.
pub fn analyze_transactions(text: &str, settings: ClvSettings) -> Result<ClvReport, ClvError> {
    Ok(ClvJob::new(text, settings)?.run())
}

fn predict(
    summary: &super::transactions::TransactionSummary,
    bgnbd: Fit<BgNbd>,
    gamma_gamma: Option<Fit<GammaGamma>>,
    months: u32,
    monthly_discount: f64,
    confidence: f64,
) -> ClvReport {
    let unit = summary.unit;
    let ppm = periods_per_month(unit);
    let mean_spend = |c: &CustomerSummary| match &gamma_gamma {
        Some(g) => g
            .params
            .conditional_expected_average_profit(c.frequency, c.monetary_value),
        None => c.monetary_value,
    };
    // Per variant: (CLV, expected purchases, P(alive)) of each customer.
    type Predictions = Vec<(f64, f64, f64)>;
    let mut groups: Vec<(String, Predictions)> = Vec::new();
    for c in &summary.customers {
        let name = c.variant.clone().unwrap_or_else(|| "all customers".into());
        let clv = customer_lifetime_value(
            &bgnbd.params,
            mean_spend(c),
            c,
            months,
            monthly_discount,
            ppm,
        );
        let purchases = bgnbd.params.conditional_expected_purchases(
            f64::from(months) * ppm,
            c.frequency,
            c.recency,
            c.t,
        );
        let alive = bgnbd.params.probability_alive(c.frequency, c.recency, c.t);
        match groups.iter_mut().find(|g| g.0 == name) {
            Some(g) => g.1.push((clv, purchases, alive)),
            None => groups.push((name, vec![(clv, purchases, alive)])),
        }
    }
    let z = crate::stats::z_critical(confidence);
    let mut stats = Vec::new();
    let by_variant = groups
        .iter()
        .map(|(name, rows)| {
            let n = rows.len() as f64;
            let sum: f64 = rows.iter().map(|r| r.0).sum();
            let sum_sq: f64 = rows.iter().map(|r| r.0 * r.0).sum();
            let s = crate::stats::SampleStats::from_sums(rows.len() as u64, sum, sum_sq);
            stats.push(s);
            let (mean, sd) = s.map_or((0.0, 0.0), |s| (s.mean, s.variance.sqrt()));
            VariantClv {
                variant: name.clone(),
                customers: rows.len(),
                mean_clv: mean,
                ci: crate::units::Interval {
                    low: mean - z * sd / n.sqrt(),
                    high: mean + z * sd / n.sqrt(),
                },
                mean_expected_purchases: rows.iter().map(|r| r.1).sum::<f64>() / n,
                mean_probability_alive: rows.iter().map(|r| r.2).sum::<f64>() / n,
            }
        })
        .collect();
    let clv_uplift = match stats.as_slice() {
        [Some(a), Some(b), ..] => crate::stats::compare(
            a,
            b,
            &crate::stats::FrequentistOptions {
                confidence,
                ..Default::default()
            },
        )
        .ok(),
        _ => None,
    };
    ClvReport {
        unit,
        observation_end: summary.observation_end.clone(),
        customers: summary.customers.len(),
        transactions: summary.rows,
        placeholder_dates: summary.placeholder_dates,
        bgnbd,
        gamma_gamma,
        horizon_months: months,
        monthly_discount_rate: monthly_discount,
        confidence,
        by_variant,
        clv_uplift,
    }
}

/// Why a transaction log could not be analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClvError {
    #[error(transparent)]
    Log(#[from] super::transactions::TransactionError),
    #[error("Too few customers to fit the purchase model.")]
    TooFewCustomers,
}
