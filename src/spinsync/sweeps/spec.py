"""Sweep files: a base model plus axes, validated with pydantic (no ``eval``).

Shape (see ``examples/sweeps/``)::

    model_file = "../two_qubit.toml"   # base model, relative to this file (a top-level
                                       # key: before any [table]) …
    # … or inline, with the model-file schema:
    # [model.qubits]
    # magnetization = [0.25, -0.25]
    # [model.couplings]
    # topology = "all-to-all"
    # ux = 1

    [sweep]
    name = "fig2a"                 # used in messages and metadata
    description = "Sᵐᵃˣ₁₂ over (m₁, m₂)"
    solver = "auto"                # auto | batch | analytic | direct | gmres | permutation | cumulant
    chunk_size = 2000              # optional: points per checkpoint chunk (default: ~1 s of work)

    [[axis]]                       # axes make a grid, the first one varies slowest
    name = "m1"                    # coordinate name in the NetCDF file (identifier)
    label = "m₁"                   # optional, for plots
    set = ["qubits.magnetization[0]"]   # one or several tied parameter paths (axes.py)
    scale = [1.0]                  # optional per path: path value = scale × axis value
    start = -0.99                  # linspace(start, stop, num) …
    stop = 0.99
    num = 201
    # spacing = "log"              # … or geomspace; or explicit: values = [0.1, 0.2]

    [[tie]]                        # applied in order after the axes, at every point
    set = ["qubits.damping[1]"]    # one or several paths
    from = "qubits.damping[0]"     # path value = scale × (value of `from`)
    scale = [2.0]

The base model is whatever the model-file loader accepts (``[qubits]`` or ``[spins]``, with
``[[collective]]`` tables) and fixes the structure; the paths (``axes.py``) set
qubit, spin, coupling and collective-channel parameters. ``solver = "auto"`` solves the grid as
dense stacks (``batch.py``) when the steady sector of the weakest symmetry over all points has
at most :data:`BATCH_MAX_DIM` entries, else point by point with ``steady_state``.

Every error names the file, the field (dotted path) and the offending value.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import ModelError, ModelFileError
from ..io.model_file import _describe, load_model, model_from_dict, read_toml_file
from ..model import Network
from ..operators.symmetry import SYMMETRIES
from .axes import ParamPath, PointParams, parse_path
from .batch import RESULT_KEYS, sector_dim

__all__ = ["Axis", "Tie", "SweepSpec", "load_sweep", "sweep_from_dict", "SOLVERS_BUILTIN"]

#: Solvers besides the registered ``steady_state`` methods.
SOLVERS_BUILTIN = ("auto", "batch")

#: Largest sector dimension ``auto`` solves as dense stacks (a 512×512 real LU takes
#: ~6 ms; beyond ~1000 the per-point sparse direct solve wins and memory grows as D²).
#: The dimension is that of the weakest symmetry over all points, counted exactly
#: (:meth:`~spinsync.operators.space.Space.steady_sector_dim`): 252 for five XXZ qubits,
#: 512 for five XYZ qubits, 256 for four driven qubits, 81 for a driven spin-1 pair.
BATCH_MAX_DIM = 600

#: Points whose parameters are built at once when the whole grid is scanned.
_SCAN = 100_000

#: Target wall time of one checkpoint chunk and the measured cost of one batched point
#: (seconds per D³, D the sector dimension; 1.2 ms at D = 252, 6.4 ms at D = 512).
CHUNK_SECONDS = 1.0
BATCH_SECONDS_PER_D3 = 6e-11
MAX_CHUNK = 20000

#: Largest grid a sweep may have. Every point is built and validated before any work, and
#: its results kept in memory and in the file (~100 bytes per point and pair): 10⁷ points
#: validate in about a minute and fit; a 10⁵ × 10⁵ grid (10¹⁰) would not.
MAX_SWEEP_POINTS = 10_000_000

_RESERVED = {"pair", "qubit", "site", "pair_j", "pair_k", "panel"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=True, populate_by_name=True)


def _check_paths(paths: list[str]) -> list[str]:
    for p in paths:
        try:
            parse_path(p)
        except ModelError as exc:
            raise ValueError(str(exc)) from None
    return paths


class AxisModel(_Strict):
    name: str
    label: str | None = None
    units: str | None = None
    targets: list[str] = Field(alias="set", min_length=1)
    scale: list[float] | None = None
    values: list[float] | None = None
    start: float | None = None
    stop: float | None = None
    num: int | None = Field(default=None, ge=1, le=10_000_000)
    spacing: Literal["linear", "log"] = "linear"

    @field_validator("name")
    @classmethod
    def _ident(cls, v: str) -> str:
        if not _IDENT.match(v):
            raise ValueError("must be an identifier (letters, digits, _)")
        if v in _RESERVED:
            raise ValueError(f"is reserved ({', '.join(sorted(_RESERVED))})")
        return v

    @field_validator("targets")
    @classmethod
    def _paths(cls, v: list[str]) -> list[str]:
        return _check_paths(v)

    @model_validator(mode="after")
    def _grid(self) -> "AxisModel":
        ranged = (self.start, self.stop, self.num)
        if self.values is not None and any(x is not None for x in ranged):
            raise ValueError("give either values or start/stop/num, not both")
        if self.values is None and any(x is None for x in ranged):
            raise ValueError("needs values, or all of start, stop and num")
        if self.values is not None and len(self.values) == 0:
            raise ValueError("values is empty")
        if self.scale is not None and len(self.scale) != len(self.targets):
            raise ValueError(f"scale has {len(self.scale)} entries for {len(self.targets)} paths in set")
        nums = list(self.values or []) + [x for x in (self.start, self.stop) if x is not None]
        nums += list(self.scale or [])
        if not all(math.isfinite(x) for x in nums):
            raise ValueError("values, start, stop and scale must be finite")
        if self.spacing == "log" and self.values is None and (self.start <= 0 or self.stop <= 0):
            raise ValueError("spacing = 'log' needs start > 0 and stop > 0")
        return self


class TieModel(_Strict):
    targets: list[str] = Field(alias="set", min_length=1)
    source: str = Field(alias="from")
    scale: list[float] | float = 1.0

    @field_validator("targets")
    @classmethod
    def _paths(cls, v: list[str]) -> list[str]:
        return _check_paths(v)

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        return _check_paths([v])[0]

    @model_validator(mode="after")
    def _scales(self) -> "TieModel":
        if isinstance(self.scale, list) and len(self.scale) != len(self.targets):
            raise ValueError(f"scale has {len(self.scale)} entries for {len(self.targets)} paths in set")
        scales = self.scale if isinstance(self.scale, list) else [self.scale]
        if not all(math.isfinite(x) for x in scales):
            raise ValueError("scale must be finite")
        return self


class SweepSection(_Strict):
    name: str = "sweep"
    description: str = ""
    solver: str = "auto"
    chunk_size: int | None = Field(default=None, ge=1, le=10_000_000)


class SweepModel(_Strict):
    sweep: SweepSection = SweepSection()
    model: dict[str, Any] | None = None
    model_file: str | None = None
    axis: list[AxisModel] = Field(min_length=1)
    tie: list[TieModel] = []

    @model_validator(mode="after")
    def _one_model(self) -> "SweepModel":
        if (self.model is None) == (self.model_file is None):
            raise ValueError("give exactly one of model_file = \"…\" or a [model] table")
        names = [a.name for a in self.axis]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"axis names must be unique, repeated: {sorted(dup)}")
        return self


# ------------------------------------------------------------------ resolved spec
@dataclass(frozen=True)
class Axis:
    """One grid axis: coordinate ``values`` written, times ``scales``, into ``targets``."""

    name: str
    values: NDArray[np.float64]
    targets: tuple[ParamPath, ...]
    scales: tuple[float, ...]
    label: str = ""
    units: str = ""


@dataclass(frozen=True)
class Tie:
    """After the axes: ``target_i = scale_i × value(source)`` at every point."""

    targets: tuple[ParamPath, ...]
    source: ParamPath
    scales: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class SweepSpec:
    """A validated sweep: base network, axes, ties, solver and chunking.

    Points are the Cartesian product of the axes in C order (the first axis varies
    slowest); point ``i`` has grid index ``numpy.unravel_index(i, shape)``.
    """

    name: str
    base: Network
    axes: tuple[Axis, ...]
    ties: tuple[Tie, ...] = ()
    solver: str = "auto"
    chunk_size: int | None = None
    description: str = ""
    source: str = "<sweep>"
    text: str = field(default="", repr=False)

    # ---------------------------------------------------------------- grid
    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(int(a.values.size) for a in self.axes)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def _points(self, start: int, stop: int | None) -> PointParams:
        stop = self.size if stop is None else min(stop, self.size)
        flat = np.arange(start, stop, dtype=np.int64)
        params = PointParams.repeat(self.base, flat.size)
        index = np.unravel_index(flat, self.shape)
        for axis, idx in zip(self.axes, index):
            v = axis.values[idx]
            for path, scale in zip(axis.targets, axis.scales):
                params.set(path, scale * v)
        for tie in self.ties:
            source = params.get(tie.source)
            for path, scale in zip(tie.targets, tie.scales):
                params.set(path, scale * source)
        params.validate()
        return params

    def points(self, start: int = 0, stop: int | None = None) -> PointParams:
        """Parameters of the flat points ``start … stop − 1`` (validated).

        They carry the sweep's :attr:`symmetry`, so a batched solve of any chunk uses the
        sector that fits every point of the sweep.
        """
        return replace(self._points(start, stop), symmetry=self.symmetry)

    def describe_point(self, i: int) -> str:
        idx = np.unravel_index(int(i), self.shape)
        return ", ".join(f"{a.name} = {a.values[k]:.6g}" for a, k in zip(self.axes, idx))

    # ---------------------------------------------------------------- solving
    @cached_property
    def symmetry(self) -> str:
        """The weakest symmetry over all points' terms (``"u1"``, ``"parity"``, ``"none"``).

        Read from the compiled terms of one point per pattern of present terms
        (:meth:`PointParams.symmetries`), scanning the grid in pieces: a drive anywhere
        gives ``"none"``, Uˣ ≠ Uʸ anywhere at most ``"parity"``.
        """
        weakest = 0
        for s in range(0, self.size, _SCAN):
            found = self._points(s, s + _SCAN).weakest_symmetry()
            weakest = max(weakest, SYMMETRIES.index(found))
            if SYMMETRIES[weakest] == "none":
                break
        return SYMMETRIES[weakest]

    @property
    def xxz(self) -> bool:
        """Whether every point keeps U(1) (Uˣ = Uʸ everywhere, no drive): the legacy switch."""
        return self.symmetry == "u1"

    @property
    def sector_dim(self) -> int:
        """Σ_b n_b² of the steady sector of :attr:`symmetry` (exact)."""
        return sector_dim(self.base.dims, self.symmetry)

    def resolved_solver(self) -> str:
        """``batch`` or a ``steady_state`` method; ``auto`` picks by sector dimension.

        ``auto``: stacked dense solves when the sector of the weakest symmetry has at most
        :data:`BATCH_MAX_DIM` entries, else ``steady_state(method="auto")`` per point.
        """
        if self.solver != "auto":
            return self.solver
        return "batch" if self.sector_dim <= BATCH_MAX_DIM else "auto"

    def estimated_seconds(self) -> float | None:
        """Rough single-core work of the whole grid (batched solves; None per point)."""
        if self.resolved_solver() != "batch":
            return None
        # ~10 µs of per-point overhead (assembly, observables) dominates tiny sectors.
        return max(BATCH_SECONDS_PER_D3 * self.sector_dim**3, 1e-5) * self.size

    def resolved_chunk_size(self) -> int:
        """Points per chunk: given, or about :data:`CHUNK_SECONDS` of estimated work."""
        if self.chunk_size is not None:
            return int(self.chunk_size)
        per_point = BATCH_SECONDS_PER_D3 * max(self.sector_dim, 16) ** 3
        if self.resolved_solver() != "batch":
            per_point = max(per_point, 5e-3)  # per-point solves carry ~ms of overhead
        return int(np.clip(CHUNK_SECONDS / per_point, 1, MAX_CHUNK))

    # ---------------------------------------------------------------- identity
    def canonical(self) -> dict[str, Any]:
        """Plain description of everything that determines the results (for metadata)."""
        return {
            "name": self.name,
            "description": self.description,
            "base": self.base.to_dict(),
            "axes": [
                {"name": a.name, "label": a.label, "units": a.units, "values": a.values.tolist(),
                 "set": [p.text for p in a.targets], "scale": list(a.scales)}
                for a in self.axes
            ],
            "ties": [
                {"set": [p.text for p in t.targets], "from": t.source.text, "scale": list(t.scales)}
                for t in self.ties
            ],
            "solver": self.resolved_solver(),
            "symmetry": self.symmetry,
            "chunk_size": self.resolved_chunk_size(),
            "results": list(RESULT_KEYS),
        }

    def fingerprint(self) -> str:
        """SHA-256 of :meth:`canonical` plus the spinsync version (checkpoint identity)."""
        from .. import __version__

        payload = json.dumps({"spec": self.canonical(), "version": __version__}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


def _fail(source: str, error: dict[str, Any] | str, count: int = 1) -> ModelFileError:
    text = error if isinstance(error, str) else _describe(error)
    suffix = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
    return ModelFileError(f"{source}: {text}{suffix}")


def sweep_from_dict(data: dict[str, Any], source: str = "<sweep>",
                    base_dir: str | Path | None = None, text: str = "") -> SweepSpec:
    """Validate a parsed sweep description and resolve it into a :class:`SweepSpec`.

    ``model_file`` is resolved relative to ``base_dir`` (the sweep file's folder).
    Raises :class:`ModelFileError` naming ``source``, the field and the value.
    """
    try:
        spec = SweepModel.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        raise _fail(source, errors[0], len(errors)) from None
    if spec.model is not None:
        base = model_from_dict(spec.model, f"{source}: [model]")
    else:
        path = Path(spec.model_file)  # type: ignore[arg-type]
        if not path.is_absolute():
            path = Path(base_dir or ".") / path
        base = load_model(path)
    from ..steady import METHODS

    solver = spec.sweep.solver
    if solver not in SOLVERS_BUILTIN and solver not in METHODS:
        known = ", ".join([*SOLVERS_BUILTIN, *METHODS])
        raise _fail(source, f"field 'sweep.solver' = {solver!r}: expected one of {known}")
    probe = PointParams.repeat(base, 1)
    axes = []
    for i, a in enumerate(spec.axis):
        paths = tuple(parse_path(p) for p in a.targets)
        for k, p in enumerate(paths):
            try:
                probe.check_path(p)
            except ModelError as exc:
                raise _fail(source, f"field 'axis.{i}.set.{k}' = {p.text!r}: {exc}") from None
        if a.values is not None:
            values = np.asarray(a.values, dtype=float)
        elif a.spacing == "log":
            values = np.geomspace(a.start, a.stop, a.num)
        else:
            values = np.linspace(a.start, a.stop, a.num)
        scales = tuple(a.scale) if a.scale is not None else (1.0,) * len(paths)
        axes.append(Axis(a.name, values, paths, scales, a.label or a.name, a.units or ""))
    ties = []
    for i, t in enumerate(spec.tie):
        paths = tuple(parse_path(p) for p in t.targets)
        src = parse_path(t.source)
        for k, p in enumerate((*paths, src)):
            where = f"tie.{i}.set.{k}" if k < len(paths) else f"tie.{i}.from"
            try:
                probe.check_path(p)
            except ModelError as exc:
                raise _fail(source, f"field {where!r} = {p.text!r}: {exc}") from None
        scales = tuple(t.scale) if isinstance(t.scale, list) else (float(t.scale),) * len(paths)
        ties.append(Tie(paths, src, scales))
    shape = [int(a.values.size) for a in axes]
    total = int(np.prod(shape, dtype=object))
    if total > MAX_SWEEP_POINTS:
        raise _fail(source, f"the grid has {total:,} points ({' × '.join(map(str, shape))}), more "
                            f"than the {MAX_SWEEP_POINTS:,} a sweep may have; use coarser axes or "
                            "split the sweep into several files")
    result = SweepSpec(
        name=spec.sweep.name, base=base, axes=tuple(axes), ties=tuple(ties),
        solver=solver, chunk_size=spec.sweep.chunk_size, description=spec.sweep.description,
        source=source, text=text,
    )
    _validate_points(result)
    return result


def _validate_points(spec: SweepSpec, step: int = _SCAN) -> None:
    """Build every point once so that invalid values fail before any work starts.

    The same pass finds the weakest symmetry of the points (cached as ``spec.symmetry``).
    """
    weakest = 0
    for start in range(0, spec.size, step):
        try:
            params = spec._points(start, start + step)
        except ModelError as exc:
            msg = str(exc)
            m = re.match(r"point (\d+): (.*)", msg, re.S)
            if m:
                where = spec.describe_point(start + int(m.group(1)))
                msg = f"at {where}: {m.group(2)}"
            else:
                # Errors raised while writing a path (e.g. |m| ≥ 1) carry no point index.
                msg = f"an axis or tie gives an invalid value: {msg}"
            raise _fail(spec.source, msg) from None
        weakest = max(weakest, SYMMETRIES.index(params.weakest_symmetry()))
    spec.__dict__["symmetry"] = SYMMETRIES[weakest]


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a TOML sweep file (see the module docstring)."""
    path = Path(path)
    text, data = read_toml_file(path)
    return sweep_from_dict(data, str(path), base_dir=path.parent, text=text)
