"""QuTiP in, QuTiP out: spinsync's symmetry-blocked engine behind QuTiP's calling conventions.

Needs the optional extra ``spinsync[qutip]`` (QuTiP ≥ 5); nothing here is imported by
``import spinsync``.

spinsync → QuTiP
    :func:`to_qutip` turns a model (:class:`~spinsync.model.Network` or compiled
    :class:`~spinsync.operators.Terms`) into ``(H, c_ops)`` with tensor dims and the
    conventions' factors included (a dissipator ½γ D[A] is the collapse operator √(γ/2)·A),
    so ``qutip.steadystate(*to_qutip(net))`` is spinsync's steady state; and any state
    (block, product, steady-state result, dense or sparse matrix) into a ``Qobj``.

QuTiP → spinsync
    :func:`steadystate` and :func:`mesolve` take QuTiP's arguments. The operators may be
    any time-independent sparse H and collapse operators on a tensor product of spins —
    every factor of ``dims`` a spin s = (d − 1)/2, site 0 the leftmost factor, local basis
    m = s … −s (``qutip.basis(2, 0)`` is ↑ for ``sigmaz() = diag(1, −1)``; ``jmat`` uses the
    same order). The symmetry is detected from the matrices' entries: U(1) when H conserves
    the total down count K (total Jᶻ) and each collapse operator shifts it by one fixed
    amount, parity when all shifts keep their parity, else none
    (:mod:`spinsync.operators.symmetry`); the solve then runs on the symmetry blocks, or on
    the whole space with the matrix-free operators.

Which inputs are refused, and why (one line each, naming the object and its dims):

* a superoperator or a ket passed as H or as a collapse operator (pass H and the collapse
  operators themselves); time-dependent operators (``QobjEvo``, ``[op, coefficient]``
  lists) and ``args``;
* dims that are not one flat list of factors, differ between ket and bra, or between H,
  the collapse operators, the initial state and the e_ops; a factor of dimension 1;
* a truncated harmonic oscillator. A d-level factor is mathematically a spin (d − 1)/2, so
  the rule reads the operators: a factor with d ≥ 3 is refused when the part of H or of a
  collapse operator acting on it alone (its partial trace over the other factors, divided by
  their dimension) has a first sub- or super-diagonal proportional to √1, √2, …, √(d − 1) —
  the band of ``destroy(d)`` / ``create(d)``, which no spin operator has (J± bands are
  palindromic: √((s ∓ m)(s ± m + 1))). ``num(d)`` = s − Jᶻ is a spin operator and passes; an
  oscillator that appears only inside couplings (no drive, no loss of its own) is not
  recognized and is solved as a d-level system, as QuTiP would.

Rounding: entries at most :data:`STRUCTURE_ROUNDING` times an operator's largest entry are
rounding residue of its construction (e.g. cos(π/2) ≈ 6e-17) and are dropped before the
symmetry is read — ``info["dropped_entries"]`` reports how many; anything larger counts (a
term of 1e-12 on an operator of order 1 breaks U(1)).

Checks and side channel: every steady state passes the trace, Hermiticity and positivity
checks of :mod:`spinsync.steady.checks` and has its residual ‖L[ρ]‖_F/‖ρ‖_F computed;
``steadystate(..., return_info=True)`` returns ``(rho, info)`` with them (QuTiP 4's
``return_info``; QuTiP 5 dropped it). :func:`mesolve` results carry ``info`` (method,
symmetry, applications of L, trace drift).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError
from ..operators.space import Space
from . import is_qobj

__all__ = ["to_qutip", "steadystate", "mesolve", "MesolveResult", "terms_from_qutip",
           "qobj_matrix", "qobj_density", "oscillator_factors", "STRUCTURE_ROUNDING",
           "MESOLVE_RTOL", "MESOLVE_ATOL"]

#: Entries at most this times the operator's largest entry are rounding residue (dropped).
STRUCTURE_ROUNDING = 1e-14

#: QuTiP's default mesolve tolerances, used by :func:`mesolve` (a drop-in replacement).
MESOLVE_RTOL = 1e-6
MESOLVE_ATOL = 1e-8

#: Relative agreement with √n that marks a Fock-ladder band.
_LADDER_RTOL = 1e-10


def _qutip() -> Any:
    try:
        import qutip
    except ImportError as exc:  # pragma: no cover - qutip is a test dependency
        raise ImportError("spinsync.interop.qutip needs QuTiP: "
                          "pip install 'spinsync[qutip]'") from exc
    return qutip


# =========================================================================== QuTiP → arrays
def _flat_dims(dims: Any, what: str) -> tuple[int, ...]:
    """One flat tuple of factor dimensions from a Qobj's ``[ket dims, bra dims]``."""
    ket, bra = dims
    if any(isinstance(d, (list, tuple)) for d in list(ket) + list(bra)):
        raise ModelError(f"{what}: dims {dims} are nested (a superoperator?); expected an "
                         "operator on a tensor product of spins, e.g. [[2, 2], [2, 2]]")
    return tuple(int(d) for d in ket)


def _operator_dims(obj: Any, what: str) -> tuple[int, ...]:
    """The factors of an operator Qobj (refusing kets, superoperators, time dependence)."""
    qt = _qutip()
    if isinstance(obj, qt.QobjEvo) or isinstance(obj, (list, tuple)):
        raise ModelError(f"{what}: time-dependent operators (QobjEvo or [op, coefficient] "
                         "lists) are not supported; spinsync solves time-independent models")
    if not is_qobj(obj):
        raise ModelError(f"{what}: expected a qutip.Qobj operator, got {type(obj).__name__}")
    if obj.issuper:
        raise ModelError(f"{what} is a superoperator (dims {obj.dims}); pass the Hamiltonian "
                         "and the collapse operators themselves, not a Liouvillian")
    if not obj.isoper:
        raise ModelError(f"{what} is a {obj.type} (dims {obj.dims}), not an operator")
    dims = _flat_dims(obj.dims, what)
    if tuple(obj.dims[1]) != dims:
        raise ModelError(f"{what}: dims {obj.dims} differ between ket and bra; expected a square "
                         "operator on one tensor product")
    if any(d < 2 for d in dims):
        raise ModelError(f"{what}: dims {obj.dims} contain a factor of dimension 1; drop it")
    return dims


def _csr(obj: Any) -> sp.csr_matrix:
    return sp.csr_matrix(obj.to("csr").data_as("csr_matrix"), dtype=complex)


def qobj_matrix(obj: Any, space: Space, what: str = "operator") -> sp.csr_matrix:
    """An operator Qobj as a CSR matrix on ``space`` (its dims must be the space's)."""
    dims = _operator_dims(obj, what)
    if dims != space.dims:
        raise ModelError(f"{what}: Qobj dims {obj.dims}, the model's local dimensions are "
                         f"{list(space.dims)}")
    return _csr(obj)


def qobj_density(obj: Any, what: str = "state") -> tuple[sp.csr_matrix, Space]:
    """A density-matrix or ket Qobj as a CSR density matrix and its space.

    A ket |ψ⟩ becomes |ψ⟩⟨ψ| (memory 16·nnz(ψ)² bytes, checked).
    """
    if not is_qobj(obj):
        raise ModelError(f"{what}: expected a qutip.Qobj, got {type(obj).__name__}")
    if obj.isket:
        dims = _flat_dims([obj.dims[0], obj.dims[0]], what)
        psi = _csr(obj)
        from ..resources import check_memory

        check_memory(16.0 * psi.nnz ** 2 * 3, what=f"{what}: the density matrix of a ket")
        return sp.csr_matrix(psi @ psi.conj().T), Space(dims)
    if obj.isoper:
        return _csr(obj), Space(_operator_dims(obj, what))
    raise ModelError(f"{what} is a {obj.type} Qobj (dims {obj.dims}); expected a density "
                     "matrix or a ket")


# =========================================================================== structure checks
def _single_factor_parts(mat: sp.csr_matrix, space: Space) -> list[NDArray[np.complex128]]:
    """Tr_{¬j}(O)/D_{¬j} for every site j with d_j ≥ 3 (zeros for the others), from entries."""
    coo = mat.tocoo()
    rows, cols, vals = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    parts = []
    for j, d in enumerate(space.dims):
        local = np.zeros((d, d), dtype=complex)
        if d >= 3 and vals.size:
            stride = int(space.strides[j])
            ar, ac = (rows // stride) % d, (cols // stride) % d
            same_rest = (rows - ar * stride) == (cols - ac * stride)
            np.add.at(local, (ar[same_rest], ac[same_rest]), vals[same_rest])
            local /= space.dim // d
        parts.append(local)
    return parts


def _is_fock_band(band: NDArray[np.complex128]) -> bool:
    if band.size < 2 or np.any(band == 0):
        return False
    ratio = band / np.sqrt(np.arange(1, band.size + 1))
    return bool(np.max(np.abs(ratio - ratio[0])) <= _LADDER_RTOL * abs(ratio[0]))


def oscillator_factors(mat: sp.csr_matrix, space: Space) -> list[int]:
    """Sites whose single-factor part of ``mat`` carries the Fock band of destroy/create."""
    out = []
    for j, local in enumerate(_single_factor_parts(mat, space)):
        bands = (np.diag(local, 1), np.diag(local, -1))
        if local.shape[0] >= 3 and any(_is_fock_band(b) for b in bands):
            out.append(j)
    return out


def _drop_rounding(mat: sp.csr_matrix) -> tuple[sp.csr_matrix, int, float]:
    """``mat`` without entries ≤ STRUCTURE_ROUNDING × its largest; count and largest dropped."""
    mat = sp.csr_matrix(mat, dtype=complex, copy=True)
    mat.eliminate_zeros()
    if not mat.nnz:
        return mat, 0, 0.0
    mag = np.abs(mat.data)
    small = mag <= STRUCTURE_ROUNDING * mag.max()
    dropped, largest = int(small.sum()), float(mag[small].max()) if small.any() else 0.0
    if dropped:
        mat.data[small] = 0
        mat.eliminate_zeros()
    return mat, dropped, largest


def terms_from_qutip(H: Any, c_ops: Any = None) -> Any:
    """Compiled :class:`~spinsync.operators.Terms` of QuTiP operators (checks: module docstring).

    Returns
    -------
    Terms
        ``convention="external"``; ``terms.symmetry`` is the detected symmetry.
    """
    return _read_operators(H, c_ops)[0]


def _read_operators(H: Any, c_ops: Any) -> tuple[Any, dict[str, Any]]:
    """The terms and what was read: dims and the rounding entries dropped."""
    from ..operators.terms import Terms

    ops = [] if c_ops is None else ([c_ops] if is_qobj(c_ops) else list(c_ops))
    dims = _operator_dims(H, "H")
    space = Space(dims)
    matrices, dropped, largest = [], 0, 0.0
    for i, (label, obj) in enumerate([("H", H)] + [(f"c_ops[{k}]", c) for k, c in enumerate(ops)]):
        d = _operator_dims(obj, label)
        if d != dims:
            raise ModelError(f"{label}: dims {obj.dims} differ from H's {H.dims}")
        mat, n_drop, big = _drop_rounding(_csr(obj))
        dropped, largest = dropped + n_drop, max(largest, big)
        osc = oscillator_factors(mat, space)
        if osc:
            j = osc[0]
            raise ModelError(
                f"{label} acts on factor {j} (dimension {dims[j]}) as a harmonic-oscillator "
                f"ladder (entries ∝ √1 … √{dims[j] - 1}, as qutip.destroy/create({dims[j]})); "
                "spinsync solves networks of spins (each factor a spin (d − 1)/2), not "
                "truncated oscillators"
            )
        matrices.append(mat)
    terms = Terms.from_operators(space, matrices[0], matrices[1:])
    return terms, {"dims": [list(dims), list(dims)], "dropped_entries": dropped,
                   "largest_dropped": largest}


# =========================================================================== spinsync → QuTiP
def _qobj(mat: Any, dims: Sequence[int]) -> Any:
    qt = _qutip()
    d = [list(int(x) for x in dims), list(int(x) for x in dims)]
    return qt.Qobj(sp.csr_matrix(mat) if sp.issparse(mat) else np.asarray(mat), dims=d)


def _state_matrix(state: Any) -> tuple[Any, tuple[int, ...]]:
    """A state's matrix (sparse from blocks, never densified) and its local dimensions."""
    from ..states import BlockState, ProductState

    if isinstance(state, BlockState):
        basis = state.basis
        rows, cols, vals = [], [], []
        for (b, c), m in state.blocks.items():
            m = np.asarray(m)
            r, k = np.nonzero(m)
            rows.append(basis.states[b][r])
            cols.append(basis.states[c][k])
            vals.append(m[r, k])
        dim = basis.dim
        if not rows:
            return sp.csr_matrix((dim, dim), dtype=complex), basis.dims
        mat = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                            shape=(dim, dim), dtype=complex)
        return mat, basis.dims
    if isinstance(state, ProductState):
        mat = sp.identity(1, dtype=complex, format="csr")
        for f in state.factors:
            mat = sp.kron(mat, sp.csr_matrix(np.asarray(f)), format="csr")
        return mat, state.dims
    raise TypeError(type(state).__name__)


def to_qutip(obj: Any, dims: Sequence[int] | None = None) -> Any:
    """QuTiP objects of a spinsync model or state.

    Parameters
    ----------
    obj
        A :class:`~spinsync.model.Network` or :class:`~spinsync.operators.Terms` → ``(H,
        c_ops)``; a :class:`~spinsync.states.BlockState`, :class:`~spinsync.states.ProductState`,
        :class:`~spinsync.steady.SteadyStateResult` (its state), or a dense or sparse
        density matrix → a ``Qobj``.
    dims
        Local dimensions of a bare matrix (default: qubits, D = 2ᴺ); ignored otherwise.

    Returns
    -------
    tuple[Qobj, list[Qobj]] or Qobj
        H and the collapse operators √(γ/2)·A of every dissipator, in the order of
        ``terms.jumps``; or the state with dims ``[[d_0, …], [d_0, …]]``.
    """
    from ..operators.terms import Terms
    from ..states import BlockState, ProductState

    model_terms = obj if isinstance(obj, Terms) else getattr(obj, "terms", None)
    if isinstance(model_terms, Terms):
        from ..operators.blocks import block_operators

        space = model_terms.space
        space.require_enumerable("to_qutip")
        from ..resources import check_memory

        check_memory(48.0 * space.dim * (len(model_terms.jumps) + space.n + 2),
                     what=f"the QuTiP operators of {space.n} sites (dimension {space.dim})")
        ops = block_operators(model_terms, "full")
        d = space.dim
        h = _qobj(ops.hamiltonian(0), space.dims)
        c_ops = [_qobj(jb.as_matrix(d, d), space.dims) for jb in ops.jumps_from(0)]
        return h, c_ops
    state = getattr(obj, "state", obj)
    if isinstance(state, (BlockState, ProductState)):
        mat, local = _state_matrix(state)
        return _qobj(mat, local)
    if isinstance(obj, np.ndarray) or sp.issparse(obj):
        from ..states import as_block_state
        from ..operators.basis import BlockBasis

        basis = None if dims is None else BlockBasis.build(Space.of(dims), "full")
        mat, local = _state_matrix(as_block_state(obj, basis))
        return _qobj(mat, local)
    raise ModelError(f"to_qutip: expected a Network, Terms, state or density matrix, got "
                     f"{type(obj).__name__}")


# =========================================================================== steadystate
def steadystate(H: Any, c_ops: Any = None, *, method: Any = "auto", symmetry: str = "auto",
                return_info: bool = False, **options: Any) -> Any:
    """The steady state of H and c_ops (QuTiP operators) by spinsync's engine, as a ``Qobj``.

    Parameters
    ----------
    H
        Hamiltonian ``Qobj`` on a tensor product of spins (module docstring).
    c_ops
        Collapse operators (rates included, as in QuTiP: L = −i[H,·] + Σ D[c]).
    method
        ``"auto"``, ``"direct"``, ``"gmres"`` or an options object
        (:mod:`spinsync.steady.options`); QuTiP's ``eigen``, ``svd``, ``power`` are not
        offered.
    symmetry
        ``"auto"`` (detected) or a weaker one (``"parity"``, ``"none"``).
    return_info
        Also return the info dict (QuTiP 4's side channel).
    **options
        Options of the method (``tol``, ``maxiter``, ``restart`` … for GMRES).

    Returns
    -------
    Qobj or (Qobj, dict)
        ρ_ss with H's dims; ``info`` has ``residual`` (‖L[ρ]‖_F/‖ρ‖_F; also as QuTiP 4's
        ``residual_norm``), ``trace_error``, ``hermiticity_error``, ``min_eigenvalue``,
        ``method``, ``symmetry``, ``solution_time`` (s), ``dropped_entries`` and the
        solver's own details.

    Raises
    ------
    ModelError
        Inputs refused by the rules of the module docstring; a steady state that is not
        unique is refused by the solvers (NumericalError).
    """
    from ..steady import steady_state

    start = time.perf_counter()
    terms, read = _read_operators(H, c_ops)
    result = steady_state(terms, method=method, symmetry=symmetry, **options)
    rho = to_qutip(result.state)
    if not return_info:
        return rho
    c = result.checks
    info = dict(result.info)
    info.update(read)
    info.update({
        "method": result.method, "symmetry": result.symmetry, "residual": result.residual,
        "residual_norm": result.residual, "trace_error": c.trace_error,
        "hermiticity_error": c.hermiticity_error, "min_eigenvalue": c.min_eigenvalue,
        "checks_passed": c.passed, "solution_time": time.perf_counter() - start,
    })
    return rho, info


# =========================================================================== mesolve
@dataclass
class MesolveResult:
    """What :func:`mesolve` returns, shaped like QuTiP's ``Result``.

    Attributes
    ----------
    times
        The output times (list of floats).
    expect
        One array per e_op, in order (real for Hermitian operators).
    e_data
        The same arrays keyed as the e_ops were (indices for a list).
    states
        ρ(t) as ``Qobj`` at every time when stored (``options["store_states"]``, or by
        default when no e_ops are given), else empty.
    final_state
        ρ at the last time when stored (``store_final_state`` or ``store_states``), else None.
    info
        Operator form, integrator, tolerances, symmetry, sector dimensions, applications of
        L (``nfev``), ``max_trace_error``, wall ``time``.
    """

    times: list[float]
    expect: list[NDArray[Any]]
    e_data: dict[Any, NDArray[Any]]
    states: list[Any] = field(default_factory=list)
    final_state: Any = None
    info: dict[str, Any] = field(default_factory=dict)
    solver: str = "spinsync"

    @property
    def stats(self) -> dict[str, Any]:
        """QuTiP's name for :attr:`info`."""
        return self.info


#: QuTiP ``options`` keys that mesolve accepts.
_MESOLVE_OPTIONS = ("rtol", "atol", "max_step", "store_states", "store_final_state", "nsteps",
                    "progress_bar", "normalize_output", "method", "operator", "degree")


def _mesolve_method(options: Any) -> tuple[Any, bool | None, bool]:
    """(evolve options object, store_states, store_final_state) from QuTiP-style options."""
    from ..dynamics.options import Dop853, EvolveOptions, Taylor

    if isinstance(options, EvolveOptions):
        return options, None, False
    opts = dict(options or {})
    unknown = sorted(set(opts) - set(_MESOLVE_OPTIONS))
    if unknown:
        raise ModelError(f"mesolve options {', '.join(map(repr, unknown))}: not supported "
                         f"(accepted: {', '.join(_MESOLVE_OPTIONS)})")
    if opts.get("progress_bar") not in (None, "", False):
        raise ModelError(f"mesolve option progress_bar = {opts['progress_bar']!r}: the library "
                         "prints nothing; use progress_bar='' (or spinsync.evolve's callback)")
    integrator = str(opts.get("method", "taylor")).lower()
    if integrator not in ("taylor", "dop853"):
        raise ModelError(f"mesolve option method = {opts['method']!r}: spinsync integrates with "
                         "'taylor' (default) or 'dop853', not QuTiP's ODE methods")
    common = dict(rtol=float(opts.get("rtol", MESOLVE_RTOL)),
                  atol=float(opts.get("atol", MESOLVE_ATOL)),
                  max_step=float(opts.get("max_step") or np.inf),
                  operator=opts.get("operator", "auto"))
    if integrator == "taylor":
        degree = {"degree": opts["degree"]} if "degree" in opts else {}
        method: EvolveOptions = Taylor(**common, **degree)
    else:
        if "degree" in opts:
            raise ModelError("mesolve option degree: only the 'taylor' integrator has a degree")
        method = Dop853(**common)
    # nsteps (QuTiP's cap on internal steps) and normalize_output have no counterpart:
    # the integrators have no step cap and keep Tr ρ = 1 to rounding.
    return method, opts.get("store_states"), bool(opts.get("store_final_state", False))


def _e_ops_table(e_ops: Any) -> dict[Any, Any]:
    if e_ops is None:
        return {}
    if isinstance(e_ops, Mapping):
        return dict(e_ops)
    if is_qobj(e_ops) or callable(e_ops):
        return {0: e_ops}
    return dict(enumerate(e_ops))


def mesolve(H: Any, rho0: Any, tlist: ArrayLike, c_ops: Any = None, e_ops: Any = None, *,
            args: Mapping[str, Any] | None = None, options: Any = None) -> MesolveResult:
    """ρ(t) of H and c_ops from ``rho0`` (QuTiP's ``mesolve`` arguments), by spinsync's engine.

    Parameters
    ----------
    H, c_ops
        Time-independent QuTiP operators on a tensor product of spins (module docstring).
    rho0
        Initial density matrix or ket, dims as H's.
    tlist
        Output times (strictly increasing, ≥ 0; ρ(0) is the state at t = 0).
    e_ops
        A Qobj, a function ``f(t, state)`` (state as ``Qobj``), or a list or dict of them.
    args
        Must be empty: there are no time-dependent coefficients.
    options
        A dict with QuTiP's keys ``rtol`` (default 1e-6), ``atol`` (1e-8), ``max_step``,
        ``store_states``, ``store_final_state``, ``progress_bar`` (only ``""``/False),
        ``nsteps`` and ``normalize_output`` (accepted, no effect: no step cap, and Tr ρ is
        kept to rounding), ``method`` (``"taylor"``, the default, or ``"dop853"``),
        ``operator`` (``"auto"``, ``"sparse"``, ``"matrix-free"``), ``degree`` (Taylor);
        or a :mod:`spinsync.dynamics.options` object.

    Returns
    -------
    MesolveResult
        ``.times``, ``.expect`` (list of arrays), ``.e_data``, ``.states`` on request,
        ``.final_state``, ``.info``.
    """
    from ..dynamics import evolve
    from ..states import BlockState

    if args:
        raise ModelError("mesolve: args are for time-dependent coefficients, which spinsync "
                         "does not support")
    method, store_states, store_final = _mesolve_method(options)
    terms, read = _read_operators(H, c_ops)
    table = _e_ops_table(e_ops)
    times = np.atleast_1d(np.asarray(tlist, dtype=float))
    keep_states = bool(store_states) or (store_states is None and not table)
    dims = terms.space.dims
    observables: dict[Any, Any] = {}
    for key, op in table.items():
        if is_qobj(op):
            observables[key] = qobj_matrix(op, terms.space, f"e_ops[{key!r}]")
        elif callable(op):
            observables[key] = _TimedCallback(op, times, dims)
        else:
            raise ModelError(f"e_ops[{key!r}]: expected a Qobj or a function f(t, state), got "
                             f"{type(op).__name__}")
    start = time.perf_counter()
    res = evolve(terms, rho0, times, observables=observables, method=method,
                 store_states=keep_states or store_final)
    states: list[Any] = []
    if res.states is not None and keep_states:
        states = [to_qutip(s) for s in res.states]
    final = None
    if res.states:
        final = states[-1] if states else to_qutip(res.states[-1])
    info = dict(res.info)
    info.update(read)
    info["time"] = time.perf_counter() - start
    expect = [np.asarray(res.observables[k]) for k in table]
    return MesolveResult(times=[float(t) for t in res.times], expect=expect,
                         e_data=dict(zip(table, expect)), states=states, final_state=final,
                         info=info)


class _TimedCallback:
    """A QuTiP e_op function f(t, state) as an evolve observable of the state alone.

    evolve calls observables once per output time, in order; the call count gives t.
    """

    def __init__(self, fn: Callable[[float, Any], Any], times: NDArray[np.float64],
                 dims: Sequence[int]) -> None:
        self._fn, self._times, self._dims, self._i = fn, times, dims, 0

    def __call__(self, state: Any) -> Any:
        t = float(self._times[self._i])
        self._i += 1
        return self._fn(t, to_qutip(state))
