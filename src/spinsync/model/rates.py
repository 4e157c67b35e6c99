"""Single-qubit limit cycles: magnetization from rates and rates from magnetization.

Conventions (docs/conventions.md): m = ⟨σᶻ⟩ = (Γᵍ − Γᵈ)/(Γᵍ + Γᵈ) (paper, before Eq. 4);
setting a qubit by m keeps its larger rate at the rate scale (the figure captions' rule).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError
from .validation import format_value

__all__ = ["magnetization_from_rates", "rates_from_magnetization"]


def magnetization_from_rates(gain: ArrayLike, damping: ArrayLike) -> NDArray[np.float64]:
    """m = (Γᵍ − Γᵈ)/(Γᵍ + Γᵈ); NaN where Γᵍ + Γᵈ = 0 (no limit cycle of its own)."""
    g = np.asarray(gain, dtype=float)
    d = np.asarray(damping, dtype=float)
    total = g + d
    return np.divide(g - d, total, out=np.full(np.shape(total), np.nan), where=total > 0)


def rates_from_magnetization(
    magnetization: ArrayLike, rate_scale: ArrayLike | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gain and damping rates that give the magnetizations ``m``.

    The larger of the two rates equals ``rate_scale`` (default 1): for m ≥ 0,
    Γᵍ = s and Γᵈ = s(1−m)/(1+m); for m < 0, Γᵈ = s and Γᵍ = s(1+m)/(1−m).

    Raises
    ------
    ModelError
        If any |m| ≥ 1, is not finite, or a scale is not finite and positive.
    """
    m = np.atleast_1d(np.asarray(magnetization, dtype=float))
    bad = ~np.isfinite(m) | (np.abs(m) >= 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ModelError(f"magnetization[{i}] = {format_value(m[i])}: must be finite with |m| < 1")
    if rate_scale is None:
        s = np.ones_like(m)
    else:
        s = np.atleast_1d(np.asarray(rate_scale, dtype=float))
        if s.size == 1:
            s = np.full(m.shape, s[0])
        elif s.shape != m.shape:
            raise ModelError(
                f"rate_scale: expected 1 or {m.size} values (one per qubit), got {s.size}"
            )
        badscale = ~np.isfinite(s) | (s <= 0)
        if badscale.any():
            i = int(np.flatnonzero(badscale)[0])
            raise ModelError(f"rate_scale[{i}] = {format_value(s[i])}: must be finite and > 0")
    up = m >= 0
    gain = np.where(up, s, s * (1 + m) / (1 - m))
    damping = np.where(up, s * (1 - m) / (1 + m), s)
    return gain, damping
