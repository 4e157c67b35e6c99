"""A QuTiP oracle for any Network of the general model (qubits or spins, every term).

Operators are built from the model's fields with QuTiP's own matrices, never from
spinsync's, so agreement with the library is evidence, not a tautology.
"""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Collective, Network

def qutip_operators(net: Network):
    """H and collapse operators of any ``Network`` built in QuTiP from its fields.

    Written from docs/conventions.md with QuTiP's own matrices (``sigmaz``/``sigmap`` for
    qubits, ``jmat`` for spins: both in the basis m = s … −s), never from spinsync's
    operators, so agreement is evidence. Qubits: H = Σ (ω/2 + B)σᶻ + (Ω/2)(cos φ σˣ +
    sin φ σʸ) + Σ Uᵅσᵅσᵅ; spins: H = Σ (ω/2 + B)Jᶻ + Ω(cos φ Jˣ + sin φ Jʸ) + Σ UᵅJᵅJᵅ.
    Collapse operators √(γ/2)·A (the ½ in front of every dissipator).
    """
    qt = pytest.importorskip("qutip")
    dims = net.dims
    if net.is_qubits:
        local = [{"x": qt.sigmax(), "y": qt.sigmay(), "z": qt.sigmaz(),
                  "+": qt.sigmap(), "-": qt.sigmam()} for _ in dims]
        drive_factor = 0.5
    else:
        local = [{a: qt.jmat((d - 1) / 2, a) for a in ("x", "y", "z", "+", "-")} for d in dims]
        drive_factor = 1.0

    def site(j: int, op):
        return qt.tensor([op if i == j else qt.qeye(d) for i, d in enumerate(dims)])

    h = 0 * site(0, qt.qeye(dims[0]))
    for j in range(net.n):
        o = local[j]
        h += (float(net.omega[j]) / 2 + net.field) * site(j, o["z"])
        phi = float(net.drive_phase[j])
        h += drive_factor * float(net.drive[j]) * (np.cos(phi) * site(j, o["x"]) + np.sin(phi) * site(j, o["y"]))
    for j, k, ux, uy, uz in net.bonds:
        for u, a in ((ux, "x"), (uy, "y"), (uz, "z")):
            h += u * site(j, local[j][a]) * site(k, local[k][a])
    c_ops = []
    for j in range(net.n):
        o = local[j]
        if net.is_qubits or net.scheme == "gain-damping":
            up, down = o["+"], o["-"]
        else:
            up, down = o["+"] * o["z"], o["-"] * o["z"]
        for rate, a in ((net.gain[j], up), (net.damping[j], down), (net.dephasing[j], o["z"])):
            if rate > 0:
                c_ops.append(np.sqrt(rate / 2) * site(j, a))
    names = {"lowering": "-", "raising": "+", "dephasing": "z"}
    for ch in net.collective:
        if ch.rate > 0:
            total = sum((site(j, local[j][names[ch.operator]]) for j in ch.sites), 0 * h)
            c_ops.append(np.sqrt(ch.rate / 2) * total)
    return h, c_ops


def dense_rhs(h, c_ops, rho: np.ndarray) -> np.ndarray:
    """L[ρ] = −i[H, ρ] + Σ (cρc† − ½{c†c, ρ}) in plain numpy (operators as QuTiP or arrays)."""
    full = lambda o: o.full() if hasattr(o, "full") else np.asarray(o)  # noqa: E731
    hm = full(h)
    out = -1j * (hm @ rho - rho @ hm)
    for c in c_ops:
        cm = full(c)
        cdc = cm.conj().T @ cm
        out += cm @ rho @ cm.conj().T - 0.5 * (cdc @ rho + rho @ cdc)
    return out


def dense_residual(net: Network, rho0: np.ndarray) -> float:
    """‖L[ρ₀]‖_F / ‖ρ₀‖_F with L from :func:`qutip_operators`."""
    h, c_ops = qutip_operators(net)
    return float(np.linalg.norm(dense_rhs(h, c_ops, rho0)) / np.linalg.norm(rho0))


def qutip_steady_state(net: Network) -> np.ndarray:
    """QuTiP's direct steady-state solve of :func:`qutip_operators`."""
    qt = pytest.importorskip("qutip")
    h, c_ops = qutip_operators(net)
    return qt.steadystate(h, c_ops, method="direct").full()


def qutip_singular_values(net: Network) -> np.ndarray:
    """Ascending singular values of QuTiP's dense Liouvillian (vectorization-independent)."""
    qt = pytest.importorskip("qutip")
    h, c_ops = qutip_operators(net)
    return np.sort(np.linalg.svd(qt.liouvillian(h, c_ops).full(), compute_uv=False))


def qutip_product_state(net: Network) -> np.ndarray:
    """ρ₀ = ⊗_j ρ_j from QuTiP: each ρ_j the steady state of site j's local Liouvillian
    (its H terms, its own jumps, and √(γ/2)A_j of every collective channel containing j)."""
    qt = pytest.importorskip("qutip")
    factors = []
    for j, d in enumerate(net.dims):
        coll = [Collective([0], c.operator, c.rate) for c in net.collective if j in c.sites]
        fields = dict(omega=[net.omega[j]], field=net.field, dephasing=[net.dephasing[j]],
                      drive=[net.drive[j]], drive_phase=[net.drive_phase[j]], collective=coll)
        if net.is_qubits:
            one = Network([net.gain[j]], [net.damping[j]], **fields)
        else:
            one = Network.spins(float(net.spin[j]), [net.gain[j]], [net.damping[j]], scheme=net.scheme, **fields)
        h, c_ops = qutip_operators(one)
        factors.append(qt.steadystate(h, c_ops, method="direct").full())
    out = factors[0]
    for f in factors[1:]:
        out = np.kron(out, f)
    return out
