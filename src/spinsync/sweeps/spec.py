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

Every error names the file, the field (dotted path) and the offending value.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import ModelError, ModelFileError
from ..io.model_file import _describe, load_model, model_from_dict, read_toml_file
from ..model import Network
from .axes import ParamPath, PointParams, parse_path
from .batch import sector_dimension

__all__ = ["Axis", "Tie", "SweepSpec", "load_sweep", "sweep_from_dict", "SOLVERS_BUILTIN"]

#: Solvers besides the registered ``steady_state`` methods.
SOLVERS_BUILTIN = ("auto", "batch")

#: Largest sector dimension ``auto`` solves as dense stacks (a 512×512 real LU takes
#: ~6 ms; beyond ~1000 the per-point sparse direct solve wins and memory grows as D²).
BATCH_MAX_DIM = 600

#: Target wall time of one checkpoint chunk and the measured cost of one batched point
#: (seconds per D³, D the sector dimension; 1.2 ms at D = 252, 6.4 ms at D = 512).
CHUNK_SECONDS = 1.0
BATCH_SECONDS_PER_D3 = 6e-11
MAX_CHUNK = 20000

_RESERVED = {"pair", "qubit", "pair_j", "pair_k", "panel"}
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

    def points(self, start: int = 0, stop: int | None = None) -> PointParams:
        """Parameters of the flat points ``start … stop − 1`` (validated)."""
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

    def describe_point(self, i: int) -> str:
        idx = np.unravel_index(int(i), self.shape)
        return ", ".join(f"{a.name} = {a.values[k]:.6g}" for a, k in zip(self.axes, idx))

    # ---------------------------------------------------------------- solving
    @property
    def xxz(self) -> bool:
        """Whether every point keeps Uˣ = Uʸ (checked on the whole grid, in pieces)."""
        return all(self.points(s, s + 100_000).is_xxz() for s in range(0, self.size, 100_000))

    def resolved_solver(self) -> str:
        """``batch`` or a ``steady_state`` method; ``auto`` picks by sector dimension."""
        if self.solver != "auto":
            return self.solver
        return "batch" if sector_dimension(self.base.n, self.xxz) <= BATCH_MAX_DIM else "auto"

    def resolved_chunk_size(self) -> int:
        """Points per chunk: given, or about :data:`CHUNK_SECONDS` of estimated work."""
        if self.chunk_size is not None:
            return int(self.chunk_size)
        dim = sector_dimension(self.base.n, self.xxz)
        per_point = BATCH_SECONDS_PER_D3 * max(dim, 16) ** 3
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
            "chunk_size": self.resolved_chunk_size(),
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
    result = SweepSpec(
        name=spec.sweep.name, base=base, axes=tuple(axes), ties=tuple(ties),
        solver=solver, chunk_size=spec.sweep.chunk_size, description=spec.sweep.description,
        source=source, text=text,
    )
    _validate_points(result)
    return result


def _validate_points(spec: SweepSpec, step: int = 100_000) -> None:
    """Build every point once so that invalid values fail before any work starts."""
    for start in range(0, spec.size, step):
        try:
            spec.points(start, start + step)
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


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a TOML sweep file (see the module docstring)."""
    path = Path(path)
    text, data = read_toml_file(path)
    return sweep_from_dict(data, str(path), base_dir=path.parent, text=text)
