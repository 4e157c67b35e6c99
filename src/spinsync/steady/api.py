"""``steady_state(model)``: the unique steady state, by the best exact method.

``method="auto"`` picks

1. ``analytic`` when the product state ρ₀ of the local steady states solves L[ρ₀] = 0 —
   decided from its exact closed-form residual (:mod:`spinsync.steady.analytic`), any N, no
   4ᴺ object;
2. ``direct``: sparse LU on the steady sector of the symmetry the terms keep (U(1): pairs of
   equal down count; parity; none: the whole space) when the sector has at most
   :data:`DIRECT_MAX_DIM` entries;
3. ``gmres``: matrix-free preconditioned GMRES otherwise — unless the network has groups
   of interchangeable qubits and the sector is beyond the exact engine's reach
   (N ≥ 14), where ``permutation`` (exact, Dicke representation) is used.

``cumulant`` (approximate: mean field or pair cumulants) is never chosen by ``auto``.

Before any work: the model is refused when a site can certainly not reach a unique steady
state (:mod:`spinsync.steady.uniqueness`), and each method's memory is estimated from the
sizes of the symmetry blocks alone (:mod:`spinsync.steady.plan`).
"""

from __future__ import annotations

import inspect
import time
from typing import Any, Callable

from ..errors import ModelError
from .analytic import nogo_conditions_hold, product_residual, product_state, product_state_is_steady
from .checks import check_state, checked
from .direct import solve_direct
from .gmres import solve_gmres
from .cumulant import solve_cumulant
from .options import SteadyOptions, options_for_choice, resolve_options
from .permutation import prefer_permutation, solve_permutation
from .plan import make_plan, terms_of
from .results import SteadyStateResult
from .uniqueness import certified_unique, check_uniqueness

__all__ = ["steady_state", "choose_method", "solve_analytic", "METHODS", "register_method",
           "DIRECT_MAX_DIM"]

Solver = Callable[..., SteadyStateResult]
METHODS: dict[str, Solver] = {}


def register_method(name: str) -> Callable[[Solver], Solver]:
    """Decorator: make a solver available as ``steady_state(method=name)``."""

    def deco(fn: Solver) -> Solver:
        METHODS[name] = fn
        return fn

    return deco


#: ``auto`` uses the sparse direct solve up to this sector dimension, GMRES above.
#: Measured on the idle 2-core machine (all-to-all, U = 2 and 80; XYZ at N = 5):
#:   sector dim   252 (N=5)  512 (XYZ N=5)  924 (N=6)  3432 (N=7)  12870 (N=8)
#:   direct       0.019 s    0.027 s        0.10 s     2.8 s       ≈130 s
#:   gmres        0.013 s    0.007 s        0.02 s     0.04 s      0.10 s
#: Up to N = 6 (XXZ) both are well under a second; there the direct LU is kept — it is the
#: reference solver, needs no iteration budget, and the CLI contract (fig1c example)
#: reports it. From N = 7 on GMRES is 70× (N = 7) to 1000× (N = 8) faster.
DIRECT_MAX_DIM = 1000


def steady_state(model: Any, method: str | SteadyOptions = "auto", *, symmetry: str = "auto",
                 **options: object) -> SteadyStateResult:
    """The unique steady state of ``model``.

    Parameters
    ----------
    model
        A :class:`~spinsync.model.Network` (or compiled :class:`~spinsync.operators.Terms`).
    method
        ``"auto"`` (default), ``"analytic"``, ``"direct"``, ``"gmres"``,
        ``"permutation"`` (exact, groups of identical qubits), ``"cumulant"`` (approximate:
        mean field or pair cumulants; ``result.approximate`` is True) or another registered
        method (see :data:`METHODS`), or an options object that names one
        (:mod:`spinsync.steady.options`: ``Gmres(tol=1e-12)``, ``Direct()``, ``Analytic()``,
        ``Permutation()``, ``Cumulant(order=1)``).
    symmetry
        ``"auto"`` (the symmetry detected from the terms: ``"u1"``, ``"parity"`` or
        ``"none"``) or a weaker one to force a larger sector (e.g. ``"none"``: the full
        space, for cross-checks).
    **options
        Passed to the method (``tol``, ``maxiter``, ``restart``, ``callback``, ``backend``
        for ``gmres``; ``tol``, ``maxiter`` for ``permutation``; ``order``, ``tol``,
        ``max_steps``, ``restart`` for ``cumulant``), checked by its options object. With
        ``auto`` they go to the method it chooses when that one takes them
        (``info["unused_options"]`` lists the others); only an option no candidate takes is
        refused.

    Returns
    -------
    SteadyStateResult
        Checked for trace 1, Hermiticity and positivity within ``CHECK_TOLERANCE``
        (approximate results report their checks instead); ``result.symmetry`` says which
        symmetry the solve used.

    Raises
    ------
    ModelError
        Unknown method or symmetry, ``analytic`` when ρ₀ is not the steady state, an
        option the method does not take, or a model whose steady state is certainly not
        unique (a site without dissipation and no flip bond to one).
    MemoryLimitError
        When the method would exceed the machine's memory (raised before allocating).
    NumericalError
        When the result fails its checks, or a second zero mode is found.
    """
    method, options = resolve_options(method, options)  # typed options (steady/options.py)
    public = [name for name in METHODS if not name.startswith("_")]
    if method != "auto" and method not in public:
        raise ModelError(f"method = {method!r}: expected auto or one of {', '.join(public)}")
    terms = terms_of(model)
    check_uniqueness(terms)
    plan = make_plan(model, symmetry)
    unused: list[str] = []
    if method == "auto":
        method = _choose(model, plan, symmetry)
        options, unused = options_for_choice(method, options)
    solver = METHODS[method]
    if "plan" in inspect.signature(solver).parameters:
        result = checked(solver(model, plan=plan, **options))
    else:
        result = checked(solver(model, **options))
    if unused:
        result.info["unused_options"] = unused
    return result


def choose_method(model: Any, symmetry: str = "auto") -> str:
    """The method ``auto`` would use: analytic if ρ₀ is steady, else the best exact solver."""
    check_uniqueness(terms_of(model))
    return _choose(model, make_plan(model, symmetry), symmetry)


def _choose(model: Any, plan: Any, symmetry: str) -> str:
    """Analytic when ρ₀ is steady and the steady state is certainly unique; otherwise an exact
    solver, which also checks uniqueness (GMRES starts from ρ₀ when it is steady, so that
    costs one solve: the check from a second start). Only when no exact solver fits is an
    uncertified ρ₀ returned, and then its result says that uniqueness was not verified."""
    steady_rho0 = symmetry in ("auto", None) and product_state_is_steady(model)
    if steady_rho0 and certified_unique(plan.terms):
        return "analytic"  # before the group detection below, which costs O(N²) bonds
    if plan.sector_dim <= DIRECT_MAX_DIM:
        numeric = "direct"
    else:
        numeric = "permutation" if prefer_permutation(model, plan) else "gmres"
    if steady_rho0 and not _fits(numeric, plan):
        return "analytic"
    return numeric


def _fits(method: str, plan: Any) -> bool:
    """Whether ``method`` would pass its memory check for this plan."""
    from ..resources import MEMORY_FRACTION, available_memory
    from .direct import direct_memory_estimate
    from .gmres import MIN_RESTART, gmres_memory_estimate

    dim = plan.sector_dim
    if method == "permutation":  # its representation is polynomial in N; it checks itself
        return True
    if method == "direct":
        need = direct_memory_estimate(dim, dim * plan.nnz_per_row())
    else:
        need = gmres_memory_estimate(dim, MIN_RESTART)
    return need <= MEMORY_FRACTION * available_memory()


@register_method("analytic")
def solve_analytic(model: Any) -> SteadyStateResult:
    """ρ₀ in closed form; valid when its exact residual vanishes (no-go conditions and more)."""
    start = time.perf_counter()
    if not product_state_is_steady(model):
        raise ModelError(
            "method = 'analytic': the product state ρ₀ is not steady for this model "
            "(for qubits: magnetizations differ across a bond, or Uˣ ≠ Uʸ with "
            "m_j + m_k ≠ 0; drives and collective channels usually break it too); "
            "use --method auto or direct"
        )
    state = product_state(model)
    terms = terms_of(model)
    certified = certified_unique(terms)
    info: dict[str, Any] = {
        "time": time.perf_counter() - start,
        "reason": "L[ρ₀] = 0 (exact residual)",
        "uniqueness": "certified" if certified else "not verified",
    }
    if not certified:
        info["warning"] = ("ρ₀ is a steady state, but uniqueness is not certified for this "
                           "model and was not checked (no exact solver fits); another steady "
                           "state may exist")
    return SteadyStateResult(
        state=state,
        network=model,
        method="analytic",
        residual=product_residual(model),
        checks=check_state(state),
        nogo=nogo_conditions_hold(model),
        info=info,
        symmetry=terms.symmetry,
    )


register_method("direct")(solve_direct)
register_method("gmres")(solve_gmres)
register_method("permutation")(solve_permutation)
register_method("cumulant")(solve_cumulant)
