"""TOML model files, validated with pydantic.

Shape (see ``examples/``)::

    [qubits]
    gain    = [1, 0.2]          # Γᵍ_j; or magnetization = [...] (+ optional rate_scale)
    damping = [4, 0.8]          # Γᵈ_j
    omega   = [0, 0]            # optional, default 0

    [couplings]
    topology = "all-to-all"     # all-to-all | star | chain | ring | power-law | none
    ux = 80
    uy = 80
    uz = 1
    hub = 0                     # star only
    alpha = 1.5                 # power-law only
    field = 0.0                 # optional uniform field B (B Σ σᶻ_j)
    # or explicit bonds instead of topology:
    # [[couplings.bond]]
    # sites = [0, 1]
    # ux = 1.0

Every error names the file, the field (dotted path) and the offending value.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from annotated_types import Len

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..errors import ModelError, ModelFileError
from ..model import Network

__all__ = ["ModelSpec", "load_model", "model_from_dict", "read_toml_file"]

Topology = Literal["all-to-all", "star", "chain", "ring", "power-law", "none"]


class _Strict(BaseModel):
    # Strict: a TOML string or boolean where a number belongs is an error, not coerced.
    # NaN/inf pass here so the model's own checks can name the offending entry.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=True, strict=True)


class QubitsSpec(_Strict):
    gain: list[float] | None = None
    damping: list[float] | None = None
    magnetization: list[float] | None = None
    rate_scale: list[float] | float | None = None
    omega: list[float] | None = None

    @model_validator(mode="after")
    def _one_parametrization(self) -> "QubitsSpec":
        by_rates = self.gain is not None or self.damping is not None
        if by_rates and self.magnetization is not None:
            raise ValueError("give either gain/damping or magnetization, not both")
        if not by_rates and self.magnetization is None:
            raise ValueError("missing gain and damping (or magnetization)")
        if by_rates and (self.gain is None or self.damping is None):
            raise ValueError("gain and damping must both be given")
        if self.rate_scale is not None and self.magnetization is None:
            raise ValueError("rate_scale only applies with magnetization")
        return self


class BondSpec(_Strict):
    sites: Annotated[list[int], Len(2, 2)]
    ux: float = 0.0
    uy: float = 0.0
    uz: float = 0.0


class CouplingsSpec(_Strict):
    topology: Topology | None = None
    ux: float = 0.0
    uy: float = 0.0
    uz: float = 0.0
    hub: int = 0
    alpha: float = 1.0
    field: float = 0.0
    bond: list[BondSpec] | None = None

    @field_validator("topology", mode="before")
    @classmethod
    def _normalize(cls, value: Any) -> Any:
        return value.lower().replace("_", "-") if isinstance(value, str) else value

    @model_validator(mode="after")
    def _topology_or_bonds(self) -> "CouplingsSpec":
        if self.topology is not None and self.bond is not None:
            raise ValueError("give either topology or [[couplings.bond]] entries, not both")
        return self


class ModelSpec(_Strict):
    """The validated content of a model file."""

    qubits: QubitsSpec
    couplings: CouplingsSpec = CouplingsSpec()
    field: float | None = None  # also accepted at top level

    def to_network(self) -> Network:
        q, c = self.qubits, self.couplings
        field = self.field if self.field is not None else c.field
        if c.bond is not None:
            bonds = [(b.sites[0], b.sites[1], b.ux, b.uy, b.uz) for b in c.bond]
        else:
            bonds = None
        if q.magnetization is not None:
            from ..model import rates_from_magnetization

            gain, damping = rates_from_magnetization(q.magnetization, q.rate_scale)
        else:
            gain, damping = q.gain, q.damping
        if bonds is None:
            return Network.with_topology(
                gain, damping, c.topology or "none", c.ux, c.uy, c.uz,
                omega=q.omega, field=field, hub=c.hub, alpha=c.alpha,
            )
        return Network(gain, damping, q.omega, bonds, field)


def _describe(error: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    value = error.get("input")
    msg = error["msg"]
    if error["type"] == "extra_forbidden":
        hint = ""
        if loc.endswith(".field") and "bond" in loc:
            hint = " (put 'field' before the [[couplings.bond]] tables)"
        return f"unknown field {loc!r}{hint}"
    if error["type"] == "missing":
        return f"missing field {loc!r}"
    where = f"field {loc!r}" if loc else "model"
    shown = "" if isinstance(value, dict) else f" = {value!r}"
    return f"{where}{shown}: {msg}"


def model_from_dict(data: dict[str, Any], source: str = "<model>") -> Network:
    """Validate a parsed model description and build the :class:`Network`."""
    try:
        spec = ModelSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ModelFileError(f"{source}: {_describe(first)}{suffix}") from None
    try:
        network = spec.to_network()
        # A file is meant to be solved: refuse a model whose steady state is certainly
        # not unique here, with the file's name (the API allows building it).
        from ..steady.uniqueness import check_uniqueness

        check_uniqueness(network.terms)
        return network
    except ModelError as exc:
        raise ModelFileError(f"{source}: {exc}") from None


def read_toml_file(path: str | Path) -> tuple[str, dict[str, Any]]:
    """Read a UTF-8 TOML file: its text and parsed content.

    Raises
    ------
    ModelFileError
        If the file is missing, unreadable, not UTF-8 or not valid TOML (the message
        names the file).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
        return text, tomllib.loads(text)
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: not a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ModelFileError(f"{path}: invalid TOML: {exc}") from None


def load_model(path: str | Path) -> Network:
    """Read and validate a TOML model file.

    Raises
    ------
    ModelFileError
        If the file is missing, is not valid TOML, or fails validation; the message
        names the file, the field and the value.
    """
    _, data = read_toml_file(path)
    return model_from_dict(data, str(path))
