"""Summaries of a steady state as plain data (what ``spinsync steady --json`` prints)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ModelError
from ..measures import (
    fidelity,
    flipflop_matrix,
    magnetizations,
    max_connected_correlation,
    spin_expectations,
    spin_flipflop_matrix,
    spin_max_connected_correlation,
)
from ..measures.sync import site_sync, sync_max_matrix, sync_total
from .analytic import product_state
from .results import SteadyStateResult

__all__ = ["steady_summary", "product_fidelity", "SUMMARY_KEYS"]

#: Every key of :func:`steady_summary`, in the order it writes them.
SUMMARY_KEYS = (
    "n", "kind", "dims", "method", "approximate", "symmetry", "nogo", "residual",
    "magnetization", "coherence_re", "coherence_im", "flipflop_re", "flipflop_im", "sync_max",
    "sync_total", "sync_site_max", "sync_site_phase", "fidelity_product", "connected_max",
    "physical", "domain",
)


def product_fidelity(state: Any, network: Any) -> float | None:
    """F(ρ_ss, ρ₀), or None where it has no value: ρ₀ is undefined (a site whose local
    Liouvillian has no unique steady state) or the state's representation does not determine
    it (a cumulant result keeps only moments; a driven permutation state beyond N = 12)."""
    rho0 = product_state(network)
    if rho0 is None:
        return None
    try:
        return float(fidelity(state, rho0))
    except ModelError:
        return None


def steady_summary(result: SteadyStateResult) -> dict[str, Any]:
    """The JSON contract of ``spinsync steady --json``.

    Parameters
    ----------
    result
        A solved steady state (any method, any model).

    Returns
    -------
    dict
        Plain Python data (lists, floats, strings, None), keys :data:`SUMMARY_KEYS`:

        * ``n`` — number of sites; ``kind`` — ``"qubits"`` or ``"spins"``; ``dims`` — the
          local dimensions 2s_j + 1;
        * ``method``; ``approximate`` — true for ``cumulant`` (a closure, not the master
          equation's state); ``symmetry`` — the one the solve used (``"u1"``, ``"parity"``,
          ``"none"``); ``nogo`` — the theorem's conditions hold; ``residual`` —
          ‖L[ρ]‖_F/‖ρ‖_F;
        * ``magnetization`` — ⟨σᶻ_j⟩ for qubits, ⟨Jᶻ_j⟩ for spins;
        * ``coherence_re``/``coherence_im`` — ⟨σ⁺_j⟩ for qubits, ⟨J⁺_j⟩ for spins (non-zero
          only without U(1) symmetry, e.g. with a drive);
        * ``flipflop_re``/``flipflop_im`` — N×N ⟨σ⁺_jσ⁻_k⟩ (spins: ⟨J⁺_jJ⁻_k⟩), diagonal
          ⟨σ⁺_jσ⁻_j⟩ (⟨J⁺_jJ⁻_j⟩);
        * ``sync_max`` — N×N Sᵐᵃˣ_jk = max_φ S_jk(φ) (zero diagonal) and ``sync_total`` —
          S_t = Σ_{j<k} Sᵐᵃˣ_jk. Qubits: (π/16)|⟨σ⁺_jσ⁻_k⟩| (Eq. 6). Spins: the maximum of
          the pair S-function of the relative phase with the paper's normalization (Q_jk
          integrates to 1 over both spheres; S_jk = its relative-phase distribution − 1/(2π);
          a spin ½ gives the qubit value; docs/synchronization.md);
        * ``sync_site_max`` — per site max_φ S_j(φ) of the single-site S-function of Roulet
          and Bruder (0 where S_j is flat, e.g. without a drive); ``sync_site_phase`` — the
          locked phase argmax S_j in (−π, π] (the first of equal maxima), None where S_j is
          flat;
        * ``fidelity_product`` — F(ρ_ss, ρ₀), None where ρ₀ is undefined (a site whose local
          Liouvillian has no unique steady state);
        * ``connected_max`` — the largest |⟨Aᵅ_jAᵝ_k⟩ − ⟨Aᵅ_j⟩⟨Aᵝ_k⟩| over pairs and
          α, β ∈ {x, y, z}, with A = σ for qubits and J for spins;
        * ``physical``/``domain`` — approximate results only: whether the moments belong to
          a state (|⟨σ⟩| ≤ 1, every reconstructed pair matrix positive) and the check's words.

        Keys without meaning for a model are None, never invented numbers (``fidelity_product``
        is None for a cumulant result, which keeps only ⟨σ⟩ and pair correlations).
    """
    state = result.state
    network = result.network
    qubits = network.is_qubits
    # ⟨J⁺⟩ = ⟨σ⁺⟩ for s = ½ (J± = Jˣ ± iJʸ = σ±), so one measure gives both coherences.
    coherence = np.asarray(spin_expectations(state, "+"), dtype=complex)
    if qubits:
        magnetization = magnetizations(state)
        ff = flipflop_matrix(state)
        connected = max_connected_correlation(state)
    else:
        magnetization = spin_expectations(state, "z")
        ff = spin_flipflop_matrix(state)
        connected = spin_max_connected_correlation(state)
    smax = sync_max_matrix(state)
    sites = [site_sync(state, j) for j in range(network.n)]
    sync: dict[str, Any] = {
        "sync_max": smax.tolist(), "sync_total": float(sync_total(smax)),
        "sync_site_max": [float(p.max) for p in sites],
        "sync_site_phase": [None if p.phase is None else float(p.phase) for p in sites],
    }
    fid = product_fidelity(state, network)
    summary = {
        "n": network.n,
        "kind": network.kind,
        "dims": list(network.dims),
        "method": result.method,
        "approximate": bool(result.approximate),
        "symmetry": result.symmetry,
        "nogo": bool(result.nogo),
        "residual": float(result.residual),
        "magnetization": np.asarray(magnetization, dtype=float).tolist(),
        "coherence_re": coherence.real.tolist(),
        "coherence_im": coherence.imag.tolist(),
        "flipflop_re": ff.real.tolist(),
        "flipflop_im": ff.imag.tolist(),
        **sync,
        "fidelity_product": fid,
        "connected_max": float(connected),
        "physical": bool(result.info.get("physical", True)) if result.approximate else None,
        "domain": str(result.info.get("domain", "")) if result.approximate else None,
    }
    return {key: summary[key] for key in SUMMARY_KEYS}
