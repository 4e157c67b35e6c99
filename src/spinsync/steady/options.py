"""Typed options of the steady-state methods: one small frozen object per method.

``steady_state(net, method=Gmres(tol=1e-12, restart=40))`` and
``steady_state(net, "gmres", tol=1e-12, restart=40)`` are the same call: a string names the
method and keywords fill its options object, which checks every value when it is built (a
negative ``tol`` or ``restart=0`` is refused at once, naming the field and the value).

With ``method="auto"`` the keywords are checked against every method ``auto`` may pick
(:data:`AUTO_CANDIDATES`): a keyword that no candidate takes is refused; the others are
handed to the method ``auto`` chooses when it takes them and are otherwise unused —
``steady_state(net, tol=1e-8)`` applies ``tol`` when ``auto`` picks GMRES and ignores it
for the direct LU, which is exact to rounding; the result's ``info["unused_options"]``
then lists ``tol``.

Methods registered later (:func:`~spinsync.steady.register_method`) may add their options
class with :func:`register_options`.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields
from typing import Any, Callable, ClassVar

from ..errors import ModelError

__all__ = ["SteadyOptions", "Analytic", "Direct", "Gmres", "Permutation", "Cumulant",
           "OPTION_CLASSES", "AUTO_CANDIDATES", "PRECONDITIONERS", "register_options",
           "resolve_options", "options_for_choice"]

#: The methods ``method="auto"`` chooses from (see :func:`spinsync.steady.api._choose`);
#: never ``cumulant``, which is approximate.
AUTO_CANDIDATES: tuple[str, ...] = ("analytic", "direct", "gmres", "permutation")

#: GMRES's preconditioners (:func:`~spinsync.steady.gmres.solve_gmres`): ``"auto"`` is
#: Gauss–Seidel wherever a jump leads from one block pair to a later one and the jump maps
#: are real, else the no-jump inverse.
PRECONDITIONERS: tuple[str, ...] = ("auto", "gauss-seidel", "no-jump")


@dataclass(frozen=True)
class SteadyOptions:
    """Base of the per-method options objects (``name`` is the method they select)."""

    name: ClassVar[str] = ""

    def keywords(self) -> dict[str, Any]:
        """The options set (not None), as keywords of the method's solver function; the
        solver's own defaults apply to the others."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class Analytic(SteadyOptions):
    """The closed-form product state ρ₀ (valid when its exact residual vanishes); no options."""

    name: ClassVar[str] = "analytic"


@dataclass(frozen=True)
class Direct(SteadyOptions):
    """Sparse LU on the symmetry sector (exact to rounding); no options."""

    name: ClassVar[str] = "direct"


@dataclass(frozen=True)
class Gmres(SteadyOptions):
    """Matrix-free preconditioned GMRES on the symmetry sector.

    Every field left None takes the solver's default
    (:func:`~spinsync.steady.gmres.solve_gmres`: tol 1e-10, maxiter 500, restart 80 lowered
    to fit memory, backend numpy, no callback).

    Parameters
    ----------
    tol
        Target relative residual ‖L[ρ]‖_F/‖ρ‖_F, in (0, 1).
    maxiter
        Largest number of GMRES iterations, all cycles together (≥ 1).
    restart
        Krylov vectors per cycle (≥ 1).
    backend
        ``"numpy"``, ``"cupy"`` or ``"auto"``.
    callback
        ``callback(iteration, residual)`` after each iteration.
    preconditioner
        ``"auto"``, ``"gauss-seidel"`` or ``"no-jump"`` (:data:`PRECONDITIONERS`).
    """

    name: ClassVar[str] = "gmres"
    tol: float | None = None
    maxiter: int | None = None
    restart: int | None = None
    backend: str | None = None
    callback: Callable[[int, float], None] | None = None
    preconditioner: str | None = None

    def __post_init__(self) -> None:
        if self.tol is not None:
            _check_fraction("tol", self.tol)
        if self.maxiter is not None:
            _check_count("maxiter", self.maxiter)
        if self.restart is not None:
            _check_count("restart", self.restart)
        if self.backend is not None and self.backend not in ("numpy", "cupy", "auto"):
            raise ModelError(f"backend = {self.backend!r}: expected numpy, cupy or auto")
        if self.preconditioner is not None and self.preconditioner not in PRECONDITIONERS:
            raise ModelError(f"preconditioner = {self.preconditioner!r}: expected "
                             f"{', '.join(PRECONDITIONERS)}")
        if self.callback is not None and not callable(self.callback):
            raise ModelError(f"callback = {self.callback!r}: expected a function "
                             "callback(iteration, residual) or None")


@dataclass(frozen=True)
class Permutation(SteadyOptions):
    """Exact solve in the Dicke representation of groups of identical qubits.

    Parameters
    ----------
    tol
        Only when a term changes the charge (drives, Uˣ ≠ Uʸ): GMRES stops at
        ‖𝓛x‖₂/‖x‖₂ ≤ tol, in (0, 1) (default 1e-13).
    maxiter
        Largest number of those GMRES iterations (≥ 1, default 2000).
    """

    name: ClassVar[str] = "permutation"
    tol: float | None = None
    maxiter: int | None = None

    def __post_init__(self) -> None:
        if self.tol is not None:
            _check_fraction("tol", self.tol)
        if self.maxiter is not None:
            _check_count("maxiter", self.maxiter)


@dataclass(frozen=True)
class Cumulant(SteadyOptions):
    """Approximate steady state of the closed moment equations (results are labelled
    approximate).

    Parameters
    ----------
    order
        1 (mean field) or 2 (pair cumulants, the default).
    tol
        Stop when max|dx/dt| ≤ tol × the model's rate scale, in (0, 1).
    max_steps
        Most pseudo-time steps (≥ 1).
    restart
        Krylov vectors of each Newton–GMRES solve (≥ 1).
    """

    name: ClassVar[str] = "cumulant"
    order: int | None = None
    tol: float | None = None
    max_steps: int | None = None
    restart: int | None = None

    def __post_init__(self) -> None:
        if self.order is not None and (isinstance(self.order, bool) or self.order not in (1, 2)):
            raise ModelError(f"order = {self.order!r}: expected 1 (mean field) or 2 (pairs)")
        if self.tol is not None:
            _check_fraction("tol", self.tol)
        for field in ("max_steps", "restart"):
            if getattr(self, field) is not None:
                _check_count(field, getattr(self, field))


#: Method name → its options class.
OPTION_CLASSES: dict[str, type[SteadyOptions]] = {
    cls.name: cls for cls in (Analytic, Direct, Gmres, Permutation, Cumulant)
}


def register_options(cls: type[SteadyOptions]) -> type[SteadyOptions]:
    """Make ``cls`` the options class of the method ``cls.name`` (usable as a decorator)."""
    if not cls.name:
        raise ValueError(f"{cls.__name__}.name: the method it selects must be set")
    OPTION_CLASSES[cls.name] = cls
    return cls


def _check_fraction(field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
            math.isfinite(value) and 0 < value < 1):
        raise ModelError(f"{field} = {value!r}: must be a number in (0, 1)")


def _check_count(field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ModelError(f"{field} = {value!r}: must be an integer ≥ 1")


def _takes(cls: type[SteadyOptions]) -> set[str]:
    return {f.name for f in fields(cls)}


def _build(method: str, cls: type[SteadyOptions], options: dict[str, Any]) -> SteadyOptions:
    unknown = sorted(set(options) - _takes(cls))
    if unknown:
        takes = ", ".join(sorted(_takes(cls))) or "no options"
        raise ModelError(f"method {method!r} does not take {', '.join(unknown)} (it takes {takes})")
    return cls(**options)


def resolve_options(method: object, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The method's name and its checked keyword options.

    ``method`` is a name (``"auto"``, ``"gmres"`` …) with ``options`` as keywords, or an
    options object (then ``options`` must be empty).

    Raises
    ------
    ModelError
        Options given both ways, an option the method does not take (for ``auto``: that no
        candidate takes), or a value its options class refuses.
    """
    if isinstance(method, SteadyOptions):
        if options:
            raise ModelError(
                f"options {', '.join(sorted(options))} given as keywords beside a "
                f"{type(method).__name__} object: put them in the object"
            )
        return method.name, method.keywords()
    if not isinstance(method, str):
        raise ModelError(f"method = {method!r}: expected a name (auto, analytic, direct, "
                         "gmres…) or an options object such as Gmres(tol=1e-10)")
    if method == "auto":
        taken = set().union(*(_takes(OPTION_CLASSES[m]) for m in AUTO_CANDIDATES))
        unknown = sorted(set(options) - taken)
        if unknown:
            raise ModelError(
                f"method 'auto' does not take {', '.join(unknown)}: no method it may choose "
                f"({', '.join(AUTO_CANDIDATES)}) does; they take {', '.join(sorted(taken))}"
            )
        for m in AUTO_CANDIDATES:  # check the values now, whichever method is chosen
            cls = OPTION_CLASSES[m]
            _build(m, cls, {k: v for k, v in options.items() if k in _takes(cls)})
        return method, dict(options)
    cls = OPTION_CLASSES.get(method)
    if cls is None:  # a registered method without an options class checks its own keywords
        return method, dict(options)
    _build(method, cls, options)
    return method, dict(options)


def options_for_choice(chosen: str, options: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """For ``auto``: the options the chosen method takes, and the names of the others."""
    cls = OPTION_CLASSES.get(chosen)
    takes = _takes(cls) if cls is not None else set(options)
    kept = {k: v for k, v in options.items() if k in takes}
    return kept, sorted(set(options) - takes)
