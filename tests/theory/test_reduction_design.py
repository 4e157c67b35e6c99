"""One-to-all reduction (Fig. 3) and dissipation design."""

from __future__ import annotations

import json

import numpy as np
import pytest

from spinsync import Network, load_model
from spinsync.errors import ModelError
from spinsync.theory.design import design_dissipation, heuristic_design, objective_value, parse_bounds
from spinsync.theory.reduction import compare_reduction, one_to_all_reduction


def test_a_star_network_is_its_own_reduction() -> None:
    net = Network.with_topology([1, 0.3, 0.6, 0.2], [0.4, 1, 0.2, 0.9], "star", 2, 2, 1, hub=1)
    rep = compare_reduction(net, hub=1)
    assert rep.bonds_full == rep.bonds_reduced == 3
    assert rep.difference == 0.0 and rep.fidelity == pytest.approx(1, abs=1e-10)


def test_reduction_keeps_only_hub_bonds(examples) -> None:
    net = load_model(examples / "fig3a.toml")
    red = one_to_all_reduction(net, 2)
    assert all(2 in b[:2] for b in red.bonds) and len(red.bonds) == net.n - 1
    with pytest.raises(ModelError):
        one_to_all_reduction(net, net.n)


def test_equal_environment_magnetization_reduces_better(examples) -> None:
    # Fig. 3: equal environment m (a) is much closer to its reduction than unequal m (c).
    a = compare_reduction(load_model(examples / "fig3a.toml"))
    c = compare_reduction(load_model(examples / "fig3c.toml"))
    assert a.relative_difference < c.relative_difference
    assert a.fidelity > c.fidelity
    assert 0 < a.fidelity <= 1 + 1e-12


def test_all_equal_m_gives_exact_reduction() -> None:
    net = Network.from_magnetization([0.4] * 4, rate_scale=[1, 2, 0.5, 3],
                                     bonds=[(j, k, 2, 2, 1) for j in range(4) for k in range(j + 1, 4)])
    rep = compare_reduction(net)
    assert rep.methods == ("analytic", "analytic")
    assert rep.sync_total_full == rep.sync_total_reduced == 0.0 and rep.fidelity == pytest.approx(1)


def test_parse_bounds() -> None:
    assert parse_bounds("0.1, 2") == (0.1, 2.0)
    for bad in ("1", "a,b", "2,1", "0,1", "-1,1", "1,inf"):
        with pytest.raises(ModelError):
            parse_bounds(bad)


def test_design_beats_or_matches_the_heuristic_on_fig3(examples) -> None:
    net = load_model(examples / "fig3a.toml")
    bounds = (0.1, 2.0)
    res = design_dissipation(net, bounds, memory=0, objective="total", maxiter=4)
    heur = heuristic_design(net, bounds)
    assert res.heuristic.value == pytest.approx(heur.value, rel=1e-12)
    # value ≥ heuristic holds by construction (the optimizer starts from the heuristic);
    # that the optimizer works shows in a strict gain: 0.1005 against 0.0715 (measured), so
    # demand at least half of it.
    assert res.value > heur.value + 0.014
    # The reported optimum is what the solver gives for the reported rates.
    optimal = net.replace(gain=res.gain, damping=res.damping)
    assert objective_value(optimal) == pytest.approx(res.value, rel=1e-10)
    env = np.arange(1, net.n)
    rates = np.concatenate([np.asarray(res.gain)[env], np.asarray(res.damping)[env]])
    assert np.all(rates >= bounds[0] * (1 - 1e-12)) and np.all(rates <= bounds[1] * (1 + 1e-12))
    assert res.gain[0] == net.gain[0] and res.damping[0] == net.damping[0]  # memory untouched
    # The heuristic rates share one magnetization.
    g, d = np.array(heur.gain), np.array(heur.damping)
    assert np.ptp((g - d) / (g + d)) < 1e-12
    assert res.reduction.hub == 0


def test_memory_objective_and_errors(examples) -> None:
    net = load_model(examples / "two_qubit.toml")
    res = design_dissipation(net, (0.2, 1.0), memory=1, objective="memory", maxiter=5)
    assert res.value == pytest.approx(res.memory_sync)
    # The optimum is a local maximum within the bounds: no single-rate step of 1 % that stays
    # inside them raises the objective (value ≥ heuristic alone holds by construction).
    base = net.replace(gain=res.gain, damping=res.damping)
    assert objective_value(base, 1, "memory") == pytest.approx(res.value, rel=1e-10)
    for name in ("gain", "damping"):
        for factor in (0.99, 1.01):
            rates = np.array(getattr(res, name), dtype=float)
            rates[0] *= factor
            if not 0.2 <= rates[0] <= 1.0:
                continue
            moved = base.replace(**{name: rates})
            assert objective_value(moved, 1, "memory") <= res.value * (1 + 1e-9)
    with pytest.raises(ModelError):
        design_dissipation(net, (0.2, 1.0), memory=5)
    with pytest.raises(ModelError):
        design_dissipation(net, (0.2, 1.0), objective="other")


def test_reduction_of_a_spin_network() -> None:
    # Spins: S_t is a qubit measure (None in JSON); fidelity and J correlations compare.
    bonds = [(j, k, 1.0, 1.0, 0.3) for j in range(3) for k in range(j + 1, 3)]
    net = Network.spins(1, [1.0, 0.5, 0.8], [0.4, 0.9, 0.2], bonds=bonds, dephasing=[0.1, 0, 0])
    red = one_to_all_reduction(net, 0)
    assert red.kind == "spins" and red.bonds == bonds[:2] and np.array_equal(red.dephasing, net.dephasing)
    rep = compare_reduction(net)
    out = rep.to_dict()
    json.dumps(out, allow_nan=False)
    assert out["sync_total_full"] is None and out["hub_sync_reduced"] is None
    assert 0 < rep.fidelity < 1 and rep.correlation_full > 1e-3 and rep.correlation_reduced > 1e-3
    # Equal ratios γᵍ/γᵈ: the theorem holds in both, both steady states are ρ₀.
    same = net.replace(damping=np.asarray(net.gain) / 2, dephasing=None)
    rep = compare_reduction(same)
    assert rep.methods == ("analytic", "analytic") and rep.fidelity == pytest.approx(1)
    assert rep.correlation_full == pytest.approx(0, abs=1e-12)


def test_design_refuses_spins_and_keeps_other_qubit_terms(examples) -> None:
    spins = Network.spins(1, [1, 0.5], [0.5, 1], bonds=[(0, 1, 1, 1, 0)])
    with pytest.raises(ModelError, match=r"^design: .* defined for qubits; this network has spins \(s = 1\)"):
        objective_value(spins)
    with pytest.raises(ModelError, match="^design: "):
        design_dissipation(spins, (0.2, 1.0), maxiter=1)
    # A driven qubit pair: the drive stays while the environment's rates vary.
    driven = load_model(examples / "two_qubit.toml").replace(drive=[0.0, 0.5])
    res = heuristic_design(driven, (0.2, 1.0), memory=0, objective="memory")
    assert res.value > 0 and np.isfinite(res.value)
