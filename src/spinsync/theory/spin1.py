"""The spin-1 counter-example of the supplement (S.M. IV, Eqs. S27–S30), worked out for both schemes.

The supplement prints the J± gain/damping dissipators (Eq. S29) but computes the
commutator of Eq. S30 with the |1, 0⟩ limit cycle of Eq. S27, which belongs to the
Roulet–Bruder scheme (jumps J⁺Jᶻ, J⁻Jᶻ). The two schemes behave oppositely:

* ``gain-damping`` (J±, Eq. S29 as printed): a site relaxes to ρ ∝ r^{Jᶻ}, r = γᵍ/γᵈ. For
  equal ratios on all sites ρ₀ ∝ r^{Σ_j Jᶻ_j}, which commutes with any XXZ coupling (it
  conserves Σ Jᶻ): **the no-go theorem holds for every s**, and with γᵍ = γᵈ (ρ₀ ∝ I) for
  XYZ couplings too — exactly the qubit statement.
* ``roulet-bruder`` (J±Jᶻ): ρ₀ = |1,0⟩⟨1,0| ⊗ |1,0⟩⟨1,0| and U|0,0⟩ ≠ 0 unless
  Uˣ = Uʸ = 0, so **the theorem fails** even for identical sites and XXZ couplings.

Eq. S30 as printed has 9 rows and 10 columns; the 10th column is all zeros (a stray column:
a 9×9 commutator cannot have it). Dropping it, the printed matrix equals −2·[U, ρ_LC ⊗ ρ_LC]
in the basis order |1,1⟩, |1,0⟩, |1,−1⟩ per site (two-site index 3a + b): same pattern,
overall factor −2 (equivalently 2[ρ_LC⊗ρ_LC, U]). With the master equation's −i the
residual is L[ρ₀] = −i[U, ρ₀] = (i/2)·(printed matrix). :func:`compare_s30` computes the
factor by least squares instead of assuming it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..measures import fidelity, mutual_information, spin_flipflop_matrix, spin_max_connected_correlation
from ..model import SCHEMES, Network
from ..steady import local_steady_states, product_residual, product_state, steady_state
from .uniqueness import liouvillian_kernel

__all__ = [
    "printed_s30",
    "s30_commutator",
    "compare_s30",
    "spin1_pair",
    "spin1_case",
    "spin1_report",
    "spin1_sweep",
    "draw_spin1",
    "plot_spin1",
]

Matrix = NDArray[np.complex128]

#: |x| below this counts as zero when comparing matrices built from O(1) couplings and
#: when deciding "keeps"/"breaks" (sparse direct solves of the 81-entry system reach ~1e-14).
ZERO_ATOL = 1e-9


def printed_s30(ux: float, uy: float) -> NDArray[np.float64]:
    """Eq. S30 exactly as printed: a 9×10 array (the 10th column is the stray one)."""
    p = np.zeros((9, 10))
    p[0, 4] = uy - ux
    p[2, 4] = -ux - uy
    p[4, [0, 2, 6, 8]] = [ux - uy, ux + uy, ux + uy, ux - uy]
    p[6, 4] = -ux - uy
    p[8, 4] = uy - ux
    return p


def spin1_pair(scheme: str, ux: float, uy: float, uz: float, gain: float, damping: float,
               omega: float = 0.0) -> Network:
    """Two identical spin-1 sites of ``scheme`` with one XYZ bond (Eq. S29, n = 2)."""
    return Network.spins(1, [gain, gain], [damping, damping], scheme=scheme,
                         omega=[omega, omega], bonds=[(0, 1, ux, uy, uz)])


def s30_commutator(scheme: str, ux: float, uy: float, uz: float = 0.0,
                   gain: float = 1.0, damping: float = 1.0) -> Matrix:
    """[U, ρ_LC ⊗ ρ_LC] for two identical spin-1 sites of ``scheme`` (9×9).

    U is the pair's compiled bond Hamiltonian (Σ_α Uᵅ Jᵅ_1 Jᵅ_2, site 1 leftmost), ρ_LC
    the local steady state of one site (:func:`spinsync.steady.local_steady_states`).
    """
    net = spin1_pair(scheme, ux, uy, uz, gain, damping)
    rho0 = product_state(net).to_dense()
    (group,) = net.terms.bonds
    u = group.matrices()[0]
    return u @ rho0 - rho0 @ u


def compare_s30(ux: float = 1.3, uy: float = 0.4, uz: float = 0.7,
                gain: float = 1.0, damping: float = 0.5) -> dict[str, Any]:
    """Entry-by-entry comparison of the printed Eq. S30 with the Roulet–Bruder commutator.

    Returns the printed shape, whether the stray 10th column is zero, the least-squares
    factor c in printed ≈ c·[U, ρ_LC⊗ρ_LC], the largest deviation after scaling, whether
    the non-zero patterns agree, and the same against the gain-damping scheme's
    commutator (which does not match: its ρ_LC is not |1,0⟩). ``gain``/``damping`` only
    matter for the gain-damping scheme (the Roulet–Bruder limit cycle is |1,0⟩ for any
    rates); a vanishing commutator gives ``factor_re = None``.
    """
    printed = printed_s30(ux, uy)
    square = printed[:, :9]
    out: dict[str, Any] = {
        "couplings": [ux, uy, uz],
        "printed_shape": list(printed.shape),
        "stray_column_zero": bool(np.all(printed[:, 9] == 0)),
    }
    for scheme in SCHEMES:
        comm = s30_commutator(scheme, ux, uy, uz, gain, damping)
        denom = float(np.vdot(comm, comm).real)
        vanishes = denom <= ZERO_ATOL**2
        factor = 0j if vanishes else complex(np.vdot(comm, square) / denom)
        out[scheme] = {
            "commutator_norm": float(np.sqrt(denom)),
            "factor_re": None if vanishes else factor.real,
            "factor_im": None if vanishes else factor.imag,
            "max_deviation": float(np.max(np.abs(square - factor * comm))),
            "pattern_matches": bool(np.array_equal(np.abs(comm) > ZERO_ATOL, np.abs(square) > ZERO_ATOL)),
            "commutator_re": comm.real.tolist(),
            "commutator_im": comm.imag.tolist(),
        }
    return out


def spin1_case(scheme: str, ux: float, uy: float, uz: float, gain: float, damping: float,
               omega: float = 0.0, kernel: bool = True) -> dict[str, Any]:
    """Steady-state numbers for two identical spin-1 sites (equal rates on both sites).

    Everything comes from the general engine: ``steady_state`` (method ``direct``, so a
    product steady state is found by solving, not assumed), ρ₀ and its exact residual from
    :mod:`spinsync.steady.analytic`, the measures of :mod:`spinsync.measures`.
    ``kernel=True`` adds the uniqueness check (dimension of ker L and the singular gap,
    :func:`spinsync.theory.uniqueness.liouvillian_kernel`).
    """
    net = spin1_pair(scheme, ux, uy, uz, gain, damping, omega)
    rho = steady_state(net, method="direct").state
    rho0 = product_state(net)
    ff = complex(spin_flipflop_matrix(rho)[0, 1])
    extra: dict[str, Any] = {}
    if kernel:
        report = liouvillian_kernel(net)
        extra = {"kernel_dimension": report.kernel_dimension, "singular_gap": report.singular_gap}
    return {
        "product_residual": product_residual(net),
        **extra,
        "fidelity_to_product": fidelity(rho, rho0),
        "max_connected_correlation": spin_max_connected_correlation(rho),
        "mutual_information": mutual_information(rho, 0, 1),
        "flipflop_abs": abs(ff),
        "flipflop_phase": float(np.angle(ff)) if abs(ff) > ZERO_ATOL else 0.0,
    }


def spin1_report(gain: float = 1.0, damping: float = 0.5, coupling: float = 1.0,
                 anisotropy: float = 0.5, uz: float = 0.5, omega: float = 0.0) -> dict[str, Any]:
    """Numbers for ``spinsync reproduce spin1``: both schemes, XXZ and XYZ, and Eq. S30.

    Parameters
    ----------
    gain, damping
        γᵍ, γᵈ of both sites (equal on the two sites, so their limit cycles agree).
    coupling
        Uˣ = Uʸ = ``coupling`` for XXZ; Uˣ = ``coupling``, Uʸ = ``anisotropy``·``coupling``
        for XYZ.
    uz, omega
        Uᶻ and the common ω (S29's ω/2·Jᶻ).

    Returns
    -------
    dict
        ``schemes[scheme]`` holds the single-site limit-cycle populations (m = 1, 0, −1),
        ``xxz``, ``xyz`` and ``xyz_equal_rates`` (γᵍ = γᵈ = mean of the two) cases from
        :func:`spin1_case`, and ``keeps_theorem_xxz`` decided from the computed residual and
        correlations; ``s30`` is :func:`compare_s30`.
    """
    xxz = (coupling, coupling, uz)
    xyz = (coupling, anisotropy * coupling, uz)
    mean = (gain + damping) / 2
    schemes: dict[str, Any] = {}
    for scheme in SCHEMES:
        lc = local_steady_states(spin1_pair(scheme, *xxz, gain, damping, omega))[0]
        cases = {
            "xxz": spin1_case(scheme, *xxz, gain, damping, omega),
            "xyz": spin1_case(scheme, *xyz, gain, damping, omega),
            "xyz_equal_rates": spin1_case(scheme, *xyz, mean, mean, omega),
        }
        keeps = (cases["xxz"]["product_residual"] <= ZERO_ATOL
                 and cases["xxz"]["max_connected_correlation"] <= ZERO_ATOL)
        schemes[scheme] = {"limit_cycle_populations": np.real(np.diag(lc)).tolist(),
                           **cases, "keeps_theorem_xxz": bool(keeps)}
    return {
        "parameters": {"gain": gain, "damping": damping, "coupling": coupling,
                       "anisotropy": anisotropy, "uz": uz, "omega": omega},
        "basis": ["|1,1>", "|1,0>", "|1,-1>"],
        "schemes": schemes,
        "s30": compare_s30(*xyz, gain=gain, damping=damping),
    }


def spin1_sweep(couplings: NDArray[np.float64], gain: float = 1.0, damping: float = 0.5,
                anisotropy: float = 0.5, uz: float = 0.5) -> dict[str, dict[str, NDArray[np.float64]]]:
    """Max connected correlation and 1 − F(ρ_ss, ρ₀) against U for both schemes, XXZ and XYZ."""
    out: dict[str, dict[str, NDArray[np.float64]]] = {}
    for scheme in SCHEMES:
        for label, ratio in (("xxz", 1.0), ("xyz", anisotropy)):
            corr, infid = [], []
            for u in couplings:
                c = spin1_case(scheme, u, ratio * u, uz, gain, damping, kernel=False)
                corr.append(c["max_connected_correlation"])
                infid.append(max(1.0 - c["fidelity_to_product"], 0.0))
            out[f"{scheme}/{label}"] = {"correlation": np.array(corr), "infidelity": np.array(infid)}
    return out


#: Legend names of the two dissipation schemes (the file format's ``scheme`` values are the keys).
SCHEME_NAMES = {"gain-damping": "J± gain–damping", "roulet-bruder": "Roulet–Bruder J±Jᶻ"}
#: Below this, a plotted correlation or infidelity is zero to rounding and is drawn at it.
PLOT_FLOOR = 1e-15


def draw_spin1(couplings: NDArray[np.float64], curves: dict[str, dict[str, NDArray[np.float64]]]):
    """The spin-1 figure as a :class:`matplotlib.figure.Figure` (no pyplot, no backend switch).

    ``curves`` is :func:`spin1_sweep` at ``couplings``. Draw and save it inside
    :func:`spinsync.figures.style.paper_style` for the figures' shared look.
    """
    from ..figures.style import COLUMN, legend_handle, new_figure, panel_label

    u = np.asarray(couplings, dtype=float)
    fig = new_figure(2 * COLUMN, 1.0 * COLUMN)
    axes = fig.subplots(1, 2, sharex=True)
    colors = {"gain-damping": "C0", "roulet-bruder": "C3"}
    lines = {"xxz": "-", "xyz": "--"}
    for key, vals in curves.items():
        scheme, label = key.split("/")
        for ax, name in zip(axes, ("correlation", "infidelity")):
            ax.loglog(u, np.maximum(vals[name], PLOT_FLOOR), color=colors[scheme], ls=lines[label])
    for ax, letter in zip(axes, "ab"):
        ax.axhspan(PLOT_FLOOR / 3, PLOT_FLOOR, color="0.88", lw=0, zorder=0)
        ax.text(u[0] * 1.4, PLOT_FLOOR * 1.6, "zero to rounding (drawn at $10^{-15}$)", fontsize=6.5,
                color="0.35", va="bottom", ha="left")
        ax.set_ylim(PLOT_FLOOR / 3, 3.0)
        ax.set_xlim(u[0], u[-1])
        ax.set_xlabel(r"coupling $U^x$ (units of $\gamma^g = 1$)")
        panel_label(ax, f"({letter})")
    axes[0].set_ylabel(r"max$_{\alpha\beta}\,|\langle J^\alpha_1 J^\beta_2\rangle"
                       r"-\langle J^\alpha_1\rangle\langle J^\beta_2\rangle|$")
    axes[1].set_ylabel(r"$1 - F(\rho_{ss}, \rho_0)$")
    axes[0].set_title("connected correlation", fontsize=8)
    axes[1].set_title(r"distance from the product state $\rho_0$", fontsize=8)
    handles = [legend_handle(color=colors[s], label=SCHEME_NAMES[s]) for s in SCHEMES]
    handles += [legend_handle(color="k", ls="-", label=r"XXZ: $U^y = U^x$"),
                legend_handle(color="k", ls="--", label=r"XYZ: $U^y = U^x/2$")]
    fig.legend(handles=handles, loc="outside lower center", ncol=4)
    fig.suptitle(r"Two spin-1 sites, $\gamma^g = 1$, $\gamma^d = 0.5$ on both, $U^z = 0.5$",
                 fontsize=8.5)
    return fig


def plot_spin1(out_dir: str | Path, couplings: NDArray[np.float64] | None = None) -> list[Path]:
    """Figure: steady-state correlations of two spin-1 sites against U, both schemes.

    Writes ``spin1.png`` and ``spin1.pdf`` into ``out_dir`` (atomically, in the shared
    style of :mod:`spinsync.figures.style`) and returns their paths. Values below
    :data:`PLOT_FLOOR` (zero to rounding) are drawn at it.
    """
    from ..figures.style import paper_style, save_figure

    u = np.logspace(-2, 1, 25) if couplings is None else np.asarray(couplings, dtype=float)
    with paper_style():
        return save_figure(draw_spin1(u, spin1_sweep(u)), out_dir, "spin1")
