"""The general model's constructors (issue 10 §1): ss.Network with dephasing, drives and
collective channels, Network.with_topology passing them on, Network.spins for spins of any
size, ss.Collective, and the validation of every new parameter.

States are compared with the independent QuTiP oracle (tests/oracles.py) or between two
spellings of the same model; AGREE = 1e-10 (tests/general_cases.py), and 1e-13 where the
same solver solves the same model spelled twice (equal to rounding).
"""

from __future__ import annotations

import numpy as np
import pytest

import spinsync as ss

from tests.general_cases import AGREE, dense, max_diff, network, reference, solve
from tests.oracles import qutip_qubit_model, qutip_steady_state

SAME = 1e-13

GAIN = [0.7, 0.2, 1.3, 0.4]
DAMPING = [0.3, 1.1, 0.5, 0.9]
OMEGA = [0.2, -0.4, 0.1, 0.6]


def _state(net, method: str = "direct") -> np.ndarray:
    return dense(solve(net, method).state)


# ------------------------------------------------------------------ qubits
def test_paper_model_call_is_unchanged() -> None:
    bonds = [(0, 1, 1.0, 1.0, 0.3), (1, 2, 0.5, 0.2, 0.0), (0, 3, 1.2, 1.2, -0.4)]
    old = ss.Network(GAIN, DAMPING, OMEGA, bonds, 0.25)
    new = ss.Network(GAIN, DAMPING, OMEGA, bonds, 0.25, dephasing=None, drive=None,
                     drive_phase=None, collective=())
    ref = qutip_steady_state(*qutip_qubit_model(GAIN, DAMPING, OMEGA, bonds, 0.25))
    assert max_diff(_state(old), ref) < AGREE
    assert max_diff(_state(new), _state(old)) < SAME


def test_zero_new_terms_are_absent_terms() -> None:
    bonds = [(0, 1, 1.0, 1.0, 0.3), (1, 2, 0.5, 0.5, 0.0), (2, 3, 1.2, 1.2, -0.4)]
    plain = ss.Network(GAIN, DAMPING, OMEGA, bonds)
    zeros = ss.Network(GAIN, DAMPING, OMEGA, bonds, dephasing=[0.0] * 4, drive=[0.0] * 4,
                       drive_phase=[0.0] * 4,
                       collective=[ss.Collective(sites="all", operator="lowering", rate=0.0)])
    assert max_diff(_state(zeros), _state(plain)) < SAME


@pytest.mark.parametrize("topology,kw,pairs", [
    ("chain", {}, [(0, 1, 1), (1, 2, 1), (2, 3, 1)]),
    ("ring", {}, [(0, 1, 1), (1, 2, 1), (2, 3, 1), (0, 3, 1)]),
    ("star", {"hub": 2}, [(0, 2, 1), (1, 2, 1), (2, 3, 1)]),
    ("power-law", {"alpha": 1.5}, [(j, k, 1 / (k - j) ** 1.5) for j in range(4) for k in range(j + 1, 4)]),
])
def test_with_topology_passes_the_new_terms_on(topology: str, kw: dict, pairs: list) -> None:
    terms = dict(dephasing=[0.2, 0.0, 0.5, 0.1], drive=[0.6, 0.0, 0.3, 0.0],
                 drive_phase=[0.5, 0.0, 2.0, 0.0])
    coll = [([0, 3], "lowering", 0.4)]
    ux, uy, uz = 1.0, 0.7, 0.3
    net = ss.Network.with_topology(GAIN, DAMPING, topology, ux, uy, uz, omega=OMEGA, field=0.1,
                                   collective=[ss.Collective(sites=[0, 3], operator="lowering", rate=0.4)],
                                   **kw, **terms)
    bonds = [(j, k, ux * w, uy * w, uz * w) for j, k, w in pairs]
    case = dict(kind="qubit", gain=GAIN, damping=DAMPING, omega=OMEGA, bonds=bonds, field=0.1,
                collective=coll, **terms)
    assert max_diff(_state(net), reference(case)) < AGREE
    assert max_diff(_state(net), _state(network(case))) < SAME


def test_collective_all_equals_the_explicit_site_list() -> None:
    base = dict(kind="qubit", gain=GAIN[:3], damping=DAMPING[:3], omega=OMEGA[:3],
                bonds=[(0, 1, 1.0, 1.0, 0.2), (1, 2, 1.0, 1.0, 0.2)])
    a = network(dict(base, collective=[("all", "raising", 0.3), ("all", "dephasing", 0.2)]))
    b = network(dict(base, collective=[([0, 1, 2], "raising", 0.3), ([2, 1, 0], "dephasing", 0.2)]))
    assert max_diff(_state(a), _state(b)) < SAME


def test_collective_object_and_tuple() -> None:
    c = ss.Collective(sites=[0, 2], operator="dephasing", rate=0.5)
    assert c.operator == "dephasing" and c.rate == 0.5 and list(c.sites) == [0, 2]
    base = dict(kind="qubit", gain=GAIN[:3], damping=DAMPING[:3], omega=OMEGA[:3],
                bonds=[(0, 1, 1.0, 1.0, 0.2)], collective=[([0, 2], "dephasing", 0.5)])
    assert max_diff(_state(network(base)), _state(network(base, tuples=True))) < SAME


# ------------------------------------------------------------------ spins
def test_spins_scalar_s_is_every_site() -> None:
    kw = dict(scheme="roulet-bruder", omega=[0.2, -0.1, 0.3], bonds=[(0, 1, 1.0, 1.0, 0.2), (1, 2, 1.0, 1.0, 0.2)])
    a = ss.Network.spins(1, GAIN[:3], DAMPING[:3], **kw)
    b = ss.Network.spins([1, 1, 1], GAIN[:3], DAMPING[:3], **kw)
    assert max_diff(_state(a), _state(b)) < SAME
    assert _state(a).shape == (27, 27)


def test_spin_dimensions_multiply() -> None:
    net = ss.Network.spins([0.5, 1, 1.5], [0.5, 0.5, 0.5], [1.0, 1.0, 1.0],
                           bonds=[(0, 1, 1.0, 1.0, 0.0), (1, 2, 1.0, 1.0, 0.0)])
    assert _state(net).shape == (24, 24)


@pytest.mark.parametrize("scheme", ["gain-damping", "roulet-bruder"])
def test_spin_half_network_is_the_qubit_network(scheme: str) -> None:
    """CONVENTIONS.md's exact map at s = ½, both through the library: ω_spin = 2ω_qubit,
    U_spin = 4U_qubit, γᵠ_spin = 4Γᵠ_qubit, drive equal, B_spin = 2B_qubit (B Σ Jᶻ =
    (B/2) Σ σᶻ), collective dephasing ×4; J± rates equal; J±Jᶻ rates ×4 (J⁺Jᶻ = −σ⁺/2)."""
    k = 1.0 if scheme == "gain-damping" else 4.0
    qubit = ss.Network(
        GAIN[:3], DAMPING[:3], OMEGA[:3], [(0, 1, 0.5, 0.2, -0.3), (1, 2, 0.4, 0.4, 0.1)], 0.15,
        dephasing=[0.3, 0.0, 0.1], drive=[0.6, 0.2, 0.0], drive_phase=[0.4, 1.9, 0.0],
        collective=[ss.Collective(sites="all", operator="dephasing", rate=0.2),
                    ss.Collective(sites=[0, 1], operator="lowering", rate=0.3)],
    )
    spin = ss.Network.spins(
        0.5, [g * k for g in GAIN[:3]], [d * k for d in DAMPING[:3]], scheme=scheme,
        omega=[2 * w for w in OMEGA[:3]], bonds=[(0, 1, 2.0, 0.8, -1.2), (1, 2, 1.6, 1.6, 0.4)],
        field=0.3, dephasing=[1.2, 0.0, 0.4], drive=[0.6, 0.2, 0.0], drive_phase=[0.4, 1.9, 0.0],
        collective=[ss.Collective(sites="all", operator="dephasing", rate=0.8),
                    ss.Collective(sites=[0, 1], operator="lowering", rate=0.3)],
    )
    assert max_diff(_state(spin), _state(qubit)) < AGREE


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize("kwargs,pattern", [
    (dict(dephasing=[0.1, -0.5, 0.0, 0.0]), r"dephasing"),
    (dict(dephasing=[0.1, 0.2]), r"dephasing"),
    (dict(dephasing=[0.1, np.nan, 0.0, 0.0]), r"dephasing"),
    (dict(drive=[0.1, np.inf, 0.0, 0.0]), r"drive"),
    (dict(drive=[0.1, 0.2, 0.3]), r"drive"),
    (dict(drive=[0.1, 0.2, 0.3, 0.0], drive_phase=[0.0, 1.0]), r"drive_phase"),
    (dict(drive=[0.1, 0.2, 0.3, 0.0], drive_phase=[0.0, np.nan, 0.0, 0.0]), r"drive_phase"),
])
def test_bad_qubit_terms_are_model_errors(kwargs: dict, pattern: str) -> None:
    with pytest.raises(ss.ModelError, match=pattern):
        ss.Network(GAIN, DAMPING, OMEGA, [(0, 1, 1.0, 1.0, 0.0)], **kwargs)


@pytest.mark.parametrize("sites,operator,rate,pattern", [
    ([0, 1], "sideways", 0.5, r"sideways"),
    ([0, 7], "lowering", 0.5, r"\b7\b"),
    ([-1, 0], "lowering", 0.5, r"-1"),
    ([0, 1], "lowering", -0.2, r"rate"),
    ([0, 1], "lowering", np.nan, r"rate"),
    ([], "lowering", 0.5, r"sites"),
    ([0, 0], "lowering", 0.5, r"sites|\b0\b"),
    ("some", "lowering", 0.5, r"some|sites"),
])
def test_bad_collective_channels_are_model_errors(sites, operator, rate, pattern) -> None:
    """Assumptions recorded in the report: an empty site list and a repeated site are
    refused (both are almost surely typos; D[2σ⁻_0] would silently quadruple a rate)."""
    with pytest.raises(ss.ModelError, match=pattern):
        ss.Network(GAIN, DAMPING, OMEGA, collective=[ss.Collective(sites=sites, operator=operator, rate=rate)])


@pytest.mark.parametrize("s", [0.7, 0, -1, 1.25])
def test_bad_spin_size_is_a_model_error(s) -> None:
    with pytest.raises(ss.ModelError, match=r"\bs\b"):
        ss.Network.spins(s, [1.0, 1.0], [1.0, 1.0])


def test_bad_spin_list_is_a_model_error() -> None:
    with pytest.raises(ss.ModelError, match=r"0\.7"):
        ss.Network.spins([1, 0.7], [1.0, 1.0], [1.0, 1.0])
    with pytest.raises(ss.ModelError, match=r"\bs\b"):
        ss.Network.spins([1, 1, 1], [1.0, 1.0], [1.0, 1.0])  # 3 sizes for 2 sites


def test_unknown_scheme_is_a_model_error() -> None:
    with pytest.raises(ss.ModelError, match=r"scheme"):
        ss.Network.spins(1, [1.0, 1.0], [1.0, 1.0], scheme="lindblad")


def test_negative_spin_rates_are_model_errors() -> None:
    with pytest.raises(ss.ModelError, match=r"gain"):
        ss.Network.spins(1, [1.0, -1.0], [1.0, 1.0])
    with pytest.raises(ss.ModelError, match=r"dephasing"):
        ss.Network.spins(1, [1.0, 1.0], [1.0, 1.0], dephasing=[-0.1, 0.0])
