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
