"""Summaries of a steady state as plain data (what ``spinsync steady --json`` prints)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ModelError
from ..measures import fidelity, flipflop_matrix, magnetizations, max_connected_correlation
from ..measures.sync import sync_max_matrix, sync_total
from .analytic import product_state
from .results import SteadyStateResult

__all__ = ["steady_summary"]


def steady_summary(result: SteadyStateResult) -> dict[str, Any]:
    """The JSON contract of ``spinsync steady --json``.

    Keys: ``n``, ``method``, ``approximate`` (true for ``cumulant``), ``nogo``, ``residual``,
    ``magnetization`` (⟨σᶻ_j⟩), ``flipflop_re``/``flipflop_im`` (N×N ⟨σ⁺_jσ⁻_k⟩, diagonal
    ⟨σ⁺_jσ⁻_j⟩), ``sync_max`` (N×N Sᵐᵃˣ, zero diagonal), ``sync_total`` (S_t),
    ``fidelity_product`` (F(ρ_ss, ρ₀); null where the state does not give it — a cumulant
    result), ``connected_max``; approximate results add ``physical`` and ``domain``.
    """
    state = result.state
    ff = flipflop_matrix(state)
    smax = sync_max_matrix(state)
    try:
        fid = float(fidelity(state, product_state(result.network)))
    except ModelError:
        fid = None  # the representation does not determine it (fidelity says why)
    out = {
        "n": result.network.n,
        "method": result.method,
        "approximate": bool(result.approximate),
        "nogo": bool(result.nogo),
        "residual": float(result.residual),
        "magnetization": magnetizations(state).tolist(),
        "flipflop_re": ff.real.tolist(),
        "flipflop_im": ff.imag.tolist(),
        "sync_max": smax.tolist(),
        "sync_total": sync_total(smax),
        "fidelity_product": fid,
        "connected_max": float(max_connected_correlation(state)),
    }
    if result.approximate:
        out["physical"] = bool(result.info.get("physical", True))
        out["domain"] = str(result.info.get("domain", ""))
    return out
