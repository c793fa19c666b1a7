"""The reference generators' private venv and the versions pinned in it.

`ensure_venv(__file__)` at the top of a generator re-runs it inside
tests/reference/.venv (made on first use), so nothing is installed globally.
"""
import os
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")
PINS = ["gbstats==0.8.0", "scipy==1.17.1", "statsmodels==0.15.0", "numpy==1.26.4",
        "scikit-uplift==0.5.1", "scikit-learn==1.5.2"]


def ensure_venv(script, venv_dir=VENV, pins=PINS):
    """Re-run `script` inside the private venv `venv_dir` with `pins`,
    unless already there."""
    py = os.path.join(venv_dir, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv_dir):
        return
    if not os.path.exists(py):
        venv.create(venv_dir, with_pip=True)
    subprocess.check_call([py, "-m", "pip", "install", "-q", *pins])
    os.execv(py, [py, script, *sys.argv[1:]])
