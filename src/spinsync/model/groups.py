"""Groups of interchangeable qubits: the permutation symmetries a network has.

Two qubits i and k are *interchangeable* when swapping them leaves the model unchanged: equal
local rates and terms (Γᵍ, Γᵈ, Γᵠ, ω, Ω, φ), equal couplings Uᵅ to every other site l (the
bond between i and k itself may be anything), and membership of the same collective
channels. Swaps that leave the model unchanged compose, so interchangeability is an
equivalence relation; its classes are the *parts* of the network: groups (two or more
qubits) and single sites. Inside a group every pair has the same coupling, and all sites
of one part couple equally to all sites of another.

Comparisons are exact (floating-point equality): the permutation method is exact for the
model as given, and a rate that differs in the last bit is a different model. The field B
is uniform and never breaks the symmetry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network

__all__ = ["Partition", "interchangeable_parts", "difference", "describe_no_groups"]


@dataclass(frozen=True)
class Partition:
    """The classes of interchangeable sites, ordered by their first site.

    Attributes
    ----------
    parts
        Sorted site tuples; together they cover 0 … N − 1 once.
    """

    parts: tuple[tuple[int, ...], ...]

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(p) for p in self.parts)

    @property
    def groups(self) -> tuple[tuple[int, ...], ...]:
        """Parts of two or more sites."""
        return tuple(p for p in self.parts if len(p) > 1)

    @property
    def singles(self) -> tuple[int, ...]:
        """Sites that form a part on their own."""
        return tuple(p[0] for p in self.parts if len(p) == 1)

    @property
    def has_groups(self) -> bool:
        return bool(self.groups)

    def part_of(self) -> np.ndarray:
        """Part index of every site."""
        out = np.empty(sum(self.sizes), dtype=np.int64)
        for i, p in enumerate(self.parts):
            out[list(p)] = i
        return out

    def describe(self) -> str:
        """E.g. ``"1 single site + group of 50 (sites 1–50)"``."""
        bits = []
        singles = len(self.singles)
        if singles:
            bits.append(f"{singles} single site{'s' if singles > 1 else ''}")
        for g in self.groups:
            span = f"{g[0]}–{g[-1]}" if list(g) == list(range(g[0], g[-1] + 1)) else ", ".join(map(str, g))
            bits.append(f"group of {len(g)} (sites {span})")
        return " + ".join(bits)


def _local(network: Network) -> np.ndarray:
    """(N, 6) local parameters; the drive phase only matters where the drive is non-zero."""
    phase = np.where(network.drive != 0, network.drive_phase, 0.0)
    return np.stack([network.gain, network.damping, network.dephasing, network.omega,
                     network.drive, phase], axis=1)


_LOCAL_NAMES = ("gain", "damping", "dephasing", "omega", "drive", "drive_phase")


def _membership(network: Network) -> np.ndarray:
    """(N, C) membership of the collective channels with a non-zero rate."""
    n = network.n
    cols = [np.isin(np.arange(n), c.sites) for c in network.collective if c.rate > 0]
    return np.stack(cols, axis=1) if cols else np.zeros((n, 0), dtype=bool)


def _couplings(network: Network) -> np.ndarray:
    """(3, N, N) coupling matrices Uˣ, Uʸ, Uᶻ."""
    return np.stack([network.coupling_matrix(a) for a in range(3)])


def _swappable(u: np.ndarray, rep: int, cands: np.ndarray) -> np.ndarray:
    """Which candidates k have Uᵅ[k, l] = Uᵅ[rep, l] for every l ∉ {rep, k}."""
    rows = u[:, cands, :]  # (3, K, N)
    same = rows == u[:, rep, :][:, None, :]
    idx = np.arange(cands.size)
    same[:, :, rep] = True
    same[:, idx, cands] = True
    return np.all(same, axis=(0, 2))


def interchangeable_parts(network: Network) -> Partition:
    """The partition of the sites into classes of interchangeable qubits (module docstring).

    Cost O(N² log N) to bucket the sites by their local terms, channels and sorted coupling
    rows, then O(N) per comparison with a class representative. Spin networks are not
    analysed (every site is its own part).
    """
    n = network.n
    if not network.is_qubits or n == 1:
        return Partition(tuple((i,) for i in range(n)))
    local = _local(network)
    member = _membership(network)
    u = _couplings(network)
    # Interchangeable sites have equal multisets of couplings to all other sites.
    off = np.sort(u + np.where(np.eye(n, dtype=bool), np.inf, 0.0)[None], axis=2)
    sig = np.concatenate([local, member.astype(float), off.transpose(1, 0, 2).reshape(n, -1)], axis=1)
    _, bucket = np.unique(sig, axis=0, return_inverse=True)
    bucket = bucket.ravel()
    label = -np.ones(n, dtype=np.int64)
    for b in np.unique(bucket):
        members = np.flatnonzero(bucket == b)
        while members.size:
            rep = int(members[0])
            ok = _swappable(u, rep, members)
            label[members[ok]] = rep
            members = members[~ok]
    parts: dict[int, list[int]] = {}
    for i, r in enumerate(label):
        parts.setdefault(int(r), []).append(i)
    return Partition(tuple(sorted(tuple(p) for p in parts.values())))


def difference(network: Network, i: int, k: int) -> str | None:
    """Why sites i and k are not interchangeable (the first reason), or None if they are."""
    local = _local(network)
    for name, a, b in zip(_LOCAL_NAMES, local[i], local[k]):
        if a != b:
            return f"{name} {a:.6g} vs {b:.6g}"
    member = _membership(network)
    if np.any(member[i] != member[k]):
        c = int(np.flatnonzero(member[i] != member[k])[0])
        return f"only one of them is in collective channel {c}"
    u = _couplings(network)
    for a, name in enumerate("xyz"):
        diff = [l for l in range(network.n) if l not in (i, k) and u[a, i, l] != u[a, k, l]]
        if diff:
            l = diff[0]
            return f"coupling U{name} to site {l}: {u[a, i, l]:.6g} vs {u[a, k, l]:.6g}"
    if not network.is_qubits:
        return "the network has spins, not qubits"
    return None


def describe_no_groups(network: Network) -> str:
    """One line: the closest pair of sites and what distinguishes them."""
    n = network.n
    if n < 2:
        return "the network has a single site"
    local = _local(network)
    member = _membership(network).astype(float)
    feats = np.concatenate([local, member], axis=1)
    # Closest pair: fewest differing local terms and channels (couplings compared after).
    score = np.sum(feats[:, None, :] != feats[None, :, :], axis=2) if n <= 400 else None
    if score is None:
        i, k = 0, 1
    else:
        score = score + np.where(np.eye(n, dtype=bool), 10**6, 0)
        i, k = (int(x) for x in np.unravel_index(np.argmin(score), score.shape))
        i, k = min(i, k), max(i, k)
    why = difference(network, i, k) or "they are interchangeable"
    return f"the closest pair, sites {i} and {k}, differ in {why}"
