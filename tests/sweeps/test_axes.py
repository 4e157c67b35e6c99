"""Parameter paths and the per-point table: every general-model parameter, exact networks,
symmetry read from the compiled terms, and one-line errors that name the path."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Network
from spinsync.errors import ModelError
from spinsync.model import Collective
from spinsync.sweeps import PointParams, parse_path


def _qubits() -> Network:
    return Network([1.0, 0.4, 0.7], [0.2, 1.0, 0.5], [0.1, -0.2, 0.0],
                   [(0, 1, 1.0, 1.0, 0.3), (1, 2, 0.5, 0.5, 0.0)], field=0.05,
                   dephasing=[0.0, 0.1, 0.0], collective=[Collective("all", "lowering", 0.3)])


def _spins() -> Network:
    return Network.spins(1, [1.0, 0.5], [0.1, 0.3], scheme="roulet-bruder", omega=[0.2, -0.1],
                         bonds=[(0, 1, 0.4, 0.4, 0.1)],
                         collective=[Collective([0, 1], "dephasing", 0.2)])


def _same(a: Network, b: Network) -> None:
    assert a.to_dict() == b.to_dict()


@pytest.mark.parametrize("text, kind, index, section", [
    ("qubits.dephasing[2]", "dephasing", 2, "qubits"),
    ("qubits.drive[0]", "drive", 0, "qubits"),
    ("qubits.drive_phase[1]", "drive_phase", 1, "qubits"),
    ("qubits.omega", "omega", None, "qubits"),
    ("qubits.drive", "drive", None, "qubits"),
    ("spins.gain[1]", "gain", 1, "spins"),
    ("spins.damping[0]", "damping", 0, "spins"),
    ("spins.dephasing", "dephasing", None, "spins"),
    ("spins.omega[3]", "omega", 3, "spins"),
    ("spins.drive[0]", "drive", 0, "spins"),
    ("spins.drive_phase[0]", "drive_phase", 0, "spins"),
    ("collective[1].rate", "collective", 1, None),
    ("collective.rate", "collective", None, None),
])
def test_parse_new_paths(text: str, kind: str, index: int | None, section: str | None) -> None:
    path = parse_path(text)
    assert (path.kind, path.index, path.section) == (kind, index, section)


@pytest.mark.parametrize("text", ["spins.magnetization[0]", "qubits.spin[0]", "collective[0].sites",
                                  "qubits.drive[x]", "spin.gain[0]"])
def test_unknown_paths(text: str) -> None:
    with pytest.raises(ModelError, match="unknown parameter path") as info:
        parse_path(text)
    assert "\n" not in str(info.value) and text in str(info.value)


@pytest.mark.parametrize("base, text, words", [
    (_qubits, "spins.drive[0]", ["'spins.drive[0]'", "[qubits]", "use qubits.drive[0]"]),
    (_spins, "qubits.omega", ["'qubits.omega'", "[spins]", "use spins.omega"]),
    (_spins, "qubits.magnetization[0]", ["'qubits.magnetization[0]'", "[spins]"]),
    (_qubits, "qubits.dephasing[3]", ["'qubits.dephasing[3]'", "qubit index 3", "out of range [0, 2]"]),
    (_spins, "spins.drive[2]", ["'spins.drive[2]'", "site index 2", "out of range [0, 1]"]),
    (_qubits, "collective[1].rate", ["'collective[1].rate'", "channel index 1", "[0, 0]"]),
    (lambda: Network([1.0], [1.0]), "collective.rate", ["'collective.rate'", "no collective channels"]),
])
def test_paths_that_do_not_fit_the_model(base, text: str, words: list[str]) -> None:
    params = PointParams.repeat(base(), 2)
    with pytest.raises(ModelError) as info:
        params.set(parse_path(text), np.zeros(2))
    msg = str(info.value)
    assert "\n" not in msg
    for word in words:
        assert word in msg, (word, msg)


def test_set_every_new_parameter_and_rebuild_the_network() -> None:
    base = _qubits()
    params = PointParams.repeat(base, 3)
    params.set(parse_path("qubits.dephasing[2]"), np.array([0.0, 0.5, 1.0]))
    params.set(parse_path("qubits.drive"), np.array([0.0, 0.2, 0.4]))
    params.set(parse_path("qubits.drive_phase[1]"), np.array([0.1, 0.2, 0.3]))
    params.set(parse_path("collective[0].rate"), np.array([0.0, 1.0, 2.0]))
    params.validate()
    for i in range(3):
        expect = base.replace(
            dephasing=[0.0, 0.1, [0.0, 0.5, 1.0][i]], drive=[[0.0, 0.2, 0.4][i]] * 3,
            drive_phase=[0.0, [0.1, 0.2, 0.3][i], 0.0],
            collective=[Collective("all", "lowering", [0.0, 1.0, 2.0][i])])
        _same(params.network(i), expect)
    np.testing.assert_array_equal(params.get(parse_path("qubits.drive")), [0.0, 0.2, 0.4])
    np.testing.assert_array_equal(params.get(parse_path("collective.rate")), [0.0, 1.0, 2.0])


def test_spin_network_round_trip() -> None:
    base = _spins()
    params = PointParams.repeat(base, 2)
    _same(params.network(1), base)
    params.set(parse_path("spins.gain[1]"), np.array([0.3, 0.6]))
    params.set(parse_path("spins.omega"), np.array([-1.0, 1.0]))
    params.set(parse_path("spins.drive[0]"), np.array([0.0, 0.5]))
    params.set(parse_path("spins.drive_phase[0]"), np.array([0.0, 1.0]))
    params.set(parse_path("collective[0].rate"), np.array([0.2, 0.0]))
    params.validate()
    net = params.network(1)
    assert net.kind == "spins" and net.scheme == "roulet-bruder"
    np.testing.assert_array_equal(net.spin, [1.0, 1.0])
    _same(net, base.replace(gain=[1.0, 0.6], omega=[1.0, 1.0], drive=[0.5, 0.0],
                            drive_phase=[1.0, 0.0], collective=[Collective([0, 1], "dephasing", 0.0)]))


def test_take_keeps_the_new_arrays() -> None:
    params = PointParams.repeat(_qubits(), 4)
    params.set(parse_path("qubits.drive[1]"), np.arange(4.0))
    params.set(parse_path("collective[0].rate"), np.arange(4.0) + 1)
    part = params.take(slice(1, 3))
    np.testing.assert_array_equal(part.drive[:, 1], [1.0, 2.0])
    np.testing.assert_array_equal(part.collective_rate[:, 0], [2.0, 3.0])
    assert part.collective_sites == ((0, 1, 2),) and part.kind == "qubits"


def test_symmetry_of_a_mixed_grid_comes_from_the_terms() -> None:
    """u1 points, a parity point (Uˣ ≠ Uʸ) and a driven point: the weakest is 'none'."""
    base = Network([1.0, 0.3], [0.2, 1.0], bonds=[(0, 1, 1.0, 1.0, 0.5)])
    params = PointParams.repeat(base, 4)
    params.set(parse_path("couplings.uy"), np.array([1.0, 1.0, 0.4, 1.0]))
    params.set(parse_path("qubits.drive[1]"), np.array([0.0, 0.0, 0.0, 0.2]))
    sym = params.symmetries()
    assert sym == {0: "u1", 2: "parity", 3: "none"}  # point 1 repeats point 0's pattern
    for i, s in sym.items():
        assert params.network(i).terms.symmetry == s
    assert params.weakest_symmetry() == "none"
    assert params.take(slice(0, 3)).weakest_symmetry() == "parity"
    assert params.take(slice(0, 2)).weakest_symmetry() == "u1"
    # Uˣ = −Uʸ: no flip-flop term, only double flips — parity, found from the terms.
    params.set(parse_path("couplings.uy"), np.full(4, -1.0))
    assert params.take(slice(0, 1)).weakest_symmetry() == "parity"


def test_validate_refuses_isolated_sites_and_negative_rates() -> None:
    base = Network([1.0, 0.5], [1.0, 0.5], bonds=[(0, 1, 0.0, 0.0, 1.0)])
    params = PointParams.repeat(base, 3)
    params.set(parse_path("qubits.gain[1]"), np.array([0.5, 0.0, 0.5]))
    params.set(parse_path("qubits.damping[1]"), np.array([0.5, 0.0, 0.5]))
    with pytest.raises(ModelError, match=r"^point 1: qubit 1: gain \+ damping = 0"):
        params.validate()
    # Dephasing counts as dissipation; so does a flip bond to a dissipated qubit.
    params.set(parse_path("qubits.dephasing[1]"), np.array([0.0, 0.3, 0.0]))
    params.validate()
    spins = PointParams.repeat(_spins(), 2)
    spins.set(parse_path("collective[0].rate"), np.array([0.1, -0.1]))
    with pytest.raises(ModelError, match=r"point 1: collective\[0\].rate = -0.1: rates must be ≥ 0"):
        spins.validate()
    spins.set(parse_path("collective[0].rate"), np.array([0.1, 0.1]))
    spins.set(parse_path("spins.dephasing[0]"), np.array([-2.0, 0.0]))
    with pytest.raises(ModelError, match=r"point 0: spins.dephasing\[0\] = -2.0: rates must be ≥ 0"):
        spins.validate()
