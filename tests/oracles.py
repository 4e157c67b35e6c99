"""Independent reference implementations for the tests (QuTiP and plain numpy).

Nothing here imports spinsync's numerics: operators are written out from CONVENTIONS.md
(basis (|↑⟩, |↓⟩), σᶻ = diag(1, −1), σ⁺|↓⟩ = |↑⟩, qubit 0 = leftmost tensor factor)
so that agreement with the library is evidence, not a tautology. QuTiP uses the same
basis order (qutip.basis(2, 0) is |↑⟩ for sigmaz() = diag(1, −1); sigmap() = [[0,1],[0,0]]).
"""

from __future__ import annotations

from functools import reduce

import numpy as np

# Single-qubit operators, written out by hand (CONVENTIONS.md).
I2 = np.eye(2, dtype=complex)
SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]], dtype=complex)
SZ = np.array([[1, 0], [0, -1]], dtype=complex)
SP = np.array([[0, 1], [0, 0]], dtype=complex)  # σ⁺|↓⟩ = |↑⟩
SM = SP.T.copy()
OPS = {"x": SX, "y": SY, "z": SZ, "+": SP, "-": SM}

TOPOLOGIES = ("all-to-all", "star", "chain", "ring", "power-law", "none")


def embed(op: np.ndarray, j: int, n: int) -> np.ndarray:
    """op acting on qubit j of n (dense, qubit 0 leftmost)."""
    return reduce(np.kron, [op if i == j else I2 for i in range(n)])


def dense_hamiltonian(gain_unused, omega, bonds, field, n) -> np.ndarray:
    h = np.zeros((2**n, 2**n), dtype=complex)
    for j in range(n):
        h += (omega[j] / 2 + field) * embed(SZ, j, n)
    for j, k, ux, uy, uz in bonds:
        for u, s in ((ux, SX), (uy, SY), (uz, SZ)):
            h += u * embed(s, j, n) @ embed(s, k, n)
    return h


def dense_lindblad_rhs(net, rho: np.ndarray) -> np.ndarray:
    """L[ρ] of paper Eq. 2 (with its ½ in front of the dissipators), dense numpy."""
    n = net.n
    h = dense_hamiltonian(None, net.omega, net.bonds, net.field, n)
    out = -1j * (h @ rho - rho @ h)
    for j in range(n):
        for rate, op in ((net.gain[j], SP), (net.damping[j], SM)):
            a = embed(op, j, n)
            ad = a.conj().T
            out += 0.5 * rate * (a @ rho @ ad - 0.5 * (ad @ a @ rho + rho @ ad @ a))
    return out


def qutip_model(net):
    """H and collapse operators √(Γᵍ/2)σ⁺_j, √(Γᵈ/2)σ⁻_j built in QuTiP."""
    import qutip as qt

    n = net.n

    def op(o, j):
        return qt.tensor([o if i == j else qt.qeye(2) for i in range(n)])

    h = 0 * op(qt.qeye(2), 0)
    for j in range(n):
        h += (float(net.omega[j]) / 2 + net.field) * op(qt.sigmaz(), j)
    for j, k, ux, uy, uz in net.bonds:
        h += ux * op(qt.sigmax(), j) * op(qt.sigmax(), k)
        h += uy * op(qt.sigmay(), j) * op(qt.sigmay(), k)
        h += uz * op(qt.sigmaz(), j) * op(qt.sigmaz(), k)
    c_ops = []
    for j in range(n):
        if net.gain[j] > 0:
            c_ops.append(np.sqrt(net.gain[j] / 2) * op(qt.sigmap(), j))
        if net.damping[j] > 0:
            c_ops.append(np.sqrt(net.damping[j] / 2) * op(qt.sigmam(), j))
    return h, c_ops


def qutip_steady(net) -> np.ndarray:
    import qutip as qt

    h, c_ops = qutip_model(net)
    return qt.steadystate(h, c_ops, method="direct").full()


def partial_trace(rho: np.ndarray, keep: list[int], n: int) -> np.ndarray:
    """Tr over the qubits not in ``keep``; result ordered as ``keep`` (dense einsum)."""
    t = rho.reshape([2] * (2 * n))
    letters = "abcdefghijklmnopqrstuvwxyz"
    ket = list(letters[:n])
    bra = list(letters[n : 2 * n])
    for q in range(n):
        if q not in keep:
            bra[q] = ket[q]  # contract
    out = "".join(ket[q] for q in keep) + "".join(bra[q] for q in keep)
    k = len(keep)
    return np.einsum("".join(ket) + "".join(bra) + "->" + out, t).reshape(2**k, 2**k)


def random_density_matrix(rng: np.random.Generator, dim: int, rank: int | None = None) -> np.ndarray:
    rank = dim if rank is None else rank
    a = rng.normal(size=(dim, rank)) + 1j * rng.normal(size=(dim, rank))
    rho = a @ a.conj().T
    return rho / np.trace(rho).real


def random_rates(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Rates in [0.1, 3] (distinct ratios with probability 1)."""
    return rng.uniform(0.1, 3.0, n), rng.uniform(0.1, 3.0, n)


def sqrtm_fidelity(rho: np.ndarray, sigma: np.ndarray) -> float:
    """Tr √(√ρ σ √ρ) with scipy.linalg.sqrtm (Uhlmann, not squared)."""
    from scipy.linalg import sqrtm

    r = sqrtm(rho)
    return float(np.real(np.trace(sqrtm(r @ sigma @ r))))


def dense_effective_hamiltonian(net) -> np.ndarray:
    """H_eff = H − (i/2) Σ_c c†c of the paper's qubit model, dense (c = √(Γ/2) σ±_j)."""
    n = net.n
    heff = dense_hamiltonian(None, net.omega, net.bonds, net.field, n).astype(complex)
    for j in range(n):
        for rate, op in ((net.gain[j], SP), (net.damping[j], SM)):
            a = embed(op, j, n)
            heff -= 0.25j * rate * (a.conj().T @ a)
    return heff


# =====================================================================================
# General model (issue 10): builders from RAW parameters, never from spinsync objects.
#
# Every builder describes the master equation of CONVENTIONS.md,
#     dρ/dt = −i[H, ρ] + Σ_c ½ r_c D[A_c] ρ,     D[A]ρ = AρA† − ½{A†A, ρ},
# as a Hamiltonian and a list of jumps (r_c, A_c) — note the ½ in front of every
# dissipator, so a QuTiP collapse operator is √(r_c/2)·A_c.
#
# Two independent paths build each model:
#   * dense numpy, from matrices written out here by hand, with the drive written as
#     (Ω/2)(e^{−iφ}σ⁺ + e^{iφ}σ⁻) and the XY part of a bond as (Uˣ+Uʸ)(σ⁺σ⁻ + σ⁻σ⁺) +
#     (Uˣ−Uʸ)(σ⁺σ⁺ + σ⁻σ⁻) (for spins with the J± analogues) — i.e. in a different algebraic
#     form than the convention's text;
#   * QuTiP, from qutip.sigmax/…/jmat, written literally as the convention's text.
# tests/test_oracles.py checks that the two agree, so that a slip in one form shows.
#
# Collective channels are given as (sites, operator, rate) tuples or {"sites", "operator",
# "rate"} dicts; sites is "all" or a list; operator is "lowering" | "raising" | "dephasing".
# =====================================================================================

from dataclasses import dataclass, field as _field
from typing import Any, Iterable, Sequence


def _vec(values, n: int, default: float = 0.0) -> np.ndarray:
    if values is None:
        return np.full(n, default, dtype=float)
    arr = np.atleast_1d(np.asarray(values, dtype=float))
    if arr.size == 1 and n != 1:
        arr = np.full(n, float(arr[0]))
    assert arr.shape == (n,), f"expected {n} values, got {arr.shape}"
    return arr


def collective_list(collective: Iterable[Any], n: int) -> list[tuple[list[int], str, float]]:
    """Normalize raw collective channels to [(sites, operator, rate)] with explicit sites."""
    out = []
    for c in collective:
        if isinstance(c, dict):
            sites, operator, rate = c["sites"], c["operator"], c["rate"]
        else:
            sites, operator, rate = c
        sites = list(range(n)) if sites == "all" else [int(j) for j in sites]
        assert operator in ("lowering", "raising", "dephasing"), operator
        out.append((sites, operator, float(rate)))
    return out


def spin_matrices(s: float) -> dict[str, np.ndarray]:
    """Jᶻ, J⁺, J⁻, Jˣ, Jʸ for spin s by hand, basis m = s, s−1, …, −s.

    J⁺|s, m⟩ = √(s(s+1) − m(m+1)) |s, m+1⟩; Jˣ = (J⁺ + J⁻)/2, Jʸ = (J⁺ − J⁻)/(2i).
    """
    d = int(round(2 * s)) + 1
    assert abs((d - 1) / 2 - s) < 1e-12 and d >= 2, s
    m = s - np.arange(d)
    jp = np.zeros((d, d), dtype=complex)
    for i in range(1, d):  # |m_i⟩ → |m_i + 1⟩ = |m_{i−1}⟩
        jp[i - 1, i] = np.sqrt(s * (s + 1) - m[i] * (m[i] + 1))
    jm = jp.conj().T.copy()
    return {
        "z": np.diag(m).astype(complex), "+": jp, "-": jm,
        "x": (jp + jm) / 2, "y": (jp - jm) / 2j, "I": np.eye(d, dtype=complex),
    }


@dataclass
class DenseModel:
    """A model as local terms on sites of dimensions ``dims`` (site 0 leftmost), dense numpy.

    local_h[j]       : d_j × d_j single-site Hamiltonian (fields, drive).
    local_jumps[j]   : [(rate, A)] single-site jumps, each entering as ½·rate·D[A].
    bond_terms       : [(j, k, [(c, A, B)])]: H += Σ c·A_j B_k (A on j, B on k).
    collective       : [(rate, [(site, A)])]: ½·rate·D[Σ A_site].
    """

    dims: list[int]
    local_h: list[np.ndarray]
    local_jumps: list[list[tuple[float, np.ndarray]]]
    bond_terms: list[tuple[int, int, list[tuple[complex, np.ndarray, np.ndarray]]]] = _field(default_factory=list)
    collective: list[tuple[float, list[tuple[int, np.ndarray]]]] = _field(default_factory=list)

    @property
    def dim(self) -> int:
        return int(np.prod(self.dims))

    def embed(self, op: np.ndarray, j: int) -> np.ndarray:
        return reduce(np.kron, [op if i == j else np.eye(d, dtype=complex) for i, d in enumerate(self.dims)])

    def hamiltonian(self) -> np.ndarray:
        h = np.zeros((self.dim, self.dim), dtype=complex)
        for j, hj in enumerate(self.local_h):
            h += self.embed(hj, j)
        for j, k, terms in self.bond_terms:
            for c, a, b in terms:
                h += c * self.embed(a, j) @ self.embed(b, k)
        return h

    def jumps(self) -> list[tuple[float, np.ndarray]]:
        out = []
        for j, lj in enumerate(self.local_jumps):
            out += [(r, self.embed(a, j)) for r, a in lj if r != 0]
        for r, parts in self.collective:
            if r != 0:
                out.append((r, sum(self.embed(a, j) for j, a in parts)))
        return out

    def rhs(self, rho: np.ndarray) -> np.ndarray:
        """L[ρ] applied directly (no superoperator)."""
        return lindblad_rhs(self.hamiltonian(), self.jumps(), rho)

    def liouvillian(self) -> np.ndarray:
        return dense_liouvillian(self.hamiltonian(), self.jumps())

    def steady(self) -> np.ndarray:
        return dense_steady(self.hamiltonian(), self.jumps())

    def collapse_operators(self) -> list[np.ndarray]:
        """c = √(r/2)·A for every jump (the ½ of ½ r D[A])."""
        return [np.sqrt(r / 2) * a for r, a in self.jumps()]

    def effective_hamiltonian(self) -> np.ndarray:
        """H_eff = H − (i/2) Σ_c c†c."""
        return self.hamiltonian() - 0.5j * sum((c.conj().T @ c for c in self.collapse_operators()),
                                               np.zeros((self.dim, self.dim), complex))

    def irreducible(self) -> bool:
        """Whether {H_eff, c} generate all matrices (Burnside: no common invariant subspace)."""
        return unital_algebra_is_full([self.effective_hamiltonian(), *self.collapse_operators()])

    def kernel_dimension(self, tol: float = 1e-9) -> int:
        """Number of zero singular values of L (1 ⇔ unique steady state). Dense SVD: D ≤ 27."""
        sv = np.linalg.svd(self.liouvillian(), compute_uv=False)
        return int(np.sum(sv < tol * max(1.0, sv[0])))

    def local_steady(self, j: int) -> np.ndarray | None:
        """Steady state of site j's own Liouvillian (its local H and local jumps only);
        None when it is not unique (no local dissipation, or only dephasing, …)."""
        h = self.local_h[j]
        jumps = [(r, a) for r, a in self.local_jumps[j] if r != 0]
        liou = dense_liouvillian(h, jumps)
        sv = np.linalg.svd(liou, compute_uv=False)
        if np.sum(sv < 1e-10 * max(1.0, sv[0])) != 1:
            return None
        return dense_steady(h, jumps)

    def product_state(self) -> np.ndarray | None:
        """ρ₀ = ⊗_j (local steady state of site j), or None if some site has none unique."""
        locs = [self.local_steady(j) for j in range(len(self.dims))]
        if any(x is None for x in locs):
            return None
        return reduce(np.kron, locs)


def unital_algebra_is_full(generators: Sequence[np.ndarray], tol: float = 1e-9) -> bool:
    """Whether I and ``generators`` span all d×d matrices under products (dense closure).

    Independent of spinsync: grow an orthonormal basis (QR with a rank cut) of vec(words),
    multiplying every new element by every generator, until nothing new appears. d ≤ 32.
    """
    d = generators[0].shape[0]
    gens = [g / np.linalg.norm(g) for g in generators if np.linalg.norm(g) > 0]
    basis = np.zeros((d * d, 0), complex)
    new = [np.eye(d, dtype=complex) / np.sqrt(d)]
    while new and basis.shape[1] < d * d:
        cand = np.stack([w.reshape(-1) for w in new], axis=1)
        cand = cand - basis @ (basis.conj().T @ cand)
        cand = cand - basis @ (basis.conj().T @ cand)
        u, sv, _ = np.linalg.svd(cand, full_matrices=False)
        keep = u[:, sv > tol]
        basis = np.concatenate([basis, keep], axis=1)
        new = [g @ k.reshape(d, d) for k in keep.T for g in gens]
    return basis.shape[1] == d * d


def lindblad_rhs(h: np.ndarray, jumps: Sequence[tuple[float, np.ndarray]], rho: np.ndarray) -> np.ndarray:
    """−i[H, ρ] + Σ ½ r D[A] ρ, written out."""
    out = -1j * (h @ rho - rho @ h)
    for r, a in jumps:
        ad = a.conj().T
        out += 0.5 * r * (a @ rho @ ad - 0.5 * (ad @ a @ rho + rho @ ad @ a))
    return out


def dense_liouvillian(h: np.ndarray, jumps: Sequence[tuple[float, np.ndarray]]) -> np.ndarray:
    """Superoperator for row-major vec(ρ) = ρ.reshape(−1): vec(AρB) = (A ⊗ Bᵀ) vec(ρ)."""
    d = h.shape[0]
    eye = np.eye(d)
    liou = -1j * (np.kron(h, eye) - np.kron(eye, h.T))
    for r, a in jumps:
        ada = a.conj().T @ a
        liou += 0.5 * r * (np.kron(a, a.conj()) - 0.5 * np.kron(ada, eye) - 0.5 * np.kron(eye, ada.T))
    return liou


def dense_steady(h: np.ndarray, jumps: Sequence[tuple[float, np.ndarray]]) -> np.ndarray:
    """The steady state by a dense LU with the trace condition replacing one equation
    (assumes it is unique; check kernel_dimension when that is in doubt)."""
    d = h.shape[0]
    liou = dense_liouvillian(h, jumps)
    a = liou.copy()
    a[0, :] = np.eye(d).reshape(-1)  # Tr ρ = Σ_i ρ_ii
    b = np.zeros(d * d, dtype=complex)
    b[0] = 1.0
    rho = np.linalg.solve(a, b).reshape(d, d)
    return (rho + rho.conj().T) / 2


def dense_evolve(h: np.ndarray, jumps, rho0: np.ndarray, times: Sequence[float]) -> list[np.ndarray]:
    """ρ(t) = exp(L t) ρ₀ by the dense matrix exponential (exact to rounding; small D)."""
    from scipy.linalg import expm

    liou = dense_liouvillian(h, jumps)
    d = h.shape[0]
    return [(expm(liou * t) @ rho0.reshape(-1)).reshape(d, d) for t in times]


# ------------------------------------------------------------------ qubits (Pauli conventions)
def qubit_dense_model(
    gain, damping, omega=None, bonds=(), field: float = 0.0, *,
    dephasing=None, drive=None, drive_phase=None, collective=(),
) -> DenseModel:
    """Qubit model of CONVENTIONS.md, dense numpy, from raw parameters.

    H = Σ_j (ω_j/2 + B) σᶻ_j + Σ_j (Ω_j/2)(e^{−iφ_j}σ⁺_j + e^{iφ_j}σ⁻_j) + Σ_bonds Σ_α Uᵅ σᵅσᵅ;
    jumps ½Γᵍ D[σ⁺], ½Γᵈ D[σ⁻], ½Γᵠ D[σᶻ], ½γ D[Σ_S A].
    """
    g = np.atleast_1d(np.asarray(gain, dtype=float))
    n = g.size
    d = _vec(damping, n)
    w = _vec(omega, n)
    deph = _vec(dephasing, n)
    om = _vec(drive, n)
    ph = _vec(drive_phase, n)
    local_h, local_jumps = [], []
    for j in range(n):
        hj = (w[j] / 2 + field) * SZ + (om[j] / 2) * (np.exp(-1j * ph[j]) * SP + np.exp(1j * ph[j]) * SM)
        local_h.append(hj)
        local_jumps.append([(g[j], SP), (d[j], SM), (deph[j], SZ)])
    bond_terms = []
    for j, k, ux, uy, uz in bonds:
        bond_terms.append((int(j), int(k), [
            (ux + uy, SP, SM), (ux + uy, SM, SP), (ux - uy, SP, SP), (ux - uy, SM, SM), (uz, SZ, SZ),
        ]))
    coll = []
    ops = {"lowering": SM, "raising": SP, "dephasing": SZ}
    for sites, operator, rate in collective_list(collective, n):
        coll.append((rate, [(j, ops[operator]) for j in sites]))
    return DenseModel([2] * n, local_h, local_jumps, bond_terms, coll)


def qutip_qubit_model(
    gain, damping, omega=None, bonds=(), field: float = 0.0, *,
    dephasing=None, drive=None, drive_phase=None, collective=(),
):
    """The same qubit model in QuTiP, written literally as CONVENTIONS.md: (H, c_ops)."""
    import qutip as qt

    g = np.atleast_1d(np.asarray(gain, dtype=float))
    n = g.size
    d = _vec(damping, n)
    w = _vec(omega, n)
    deph = _vec(dephasing, n)
    om = _vec(drive, n)
    ph = _vec(drive_phase, n)

    def op(o, j):
        return qt.tensor([o if i == j else qt.qeye(2) for i in range(n)])

    h = 0 * op(qt.qeye(2), 0)
    for j in range(n):
        h += (w[j] / 2 + field) * op(qt.sigmaz(), j)
        h += (om[j] / 2) * (np.cos(ph[j]) * op(qt.sigmax(), j) + np.sin(ph[j]) * op(qt.sigmay(), j))
    for j, k, ux, uy, uz in bonds:
        h += ux * op(qt.sigmax(), j) * op(qt.sigmax(), k)
        h += uy * op(qt.sigmay(), j) * op(qt.sigmay(), k)
        h += uz * op(qt.sigmaz(), j) * op(qt.sigmaz(), k)
    c_ops = []
    for j in range(n):
        for rate, o in ((g[j], qt.sigmap()), (d[j], qt.sigmam()), (deph[j], qt.sigmaz())):
            if rate > 0:
                c_ops.append(np.sqrt(rate / 2) * op(o, j))
    ops = {"lowering": qt.sigmam(), "raising": qt.sigmap(), "dephasing": qt.sigmaz()}
    for sites, operator, rate in collective_list(collective, n):
        if rate > 0:
            c_ops.append(np.sqrt(rate / 2) * sum(op(ops[operator], j) for j in sites))
    return h, c_ops


# ------------------------------------------------------------------ spins of any size (Eq. S29)
SCHEMES = ("gain-damping", "roulet-bruder")


def _spin_list(s, n: int) -> list[float]:
    arr = np.atleast_1d(np.asarray(s, dtype=float))
    if arr.size == 1:
        arr = np.full(n, float(arr[0]))
    assert arr.shape == (n,)
    return [float(x) for x in arr]


def spin_dense_model(
    s, gain, damping, *, scheme: str = "gain-damping", dephasing=None, omega=None,
    drive=None, drive_phase=None, bonds=(), field: float = 0.0, collective=(),
) -> DenseModel:
    """Spin-s model (supplement Eq. S29 on n sites, CONVENTIONS.md), dense numpy.

    H = Σ_j (ω_j/2 + B) Jᶻ_j + Σ_j (Ω_j/2)(e^{−iφ_j}J⁺_j + e^{iφ_j}J⁻_j) + Σ_bonds Σ_α Uᵅ JᵅJᵅ
    (the drive is Ω(cos φ Jˣ + sin φ Jʸ), the field B Σ Jᶻ); jumps ½γᵍ D[A⁺], ½γᵈ D[A⁻],
    ½γᵠ D[Jᶻ], with A± = J± ("gain-damping") or J±Jᶻ ("roulet-bruder"); collective channels
    ½γ D[Σ_S A] with A = J⁻, J⁺, Jᶻ (independent of the scheme).
    """
    assert scheme in SCHEMES, scheme
    g = np.atleast_1d(np.asarray(gain, dtype=float))
    n = g.size
    spins = _spin_list(s, n)
    d = _vec(damping, n)
    w = _vec(omega, n)
    deph = _vec(dephasing, n)
    om = _vec(drive, n)
    ph = _vec(drive_phase, n)
    mats = [spin_matrices(sj) for sj in spins]
    local_h, local_jumps = [], []
    for j, o in enumerate(mats):
        local_h.append((w[j] / 2 + field) * o["z"] + (om[j] / 2) * (np.exp(-1j * ph[j]) * o["+"] + np.exp(1j * ph[j]) * o["-"]))
        up, down = (o["+"], o["-"]) if scheme == "gain-damping" else (o["+"] @ o["z"], o["-"] @ o["z"])
        local_jumps.append([(g[j], up), (d[j], down), (deph[j], o["z"])])
    bond_terms = []
    for j, k, ux, uy, uz in bonds:
        a, b = mats[int(j)], mats[int(k)]
        bond_terms.append((int(j), int(k), [
            ((ux + uy) / 4, a["+"], b["-"]), ((ux + uy) / 4, a["-"], b["+"]),
            ((ux - uy) / 4, a["+"], b["+"]), ((ux - uy) / 4, a["-"], b["-"]),
            (uz, a["z"], b["z"]),
        ]))
    key = {"lowering": "-", "raising": "+", "dephasing": "z"}
    coll = [(rate, [(j, mats[j][key[operator]]) for j in sites])
            for sites, operator, rate in collective_list(collective, n)]
    return DenseModel([int(round(2 * x)) + 1 for x in spins], local_h, local_jumps, bond_terms, coll)


def qutip_spin_model(
    s, gain, damping, *, scheme: str = "gain-damping", dephasing=None, omega=None,
    drive=None, drive_phase=None, bonds=(), field: float = 0.0, collective=(),
):
    """The same spin model in QuTiP (qutip.jmat), written literally: (H, c_ops)."""
    import qutip as qt

    assert scheme in SCHEMES, scheme
    g = np.atleast_1d(np.asarray(gain, dtype=float))
    n = g.size
    spins = _spin_list(s, n)
    d = _vec(damping, n)
    w = _vec(omega, n)
    deph = _vec(dephasing, n)
    om = _vec(drive, n)
    ph = _vec(drive_phase, n)
    dims = [int(round(2 * x)) + 1 for x in spins]

    def op(name, j):
        return qt.tensor([qt.jmat(spins[i], name) if i == j else qt.qeye(dims[i]) for i in range(n)])

    h = 0 * qt.tensor([qt.qeye(x) for x in dims])
    for j in range(n):
        h += (w[j] / 2) * op("z", j) + field * op("z", j)
        h += om[j] * (np.cos(ph[j]) * op("x", j) + np.sin(ph[j]) * op("y", j))
    for j, k, ux, uy, uz in bonds:
        for u, a in ((ux, "x"), (uy, "y"), (uz, "z")):
            h += u * op(a, j) * op(a, k)
    c_ops = []
    for j in range(n):
        jp, jm, jz = op("+", j), op("-", j), op("z", j)
        up, down = (jp, jm) if scheme == "gain-damping" else (jp * jz, jm * jz)
        for rate, o in ((g[j], up), (d[j], down), (deph[j], jz)):
            if rate > 0:
                c_ops.append(np.sqrt(rate / 2) * o)
    key = {"lowering": "-", "raising": "+", "dephasing": "z"}
    for sites, operator, rate in collective_list(collective, n):
        if rate > 0:
            c_ops.append(np.sqrt(rate / 2) * sum(op(key[operator], j) for j in sites))
    return h, c_ops


def spin_half_to_qubit(
    gain, damping, *, scheme: str = "gain-damping", dephasing=None, omega=None, drive=None,
    drive_phase=None, bonds=(), field: float = 0.0, collective=(),
) -> dict[str, Any]:
    """Qubit parameters (Pauli conventions) of the s = ½ spin model with these parameters.

    Exact map (CONVENTIONS.md, "Spins of any size"), with Jᵅ = σᵅ/2, J± = σ±:
    ω_q = ω_s/2, U_q = U_s/4, Γᵠ_q = γᵠ_s/4, Ω_q = Ω_s (drive equal), B_q = B_s/2;
    gain/damping: equal for "gain-damping"; for "roulet-bruder" J⁺Jᶻ = −½σ⁺ and
    J⁻Jᶻ = ½σ⁻, so Γ_q = γ_s/4. Collective lowering/raising: equal; collective
    dephasing D[ΣJᶻ] = ¼D[Σσᶻ]: rate/4.
    """
    g = np.atleast_1d(np.asarray(gain, dtype=float))
    n = g.size
    scale = 1.0 if scheme == "gain-damping" else 0.25
    coll = [(sites, op, rate / 4 if op == "dephasing" else rate)
            for sites, op, rate in collective_list(collective, n)]
    return dict(
        gain=g * scale, damping=_vec(damping, n) * scale, omega=_vec(omega, n) / 2,
        bonds=[(j, k, ux / 4, uy / 4, uz / 4) for j, k, ux, uy, uz in bonds], field=field / 2,
        dephasing=_vec(dephasing, n) / 4, drive=_vec(drive, n), drive_phase=_vec(drive_phase, n),
        collective=coll,
    )


def qutip_steady_state(h, c_ops) -> np.ndarray:
    """qutip.steadystate(H, c_ops, method="direct") as a dense array."""
    import qutip as qt

    return qt.steadystate(h, c_ops, method="direct").full()


def partial_trace_dims(rho: np.ndarray, keep: Sequence[int], dims: Sequence[int]) -> np.ndarray:
    """Tr over the sites not in ``keep`` for sites of dimensions ``dims`` (order of keep)."""
    n = len(dims)
    t = rho.reshape(list(dims) * 2)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    ket = list(letters[:n])
    bra = list(letters[n:2 * n])
    for q in range(n):
        if q not in keep:
            bra[q] = ket[q]
    out = "".join(ket[q] for q in keep) + "".join(bra[q] for q in keep)
    dk = int(np.prod([dims[q] for q in keep]))
    return np.einsum("".join(ket) + "".join(bra) + "->" + out, t).reshape(dk, dk)


# ------------------------------------------------------------------ boundary-driven XXZ chain
# Prosen, PRL 107, 137201 (2011), in HIS conventions:
#   dρ/dt = −i[H, ρ] + Σ_{k=1,2} (2 L_k ρ L_k† − {L_k† L_k, ρ}),
#   H = Σ_{j=1}^{n−1} (2σ⁺_jσ⁻_{j+1} + 2σ⁻_jσ⁺_{j+1} + Δ σᶻ_jσᶻ_{j+1})
#     = Σ (σˣσˣ + σʸσʸ + Δσᶻσᶻ),
#   L₁ = √ε σ⁺₁ (pump up at the first site), L₂ = √ε σ⁻ₙ (pull down at the last site),
#   nothing on the sites in between.
# His dissipator is 2·D[L] = 2ε D[σ] (D[A]ρ = AρA† − ½{A†A, ρ}), so a QuTiP collapse operator
# is √(2ε)·σ, and in OUR conventions (½Γ D[σ]) Γ = 4ε: Γᵍ_0 = 4ε, Γᵈ_{n−1} = 4ε, all other
# rates 0; bonds (j, j+1, Uˣ = 1, Uʸ = 1, Uᶻ = Δ); ω = 0, no field.
# The n = 2 current 2ε/(4 + ε²) holds for the operator J = i(σ⁺_1σ⁻_2 − σ⁻_1σ⁺_2)
# = ½(σˣ_1σʸ_2 − σʸ_1σˣ_2) (checked in tests/test_oracles.py; see the docstring there).
def prosen_qutip_model(n: int, eps: float, delta: float):
    """Prosen's boundary-driven XXZ chain in his own conventions, QuTiP (H, c_ops)."""
    import qutip as qt

    def op(o, j):
        return qt.tensor([o if i == j else qt.qeye(2) for i in range(n)])

    sp, sm, sz = qt.sigmap(), qt.sigmam(), qt.sigmaz()
    h = 0 * op(qt.qeye(2), 0)
    for j in range(n - 1):
        h += 2 * op(sp, j) * op(sm, j + 1) + 2 * op(sm, j) * op(sp, j + 1) + delta * op(sz, j) * op(sz, j + 1)
    # 2 L ρ L† − {L†L, ρ} = D[√2 L]: collapse operators √(2ε) σ.
    c_ops = [np.sqrt(2 * eps) * op(sp, 0), np.sqrt(2 * eps) * op(sm, n - 1)]
    return h, c_ops


def prosen_current_operator(n: int, j: int = 0):
    """J_j = i(σ⁺_jσ⁻_{j+1} − σ⁻_jσ⁺_{j+1}) (0-based j), QuTiP; ⟨J⟩ > 0: up-magnetization
    flows from the pumped first site towards the last."""
    import qutip as qt

    def op(o, i):
        return qt.tensor([o if q == i else qt.qeye(2) for q in range(n)])

    sp, sm = qt.sigmap(), qt.sigmam()
    return 1j * (op(sp, j) * op(sm, j + 1) - op(sm, j) * op(sp, j + 1))


def prosen_current_dense(n: int, j: int = 0) -> np.ndarray:
    """The same J_j as a dense numpy matrix (qubit 0 leftmost)."""
    return 1j * (embed(SP, j, n) @ embed(SM, j + 1, n) - embed(SM, j, n) @ embed(SP, j + 1, n))


def prosen_current_n2(eps: float) -> float:
    """Prosen's n = 2 spin current, 2ε/(4 + ε²)."""
    return 2 * eps / (4 + eps**2)


def prosen_our_parameters(n: int, eps: float, delta: float) -> dict[str, Any]:
    """Raw qubit parameters (our conventions) of Prosen's chain: Γ = 4ε at the two ends."""
    gain = np.zeros(n)
    damping = np.zeros(n)
    gain[0] = 4 * eps
    damping[n - 1] = 4 * eps
    return dict(gain=gain, damping=damping, omega=np.zeros(n),
                bonds=[(j, j + 1, 1.0, 1.0, float(delta)) for j in range(n - 1)], field=0.0)


def piqs_steady(n: int, hamiltonian, **rates) -> np.ndarray:
    """Steady state of ``qutip.piqs.Dicke(n, hamiltonian, **rates)`` in its Dicke basis.

    PIQS's Liouvillian acts on all nds² entries of the Dicke-basis matrix, and the entries
    outside its blocks (j ≠ j′) are decoupled zero modes, so ``qutip.steadystate`` on it
    fails with "Matrix is singular". As the PIQS documentation describes the
    representative density matrix as block diagonal (``piqs.block_matrix`` marks the
    blocks), we keep those entries only, replace one diagonal row by the trace and solve.
    PIQS computes its coefficients in single precision: entries agree to ~1e-7.
    """
    import scipy.sparse as sps
    import scipy.sparse.linalg as spla
    from qutip import piqs

    system = piqs.Dicke(n, hamiltonian=hamiltonian, **rates)
    liouv = sps.csr_matrix(system.liouvillian().data_as("csr_matrix"))
    nds = piqs.num_dicke_states(n)
    blocks = piqs.block_matrix(n).tocoo()
    keep = np.sort(blocks.col * nds + blocks.row)  # QuTiP stacks columns: vec index c·nds + r
    rows, cols = keep % nds, keep // nds
    system_ = liouv[keep][:, keep].tolil()
    diag = np.flatnonzero(rows == cols)
    system_[diag[0], :] = 0
    system_[diag[0], diag] = 1
    rhs = np.zeros(keep.size, dtype=complex)
    rhs[diag[0]] = 1
    x = spla.spsolve(system_.tocsc(), rhs)
    rho = np.zeros((nds, nds), dtype=complex)
    rho[rows, cols] = x
    return rho
