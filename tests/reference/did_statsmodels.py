"""The statsmodels side of the difference-in-differences references: the
2x2 with HC1 or CR1 and t-based inference, the event study and its
pre-trend F test, and one fixture case built from a data frame. Shared by
generate_did.py and generate_did_causalpy.py, each of which runs it in its
own pinned venv.
"""
import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf


def floats(xs):
    return [float(x) for x in xs]


def fit(formula_or_model, df, unit, **kw):
    """OLS with HC1 (no unit) or CR1 by `unit`, t-based inference."""
    model = smf.ols(formula_or_model, df) if isinstance(formula_or_model, str) else formula_or_model
    if unit is None:
        return (model.fit(cov_type="HC1", use_t=True),
                model.fit(cov_type="HC0", use_t=True))
    groups = pd.factorize(df[unit])[0]
    return (model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True),
            model.fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False},
                      use_t=True))


def two_by_two(df, unit, confidence):
    res, raw = fit("y ~ treated + post + treated:post", df, unit)
    name = "treated:post"
    ci = res.conf_int(alpha=1 - confidence).loc[name]
    means = {}
    for t in (0, 1):
        for p in (0, 1):
            cell = df[(df.treated == t) & (df.post == p)]
            means[f"{'treated' if t else 'control'}_{'after' if p else 'before'}"] = {
                "mean": float(cell.y.mean()), "n": int(len(cell))}
    return {
        "params": floats(res.params),
        "bse": floats(res.bse),
        "cov": [floats(r) for r in np.asarray(res.cov_params())],
        "bse_uncorrected": floats(raw.bse),
        "effect": float(res.params[name]),
        "se": float(res.bse[name]),
        "t": float(res.tvalues[name]),
        "p_value": float(res.pvalues[name]),
        "ci": [float(ci.iloc[0]), float(ci.iloc[1])],
        "df": float(res.df_resid_inference if unit else res.df_resid),
        "nobs": int(res.nobs),
        "means": means,
    }


def event_study(df, unit, launch_index, confidence):
    periods = sorted(df.period.unique())
    ref = periods[launch_index - 1]
    cols = {"const": np.ones(len(df)), "treated": df.treated.to_numpy(float)}
    others = [p for p in periods if p != ref]
    for p in others:
        cols[f"period_{p}"] = (df.period == p).to_numpy(float)
    for p in others:
        cols[f"treated_{p}"] = ((df.period == p) & (df.treated == 1)).to_numpy(float)
    X = pd.DataFrame(cols, index=df.index)
    res, _ = fit(sm.OLS(df.y, X), df, unit)
    ci = res.conf_int(alpha=1 - confidence)
    rows = []
    for p in others:
        name = f"treated_{p}"
        rows.append({
            "period": str(p),
            "event_time": periods.index(p) - launch_index,
            "effect": float(res.params[name]),
            "se": float(res.bse[name]),
            "p_value": float(res.pvalues[name]),
            "ci": [float(ci.loc[name].iloc[0]), float(ci.loc[name].iloc[1])],
        })
    pre = [f"treated_{p}" for p in others if periods.index(p) < launch_index]
    test = None
    if pre:
        R = np.zeros((len(pre), X.shape[1]))
        for i, name in enumerate(pre):
            R[i, list(X.columns).index(name)] = 1.0
        f = res.f_test(R)
        test = {"f": float(np.squeeze(f.fvalue)), "df_num": float(f.df_num),
                "df_denom": float(f.df_denom), "p_value": float(f.pvalue)}
    return {"reference_period": str(ref), "rows": rows, "pre_trend": test}


def case(name, raw, columns, confidence=0.95, launch=None, event=False):
    """`columns` maps the engine's roles to the CSV's column names."""
    csv = raw.to_csv(index=False, lineterminator="\n")
    df = raw.dropna(subset=[columns["outcome"]]).copy()
    df["y"] = df[columns["outcome"]].astype(float)
    df["treated"] = df[columns["treated"]].astype(int)
    unit = columns.get("unit")
    if launch is None:
        df["post"] = df[columns["post"]].astype(int)
    else:
        df["period"] = df[columns["period"]]
        df["post"] = (df.period >= launch).astype(int)
    out = {
        "name": name,
        "columns": columns,
        "launch": None if launch is None else str(launch),
        "confidence": confidence,
        "csv": csv,
        "n_clusters": int(df[unit].nunique()) if unit else None,
        "did": two_by_two(df, unit, confidence),
    }
    if event:
        periods = sorted(df.period.unique())
        out["event_study"] = event_study(df, unit, periods.index(launch), confidence)
    return out
