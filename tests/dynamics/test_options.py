"""Typed options of evolve: validation at construction, strings as shortcuts, QuTiP's names."""

from __future__ import annotations

import numpy as np
import pytest

import spinsync as ss
from spinsync.dynamics.options import Dop853, Taylor
from spinsync.errors import ModelError
from spinsync.states import all_up


def _net() -> ss.Network:
    return ss.Network.with_topology([0.5, 0.3, 0.8], [1.0, 0.6, 0.4], "chain", ux=1, uy=1, uz=0.5)


@pytest.mark.parametrize("cls, kwargs, field", [
    (Dop853, dict(rtol=0.0), "rtol"),
    (Dop853, dict(rtol=1e-16), "rtol"),
    (Dop853, dict(rtol=1.5), "rtol"),
    (Taylor, dict(atol=-1.0), "atol"),
    (Taylor, dict(atol=float("nan")), "atol"),
    (Dop853, dict(max_step=0.0), "max_step"),
    (Dop853, dict(operator="euler"), "operator"),
    (Taylor, dict(degree=2), "degree"),
    (Taylor, dict(degree=4.5), "degree"),
])
def test_invalid_values_are_refused_at_construction(cls, kwargs, field) -> None:
    with pytest.raises(ModelError, match=rf"^{field} = "):
        cls(**kwargs)


def test_string_method_is_the_dop853_shortcut_and_objects_carry_everything() -> None:
    net, times = _net(), [0.0, 0.5, 1.0]
    a = ss.evolve(net, all_up(3), times, method="sparse", rtol=1e-9)
    b = ss.evolve(net, all_up(3), times, method=Dop853(rtol=1e-9, operator="sparse"))
    assert a.info["integrator"] == b.info["integrator"] == "DOP853"
    assert a.info["method"] == b.info["method"] == "sparse"
    np.testing.assert_array_equal(a.magnetization, b.magnetization)  # the same computation
    c = ss.evolve(net, all_up(3), times, method=Taylor(rtol=1e-9, operator="matrix-free"))
    assert c.info["integrator"] == "taylor" and c.info["method"] == "matrix-free"
    np.testing.assert_allclose(c.magnetization, a.magnetization, atol=1e-8)


def test_keywords_beside_an_options_object_are_refused() -> None:
    with pytest.raises(ModelError, match="rtol given as keywords beside a Taylor object"):
        ss.evolve(_net(), all_up(3), [0.0, 1.0], method=Taylor(), rtol=1e-6)


def test_unknown_method_names_the_choices() -> None:
    with pytest.raises(ModelError, match="method = 'euler'.*Taylor"):
        ss.evolve(_net(), all_up(3), [0.0, 1.0], method="euler")


def test_tlist_and_e_ops_are_qutip_names_for_times_and_observables() -> None:
    net, times = _net(), np.linspace(0, 1, 5)
    a = ss.evolve(net, all_up(3), tlist=times, e_ops=["z0", "z2"])
    b = ss.evolve(net, all_up(3), times, observables=["z0", "z2"])
    np.testing.assert_array_equal(a.times, b.times)
    np.testing.assert_array_equal(a.expect[1], b.observables[1])
    np.testing.assert_allclose(a.expect[0], a.magnetization[:, 0], atol=1e-14)
    with pytest.raises(ModelError, match="times or tlist, not both"):
        ss.evolve(net, all_up(3), times, tlist=times)
    with pytest.raises(ModelError, match="times.*missing"):
        ss.evolve(net, all_up(3))
    with pytest.raises(ModelError, match="observables or e_ops, not both"):
        ss.evolve(net, all_up(3), times, observables=["z0"], e_ops=["z1"])
