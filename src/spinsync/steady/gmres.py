"""Matrix-free steady states: right-preconditioned GMRES on the symmetry sector.

The steady state ρ solves L[ρ] = 0 with Tr ρ = 1 in the sector of diagonal block pairs of
the symmetry the model's terms keep (U(1) or parity blocks; with none, the whole space —
still matrix-free, with the same preconditioner). We solve

    (L + s·t tᵀ) x = s·t,        t = vec(I) (so tᵀx = Tr x)

— a rank-one *deflation*: tᵀL = 0 (L preserves the trace) and the kernel of L is one-
dimensional (unique steady state), so L + s t tᵀ is non-singular and its solution is the
steady state with Tr = 1. The scale s = 1/tᵀM t makes the added direction an eigenvalue
≈ 1 of the preconditioned operator, like the rest of its spectrum.

Unknowns are the real coordinates Y = Re ρ + Im ρ of the Hermitian blocks
(:class:`~spinsync.liouvillian.matrixfree.HermitianBlockLiouvillian`): real arithmetic, half the
memory of complex vectors, and the same Krylov iterates (GMRES's optimum over complex
combinations of Hermitian vectors is real, since ‖H₁ + iH₂‖² = ‖H₁‖² + ‖H₂‖²).

The preconditioner is built on the exact inverse L_nj⁻¹ of the no-jump Liouvillian
(:class:`~spinsync.liouvillian.nojump.NoJumpInverse`, block Jacobi over the sector's pairs).
By default it is the block Gauss–Seidel sweep M = (L_nj + J_→)⁻¹, which also inverts the
jumps from each pair to the later ones (:class:`~spinsync.liouvillian.gauss_seidel.BlockGaussSeidel`):
same cost per application, ~40 % fewer iterations than L_nj⁻¹ alone (a few dozen for
N = 6–14 and U/Γ from 0.1 to 80).

Residual: GMRES's residual r = b − A x has the orthogonal parts −L x (range of L ⊥ t) and
s t (1 − tᵀx), so ‖L x‖ ≤ ‖r‖. The solver stops on ‖r‖ ≤ ½·tol·‖x‖ and then checks the
true ‖L[ρ]‖_F/‖ρ‖_F with the matrix-free L, iterating on if needed.

Uniqueness: a second zero mode makes L + s t tᵀ singular, and GMRES would still converge —
to a state that depends on where it started. When uniqueness is certified neither by the
sites' own jumps (:mod:`spinsync.steady.uniqueness`) nor by irreducibility
(:mod:`spinsync.steady.irreducibility`: a boundary-driven chain), the solve is repeated from a
random state and the two results compared (:data:`UNIQUENESS_RTOL`); they differ by O(1)
when the kernel is degenerate.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from ..backend import BackendName, get_backend
from ..errors import ConvergenceError, ModelError, NumericalError
from ..liouvillian.gauss_seidel import BlockGaussSeidel
from ..liouvillian.matrixfree import HermitianBlockLiouvillian, uses_kernels
from ..liouvillian.nojump import NoJumpInverse
from ..liouvillian.sector import OperatorSector
from ..resources import MEMORY_FRACTION, available_memory, check_memory, format_bytes
from ..states import BlockState
from .analytic import nogo_conditions_hold, product_state
from .checks import check_state
from .krylov import gmres_right
from .options import PRECONDITIONERS
from .plan import Plan, make_plan
from .results import SteadyStateResult
from .irreducibility import certify_irreducible
from .uniqueness import certified_unique

__all__ = ["solve_gmres", "gmres_memory_estimate", "DEFAULT_TOL", "DEFAULT_RESTART",
           "UNIQUENESS_RTOL"]

#: Target of ‖L[ρ]‖_F/‖ρ‖_F (the issue's accuracy requirement).
DEFAULT_TOL = 1e-10
#: Krylov dimension per cycle. Observed iteration counts are 35–60, so one cycle usually
#: suffices; the memory cap below lowers it for N ≥ 14.
DEFAULT_RESTART = 80
#: Fewest Krylov vectors we accept before refusing for lack of memory.
MIN_RESTART = 10
#: The restart is chosen so that the planned peak stays below this fraction of the
#: machine's total memory (and of 80 % of what is available now): a solve that leaves
#: room to the system and page cache does not thrash. The plan leaves out ~1 GB at N = 14
#: (interpreter, H blocks, factorization work arrays: measured VmHWM 6.45 GB with 5 Krylov
#: vectors against 5.45 GB planned), so 0.58 of 23.5 GiB keeps that solve's peak near 15 GB,
#: under the 16 GB of the speed issue's target (restart 32; N ≤ 13 keep restart 80).
PEAK_TOTAL_FRACTION = 0.58

#: Real sector-sized work vectors besides the Krylov basis (x, b, the trace vector, L·M's
#: temporaries, Arnoldi's w, the true-residual check).
WORK_VECTORS = 10
#: Stop GMRES at this fraction of tol: the Arnoldi estimate and the true residual differ
#: by rounding, and the final normalization changes ‖x‖ slightly.
SAFETY = 0.5
#: Two solves from different starting states that differ by more than this (relative
#: Frobenius norm) reveal a second zero mode. Unique steady states agree to about
#: tol/(smallest relaxation rate), far below it for tol = 1e-10.
UNIQUENESS_RTOL = 1e-6


#: Plain GMRES with a single-precision preconditioner ends each cycle once its residual
#: estimate has fallen by this factor, then restarts from the true residual: the update
#: x₀ + M(V y) misses the estimate by M's rounding (~1e-7–1e-6 relative), so running a cycle
#: on costs iterations for nothing. Measured with restart 80 on all-to-all N = 11 / 12:
#: 50 / ~50 iterations without (the last cycle repeats the work), 30 / 31 with; spin-1
#: Roulet–Bruder n = 6: 31 (1e-4: 34). A cycle then uses ~17 Krylov vectors, and only the
#: vectors written are ever backed by memory.
PLAIN_CYCLE_RTOL = 1e-5


class _Breakdown(Exception):
    """The iterate became non-finite or traceless (a singular system)."""


def gmres_memory_estimate(sector_dim: int, restart: int, itemsize: int = 8,
                          factor_bytes: float = 32.0, jump_entries: float = 0.0) -> float:
    """Peak bytes: Krylov basis (``restart`` + 1 vectors; pass 2·restart for FGMRES) +
    eigenvector factors (four real n² per block, 4 or 8 bytes each: ``factor_bytes``·dim) +
    :data:`WORK_VECTORS` real work vectors + the monomial jumps' sparse matrix (12 bytes per
    entry, :class:`~spinsync.liouvillian.matrixfree.BlockLiouvillian`)."""
    return (itemsize * sector_dim * (restart + 1) + factor_bytes * sector_dim
            + 8.0 * WORK_VECTORS * sector_dim + 12.0 * jump_entries)


def _jump_entries(plan: Plan, backend: Any) -> float:
    """Estimated entries of the jump matrix: each local monomial jump moves about a quarter
    of the steady sector's entries (measured 0.26·dim per jump at N = 11). None for large
    sectors on the CPU, where the compiled gather–scatter needs no matrix
    (:func:`uses_kernels`)."""
    if uses_kernels(backend, plan.sector_dim):
        return 0.0
    monomial = sum(1 for j in plan.terms.jumps if j.operator.is_monomial)
    return 0.27 * monomial * plan.sector_dim


def _restart_for(plan: Plan, requested: int | None, vectors_per_step: int,
                 factor_bytes: float, backend: Any) -> int:
    """The restart: ``requested``, or the default lowered until basis + everything else fits."""
    dim = plan.sector_dim
    if requested is not None:
        return int(requested)
    import psutil

    other = gmres_memory_estimate(dim, -1, factor_bytes=factor_bytes,
                                  jump_entries=_jump_entries(plan, backend))
    budget = min(MEMORY_FRACTION * available_memory(),
                 PEAK_TOTAL_FRACTION * psutil.virtual_memory().total)
    usable = budget - other
    fit = int(usable // (8 * dim * vectors_per_step)) - 1
    return max(MIN_RESTART, min(DEFAULT_RESTART, fit))


def initial_guess(plan: Plan, sector: OperatorSector) -> np.ndarray:
    """Real block coordinates of a trace-1 starting state: ρ₀ when it exists and fits the
    blocks (the exact answer without interactions), else the maximally mixed state."""
    basis = sector.basis
    y = np.zeros(sector.dim)
    rho0 = product_state(plan.model)
    if rho0 is not None and rho0.respects(basis.kind):
        blocks = rho0.to_blocks(basis).blocks
        for p, (b, _) in enumerate(sector.pairs):
            blk = blocks[(b, b)]
            y[int(sector.offsets[p]) : int(sector.offsets[p + 1])] = (blk.real + blk.imag).ravel()
        return y
    sizes = basis.sizes
    for p, (b, _) in enumerate(sector.pairs):
        n = sizes[b]
        y[int(sector.offsets[p]) + np.arange(n) * (n + 1)] = 1.0 / basis.dim
    return y


def _random_start(sector: OperatorSector, seed: int = 12345) -> np.ndarray:
    """A random Hermitian positive trace-1 state in real block coordinates (for the check)."""
    rng = np.random.default_rng(seed)
    sizes = sector.basis.sizes
    y = np.zeros(sector.dim)
    for p, (b, _) in enumerate(sector.pairs):
        n = sizes[b]
        g = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
        blk = g @ g.conj().T
        y[int(sector.offsets[p]) : int(sector.offsets[p + 1])] = (blk.real + blk.imag).ravel()
    return y / y[_diagonal_index(sector)].sum()


def _diagonal_index(sector: OperatorSector) -> np.ndarray:
    return np.flatnonzero(sector.trace_vector())


def solve_gmres(
    network: Any,
    tol: float = DEFAULT_TOL,
    maxiter: int = 500,
    restart: int | None = None,
    callback: Callable[[int, float], None] | None = None,
    backend: BackendName = "numpy",
    *,
    precision: str = "auto",
    preconditioner: str = "auto",
    symmetry: str = "auto",
    plan: Plan | None = None,
) -> SteadyStateResult:
    """Steady state by preconditioned GMRES on the symmetry sector (matrix-free).

    Parameters
    ----------
    network
        The model (a :class:`~spinsync.model.Network` or compiled terms); memory
        ~ 8·(restart + 10)·Σ_b n_b² bytes for the sector of its symmetry.
    tol
        Target relative residual ‖L[ρ]‖_F/‖ρ‖_F (dimensionless).
    maxiter
        Largest number of GMRES iterations (applications of L·M), all cycles together.
    restart
        Krylov vectors per cycle; default :data:`DEFAULT_RESTART`, lowered to fit memory.
    callback
        ``callback(iteration, residual)`` after each iteration; ``residual`` estimates
        ‖L[ρ]‖/‖ρ‖ (compare with ``tol``). For progress bars; the library prints nothing.
    backend
        ``"numpy"`` (default), ``"cupy"`` or ``"auto"``.
    precision
        Arithmetic of the preconditioner: ``"auto"`` (single precision on well-conditioned
        blocks, :data:`~spinsync.liouvillian.nojump.SINGLE_COND_LIMIT`), ``"single"`` or
        ``"double"``. The Krylov vectors, L and the residual check are always double, so
        the result meets ``tol`` either way.
    preconditioner
        ``"auto"`` (default), ``"gauss-seidel"`` (block Gauss–Seidel over the sector's
        pairs, :class:`~spinsync.liouvillian.gauss_seidel.BlockGaussSeidel`; needs real jump
        maps) or ``"no-jump"`` (L_nj⁻¹ alone, block Jacobi). Both have the same cost per
        iteration and memory; Gauss–Seidel takes ~40 % fewer iterations.
    symmetry
        ``"auto"`` (detected from the terms) or a weaker one.

    Returns
    -------
    SteadyStateResult
        ``info`` has ``iterations``, ``residual_history`` (per-iteration estimates of
        ‖L[ρ]‖/‖ρ‖), ``time`` and ``setup_time`` (s), ``sector``, ``sector_dim``,
        ``restart``, ``cycles``, ``reorthogonalized`` (Arnoldi steps that took a second
        Gram–Schmidt pass), ``backend``, ``preconditioner`` (its ``kind`` and the
        factorization stats), ``liouvillian_time`` / ``preconditioner_time`` (s spent
        applying L and M) and
        ``uniqueness`` (``"certified"`` or ``"checked"``, with ``uniqueness_difference``),
        ``uniqueness_certificate`` (``"local jumps"``, ``"irreducible"`` or None) and, when the
        irreducibility test ran, ``irreducibility`` (its one-line outcome) and
        ``irreducibility_time`` (s).

    Raises
    ------
    ConvergenceError
        The true residual is above ``tol`` after ``maxiter`` iterations.
    NumericalError
        Two solves from different starting states disagree: the steady state is not unique.
    MemoryLimitError
        The Krylov basis with ``MIN_RESTART`` vectors would not fit.
    """
    start = time.perf_counter()
    if preconditioner not in PRECONDITIONERS:
        raise ModelError(f"preconditioner = {preconditioner!r}: expected "
                         f"{', '.join(PRECONDITIONERS)}")
    be = get_backend(backend)
    xp = be.xp
    if plan is None:
        plan = make_plan(network, symmetry)
    dim = plan.sector_dim
    # A single-precision preconditioner is not exactly linear: flexible GMRES keeps the
    # iteration count of the exact one for a second basis of vectors, used when it fits.
    flexible = precision != "double"
    factor_bytes = 16.0 if precision != "double" else 32.0
    m = _restart_for(plan, restart, 2 if flexible else 1, factor_bytes, be)
    if flexible and restart is None and m < DEFAULT_RESTART:
        # Not enough memory for both bases at the full restart: plain GMRES with the
        # larger restart, whose cycles stop at PLAIN_CYCLE_RTOL, converges in as few or
        # fewer iterations than FGMRES with half of it (measured with Gauss–Seidel: 30–31
        # against 30 on all-to-all N = 11–12, 65 against 73 on the N = 10 chain).
        flexible = False
        m = _restart_for(plan, restart, 1, factor_bytes, be)
    need = gmres_memory_estimate(dim, m * (2 if flexible else 1), factor_bytes=factor_bytes,
                                 jump_entries=_jump_entries(plan, be))
    from ..resources import MEMORY_FRACTION as _fraction

    hopeless = gmres_memory_estimate(dim, MIN_RESTART) > _fraction * available_memory()
    check_memory(
        need,
        what=f"GMRES ({plan.n} sites, sector dimension {dim}, restart {m})",
        alternatives=("the exact engine cannot hold this sector at all: use a smaller network, "
                      "or a method for networks beyond exact reach (--method permutation for "
                      "groups of identical sites, --method cumulant)" if hopeless else
                      "use a smaller restart (--restart), a smaller network, or a machine with "
                      "more memory"),
    )
    sector = plan.sector()
    terms = plan.terms
    liouv = HermitianBlockLiouvillian(terms, sector, backend=be)
    if preconditioner == "gauss-seidel" and not liouv.jumps_real:
        raise ModelError("preconditioner = 'gauss-seidel' needs real jump maps (this model's "
                         "are complex); use 'auto' or 'no-jump'")
    no_jump = NoJumpInverse(terms, sector, backend=be, precision=precision, routes=("real",))
    use_gs = preconditioner == "gauss-seidel" or (
        preconditioner == "auto" and liouv.jumps_real and liouv.has_forward_jumps)
    precond = BlockGaussSeidel(liouv, no_jump) if use_gs else no_jump
    t = be.asarray(sector.trace_vector())
    # s = 1/tᵀMt puts the deflated direction's eigenvalue of A·M near 1. For L_nj⁻¹,
    # tᵀMt = Tr L_nj⁻¹[I] < 0; for the sweep it is a sum of such terms, and should it
    # vanish the no-jump value serves (any s ≠ 0 makes A non-singular).
    tmt = float(xp.dot(t, precond.apply_real(t)))
    if use_gs and not (np.isfinite(tmt) and tmt != 0.0):
        tmt = float(xp.dot(t, no_jump.apply_real(t)))
    scale = 1.0 / tmt

    timers = {"liouvillian_time": 0.0, "preconditioner_time": 0.0}

    def apply_a(y: Any) -> Any:
        t0 = time.perf_counter()
        out = liouv.matvec(y)
        out += (scale * float(xp.dot(t, y))) * t
        timers["liouvillian_time"] += time.perf_counter() - t0
        return out

    def apply_m(y: Any) -> Any:
        t0 = time.perf_counter()
        out = precond.apply_real(y)
        timers["preconditioner_time"] += time.perf_counter() - t0
        return out

    b = scale * t
    single = no_jump.info.get("single_precision_blocks", 0) > 0
    cycle_rtol = PLAIN_CYCLE_RTOL if single and not flexible else 0.0
    setup_time = time.perf_counter() - start
    history: list[float] = []
    counters = {"iterations": 0, "cycles": 0, "reorthogonalized": 0}

    def solve_from(x: Any, report_progress: bool) -> tuple[Any, float]:
        tighten = 1.0
        while True:
            norm_x = float(xp.linalg.norm(x))
            atol = SAFETY * tol * norm_x * tighten

            def report(it: int, res: float, _n: float = norm_x) -> None:
                rel = res / _n
                if report_progress:
                    history.append(rel)
                if callback is not None:
                    callback(it, rel)

            out = gmres_right(
                apply_a, apply_m, b, x, atol=atol, restart=m, maxiter=maxiter,
                xp=xp, callback=report, start_iteration=counters["iterations"],
                flexible=flexible, cycle_rtol=cycle_rtol,
            )
            x = out.x
            counters["iterations"] += out.iterations
            counters["cycles"] += out.cycles
            counters["reorthogonalized"] += out.reorthogonalized
            trace = float(xp.dot(t, x))
            if not (np.isfinite(trace) and trace != 0.0 and bool(xp.all(xp.isfinite(x)))):
                raise _Breakdown()
            rho = x / trace
            residual = float(xp.linalg.norm(liouv.matvec(rho)) / xp.linalg.norm(rho))
            if residual <= tol:
                return rho, residual
            if counters["iterations"] >= maxiter or (out.iterations == 0 and tighten < 1e-4):
                last = history[-1] if history else residual
                raise ConvergenceError(
                    f"GMRES did not reach ‖L[ρ]‖/‖ρ‖ ≤ {tol:.1e} within maxiter = {maxiter} "
                    f"iterations (true residual {residual:.2e}, last estimate {last:.2e}, "
                    f"restart {m}); try a larger maxiter (--maxiter) or restart (--restart), "
                    "a looser tol (--tol), or --method direct for small networks"
                )
            # The Arnoldi estimate met the target but the true residual did not
            # (rounding): ask GMRES for more.
            tighten *= 0.1

    try:
        rho, residual = solve_from(be.asarray(initial_guess(plan, sector)), True)
    except _Breakdown:
        if precision == "double":
            raise NumericalError(
                "GMRES broke down (the iterate lost its trace or became non-finite): the "
                "Liouvillian is numerically singular — the steady state is not unique, or a "
                "rate is many orders below the others"
            ) from None
        # A single-precision preconditioner can overflow where L_nj is (nearly) singular
        # (dark states): start again in double, which is exact there.
        return solve_gmres(network, tol, maxiter, restart, callback, backend,
                           precision="double", preconditioner=preconditioner,
                           symmetry=symmetry, plan=plan)
    first_iterations = counters["iterations"]
    certificate = "local jumps" if certified_unique(terms) else None
    info_unique: dict[str, Any] = {}
    if certificate is None:
        # Cheaper than a second solve wherever it is attempted (seconds at N = 12). It must
        # never cost the solve: any failure inside it (a defective Y, memory) only means
        # "not certified", and the second start decides.
        t_cert = time.perf_counter()
        try:
            report = certify_irreducible(terms)
            info_unique["irreducibility"] = report.reason
            certified_now = report.irreducible is True
        except (np.linalg.LinAlgError, MemoryError, ValueError) as exc:
            info_unique["irreducibility"] = f"not attempted: {type(exc).__name__}: {exc}"
            certified_now = False
        info_unique["irreducibility_time"] = time.perf_counter() - t_cert
        if certified_now:
            certificate = "irreducible"
    info_unique["uniqueness"] = "checked" if certificate is None else "certified"
    info_unique["uniqueness_certificate"] = certificate
    if certificate is None:
        try:
            other, _ = solve_from(be.asarray(_random_start(sector)), False)
        except _Breakdown:
            raise NumericalError(
                "the steady state is not unique: GMRES from a second starting state broke "
                "down (the Liouvillian is singular beyond the trace)"
            ) from None
        diff = float(xp.linalg.norm(other - rho) / xp.linalg.norm(rho))
        info_unique["uniqueness_difference"] = diff
        if not diff <= UNIQUENESS_RTOL:
            raise NumericalError(
                "the steady state is not unique: GMRES from two starting states converged "
                f"to states {diff:.1e} apart (relative); the model conserves something its "
                "dissipation does not fix"
            )

    rho_host = be.to_host(liouv.to_complex(rho))
    blocks = sector.split(rho_host)
    state = BlockState(sector.basis, {pair: blk.copy() for pair, blk in blocks.items()})
    return SteadyStateResult(
        state=state,
        network=network,
        method="gmres",
        residual=residual,
        checks=check_state(state),
        nogo=nogo_conditions_hold(network),
        info={
            "time": time.perf_counter() - start,
            "setup_time": setup_time,
            "iterations": first_iterations,
            "total_iterations": counters["iterations"],
            "cycles": counters["cycles"],
            "reorthogonalized": counters["reorthogonalized"],
            "residual_history": history,
            "sector": sector.basis.kind,
            "sector_dim": dim,
            "restart": m,
            "flexible": flexible,
            "cycle_rtol": cycle_rtol,
            "tol": tol,
            "backend": be.name,
            "memory_estimate": format_bytes(need),
            "preconditioner": dict(precond.info),
            "hamiltonian_storage": liouv.storage,
            **info_unique,
            **timers,
        },
        symmetry=plan.symmetry,
    )
