"""``spinsync steady`` options of the general model: ``--symmetry`` and the solver flags
(``--tol``, ``--maxiter``, ``--restart``, ``--preconditioner``) that the library's messages advise, and the
human-readable output of spin and driven models."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import spinsync.resources
import spinsync.steady.api
from spinsync.cli import app

EXAMPLES = Path(__file__).parents[2] / "examples"
runner = CliRunner()


def _steady(*args: str):
    return runner.invoke(app, ["steady", *args])


def _json(*args: str) -> dict:
    res = _steady(*args, "--json")
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


def _one_line_exit_2(res, *needles: str) -> None:
    assert res.exit_code == 2, (res.exit_code, res.stderr)
    assert res.stdout == "" and len(res.stderr.splitlines()) == 1, res.stderr
    for needle in needles:
        assert needle in res.stderr, (needle, res.stderr)


@pytest.mark.parametrize("name, weaker", [("collective_decay", "none"), ("mixed_spins", "parity"),
                                          ("fig3c", "none")])
def test_a_weaker_symmetry_gives_the_same_state(name: str, weaker: str) -> None:
    auto = _json(str(EXAMPLES / f"{name}.toml"))
    forced = _json(str(EXAMPLES / f"{name}.toml"), "--symmetry", weaker)
    assert forced["symmetry"] == weaker != auto["symmetry"]
    for key in ("magnetization", "coherence_re", "flipflop_re", "flipflop_im", "connected_max"):
        assert np.allclose(forced[key], auto[key], atol=1e-9), key


def test_symmetry_the_terms_do_not_keep_is_refused() -> None:
    _one_line_exit_2(_steady(str(EXAMPLES / "driven_pair.toml"), "--symmetry", "u1"), "'u1'", "'none'")


def test_unknown_symmetry_is_refused() -> None:
    _one_line_exit_2(_steady(str(EXAMPLES / "two_qubit.toml"), "--symmetry", "su2"),
                     "--symmetry = 'su2'", "auto, u1, parity, none")


def test_gmres_flags_reach_the_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict = {}
    solver = spinsync.steady.api.METHODS["gmres"]

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return solver(*args, **kwargs)

    monkeypatch.setitem(spinsync.steady.api.METHODS, "gmres", spy)
    out = _json(str(EXAMPLES / "driven_pair.toml"), "--method", "gmres", "--tol", "1e-12",
                "--maxiter", "300", "--restart", "30", "--preconditioner", "no-jump")
    assert (seen["tol"], seen["maxiter"], seen["restart"]) == (1e-12, 300, 30)
    assert seen["preconditioner"] == "no-jump"
    assert out["method"] == "gmres" and out["symmetry"] == "none" and out["residual"] <= 1e-12


@pytest.mark.parametrize("flag, value", [("--tol", "0"), ("--tol", "nan"), ("--tol", "2"),
                                         ("--maxiter", "0"), ("--maxiter", "-3"), ("--restart", "0"),
                                         ("--preconditioner", "jacobi")])
def test_bad_gmres_flags_are_refused(flag: str, value: str) -> None:
    res = _steady(str(EXAMPLES / "fig1c.toml"), "--method", "gmres", flag, value)
    _one_line_exit_2(res, f"{flag} = ")


def test_gmres_flags_without_gmres_are_refused_not_ignored() -> None:
    res = _steady(str(EXAMPLES / "two_qubit.toml"), "--tol", "1e-6")
    _one_line_exit_2(res, "--tol", "auto chose 'direct'", "--method gmres")
    res = _steady(str(EXAMPLES / "two_qubit.toml"), "--method", "direct", "--maxiter", "5", "--restart", "5")
    _one_line_exit_2(res, "--maxiter, --restart", "--method is 'direct'")


@pytest.mark.parametrize("method, flags, taken", [
    ("permutation", ("--tol", "1e-12", "--maxiter", "50"), {"tol": 1e-12, "maxiter": 50}),
    ("cumulant", ("--tol", "1e-9", "--restart", "20"), {"tol": 1e-9, "restart": 20}),
])
def test_solver_flags_of_the_methods_beyond_gmres(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                  method: str, flags: tuple, taken: dict) -> None:
    """Each iterative method gets the flags it takes; a flag it does not take is refused."""
    model = tmp_path / "group.toml"  # a memory qubit and three identical qubits
    model.write_text('[qubits]\nmagnetization = [0.5, -0.3, -0.3, -0.3]\n\n[couplings]\n'
                     'topology = "all-to-all"\nux = 2.0\nuy = 2.0\nuz = 1.0\n')
    seen: dict = {}
    solver = spinsync.steady.api.METHODS[method]

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return solver(*args, **kwargs)

    monkeypatch.setitem(spinsync.steady.api.METHODS, method, spy)
    assert _json(str(model), "--method", method, *flags)["method"] == method
    assert {k: seen[k] for k in taken} == taken
    other = "--restart" if method == "permutation" else "--maxiter"
    _one_line_exit_2(_steady(str(model), "--method", method, other, "5"),
                     other, f"--method is '{method}'", "--method gmres")


def _advised_flags(message: str) -> set[str]:
    return set(re.findall(r"--[a-z][a-z-]*", message))


def test_every_flag_the_messages_advise_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    """GMRES out of iterations advises --maxiter, --restart, --tol, --method: all are options."""
    help_text = _steady("--help").stdout
    res = _steady(str(EXAMPLES / "fig1c.toml"), "--method", "gmres", "--maxiter", "2")
    assert res.exit_code == 1 and len(res.stderr.splitlines()) == 1
    advised = _advised_flags(res.stderr)
    assert {"--maxiter", "--restart", "--tol", "--method"} <= advised
    monkeypatch.setattr(spinsync.resources, "available_memory", lambda: 2**16)
    for method in ("direct", "gmres"):
        res = _steady(str(EXAMPLES / "fig1c.toml"), "--method", method)
        assert res.exit_code == 2
        advised |= _advised_flags(res.stderr)
    assert "--method" in advised and "--restart" in advised
    for flag in advised:
        assert flag in help_text, flag


def test_spin_model_human_output_has_no_pauli_labels() -> None:
    res = _steady(str(EXAMPLES / "spin1_rb_pair.toml"))
    assert res.exit_code == 0, res.stderr
    assert "σ" not in res.stdout and "Sᵐᵃˣ" not in res.stdout
    # S_t is defined for spins since issue 14 (the pair S-function of spins of any size).
    for label in ("spins", "roulet-bruder", "⟨Jᶻ_j⟩", "|⟨J⁺_jJ⁻_k⟩|", "symmetry", "S_t"):
        assert label in res.stdout, label


def test_driven_qubits_show_their_coherence_and_undefined_rho0_is_said() -> None:
    res = _steady(str(EXAMPLES / "driven_pair.toml"))
    assert res.exit_code == 0 and "⟨σ⁺_j⟩" in res.stdout and "none" in res.stdout
    res = _steady(str(EXAMPLES / "two_qubit.toml"))
    assert "⟨σ⁺_j⟩" not in res.stdout  # zero coherences are not shown
    res = _steady(str(EXAMPLES / "boundary_driven_chain.toml"))
    assert res.exit_code == 0 and "undefined" in res.stdout
