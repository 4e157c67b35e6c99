"""TOML model files: the bundled examples, every shape of the format, and error messages
that name the file, the field and the value (issue 2 §3)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from spinsync import ModelError, ModelFileError, load_model

EXAMPLES = Path(__file__).parents[2] / "examples"


def _write(tmp_path: Path, text: str, name: str = "model.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _plain(msg: str) -> str:
    # numpy-2 scalar reprs are a separate, recorded bug (tests/test_model.py).
    return re.sub(r"np\.(?:float64|int64)\(([^()]*)\)", r"\1", msg)


# ------------------------------------------------------------------ examples
def test_fig1b_example_is_the_papers_caption() -> None:
    net = load_model(EXAMPLES / "fig1b.toml")
    assert net.n == 6
    assert np.array_equal(net.gain, [1, 0.2, 20, 2, 2.5, 0.3])
    assert np.array_equal(net.damping, [4, 0.8, 80, 8, 10, 1.2])
    assert len(net.bonds) == 15 and all(b[2:] == (80, 80, 1) for b in net.bonds)


def test_fig1c_example_is_the_papers_caption() -> None:
    net = load_model(EXAMPLES / "fig1c.toml")
    assert np.array_equal(net.damping, [0.5, 4, 80, 1, 0.5, 0.2])
    assert len(net.bonds) == 15


def test_two_qubit_example() -> None:
    net = load_model(EXAMPLES / "two_qubit.toml")
    assert np.allclose(net.magnetization, [0.25, -0.25], atol=1e-15)
    assert max(net.gain[0], net.damping[0]) == 1 and max(net.gain[1], net.damping[1]) == 1
    assert np.array_equal(net.omega, [0.2, 0.0])


@pytest.mark.parametrize("name,n_bonds,xxz", [
    ("fig3a", 10, True), ("fig3b", 4, True), ("fig3c", 10, False), ("fig3d", 4, False),
])
def test_fig3_examples(name: str, n_bonds: int, xxz: bool) -> None:
    net = load_model(EXAMPLES / f"{name}.toml")
    assert net.n == 5 and len(net.bonds) == n_bonds and net.is_xxz == xxz
    # the memory qubit 0 and qubit 1 follow the caption: m₁ = 0.5, m₂ = −0.5
    assert np.allclose(net.magnetization[:2], [0.5, -0.5], atol=1e-11)


# ------------------------------------------------------------------ format
def test_explicit_bonds_field_and_omega(tmp_path: Path) -> None:
    net = load_model(_write(tmp_path, """
[qubits]
gain = [1, 2, 3]
damping = [3, 2, 1]
omega = [0.1, 0.2, 0.3]

[couplings]
field = 0.7
[[couplings.bond]]
sites = [2, 0]
ux = 1.0
uy = 0.5
uz = -0.25
[[couplings.bond]]
sites = [1, 2]
uz = 2
"""))
    assert net.bonds == [(0, 2, 1.0, 0.5, -0.25), (1, 2, 0.0, 0.0, 2.0)]
    assert net.field == 0.7 and np.array_equal(net.omega, [0.1, 0.2, 0.3])


def test_top_level_field_and_default_omega(tmp_path: Path) -> None:
    net = load_model(_write(tmp_path, 'field = -0.3\n[qubits]\ngain = [1, 2]\ndamping = [1, 1]\n'))
    assert net.field == -0.3 and np.array_equal(net.omega, [0, 0]) and net.bonds == []


def test_magnetization_with_rate_scale(tmp_path: Path) -> None:
    net = load_model(_write(tmp_path, """
[qubits]
magnetization = [0.5, -0.5]
rate_scale = [2.0, 4.0]
[couplings]
topology = "star"
hub = 1
ux = 1
uy = 1
"""))
    assert np.allclose(net.gain, [2.0, 4 / 3]) and np.allclose(net.damping, [2 / 3, 4.0])
    assert net.bonds == [(0, 1, 1.0, 1.0, 0.0)]


def test_power_law_and_topology_spelling(tmp_path: Path) -> None:
    net = load_model(_write(tmp_path, """
[qubits]
gain = [1, 1, 1]
damping = [2, 2, 2]
[couplings]
topology = "Power_Law"
alpha = 1.0
ux = 6
uy = 6
"""))
    assert net.bonds[1] == (0, 2, 3.0, 3.0, 0.0)


# ------------------------------------------------------------------ errors
GOOD_QUBITS = "[qubits]\ngain = [1, 2]\ndamping = [1, 1]\n"

INVALID = {
    "syntax-error": ("[qubits\ngain = [1, 2]\n", [r"invalid TOML"]),
    "unknown-top-key": ("colour = 'red'\n" + GOOD_QUBITS, [r"unknown field 'colour'"]),
    "unknown-qubit-key": (GOOD_QUBITS + "gian = [1, 2]\n", [r"unknown field 'qubits\.gian'"]),
    "unknown-coupling-key": (GOOD_QUBITS + "[couplings]\nuxx = 1\n", [r"'couplings\.uxx'"]),
    "unknown-bond-key": (GOOD_QUBITS + "[[couplings.bond]]\nsites = [0, 1]\nvx = 1\n", [r"couplings\.bond\.0\.vx"]),
    "missing-qubits": ("[couplings]\ntopology = 'chain'\n", [r"missing field 'qubits'"]),
    "missing-damping": ("[qubits]\ngain = [1, 2]\n", [r"'qubits'", r"damping"]),
    "missing-rates": ("[qubits]\nomega = [1, 2]\n", [r"'qubits'", r"gain and damping"]),
    "missing-bond-sites": (GOOD_QUBITS + "[[couplings.bond]]\nux = 1\n", [r"missing field 'couplings\.bond\.0\.sites'"]),
    "wrong-type-list": ("[qubits]\ngain = 'abc'\ndamping = [1, 1]\n", [r"'qubits\.gain'", r"'abc'"]),
    "wrong-type-entry": ("[qubits]\ngain = [1, 'x']\ndamping = [1, 1]\n", [r"'qubits\.gain\.1'", r"'x'"]),
    "wrong-type-coupling": (GOOD_QUBITS + "[couplings]\nux = 'strong'\n", [r"'couplings\.ux'", r"'strong'"]),
    "wrong-type-sites": (GOOD_QUBITS + "[[couplings.bond]]\nsites = [0, 'b']\n", [r"couplings\.bond\.0\.sites", r"'b'"]),
    "wrong-type-table": ("qubits = 3\n", [r"'qubits'", r"3"]),
    "both-parametrizations": ("[qubits]\ngain = [1, 2]\ndamping = [1, 1]\nmagnetization = [0.1, 0.2]\n",
                              [r"'qubits'", r"gain/damping or magnetization"]),
    "rate-scale-without-m": (GOOD_QUBITS + "rate_scale = 2.0\n", [r"rate_scale"]),
    "topology-and-bonds": (GOOD_QUBITS + "[couplings]\ntopology = 'chain'\n[[couplings.bond]]\nsites = [0, 1]\n",
                           [r"'couplings'", r"topology or \[\[couplings\.bond\]\]"]),
    "unknown-topology": (GOOD_QUBITS + "[couplings]\ntopology = 'mesh'\n", [r"'couplings\.topology'", r"'mesh'"]),
    "negative-rate": ("[qubits]\ngain = [1, -2]\ndamping = [1, 1]\n", [r"gain\[1\] = -2\.0", r"≥ 0"]),
    "nan-rate": ("[qubits]\ngain = [1, 2]\ndamping = [nan, 1]\n", [r"damping\[0\] = nan"]),
    "inf-rate": ("[qubits]\ngain = [inf, 2]\ndamping = [1, 1]\n", [r"gain\[0\] = inf"]),
    "zero-total-rate": ("[qubits]\ngain = [1, 0]\ndamping = [1, 0]\n", [r"qubit 1: gain \+ damping = 0"]),
    "magnetization-one": ("[qubits]\nmagnetization = [0.5, 1.0]\n", [r"magnetization\[1\] = 1\.0"]),
    "magnetization-big": ("[qubits]\nmagnetization = [-1.5]\n", [r"magnetization\[0\] = -1\.5"]),
    "bond-out-of-range": (GOOD_QUBITS + "[[couplings.bond]]\nsites = [0, 2]\nux = 1\n",
                          [r"sites = \(0, 2\)", r"index 2 out of range \[0, 1\]"]),
    "self-bond": (GOOD_QUBITS + "[[couplings.bond]]\nsites = [1, 1]\n", [r"sites = \(1, 1\)", r"self-bond"]),
    "duplicate-bond": (GOOD_QUBITS + "[[couplings.bond]]\nsites = [0, 1]\n[[couplings.bond]]\nsites = [1, 0]\n",
                       # The file's name of the table, not the library's ``bonds`` (issue 11 §4).
                       [r"couplings\.bond\[1\] sites = \(1, 0\)", r"duplicate of couplings\.bond\[0\]"]),
    "wrong-length": ("[qubits]\ngain = [1, 2, 3]\ndamping = [1, 1]\n", [r"damping: expected 3 values", r"got 2"]),
    "wrong-length-omega": (GOOD_QUBITS + "omega = [0]\n", [r"omega: expected 2 values", r"got 1"]),
    "hub-out-of-range": (GOOD_QUBITS + "[couplings]\ntopology = 'star'\nhub = 7\n", [r"hub = 7"]),
    "nan-coupling": (GOOD_QUBITS + "[[couplings.bond]]\nsites = [0, 1]\nuz = nan\n", [r"couplings = \(0\.0, 0\.0, nan\)"]),
    "field-misplaced": (GOOD_QUBITS + "[[couplings.bond]]\nsites = [0, 1]\nfield = 1\n",
                        [r"couplings\.bond\.0\.field", r"put 'field' before"]),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_file_message_names_file_field_value(tmp_path: Path, case: str) -> None:
    text, patterns = INVALID[case]
    path = _write(tmp_path, text, name=f"bad-{case}.toml")
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    msg = _plain(str(info.value))
    assert msg.startswith(str(path) + ":"), msg
    for pattern in patterns:
        assert re.search(pattern, msg), f"{pattern!r} not in {msg!r}"
    assert isinstance(info.value, ModelError)  # so the CLI maps it to exit 2
    assert "\n" not in msg.strip() or case == "syntax-error"


def test_missing_file_and_bad_encoding(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match=r"nope\.toml: no such file"):
        load_model(tmp_path / "nope.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes("# caf\xe9\n".encode("latin-1") + GOOD_QUBITS.encode())
    with pytest.raises(ModelFileError, match=r"latin1\.toml: not a UTF-8"):
        load_model(path)
    with pytest.raises(ModelFileError, match=re.escape(str(tmp_path))):
        load_model(tmp_path)  # a directory


def test_rate_scale_wrong_length_names_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[qubits]\nmagnetization = [0.1, 0.2]\nrate_scale = [1, 2, 3]\n")
    with pytest.raises(ModelFileError, match=r"model\.toml: .*rate_scale"):
        load_model(path)


@pytest.mark.parametrize("text", [
    "[qubits]\ngain = [true, 1]\ndamping = [1, 1]\n",
    GOOD_QUBITS + "[couplings]\ntopology = 'chain'\nux = \"80\"\n",
])
def test_wrong_scalar_types_are_rejected(tmp_path: Path, text: str) -> None:
    with pytest.raises(ModelFileError, match=r"model\.toml"):
        load_model(_write(tmp_path, text))


# ------------------------------------------------------------------ general model (issue 10 §1)
def test_qubits_dephasing_drive_and_phase(tmp_path: Path) -> None:
    net = load_model(_write(tmp_path, GOOD_QUBITS + "dephasing = [0.5, 0]\ndrive = [0, 0.7]\n"
                                      "drive_phase = [0, 1.25]\n"))
    assert net.kind == "qubits"
    assert np.array_equal(net.dephasing, [0.5, 0]) and np.array_equal(net.drive, [0, 0.7])
    assert np.array_equal(net.drive_phase, [0, 1.25]) and net.has_drive


def test_spins_section_is_network_spins(tmp_path: Path) -> None:
    from spinsync import Network

    net = load_model(_write(tmp_path, """
[spins]
s = [0.5, 1, 1.5]
scheme = "roulet-bruder"
gain = [1, 0.5, 0.2]
damping = [0.5, 1, 0.3]
dephasing = [0, 0.1, 0]
omega = [0.1, 0, -0.1]
drive = [0, 0, 0.3]
drive_phase = [0, 0, 0.5]

[couplings]
topology = "chain"
ux = 1
uy = 1
uz = 0.5
field = 0.2
"""))
    expected = Network.spins([0.5, 1, 1.5], [1, 0.5, 0.2], [0.5, 1, 0.3], scheme="roulet-bruder",
                             dephasing=[0, 0.1, 0], omega=[0.1, 0, -0.1], drive=[0, 0, 0.3],
                             drive_phase=[0, 0, 0.5], bonds=[(0, 1, 1, 1, 0.5), (1, 2, 1, 1, 0.5)],
                             field=0.2)
    assert net.to_dict() == expected.to_dict()
    assert net.dims == (2, 3, 4)


def test_one_spin_size_for_every_site(tmp_path: Path) -> None:
    net = load_model(_write(tmp_path, "[spins]\ns = 1\nscheme = 'gain-damping'\n"
                                      "gain = [1, 1, 1]\ndamping = [2, 2, 2]\n"))
    assert net.kind == "spins" and net.scheme == "gain-damping" and net.dims == (3, 3, 3)


def test_collective_tables(tmp_path: Path) -> None:
    net = load_model(_write(tmp_path, GOOD_QUBITS.replace("[1, 2]", "[1, 2, 0]").replace("[1, 1]", "[1, 1, 0]") + """
[[collective]]
sites = "all"
operator = "lowering"
rate = 0.5

[[collective]]
sites = [2, 0]
operator = "dephasing"
rate = 0.25
"""))
    assert [(c.sites, c.operator, c.rate) for c in net.collective] == [
        ((0, 1, 2), "lowering", 0.5), ((0, 2), "dephasing", 0.25)]


def test_zero_rates_with_a_flip_bond_are_accepted(tmp_path: Path) -> None:
    """The boundary-driven chain: interior sites without dissipation, linked by bonds."""
    net = load_model(_write(tmp_path, "[qubits]\ngain = [1, 0, 0]\ndamping = [0, 0, 1]\n"
                                      "[couplings]\ntopology = 'chain'\nux = 1\nuy = 1\nuz = 0.5\n"))
    assert net.n == 3 and list(net.gain) == [1, 0, 0]


def test_default_hub_and_alpha_are_accepted_on_any_topology() -> None:
    """fig3a.toml gives hub = 0 to an all-to-all network (its pair is the star): still valid."""
    text = (EXAMPLES / "fig3a.toml").read_text()
    assert "hub = 0" in text and "all-to-all" in text
    assert len(load_model(EXAMPLES / "fig3a.toml").bonds) == 10


def test_explicit_zero_couplings_on_a_topology_are_accepted(tmp_path: Path) -> None:
    """Only a topology with none of ux/uy/uz is refused; zeros written out are a choice."""
    net = load_model(_write(tmp_path, GOOD_QUBITS + "[couplings]\ntopology = 'chain'\nux = 0\n"))
    assert net.bonds == [(0, 1, 0.0, 0.0, 0.0)]


SPINS = "[spins]\ns = 1\nscheme = 'gain-damping'\ngain = [1, 2]\ndamping = [1, 1]\n"
COLLECTIVE = "[[collective]]\nsites = 'all'\noperator = 'lowering'\nrate = 1\n"

GENERAL_INVALID = {
    # issue 11 §4: silent defaults
    "chain-without-couplings": (GOOD_QUBITS + "[couplings]\ntopology = 'chain'\n",
                                [r"couplings: topology = 'chain' without ux, uy or uz", r"not be coupled"]),
    "hub-on-chain": (GOOD_QUBITS + "[couplings]\ntopology = 'chain'\nux = 1\nhub = 1\n",
                     [r"couplings\.hub = 1: applies only to topology = 'star'", r"'chain'"]),
    "alpha-on-ring": (GOOD_QUBITS + "[couplings]\ntopology = 'ring'\nux = 1\nalpha = 2\n",
                      [r"couplings\.alpha = 2\.0: applies only to topology = 'power-law'", r"'ring'"]),
    "hub-with-bonds": (GOOD_QUBITS + "[couplings]\nhub = 1\n[[couplings.bond]]\nsites = [0, 1]\nux = 1\n",
                       [r"couplings\.hub = 1", r"\[\[couplings\.bond\]\]"]),
    "ux-without-topology": (GOOD_QUBITS + "[couplings]\nux = 1\n",
                            [r"couplings\.ux = 1\.0: applies only with a topology"]),
    "uz-on-none": (GOOD_QUBITS + "[couplings]\ntopology = 'none'\nuz = 1\n", [r"couplings\.uz = 1\.0"]),
    "uy-beside-bonds": (GOOD_QUBITS + "[couplings]\nuy = 1\n[[couplings.bond]]\nsites = [0, 1]\nux = 1\n",
                        [r"couplings\.uy = 1\.0", r"each \[\[couplings\.bond\]\]"]),
    "nan-uniform-coupling": (GOOD_QUBITS + "[couplings]\ntopology = 'chain'\nux = nan\n",
                             [r"'couplings\.ux' = nan: must be finite"]),
    "field-twice": ("field = 1\n" + GOOD_QUBITS + "[couplings]\nfield = 2\n", [r"field is given twice"]),
    "couplings-field-nan": (GOOD_QUBITS + "[couplings]\nfield = inf\n", [r"couplings\.field = inf"]),
    # field paths as the file spells them
    "negative-dephasing": (GOOD_QUBITS + "dephasing = [1, -1]\n", [r"qubits\.dephasing\[1\] = -1\.0", r"≥ 0"]),
    "short-drive": (GOOD_QUBITS + "drive = [1]\n", [r"qubits\.drive: expected 2 values"]),
    "drive-phase-type": (GOOD_QUBITS + "drive_phase = [1, 'x']\n", [r"qubits\.drive_phase\.1", r"'x'"]),
    "rate-scale-type": ("[qubits]\nmagnetization = [0.1, 0.2]\nrate_scale = 'x'\n",
                        [r"'qubits\.rate_scale' = 'x'", r"a number or a list"]),
    "spin-size": (SPINS.replace("s = 1", "s = 0.3"), [r"spins\.s = 0\.3", r"half-integer"]),
    "spin-size-entry": (SPINS.replace("s = 1", "s = [1, 0.7]"), [r"spins\.s\[1\] = 0\.7"]),
    "spin-size-count": (SPINS.replace("s = 1", "s = [1, 1, 1]"), [r"spins\.s: expected 1 or 2 values"]),
    "spin-size-type": (SPINS.replace("s = 1", "s = 'one'"), [r"'spins\.s' = 'one'"]),
    "spin-size-bool": (SPINS.replace("s = 1", "s = true"), [r"'spins\.s' = True"]),
    "spin-missing-s": (SPINS.replace("s = 1\n", ""), [r"missing field 'spins\.s'"]),
    "spin-missing-scheme": (SPINS.replace("scheme = 'gain-damping'\n", ""), [r"missing field 'spins\.scheme'"]),
    "spin-unknown-scheme": (SPINS.replace("gain-damping", "J+"),
                            [r"'spins\.scheme' = 'J\+'", r"'gain-damping' or 'roulet-bruder'"]),
    "spin-magnetization": (SPINS + "magnetization = [0.1, 0.2]\n", [r"unknown field 'spins\.magnetization'"]),
    "spin-negative-gain": (SPINS.replace("gain = [1, 2]", "gain = [1, -2]"), [r"spins\.gain\[1\] = -2\.0"]),
    "qubits-and-spins": (GOOD_QUBITS + SPINS, [r"either \[qubits\] or \[spins\], not both"]),
    "neither-section": ("[couplings]\nfield = 1\n", [r"missing field 'qubits' \(or 'spins'\)"]),
    "misspelt-section": (SPINS.replace("[spins]", "[spin]"), [r"unknown field 'spin'", r"\[spins\] section"]),
    "spin-isolated-site": ("[spins]\ns = 1\nscheme = 'roulet-bruder'\ngain = [1, 0]\ndamping = [1, 0]\n",
                           [r"site 1: no dissipation", r"not unique"]),
    # [[collective]]
    "collective-rate": (GOOD_QUBITS + COLLECTIVE.replace("rate = 1", "rate = -1"),
                        [r"collective\[0\]\.rate = -1\.0", r"≥ 0"]),
    "collective-site": (GOOD_QUBITS + COLLECTIVE.replace("'all'", "[0, 5]"),
                        [r"collective\[0\]\.sites: 5 is not a site index in \[0, 1\]"]),
    "collective-sites-word": (GOOD_QUBITS + COLLECTIVE.replace("'all'", "'some'"),
                              [r"'collective\.0\.sites' = 'some'", r'"all"']),
    "collective-sites-bool": (GOOD_QUBITS + COLLECTIVE.replace("'all'", "[true]"),
                              [r"'collective\.0\.sites' = \[True\]"]),
    "collective-operator": (GOOD_QUBITS + COLLECTIVE.replace("lowering", "lower"),
                            [r"'collective\.0\.operator' = 'lower'", r"'lowering', 'raising' or 'dephasing'"]),
    "collective-repeated": (GOOD_QUBITS + COLLECTIVE.replace("'all'", "[0, 0]"), [r"collective\[0\]\.sites = \[0, 0\]"]),
    "collective-missing-rate": (GOOD_QUBITS + COLLECTIVE.replace("rate = 1\n", ""),
                                [r"missing field 'collective\.0\.rate'"]),
    "collective-not-array": (GOOD_QUBITS + COLLECTIVE.replace("[[collective]]", "[collective]"),
                             [r"'collective'", r"\[\[collective\]\] table"]),
}


@pytest.mark.parametrize("case", sorted(GENERAL_INVALID))
def test_general_model_errors_name_file_field_value(tmp_path: Path, case: str) -> None:
    text, patterns = GENERAL_INVALID[case]
    path = _write(tmp_path, text, name=f"bad-{case}.toml")
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    msg = str(info.value)
    assert msg.startswith(str(path) + ": "), msg
    for pattern in patterns:
        assert re.search(pattern, msg), f"{pattern!r} not in {msg!r}"
    assert "\n" not in msg


@pytest.mark.parametrize("case", sorted(INVALID) + sorted(GENERAL_INVALID))
def test_no_python_in_messages(tmp_path: Path, case: str) -> None:
    """No pydantic prefixes, class names or numpy reprs reach a user (issue 11 §4)."""
    text, _ = {**INVALID, **GENERAL_INVALID}[case]
    with pytest.raises(ModelFileError) as info:
        load_model(_write(tmp_path, text))
    msg = str(info.value)
    for leak in ("Value error", "np.float64", "np.int64", "Spec", "dictionary or instance",
                 "bonds[", "[type=", "pydantic"):
        assert leak not in msg, f"{leak!r} in {msg!r}"
