#!/usr/bin/env python3
"""Reference values for the engine's CLV models, from `lifetimes` 0.11.3.

Writes `cdnow_sample.csv` (the CDNOW sample transaction log that ships inside
lifetimes, as customer_id,date,amount with ISO dates) and `clv_fixture.json`:
lifetimes' per-customer summary (weeks and days), the BG/NBD and Gamma-Gamma
parameters fitted on the weekly summary, their log-likelihoods, and
predictions for selected customers. The Rust test `reference_clv.rs` compares
against it; the files are committed so tests need no Python. Run:

    python3 tests/reference/generate_clv.py     # makes tests/reference/.venv-clv

Conventions recorded in the fixture: the observation period ends at the last
transaction date; lifetimes' `customer_lifetime_value(time=12,
discount_rate=0.01, freq="W")` sums, for months i = 1..12, the expected
purchases between weeks 4.345·(i − 1) and 4.345·i times the expected spend,
divided by 1.01^i.
"""
import json
import os
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv-clv")
PINS = ["lifetimes==0.11.3", "numpy==2.4.6", "pandas==3.1.1", "scipy==1.17.1", "autograd==1.9.1", "dill==0.4.1"]


def ensure_venv():
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
from scipy.special import gammaln  # noqa: E402
from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.datasets import load_dataset  # noqa: E402
from lifetimes.utils import summary_data_from_transaction_data  # noqa: E402

started = time.time()
raw = load_dataset(
    "CDNOW_sample.txt",
    header=None,
    sep=r"\s+",
    names=["customer_id", "customer_index", "date", "quantity", "amount"],
    dtype={"customer_id": str, "date": str},
)
log = pd.DataFrame({
    "customer_id": raw["customer_id"],
    "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
    "amount": raw["amount"],
})
csv_path = os.path.join(HERE, "cdnow_sample.csv")
out = log.assign(date=log["date"].dt.strftime("%Y-%m-%d"))
out.to_csv(csv_path, index=False, float_format="%.2f")
end = log["date"].max()


def summary(freq):
    s = summary_data_from_transaction_data(
        log, "customer_id", "date", monetary_value_col="amount", observation_period_end=end, freq=freq
    )
    return s


weeks = summary("W")
days = summary("D")


def rows(s):
    return [
        {"customer_id": str(i), "frequency": float(r.frequency), "recency": float(r.recency),
         "T": float(r["T"]), "monetary_value": float(r.monetary_value)}
        for i, r in s.iterrows()
    ]


bgf = BetaGeoFitter(penalizer_coef=0.0)
bgf.fit(weeks["frequency"], weeks["recency"], weeks["T"])
r, alpha, a, b = (float(bgf.params_[k]) for k in ["r", "alpha", "a", "b"])


def bg_ll(r, alpha, a, b, x, tx, T):
    """Fader, Hardie & Lee (2005) eq. 6, summed over customers."""
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    return float(np.sum(a1 + a2 + np.logaddexp(a3, a4)))


x, tx, T = weeks["frequency"].values, weeks["recency"].values, weeks["T"].values
bg_total = bg_ll(r, alpha, a, b, x, tx, T)
bg_perturbed = {}
for k, name in enumerate(["r", "alpha", "a", "b"]):
    for sign in (-1, 1):
        p = [r, alpha, a, b]
        p[k] *= 1 + sign * 1e-3
        bg_perturbed[f"{name}{'+' if sign > 0 else '-'}"] = bg_ll(*p, x, tx, T)

repeat = weeks[(weeks["frequency"] > 0) & (weeks["monetary_value"] > 0)]
ggf = GammaGammaFitter(penalizer_coef=0.0)
ggf.fit(repeat["frequency"], repeat["monetary_value"])
p_, q_, v_ = (float(ggf.params_[k]) for k in ["p", "q", "v"])


def gg_ll(p, q, v, x, m):
    return float(np.sum(
        gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v) + (p * x - 1) * np.log(m)
        + p * x * np.log(x) - (p * x + q) * np.log(x * m + v)
    ))


gg_total = gg_ll(p_, q_, v_, repeat["frequency"].values, repeat["monetary_value"].values)

# A varied set of customers: no repeat purchases, heavy buyers, long dormant.
picks = list(weeks.sort_values(["frequency", "recency"]).index[[0, 1, 500]])
picks += list(weeks.sort_values("frequency", ascending=False).index[:3])
dormant = weeks[(weeks["frequency"] > 0)].assign(gap=lambda d: d["T"] - d["recency"]).sort_values("gap", ascending=False)
picks += list(dormant.index[:2])
picks += list(weeks[weeks["frequency"] == 1].index[:2]) + list(weeks[weeks["frequency"] == 3].index[:2])
picks = list(dict.fromkeys(picks))
sel = weeks.loc[picks]
predictions = []
clv = ggf.customer_lifetime_value(
    bgf, sel["frequency"], sel["recency"], sel["T"], sel["monetary_value"], time=12, discount_rate=0.01, freq="W"
)
for cid, row in sel.iterrows():
    f_, r_, t_, m_ = float(row["frequency"]), float(row["recency"]), float(row["T"]), float(row["monetary_value"])
    predictions.append({
        "customer_id": str(cid), "frequency": f_, "recency": r_, "T": t_, "monetary_value": m_,
        "purchases_39": float(bgf.conditional_expected_number_of_purchases_up_to_time(39, f_, r_, t_)),
        "purchases_52": float(bgf.conditional_expected_number_of_purchases_up_to_time(52, f_, r_, t_)),
        "probability_alive": float(np.ravel(bgf.conditional_probability_alive(f_, r_, t_))[0]),
        "expected_average_profit": float(ggf.conditional_expected_average_profit(f_, m_)) if f_ > 0 and m_ > 0 else None,
        "clv_12_months": float(clv.loc[cid]),
    })

fixture = {
    "generated_by": "tests/reference/generate_clv.py",
    "versions": {"lifetimes": version("lifetimes"), "numpy": np.__version__, "pandas": pd.__version__,
                 "scipy": scipy.__version__, "python": sys.version.split()[0]},
    "data": "cdnow_sample.csv (lifetimes/datasets/CDNOW_sample.txt: columns customer_id, index, date YYYYMMDD, quantity, amount)",
    "observation_period_end": end.strftime("%Y-%m-%d"),
    "summary_weeks": rows(weeks),
    "summary_days": rows(days),
    "bgnbd": {
        "unit": "weeks",
        "params": {"r": r, "alpha": alpha, "a": a, "b": b},
        "log_likelihood": bg_total,
        "log_likelihood_perturbed": bg_perturbed,
        "optimizer": "scipy.optimize.minimize (BFGS with autograd gradient) on log-parameters, tol=1e-7, x0=0.1, times scaled by 10/max(T)",
        "expected_purchases": {str(t): float(bgf.expected_number_of_purchases_up_to_time(t)) for t in (10, 39, 52)},
    },
    "gamma_gamma": {
        "params": {"p": p_, "q": q_, "v": v_},
        "log_likelihood": gg_total,
        "customers": int(len(repeat)),
        "optimizer": "scipy.optimize.minimize (BFGS with autograd gradient) on log-parameters, tol=1e-7",
    },
    "clv_convention": "customer_lifetime_value(bgf, frequency, recency, T, monetary_value, time=12, discount_rate=0.01, freq='W'): "
                      "for i in 1..12: (E[purchases by 4.345*i weeks] - E[purchases by 4.345*(i-1)]) * conditional_expected_average_profit / 1.01**i",
    "predictions": predictions,
}
with open(os.path.join(HERE, "clv_fixture.json"), "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print(f"wrote clv_fixture.json: {len(weeks)} customers, BG/NBD {fixture['bgnbd']['params']}, "
      f"GG {fixture['gamma_gamma']['params']} in {time.time() - started:.1f} s")
