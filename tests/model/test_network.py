"""Network model: topology builders, magnetization parametrization, validation messages.

Every invalid input must raise ModelError whose message names the field and the value
(issue 2 §2)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinsync import ModelError, Network, magnetization_from_rates, rates_from_magnetization
from spinsync.model import (
    all_to_all_bonds,
    chain_bonds,
    power_law_bonds,
    ring_bonds,
    star_bonds,
)


# ------------------------------------------------------------------ topologies
def test_topology_bond_lists_by_hand() -> None:
    assert all_to_all_bonds(4) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    assert star_bonds(4, hub=2) == [(0, 2), (1, 2), (2, 3)]
    assert chain_bonds(4) == [(0, 1), (1, 2), (2, 3)]
    assert sorted(ring_bonds(4)) == [(0, 1), (0, 3), (1, 2), (2, 3)]
    assert ring_bonds(2) == [(0, 1)]  # no duplicate bond
    assert ring_bonds(1) == [] and chain_bonds(1) == [] and all_to_all_bonds(1) == []
    pairs, w = power_law_bonds(4, 1.5)
    assert pairs == all_to_all_bonds(4)
    assert np.allclose(w, [1, 2**-1.5, 3**-1.5, 1, 2**-1.5, 1])


@pytest.mark.parametrize("topology,expected", [
    ("all-to-all", {(0, 1), (0, 2), (1, 2)}),
    ("star", {(0, 1), (0, 2)}),
    ("chain", {(0, 1), (1, 2)}),
    ("ring", {(0, 1), (1, 2), (0, 2)}),
    ("none", set()),
])
def test_with_topology_uniform_couplings(topology: str, expected: set) -> None:
    net = Network.with_topology([1, 1, 1], [2, 2, 2], topology, 0.7, 0.4, -0.2)
    assert {(j, k) for j, k, *_ in net.bonds} == expected
    assert all(c == (0.7, 0.4, -0.2) for *_, ux, uy, uz in net.bonds for c in [(ux, uy, uz)])


def test_power_law_couplings_scale_every_component() -> None:
    net = Network.with_topology([1] * 4, [2] * 4, "power-law", 2.0, 1.0, 0.5, alpha=2.0)
    for j, k, ux, uy, uz in net.bonds:
        w = 1 / abs(j - k) ** 2
        assert (ux, uy, uz) == pytest.approx((2.0 * w, 1.0 * w, 0.5 * w))


def test_coupling_matrix_is_symmetric_and_bonds_are_ordered() -> None:
    net = Network([1, 1, 1], [1, 1, 1], bonds=[(2, 0, 1.0, 2.0, 3.0)])
    assert net.bonds == [(0, 2, 1.0, 2.0, 3.0)]
    for a, v in enumerate((1.0, 2.0, 3.0)):
        mat = net.coupling_matrix(a)
        assert mat[0, 2] == mat[2, 0] == v and np.count_nonzero(mat) == 2
    assert not net.is_xxz
    assert Network([1, 1], [1, 1], bonds=[(0, 1, 1.0, 1.0, 3.0)]).is_xxz


def test_network_is_immutable_and_replace_revalidates() -> None:
    net = Network([1, 2], [3, 4])
    with pytest.raises(ValueError):
        net.gain[0] = 5.0
    assert net.replace(field=0.5).field == 0.5
    _raises(r"gain\[0\] = -1\.0", net.replace, gain=[-1.0, 2.0])
    assert net.with_topology([1, 2], [3, 4], "chain", 1, 1, 1).without_couplings().bonds == []


# ------------------------------------------------------------------ magnetization
def test_magnetization_formula() -> None:
    net = Network([1, 0.2, 20, 3, 0], [4, 0.8, 80, 1, 2])
    assert np.allclose(net.magnetization, [-0.6, -0.6, -0.6, 0.5, -1.0], atol=1e-15)
    # CONVENTIONS.md: m = 1 − 2/(Γᵍ/Γᵈ + 1) is the same thing
    assert np.allclose(net.magnetization[:4], 1 - 2 / (np.array([0.25, 0.25, 0.25, 3]) + 1))
    assert np.allclose(net.total_rate, [5, 1, 100, 4, 2])


@pytest.mark.parametrize("m,gain,damping", [
    (0.5, 1.0, 1 / 3), (-0.5, 1 / 3, 1.0), (0.0, 1.0, 1.0), (0.25, 1.0, 0.6), (-0.25, 0.6, 1.0),
])
def test_caption_rule_larger_rate_is_one(m: float, gain: float, damping: float) -> None:
    g, d = rates_from_magnetization([m])
    assert (g[0], d[0]) == pytest.approx((gain, damping), rel=1e-15)
    assert max(g[0], d[0]) == 1.0


@given(st.lists(st.floats(-0.999, 0.999), min_size=1, max_size=8),
       st.floats(0.01, 100.0))
def test_rates_from_magnetization_round_trip(m: list[float], scale: float) -> None:
    g, d = rates_from_magnetization(m, rate_scale=scale)
    assert np.allclose(magnetization_from_rates(g, d), m, atol=1e-12, rtol=0)
    assert np.allclose(np.maximum(g, d), scale, rtol=1e-15)
    net = Network.from_magnetization(m, rate_scale=scale)
    assert np.allclose(net.magnetization, m, atol=1e-12, rtol=0)


def test_rate_scale_per_qubit() -> None:
    g, d = rates_from_magnetization([0.5, -0.5], rate_scale=[2.0, 3.0])
    assert np.allclose(g, [2.0, 1.0]) and np.allclose(d, [2 / 3, 3.0])


# ------------------------------------------------------------------ validation
def _plain(exc: BaseException) -> str:
    """Message with numpy-2 scalar reprs unwrapped: 'np.float64(-0.5)' → '-0.5'.

    The values must be named; how numpy prints them is checked separately
    (test_messages_show_plain_numbers)."""
    return re.sub(r"np\.(?:float64|int64)\(([^()]*)\)", r"\1", str(exc))


def _raises(pattern: str, fn, *args, **kwargs) -> str:
    with pytest.raises(ModelError) as info:
        fn(*args, **kwargs)
    msg = _plain(info.value)
    assert re.search(pattern, msg), f"{pattern!r} not in {msg!r}"
    return str(info.value)


def _good(**kw):
    base = dict(gain=[1.0, 2.0, 3.0], damping=[1.0, 1.0, 1.0], omega=None, bonds=[], field=0.0)
    base.update(kw)
    return base


@pytest.mark.parametrize("kwargs,pattern", [
    (_good(gain=[1.0, -0.5, 3.0]), r"gain\[1\] = -0\.5"),
    (_good(damping=[1.0, 1.0, -2.0]), r"damping\[2\] = -2\.0"),
    (_good(gain=[1.0, math.nan, 3.0]), r"gain\[1\] = nan"),
    (_good(damping=[math.inf, 1.0, 1.0]), r"damping\[0\] = inf"),
    (_good(gain=[1.0, 2.0, -math.inf]), r"gain\[2\] = -inf"),
    (_good(omega=[0.0, math.nan, 0.0]), r"omega\[1\] = nan"),
    (_good(damping=[1.0, 1.0]), r"damping: expected 3 values.*got 2"),
    (_good(omega=[0.0, 0.0, 0.0, 0.0]), r"omega: expected 3 values.*got 4"),
    (_good(gain=[]), r"gain"),
    (_good(gain=[[1.0, 2.0]], damping=[[1.0, 2.0]]), r"gain.*shape"),
    (_good(gain=["a", 1, 1]), r"gain = \['a', 1, 1\]"),
    (_good(field=math.inf), r"field = inf"),
    (_good(field="strong"), r"field = 'strong'"),
    (_good(bonds=[(0, 3, 1, 1, 1)]), r"bonds\[0\] sites = \(0, 3\): index 3 out of range \[0, 2\]"),
    (_good(bonds=[(0, 1, 1, 1, 1), (-1, 1, 1, 1, 1)]), r"bonds\[1\] sites = \(-1, 1\): index -1 out of range"),
    (_good(bonds=[(2, 2, 1, 1, 1)]), r"bonds\[0\] sites = \(2, 2\): self-bond"),
    (_good(bonds=[(0, 1, 1, 1, 1), (1, 2, 1, 1, 1), (1, 0, 2, 2, 2)]), r"bonds\[2\] sites = \(1, 0\): duplicate of bonds\[0\]"),
    (_good(bonds=[(0, 1, 1, 1)]), r"bonds\[0\] = \(0, 1, 1, 1\): expected \(j, k, ux, uy, uz\)"),
    (_good(bonds=[(0, 1.5, 1, 1, 1)]), r"bonds\[0\]\.k = 1\.5: site must be an integer"),
    (_good(bonds=[(0, 1, 1, math.nan, 1)]), r"bonds\[0\] couplings = \(1\.0, nan, 1\.0\)"),
])
def test_invalid_network_messages(kwargs, pattern) -> None:
    _raises(pattern, Network, **kwargs)


def test_isolated_undissipated_qubit_is_refused_naming_it() -> None:
    """Zero rates are allowed (issue 10), but a qubit without dissipation that no flip bond
    links to a dissipated one has no unique steady state: solving refuses, naming it."""
    from spinsync import steady_state

    net = Network(**_good(gain=[1.0, 0.0, 3.0], damping=[1.0, 0.0, 1.0]))
    _raises(r"qubit 1: gain \+ damping = 0", steady_state, net)


@pytest.mark.parametrize("m,pattern", [
    ([0.2, 1.0], r"magnetization\[1\] = 1\.0"),
    ([-1.0], r"magnetization\[0\] = -1\.0"),
    ([0.0, -1.5], r"magnetization\[1\] = -1\.5"),
    ([math.nan], r"magnetization\[0\] = nan"),
])
def test_invalid_magnetization_messages(m, pattern) -> None:
    _raises(pattern + r".*\|m\| < 1", Network.from_magnetization, m)


@pytest.mark.parametrize("scale,pattern", [
    ([1.0, 0.0], r"rate_scale\[1\] = 0\.0"),
    (-2.0, r"rate_scale\[0\] = -2\.0"),
    ([math.inf, 1.0], r"rate_scale\[0\] = inf"),
])
def test_invalid_rate_scale_messages(scale, pattern) -> None:
    _raises(pattern, rates_from_magnetization, [0.1, 0.2], rate_scale=scale)


def test_rate_scale_wrong_length_names_the_field() -> None:
    with pytest.raises(ModelError, match=r"rate_scale.*3"):
        Network.from_magnetization([0.1, 0.2], rate_scale=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("kwargs,pattern", [
    (dict(topology="mesh"), r"topology = 'mesh'"),
    (dict(topology="star", hub=5), r"hub = 5"),
    (dict(topology="star", hub=-1), r"hub = -1"),
    (dict(topology="power-law", alpha=-1.0), r"alpha = -1\.0"),
    (dict(topology="power-law", alpha=math.nan), r"alpha = nan"),
])
def test_invalid_topology_messages(kwargs, pattern) -> None:
    _raises(pattern, Network.with_topology, [1, 1, 1], [1, 1, 1], ux=1, uy=1, uz=1, **kwargs)


@pytest.mark.parametrize("fn,args", [
    (Network, ([1.0, -0.5], [1.0, 1.0])),
    (Network.from_magnetization, ([0.2, 1.0],)),
    (Network, ([1.0, 1.0], [1.0, 1.0], None, [(0, 1, 1.0, math.nan, 1.0)])),
])
def test_messages_show_plain_numbers(fn, args) -> None:
    with pytest.raises(ModelError) as info:
        fn(*args)
    assert "np.float64" not in str(info.value)
