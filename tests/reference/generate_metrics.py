#!/usr/bin/env python3
"""Reference values for metric columns, ratio metrics and guardrails.

Reads two public files (tests/data/README.md). First the Cookie Cats mobile-game A/B test (tests/data/cookie_cats.csv.gz:
90,189 players, `userid, version, sum_gamerounds, retention_1, retention_7`,
gate_30 is the control) and, for the whole file and three slices of it, writes
to `metrics_fixture.json`:

- each variant's n, sum and sum of squares per metric column (numpy);
- relative and absolute uplift, interval and p-value per metric (gbstats
  `TwoSidedTTest`, with `ProportionStatistic` for the yes/no columns and
  `SampleMeanStatistic` for the count);
- ratio metrics Σ numerator / Σ denominator (gbstats `RatioStatistic`);
- one-sided non-inferiority tests: absolute margins by statsmodels'
  `ttest_ind(..., alternative="larger", usevar="unequal", value=-margin)`
  on the raw values, relative margins from gbstats' delta-method estimate and
  standard error with scipy's Student-t tail.

Then Kevin Hillstrom's e-mail test (tests/data/hillstrom.csv.gz: three arms,
64,000 customers): each e-mail against "No E-Mail" on visits, conversion,
spend and two covariates, with Holm-adjusted p-values (statsmodels
`multipletests`) and the intervals widened to match them; and its segments
(channel, zip code, history segment): each segment's lift, Cochran's Q over
them and each segment against the rest (statsmodels `combine_effects`).

Runs in the same private venv, with the same pins, as generate.py:

    python3 tests/reference/generate_metrics.py
"""
import csv
import gzip
import io
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pinned import ensure_venv  # noqa: E402

ensure_venv(__file__)

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import statsmodels  # noqa: E402
from importlib.metadata import version  # noqa: E402
from scipy import stats  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from statsmodels.stats.meta_analysis import combine_effects  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402
from statsmodels.stats.weightstats import ttest_ind  # noqa: E402

from gbstats.frequentist.tests import FrequentistConfig, TwoSidedTTest  # noqa: E402
from gbstats.models.statistics import (  # noqa: E402
    ProportionStatistic,
    RatioStatistic,
    RegressionAdjustedStatistic,
    SampleMeanStatistic,
    compute_theta,
)

DATA = os.path.join(HERE, "..", "data", "cookie_cats.csv.gz")
HILLSTROM = os.path.join(HERE, "..", "data", "hillstrom.csv.gz")
# Hillstrom's e-mail test: two treatments against "No E-Mail". `conversion`
# and `spend` are the page's conversion rate and revenue per user; the rest
# are metric columns.
H_CONTROL = "No E-Mail"
H_ARMS = ["Womens E-Mail", "Mens E-Mail"]
H_METRICS = {"visit": "proportion", "conversion": "proportion", "spend": "mean",
             "newbie": "proportion", "recency": "mean"}
CONTROL, TREATMENT = "gate_30", "gate_40"
METRICS = {"sum_gamerounds": "mean", "retention_1": "proportion", "retention_7": "proportion"}
RATIOS = [("rounds_per_retained", "sum_gamerounds", "retention_1"),
          ("week_per_day_retention", "retention_7", "retention_1")]
# (name, first data row, end row): rows are counted after the header.
SLICES = [("all", 0, None), ("first 2000", 0, 2000), ("first 10000", 0, 10000),
          ("rows 30000-60000", 30000, 60000)]
ALPHA = 0.05
MARGINS = [0.01, 0.05]


def read_rows(path=DATA):
    with gzip.open(path, "rb") as f:
        text = f.read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def value(raw):
    low = raw.strip().lower()
    if low in ("true", "false"):
        return 1.0 if low == "true" else 0.0
    return float(raw)


def columns(header, rows):
    """Per variant, an array per metric column."""
    idx = {h: i for i, h in enumerate(header)}
    out = {}
    for arm in (CONTROL, TREATMENT):
        mine = [r for r in rows if r[idx["version"]] == arm]
        out[arm] = {m: np.array([value(r[idx[m]]) for r in mine]) for m in METRICS}
    return out


def statistic(x, kind):
    if kind == "proportion":
        return ProportionStatistic(n=len(x), sum=float(x.sum()))
    return SampleMeanStatistic(n=len(x), sum=float(x.sum()), sum_squares=float((x**2).sum()))


def ratio_statistic(m, d):
    return RatioStatistic(
        n=len(m),
        m_statistic=SampleMeanStatistic(n=len(m), sum=float(m.sum()), sum_squares=float((m**2).sum())),
        d_statistic=SampleMeanStatistic(n=len(d), sum=float(d.sum()), sum_squares=float((d**2).sum())),
        m_d_sum_of_products=float((m * d).sum()),
    )


def ttest(a, b, difference):
    r = TwoSidedTTest(a, b, FrequentistConfig(alpha=ALPHA, difference_type=difference)).compute_result()
    return {"estimate": r.expected, "ci": list(r.ci), "p_value": r.p_value}


def welch_dof(a, b):
    va, vb = a.variance / a.n, b.variance / b.n
    return (va + vb) ** 2 / (va**2 / (a.n - 1) + vb**2 / (b.n - 1))


def relative_non_inferiority(a, b, margin):
    """H0: lift <= -margin, from gbstats' relative estimate and its standard error."""
    r = TwoSidedTTest(a, b, FrequentistConfig(alpha=ALPHA, difference_type="relative")).compute_result()
    dof = welch_dof(a, b)
    se = (r.ci[1] - r.ci[0]) / 2 / stats.t.ppf(1 - ALPHA / 2, dof)
    t = (r.expected + margin) / se
    return {"margin": margin, "estimate": r.expected, "std_error": se,
            "p_value": float(stats.t.sf(t, dof)),
            "lower_bound": float(r.expected - stats.t.ppf(1 - ALPHA, dof) * se)}


def absolute_non_inferiority(xa, xb, margin):
    """statsmodels' one-sided Welch test of mean_b - mean_a > -margin."""
    t, p, dof = ttest_ind(xb, xa, alternative="larger", usevar="unequal", value=-margin)
    return {"margin": margin, "t": float(t), "p_value": float(p), "dof": float(dof)}


def post_stratified(rows, idx, column, levels, m, kind, arm):
    """The arm's effect on `m` post-stratified on `column`.

    The absolute effect and its standard error come from statsmodels: OLS
    of the metric on the treatment, the centred stratum indicators and
    their interactions (Lin 2013), HC2 errors. For a mean that is the
    stratified estimator with the Neyman variance Σ w²(s²_T/n_T + s²_C/n_C)
    exactly; a proportion's variance is p(1 − p), gbstats' convention, so
    its standard error is computed from the strata directly (the regression
    would use n − 1). The relative effect is the ratio of the weighted means
    minus one with the delta-method variance.
    """
    both = [r for r in rows if r[idx["segment"]] in (H_CONTROL, arm)]
    y = np.array([float(r[idx[m]]) for r in both])
    t = np.array([1.0 if r[idx["segment"]] == arm else 0.0 for r in both])
    dummies = np.array([[1.0 if r[idx[column]] == lv else 0.0 for lv in levels[1:]] for r in both])
    centred = dummies - dummies.mean(axis=0)
    x = sm.add_constant(np.column_stack([t, centred, centred * t[:, None]]))
    fit = sm.OLS(y, x).fit(cov_type="HC2")
    means = {"c": 0.0, "t": 0.0}
    var = {"c": 0.0, "t": 0.0}
    for lv in levels:
        inside = [r for r in both if r[idx[column]] == lv]
        w = len(inside) / len(both)
        for key, name in (("c", H_CONTROL), ("t", arm)):
            v = np.array([float(r[idx[m]]) for r in inside if r[idx["segment"]] == name])
            s2 = v.mean() * (1 - v.mean()) if kind == "proportion" else v.var(ddof=1)
            means[key] += w * v.mean()
            var[key] += w * w * s2 / len(v)
    mc, mt = means["c"], means["t"]
    return {
        "absolute": float(fit.params[1]),
        "absolute_se_hc2": float(fit.bse[1]),
        "absolute_se": float(np.sqrt(var["c"] + var["t"])),
        "relative": float(mt / mc - 1),
        "relative_se": float(np.sqrt(var["t"] / mc**2 + mt**2 * var["c"] / mc**4)),
        "strata": len(levels),
    }


def main():
    header, rows = read_rows()
    slices = []
    for name, start, end in SLICES:
        part = rows[start:end]
        cols = columns(header, part)
        case = {"name": name, "start": start, "end": end if end is not None else len(rows),
                "sums": {}, "metrics": {}, "ratios": {}, "non_inferiority": {}}
        for arm in (CONTROL, TREATMENT):
            case["sums"][arm] = {m: {"n": int(len(x)), "sum": float(x.sum()), "sum_sq": float((x**2).sum())}
                                 for m, x in cols[arm].items()}
        for m, kind in METRICS.items():
            a, b = statistic(cols[CONTROL][m], kind), statistic(cols[TREATMENT][m], kind)
            case["metrics"][m] = {"kind": kind, "relative": ttest(a, b, "relative"),
                                  "absolute": ttest(a, b, "absolute")}
            means_a = cols[CONTROL][m].mean()
            ni = []
            for margin in MARGINS:
                # Absolute margin equal to the relative one at the control's mean;
                # sample variances (ddof 1) as statsmodels uses them.
                ni.append({"relative": relative_non_inferiority(a, b, margin),
                           "absolute": absolute_non_inferiority(cols[CONTROL][m], cols[TREATMENT][m],
                                                                margin * means_a)})
            case["non_inferiority"][m] = ni
        for name_r, num, den in RATIOS:
            a = ratio_statistic(cols[CONTROL][num], cols[CONTROL][den])
            b = ratio_statistic(cols[TREATMENT][num], cols[TREATMENT][den])
            case["ratios"][name_r] = {"numerator": num, "denominator": den,
                                      "control_mean": a.mean, "treatment_mean": b.mean,
                                      "relative": ttest(a, b, "relative"),
                                      "absolute": ttest(a, b, "absolute")}
        slices.append(case)
    # Hillstrom: each arm against the control, Holm-adjusted over the two
    # arms, with the interval widened to the level 1 - alpha * p / p_adjusted
    # at which it agrees with the adjusted p-value.
    header, rows = read_rows(HILLSTROM)
    idx = {h: i for i, h in enumerate(header)}
    by_arm = {}
    for arm in [H_CONTROL, *H_ARMS]:
        mine = [r for r in rows if r[idx["segment"]] == arm]
        by_arm[arm] = {m: np.array([float(r[idx[m]]) for r in mine]) for m in H_METRICS}
    hillstrom = {"control": H_CONTROL, "arms": H_ARMS, "metrics": {}}
    for m, kind in H_METRICS.items():
        a = statistic(by_arm[H_CONTROL][m], kind)
        tests = [ttest(a, statistic(by_arm[arm][m], kind), "relative") for arm in H_ARMS]
        for arm, t in zip(H_ARMS, tests):
            # gbstats' p is 1 - cdf, which reaches 0 below about 1e-16; the
            # same test's tail from scipy keeps tiny p-values (and so the
            # Holm adjustment of them) exact.
            b = statistic(by_arm[arm][m], kind)
            dof = welch_dof(a, b)
            se = (t["ci"][1] - t["ci"][0]) / 2 / stats.t.ppf(1 - ALPHA / 2, dof)
            t["p_value"] = float(2 * stats.t.sf(abs(t["estimate"]) / se, dof))
        adjusted = multipletests([t["p_value"] for t in tests], method="holm")[1]
        out = {"kind": kind, "sums": {arm: {"n": int(len(x)), "sum": float(x.sum()),
                                            "sum_sq": float((x**2).sum())}
                                      for arm, x in ((arm, by_arm[arm][m]) for arm in [H_CONTROL, *H_ARMS])},
               "arms": {}}
        for arm, t, p_adj in zip(H_ARMS, tests, adjusted):
            b = statistic(by_arm[arm][m], kind)
            level = ALPHA * t["p_value"] / p_adj if p_adj > t["p_value"] else ALPHA
            wide = TwoSidedTTest(a, b, FrequentistConfig(alpha=level, difference_type="relative")).compute_result()
            out["arms"][arm] = {**t, "p_adjusted": float(p_adj), "ci_adjusted": list(wide.ci)}
        hillstrom["metrics"][m] = out

    # Segments of Hillstrom's test: the women's e-mail against none, per
    # channel, zip code and history segment. Each segment's relative lift
    # and standard error (gbstats), Cochran's Q over the segments and each
    # segment against the rest (statsmodels `combine_effects`, fixed
    # effects), the latter Holm-adjusted over the segments.
    def lift_se(rows_a, rows_b, m, kind):
        a = statistic(np.array([float(r[idx[m]]) for r in rows_a]), kind)
        b = statistic(np.array([float(r[idx[m]]) for r in rows_b]), kind)
        t = ttest(a, b, "relative")
        se = (t["ci"][1] - t["ci"][0]) / 2 / stats.t.ppf(1 - ALPHA / 2, welch_dof(a, b))
        return t["estimate"], se

    arm = H_ARMS[0]
    segments = {}
    for column in ["channel", "zip_code", "history_segment"]:
        levels = sorted({r[idx[column]] for r in rows})
        for m, kind in [("visit", "proportion"), ("spend", "mean")]:
            per = []
            for level in levels:
                inside = [r for r in rows if r[idx[column]] == level]
                outside = [r for r in rows if r[idx[column]] != level]
                est, se = lift_se([r for r in inside if r[idx["segment"]] == H_CONTROL],
                                  [r for r in inside if r[idx["segment"]] == arm], m, kind)
                rest, rest_se = lift_se([r for r in outside if r[idx["segment"]] == H_CONTROL],
                                        [r for r in outside if r[idx["segment"]] == arm], m, kind)
                pair = combine_effects(np.array([est, rest]), np.array([se**2, rest_se**2]), method_re="chi2")
                per.append({"level": level, "estimate": est, "std_error": se, "rest_estimate": rest,
                            "rest_std_error": rest_se, "vs_rest_p": float(pair.test_homogeneity().pvalue)})
            adjusted = multipletests([p["vs_rest_p"] for p in per], method="holm")[1]
            for p, adj in zip(per, adjusted):
                p["vs_rest_p_holm"] = float(adj)
            res = combine_effects(np.array([p["estimate"] for p in per]),
                                  np.array([p["std_error"] ** 2 for p in per]), method_re="chi2")
            homogeneity = res.test_homogeneity()
            post = post_stratified(rows, idx, column, levels, m, kind, arm)
            segments[f"{column}/{m}"] = {
                "post_stratified": post,
                "column": column, "metric": m, "kind": kind, "levels": per,
                "q": float(res.q), "df": int(homogeneity.df), "p_value": float(homogeneity.pvalue),
                "i_squared": max(0.0, float(res.i2)), "pooled": float(res.mean_effect_fe),
                "pooled_se": float(res.sd_eff_w_fe),
            }
    hillstrom["segments"] = {"arm": arm, "by": segments}

    # CUPED on real data: spend adjusted by `history`, the customer's spend
    # in the year before the test (gbstats' RegressionAdjustedStatistic, with
    # its pooled theta), each arm against no e-mail.
    def regression_adjusted(name):
        mine = [r for r in rows if r[idx["segment"]] == name]
        post = np.array([float(r[idx["spend"]]) for r in mine])
        pre = np.array([float(r[idx["history"]]) for r in mine])
        return RegressionAdjustedStatistic(
            n=len(mine),
            post_statistic=SampleMeanStatistic(n=len(mine), sum=float(post.sum()),
                                               sum_squares=float((post**2).sum())),
            pre_statistic=SampleMeanStatistic(n=len(mine), sum=float(pre.sum()),
                                              sum_squares=float((pre**2).sum())),
            post_pre_sum_of_products=float((post * pre).sum()), theta=0)
    hillstrom["cuped"] = {}
    for arm in H_ARMS:
        a, b = regression_adjusted(H_CONTROL), regression_adjusted(arm)
        theta = compute_theta(a, b)
        a.theta, b.theta = theta, theta
        # The 0.8.0 wheel understates the relative variance under CUPED
        # (tests/reference/generate.py checks it against GrowthBook's current
        # code): its relative point estimate and the absolute test are used.
        hillstrom["cuped"][arm] = {"theta": theta, "relative": ttest(a, b, "relative")["estimate"],
                                   "absolute": ttest(a, b, "absolute")}

    fixture = {
        "generated_by": "tests/reference/generate_metrics.py",
        "data": ["tests/data/cookie_cats.csv.gz (Cookie Cats mobile-game A/B test, 90,189 players)",
                 "tests/data/hillstrom.csv.gz (MineThatData e-mail test, 64,000 customers, three arms)"],
        "versions": {"gbstats": version("gbstats"), "scipy": scipy.__version__,
                     "statsmodels": statsmodels.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "alpha": ALPHA,
        "control": CONTROL,
        "treatment": TREATMENT,
        "slices": slices,
        "hillstrom": hillstrom,
    }
    out = os.path.join(HERE, "metrics_fixture.json")
    with open(out, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    n_cmp = sum(len(s["metrics"]) * 2 + len(s["ratios"]) * 2 for s in slices)
    n_ni = sum(len(v) * 2 for s in slices for v in s["non_inferiority"].values())
    n_h = len(hillstrom["metrics"]) * len(H_ARMS)
    n_seg = sum(len(v["levels"]) for v in segments.values())
    print(f"wrote {out}: {len(slices)} slices, {n_cmp} comparisons, {n_ni} non-inferiority tests, "
          f"{n_h} Hillstrom comparisons (Holm over {len(H_ARMS)} arms), {len(segments)} segmentations "
          f"({n_seg} segments, Cochran's Q, each vs the rest)")


if __name__ == "__main__":
    main()
