//! The Qini coefficient's uncertainty: a Poisson bootstrap of the users
//! (each counted a Poisson(1) number of times) and random rankings, run
//! in batches over users packed a byte each.

use super::*;

/// The Qini coefficient's uncertainty: a percentile bootstrap interval
/// (users resampled, the score's ranking kept) and the p-value of the score
/// against a random ranking (users put in a random order, as a score with
/// no information would). Resampling is the Poisson bootstrap: each user
/// counts a Poisson(1) number of times, independently (Hanley & MacGibbon
/// 2006, "Creating non-parametric bootstrap samples using Poisson
/// frequencies"; Chamandy et al. 2012 at Google), which for thousands of
/// users behaves as drawing n with replacement and needs one pass without
/// a table of counts. Run in batches, so a worker can report progress and
/// stop between them.
#[derive(Debug, Clone)]
pub struct QiniBootstrap {
    /// Users by score, highest first, as [`code`]s: treated, responded,
    /// last of its tied score. A byte each keeps a resample in the cache.
    pub(super) ranked: Vec<u8>,
    /// The users in a random order, shuffled again for each ranking.
    pub(super) shuffled: Vec<u8>,
    pub(super) observed: f64,
    pub(super) rng: crate::rng::Rng,
    pub(super) boot: Vec<f64>,
    pub(super) random: Vec<f64>,
    /// `1 / k` for every count of untreated users `k` a curve can reach
    /// (0 for none): a multiplication per step instead of a division.
    pub(super) inverse: Vec<f64>,
    /// The perfect ranking's area and the random line's for the users as
    /// they are (each once): the same for every random ranking.
    pub(super) unit: (f64, f64),
}

/// What [`QiniBootstrap`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QiniUncertainty {
    #[serde(with = "crate::json_float")]
    pub qini_auc: f64,
    /// The percentile interval at `confidence` over the resamples.
    pub ci: (f64, f64),
    pub confidence: f64,
    /// `(1 + #random rankings at least as good) / (1 + #random rankings)`.
    pub p_value_random: f64,
    pub resamples: usize,
}

impl QiniBootstrap {
    pub fn new(units: &Units, seed: u64) -> Result<QiniBootstrap, TargetingError> {
        responses_vary(units)?;
        let observed = qini_auc_score(units, true)?;
        let order = Units::ranked(&units.score);
        let ranked: Vec<u8> = order
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let next = order.get(k + 1).and_then(|&j| units.score.get(j));
                code(
                    units.treated.get(i).copied().unwrap_or(false),
                    units.outcome.get(i).is_some_and(|&y| y > 0.0),
                    next != units.score.get(i),
                )
            })
            .collect();
        // With no score, every user is a step of its own.
        let shuffled = ranked.iter().map(|&c| c | END).collect();
        // A Poisson resample's total is n ± a few √n: twice n is ample,
        // and a count beyond it is divided directly.
        let inverse = (0..=2 * ranked.len())
            .map(|k| if k == 0 { 0.0 } else { 1.0 / k as f64 })
            .collect::<Vec<f64>>();
        let kinds = ranked.iter().fold([0u64; 4], |mut k, &c| {
            if let Some(x) = k.get_mut(usize::from(c & (TREATED | RESPONDED))) {
                *x += 1;
            }
            k
        });
        let unit = perfect_and_random(kinds, &inverse);
        Ok(QiniBootstrap {
            ranked,
            shuffled,
            observed,
            rng: crate::rng::Rng::new(seed),
            boot: Vec::new(),
            random: Vec::new(),
            inverse,
            unit,
        })
    }

    /// Resamples done so far.
    pub fn done(&self) -> usize {
        self.boot.len()
    }

    /// Draw `count` more resamples and as many random rankings.
    pub fn run(&mut self, count: usize) {
        let Self {
            ranked,
            shuffled,
            rng,
            boot,
            random,
            inverse,
            unit,
            ..
        } = self;

        for _ in 0..count {
            // Each user drawn a Poisson(1) number of times, two users per
            // random number, in one pass with the curve.
            let mut bits = Bits::default();
            let drawn = ranked.iter().map(|&c| (c, poisson_one(bits.next_u32(rng))));
            boot.push(weighted_qini_auc(drawn, inverse));
            // A random ranking: the users shuffled as the curve is summed.
            let (perfect, line) = *unit;
            random.push((shuffled_qini_area(shuffled, rng, inverse) - line) / (perfect - line));
        }
    }

    /// The interval and p-value from the resamples so far.
    pub fn result(&self, confidence: f64) -> QiniUncertainty {
        self.draws().uncertainty(confidence)
    }

    /// The Qini coefficients drawn so far, to be joined with other runs'
    /// (several workers, each with its own seed).
    pub fn draws(&self) -> QiniDraws {
        QiniDraws {
            observed: self.observed,
            boot: self.boot.clone(),
            random: self.random.clone(),
        }
    }
}

/// The observed Qini coefficient with resampled and random-ranking ones.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QiniDraws {
    pub observed: f64,
    pub boot: Vec<f64>,
    pub random: Vec<f64>,
}

impl QiniDraws {
    /// Add another run's draws (of the same users).
    pub fn join(&mut self, other: QiniDraws) {
        self.observed = other.observed;
        self.boot.extend(other.boot);
        self.random.extend(other.random);
    }

    /// The percentile interval at `confidence` over the resamples
    /// (linear interpolation between order statistics, numpy's default) and
    /// the p-value against the random rankings.
    pub fn uncertainty(&self, confidence: f64) -> QiniUncertainty {
        let mut sorted: Vec<f64> = self
            .boot
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        sorted.sort_by(f64::total_cmp);
        let quantile = |q: f64| {
            let last = sorted.len().saturating_sub(1);
            let pos = q * last as f64;
            let lo = pos.floor() as usize;
            let at = |i: usize| sorted.get(i.min(last)).copied().unwrap_or(f64::NAN);
            at(lo) + (at(lo + 1) - at(lo)) * (pos - lo as f64)
        };
        let tail = (1.0 - confidence) / 2.0;
        let better = self.random.iter().filter(|&&r| r >= self.observed).count();
        QiniUncertainty {
            qini_auc: self.observed,
            ci: (quantile(tail), quantile(1.0 - tail)),
            confidence,
            p_value_random: (1 + better) as f64 / (1 + self.random.len()) as f64,
            resamples: self.boot.len(),
        }
    }
}

pub(super) const TREATED: u8 = 1;
pub(super) const RESPONDED: u8 = 2;
pub(super) const END: u8 = 4;

/// A user as one byte: treated, responded, last of its tied score.
pub(super) fn code(treated: bool, responded: bool, end: bool) -> u8 {
    u8::from(treated) * TREATED + u8::from(responded) * RESPONDED + u8::from(end) * END
}

/// 32-bit random numbers, two from each 64-bit one.
#[derive(Default)]
pub(super) struct Bits {
    pub(super) word: u64,
    pub(super) left: u8,
}

impl Bits {
    pub(super) fn next_u32(&mut self, rng: &mut crate::rng::Rng) -> u32 {
        if self.left == 0 {
            self.word = rng.next_u64();
            self.left = 2;
        }
        self.left -= 1;
        let out = (self.word >> 32) as u32;
        self.word <<= 32;
        out
    }
}

/// P(K ≤ k) for K ~ Poisson(1), k = 0…9, times 2^32.
pub(super) const POISSON_ONE: [u32; 10] = [
    1_580_030_168,
    3_160_060_337,
    3_950_075_421,
    4_213_413_783,
    4_279_248_373,
    4_292_415_291,
    4_294_609_777,
    4_294_923_276,
    4_294_962_463,
    4_294_966_817,
];

/// A Poisson(1) draw from a uniform 32-bit number, by inversion (at most
/// 10: the chance of more is 1e-8).
pub(super) fn poisson_one(u: u32) -> u32 {
    // Every threshold compared, without branches: which way a comparison
    // goes is random, so a branch would be mispredicted half the time.
    POISSON_ONE.iter().map(|&t| u32::from(u >= t)).sum()
}

/// A uniform integer below `n` (Lemire's multiply-shift: no division, and
/// a bias below n / 2^64): the high 64 bits of `r·n`. For `n < 2^32` they
/// are computed from two 64-bit products, which gives the same number
/// without the 128-bit multiplication WebAssembly has to emulate.
pub(super) fn below(rng: &mut crate::rng::Rng, n: usize) -> usize {
    let r = rng.next_u64();
    let n = n as u64;
    if n >> 32 == 0 {
        // r·n = (hi·n)·2^32 + lo·n, and lo·n's low 32 bits cannot carry
        // into the high 64: ⌊r·n / 2^64⌋ = ⌊(hi·n + ⌊lo·n / 2^32⌋) / 2^32⌋.
        let (hi, lo) = (r >> 32, r & 0xffff_ffff);
        ((hi * n + ((lo * n) >> 32)) >> 32) as usize
    } else {
        ((u128::from(r) * u128::from(n)) >> 64) as usize
    }
}

/// `Y_t − Y_c · N_t / N_c` at a point of a curve, with `inverse[k] = 1/k`
/// for the untreated count `k` (divided directly past the table's end).
pub(super) fn qini_value(
    inverse: &[f64],
    all: u64,
    treated: u64,
    y_treated: u64,
    y_control: u64,
) -> f64 {
    let inv = usize::try_from(all - treated)
        .ok()
        .map(|k| inverse.get(k).copied().unwrap_or(1.0 / k as f64))
        .unwrap_or(0.0);
    y_treated as f64 - y_control as f64 * treated as f64 * inv
}

/// The perfect ranking's area and the random line's, from the number of
/// users of each kind ([`code`] without the step bit): treated responders
/// first, then everyone else, then untreated responders.
pub(super) fn perfect_and_random(kinds: [u64; 4], inverse: &[f64]) -> (f64, f64) {
    let kind = |c: u8| kinds.get(usize::from(c)).copied().unwrap_or(0);
    let (tr, t0, r0, none) = (
        kind(TREATED | RESPONDED),
        kind(TREATED),
        kind(RESPONDED),
        kind(0),
    );
    let steps = [
        (tr, tr, tr, 0),
        (tr + t0 + none, tr + t0, tr, 0),
        (tr + t0 + none + r0, tr + t0, tr, r0),
    ];
    let (mut perfect_area, mut px, mut py) = (0.0, 0.0, 0.0);
    for (all, treated, y_treated, y_control) in steps {
        let (x1, y1) = (
            all as f64,
            qini_value(inverse, all, treated, y_treated, y_control),
        );
        perfect_area += (x1 - px) * (py + y1) / 2.0;
        (px, py) = (x1, y1);
    }
    (perfect_area, px * py / 2.0)
}

/// [`qini_auc_score`] of users given in ranking order as ([`code`], how
/// often drawn), `inverse[k]` being `1 / k` for the untreated counts the
/// users reach.
pub(super) fn weighted_qini_auc(users: impl Iterator<Item = (u8, u32)>, inverse: &[f64]) -> f64 {
    // Whole-number running totals (the weights are counts): integer adds
    // do not wait on each other as floating-point ones do.
    let (mut all, mut treated, mut y_treated, mut y_control) = (0u64, 0u64, 0u64, 0u64);
    let mut kinds = [0u64; 4];
    let (mut area, mut x, mut y) = (0.0, 0.0, 0.0);
    for (c, w) in users {
        let w = u64::from(w);
        let t = u64::from(c & TREATED);
        let r = u64::from((c & RESPONDED) >> 1);
        all += w;
        treated += w * t;
        y_treated += w * t * r;
        y_control += w * (1 - t) * r;
        if let Some(k) = kinds.get_mut(usize::from(c & (TREATED | RESPONDED))) {
            *k += w;
        }
        if c & END != 0 {
            let x1 = all as f64;
            let y1 = qini_value(inverse, all, treated, y_treated, y_control);
            area += (x1 - x) * (y + y1) / 2.0;
            (x, y) = (x1, y1);
        }
    }
    let (perfect, random) = perfect_and_random(kinds, inverse);
    (area - random) / (perfect - random)
}

/// Shuffle `users` (Fisher–Yates, front to back: place `k` is settled at
/// step `k`) and return the area under the Qini curve of that random
/// order, in the same pass. Each user is a step of its own (a random
/// ranking has no ties): with x advancing by 1 the trapezoids sum to
/// `Σ_k y_k − y_n / 2`. The caller normalises it; the totals, and so the
/// perfect ranking, do not change between orders.
pub(super) fn shuffled_qini_area(
    users: &mut [u8],
    rng: &mut crate::rng::Rng,
    inverse: &[f64],
) -> f64 {
    let n = users.len();
    let mut bits = Bits::default();
    let (mut treated, mut y_treated, mut y_control) = (0u32, 0u32, 0u32);
    let (mut sum, mut y) = (0.0, 0.0);
    for k in 0..n {
        let left = n - k;
        let j = k + match u32::try_from(left) {
            Ok(m) => ((u64::from(bits.next_u32(rng)) * u64::from(m)) >> 32) as usize,
            Err(_) => below(rng, left),
        };
        users.swap(k, j);
        let c = users.get(k).copied().unwrap_or(0);
        let t = u32::from(c & TREATED);
        let r = u32::from((c & RESPONDED) >> 1);
        treated += t;
        y_treated += t & r;
        y_control += (1 - t) & r;
        let inv = inverse
            .get(k + 1 - treated as usize)
            .copied()
            .unwrap_or(0.0);
        y = f64::from(y_treated) - f64::from(y_control) * f64::from(treated) * inv;
        sum += y;
    }
    sum - y / 2.0
}
