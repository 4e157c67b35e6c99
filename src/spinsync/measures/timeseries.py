"""Measures of time traces: the Pearson correlation of two local observables over a window
(Giorgi, Galve, Manzano, Colet & Zambrini, PRA 85, 052101 (2012)).

For quantum synchronization in time the standard pair is ⟨σˣ_j(t)⟩, ⟨σˣ_k(t)⟩ (for spins
⟨Jˣ_j(t)⟩, ⟨Jˣ_k(t)⟩): C_jk(t, Δt) = δx̄δȳ / √(δx² δy²), bars the mean over the window
[t, t + Δt], δx = x − x̄. C = 1: the two oscillate in phase, −1: in antiphase, 0: unrelated.
Means are taken over the samples inside the window (equal weights), which for evenly spaced
times is the windowed time average of the paper to the sampling step.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError

__all__ = ["pearson_correlation", "windowed_pearson", "sigma_x_traces", "sigma_x_pearson"]

#: Relative spread of the time steps still counted as evenly spaced.
_EVEN_RTOL = 1e-9


def _series(x: ArrayLike, name: str) -> NDArray[np.float64]:
    a = np.asarray(x)
    if np.iscomplexobj(a):
        raise ModelError(f"{name}: expected real values (take .real of ⟨σ⁺⟩-type traces first)")
    a = np.asarray(a, dtype=float)
    if a.ndim != 1 or a.size < 2:
        raise ModelError(f"{name}: expected a 1-d trace of at least 2 values, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ModelError(f"{name}: the trace has non-finite values")
    return a


def pearson_correlation(x: ArrayLike, y: ArrayLike) -> float:
    """Pearson's r = Σ δx δy / √(Σ δx² Σ δy²) of two equally long traces.

    NaN when either trace is constant (no variation, r undefined).
    """
    a, b = _series(x, "pearson_correlation"), _series(y, "pearson_correlation")
    if a.shape != b.shape:
        raise ModelError(f"pearson_correlation: traces of different lengths {a.size} and {b.size}")
    return float(_windows(a[None, :], b[None, :])[0])


def _windows(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """r of each row pair (rows: windows), centred per window (no cancellation from a
    global offset: late, small oscillations keep their precision)."""
    da = a - a.mean(axis=1, keepdims=True)
    db = b - b.mean(axis=1, keepdims=True)
    num = np.sum(da * db, axis=1)
    den = np.sqrt(np.sum(da * da, axis=1) * np.sum(db * db, axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = num / den
    return np.where(den > 0, np.clip(r, -1.0, 1.0), np.nan)


def windowed_pearson(
    times: ArrayLike, x: ArrayLike, y: ArrayLike, window: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """C(t, Δt) over the windows [t, t + Δt] that fit in the trace.

    Parameters
    ----------
    times
        Evenly spaced, increasing sample times (``evolve``'s output times), shape (K,).
    x, y
        The two real traces, shape (K,).
    window
        Δt in the units of ``times``; it spans round(Δt/dt) + 1 samples (at least 2).

    Returns
    -------
    (t, C)
        Window start times t_i (those with t_i + Δt within the trace) and the correlation
        over each window; NaN where a trace is constant over a window.
    """
    t = _series(times, "windowed_pearson times")
    a, b = _series(x, "windowed_pearson"), _series(y, "windowed_pearson")
    if not (a.shape == b.shape == t.shape):
        raise ModelError(f"windowed_pearson: times and traces differ in length ({t.size}, {a.size}, {b.size})")
    steps = np.diff(t)
    if np.any(steps <= 0) or np.ptp(steps) > _EVEN_RTOL * abs(steps.mean()):
        raise ModelError("windowed_pearson: needs evenly spaced, increasing times (np.linspace)")
    if not (np.isfinite(window) and window > 0):
        raise ModelError(f"windowed_pearson: window = {window!r} must be finite and > 0")
    n = int(round(window / steps.mean())) + 1
    if n > t.size:
        raise ModelError(f"windowed_pearson: the window {window:g} is longer than the trace "
                         f"({t[-1] - t[0]:g})")
    n = max(n, 2)
    view = np.lib.stride_tricks.sliding_window_view
    return t[: t.size - n + 1].copy(), _windows(view(a, n), view(b, n))


def sigma_x_traces(result: Any) -> NDArray[np.float64]:
    """⟨σˣ_j(t)⟩ = 2 Re⟨σ⁺_j⟩ (qubits) or ⟨Jˣ_j(t)⟩ = Re⟨J⁺_j⟩ (spins) of an
    :class:`~spinsync.dynamics.EvolutionResult`, shape (K, N)."""
    coherence = getattr(result, "coherence", None)
    if coherence is None:
        raise ModelError("sigma_x_traces: the result has no recorded coherences ⟨σ⁺_j⟩")
    factor = 2.0 if result.network.is_qubits else 1.0
    return factor * np.asarray(coherence).real


def sigma_x_pearson(result: Any, j: int, k: int, window: float | None = None) -> Any:
    """Pearson correlation of ⟨σˣ_j(t)⟩ and ⟨σˣ_k(t)⟩ (spins: Jˣ) of an evolution.

    ``window`` None: one r over the whole trace (a float). Else (t, C(t, Δt)) as
    :func:`windowed_pearson`. ⟨σˣ⟩ oscillates at the sites' frequencies (evolve works in the
    frame the model is written in: the lab frame, or the drive's), so C → ±1 means the two
    oscillations lock in phase or in antiphase.
    """
    x = sigma_x_traces(result)
    n = x.shape[1]
    for q in (j, k):
        if not 0 <= int(q) < n:
            raise ModelError(f"sigma_x_pearson: site {q} out of range [0, {n - 1}]")
    if j == k:
        raise ModelError(f"sigma_x_pearson needs two different sites, got j = k = {j}")
    if window is None:
        return pearson_correlation(x[:, j], x[:, k])
    return windowed_pearson(result.times, x[:, j], x[:, k], window)
