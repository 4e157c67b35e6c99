"""TOML model files, validated with pydantic (the format is described in ``docs/model.md``).

Shape (see ``examples/``)::

    [qubits]                    # Pauli conventions; or [spins] (exactly one of the two)
    gain    = [1, 0.2]          # Γᵍ_j; or magnetization = [...] (+ optional rate_scale)
    damping = [4, 0.8]          # Γᵈ_j
    omega   = [0, 0]            # optional, default 0 (with a drive: the detuning)
    dephasing   = [0, 0]        # optional Γᵠ_j: ½Γᵠ_j D[σᶻ_j]
    drive       = [0.5, 0]      # optional Ω_j: (Ω_j/2)(cos φ_j σˣ_j + sin φ_j σʸ_j)
    drive_phase = [0, 0]        # optional φ_j

    # [spins]                   # J conventions (supplement Eq. S29 for n sites)
    # s = 1                     # one size for every site, or one per site: [0.5, 1, 1.5]
    # scheme = "gain-damping"   # required: "gain-damping" (J±) | "roulet-bruder" (J±Jᶻ)
    # gain = [...]; damping = [...]; dephasing, omega, drive, drive_phase as above

    [couplings]
    topology = "all-to-all"     # all-to-all | star | chain | ring | power-law | none
    ux = 80
    uy = 80
    uz = 1
    hub = 0                     # star only
    alpha = 1.5                 # power-law only
    field = 0.0                 # optional uniform field B (B Σ σᶻ_j; spins: B Σ Jᶻ_j)
    # or explicit bonds instead of topology:
    # [[couplings.bond]]
    # sites = [0, 1]
    # ux = 1.0

    [[collective]]              # any number of collective channels ½γ D[Σ_{j∈sites} A_j]
    sites = "all"               # or a list of sites
    operator = "lowering"       # lowering | raising | dephasing
    rate = 0.5

Every error is one line naming the file, the field as the file spells it
(``qubits.gain[1]``, ``couplings.bond[0]``; pydantic's type errors keep their dotted form
``qubits.gain.1``) and the offending value as it was written.

Silent defaults are refused: a topology without any of ``ux``/``uy``/``uz`` (no coupling
at all), ``ux``/``uy``/``uz`` without a topology or beside ``[[couplings.bond]]``, ``hub``
except on a star and ``alpha`` except on a power law (their default values ``hub = 0`` and
``alpha = 1`` are accepted anywhere: they cannot change the model), and ``field`` given both
at the top level and in ``[couplings]``.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from annotated_types import Len

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..errors import ModelError, ModelFileError
from ..model import Collective, Network

__all__ = ["ModelSpec", "load_model", "model_from_dict", "read_toml_file"]

Topology = Literal["all-to-all", "star", "chain", "ring", "power-law", "none"]

#: Values of ``hub`` and ``alpha`` that are accepted on any topology (they change nothing).
_HUB_DEFAULT = 0
_ALPHA_DEFAULT = 1.0


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Strict(BaseModel):
    # Strict: a TOML string or boolean where a number belongs is an error, not coerced.
    # NaN/inf pass here so the model's own checks can name the offending entry.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=True, strict=True)


class _SiteTerms(_Strict):
    """Per-site keys shared by ``[qubits]`` and ``[spins]``."""

    omega: list[float] | None = None
    dephasing: list[float] | None = None
    drive: list[float] | None = None
    drive_phase: list[float] | None = None

    def terms(self) -> dict[str, Any]:
        return {"dephasing": self.dephasing, "drive": self.drive, "drive_phase": self.drive_phase}

    @model_validator(mode="after")
    def _phase_needs_drive(self) -> "_SiteTerms":
        # A phase without a drive does nothing: almost surely a typo (like rate_scale
        # without magnetization), so it is refused rather than ignored.
        if self.drive_phase is not None and self.drive is None:
            raise ValueError("drive_phase is given without drive (it only sets the drive's phase)")
        return self


class QubitsSpec(_SiteTerms):
    gain: list[float] | None = None
    damping: list[float] | None = None
    magnetization: list[float] | None = None
    rate_scale: Any = None  # a number or one per qubit (checked below, without union noise)

    @field_validator("rate_scale", mode="before")
    @classmethod
    def _number_or_list(cls, value: Any) -> Any:
        if value is None or _is_number(value):
            return value
        if isinstance(value, list) and all(_is_number(v) for v in value):
            return value
        raise ValueError("expected a number or a list of numbers (one per qubit)")

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


class SpinsSpec(_SiteTerms):
    s: Any  # one spin size, or one per site (checked below; the model checks the values)
    scheme: Literal["gain-damping", "roulet-bruder"]
    gain: list[float]
    damping: list[float]

    @field_validator("s", mode="before")
    @classmethod
    def _size_or_sizes(cls, value: Any) -> Any:
        if _is_number(value):
            return value
        if isinstance(value, list) and value and all(_is_number(v) for v in value):
            return value
        raise ValueError("expected a spin size (0.5, 1, 1.5, …) or a list of them, one per site")


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
    hub: int = _HUB_DEFAULT
    alpha: float = _ALPHA_DEFAULT
    field: float = 0.0
    bond: list[BondSpec] | None = None

    @field_validator("topology", mode="before")
    @classmethod
    def _normalize(cls, value: Any) -> Any:
        return value.lower().replace("_", "-") if isinstance(value, str) else value

    @field_validator("ux", "uy", "uz")
    @classmethod
    def _finite(cls, value: float) -> float:
        # Checked here: a topology copies them into every bond, whose messages would not
        # name this field.
        if not math.isfinite(value):
            raise ValueError("must be finite")
        return value

    @model_validator(mode="after")
    def _topology_or_bonds(self) -> "CouplingsSpec":
        if self.topology is not None and self.bond is not None:
            raise ValueError("give either topology or [[couplings.bond]] entries, not both")
        return self

    def check_applicable(self) -> None:
        """Refuse keys that would be silently ignored (module docstring).

        Raises
        ------
        ModelError
            Naming the key as ``couplings.<key>`` and what it would apply to.
        """
        given = self.model_fields_set
        graph = self.topology not in (None, "none")
        layout = f"topology = {self.topology!r}" if self.topology else (
            "[[couplings.bond]]" if self.bond is not None else "no topology")
        for key in ("ux", "uy", "uz"):
            if key in given and not graph:
                where = ("give it in each [[couplings.bond]]" if self.bond is not None
                         else "give a topology (e.g. topology = 'all-to-all')")
                raise ModelError(f"couplings.{key} = {getattr(self, key)!r}: applies only with a "
                                 f"topology (here {layout}); {where}")
        if "hub" in given and self.hub != _HUB_DEFAULT and self.topology != "star":
            raise ModelError(f"couplings.hub = {self.hub!r}: applies only to topology = 'star' "
                             f"(here {layout})")
        if "alpha" in given and self.alpha != _ALPHA_DEFAULT and self.topology != "power-law":
            raise ModelError(f"couplings.alpha = {self.alpha!r}: applies only to topology = "
                             f"'power-law' (here {layout})")
        if graph and not {"ux", "uy", "uz"} & given:
            raise ModelError(
                f"couplings: topology = {self.topology!r} without ux, uy or uz: the sites "
                "would not be coupled at all; give the couplings (e.g. ux = 1), or "
                "topology = 'none'"
            )


class CollectiveSpec(_Strict):
    sites: Any  # a list of site indices or "all" (the model checks the indices)
    operator: Literal["lowering", "raising", "dephasing"]
    rate: float

    @field_validator("sites", mode="before")
    @classmethod
    def _list_or_all(cls, value: Any) -> Any:
        if value == "all":
            return value
        if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool)
                                           for v in value):
            return value
        raise ValueError('expected a list of site indices or "all"')


class ModelSpec(_Strict):
    """The validated content of a model file."""

    qubits: QubitsSpec | None = None
    spins: SpinsSpec | None = None
    couplings: CouplingsSpec = CouplingsSpec()
    collective: list[CollectiveSpec] = []
    field: float | None = None  # also accepted at top level

    @model_validator(mode="before")
    @classmethod
    def _one_kind(cls, data: Any) -> Any:
        # Before the fields: which section describes the sites is the first thing to know.
        if isinstance(data, dict):
            if "qubits" not in data and "spins" not in data:
                unknown = sorted(set(data) - set(cls.model_fields))
                if unknown:  # a misspelt section, e.g. [spin]
                    raise ValueError(f"unknown field {unknown[0]!r} (a model file needs a "
                                     "[qubits] or a [spins] section)")
                raise ValueError("missing field 'qubits' (or 'spins'): a model file needs a "
                                 "[qubits] or a [spins] section")
            if "qubits" in data and "spins" in data:
                raise ValueError("give either [qubits] or [spins], not both")
        return data

    @model_validator(mode="after")
    def _one_field(self) -> "ModelSpec":
        if self.field is not None and "field" in self.couplings.model_fields_set:
            raise ValueError("field is given twice, at the top level and in [couplings]; keep one")
        return self

    @property
    def section(self) -> str:
        """``"qubits"`` or ``"spins"``: the section the sites are described in."""
        return "qubits" if self.qubits is not None else "spins"

    def to_network(self) -> Network:
        c = self.couplings
        field = self.field if self.field is not None else c.field
        sites = self.qubits if self.qubits is not None else self.spins
        assert sites is not None
        if self.qubits is not None and self.qubits.magnetization is not None:
            from ..model import rates_from_magnetization

            gain, damping = rates_from_magnetization(self.qubits.magnetization,
                                                     self.qubits.rate_scale)
        else:
            gain, damping = sites.gain, sites.damping
        if c.bond is not None:
            c.check_applicable()
            bonds = [(b.sites[0], b.sites[1], b.ux, b.uy, b.uz) for b in c.bond]
        else:
            from ..model.topology import topology_bonds
            from ..model.validation import site_vector

            n = site_vector("gain", gain, None).size
            bonds = topology_bonds(c.topology or "none", n, c.ux, c.uy, c.uz,
                                   hub=c.hub, alpha=c.alpha)
            c.check_applicable()  # after the topology's own checks (hub in range, alpha ≥ 0)
        collective = [Collective(ch.sites, ch.operator, ch.rate) for ch in self.collective]
        common = dict(omega=sites.omega, bonds=bonds, field=field, collective=collective,
                      **sites.terms())
        if self.spins is not None:
            return Network.spins(self.spins.s, gain, damping, scheme=self.spins.scheme, **common)
        return Network(gain, damping, **common)


# ------------------------------------------------------------------ messages
#: Library field names (what :class:`Network` reports) → where a model file writes them.
_SITE_FIELDS = frozenset({"gain", "damping", "omega", "dephasing", "drive", "drive_phase",
                          "magnetization", "rate_scale", "s", "scheme"})
_COUPLING_FIELDS = frozenset({"hub", "alpha", "topology"})
_LEADING_FIELD = re.compile(r"(?P<name>[a-z_]+)(?=[\[\s:=.]|$)")


def _as_file_spells(message: str, spec: ModelSpec) -> str:
    """A model error with its field named as the file spells it.

    The model names its parameters (``gain[1]``, ``bonds[0]``, ``hub``); a file has them in
    sections (``qubits.gain[1]``, ``couplings.bond[0]``, ``couplings.hub``). Messages about
    sites (``qubit 1: …``) and collective channels (``collective[0].rate``) already read
    as the file does.
    """
    m = _LEADING_FIELD.match(message)
    if m is None:
        return message
    name, rest = m["name"], message[m.end():]
    if name in _SITE_FIELDS:
        return f"{spec.section}.{name}{rest}"
    if name in _COUPLING_FIELDS:
        return f"couplings.{name}{rest}"
    if name == "field":
        return f"{'field' if spec.field is not None else 'couplings.field'}{rest}"
    if name == "bonds":
        # Bonds come from [[couplings.bond]] in file order (a topology's bonds are built
        # from values checked above), so the index is the table's.
        return "couplings.bond" + rest.replace("of bonds[", "of couplings.bond[")
    return message


def _describe(error: dict[str, Any]) -> str:
    """One pydantic error as a plain sentence: no "Value error, …", no class names."""
    loc = ".".join(str(p) for p in error["loc"])
    value = error.get("input")
    kind = error["type"]
    if kind == "extra_forbidden":
        hint = ""
        if loc.endswith(".field") and "bond" in loc:
            hint = " (put 'field' before the [[couplings.bond]] tables)"
        return f"unknown field {loc!r}{hint}"
    if kind == "missing":
        return f"missing field {loc!r}"
    if kind == "value_error":
        msg = str(error.get("ctx", {}).get("error", error["msg"]))
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        msg = "expected a table" + (f" [{loc}]" if loc else "")
    else:
        msg = error["msg"]
        if loc == "collective" and kind == "list_type":
            msg += " (write each channel as a [[collective]] table)"
    if not loc:
        return msg
    shown = "" if isinstance(value, dict) else f" = {value!r}"
    return f"field {loc!r}{shown}: {msg}"


def model_from_dict(data: dict[str, Any], source: str = "<model>") -> Network:
    """Validate a parsed model description and build the :class:`Network`.

    Parameters
    ----------
    data
        The parsed TOML (``tomllib.loads``).
    source
        What to name in messages (the file's path).

    Raises
    ------
    ModelFileError
        One line: ``source``, the field as the file spells it, the value and what is
        wrong. Also when the steady state is certainly not unique (a site without
        dissipation and without a flip bond to a dissipated site).
    """
    try:
        spec = ModelSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ModelFileError(f"{source}: {_describe(first)}{suffix}") from None
    try:
        network = spec.to_network()
    except ModelError as exc:
        raise ModelFileError(f"{source}: {_as_file_spells(str(exc), spec)}") from None
    try:
        # A file is meant to be solved: refuse a model whose steady state is certainly
        # not unique here, with the file's name (the API allows building it).
        from ..steady.uniqueness import check_uniqueness

        check_uniqueness(network.terms)
    except ModelError as exc:
        raise ModelFileError(f"{source}: {exc}") from None
    return network


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
    """Read and validate a TOML model file (``[qubits]`` or ``[spins]``; ``docs/model.md``).

    Raises
    ------
    ModelFileError
        If the file is missing, is not valid TOML, or fails validation; the message
        names the file, the field and the value.
    """
    _, data = read_toml_file(path)
    return model_from_dict(data, str(path))
