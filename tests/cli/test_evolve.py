"""``spinsync evolve``: JSON contract, files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

import spinsync
from spinsync.cli import app
from spinsync.dynamics import evolve
from spinsync.states import ghz_state
from spinsync.io import load_model

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

runner = CliRunner()


@pytest.fixture()
def model(tmp_path: Path) -> Path:
    path = tmp_path / "model.toml"
    path.write_text(MODEL)
    return path


def test_json_contract_and_values(model: Path) -> None:
    res = runner.invoke(app, ["evolve", str(model), "--initial", "ghz", "--t-max", "1", "--points", "5", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)  # exactly one JSON document on stdout
    for key in ("times", "fidelity_product", "c_pm_re", "c_pm_im", "c_pp_re", "c_pp_im", "magnetization"):
        assert key in data, key
    assert len(data["times"]) == 5 and data["times"][-1] == 1.0
    assert np.shape(data["magnetization"]) == (5, 3)
    # Same numbers as the library.
    lib = evolve(load_model(model), ghz_state(3), np.linspace(0, 1, 5))
    np.testing.assert_allclose(data["fidelity_product"], lib.fidelity_product, rtol=0, atol=1e-12)
    np.testing.assert_allclose(data["c_pm_re"], lib.c_pm.real, atol=1e-12)
    np.testing.assert_allclose(data["c_pp_im"], lib.c_pp.imag, atol=1e-12)


def test_json_stdout_is_clean_in_a_subprocess(model: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "spinsync", "evolve", str(model), "--initial", "random", "--seed", "4",
         "--t-max", "0.5", "--points", "3", "--json"],
        capture_output=True, text=True, timeout=120,
        # The package under test, whether or not it is installed in the environment.
        env={**os.environ, "PYTHONPATH": str(Path(spinsync.__file__).resolve().parents[1])},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n") == 1
    assert json.loads(out.stdout)["times"] == [0.0, 0.25, 0.5]


def test_seed_makes_random_runs_reproducible(model: Path) -> None:
    args = ["evolve", str(model), "--initial", "random-mixed", "--t-max", "0.3", "--points", "2", "--json"]
    a = json.loads(runner.invoke(app, args + ["--seed", "1"]).stdout)
    b = json.loads(runner.invoke(app, args + ["--seed", "1"]).stdout)
    c = json.loads(runner.invoke(app, args + ["--seed", "2"]).stdout)
    assert a["c_pm_re"] == b["c_pm_re"]
    assert a["c_pm_re"] != c["c_pm_re"]


def test_netcdf_and_plot_files(model: Path, tmp_path: Path) -> None:
    nc, png = tmp_path / "out" / "run.nc", tmp_path / "run.png"
    res = runner.invoke(app, ["evolve", str(model), "--t-max", "1", "--points", "4", "--out", str(nc), "--plot", str(png)])
    assert res.exit_code == 0, res.output
    assert "Observables" in res.stdout
    with xr.open_dataset(nc) as ds:
        assert ds.sizes == {"time": 4, "qubit": 3, "qubit_k": 3}
        lib = evolve(load_model(model), ghz_state(3), np.linspace(0, 1, 4))
        np.testing.assert_allclose(ds["fidelity_product"].values, lib.fidelity_product, atol=1e-12)
        np.testing.assert_allclose(ds["magnetization"].values, lib.magnetization, atol=1e-12)
        assert ds.attrs["initial"] == "ghz"
        assert json.loads(ds.attrs["model"])["gain"] == [1.0, 0.2, 2.0]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Atomic writes leave no temporary files behind.
    assert sorted(p.name for p in nc.parent.iterdir()) == ["run.nc"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--t-max", "0"], "--t-max"),
        (["--t-max", "1", "--points", "1"], "--points"),
        (["--t-max", "1", "--initial", "bell"], "initial = 'bell'"),
        (["--t-max", "1", "--method", "rk4"], "method = 'rk4'"),
        (["--t-max", "1", "--rtol", "0"], "rtol"),
    ],
)
def test_invalid_input_exits_2_with_one_line(model: Path, args: list[str], message: str) -> None:
    res = runner.invoke(app, ["evolve", str(model), *args])
    assert res.exit_code == 2
    assert message in res.stderr
    assert res.stderr.count("\n") == 1
    assert "Traceback" not in res.output


def test_missing_model_file_exits_2(tmp_path: Path) -> None:
    res = runner.invoke(app, ["evolve", str(tmp_path / "none.toml"), "--t-max", "1"])
    assert res.exit_code == 2
