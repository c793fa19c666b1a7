#!/usr/bin/env python3
"""Generate the reference values the engine's CLV models are tested against.

Runs `lifetimes` 0.11.3 (BG/NBD + Gamma-Gamma) on the CDNOW sample transaction
log that ships inside it and writes two files beside this script:

* `cdnow_sample.csv` — `lifetimes/datasets/CDNOW_sample.txt` as
  `customer_id,date,amount`: customer_id is the file's first column (the CDNOW
  master id, a 5-digit string kept with its leading zeros; it is one-to-one
  with the second column, the 1..2357 sample id that lifetimes' own tests
  use), date is the third column (`%Y%m%d`) written as ISO `YYYY-MM-DD`,
  amount is the fifth column (dollars) written with two decimals, exactly as
  in the source. Rows keep the source order; the CD-count column is dropped.
* `clv_fixture.json` — lifetimes' per-customer summaries of that CSV (days
  and weeks, observation period ending on the last transaction date), the
  BG/NBD and Gamma-Gamma fits on the weekly summary (parameters,
  log-likelihoods, optimizer settings, a ±1e-3 perturbation check, the
  distance to a Newton-polished optimum), predictions for a varied set of
  named customers, the exact CLV convention, and a reproduction of the
  numbers printed in lifetimes' Quickstart (a check that this
  numpy/pandas/scipy stack gives lifetimes' documented results).

The Rust test `crates/engine/tests/reference_clv.rs` reads both files; they
are committed, so tests need no Python. Rerun this only to change the cases:

    python3 tests/reference/generate_clv.py    # makes tests/reference/.venv-clv on first run

It re-executes itself inside that private (git-ignored) venv with the pinned
versions below, which are recorded in the fixture. Takes about 5 s once the
venv exists (about 25 s to build it from pip's cache). The output is
byte-for-byte reproducible.
"""
import json
import os
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv-clv")
# Exactly the set that installs and runs on Python 3.11; lifetimes 0.11.3 needs pkg_resources (setuptools < 81).
# numpy 1.26.4 / pandas 1.5.3 / scipy 1.11.4 / autograd 1.6.2 give the same fixture (summaries identical,
# fitted parameters within 1e-12 relative).
PINS = [
    "lifetimes==0.11.3",
    "numpy==2.4.6",
    "pandas==3.1.1",
    "scipy==1.17.1",
    "autograd==1.9.1",
    "dill==0.4.1",
    "setuptools==65.5.0",
    "python-dateutil==4.0.0",  # pandas' own dependencies, pinned too
    "tzdata==2026.6",
]


def ensure_venv():
    """Re-run inside a private venv so nothing is installed globally."""
    py = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(py):
        venv.create(VENV, with_pip=True)
    subprocess.check_call([py, "-m", "pip", "install", "-q", *PINS])
    os.execv(py, [py, __file__, *sys.argv[1:]])


ensure_venv()

import time  # noqa: E402
from importlib.metadata import version  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy  # noqa: E402
from autograd import hessian, value_and_grad  # noqa: E402
from scipy.optimize import minimize  # noqa: E402
from scipy.special import gammaln, hyp2f1  # noqa: E402

from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.datasets import (  # noqa: E402
    load_cdnow_summary,
    load_cdnow_summary_data_with_monetary_value,
    load_dataset,
)
from lifetimes.utils import _scale_time, summary_data_from_transaction_data  # noqa: E402

started = time.time()
TOL = 1e-7  # lifetimes' default `tol` for both fitters
WEEKS_PER_MONTH = 4.345  # lifetimes.utils._customer_lifetime_value, freq="W"


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


# ---------------------------------------------------------------- the data --
names = ["customer_id", "sample_id", "date", "quantity", "amount"]
raw = load_dataset("CDNOW_sample.txt", header=None, sep=r"\s+", names=names, dtype=str)
assert len(raw) == 6919 and raw["customer_id"].nunique() == 2357
assert (raw["amount"].astype(float) == 0).sum() == 8
assert raw.groupby("customer_id")["sample_id"].nunique().eq(1).all()
assert raw.groupby("sample_id")["customer_id"].nunique().eq(1).all()
csv = pd.DataFrame({
    "customer_id": raw["customer_id"],
    "date": pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d"),
    "amount": raw["amount"].astype(float).map(lambda v: f"{v:.2f}"),
})
assert (csv["amount"] == raw["amount"]).all(), "amounts are not all 2-decimal in the source"
csv_path = os.path.join(HERE, "cdnow_sample.csv")
csv.to_csv(csv_path, index=False, lineterminator="\n")

# Everything below runs on the CSV as read back: the very input the Rust test reads.
log = pd.read_csv(csv_path, dtype={"customer_id": str, "date": str, "amount": float})
log["date"] = pd.to_datetime(log["date"], format="%Y-%m-%d")
assert np.array_equal(log["amount"].to_numpy(), raw["amount"].astype(float).to_numpy())
end = log["date"].max()


def summary(freq):
    s = summary_data_from_transaction_data(
        log, "customer_id", "date", monetary_value_col="amount", observation_period_end=end, freq=freq
    )
    return s.sort_index()


days = summary("D")
weeks = summary("W")


def rows(s):
    return [
        {"customer_id": str(cid), "frequency": float(r["frequency"]), "recency": float(r["recency"]),
         "T": float(r["T"]), "monetary_value": float(r["monetary_value"])}
        for cid, r in s.iterrows()
    ]


# ------------------------------------------------------------------ BG/NBD --
x = weeks["frequency"].to_numpy()
tx = weeks["recency"].to_numpy()
T = weeks["T"].to_numpy()
n = len(weeks)
ones = np.ones(n, dtype=int)

bgf = BetaGeoFitter(penalizer_coef=0.0)
bgf.fit(weeks["frequency"], weeks["recency"], weeks["T"])
BG_NAMES = ["r", "alpha", "a", "b"]
bg = {k: float(bgf.params_[k]) for k in BG_NAMES}
scale = float(_scale_time(T))
assert scale == 1.0 / T.max()


bg_args_scaled = (x.astype(int), tx * scale, T * scale, ones, 0.0)

# lifetimes' _fit, replayed with the same arguments to record what the optimizer did.
bg_run = minimize(value_and_grad(BetaGeoFitter._negative_log_likelihood), jac=True, method=None, tol=TOL,
                  x0=0.1 * np.ones(4), args=bg_args_scaled, options={"disp": False}, bounds=None)
replayed = np.exp(bg_run.x)
replayed[1] /= scale  # as BetaGeoFitter.fit does
assert np.array_equal(replayed, bgf.params_.to_numpy()), (replayed, bgf.params_)
assert bg_run.fun == bgf._negative_log_likelihood_


def bg_nll_sum(p):
    """Σ over customers of −log L, in weeks (unscaled), with lifetimes' own function."""
    return float(n * BetaGeoFitter._negative_log_likelihood(np.log(np.array(p)), x.astype(int), tx, T, ones, 0.0))


def bg_ll_independent(p):
    """Fader, Hardie & Lee (2005) / Hardie note 004, written out again here."""
    r, alpha, a, b = p
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    return float(np.sum(a1 + a2 + np.logaddexp(a3, a4)))


bg_p = [bg[k] for k in BG_NAMES]
bg_ll = -bg_nll_sum(bg_p)
bg_ll_scaled = -n * float(bgf._negative_log_likelihood_)
assert rel(bg_ll_independent(bg_p), bg_ll) < 1e-12
# Scaling every time by s changes each customer's log L by −x·log s.
assert rel(bg_ll_scaled + np.log(scale) * x.sum(), bg_ll) < 1e-12


def perturbed(nll, params, names):
    base = nll(params)
    out = {}
    for k, name in enumerate(names):
        for sign, tag in ((-1, "-"), (1, "+")):
            p = list(params)
            p[k] *= 1 + sign * 1e-3
            v = nll(p)
            assert v > base, f"{name}{tag}: {v} <= {base}"
            out[f"{name}{tag}"] = {"negative_log_likelihood": v, "increase": v - base}
    return out


def polish(nll_mean, log_params, args):
    """Newton steps on lifetimes' objective from lifetimes' optimum: the MLE to ~1e-12."""
    vg, h = value_and_grad(nll_mean), hessian(nll_mean)
    z = np.array(log_params, dtype=float)
    for _ in range(50):
        _, g = vg(z, *args)
        step = np.linalg.solve(h(z, *args), g)
        z = z - step
        if np.max(np.abs(step)) < 1e-14:
            break
    _, g = vg(z, *args)
    return z, float(np.max(np.abs(g)))


z, bg_polished_grad = polish(BetaGeoFitter._negative_log_likelihood, bg_run.x, bg_args_scaled)
bg_polished = np.exp(z)
bg_polished[1] /= scale
bg_polished = dict(zip(BG_NAMES, bg_polished.tolist()))
_, g0 = value_and_grad(BetaGeoFitter._negative_log_likelihood)(bg_run.x, *bg_args_scaled)

bg_section = {
    "fitted_on": "summary_weeks (all 2357 customers; time unit weeks)",
    "params": bg,
    "log_likelihood": bg_ll,
    "log_likelihood_note": (
        "Σ over customers of log L(r, alpha, a, b | x, t_x, T) in weeks, evaluated with lifetimes' own "
        "BetaGeoFitter._negative_log_likelihood(log params, x, t_x, T, weights=1, penalizer=0) × n (the function "
        "returns the mean); an independent re-implementation agrees to 1e-12. lifetimes' attribute "
        "_negative_log_likelihood_ is the mean NLL on rescaled times (below), which differs by the constant log(scale)·Σx."
    ),
    "lifetimes_negative_log_likelihood_": float(bgf._negative_log_likelihood_),
    "time_scale": scale,
    "log_likelihood_identity": "log_likelihood = -n·_negative_log_likelihood_ + log(time_scale)·Σ frequency",
    "sum_frequency": float(x.sum()),
    "customers": n,
    "optimizer": {
        "call": "scipy.optimize.minimize(autograd.value_and_grad(nll), jac=True, method=None, tol=1e-7, "
                "x0=0.1*ones(4), options={'disp': False}, bounds=None)",
        "method": "BFGS (scipy picks BFGS when method=None and there are no bounds or constraints)",
        "tolerance": "tol=1e-7, which scipy passes to BFGS as gtol: stop when max |gradient| of nll <= 1e-7 "
                     "(maxiter default 200·4)",
        "variables": "log(r), log(alpha·time_scale), log(a), log(b); params_ = exp(x), then alpha = exp(x[1]) / time_scale",
        "objective": "mean (not sum) negative log-likelihood over customers, recency and T multiplied by "
                     "time_scale = 1/max(T) (lifetimes.utils._scale_time), penalizer_coef·Σ params² with "
                     "penalizer_coef = 0",
        "initial_params": "0.1 in log space: r = alpha·time_scale = a = b = exp(0.1) = 1.1051709180756477 "
                          f"(alpha = {float(np.exp(0.1) / scale)!r} weeks)",
        "iterations": int(bg_run.nit),
        "function_evaluations": int(bg_run.nfev),
        "message": str(bg_run.message),
        "max_abs_gradient_at_solution": float(np.max(np.abs(g0))),
    },
    "negative_log_likelihood_perturbed": perturbed(bg_nll_sum, bg_p, BG_NAMES),
    "perturbation_note": "Σ −log L (weeks) with one parameter multiplied by 1 ± 1e-3; every value exceeds "
                         "-log_likelihood, so lifetimes' params are a minimum",
    "polished_params": bg_polished,
    "polished_note": "Newton iterations on lifetimes' objective started from lifetimes' solution (max |gradient| "
                     f"{bg_polished_grad:.1e}); the relative gap to lifetimes' params is what BFGS at tol=1e-7 leaves",
    "polished_max_relative_gap": max(rel(bg[k], bg_polished[k]) for k in BG_NAMES),
    "polished_log_likelihood": -bg_nll_sum([bg_polished[k] for k in BG_NAMES]),
    "expected_purchases": {str(t): float(bgf.expected_number_of_purchases_up_to_time(t)) for t in (10, 39, 52)},
    "expected_purchases_note": "BetaGeoFitter.expected_number_of_purchases_up_to_time(t): repeat purchases in (0, t] "
                               "weeks for a randomly chosen new customer; keys are t in weeks",
}

# ------------------------------------------------------------- Gamma-Gamma --
repeat = weeks[weeks["frequency"] > 0]
assert (repeat["monetary_value"] > 0).all()  # lifetimes' _check_inputs rejects monetary_value <= 0
gx = repeat["frequency"].to_numpy().astype(float)
gm = repeat["monetary_value"].to_numpy().astype(float)
gn = len(repeat)
gones = np.ones(gn, dtype=int)
ggf = GammaGammaFitter(penalizer_coef=0.0)
ggf.fit(repeat["frequency"], repeat["monetary_value"])
GG_NAMES = ["p", "q", "v"]
gg = {k: float(ggf.params_[k]) for k in GG_NAMES}
gg_args = (gx, gm, gones, 0.0)
gg_run = minimize(value_and_grad(GammaGammaFitter._negative_log_likelihood), jac=True, method=None, tol=TOL,
                  x0=0.1 * np.ones(3), args=gg_args, options={"disp": False}, bounds=None)
assert np.array_equal(np.exp(gg_run.x), ggf.params_.to_numpy())


def gg_nll_sum(p):
    return float(gn * GammaGammaFitter._negative_log_likelihood(np.log(np.array(p)), *gg_args))


def gg_ll_independent(p):
    p_, q, v = p
    return float(np.sum(
        gammaln(p_ * gx + q) - gammaln(p_ * gx) - gammaln(q) + q * np.log(v) + (p_ * gx - 1) * np.log(gm)
        + p_ * gx * np.log(gx) - (p_ * gx + q) * np.log(gx * gm + v)
    ))


gg_p = [gg[k] for k in GG_NAMES]
gg_ll = -gg_nll_sum(gg_p)
assert rel(gg_ll_independent(gg_p), gg_ll) < 1e-12
assert rel(-gn * float(ggf._negative_log_likelihood_), gg_ll) < 1e-12
z, gg_polished_grad = polish(GammaGammaFitter._negative_log_likelihood, gg_run.x, gg_args)
gg_polished = dict(zip(GG_NAMES, np.exp(z).tolist()))
_, g0 = value_and_grad(GammaGammaFitter._negative_log_likelihood)(gg_run.x, *gg_args)

gg_section = {
    "fitted_on": "summary_weeks customers with frequency > 0 (all of them have monetary_value > 0); "
                 "frequency = repeat purchase weeks, monetary_value = mean spend of those repeat weeks",
    "customers": gn,
    "params": gg,
    "log_likelihood": gg_ll,
    "log_likelihood_note": "Σ over those customers of log f(monetary_value | p, q, v, frequency) = "
                           "-n·_negative_log_likelihood_ (no time scaling in this model); an independent "
                           "re-implementation agrees to 1e-12",
    "lifetimes_negative_log_likelihood_": float(ggf._negative_log_likelihood_),
    "optimizer": {
        "call": "scipy.optimize.minimize(autograd.value_and_grad(nll), jac=True, method=None, tol=1e-7, "
                "x0=0.1*ones(3), options={'disp': False}, bounds=None)  (q_constraint=False)",
        "method": "BFGS (method=None, no bounds)",
        "tolerance": "tol=1e-7 → BFGS gtol=1e-7 on max |gradient| of the mean NLL (maxiter default 200·3)",
        "variables": "log(p), log(q), log(v); params_ = exp(x)",
        "objective": "mean (not sum) negative log-likelihood over the customers, penalizer_coef = 0",
        "initial_params": "0.1 in log space: p = q = v = exp(0.1) = 1.1051709180756477",
        "iterations": int(gg_run.nit),
        "function_evaluations": int(gg_run.nfev),
        "message": str(gg_run.message),
        "max_abs_gradient_at_solution": float(np.max(np.abs(g0))),
    },
    "negative_log_likelihood_perturbed": perturbed(gg_nll_sum, gg_p, GG_NAMES),
    "perturbation_note": "Σ −log f with one parameter multiplied by 1 ± 1e-3; every value exceeds -log_likelihood",
    "polished_params": gg_polished,
    "polished_note": f"Newton iterations from lifetimes' solution (max |gradient| {gg_polished_grad:.1e})",
    "polished_max_relative_gap": max(rel(gg[k], gg_polished[k]) for k in GG_NAMES),
    "polished_log_likelihood": -gg_nll_sum([gg_polished[k] for k in GG_NAMES]),
    "population_mean_spend": gg["p"] * gg["v"] / (gg["q"] - 1),
}

# ------------------------------------------------------ named customers --
w = weeks.assign(gap=weeks["T"] - weeks["recency"], cid=weeks.index)


def first(df, by, ascending):
    return str(df.sort_values([*by, "cid"], ascending=[*ascending, True]).index[0])


buyers = w[w["frequency"] > 0]
freq2 = w[w["frequency"] == 2]
choices = [
    ("no repeat purchase, oldest (T max)", first(w[w["frequency"] == 0], ["T"], [False])),
    ("no repeat purchase, youngest (T min)", first(w[w["frequency"] == 0], ["T"], [True])),
    ("heaviest buyer", first(w, ["frequency", "recency"], [False, False])),
    ("second-heaviest buyer", str(w.sort_values(["frequency", "recency", "cid"], ascending=[False, False, True]).index[1])),
    ("third-heaviest buyer", str(w.sort_values(["frequency", "recency", "cid"], ascending=[False, False, True]).index[2])),
    ("heavy buyer (frequency >= 10) dormant longest", first(w[w["frequency"] >= 10], ["gap"], [False])),
    ("several purchases (frequency >= 4) dormant longest", first(w[w["frequency"] >= 4], ["gap"], [False])),
    ("one repeat purchase, dormant longest", first(w[w["frequency"] == 1], ["gap", "T"], [False, False])),
    ("one repeat purchase, in the last week (recency = T)", first(w[(w["frequency"] == 1) & (w["gap"] == 0)], ["T"], [False])),
    ("two repeat purchases, median recency",
     str((freq2["recency"] - freq2["recency"].median()).abs().to_frame("d").assign(cid=freq2.index)
         .sort_values(["d", "cid"]).index[0])),
    ("highest mean repeat spend", first(buyers, ["monetary_value"], [False])),
    ("lowest mean repeat spend", first(buyers, ["monetary_value"], [True])),
]
picks = list(dict.fromkeys(c for _, c in choices))
labels = {}
for label, cid in choices:
    labels.setdefault(cid, []).append(label)
assert len(picks) >= 10
sel = weeks.loc[picks]
clv = ggf.customer_lifetime_value(bgf, sel["frequency"], sel["recency"], sel["T"], sel["monetary_value"],
                                  time=12, discount_rate=0.01, freq="W")
spend_used = ggf.conditional_expected_average_profit(sel["frequency"], sel["monetary_value"])

predictions = []
for cid, row in sel.iterrows():
    f_, r_, t_, m_ = (float(row[k]) for k in ["frequency", "recency", "T", "monetary_value"])
    e39 = float(bgf.conditional_expected_number_of_purchases_up_to_time(39, f_, r_, t_))
    e52 = float(bgf.conditional_expected_number_of_purchases_up_to_time(52, f_, r_, t_))
    alive = float(np.ravel(bgf.conditional_probability_alive(f_, r_, t_))[0])
    # The CLV sum term by term, with lifetimes' own arithmetic (utils._customer_lifetime_value).
    s = float(spend_used.loc[cid])
    terms = []
    for i in np.arange(1, 13) * WEEKS_PER_MONTH:
        d = (bgf.predict(i, f_, r_, t_) - bgf.predict(i - WEEKS_PER_MONTH, f_, r_, t_))
        terms.append(float(s * d / 1.01 ** (i / WEEKS_PER_MONTH)))
    assert rel(sum(terms), float(clv.loc[cid])) < 1e-12
    predictions.append({
        "customer_id": str(cid),
        "kind": "; ".join(labels[str(cid)]),
        "frequency": f_, "recency": r_, "T": t_, "monetary_value": m_,
        "purchases_39": e39,
        "purchases_52": e52,
        "probability_alive": alive,
        "expected_average_profit": float(ggf.conditional_expected_average_profit(f_, m_)) if f_ > 0 else None,
        "clv_spend": s,
        "clv_12_months": float(clv.loc[cid]),
        "clv_monthly_terms": terms,
    })

# Independent check of lifetimes' prediction formulas at its own parameters.
r, alpha, a, b = bg_p
for c in predictions:
    xx, rr, TT = c["frequency"], c["recency"], c["T"]
    odds = (xx > 0) * a / (b + xx - 1) * ((alpha + TT) / (alpha + rr)) ** (r + xx)
    for t in (39, 52):
        num = (a + b + xx - 1) / (a - 1) * (1 - ((alpha + TT) / (alpha + TT + t)) ** (r + xx)
                                            * hyp2f1(r + xx, b + xx, a + b + xx - 1, t / (alpha + TT + t)))
        assert rel(num / (1 + odds), c[f"purchases_{t}"]) < 1e-10
    assert rel(1 / (1 + odds), c["probability_alive"]) < 1e-12

# ----------------------------------- lifetimes' Quickstart, reproduced here --
docs = load_cdnow_summary(index_col=[0])
bgf_docs = BetaGeoFitter(penalizer_coef=0.0).fit(docs["frequency"], docs["recency"], docs["T"])
money = load_cdnow_summary_data_with_monetary_value()
returning = money[money["frequency"] > 0]
ggf_docs = GammaGammaFitter(penalizer_coef=0).fit(returning["frequency"], returning["monetary_value"])
ecap_docs = ggf_docs.conditional_expected_average_profit(money["frequency"], money["monetary_value"])
bgf_money = BetaGeoFitter(penalizer_coef=0.0).fit(money["frequency"], money["recency"], money["T"])
clv_docs = ggf_docs.customer_lifetime_value(bgf_money, money["frequency"], money["recency"], money["T"],
                                            money["monetary_value"], time=12, discount_rate=0.01)
documented = {
    "bgnbd": {"r": 0.242593, "alpha": 4.413532, "a": 0.792886, "b": 2.425752},
    "gamma_gamma": {"p": 6.25, "q": 3.74, "v": 15.45},
    "expected_average_profit_customer_1": 24.658619,
    "expected_average_profit_customer_6": 71.462843,
    "expected_average_profit_mean": 35.2529588256,
    "clv_customer_1": 140.096211,
    "clv_customer_6": 1003.868107,
}
computed = {
    "bgnbd": {k: float(bgf_docs.params_[k]) for k in BG_NAMES},
    "gamma_gamma": {k: float(ggf_docs.params_[k]) for k in GG_NAMES},
    "expected_average_profit_customer_1": float(ecap_docs.loc[1]),
    "expected_average_profit_customer_6": float(ecap_docs.loc[6]),
    "expected_average_profit_mean": float(ecap_docs.mean()),
    "clv_customer_1": float(clv_docs.loc[1]),
    "clv_customer_6": float(clv_docs.loc[6]),
}
docs_gap = {}
for k, v in documented.items():
    for kk, vv in (v.items() if isinstance(v, dict) else [(k, v)]):
        got = computed[k][kk] if isinstance(v, dict) else computed[k]
        digits = len(repr(vv).split(".")[1])
        # Equal to the printed digits, or within 1e-5 relative (the docs were made with older numpy/scipy,
        # and BFGS stopping at gtol=1e-7 leaves differences of that order).
        assert abs(got - vv) <= max(0.51 * 10 ** -digits, 1e-5 * abs(vv)), (k, kk, got, vv)
        docs_gap[kk] = rel(got, vv)

docs_check = {
    "what": "lifetimes 0.11.3 docs/Quickstart.md, rerun with this stack: BetaGeoFitter(0.0) on load_cdnow_summary() "
            "(Hardie's 39-week CDNOW calibration summary, time in weeks); GammaGammaFitter(0) on "
            "load_cdnow_summary_data_with_monetary_value() with frequency > 0; customer_lifetime_value(time=12, "
            "discount_rate=0.01) with the default freq='D' as printed there (after refitting BG/NBD on that "
            "summary). Every computed value equals the printed digits or is within 1e-5 relative of them "
            "(relative_gap; p, q and v are printed with only 2 decimals).",
    "documented": documented,
    "computed": computed,
    "relative_gap": docs_gap,
}

# ------------------------------------------------------------------ write --
fixture = {
    "generated_by": "tests/reference/generate_clv.py",
    "versions": {"lifetimes": version("lifetimes"), "numpy": np.__version__, "pandas": pd.__version__,
                 "scipy": scipy.__version__, "autograd": version("autograd"), "python": sys.version.split()[0]},
    "data": "cdnow_sample.csv = lifetimes/datasets/CDNOW_sample.txt (whitespace-separated, no header: master id, "
            "sample id 1..2357, date %Y%m%d, number of CDs, dollars) → customer_id = master id as a 5-digit string, "
            "date as YYYY-MM-DD, amount with 2 decimals; 6919 transactions, 2357 customers, 8 of them $0.00",
    "summary_call": "lifetimes.utils.summary_data_from_transaction_data(transactions, 'customer_id', 'date', "
                    "monetary_value_col='amount', observation_period_end=Timestamp('1998-06-30'), freq='D' or 'W')",
    "summary_convention": "Dates are bucketed into periods of `freq` (D: calendar days; W: pandas W-SUN weeks, Monday to "
                          "Sunday) and each period stands for its first day; purchases in one period merge into one "
                          "with the summed amount. frequency = number of periods with a purchase − 1; recency = "
                          "last − first purchase period; T = period of observation_period_end − first purchase "
                          "period (all in periods); monetary_value = mean of the merged amounts excluding the "
                          "first period (0 when frequency = 0).",
    "observation_period_end": end.strftime("%Y-%m-%d"),
    "summary": rows(days),
    "summary_days": rows(days),
    "summary_weeks": rows(weeks),
    "bgnbd": bg_section,
    "gamma_gamma": gg_section,
    "clv_convention": (
        "GammaGammaFitter.customer_lifetime_value(bgf, frequency, recency, T, monetary_value, time=12, "
        "discount_rate=0.01, freq='W') → lifetimes.utils._customer_lifetime_value. time = horizon in months; "
        "freq = unit of the BG/NBD time axis, used only to pick factor = model time units per month "
        "('W': 4.345, 'M': 1, 'D': 30, 'H': 720); discount_rate = rate per month. With "
        "s = conditional_expected_average_profit(frequency, monetary_value) (the population mean p·v/(q−1) when "
        "frequency = 0) and E(t) = conditional_expected_number_of_purchases_up_to_time(t, frequency, recency, T) "
        "(E(0) = 0): CLV = Σ_{i in (1..time)·factor} s·(E(i) − E(i − factor)) / (1 + discount_rate)^(i/factor), "
        "i.e. for months k = 1..12 the expected repeat purchases between weeks 4.345(k−1) and 4.345k, times s, "
        "discounted by 1.01^k (end of month k). i = k·4.345 is a float (numpy.arange(1, 13) * 4.345), so "
        "i − 4.345 and i/4.345 carry ordinary rounding. No margin factor; months are exactly 4.345 weeks, not "
        "calendar months."
    ),
    "predictions": predictions,
    "docs_check": docs_check,
}


def dumps(obj, depth=0):
    """JSON with one line per flat record, so long per-customer lists stay readable and diffable."""
    flat = (isinstance(obj, dict) and all(not isinstance(v, (dict, list)) for v in obj.values())) or (
        isinstance(obj, list) and all(not isinstance(v, (dict, list)) for v in obj))
    if flat or not isinstance(obj, (dict, list)):
        return json.dumps(obj, ensure_ascii=False, allow_nan=False)
    pad, inner = " " * depth, " " * (depth + 1)
    if isinstance(obj, list):
        return "[\n" + ",\n".join(inner + dumps(v, depth + 1) for v in obj) + "\n" + pad + "]"
    return "{\n" + ",\n".join(f"{inner}{json.dumps(k)}: {dumps(v, depth + 1)}" for k, v in obj.items()) + "\n" + pad + "}"


text = dumps(fixture) + "\n"
assert json.loads(text) == json.loads(json.dumps(fixture))
with open(os.path.join(HERE, "clv_fixture.json"), "w", encoding="utf-8") as fh:
    fh.write(text)
print(f"wrote cdnow_sample.csv and clv_fixture.json: {n} customers, observation end {fixture['observation_period_end']}")
print(f"BG/NBD {bg} log L {bg_ll:.6f}")
print(f"Gamma-Gamma {gg} log L {gg_ll:.6f} on {gn} customers")
print(f"{len(predictions)} named customers; took {time.time() - started:.1f} s")
