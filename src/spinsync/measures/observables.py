"""Ready-made observables to record during :func:`spinsync.dynamics.evolve`.

``evolve(..., observables={name: fn})`` calls each ``fn`` with the state ρ(t) (a
:class:`~spinsync.states.BlockState`) at every output time and stores the values in
``EvolutionResult.observables[name]``. :func:`observable` builds such functions from the
measures of this package, by name and sites::

    from spinsync.measures import observable
    result = evolve(net, rho0, times, observables={
        "omega_01": observable("relative_entropy", 0, 1),   # Ω of the pair (0, 1), nats
        "S_0": observable("site_sync_max", 0),              # max_φ S_0(φ)
        "C_01": observable("concurrence", 0, 1),            # qubits only
    })

Time traces themselves (the Pearson correlation of ⟨σˣ_j(t)⟩ and ⟨σˣ_k(t)⟩) are measures of
the whole result: :func:`spinsync.measures.timeseries.sigma_x_pearson`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import ModelError
from .coherence import l1_coherence
from .entanglement import concurrence, log_negativity
from .entropy import mutual_information, relative_entropy_of_sync
from .sync import pair_sync, site_sync, sync_total

__all__ = ["observable", "OBSERVABLES", "Observable"]


def _locked_phase(state: object, j: int) -> float:
    phase = site_sync(state, j).phase
    return float("nan") if phase is None else phase


#: name → (measure(state, *sites), how many sites: an int, or "1+" for one or more, and what
#: it is). Every measure works from reduced density matrices (no 4ᴺ matrix).
OBSERVABLES: dict[str, tuple[Callable[..., float], int | str, str]] = {
    "relative_entropy": (lambda st, *s: relative_entropy_of_sync(st, list(s)), "1+",
                         "relative entropy of synchronization Ω = S(ρ_diag) − S(ρ), nats"),
    "l1_coherence": (lambda st, *s: l1_coherence(st, list(s)), "1+",
                     "l1-norm of coherence Σ_{a≠b}|ρ_ab|"),
    "mutual_information": (mutual_information, 2, "I(j:k) = S(ρ_j) + S(ρ_k) − S(ρ_jk), nats"),
    "concurrence": (concurrence, 2, "Wootters' concurrence of two qubits"),
    "log_negativity": (log_negativity, 2, "log₂ ‖ρ_jk^{T_k}‖₁, bits"),
    "site_sync_max": (lambda st, j: site_sync(st, j).max, 1, "max_φ S_j(φ)"),
    "site_locked_phase": (_locked_phase, 1, "argmax_φ S_j(φ) in (−π, π], NaN where S_j is flat"),
    "pair_sync_max": (lambda st, j, k: pair_sync(st, j, k).max, 2,
                      "Sᵐᵃˣ_jk = max_φ S_jk(φ) of the relative phase"),
    "sync_total": (lambda st: sync_total(st), 0, "S_t = Σ_{j<k} Sᵐᵃˣ_jk"),
}


@dataclass(frozen=True)
class Observable:
    """A named measure bound to its sites: ``Observable(state) → float``."""

    name: str
    sites: tuple[int, ...]

    def __call__(self, state: object) -> float:
        return float(OBSERVABLES[self.name][0](state, *self.sites))

    @property
    def description(self) -> str:
        return OBSERVABLES[self.name][2]

    def __str__(self) -> str:
        return f"{self.name}({', '.join(map(str, self.sites))})"


def observable(name: str, *sites: int) -> Observable:
    """The measure ``name`` of :data:`OBSERVABLES` at ``sites``, as a function of a state.

    Raises
    ------
    ModelError
        An unknown name, or the wrong number of sites (checked here; whether the sites exist
        is checked against the state when the observable is first evaluated).
    """
    if name not in OBSERVABLES:
        raise ModelError(f"observable {name!r}: expected one of {', '.join(OBSERVABLES)}")
    need = OBSERVABLES[name][1]
    qs = tuple(int(s) for s in sites)
    if any(q < 0 for q in qs) or len(set(qs)) != len(qs):
        raise ModelError(f"observable {name!r}: sites {list(qs)} must be distinct and ≥ 0")
    if need == "1+" and not qs:
        raise ModelError(f"observable {name!r} needs one site or more")
    if isinstance(need, int) and len(qs) != need:
        raise ModelError(f"observable {name!r} takes {need} site{'s' if need != 1 else ''}, got {len(qs)}")
    return Observable(name, qs)

