"""Time evolution of the cumulant expansion (approximate dynamics for any N).

Integrates the closed moment equations (:mod:`spinsync.liouvillian.cumulant`: mean field or
pair cumulants with third-order cumulants set to zero) with SciPy's DOP853 from a product
state (C = 0) or a given :class:`~spinsync.states.moments.MomentState`, and records at each
output time the Bloch vectors, S_t = Σ_{j<k} (π/16)|⟨σ⁺_jσ⁻_k⟩| and C₊₋ = Σ_{j<k} ⟨σ⁺_jσ⁻_k⟩
(supplement Eq. S6); the states themselves only with ``store_states=True``.

Approximate (``approximate = True`` on the result), with the error regime of
:mod:`spinsync.steady.cumulant`; exact for two qubits at order 2. The moments can leave the
physical domain along the way: the largest Bloch length over the run is recorded
(``max_bloch``), and the domain of the final state is checked (``final_domain``).

Cost: one evaluation of the equations per Runge–Kutta stage (O(N²) for uniform or sparse
couplings); memory ≈ 14 moment vectors of 3N + 9N(N − 1)/2 doubles (DOP853's stages and
dense output) plus the evaluation's arrays. Times are in the model's inverse rate unit.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import solve_ivp

from ..errors import ModelError, NumericalError
from ..liouvillian.cumulant import PAULI_BASIS, MomentEquations
from ..resources import check_memory
from ..states import ProductState
from ..states.moments import Domain, MomentState
from ..steady.plan import terms_of

__all__ = ["evolve_cumulant", "CumulantEvolution", "DEFAULT_RTOL"]

#: Default relative tolerance of DOP853 (as :func:`spinsync.dynamics.evolve`).
DEFAULT_RTOL = 1e-8


@dataclass
class CumulantEvolution:
    """Moments along a cumulant trajectory.

    Attributes
    ----------
    times
        Output times (model's inverse rate unit).
    bloch
        (T, N, 3) ⟨σˣ⟩, ⟨σʸ⟩, ⟨σᶻ⟩ per site.
    sync_total, c_pm
        (T,) S_t and C₊₋ (zero at order 1 without coherences).
    states
        The :class:`MomentState` at every output time (``store_states=True``), else empty.
    max_bloch
        Largest |⟨σ⟩| over the outputs (> 1 means the approximation left the physical domain).
    final_domain
        :meth:`MomentState.domain` of the last state.
    info
        ``order``, ``rtol``, ``atol``, ``evaluations``, ``time`` (seconds), ``approximate``.
    """

    times: NDArray[np.float64]
    bloch: NDArray[np.float64]
    sync_total: NDArray[np.float64]
    c_pm: NDArray[np.complex128]
    states: list[MomentState] = field(default_factory=list)
    max_bloch: float = 0.0
    final_domain: Domain | None = None
    info: dict[str, Any] = field(default_factory=dict)
    approximate: bool = True

    @property
    def magnetization(self) -> NDArray[np.float64]:
        """(T, N) ⟨σᶻ_j⟩."""
        return self.bloch[:, :, 2]


def _initial_moments(eq: MomentEquations, initial: Any) -> NDArray:
    n = eq.n
    if isinstance(initial, MomentState):
        if initial.n != n:
            raise ModelError(f"initial moments of {initial.n} qubits for a network of {n}")
        c = initial.connected
        if eq.order == 2 and c is None:
            c = np.zeros((3, 3, n, n))
        return eq.pack(np.asarray(initial.bloch, dtype=float), c)
    if isinstance(initial, ProductState):
        if initial.n != n or any(d != 2 for d in initial.dims):
            raise ModelError(f"initial product state of dims {initial.dims} for {n} qubits")
        pauli = PAULI_BASIS[1:]  # σˣ, σʸ, σᶻ
        bloch = np.real(np.einsum("nab,mba->nm", np.stack(initial.local), pauli))
    else:
        bloch = np.asarray(initial, dtype=float)
        if bloch.shape != (n, 3):
            raise ModelError(f"initial Bloch vectors: expected shape ({n}, 3), got {bloch.shape}")
    if np.any(np.linalg.norm(bloch, axis=1) > 1 + 1e-12):
        raise ModelError("initial Bloch vectors must have length ≤ 1")
    return eq.pack(bloch, np.zeros((3, 3, n, n)) if eq.order == 2 else None)


def evolve_cumulant(model: Any, initial: Any, times: ArrayLike, *, order: int = 2,
                    rtol: float = DEFAULT_RTOL, atol: float = 1e-10,
                    store_states: bool = False) -> CumulantEvolution:
    """Integrate the closed moment equations from ``initial`` over ``times``.

    Parameters
    ----------
    model
        A qubit :class:`~spinsync.model.Network` (or its terms).
    initial
        A :class:`~spinsync.states.ProductState` of qubits, Bloch vectors (N, 3) of a product
        state, or a :class:`~spinsync.states.moments.MomentState` (with its correlations).
    times
        Increasing output times, the first one the start.
    order
        1 (mean field) or 2 (pair cumulants).
    rtol, atol
        DOP853 tolerances on every moment.
    store_states
        Keep a :class:`MomentState` per output time (memory 72 N² bytes each).

    Raises
    ------
    ModelError
        Bad initial state or times; a spin network.
    NumericalError
        The integrator failed (stiff or diverging equations).
    """
    start = _time.perf_counter()
    t = np.asarray(times, dtype=float)
    if t.ndim != 1 or t.size < 1 or np.any(np.diff(t) < 0):
        raise ModelError("times: expected an increasing 1-D array")
    eq = MomentEquations(terms_of(model), order)
    check_memory(8.0 * eq.n_unknowns * 16 + eq.memory_estimate(),
                 what=f"the order-{order} cumulant dynamics of {eq.n} qubits")
    y0 = _initial_moments(eq, initial)
    count = [0]

    def rhs(_t: float, y: NDArray) -> NDArray:
        count[0] += 1
        return eq.rhs_vector(y)

    if t.size > 1 and t[-1] > t[0]:
        sol = solve_ivp(rhs, (t[0], t[-1]), y0, method="DOP853", t_eval=t, rtol=rtol, atol=atol)
        if not sol.success:
            raise NumericalError(f"cumulant dynamics: the integrator failed ({sol.message})")
        ys = sol.y.T
    else:
        ys = np.repeat(y0[None], t.size, axis=0)
    n = eq.n
    bloch = ys[:, : 3 * n].reshape(t.size, n, 3)
    st, cpm, states = np.zeros(t.size), np.zeros(t.size, dtype=complex), []
    iu, ju = np.triu_indices(n, 1)
    for i, y in enumerate(ys):
        m, c = eq.unpack(y)
        state = MomentState(np.array(m), None if c is None else np.array(c))
        # ⟨σ⁺_jσ⁻_k⟩ = ¼(⟨σˣσˣ⟩ + ⟨σʸσʸ⟩ + i⟨σʸσˣ⟩ − i⟨σˣσʸ⟩) over the pairs j < k
        t_ = state.pauli_correlators()[iu, ju]
        ff = 0.25 * (t_[:, 0, 0] + t_[:, 1, 1] + 1j * (t_[:, 1, 0] - t_[:, 0, 1]))
        st[i] = float(np.sum(np.pi / 16 * np.abs(ff)))
        cpm[i] = complex(np.sum(ff))
        if store_states:
            states.append(state)
    final = MomentState(np.array(bloch[-1]), eq.unpack(ys[-1])[1])
    return CumulantEvolution(
        times=t, bloch=np.array(bloch), sync_total=st, c_pm=cpm, states=states,
        max_bloch=float(np.max(np.linalg.norm(bloch, axis=2))), final_domain=final.domain(),
        info={"order": order, "rtol": rtol, "atol": atol, "evaluations": count[0],
              "time": _time.perf_counter() - start, "approximate": True},
    )
