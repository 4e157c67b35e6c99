"""``spinsync steady``: the JSON contract, exit codes, human output (issue 2 §6).

The contract is checked against independent numbers: the JSON measures of a correlated
example are recomputed from QuTiP's steady state with dense numpy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import spinsync.resources
import spinsync.steady.api
from spinsync import NumericalError, load_model
from spinsync.cli import app

from tests.oracles import OPS, SX, SY, SZ, embed, qutip_steady

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
KEYS = {"n", "method", "nogo", "residual", "magnetization", "flipflop_re", "flipflop_im",
        "sync_max", "sync_total", "fidelity_product", "connected_max"}
#: Added by the general model (issue 10 §4); every key above stays.
ADDED_KEYS = {"kind", "dims", "symmetry", "coherence_re", "coherence_im"}
#: Added by the synchronization toolkit (issue 14): single-site S-functions, every model.
ADDED_KEYS |= {"sync_site_max", "sync_site_phase"}
#: Added by the methods beyond the exact engine (issue 13): None for exact results.
ADDED_KEYS |= {"approximate", "physical", "domain"}


def _run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "spinsync", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def _one_json_object(stdout: str) -> dict:
    decoder = json.JSONDecoder()
    obj, end = decoder.raw_decode(stdout.lstrip())
    assert stdout.lstrip()[end:].strip() == "", "more than one JSON value on stdout"
    assert isinstance(obj, dict)
    return obj


def _check_shapes(out: dict, *, rho0_defined: bool = True) -> None:
    """The contract; None only where a key has no meaning (no ρ₀: fidelity; a flat S_j: its phase)."""
    assert set(out) == KEYS | ADDED_KEYS
    n = out["n"]
    assert isinstance(n, int) and isinstance(out["method"], str) and isinstance(out["nogo"], bool)
    assert out["kind"] in ("qubits", "spins") and out["symmetry"] in ("u1", "parity", "none")
    assert out["approximate"] is False and out["physical"] is None and out["domain"] is None
    assert len(out["dims"]) == n and all(isinstance(d, int) and d >= 2 for d in out["dims"])
    qubits = out["kind"] == "qubits"
    assert qubits == all(d == 2 for d in out["dims"]) or not qubits
    floats = ["residual", "connected_max", "sync_total"]
    floats += ["fidelity_product"] if rho0_defined else []
    for key in floats:
        assert isinstance(out[key], float), key
    if not rho0_defined:
        assert out["fidelity_product"] is None
    assert len(out["magnetization"]) == n
    for key in ("coherence_re", "coherence_im"):
        assert len(out[key]) == n and all(isinstance(v, float) for v in out[key]), key
    for key in ("flipflop_re", "flipflop_im", "sync_max"):
        assert len(out[key]) == n and all(len(row) == n for row in out[key]), key
    assert all(out["sync_max"][j][j] == 0 for j in range(n))
    assert len(out["sync_site_max"]) == n and all(isinstance(v, float) and v >= 0 for v in out["sync_site_max"])
    assert len(out["sync_site_phase"]) == n
    for value, phase in zip(out["sync_site_max"], out["sync_site_phase"]):
        assert (phase is None and value == 0.0) or (isinstance(phase, float) and -np.pi < phase <= np.pi)


@pytest.fixture(scope="module")
def fig1b() -> dict:
    result = _run("steady", str(EXAMPLES / "fig1b.toml"), "--json")
    assert result.returncode == 0, result.stderr
    return _one_json_object(result.stdout)


@pytest.fixture(scope="module")
def fig1c() -> dict:
    result = _run("steady", str(EXAMPLES / "fig1c.toml"), "--json")
    assert result.returncode == 0, result.stderr
    return _one_json_object(result.stdout)


def test_fig1b_json_contract(fig1b: dict) -> None:
    _check_shapes(fig1b)
    assert fig1b["n"] == 6 and fig1b["nogo"] is True and fig1b["method"] == "analytic"
    assert abs(fig1b["fidelity_product"] - 1) < 1e-12  # issue 2 'done when'
    assert np.allclose(fig1b["magnetization"], -0.6, atol=1e-12)
    assert fig1b["connected_max"] < 1e-12 and fig1b["sync_total"] < 1e-12
    ff = np.array(fig1b["flipflop_re"]) + 1j * np.array(fig1b["flipflop_im"])
    assert np.allclose(ff, np.diag(np.full(6, 0.2)), atol=1e-12)  # P(up) = (1 + m)/2 = 0.2


def test_fig1c_json_against_qutip(fig1c: dict) -> None:
    """Every measure of the correlated Fig. 1c example recomputed from QuTiP's ρ_ss."""
    _check_shapes(fig1c)
    assert fig1c["nogo"] is False and fig1c["method"] == "direct"
    assert fig1c["fidelity_product"] < 1 - 1e-4
    assert fig1c["residual"] < 1e-10
    n = 6
    rho = qutip_steady(load_model(EXAMPLES / "fig1c.toml"))
    # 1e-9: QuTiP agrees with the solver to ~1e-13 (tests/test_steadystate.py); the JSON
    # adds only float formatting (repr round-trips exactly).
    tol = 1e-9

    def ev(*ops):
        return np.trace(rho @ np.linalg.multi_dot([np.eye(2**n)] + list(ops))) if ops else 1.0

    mag = [ev(embed(SZ, j, n)).real for j in range(n)]
    assert np.allclose(fig1c["magnetization"], mag, atol=tol)
    ff = np.array([[ev(embed(OPS["+"], j, n), embed(OPS["-"], k, n)) for k in range(n)] for j in range(n)])
    assert np.allclose(np.array(fig1c["flipflop_re"]) + 1j * np.array(fig1c["flipflop_im"]), ff, atol=tol)
    smax = np.pi / 16 * np.abs(ff)
    np.fill_diagonal(smax, 0)
    assert np.allclose(fig1c["sync_max"], smax, atol=tol)
    assert fig1c["sync_total"] == pytest.approx(np.triu(smax, 1).sum(), abs=tol)
    assert fig1c["sync_total"] > 1e-4
    paulis = (SX, SY, SZ)
    bloch = [[ev(embed(s, j, n)).real for s in paulis] for j in range(n)]
    conn = max(abs(ev(embed(paulis[a], j, n), embed(paulis[b], k, n)).real - bloch[j][a] * bloch[k][b])
               for j, k in combinations(range(n), 2) for a in range(3) for b in range(3))
    assert fig1c["connected_max"] == pytest.approx(conn, abs=tol)
    assert conn > 1e-4


def test_human_output_runs() -> None:
    # A relative path (cwd is the repository): rich wraps a title longer than the table,
    # so an absolute path would split "two_qubit.toml" in long checkout paths.
    result = _run("steady", "examples/two_qubit.toml")
    assert result.returncode == 0, result.stderr
    assert "two_qubit.toml" in result.stdout and "direct" in result.stdout
    assert "Pairs" in result.stdout  # the correlated pair table is printed
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


INVALID_FILES = {
    "syntax.toml": "[qubits\n",
    "unknown.toml": "[qubits]\ngain = [1]\ndamping = [1]\nspin = 1\n",
    "negative.toml": "[qubits]\ngain = [1, -1]\ndamping = [1, 1]\n",
}


@pytest.mark.parametrize("name", sorted(INVALID_FILES) + ["missing.toml"])
def test_invalid_file_exit_2_one_line_no_traceback(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name in INVALID_FILES:
        path.write_text(INVALID_FILES[name])
    result = _run("steady", str(path), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and "Traceback" not in result.stderr


def test_rate_scale_wrong_length_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "scale.toml"
    path.write_text("[qubits]\nmagnetization = [0.1, 0.2]\nrate_scale = [1, 2, 3]\n")
    result = _run("steady", str(path), "--json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


# ------------------------------------------------------------------ in-process (monkeypatched)
runner = CliRunner()


def test_analytic_method_on_correlated_model_is_invalid_input() -> None:
    result = runner.invoke(app, ["steady", str(EXAMPLES / "fig1c.toml"), "--method", "analytic", "--json"])
    assert result.exit_code == 2
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert "analytic" in result.stderr


def test_unknown_method_is_invalid_input() -> None:
    result = runner.invoke(app, ["steady", str(EXAMPLES / "two_qubit.toml"), "--method", "magic"])
    assert result.exit_code == 2 and "'magic'" in result.stderr


def test_numerical_failure_exit_1_with_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args, **kwargs):
        raise NumericalError("trace check failed (|Tr ρ − 1| = 3e-2)")

    monkeypatch.setitem(spinsync.steady.api.METHODS, "direct", fail)
    result = runner.invoke(app, ["steady", str(EXAMPLES / "fig1c.toml"), "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "trace check failed" in result.stderr


def test_memory_limit_exit_2_names_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spinsync.resources, "available_memory", lambda: 2**20)
    result = runner.invoke(app, ["steady", str(EXAMPLES / "fig1c.toml"), "--json"])
    assert result.exit_code == 2
    assert "819.2 KiB" in result.stderr  # 80 % of the patched 1 MiB
    # The advice names an option the CLI has (issue 11 §1), not Python syntax.
    assert "--method gmres" in result.stderr and "method=" not in result.stderr


def test_json_matches_library_for_every_example() -> None:
    """Each bundled example runs; nogo in the JSON agrees with the theorem's conditions."""
    from spinsync import nogo_conditions_hold, product_state

    for path in sorted(EXAMPLES.glob("*.toml")):
        result = runner.invoke(app, ["steady", str(path), "--json"])
        assert result.exit_code == 0, (path, result.stderr)
        out = _one_json_object(result.stdout)
        net = load_model(path)
        defined = product_state(net) is not None
        _check_shapes(out, rho0_defined=defined)
        assert out["nogo"] == nogo_conditions_hold(net)
        if defined:
            assert 0 <= out["fidelity_product"] <= 1 + 1e-12


@pytest.mark.parametrize("method, approximate", [("permutation", False), ("cumulant", True)])
def test_methods_beyond_the_exact_engine(tmp_path: Path, method: str, approximate: bool) -> None:
    """--method passes through; the cumulant says it is approximate and has no fidelity."""
    model = tmp_path / "m.toml"
    model.write_text('[qubits]\nmagnetization = [0.5, -0.3, -0.3, -0.3]\n\n[couplings]\n'
                     'topology = "all-to-all"\nux = 2.0\nuy = 2.0\nuz = 1.0\n')
    proc = _run("steady", str(model), "--method", method, "--json")
    assert proc.returncode == 0, proc.stderr
    out = _one_json_object(proc.stdout)
    assert out["method"] == method and out["approximate"] is approximate
    exact = _one_json_object(_run("steady", str(model), "--method", "direct", "--json").stdout)
    if approximate:
        assert out["fidelity_product"] is None and out["physical"] is True
        assert abs(out["sync_total"] - exact["sync_total"]) < 0.5 * exact["sync_total"]
    else:
        assert set(out) == KEYS | ADDED_KEYS and abs(out["sync_total"] - exact["sync_total"]) < 1e-12
        assert abs(out["fidelity_product"] - exact["fidelity_product"]) < 1e-12
    assert "permutation" in _run("steady", "--help").stdout
