"""Validation of model parameters: per-site vectors, bonds, plain-number messages.

Every message names the field and shows the offending value as the user wrote it
(``-1.0``, never ``np.float64(-1.0)``), so the CLI can print it as one line.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError

__all__ = ["format_value", "site_vector", "validate_bonds", "check_rates"]


def format_value(value: object) -> str:
    """A value as users wrote it: plain Python repr, never ``np.float64(...)``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return repr(value)


def site_vector(
    name: str,
    values: ArrayLike | None,
    n: int | None,
    default: float | None = None,
    broadcast: bool = False,
) -> NDArray[np.float64]:
    """One finite number per site.

    Parameters
    ----------
    name
        Field name for messages (``"gain"``, ``"dephasing"`` …).
    values
        The values; ``None`` gives ``default`` everywhere (``n`` must be known then).
    n
        Number of sites, or ``None`` to take it from ``values``.
    broadcast
        Accept a single number for all ``n`` sites (e.g. a spin size ``s``).

    Raises
    ------
    ModelError
        Not numbers, wrong length, or not finite.
    """
    if values is None:
        if default is None or n is None:
            raise ModelError(f"{name}: missing")
        return np.full(n, float(default))
    try:
        arr = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError) as exc:
        raise ModelError(f"{name} = {format_value(values)}: not a list of numbers") from exc
    if arr.ndim != 1:
        raise ModelError(f"{name}: expected a 1-D list, got shape {arr.shape}")
    if broadcast and n is not None and arr.size == 1 and np.ndim(values) == 0:
        arr = np.full(n, float(arr[0]))
    if n is not None and arr.size != n:
        raise ModelError(f"{name}: expected {n} values (one per site), got {arr.size}")
    nonfinite = ~np.isfinite(arr)
    if nonfinite.any():
        i = int(np.flatnonzero(nonfinite)[0])
        raise ModelError(f"{name}[{i}] = {format_value(arr[i])}: must be finite")
    return arr


def check_rates(name: str, rates: NDArray[np.float64]) -> None:
    """Rates are ≥ 0 (finiteness is checked by :func:`site_vector`)."""
    neg = rates < 0
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise ModelError(f"{name}[{i}] = {format_value(rates[i])}: rates must be ≥ 0")


def validate_bonds(
    bonds: Sequence[Sequence[float]], n: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Bonds ``(j, k, ux, uy, uz)`` → sites (B, 2) with j < k and couplings (B, 3).

    Each unordered pair at most once; no self-bonds; indices in [0, n − 1]. Vectorized
    (an all-to-all network of 1000 sites has 499 500 bonds); the message names the first
    offending bond.
    """
    bonds = list(bonds)
    if not bonds:
        return np.zeros((0, 2), dtype=np.int64), np.zeros((0, 3), dtype=float)
    for b, bond in enumerate(bonds):
        if len(bond) != 5:
            raise ModelError(f"bonds[{b}] = {tuple(bond)!r}: expected (j, k, ux, uy, uz)")
    try:
        raw_sites = np.array([bond[:2] for bond in bonds], dtype=object)
        arr = np.array(bonds, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ModelError(f"bonds: not numbers ({exc})") from None
    is_bool = np.vectorize(lambda v: isinstance(v, bool))(raw_sites)
    not_int = is_bool | (arr[:, :2] != np.round(arr[:, :2])) | ~np.isfinite(arr[:, :2])
    if not_int.any():
        b, which = (int(x) for x in np.argwhere(not_int)[0])
        raise ModelError(f"bonds[{b}].{'jk'[which]} = {format_value(bonds[b][which])}: "
                         "site must be an integer")
    sites = arr[:, :2].astype(np.int64)
    out = (sites < 0) | (sites >= n)
    if out.any():
        b, which = (int(x) for x in np.argwhere(out)[0])
        j, k = sites[b]
        raise ModelError(f"bonds[{b}] sites = ({j}, {k}): index {sites[b, which]} out of range "
                         f"[0, {n - 1}]")
    same = sites[:, 0] == sites[:, 1]
    if same.any():
        b = int(np.flatnonzero(same)[0])
        raise ModelError(f"bonds[{b}] sites = ({sites[b, 0]}, {sites[b, 1]}): self-bonds are not allowed")
    ordered = np.sort(sites, axis=1)
    keys = ordered[:, 0] * n + ordered[:, 1]
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    if np.any(counts > 1):
        dup_keys = np.unique(keys)[counts > 1]
        where = np.flatnonzero(np.isin(keys, dup_keys))
        first_dup = int(where[1]) if where.size > 1 else int(where[0])
        # The earliest bond whose key occurred before.
        seen: dict[int, int] = {}
        for b in where.tolist():
            if keys[b] in seen:
                first_dup = b
                break
            seen[int(keys[b])] = b
        j, k = sites[first_dup]
        raise ModelError(f"bonds[{first_dup}] sites = ({j}, {k}): duplicate of bonds[{seen[int(keys[first_dup])]}]")
    couplings = arr[:, 2:]
    bad = ~np.all(np.isfinite(couplings), axis=1)
    if bad.any():
        b = int(np.flatnonzero(bad)[0])
        shown = ", ".join(format_value(v) for v in couplings[b])
        raise ModelError(f"bonds[{b}] couplings = ({shown}): must be finite")
    return ordered, couplings.copy()
