"""Typed steady-state options: checked at construction, strings kept, auto keeps what applies."""

from __future__ import annotations

import numpy as np
import pytest

import spinsync as ss
from spinsync.errors import ModelError
from spinsync.model import Network, all_to_all_bonds
from spinsync.steady.options import Analytic, Direct, Gmres


def _small() -> Network:  # sector dimension 70 → auto picks the direct LU
    return Network.with_topology([1, 0.2, 2, 0.5], [0.5, 1, 0.3, 2], "all-to-all", ux=1, uy=1, uz=0.5)


def _large() -> Network:  # N = 7 XXZ: sector dimension 3432 → auto picks GMRES
    rng = np.random.default_rng(7)
    return Network(rng.uniform(0.2, 2, 7), rng.uniform(0.2, 2, 7), rng.uniform(-1, 1, 7),
                   bonds=[(j, k, 1.0, 1.0, 0.5) for j, k in all_to_all_bonds(7)])


@pytest.mark.parametrize("kwargs, message", [
    (dict(tol=-1e-8), r"^tol = -1e-08: must be a number in \(0, 1\)"),
    (dict(tol=0.0), r"^tol = 0.0"),
    (dict(tol=float("nan")), r"^tol = nan"),
    (dict(restart=0), r"^restart = 0: must be an integer ≥ 1"),
    (dict(maxiter=2.5), r"^maxiter = 2.5"),
    (dict(maxiter=True), r"^maxiter = True"),
    (dict(backend="tpu"), r"^backend = 'tpu'"),
    (dict(callback=3), r"^callback = 3"),
])
def test_gmres_options_refuse_invalid_values(kwargs, message) -> None:
    with pytest.raises(ModelError, match=message):
        Gmres(**kwargs)


def test_auto_keeps_the_options_its_choice_takes() -> None:
    small = ss.steady_state(_small(), tol=1e-8)
    assert small.method == "direct" and small.info["unused_options"] == ["tol"]
    calls: list[float] = []
    large = ss.steady_state(_large(), tol=1e-12, callback=lambda i, r: calls.append(r))
    assert large.method == "gmres" and large.info["tol"] == 1e-12 and large.residual <= 1e-12
    assert calls and "unused_options" not in large.info
    with pytest.raises(ModelError, match="tol = -1"):  # checked even when direct is chosen
        ss.steady_state(_small(), tol=-1)


def test_auto_refuses_an_option_no_candidate_takes() -> None:
    with pytest.raises(ModelError, match="method 'auto' does not take solver: no method it may "
                                         r"choose \(analytic, direct, gmres, permutation\)"):
        ss.steady_state(_small(), solver="spsolve")


def test_an_explicit_method_refuses_options_it_does_not_take() -> None:
    with pytest.raises(ModelError, match=r"method 'direct' does not take tol \(it takes no options\)"):
        ss.steady_state(_small(), "direct", tol=1e-8)
    with pytest.raises(ModelError, match=r"^tol = -1: must be a number in \(0, 1\)"):
        ss.steady_state(_small(), "gmres", tol=-1)  # keywords are checked like the object


def test_objects_and_strings_are_the_same_call() -> None:
    net = _small()
    a = ss.steady_state(net, Gmres(tol=1e-12, restart=30))
    b = ss.steady_state(net, "gmres", tol=1e-12, restart=30)
    assert a.method == b.method == "gmres" and a.info["restart"] == b.info["restart"] == 30
    np.testing.assert_array_equal(a.state.to_dense(), b.state.to_dense())
    assert ss.steady_state(net, Direct()).method == "direct"
    nogo = Network.with_topology([1, 0.5], [2, 1], "chain", ux=1, uy=1, uz=0.3)  # equal ratios
    assert ss.steady_state(nogo, Analytic()).method == "analytic"
    with pytest.raises(ModelError, match="tol given as keywords beside a Gmres object"):
        ss.steady_state(net, Gmres(), tol=1e-9)
    with pytest.raises(ModelError, match="method = 3"):
        ss.steady_state(net, 3)
