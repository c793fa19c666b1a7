"""Native side of the ingest benchmark: the same files through
pandas.read_csv + groupby (the usual notebook route), then GrowthBook's
gbstats on the sums, and through the engine's own `uplift-roi reduce`.

Prints one JSON object per file and tool: seconds, rows/s, MiB/s and peak
resident memory. Each run is a fresh subprocess so peaks do not mix.
Run by bench/bench.mjs; by hand:
    .venv-bench/bin/python bench/ingest_native.py target/release/uplift-roi FILE.csv ...
"""
import json
import os
import subprocess
import sys
import time

PANDAS = r"""
import json, resource, sys, time
import pandas as pd
t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], usecols=["variant", "converted", "orders", "revenue", "pre_revenue"])
df["revenue_sq"] = df["revenue"] ** 2
g = df.groupby("variant", sort=False).agg(users=("converted", "size"), conversions=("converted", "sum"),
    orders=("orders", "sum"), revenue=("revenue", "sum"), revenue_sq=("revenue_sq", "sum"))
t1 = time.perf_counter()
extra = {}
try:
    from gbstats.models.statistics import ProportionStatistic
    from gbstats.frequentist.tests import TwoSidedTTest
    c, t = g.iloc[0], g.iloc[1]
    res = TwoSidedTTest(ProportionStatistic(n=int(c.users), sum=float(c.conversions)),
                        ProportionStatistic(n=int(t.users), sum=float(t.conversions))).compute_result()
    extra = {"gbstats_s": time.perf_counter() - t1, "lift": float(res.expected)}
except Exception as e:
    extra = {"gbstats_error": str(e)[:120]}
print(json.dumps({"seconds": t1 - t0, "rows": int(g.users.sum()), **extra}))
"""


# Runs its arguments as its only child and reports the child's peak memory,
# so every tool's peak is measured alone.
WRAP = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
out = subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True).stdout
wall = time.perf_counter() - t0
print(json.dumps({"out": out, "wall": wall, "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def run(cmd):
    r = json.loads(subprocess.run([sys.executable, "-c", WRAP, *cmd], check=True, capture_output=True, text=True).stdout)
    return r["out"], r["wall"], r["peak_kib"] / 1024


def main():
    cli, files = sys.argv[1], sys.argv[2:]
    for path in files:
        mib = os.path.getsize(path) / 1048576
        out, _, peak = run([sys.executable, "-c", PANDAS, path])
        r = json.loads(out)
        print(json.dumps({"tool": "pandas read_csv + groupby", "file": os.path.basename(path), "mib": round(mib, 1),
                          "seconds": round(r["seconds"], 3), "rows_per_s": round(r["rows"] / r["seconds"]),
                          "mib_per_s": round(mib / r["seconds"], 1), "peak_rss_mib": round(peak),
                          **{k: v for k, v in r.items() if k.startswith("gbstats")}}), flush=True)
        _, wall, peak = run([cli, "reduce", path])
        print(json.dumps({"tool": "uplift-roi reduce (native)", "file": os.path.basename(path), "mib": round(mib, 1),
                          "seconds": round(wall, 3), "mib_per_s": round(mib / wall, 1),
                          "peak_rss_mib": round(peak)}), flush=True)


if __name__ == "__main__":
    main()
