"""Time evolution of the master equation (paper Eq. 2) with observables computed on the fly.

``evolve(network, rho0, times)`` integrates dρ/dt = L[ρ] and records, at each output time,
the fidelity F[ρ(t), ρ₀] to the no-go product state (paper Fig. 1b, c), fidelities to any
given states, the correlation sums C₊₋, C₋₊, C₊₊, C₋₋ of supplement Eq. S6 (Fig. S1), the
pair-resolved ⟨σ⁺_j σ⁻_k⟩ and ⟨σ⁻_j σ⁻_k⟩, ⟨σᶻ_j⟩, S_t and user observables. States are
kept only with ``store_states=True``.

Method
------
The Liouvillian leaves each operator sector invariant (:mod:`spinsync.dynamics.sectors`):
q = (bra down-count) − (ket down-count) when Uˣ = Uʸ on every bond, the parity of that
difference otherwise. ρ(0) is split into the sectors it occupies; each evolves on its own
with SciPy's explicit Runge–Kutta DOP853 (order 8, embedded error control), and only
q ≥ 0 is integrated under magnetization blocks (q < 0 is the Hermitian conjugate). Values
between steps come from DOP853's order-7 dense output, so output times do not shorten
steps. A GHZ state occupies q = 0 and q = ±N; the q = ±N sector is one number.

The sector operator is SciPy sparse (``method="sparse"``, built by
:func:`spinsync.liouvillian.sparse.sector_liouvillian`) or the matrix-free block operator shared
with the iterative steady-state solver (``method="matrix-free"``,
:mod:`spinsync.liouvillian.matrixfree`; on q = 0 its real Hermitian form, half the memory; on
the whole space — no symmetry — the compiled kernels of :mod:`spinsync.liouvillian.tensor`);
``auto`` picks the compiled kernels for the whole space from D = :data:`TENSOR_MIN_DIM`, and
otherwise sparse while its estimated memory stays under :data:`SPARSE_MEMORY_LIMIT`.
The integrator is DOP853 by default or the Taylor propagator of
:mod:`spinsync.dynamics.taylor` (``method=Taylor(...)``, :mod:`spinsync.dynamics.options`).
Complex sectors are integrated as interleaved real vectors (zero-copy views), so every
Runge–Kutta combination is a real BLAS call.

Accuracy: DOP853 holds each real component's local error below atol + rtol·|y|; the
error of ρ(t) grows at most linearly with the number of steps. Against QuTiP at
rtol 1e-10 the states agree to ~1e-11 (tests), at the default rtol 1e-8 to ~1e-9
(benchmark). Tr ρ is conserved to rounding (it is a linear invariant of L, and
Runge–Kutta steps preserve linear invariants); a drift above STATE_TOLERANCE raises.

Memory
------
* sparse L: about 80 bytes per nonzero while it is assembled, nonzeros ≈
  dim × (1 + 2·(bonds with Uˣ or Uʸ ≠ 0) + 2N);
* DOP853: ≈ 24 vectors of the sector dimension (13 stages, solution, derivative, the
  7-vector dense output), 16 bytes per entry;
* fidelity: one dense matrix per connected group of blocks (for ρ₀ and a state with only
  q = 0, the largest block C(N, N/2)²; a random initial state couples all blocks, 4ᴺ).
All three are checked with :func:`spinsync.resources.check_memory` before allocation.

Units: times in the model's inverse rate unit (ħ = 1), as in Eq. 2.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import DOP853

from ..blas_threads import limit_blas_threads
from ..errors import ModelError, NumericalError
from ..liouvillian.hermitian import real_operator, to_complex, to_real
from ..liouvillian.matrixfree import BlockLiouvillian, HermitianBlockLiouvillian
from ..liouvillian.sector import OperatorSector
from ..liouvillian.sparse import sector_liouvillian
from ..measures.fidelity import UhlmannFidelity
from ..measures.sync import sync_max, sync_total
from ..model import Network
from ..operators.blocks import block_basis
from ..operators.local import PAULI, spin_matrices
from ..operators.symmetry import block_kind
from ..resources import check_memory, format_bytes
from ..states import STATE_TOLERANCE, BlockState, as_block_state, validate_state
from ..steady.analytic import product_state
from ..steady.plan import make_plan, terms_of
from .observables import MatrixExpectations, is_operator, operator_matrix
from .options import DEFAULT_RTOL, EvolveOptions, Taylor, resolve_evolve_options
from .sectors import ProductExpectations, SectorSet, ZExpectations, local_product
from .taylor import TaylorPropagator

__all__ = ["evolve", "EvolutionResult", "SPARSE_MEMORY_LIMIT", "DEFAULT_RTOL"]

#: ``method="auto"`` uses the sparse sector matrix while assembling it needs less than this
#: (bytes); beyond, the matrix-free operator (no stored matrix, somewhat slower per product).
SPARSE_MEMORY_LIMIT = 2.0 * 1024**3

#: Bytes per nonzero while a sparse sector Liouvillian is assembled (COO int64 pieces,
#: their concatenation and the CSR copy).
_SPARSE_BYTES_PER_NNZ = 80.0

#: DOP853 holds 13 stage vectors, y, y_old, f and a 7-vector dense-output interpolant.
_INTEGRATOR_VECTORS = 24

Callback = Callable[[int, float], None]
Observable = Callable[[BlockState], Any]


@dataclass
class EvolutionResult:
    """Observables of ρ(t) at the requested times.

    Attributes
    ----------
    times
        Output times, shape (K,).
    network
        The model evolved.
    trace
        Tr ρ(t) (real part; it is conserved exactly by L and by Runge–Kutta steps).
    magnetization
        ⟨σᶻ_j⟩ for qubit networks, ⟨Jᶻ_j⟩ for spin networks; shape (K, N), sites 0 … N−1.
    pair_pm
        ⟨σ⁺_j σ⁻_k⟩ = Tr[ρ σ⁺_j σ⁻_k] (spins: ⟨J⁺_j J⁻_k⟩), shape (K, N, N), diagonal set
        to 0. Hermitian in (j, k); its transpose is ⟨σ⁻_j σ⁺_k⟩.
    pair_mm
        ⟨σ⁻_j σ⁻_k⟩ (spins: ⟨J⁻_j J⁻_k⟩), shape (K, N, N), symmetric, diagonal 0;
        ⟨σ⁺_j σ⁺_k⟩ is its conjugate.
    coherence
        ⟨σ⁺_j⟩ (spins: ⟨J⁺_j⟩), shape (K, N); non-zero with drives.
    fidelity_product
        Uhlmann fidelity F = Tr √(√ρ₀ ρ(t) √ρ₀) (not squared) to the product state ρ₀ of
        the local steady states (paper Fig. 1b, c: ⊗(I + m_j σᶻ_j)/2); NaN where ρ₀ is
        undefined (a site without a unique local steady state).
    fidelity
        Name → F[ρ(t), σ] for the states passed as ``fidelity_to``.
    sync_total
        S_t = Σ_{j<k} (π/16) |⟨σ⁺_j σ⁻_k⟩| (paper Fig. 3), shape (K,); NaN for spins.
    observables
        Name (or index, for a list) → array of the values of user observables, first axis
        time; :attr:`expect` lists them in order, as QuTiP's ``result.expect``.
    states
        ρ(t) as :class:`BlockState` for each time when ``store_states=True``, else None.
    info
        Method, operator, tolerances, sector dimensions, function evaluations, wall time.
    """

    times: NDArray[np.float64]
    network: Network
    trace: NDArray[np.float64]
    magnetization: NDArray[np.float64]
    pair_pm: NDArray[np.complex128]
    pair_mm: NDArray[np.complex128]
    fidelity_product: NDArray[np.float64]
    fidelity: dict[str, NDArray[np.float64]]
    sync_total: NDArray[np.float64]
    observables: dict[str, NDArray[Any]] = field(default_factory=dict)
    coherence: NDArray[np.complex128] | None = None
    states: list[BlockState] | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def expect(self) -> list[NDArray[Any]]:
        """The user observables' values in the order given (QuTiP's ``result.expect``)."""
        return list(self.observables.values())

    def _upper_sum(self, pairs: NDArray[np.complex128]) -> NDArray[np.complex128]:
        j, k = np.triu_indices(self.network.n, 1)
        return pairs[:, j, k].sum(axis=1)

    @property
    def c_pm(self) -> NDArray[np.complex128]:
        """C₊₋ = Σ_{j<k} Tr[ρ_jk σ⁺_j σ⁻_k] (Eq. S6, S9: the entry s of ρ_jk)."""
        return self._upper_sum(self.pair_pm)

    @property
    def c_mp(self) -> NDArray[np.complex128]:
        """C₋₊ = Σ_{j<k} Tr[ρ_jk σ⁻_j σ⁺_k] = conj C₊₋ (Eq. S8)."""
        # σ⁻_j σ⁺_k = σ⁺_k σ⁻_j (different qubits commute): the transposed pair matrix.
        return self._upper_sum(self.pair_pm.transpose(0, 2, 1))

    @property
    def c_mm(self) -> NDArray[np.complex128]:
        """C₋₋ = Σ_{j<k} Tr[ρ_jk σ⁻_j σ⁻_k] (Eq. S11)."""
        return self._upper_sum(self.pair_mm)

    @property
    def c_pp(self) -> NDArray[np.complex128]:
        """C₊₊ = Σ_{j<k} Tr[ρ_jk σ⁺_j σ⁺_k] = conj C₋₋ (Eq. S10)."""
        return self._upper_sum(self.pair_mm.conj())

    def correlations(self) -> dict[str, NDArray[np.complex128]]:
        """The four sums of Eq. S6 keyed ``"+-"``, ``"-+"``, ``"++"``, ``"--"``."""
        return {"+-": self.c_pm, "-+": self.c_mp, "++": self.c_pp, "--": self.c_mm}


# --------------------------------------------------------------------------- operators
def _sparse_nnz_estimate(plan: Any, dim: int) -> int:
    return dim * plan.nnz_per_row()


@dataclass
class _SectorSystem:
    """dy/dt = rhs(y) for one sector in real coordinates, and the way back to ρ's entries."""

    rhs: Callable[[NDArray[np.float64]], NDArray[np.float64]]
    y0: NDArray[np.float64]
    to_complex: Callable[[NDArray[np.float64]], NDArray[np.complex128]]


def _complex_system(
    apply: Callable[[NDArray[np.complex128]], NDArray[np.complex128]], x0: NDArray[np.complex128]
) -> _SectorSystem:
    """A complex linear system integrated as its interleaved real view (zero-copy).

    SciPy's Runge–Kutta combinations then run as real BLAS calls: complex ``zgemv`` on
    small vectors is pathologically slow in OpenBLAS when cores are oversubscribed
    (measured 12 ms vs 2.5 µs for a 512×12 product on a loaded 2-core machine). The error
    norm treats real and imaginary parts as separate components.
    """

    def rhs(y: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.ascontiguousarray(apply(y.view(np.complex128)), dtype=np.complex128).view(np.float64)

    def to_complex(y: NDArray[np.float64]) -> NDArray[np.complex128]:
        return np.ascontiguousarray(y).view(np.complex128)

    return _SectorSystem(rhs, np.ascontiguousarray(x0, dtype=np.complex128).view(np.float64), to_complex)


def _sector_system(
    model: Any, plan: Any, sector: OperatorSector, x0: NDArray[np.complex128], method: str,
    threads: int | None = None,
) -> _SectorSystem:
    """The sector's equation of motion, sparse or matrix-free."""
    network = model
    if method == "sparse":
        nnz = _sparse_nnz_estimate(plan, sector.dim)
        check_memory(
            _SPARSE_BYTES_PER_NNZ * nnz,
            what=f"the sparse sector Liouvillian (dimension {sector.dim}, ~{nnz} nonzeros)",
            alternatives="use --method matrix-free",
        )
        liouv = sector_liouvillian(network, sector)
        if sector.is_diagonal:
            # q = 0 holds Hermitian blocks: L in real coordinates (shared with the solvers).
            real = real_operator(liouv, sector)
            return _SectorSystem(real.dot, to_real(sector, x0), lambda y: to_complex(sector, y))
        return _complex_system(liouv.dot, x0)
    if sector.is_diagonal and sector.basis.kind == "full" and _tensor_available():
        # The whole space in one block: the compiled kernels (liouvillian/tensor.py).
        from ..liouvillian.tensor import TensorLiouvillian

        op = TensorLiouvillian(network, threads=threads)
        return _SectorSystem(op.matvec, np.asarray(op.to_real(x0), dtype=float), op.to_complex)
    if sector.is_diagonal:
        # q = 0 holds Hermitian diagonal blocks: the shared real-coordinate operator is
        # exact there, with half the memory and real arithmetic only.
        op = HermitianBlockLiouvillian(network, sector)
        return _SectorSystem(op.matvec, np.asarray(op.to_real(x0), dtype=float), op.to_complex)
    return _complex_system(BlockLiouvillian(network, sector).matvec, x0)


def _tensor_available() -> bool:
    from ..liouvillian.tensor import tensor_available

    return tensor_available()


#: ``auto`` evolves the whole space (no symmetry) with the compiled matrix-free kernels
#: (:mod:`spinsync.liouvillian.tensor`) from this dimension D on. Measured with DOP853 on a
#: driven XXZ chain, t ∈ [0, 5], 11 outputs, one thread: sparse / compiled 0.029 / 0.030 s at
#: D = 32, 0.11 / 0.077 s at 64, 0.38 / 0.26 s at 128, 1.36 / 0.74 s at 256 (the kernels'
#: one-time compilation, a few seconds, is cached on disk by numba).
TENSOR_MIN_DIM = 64


def _choose_method(plan: Any, sset: SectorSet, method: str) -> str:
    if method in ("sparse", "matrix-free"):
        return method
    if method != "auto":
        raise ModelError(f"method = {method!r}: expected auto, sparse or matrix-free")
    if plan.kind == "full" and plan.terms.space.dim >= TENSOR_MIN_DIM and _tensor_available():
        return "matrix-free"
    need = max(_SPARSE_BYTES_PER_NNZ * _sparse_nnz_estimate(plan, d) for d in sset.dims.values())
    return "sparse" if need <= SPARSE_MEMORY_LIMIT else "matrix-free"


class _SectorPropagator:
    """Advances one sector with DOP853 (or the Taylor propagator) and returns its complex
    vector at increasing times."""

    def __init__(
        self, system: _SectorSystem, t_end: float, rtol: float, atol: float, max_step: float,
        options: EvolveOptions | None = None,
    ) -> None:
        self._system = system
        self._taylor = None
        if isinstance(options, Taylor):
            self._taylor = TaylorPropagator(system.rhs, system.y0, t_end, rtol, atol, max_step,
                                            options.degree)
            return
        self._solver = DOP853(
            lambda t, y: system.rhs(y), 0.0, system.y0, t_end,
            rtol=rtol, atol=atol, max_step=max_step,
        )
        self._interp: Any = None

    @property
    def nfev(self) -> int:
        if self._taylor is not None:
            return int(self._taylor.nfev)
        return int(self._solver.nfev)

    def at(self, t: float) -> NDArray[np.complex128]:
        """The sector vector at t ≥ the previous call's t (possibly a view: copy to keep)."""
        if self._taylor is not None:
            return self._system.to_complex(self._taylor.at(t))
        s = self._solver
        while s.t < t:
            message = s.step()
            self._interp = None
            if s.status == "failed":
                raise NumericalError(f"DOP853 failed at t = {s.t:.6g}: {message}")
        if t == s.t:
            return self._system.to_complex(s.y)
        if self._interp is None:
            self._interp = s.dense_output()
        return self._system.to_complex(self._interp(t))


def _check_times(times: ArrayLike) -> NDArray[np.float64]:
    try:
        t = np.atleast_1d(np.asarray(times, dtype=float))
    except (TypeError, ValueError) as exc:
        raise ModelError(f"times: not a list of numbers ({exc})") from exc
    if t.ndim != 1 or t.size == 0:
        raise ModelError(f"times: expected a non-empty 1-D list, got shape {t.shape}")
    if not np.all(np.isfinite(t)):
        raise ModelError("times: every time must be finite")
    if t[0] < 0:
        raise ModelError(f"times[0] = {t[0]!r}: times are measured from ρ(0) and must be ≥ 0")
    if np.any(np.diff(t) <= 0):
        i = int(np.flatnonzero(np.diff(t) <= 0)[0])
        raise ModelError(f"times[{i + 1}] = {t[i + 1]!r}: times must increase strictly")
    return t


def _observable_table(observables: Any, e_ops: Any) -> dict[Any, Any]:
    """``observables`` or ``e_ops`` as key → function or operator (list: keys 0, 1, …)."""
    if observables is not None and e_ops is not None:
        raise ModelError("give observables or e_ops, not both (they are the same argument)")
    obs = e_ops if observables is None else observables
    if obs is None:
        return {}
    if isinstance(obs, Mapping):
        return dict(obs)
    if callable(obs) or is_operator(obs):
        obs = [obs]
    return dict(enumerate(obs))


# --------------------------------------------------------------------------- evolve
def evolve(
    network: Network,
    rho0: object,
    times: ArrayLike | None = None,
    *,
    tlist: ArrayLike | None = None,
    fidelity_to: Mapping[str, object] | None = None,
    observables: Mapping[Any, Observable | object] | Sequence[object] | None = None,
    e_ops: Mapping[Any, Observable | object] | Sequence[object] | None = None,
    store_states: bool = False,
    method: str | EvolveOptions = "auto",
    rtol: float | None = None,
    atol: float | None = None,
    max_step: float | None = None,
    callback: Callback | None = None,
    blas_threads: int | None = None,
    symmetry: str = "auto",
) -> EvolutionResult:
    """Integrate the master equation from ``rho0`` and record observables at ``times``.

    Parameters
    ----------
    network
        The model (docs/conventions.md): a :class:`~spinsync.model.Network` or its terms.
    rho0
        ρ(0): a dense D×D array (D = Π_j (2s_j + 1)), a SciPy sparse matrix, a
        :class:`BlockState`, a :class:`ProductState` (see :mod:`spinsync.states.initial`
        for GHZ, random, …) or a ``qutip.Qobj`` (density matrix or ket) with the model's dims.
        Validated for shape, trace 1, Hermiticity and positivity (tolerance
        :data:`~spinsync.states.STATE_TOLERANCE`).
    times, tlist
        Strictly increasing output times ≥ 0, in the model's inverse rate unit; ρ(0) is
        the state at t = 0 (``times[0] = 0`` returns it as the first point). ``tlist`` is
        QuTiP's name for the same argument (give one of them).
    fidelity_to
        Name → reference state σ (same forms as ``rho0``); records F[ρ(t), σ].
    observables, e_ops
        Name → observable, or a list of observables (QuTiP's ``e_ops``; keys 0, 1, …). An
        observable is an operator — ``qutip.Qobj``, D×D array or sparse matrix, or a
        site-operator spec such as ``"z0"`` or ``"+0 -1"`` (:mod:`spinsync.dynamics.observables`)
        — recorded as Tr[ρ(t) O] (real when O is Hermitian), or a function of a
        :class:`BlockState` (the state is rebuilt for it each time, so keep it cheap).
        ``e_ops`` is the same argument under QuTiP's name.
    store_states
        Keep ρ(t) at every output time (memory: K × the state's size).
    method
        ``"auto"``, ``"sparse"`` or ``"matrix-free"`` (module docstring) with DOP853 and
        the keyword tolerances, or an options object (:mod:`spinsync.dynamics.options`:
        ``Dop853(rtol=…, operator=…)``, ``Taylor(rtol=…, degree=…)``) carrying the
        integrator, its tolerances and the operator form.
    rtol, atol
        Integrator tolerances on every complex entry of the sector vectors (default rtol
        :data:`DEFAULT_RTOL`). ``atol`` defaults to rtol/D: entries of ρ are of the order
        of the populations, ~1/D on average, so an entry's absolute error is held to rtol
        times that scale.
    max_step
        Largest step the integrator may take (default unbounded).
    callback
        Called as ``callback(i, t)`` after output time i is recorded (progress bars).
    blas_threads
        OpenBLAS threads during the integration. Default 1: nothing on the sector paths
        profits from threads (sparse products and the jump matrix are single-threaded, dense
        blocks are small), and an oversubscribed thread pool stalls — a 512×512 eigvalsh of
        the fidelity took 10 s instead of 0.06 s on a loaded 2-core machine (see
        :mod:`spinsync.blas_threads`). Also the threads of the compiled full-space kernels
        (default: numba's, all cores).

    symmetry
        ``"auto"`` (the symmetry the terms keep) or a weaker one (``"parity"``, ``"none"``).

    Returns
    -------
    EvolutionResult

    Raises
    ------
    ModelError
        Invalid state, times, tolerances or method.
    MemoryLimitError
        The operator, integrator or fidelity would exceed the usable memory.
    NumericalError
        The integrator failed, or Tr ρ drifted from 1 by more than STATE_TOLERANCE.
    """
    start = _time.perf_counter()
    if times is not None and tlist is not None:
        raise ModelError("give times or tlist, not both (they are the same argument)")
    if times is None and tlist is None:
        raise ModelError("times: the output times are missing (times= or tlist=)")
    t_out = _check_times(times if times is not None else tlist)
    options = resolve_evolve_options(method, rtol, atol, max_step)
    rtol, max_step = options.rtol, options.max_step
    table = _observable_table(observables, e_ops)
    plan = make_plan(network, symmetry)
    terms = plan.terms
    dim = terms.space.dim
    atol = rtol / float(dim) if options.atol is None else float(options.atol)
    _check_feasible(plan)

    basis = block_basis(terms, plan.kind)
    state0 = as_block_state(rho0, basis)
    validate_state(state0)
    sset = SectorSet.for_state(state0)
    chosen = _choose_method(plan, sset, options.operator)

    dims = sset.dims
    check_memory(
        16.0 * _INTEGRATOR_VECTORS * sum(dims.values()),
        what=f"the DOP853 work vectors (sector dimensions {dims})",
    )
    y0 = sset.join(state0)
    # Key None is the no-go product state ρ₀; user names are strings.
    rho_product = product_state(network)
    fidelity_refs: dict[str | None, object] = {} if rho_product is None else {None: rho_product}
    fidelity_refs.update(dict(fidelity_to or {}))
    fidelities: dict[str | None, UhlmannFidelity] = {}
    for name, ref in fidelity_refs.items():
        sigma = as_block_state(ref, basis)
        if name is not None:
            validate_state(sigma)
        fid = UhlmannFidelity(sigma.blocks, basis, sset.pairs())
        check_memory(fid.memory_estimate(), what=f"the fidelity to {name or 'ρ₀'}")
        fidelities[name] = fid

    convention = network.kind if isinstance(network, Network) else terms.convention
    operators = {key: operator_matrix(obs, terms.space, convention, f"observable {key!r}")
                 for key, obs in table.items() if is_operator(obs)}
    for key, obs in table.items():
        if key not in operators and not callable(obs):
            raise ModelError(f"observable {key!r}: expected an operator (Qobj, D×D matrix, "
                             f"site spec such as 'z0') or a function of the state, got "
                             f"{type(obs).__name__}")
    recorder = _Recorder(sset, t_out.size, fidelities, table, store_states,
                         network.is_qubits if isinstance(network, Network) else False, operators)

    build_start = _time.perf_counter()
    propagators: dict[int, _SectorPropagator] = {}
    zero_sectors: dict[int, NDArray[np.complex128]] = {}
    for q, sector in sset.sectors.items():
        if not np.any(y0[q]):
            zero_sectors[q] = y0[q]  # stays zero: L is linear
            continue
        system = _sector_system(network, plan, sector, y0[q], chosen, blas_threads)
        propagators[q] = _SectorPropagator(system, float(t_out[-1]), rtol, atol, max_step,
                                           options)
    build_time = _time.perf_counter() - build_start

    # Sparse products and the jump matrix are single-threaded and the Runge–Kutta
    # combinations memory-bound, so a BLAS thread pool only costs (see blas_threads).
    with limit_blas_threads(1 if blas_threads is None else blas_threads):
        for i, t in enumerate(t_out):
            vectors = dict(zero_sectors)
            vectors.update({q: prop.at(float(t)) for q, prop in propagators.items()})
            recorder.record(i, vectors)
            if callback is not None:
                callback(i, float(t))
    max_trace_error = float(np.max(np.abs(recorder.trace - 1.0)))
    if max_trace_error > STATE_TOLERANCE:
        raise NumericalError(
            f"Tr ρ(t) drifted from 1 by {max_trace_error:.2e} (tolerance {STATE_TOLERANCE:.0e}); "
            "the integration is not trustworthy"
        )
    info = {
        "method": chosen,
        "integrator": options.name,
        "rtol": float(rtol),
        "atol": float(atol),
        "basis": basis.kind,
        "symmetry": plan.symmetry,
        "sector_dims": {int(q): int(d) for q, d in dims.items()},
        "evolved_sectors": sorted(int(q) for q in propagators),
        "nfev": {int(q): p.nfev for q, p in propagators.items()},
        "max_trace_error": max_trace_error,
        "build_time": build_time,
        "time": _time.perf_counter() - start,
        "integrator_memory": format_bytes(16.0 * _INTEGRATOR_VECTORS * sum(dims.values())),
    }
    return recorder.result(t_out, network, info)


def _check_feasible(plan: Any) -> None:
    """Refuse, before anything is enumerated, a model whose basis alone cannot fit."""
    from ..operators.space import MAX_ENUMERABLE_DIM

    dim = plan.terms.space.dim
    if dim > MAX_ENUMERABLE_DIM:
        from ..errors import MemoryLimitError

        raise MemoryLimitError(
            f"evolve: the Hilbert space of {plan.n} sites has dimension {float(dim):.3g}; "
            "time evolution of the full state is out of reach (the steady state may still be "
            "analytic: spinsync steady)"
        )
    check_memory(16.0 * _INTEGRATOR_VECTORS * min(plan.sector_dim, dim * dim),
                 what=f"the integrator's work vectors ({plan.n} sites)")


class _Recorder:
    """Evaluates and stores the observables at each output time."""

    def __init__(
        self,
        sset: SectorSet,
        k_out: int,
        fidelities: Mapping[str | None, UhlmannFidelity],
        observables: Mapping[Any, Any],
        store_states: bool,
        qubits: bool,
        operators: Mapping[Any, sp.spmatrix] | None = None,
    ) -> None:
        basis = sset.basis
        n = basis.n
        dims = basis.dims
        self.sset = sset
        self.qubits = qubits
        local = {d: _local_ops(d, qubits) for d in set(dims)}
        self.z = ZExpectations(sset, {d: np.real(np.diag(ops["z"])) for d, ops in local.items()})
        j, k = np.nonzero(~np.eye(n, dtype=bool))
        self.pairs = np.stack([j, k], axis=1)
        self.pm = ProductExpectations(sset, [local_product([a, b], [local[dims[a]]["+"], local[dims[b]]["-"]])
                                             for a, b in self.pairs])
        self.mm = ProductExpectations(sset, [local_product([a, b], [local[dims[a]]["-"], local[dims[b]]["-"]])
                                             for a, b in self.pairs])
        self.plus = ProductExpectations(sset, [local_product([a], [local[dims[a]]["+"]]) for a in range(n)])
        self.fidelities = fidelities
        operators = dict(operators or {})
        self.functions = {k: f for k, f in observables.items() if k not in operators}
        self.keys = list(observables)
        self.operator_keys = list(operators)
        self.expectations = MatrixExpectations(sset, list(operators.values())) if operators else None
        # Hermitian operators give real values (as QuTiP returns them).
        self.hermitian = [abs(m - m.conj().T).max() == 0 if m.nnz else True
                          for m in operators.values()]
        self.observables = self.functions
        self.trace = np.zeros(k_out)
        self.magnetization = np.zeros((k_out, n))
        self.pair_pm = np.zeros((k_out, n, n), dtype=complex)
        self.pair_mm = np.zeros((k_out, n, n), dtype=complex)
        self.coherence = np.zeros((k_out, n), dtype=complex)
        self.fid = {name: np.zeros(k_out) for name in fidelities}
        self.user: dict[Any, list[Any]] = {name: [] for name in observables}
        self.states: list[BlockState] | None = [] if store_states else None

    def record(self, i: int, vectors: Mapping[int, NDArray[np.complex128]]) -> None:
        tr, mz = self.z(vectors)
        self.trace[i] = tr.real
        self.magnetization[i] = mz
        j, k = self.pairs[:, 0], self.pairs[:, 1]
        self.pair_pm[i][j, k] = self.pm(vectors)
        self.pair_mm[i][j, k] = self.mm(vectors)
        self.coherence[i] = self.plus(vectors)
        blocks = self.sset.blocks(vectors)
        for name, fid in self.fidelities.items():
            self.fid[name][i] = fid(blocks)
        if self.expectations is not None:
            values = self.expectations(vectors)
            for key, value, herm in zip(self.operator_keys, values, self.hermitian):
                self.user[key].append(value.real if herm else value)
        if self.observables or self.states is not None:
            snapshot = self.sset.to_state(vectors, copy=True)
            for name, fn in self.observables.items():
                self.user[name].append(fn(snapshot))
            if self.states is not None:
                self.states.append(snapshot)

    def result(self, times: NDArray[np.float64], network: Any, info: dict[str, Any]) -> EvolutionResult:
        # S_t from the paper's Fig. 3 definition, via the shared synchronization measures;
        # it is defined for qubits (σ±) only.
        if self.qubits:
            s_total = np.array([sync_total(sync_max(p)) for p in self.pair_pm])
        else:
            s_total = np.full(times.size, np.nan)
        fid = dict(self.fid)
        fid_product = fid.pop(None, np.full(times.size, np.nan))
        return EvolutionResult(
            times=times,
            network=network,
            trace=self.trace,
            magnetization=self.magnetization,
            pair_pm=self.pair_pm,
            pair_mm=self.pair_mm,
            fidelity_product=fid_product,
            fidelity={str(name): v for name, v in fid.items()},
            sync_total=s_total,
            observables={name: np.asarray(self.user[name]) for name in self.keys},
            states=self.states,
            info=info,
            coherence=self.coherence,
        )


def _local_ops(d: int, qubits: bool) -> dict[str, NDArray[np.complex128]]:
    """σᶻ, σ± (qubit networks) or Jᶻ, J± (spin networks) of a site of dimension d."""
    if qubits:
        return {"z": PAULI["z"], "+": PAULI["+"], "-": PAULI["-"]}
    j = spin_matrices((d - 1) / 2)
    return {"z": j.z, "+": j.plus, "-": j.minus}
