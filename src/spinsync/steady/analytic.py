"""The no-go theorem, generalized: the product state ρ₀ and its exact residual L[ρ₀].

**ρ₀** = ⊗_j ρ_j, where ρ_j is the unique steady state of site j's *local Liouvillian*:
every term of L acting on site j alone — its Hamiltonian (ω, field, drive), its own
dissipators, and the single-site part ½γ D[A_j] of each collective channel containing j
(D[Σ_j A_j] = Σ_j D[A_j] + cross terms). A site whose local Liouvillian has no unique
steady state (no dissipation at all, say) has no ρ_j, and then ρ₀ is undefined (None).

**Residual.** Split L = Σ_j L_j + Σ_{j<k} L_jk (L_jk: the bond Hamiltonian of (j, k) and
the cross terms A_jρA_k† + A_kρA_j† − ½{A_k†A_j + A_j†A_k, ρ} of every collective channel
containing both). Since L_j[ρ_j] = 0,

    L[ρ₀] = Σ_{j<k} T_jk ⊗ ρ_rest,        T_jk = L_jk[ρ_j ⊗ ρ_k].

Decompose each T_jk along u_j = ρ_j/‖ρ_j‖ and its orthogonal complement on both sites
(Hilbert–Schmidt inner product): T = c u_j⊗u_k + w_L⊗u_k + u_j⊗w_R + T_⊥⊥. The four kinds
of component are mutually orthogonal across all pairs except that components of one kind
on one site add up, so

    ‖L[ρ₀]‖²/‖ρ₀‖² = |Σ_p c_p/n_p|² + Σ_j ‖Σ_{p∋j} w_{p,j}/n_p‖² + Σ_p ‖T_⊥⊥,p‖²/n_p²,

n_p = ‖ρ_j‖‖ρ_k‖ — exact, in O(pairs · d⁴), with no 4ᴺ object.

**Qubits (paper Eqs. 4–5).** For qubit networks without drives or collective channels
(dephasing allowed: it leaves ρ_j = (I + m_jσᶻ)/2 and acts locally) the split is the
paper's: L[ρ₀] = −i[U, ρ₀] = (i/2) Σ_{j<k} (M_jk + U_jk) ⊗ ρ_rest with

    M_jk = (m_j − m_k)(Uˣ_jk + Uʸ_jk)(σ⁺_j σ⁻_k − σ⁻_j σ⁺_k)
    U_jk = (m_j + m_k)(Uˣ_jk − Uʸ_jk)(σ⁺_j σ⁺_k − σ⁻_j σ⁻_k)

(the paper prints L[ρ₀] = [U, ρ₀]; docs/conventions.md records the missing −i), mutually
orthogonal, so :func:`product_residual_terms` gives each bond's M and U norms in closed
form and ρ₀ is steady exactly when every bond term vanishes.

Consequences (tested): dephasing keeps the theorem (ρ₀ stays diagonal), a drive on any one
site with a bond breaks it, J± spins keep it (ρ_j ∝ (γᵍ/γᵈ)^{Jᶻ} commutes with XXZ bonds for
equal ratios), J±Jᶻ spins break it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..model import Network
from ..operators.terms import Terms
from ..states import ProductState

__all__ = [
    "product_state",
    "local_steady_states",
    "nogo_conditions_hold",
    "product_state_is_steady",
    "BondResidual",
    "product_residual_terms",
    "product_residual",
    "MAGNETIZATION_ATOL",
    "RESIDUAL_RTOL",
]

#: Magnetizations within this absolute distance count as equal (|m| ≤ 1).
MAGNETIZATION_ATOL = 1e-12

#: ρ₀ counts as steady when ‖L[ρ₀]‖/‖ρ₀‖ ≤ RESIDUAL_RTOL × (largest rate or energy of the
#: model): rounding in the local states leaves ~1e-16 of that scale; a genuine residual is
#: many orders larger.
RESIDUAL_RTOL = 1e-12

#: Bytes of pair arrays processed at once by the general residual (keeps N = 1000
#: all-to-all under a few hundred MB).
_CHUNK_BYTES = 64 * 2**20

Matrix = NDArray[np.complex128]


# --------------------------------------------------------------------------- local states
def _is_paper_qubit_model(network: Network) -> bool:
    """Qubits with σ± (and σᶻ dephasing) only, no drive, no collective channel."""
    return network.is_qubits and not network.has_drive and not network.collective


def _local_liouvillian(h: Matrix, jumps: list[Matrix]) -> Matrix:
    """Dense d²×d² local Lindbladian (row-major vec)."""
    d = h.shape[0]
    eye = np.eye(d)
    heff = h.astype(complex)
    out = np.zeros((d * d, d * d), dtype=complex)
    for c in jumps:
        heff = heff - 0.5j * (c.conj().T @ c)
        out += np.kron(c, c.conj())
    return out - 1j * (np.kron(heff, eye) - np.kron(eye, heff.conj()))


#: A local steady state is unique when the second-smallest singular value of the local
#: Liouvillian exceeds this fraction of its norm (dense SVD error ~1e-16 relative).
LOCAL_KERNEL_RTOL = 1e-10


def _local_steady_state(h: Matrix, jumps: list[Matrix]) -> Matrix | None:
    """The unique steady state of one site, or None when it is not unique."""
    if not jumps:
        return None
    d = h.shape[0]
    liouv = _local_liouvillian(h, jumps)
    u, s, vh = np.linalg.svd(liouv)
    if s[-2] <= LOCAL_KERNEL_RTOL * max(s[0], 1e-300):
        return None
    rho = vh[-1].conj().reshape(d, d)
    rho = rho / np.trace(rho)
    return (rho + rho.conj().T) / 2


def local_steady_states(model: Network | Terms) -> list[Matrix | None]:
    """ρ_j of every site's local Liouvillian (module docstring); None where not unique.

    Qubits with σ± rates: the closed form (I + m_jσᶻ)/2 of paper Eq. 4, m = (Γᵍ − Γᵈ)/(Γᵍ + Γᵈ).
    """
    if isinstance(model, Network) and _is_paper_qubit_model(model):
        m = model.magnetization
        out: list[Matrix | None] = []
        for mj in m:
            out.append(None if not np.isfinite(mj) else
                       np.diag([(1 + mj) / 2, (1 - mj) / 2]).astype(complex))
        return out
    terms = model if isinstance(model, Terms) else model.terms
    if not terms.has_local_structure:
        return [None] * terms.n
    cache: dict[bytes, Matrix | None] = {}
    out = []
    for j in range(terms.n):
        h = terms.local_hamiltonian[j]
        jumps = terms.site_jumps(j)
        key = h.tobytes() + b"|" + b"|".join(c.tobytes() for c in jumps)
        if key not in cache:
            cache[key] = _local_steady_state(h, jumps)
        out.append(cache[key])
    return out


def product_state(network: Network | Terms) -> ProductState | None:
    """ρ₀ = ⊗_j ρ_j (paper Eq. 4 for qubits); None if some site has no unique local state."""
    rhos = local_steady_states(network)
    if any(r is None for r in rhos):
        return None
    return ProductState(rhos)


# --------------------------------------------------------------------------- Eq. 5
@dataclass(frozen=True)
class BondResidual:
    """Contribution of one bond to L[ρ₀] (Eq. 5).

    ``m_coefficient`` = (m_j − m_k)(Uˣ + Uʸ) and ``u_coefficient`` = (m_j + m_k)(Uˣ − Uʸ);
    ``m_norm`` and ``u_norm`` are the Frobenius norms of ½ M_jk ⊗ρ_rest and ½ U_jk ⊗ρ_rest
    divided by ‖ρ₀‖_F (so they are comparable at any N).
    """

    j: int
    k: int
    m_coefficient: float
    u_coefficient: float
    m_norm: float
    u_norm: float

    @property
    def norm(self) -> float:
        """Relative norm of the whole bond term (M and U parts are orthogonal)."""
        return float(np.hypot(self.m_norm, self.u_norm))


def _eq5(network: Network) -> tuple[NDArray, NDArray, NDArray]:
    """Per bond: (m_j − m_k)(Uˣ + Uʸ), (m_j + m_k)(Uˣ − Uʸ) and the norm scale (vectorized)."""
    if not _is_paper_qubit_model(network):
        raise ValueError("Eq. 5 holds for qubit networks without drives or collective channels")
    m = network.magnetization
    if not np.all(np.isfinite(m)):
        raise ValueError("Eq. 5 needs Γᵍ + Γᵈ > 0 on every qubit (ρ₀ is undefined otherwise)")
    purity = (1 + m**2) / 2  # ‖ρ_{l,0}‖_F²
    j, k = network.bond_sites.T if len(network.bond_sites) else (np.zeros(0, int),) * 2
    ux, uy = network.bond_couplings[:, 0], network.bond_couplings[:, 1]
    mc = (m[j] - m[k]) * (ux + uy)
    uc = (m[j] + m[k]) * (ux - uy)
    # ‖σ⁺σ⁻ − σ⁻σ⁺‖_F² = ‖σ⁺σ⁺ − σ⁻σ⁻‖_F² = 2; the ½ of Eq. 5; ρ_j ρ_k are replaced by
    # these operators, so divide by their purities.
    scale = np.sqrt(2.0 / (purity[j] * purity[k])) / 2
    return mc, uc, scale


def product_residual_terms(network: Network) -> list[BondResidual]:
    """Per-bond split of L[ρ₀] into the M and U terms of Eq. 5, relative to ‖ρ₀‖_F.

    Defined for qubit networks without drives or collective channels (where Eq. 5 holds);
    raises ValueError otherwise.
    """
    mc, uc, scale = _eq5(network)
    return [BondResidual(int(j), int(k), float(a), float(b), float(abs(a) * c), float(abs(b) * c))
            for (j, k), a, b, c in zip(network.bond_sites, mc, uc, scale)]


# --------------------------------------------------------------------------- general
def _pair_terms(terms: Terms, rhos: list[Matrix]) -> dict[tuple[int, int], list[tuple[NDArray, NDArray]]]:
    """T_jk = L_jk[ρ_j ⊗ ρ_k] for every coupled pair, as (pairs (P, 2), T (P, dd, dd)) chunks,
    grouped by the pair's local dimensions."""
    out: dict[tuple[int, int], list[tuple[NDArray, NDArray]]] = {}
    for group in terms.bonds:
        dl, dr = group.left.shape[1], group.right.shape[1]
        per = max(1, _CHUNK_BYTES // (16 * 8 * (dl * dr) ** 2))
        for start in range(0, len(group.sites), per):
            sites = group.sites[start:start + per]
            u = np.einsum("bp,pxy->bxy", group.coefficients[start:start + per],
                          np.einsum("pab,pcd->pacbd", group.left, group.right)
                          .reshape(len(group.left), dl * dr, dl * dr))
            pair = _kron_batch(np.stack([rhos[j] for j in sites[:, 0]]),
                               np.stack([rhos[k] for k in sites[:, 1]]))
            t = -1j * (u @ pair - pair @ u)
            out.setdefault((dl, dr), []).append((sites, t))
    for ch in terms.channels:
        if len(ch.sites) < 2:
            continue
        idx = np.array(list(combinations(range(len(ch.sites)), 2)), dtype=np.int64)
        sites = np.asarray(ch.sites, dtype=np.int64)[idx]
        dims = [rhos[j].shape[0] for j in ch.sites]
        keys = [(dims[a], dims[b]) for a, b in idx]
        for key in sorted(set(keys)):
            sel = np.array([i for i, kk in enumerate(keys) if kk == key])
            dl, dr = key
            per = max(1, _CHUNK_BYTES // (16 * 12 * (dl * dr) ** 2))
            for start in range(0, sel.size, per):
                part = sel[start:start + per]
                a_l = np.stack([ch.matrices[idx[i, 0]] for i in part])
                a_r = np.stack([ch.matrices[idx[i, 1]] for i in part])
                rl = np.stack([rhos[j] for j in sites[part, 0]])
                rr = np.stack([rhos[k] for k in sites[part, 1]])
                out.setdefault(key, []).append((sites[part], _cross_term(a_l, a_r, rl, rr)))
    return out


def _kron_batch(a: NDArray, b: NDArray) -> NDArray:
    """Batched Kronecker products (P, m, m) ⊗ (P, n, n) → (P, mn, mn)."""
    p, m, _ = a.shape
    n = b.shape[1]
    return np.einsum("pab,pcd->pacbd", a, b).reshape(p, m * n, m * n)


def _cross_term(a_l: NDArray, a_r: NDArray, rho_l: NDArray, rho_r: NDArray) -> NDArray:
    """Cross terms of D[A_j + A_k] on ρ_j ⊗ ρ_k: A_jρA_k† + A_kρA_j† − ½{A_k†A_j + A_j†A_k, ρ}.

    With A_j = A⊗I and A_k = I⊗B every term is a product: e.g. A_j (ρ_j⊗ρ_k) A_k† =
    (Aρ_j) ⊗ (ρ_kB†) and A_k†A_j = A ⊗ B†.
    """
    h = lambda x: np.conj(np.swapaxes(x, -1, -2))  # noqa: E731
    mm = np.matmul
    terms = (
        _kron_batch(mm(a_l, rho_l), mm(rho_r, h(a_r)))
        + _kron_batch(mm(rho_l, h(a_l)), mm(a_r, rho_r))
        - 0.5 * (_kron_batch(mm(a_l, rho_l), mm(h(a_r), rho_r))
                 + _kron_batch(mm(h(a_l), rho_l), mm(a_r, rho_r))
                 + _kron_batch(mm(rho_l, a_l), mm(rho_r, h(a_r)))
                 + _kron_batch(mm(rho_l, h(a_l)), mm(rho_r, a_r)))
    )
    return terms


def _general_residual(terms: Terms, rhos: list[Matrix]) -> float:
    norms = np.array([np.linalg.norm(r) for r in rhos])
    units = [r / nr for r, nr in zip(rhos, norms)]
    total_c = 0j
    qq = 0.0
    # Σ_{p∋j} w_{p,j}/n_p per site, one (N, d²) array per local dimension d.
    w_sites: dict[int, NDArray[np.complex128]] = {}
    for (dl, dr), chunks in _pair_terms(terms, rhos).items():
        # Pairs may appear in several chunks (a bond and a collective channel): sum first.
        sites = np.concatenate([c[0] for c in chunks])
        t = np.concatenate([c[1] for c in chunks])
        keys, inverse = np.unique(sites[:, 0] * terms.n + sites[:, 1], return_inverse=True)
        summed = np.zeros((keys.size,) + t.shape[1:], dtype=complex)
        np.add.at(summed, inverse, t)
        j, k = np.divmod(keys, terms.n)
        # M[p, α, β]: T as an element of (site-j operators) ⊗ (site-k operators).
        mat = summed.reshape(-1, dl, dr, dl, dr).transpose(0, 1, 3, 2, 4).reshape(-1, dl * dl, dr * dr)
        ul = np.stack([units[x].ravel() for x in j])
        ur = np.stack([units[x].ravel() for x in k])
        scale = 1.0 / (norms[j] * norms[k])
        v_l = np.einsum("pab,pb->pa", mat, ur.conj())  # project site k on u_k
        v_r = np.einsum("pab,pa->pb", mat, ul.conj())  # project site j on u_j
        c = np.einsum("pa,pa->p", ul.conj(), v_l)
        w_l = v_l - c[:, None] * ul
        w_r = v_r - c[:, None] * ur
        total_c += np.sum(c * scale)
        frob = np.einsum("pab,pab->p", mat.conj(), mat).real
        rest = frob - np.abs(c) ** 2 - np.sum(np.abs(w_l) ** 2, 1) - np.sum(np.abs(w_r) ** 2, 1)
        qq += float(np.sum(np.clip(rest, 0, None) * scale**2))
        for sites_side, w, d in ((j, w_l, dl), (k, w_r, dr)):
            acc = w_sites.setdefault(d, np.zeros((terms.n, d * d), dtype=complex))
            np.add.at(acc, sites_side, w * scale[:, None])
    wsum = sum(float(np.sum(np.abs(w) ** 2)) for w in w_sites.values())
    return float(np.sqrt(abs(total_c) ** 2 + wsum + qq))


def product_residual(network: Network | Terms) -> float:
    """‖L[ρ₀]‖_F / ‖ρ₀‖_F, exact, without building ρ₀ (module docstring).

    Raises ValueError when ρ₀ is undefined (a site without a unique local steady state).
    """
    if isinstance(network, Network) and _is_paper_qubit_model(network):
        mc, uc, scale = _eq5(network)
        return float(np.sqrt(np.sum((mc**2 + uc**2) * scale**2)))
    terms = network if isinstance(network, Terms) else network.terms
    rhos = local_steady_states(network)
    if any(r is None for r in rhos):
        raise ValueError("ρ₀ is undefined: some site has no unique local steady state")
    return _general_residual(terms, rhos)


def product_state_is_steady(network: Network | Terms) -> bool:
    """True when ρ₀ exists and L[ρ₀] = 0, so ρ₀ is the steady state (unique if L's is).

    For qubit networks without drives or collective channels this is the exact test that
    every bond term of Eq. 5 vanishes; otherwise the closed-form residual is compared with
    :data:`RESIDUAL_RTOL` times the model's rate scale.
    """
    if isinstance(network, Network) and _is_paper_qubit_model(network):
        m = network.magnetization
        if not np.all(np.isfinite(m)):
            return False
        if not len(network.bond_sites):
            return True
        j, k = network.bond_sites.T
        ux, uy = network.bond_couplings[:, 0], network.bond_couplings[:, 1]
        m_term = (np.abs(m[j] - m[k]) > MAGNETIZATION_ATOL) & (ux + uy != 0.0)
        u_term = (np.abs(m[j] + m[k]) > MAGNETIZATION_ATOL) & (ux != uy)
        return not bool(np.any(m_term | u_term))
    terms = network if isinstance(network, Terms) else network.terms
    rhos = local_steady_states(network)
    if any(r is None for r in rhos):
        return False
    return _general_residual(terms, rhos) <= RESIDUAL_RTOL * max(terms.rate_scale(), 1e-300)


def nogo_conditions_hold(network: Network | Any) -> bool:
    """The theorem's conditions (docs/conventions.md), for networks with σ±/J± dissipation.

    Qubits: all m_j equal and Uˣ = Uʸ on every bond, or all m_j = 0 (any XYZ couplings);
    dephasing is allowed, drives and collective channels are not. Spins in the
    ``gain-damping`` scheme: all γᵍ_j/γᵈ_j equal and Uˣ = Uʸ (or γᵍ_j = γᵈ_j everywhere),
    same restrictions. Every site needs Γᵍ + Γᵈ > 0. False otherwise (the Roulet–Bruder
    scheme, operators from outside).
    """
    if not isinstance(network, Network):
        return False
    if network.has_drive or network.collective:
        return False
    if network.kind == "spins" and network.scheme != "gain-damping":
        return False
    m = network.magnetization
    if not np.all(np.isfinite(m)):
        return False
    if np.all(np.abs(m) <= MAGNETIZATION_ATOL):
        return True
    equal_m = bool(np.ptp(m) <= MAGNETIZATION_ATOL)
    return equal_m and network.is_xxz
