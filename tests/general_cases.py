"""Shared cases and glue for the general-model library tests (issue 10).

A case is a plain dict of RAW parameters plus ``kind`` ("qubit" or "spin"). The same dict
builds the spinsync network (:func:`network`) and the independent QuTiP reference
(:func:`reference`, from tests/oracles.py), so the two never share numerics.

spinsync attributes of the general model (``ss.Collective``, ``Network.spins``, the
``symmetry`` option, …) are looked up only inside functions: this module imports, and the
test modules collect, before the library implements them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import spinsync as ss

from tests.oracles import (
    collective_list,
    qubit_dense_model,
    qutip_qubit_model,
    qutip_spin_model,
    qutip_steady_state,
    spin_dense_model,
)

#: Entrywise agreement of two steady states (the issue's requirement). Every solve involved
#: (QuTiP's sparse LU, spinsync's direct LU, GMRES to GMRES_TOL) is accurate to ~1e-13 on
#: these well-conditioned models (spectral gaps ≥ ~0.01, entries O(1/D)), so 1e-10 leaves
#: three orders of margin and still catches any wrong sign, factor or missing term (those
#: change entries by ≥ 1e-4 here).
AGREE = 1e-10

#: GMRES stopping tolerance on ‖L[ρ]‖/‖ρ‖ used in these tests. The error in ρ is at most
#: ~‖L⁻¹‖ × residual on the trace-one complement; with gaps ≥ 0.01 a residual of 1e-12 keeps
#: the error below 1e-10 (the library's default 1e-10 would not guarantee AGREE).
GMRES_TOL = 1e-12

#: Hermiticity, trace and positivity of a returned state: rounding of O(1) sums.
PHYS_TOL = 1e-12


# ------------------------------------------------------------------ building
def collectives(raw) -> list:
    """Raw (sites, operator, rate) tuples → ss.Collective objects."""
    out = []
    for c in raw:
        if isinstance(c, dict):
            out.append(ss.Collective(sites=c["sites"], operator=c["operator"], rate=c["rate"]))
        else:
            sites, operator, rate = c
            out.append(ss.Collective(sites=sites, operator=operator, rate=rate))
    return out


def _params(case: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in case.items() if k not in ("kind", "s", "symmetry")}


def network(case: dict[str, Any], *, tuples: bool = False):
    """The spinsync network of a raw case (collective channels as ss.Collective, or as
    the raw tuples with ``tuples=True``)."""
    p = _params(case)
    coll = p.pop("collective", ())
    if coll:  # keywords of the general model are passed only when the case uses them, so
        # paper-model cases (e.g. Prosen's n = 2 chain) also run on the pre-issue-10 library
        p["collective"] = list(coll) if tuples else collectives(coll)
    p = {k: v for k, v in p.items() if v is not None}
    if case["kind"] == "qubit":
        return ss.Network(
            p.pop("gain"), p.pop("damping"), p.pop("omega", None), p.pop("bonds", ()),
            p.pop("field", 0.0), **p,
        )
    return ss.Network.spins(case["s"], p.pop("gain"), p.pop("damping"), **p)


def reference(case: dict[str, Any]) -> np.ndarray:
    """qutip.steadystate(H, c_ops, method="direct") of the case, built from raw parameters."""
    p = _params(case)
    if case["kind"] == "qubit":
        return qutip_steady_state(*qutip_qubit_model(**p))
    return qutip_steady_state(*qutip_spin_model(case["s"], **p))


def qutip_ops(case: dict[str, Any]):
    p = _params(case)
    if case["kind"] == "qubit":
        return qutip_qubit_model(**p)
    return qutip_spin_model(case["s"], **p)


def dense_model(case: dict[str, Any]):
    """The numpy DenseModel of the case (for L[ρ], local steady states, kernels)."""
    p = _params(case)
    if case["kind"] == "qubit":
        return qubit_dense_model(**p)
    return spin_dense_model(case["s"], **p)


def dimension(case: dict[str, Any]) -> int:
    n = len(case["gain"])
    if case["kind"] == "qubit":
        return 2**n
    s = np.atleast_1d(np.asarray(case["s"], dtype=float))
    s = np.full(n, s[0]) if s.size == 1 else s
    return int(np.prod([int(round(2 * x)) + 1 for x in s]))


def solve(net, method: str = "auto", **options):
    """ss.steady_state with the tests' GMRES tolerance."""
    if method == "gmres":
        options.setdefault("tol", GMRES_TOL)
    return ss.steady_state(net, method=method, **options)


def dense(state) -> np.ndarray:
    return np.asarray(state.to_dense())


def max_diff(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b)))


def assert_physical(rho: np.ndarray, tol: float = PHYS_TOL) -> None:
    assert abs(np.trace(rho) - 1) < tol
    assert np.max(np.abs(rho - rho.conj().T)) < tol
    assert np.linalg.eigvalsh((rho + rho.conj().T) / 2).min() > -tol


def expected_symmetry(case: dict[str, Any]) -> str:
    """What the terms allow (issue 10 §2): any nonzero drive → none; any bond with
    Uˣ ≠ Uʸ → parity; otherwise (z fields, XXZ, gain/damping/dephasing, collective
    channels) → u1."""
    drive = case.get("drive")
    if drive is not None and np.any(np.asarray(drive, dtype=float) != 0):
        return "none"
    if any(ux != uy for _, _, ux, uy, _ in case.get("bonds", ())):
        return "parity"
    return "u1"


def has_collective(case: dict[str, Any]) -> bool:
    return bool(collective_list(case.get("collective", ()), len(case["gain"])))


# ------------------------------------------------------------------ cases
def _chain(n, ux, uy, uz):
    return [(j, j + 1, ux, uy, uz) for j in range(n - 1)]


def _all(n, ux, uy, uz):
    return [(j, k, ux, uy, uz) for j in range(n) for k in range(j + 1, n)]


_R = np.random.default_rng(20240610)


def _rates(n, lo=0.2, hi=2.0):
    return [round(float(x), 3) for x in _R.uniform(lo, hi, n)]


def _freqs(n):
    return [round(float(x), 3) for x in _R.uniform(-1, 1, n)]


QUBIT_CASES: dict[str, dict[str, Any]] = {
    # each new term alone (on top of the paper's model)
    "dephasing-xxz-n4": dict(kind="qubit", gain=_rates(4), damping=_rates(4), omega=_freqs(4),
                             bonds=_chain(4, 1.0, 1.0, 0.5), dephasing=[0.3, 0.0, 1.1, 0.6]),
    "dephasing-xyz-n4": dict(kind="qubit", gain=_rates(4), damping=_rates(4), omega=_freqs(4),
                             bonds=_all(4, 1.0, 0.4, 0.3), dephasing=[0.5, 0.2, 0.0, 0.8]),
    "drive-phase0-n3": dict(kind="qubit", gain=_rates(3), damping=_rates(3), omega=_freqs(3),
                            bonds=_all(3, 0.8, 0.8, 0.2), drive=[0.7, 0.4, 1.2]),
    "drive-phase-pi-half-n3": dict(kind="qubit", gain=_rates(3), damping=_rates(3), omega=_freqs(3),
                                bonds=_all(3, 0.8, 0.8, 0.2), drive=[0.7, 0.4, 1.2],
                                drive_phase=[np.pi / 2] * 3),
    "drive-phase-pi-n3": dict(kind="qubit", gain=_rates(3), damping=_rates(3), omega=_freqs(3),
                              bonds=_all(3, 0.8, 0.8, 0.2), drive=[0.7, 0.4, 1.2],
                              drive_phase=[np.pi] * 3),
    "drive-phases-mixed-n4": dict(kind="qubit", gain=_rates(4), damping=_rates(4), omega=_freqs(4),
                                  bonds=_chain(4, 1.0, 1.0, -0.4), drive=[0.5, 0.0, 1.0, 0.3],
                                  drive_phase=[1.1, 0.0, -2.0, 0.4]),
    "drive-one-site-n5": dict(kind="qubit", gain=_rates(5), damping=_rates(5), omega=_freqs(5),
                              bonds=_chain(5, 1.0, 1.0, 0.0), drive=[0, 0, 0.9, 0, 0]),
    "collective-lowering-all-n4": dict(kind="qubit", gain=_rates(4, 0.1, 0.5), damping=_rates(4),
                                       omega=_freqs(4), bonds=_chain(4, 0.6, 0.6, 0.3),
                                       collective=[("all", "lowering", 0.8)]),
    "collective-subset-n5": dict(kind="qubit", gain=_rates(5), damping=_rates(5), omega=_freqs(5),
                                 bonds=_chain(5, 1.0, 1.0, 0.2),
                                 collective=[([0, 2, 4], "raising", 0.5), ([1, 3], "dephasing", 0.7),
                                             ([3, 4], "lowering", 0.4)]),
    "collective-xyz-n3": dict(kind="qubit", gain=_rates(3), damping=_rates(3), omega=_freqs(3),
                              bonds=_all(3, 1.0, 0.2, 0.5), collective=[("all", "lowering", 1.0)]),
    "field-xxz-n3": dict(kind="qubit", gain=_rates(3), damping=_rates(3), omega=_freqs(3),
                         bonds=_all(3, 1.0, 1.0, 0.7), field=0.45),
    # zero-rate sites
    "zero-interior-xxz-n5": dict(kind="qubit", gain=[1.0, 0, 0, 0, 0.3], damping=[0.4, 0, 0, 0, 1.2],
                                 omega=_freqs(5), bonds=_chain(5, 1.0, 1.0, 0.6)),
    "zero-interior-xyz-field-n4": dict(kind="qubit", gain=[1.0, 0, 0, 0.3], damping=[0.4, 0, 0, 1.2],
                                       omega=_freqs(4), bonds=_chain(4, 1.0, 0.5, 0.6), field=0.2),
    # combined
    "combined-u1-n6": dict(kind="qubit", gain=_rates(5) + [0.0], damping=_rates(5) + [0.0],
                           omega=_freqs(6), bonds=_all(6, 1.0, 1.0, 0.5), field=-0.3,
                           dephasing=[0.2, 0.0, 0.4, 0.1, 0.0, 0.3],
                           collective=[([0, 1, 2], "lowering", 0.5), ("all", "dephasing", 0.1)]),
    "combined-parity-n5": dict(kind="qubit", gain=_rates(5), damping=_rates(5), omega=_freqs(5),
                               bonds=_all(5, 1.0, 0.3, 0.5), dephasing=[0.2, 0.0, 0.4, 0.1, 0.0],
                               collective=[([1, 3], "raising", 0.3)]),
    # full space (drive) at N = 5: QuTiP's direct solve of the unstructured 4⁶ system takes
    # ~10 s at N = 6 (measured), too slow for the default suite
    "combined-none-n5": dict(kind="qubit", gain=[0.8, 0.0] + _rates(3), damping=[0.3, 0.0] + _rates(3),
                             omega=_freqs(5), bonds=_chain(5, 1.0, 0.6, 0.4), field=0.1,
                             dephasing=[0.2, 0.0, 0.4, 0.1, 0.3],
                             drive=[0.6, 0.0, 0.0, 0.9, 0.2], drive_phase=[0.3, 0, 0, 2.1, -1.0],
                             collective=[([0, 4], "lowering", 0.4)]),
}

SPIN_CASES: dict[str, dict[str, Any]] = {
    "spin1-gd-xxz-n3": dict(kind="spin", s=1, scheme="gain-damping", gain=_rates(3), damping=_rates(3),
                            omega=_freqs(3), bonds=_all(3, 1.0, 1.0, 0.4)),
    "spin1-rb-xxz-n3": dict(kind="spin", s=1, scheme="roulet-bruder", gain=_rates(3), damping=_rates(3),
                            omega=_freqs(3), bonds=_all(3, 1.0, 1.0, 0.4)),
    "spin1-rb-xxz-n4": dict(kind="spin", s=1, scheme="roulet-bruder", gain=_rates(4), damping=_rates(4),
                            omega=_freqs(4), bonds=_all(4, 0.5, 0.5, 0.2)),
    "spin1-gd-xyz-field-n3": dict(kind="spin", s=1, scheme="gain-damping", gain=_rates(3), damping=_rates(3),
                                  omega=_freqs(3), bonds=_chain(3, 1.0, 0.4, 0.3), field=0.3),
    "spin1-rb-dephasing-xyz-n2": dict(kind="spin", s=1, scheme="roulet-bruder", gain=_rates(2),
                                      damping=_rates(2), omega=_freqs(2), dephasing=[0.3, 0.8],
                                      bonds=[(0, 1, 1.0, 0.5, 0.2)]),
    "spin1-gd-drive-n2": dict(kind="spin", s=1, scheme="gain-damping", gain=_rates(2), damping=_rates(2),
                              omega=_freqs(2), drive=[0.5, 0.8], drive_phase=[0.0, 1.3],
                              bonds=[(0, 1, 1.0, 1.0, 0.2)]),
    "spin1-rb-drive-dephasing-n3": dict(kind="spin", s=1, scheme="roulet-bruder", gain=_rates(3),
                                        damping=_rates(3), omega=_freqs(3), dephasing=[0.2, 0.0, 0.5],
                                        drive=[0.0, 0.7, 0.0], drive_phase=[0, 2.2, 0],
                                        bonds=_chain(3, 1.0, 1.0, 0.3)),
    "spin1-rb-collective-n3": dict(kind="spin", s=1, scheme="roulet-bruder", gain=_rates(3),
                                   damping=_rates(3), omega=_freqs(3), bonds=_chain(3, 1.0, 1.0, 0.3),
                                   collective=[("all", "lowering", 0.4), ([0, 2], "dephasing", 0.3)]),
    "spin1-gd-zero-interior-n3": dict(kind="spin", s=1, scheme="gain-damping", gain=[0.6, 0.0, 0.2],
                                      damping=[0.3, 0.0, 0.9], omega=_freqs(3), bonds=_chain(3, 1.0, 1.0, 0.5)),
    "mixed-half-one-n3": dict(kind="spin", s=[0.5, 1, 0.5], scheme="gain-damping", gain=_rates(3),
                              damping=_rates(3), omega=_freqs(3), bonds=_all(3, 1.0, 1.0, 0.4),
                              dephasing=[0.1, 0.3, 0.0]),
    "spin3half-rb-pair": dict(kind="spin", s=1.5, scheme="roulet-bruder", gain=_rates(2), damping=_rates(2),
                            omega=_freqs(2), bonds=[(0, 1, 1.0, 1.0, 0.3)], field=0.2),
    "spin3half-gd-xyz-pair": dict(kind="spin", s=1.5, scheme="gain-damping", gain=_rates(2), damping=_rates(2),
                                omega=_freqs(2), bonds=[(0, 1, 1.0, 0.6, 0.3)]),
}

ALL_CASES = {**QUBIT_CASES, **SPIN_CASES}


_REFERENCES: dict[str, np.ndarray] = {}


def cached_reference(name: str) -> np.ndarray:
    """reference(ALL_CASES[name]), computed once per test process (read-only copy)."""
    if name not in _REFERENCES:
        ref = reference(ALL_CASES[name])
        ref.setflags(write=False)
        _REFERENCES[name] = ref
    return _REFERENCES[name]


# ------------------------------------------------------------------ random cases (hypothesis)
@st.composite
def random_qubit_cases(draw, any_rates: bool = False):
    """N = 2…3 qubits on a chain with nonzero flip terms; site 0 has gain and damping (any
    rates, zeros included, with ``any_rates``), the others any rates including exact zeros;
    optional dephasing, drive (with phases), field, collective lowering on all sites; XXZ
    or XYZ."""
    n = draw(st.integers(2, 3))
    rate = st.one_of(st.just(0.0), st.floats(0.05, 2.0))
    first = rate if any_rates else st.floats(0.1, 2.0)
    gain = [draw(first)] + [draw(rate) for _ in range(n - 1)]
    damping = [draw(first)] + [draw(rate) for _ in range(n - 1)]
    xyz = draw(st.booleans())
    bonds = []
    for j in range(n - 1):
        ux = draw(st.floats(0.2, 2.0)) * draw(st.sampled_from([-1, 1]))
        uy = ux + draw(st.floats(0.2, 1.0)) if xyz else ux
        bonds.append((j, j + 1, ux, uy, draw(st.floats(-1.0, 1.0))))
    case = dict(kind="qubit", gain=gain, damping=damping, bonds=bonds,
                omega=[draw(st.floats(-1.0, 1.0)) for _ in range(n)],
                field=draw(st.floats(-0.5, 0.5)))
    if draw(st.booleans()):
        case["dephasing"] = [draw(rate) for _ in range(n)]
    if draw(st.booleans()):
        case["drive"] = [draw(st.floats(0.1, 1.5)) for _ in range(n)]
        case["drive_phase"] = [draw(st.floats(-np.pi, np.pi)) for _ in range(n)]
    if draw(st.booleans()):
        case["collective"] = [("all", "lowering", draw(st.floats(0.05, 1.0)))]
    return case
