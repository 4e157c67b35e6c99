"""Dissipation design: choose the environment's gain and damping to maximize synchronization.

The memory qubit (default 0, the paper's qubit 1) keeps its rates; every other
("environment") qubit j gets Γᵍ_j, Γᵈ_j ∈ [LO, HI]. The objective is

* ``"total"``: S_t = Σ_{j<k} Sᵐᵃˣ_jk (paper, Fig. 3), or
* ``"memory"``: Σ_{k≠mem} Sᵐᵃˣ_{mem,k}, the memory qubit's own synchronization,

evaluated on the exact steady state (:func:`spinsync.steady_state`, method ``auto``).

Qubit networks only: Sᵐᵃˣ is a qubit measure (paper Eq. 7), so spin networks are refused
with a ModelError. Every other term of the qubit model (dephasing, drives, collective
channels) is kept as it is while the environment's gain and damping vary.

The paper's heuristic (Fig. 3) is the one-parameter family where all environment qubits
share one magnetization m_e: qubit j keeps its larger rate s_j = max(Γᵍ_j, Γᵈ_j) (clipped
into [LO, HI]) and gets Γᵍ_j, Γᵈ_j = s_j·(1, (1−m_e)/(1+m_e)) for m_e ≥ 0, or
s_j·((1+m_e)/(1−m_e), 1) for m_e < 0 (the captions' rule), with |m_e| small enough that
every rate stays ≥ LO. :func:`heuristic_design` optimizes m_e by a grid scan refined with a
bounded scalar search; :func:`design_dissipation` starts L-BFGS-B (in log-rates) from that
optimum, so its result is never worse than the heuristic.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from ..errors import ModelError
from ..model import Network
from ..steady import steady_state
from ..measures.sync import sync_max_matrix, sync_total
from .reduction import ReductionReport, compare_reduction

__all__ = ["OBJECTIVES", "objective_value", "HeuristicResult", "DesignResult",
           "heuristic_design", "design_dissipation", "parse_bounds"]

OBJECTIVES = ("total", "memory")

#: Points of the m_e grid scan before the bounded refinement (the objective can have
#: more than one local maximum in m_e, e.g. on both sides of the memory's m).
HEURISTIC_GRID = 21


def parse_bounds(text: str) -> tuple[float, float]:
    """``"LO,HI"`` → (LO, HI) with 0 < LO < HI, finite (rate unit of the model)."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        lo, hi = (float(p) for p in parts)
    except ValueError:
        raise ModelError(f"bounds = {text!r}: expected two numbers 'LO,HI'") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo < hi):
        raise ModelError(f"bounds = {text!r}: need finite 0 < LO < HI (rates must stay positive)")
    return lo, hi


def _check(network: Network, memory: int, objective: str) -> None:
    if not network.is_qubits:
        raise ModelError(
            f"design: the objective S_t (Sᵐᵃˣ of paper Eq. 7) is defined for qubits; this "
            f"network has spins (s = {', '.join(format(float(s), 'g') for s in sorted(set(network.spin)))})"
        )
    if not 0 <= memory < network.n:
        raise ModelError(f"memory = {memory!r}: must be a qubit index in [0, {network.n - 1}]")
    if network.n < 2:
        raise ModelError("design needs at least one environment qubit (N ≥ 2)")
    if objective not in OBJECTIVES:
        raise ModelError(f"objective = {objective!r}: expected one of {', '.join(OBJECTIVES)}")


def objective_value(network: Network, memory: int = 0, objective: str = "total") -> float:
    """S_t (``"total"``) or Σ_k Sᵐᵃˣ_{memory,k} (``"memory"``) of the exact steady state."""
    _check(network, memory, objective)
    smax = sync_max_matrix(steady_state(network).state)
    return sync_total(smax) if objective == "total" else float(smax[memory].sum())


def _with_env_rates(network: Network, memory: int, gain_env: NDArray[np.float64],
                    damping_env: NDArray[np.float64]) -> Network:
    env = np.array([j for j in range(network.n) if j != memory])
    gain, damping = network.gain.copy(), network.damping.copy()
    gain[env], damping[env] = gain_env, damping_env
    return network.replace(gain=gain, damping=damping)


@dataclass(frozen=True)
class HeuristicResult:
    """Best common environment magnetization m_e and the rates it implies."""

    magnetization: float
    value: float
    gain: tuple[float, ...]
    damping: tuple[float, ...]
    m_range: tuple[float, float]
    evaluations: int

    def to_dict(self) -> dict[str, Any]:
        return {"magnetization": self.magnetization, "value": self.value,
                "gain": list(self.gain), "damping": list(self.damping),
                "m_range": list(self.m_range), "evaluations": self.evaluations}


@dataclass(frozen=True)
class DesignResult:
    """Optimized environment rates.

    ``gain``/``damping`` are full per-qubit vectors (the memory's unchanged);
    ``value`` is the objective at the optimum; ``reduction`` compares the optimal network
    with its one-to-all reduction around the memory qubit.
    """

    objective: str
    memory: int
    bounds: tuple[float, float]
    value: float
    sync_total: float
    memory_sync: float
    gain: tuple[float, ...]
    damping: tuple[float, ...]
    magnetization: tuple[float, ...]
    heuristic: HeuristicResult
    reduction: ReductionReport
    evaluations: int
    message: str
    seconds: float = field(default=0.0)

    @property
    def improvement(self) -> float:
        """value − heuristic value (≥ 0 by construction)."""
        return self.value - self.heuristic.value

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective, "memory": self.memory, "bounds": list(self.bounds),
            "value": self.value, "sync_total": self.sync_total, "memory_sync": self.memory_sync,
            "gain": list(self.gain), "damping": list(self.damping),
            "magnetization": list(self.magnetization),
            "heuristic": self.heuristic.to_dict(), "improvement": self.improvement,
            "reduction": self.reduction.to_dict(), "evaluations": self.evaluations,
            "message": self.message, "seconds": self.seconds,
        }


def _heuristic_rates(scales: NDArray[np.float64], m: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    if m >= 0:
        return scales.copy(), scales * (1 - m) / (1 + m)
    return scales * (1 + m) / (1 - m), scales.copy()


def heuristic_design(network: Network, bounds: tuple[float, float], memory: int = 0,
                     objective: str = "total") -> HeuristicResult:
    """The paper's heuristic: one common environment magnetization, optimized (see module doc)."""
    _check(network, memory, objective)
    lo, hi = bounds
    env = [j for j in range(network.n) if j != memory]
    scales = np.clip(np.maximum(network.gain, network.damping)[env], lo, hi)
    # Smaller rate s(1−|m|)/(1+|m|) ≥ LO for every qubit; a hair inside for rounding.
    m_max = float(np.min((scales - lo) / (scales + lo))) * (1 - 1e-12)
    count = 0

    def value(m: float) -> float:
        nonlocal count
        count += 1
        g, d = _heuristic_rates(scales, m)
        return objective_value(_with_env_rates(network, memory, g, d), memory, objective)

    grid = np.linspace(-m_max, m_max, HEURISTIC_GRID)
    vals = np.array([value(m) for m in grid])
    best = int(np.argmax(vals))
    m_best, v_best = float(grid[best]), float(vals[best])
    if m_max > 0:
        a, b = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
        res = optimize.minimize_scalar(lambda m: -value(m), bounds=(a, b), method="bounded",
                                       options={"xatol": 1e-4 * max(m_max, 1e-12)})
        if -res.fun > v_best:
            m_best, v_best = float(res.x), float(-res.fun)
    g, d = _heuristic_rates(scales, m_best)
    return HeuristicResult(m_best, v_best, tuple(map(float, g)), tuple(map(float, d)),
                           (-m_max, m_max), count)


def design_dissipation(
    network: Network,
    bounds: tuple[float, float],
    memory: int = 0,
    objective: str = "total",
    maxiter: int = 40,
) -> DesignResult:
    """Maximize the objective over the environment's rates within ``bounds``.

    Parameters
    ----------
    network
        The model (small N: every evaluation is an exact steady state).
    bounds
        (LO, HI), 0 < LO < HI, for every environment Γᵍ_j and Γᵈ_j (rate unit of the model).
    memory
        The memory qubit, whose rates stay fixed.
    objective
        ``"total"`` (S_t) or ``"memory"``.
    maxiter
        L-BFGS-B iterations (each costs ~2(N−1)+1 steady states for the finite-difference
        gradient).
    """
    start = time.perf_counter()
    _check(network, memory, objective)
    if isinstance(maxiter, bool) or not isinstance(maxiter, (int, np.integer)) or maxiter < 1:
        raise ModelError(f"maxiter = {maxiter!r}: must be an integer ≥ 1 (L-BFGS-B iterations)")
    lo, hi = bounds
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo < hi):
        raise ModelError(f"bounds = {bounds!r}: need finite 0 < LO < HI")
    heur = heuristic_design(network, bounds, memory, objective)
    n_env = network.n - 1
    best: dict[str, Any] = {"value": heur.value,
                            "x": np.log(np.concatenate([heur.gain, heur.damping]))}
    count = 0

    def negative(x: NDArray[np.float64]) -> float:
        nonlocal count
        count += 1
        rates = np.clip(np.exp(x), lo, hi)  # exp/log round-off can step outside by 1 ulp
        v = objective_value(_with_env_rates(network, memory, rates[:n_env], rates[n_env:]),
                            memory, objective)
        if v > best["value"]:
            best.update(value=v, x=x.copy())
        return -v

    box = [(np.log(lo), np.log(hi))] * (2 * n_env)
    res = optimize.minimize(negative, best["x"].copy(), method="L-BFGS-B", bounds=box,
                            options={"maxiter": maxiter, "eps": 1e-6})
    rates = np.clip(np.exp(best["x"]), lo, hi)
    optimal = _with_env_rates(network, memory, rates[:n_env], rates[n_env:])
    smax = sync_max_matrix(steady_state(optimal).state)
    value = sync_total(smax) if objective == "total" else float(smax[memory].sum())
    return DesignResult(
        objective=objective, memory=memory, bounds=(lo, hi), value=float(value),
        sync_total=sync_total(smax), memory_sync=float(smax[memory].sum()),
        gain=tuple(map(float, optimal.gain)), damping=tuple(map(float, optimal.damping)),
        magnetization=tuple(map(float, optimal.magnetization)),
        heuristic=heur, reduction=compare_reduction(optimal, memory),
        evaluations=count + heur.evaluations, message=str(res.message),
        seconds=time.perf_counter() - start,
    )
