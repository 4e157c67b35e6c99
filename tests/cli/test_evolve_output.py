"""What ``spinsync evolve`` records (issue 11 §6): the seed a random initial state used,
the version and date in the NetCDF file, and whole numbers in a piped table."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

import spinsync
from spinsync.cli import app

runner = CliRunner()

MODEL = """
[qubits]
gain    = [1.0, 0.2, 2.0]
damping = [0.5, 1.0, 0.4]

[couplings]
topology = "all-to-all"
ux = 1.0
uy = 1.0
uz = 0.5
"""


@pytest.fixture()
def model(tmp_path: Path) -> Path:
    path = tmp_path / "model.toml"
    path.write_text(MODEL)
    return path


def _evolve_json(model: Path, *args: str) -> dict:
    res = runner.invoke(app, ["evolve", str(model), "--t-max", "0.4", "--points", "3", "--json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize("initial", ["random", "random-mixed"])
def test_random_state_without_seed_records_the_seed_used(model: Path, tmp_path: Path, initial: str) -> None:
    nc = tmp_path / "run.nc"
    first = _evolve_json(model, "--initial", initial, "--out", str(nc))
    seed = first["seed"]
    assert isinstance(seed, int) and seed >= 0 and first["initial"] == initial
    with xr.open_dataset(nc) as ds:
        assert int(ds.attrs["seed"]) == seed
    # The recorded seed repeats the run exactly; another run draws another seed.
    again = _evolve_json(model, "--initial", initial, "--seed", str(seed))
    assert again["seed"] == seed
    assert again["c_pm_re"] == first["c_pm_re"] and again["magnetization"] == first["magnetization"]
    other = _evolve_json(model, "--initial", initial)
    assert other["seed"] != seed and other["c_pm_re"] != first["c_pm_re"]


def test_human_output_shows_the_seed(model: Path) -> None:
    res = runner.invoke(app, ["evolve", str(model), "--initial", "random", "--t-max", "0.2", "--points", "2"])
    assert res.exit_code == 0, res.output
    match = re.search(r"seed\s*│\s*(\d+) \(repeat with --seed (\d+)\)", res.stdout)
    assert match and match[1] == match[2], res.stdout


def test_deterministic_state_records_no_seed(model: Path) -> None:
    data = _evolve_json(model, "--initial", "ghz", "--seed", "5")
    assert data["seed"] is None and data["initial"] == "ghz"


def test_random_names_are_the_librarys() -> None:
    """The CLI's list of seeded names matches which states initial_state draws at random."""
    from spinsync.cli.evolve import RANDOM_INITIAL_STATES
    from spinsync.states import INITIAL_STATE_NAMES, initial_state

    for name in sorted(RANDOM_INITIAL_STATES | set(INITIAL_STATE_NAMES)):
        a = initial_state(name, 2, seed=1).to_dense()
        b = initial_state(name, 2, seed=2).to_dense()
        assert (name in RANDOM_INITIAL_STATES) == (not np.allclose(a, b)), name


def test_netcdf_carries_version_and_date(model: Path, tmp_path: Path) -> None:
    nc = tmp_path / "run.nc"
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    res = runner.invoke(app, ["evolve", str(model), "--t-max", "0.2", "--points", "2", "--out", str(nc)])
    assert res.exit_code == 0, res.output
    with xr.open_dataset(nc) as ds:
        assert ds.attrs["spinsync_version"] == spinsync.__version__
        created = dt.datetime.fromisoformat(ds.attrs["created"])
    assert created.utcoffset() == dt.timedelta(0)
    assert start <= created <= dt.datetime.now(dt.timezone.utc)


def test_piped_table_keeps_whole_numbers(model: Path) -> None:
    """Rich assumes 80 columns on a pipe and cut '+1.708e-02' to '+1.708e-…'."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(Path(spinsync.__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, "-m", "spinsync", "evolve", str(model), "--t-max", "1",
                           "--points", "5", "--no-progress"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout, done.stdout
    from spinsync.dynamics import evolve
    from spinsync.states import ghz_state
    from spinsync.io import load_model

    lib = evolve(load_model(model), ghz_state(3), np.linspace(0, 1, 5))
    rows = [line.split("│")[1:-1] for line in done.stdout.splitlines()
            if line.startswith("│") and re.match(r"│\s*[\d.]+\s*│\s*0\.\d{8}", line)]
    assert len(rows) == 5, done.stdout
    for i, cells in enumerate(rows):
        cells = [c.strip() for c in cells]
        assert cells[1] == f"{lib.fidelity_product[i]:.8f}"
        assert cells[2] == f"{lib.c_pm[i].real:+.3e}" and cells[3] == f"{lib.c_pm[i].imag:+.3e}"
        assert cells[4] == f"{abs(lib.c_pp[i]):.3e}" and cells[5] == f"{lib.sync_total[i]:.4e}"
