"""TOML model files for the general model (issue 10 §1): every new key produces the same
steady state as the API call (and as the QuTiP oracle), and bad input is refused with a
ModelFileError that names the file and the field (one line, as for the paper's keys).

New keys: [qubits] dephasing, drive, drive_phase; [spins] s, scheme, gain, damping,
dephasing, omega, drive, drive_phase; [[collective]] sites (list or "all"), operator, rate.
States: AGREE = 1e-10 against QuTiP; 1e-13 between file and API (same model, same solver).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import spinsync as ss

from tests.general_cases import AGREE, dense, max_diff, network, reference, solve
from tests.oracles import prosen_current_dense, prosen_current_n2

SAME = 1e-13


def _write(tmp_path: Path, text: str, name: str = "model.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _plain(msg: str) -> str:
    return re.sub(r"np\.(?:float64|int64)\(([^()]*)\)", r"\1", msg)


def _check(tmp_path: Path, text: str, case: dict) -> None:
    """The file's network solves to the API network's state and to QuTiP's."""
    net = ss.load_model(_write(tmp_path, text))
    from_file = dense(solve(net, "direct").state)
    assert max_diff(from_file, dense(solve(network(case), "direct").state)) < SAME
    assert max_diff(from_file, reference(case)) < AGREE


# ------------------------------------------------------------------ every new key
def test_qubits_dephasing_drive_phase(tmp_path: Path) -> None:
    _check(tmp_path, """
[qubits]
gain = [1.0, 0.2, 0.5]
damping = [0.3, 1.0, 0.5]
omega = [0.1, -0.3, 0.2]
dephasing = [0.4, 0.0, 1.2]
drive = [0.5, 0.0, 0.8]
drive_phase = [0.3, 0.0, 2.0]

[couplings]
topology = "chain"
ux = 1.0
uy = 0.6
uz = 0.2
field = 0.15
""", dict(kind="qubit", gain=[1.0, 0.2, 0.5], damping=[0.3, 1.0, 0.5], omega=[0.1, -0.3, 0.2],
          dephasing=[0.4, 0.0, 1.2], drive=[0.5, 0.0, 0.8], drive_phase=[0.3, 0.0, 2.0],
          bonds=[(0, 1, 1.0, 0.6, 0.2), (1, 2, 1.0, 0.6, 0.2)], field=0.15))


def test_qubits_drive_without_phase_is_phase_zero(tmp_path: Path) -> None:
    _check(tmp_path, """
[qubits]
gain = [1.0, 0.2]
damping = [0.3, 1.0]
drive = [0.5, 0.7]
[couplings]
topology = "chain"
ux = 1.0
uy = 1.0
""", dict(kind="qubit", gain=[1.0, 0.2], damping=[0.3, 1.0], drive=[0.5, 0.7],
          bonds=[(0, 1, 1.0, 1.0, 0.0)]))


def test_magnetization_with_dephasing(tmp_path: Path) -> None:
    # m = 0.5 → Γᵍ = 1, Γᵈ = 1/3; m = −0.5 → Γᵍ = 1/3, Γᵈ = 1 (CONVENTIONS.md)
    _check(tmp_path, """
[qubits]
magnetization = [0.5, -0.5]
dephasing = [0.2, 0.7]
[couplings]
topology = "chain"
ux = 2.0
uy = 2.0
uz = 0.5
""", dict(kind="qubit", gain=[1.0, 1 / 3], damping=[1 / 3, 1.0], dephasing=[0.2, 0.7],
          bonds=[(0, 1, 2.0, 2.0, 0.5)]))


def test_collective_tables(tmp_path: Path) -> None:
    _check(tmp_path, """
[qubits]
gain = [0.2, 0.4, 0.1, 0.3]
damping = [0.5, 0.3, 0.6, 0.2]
omega = [0.3, 0.0, -0.2, 0.1]

[couplings]
topology = "ring"
ux = 0.8
uy = 0.8
uz = 0.1

[[collective]]
sites = "all"
operator = "lowering"
rate = 0.6

[[collective]]
sites = [0, 2]
operator = "dephasing"
rate = 0.3

[[collective]]
sites = [3, 1]
operator = "raising"
rate = 0.25
""", dict(kind="qubit", gain=[0.2, 0.4, 0.1, 0.3], damping=[0.5, 0.3, 0.6, 0.2], omega=[0.3, 0.0, -0.2, 0.1],
          bonds=[(0, 1, 0.8, 0.8, 0.1), (1, 2, 0.8, 0.8, 0.1), (2, 3, 0.8, 0.8, 0.1), (0, 3, 0.8, 0.8, 0.1)],
          collective=[("all", "lowering", 0.6), ([0, 2], "dephasing", 0.3), ([3, 1], "raising", 0.25)]))


def test_spins_roulet_bruder_with_every_key(tmp_path: Path) -> None:
    _check(tmp_path, """
[spins]
s = 1
scheme = "roulet-bruder"
gain = [0.5, 1.0, 0.3]
damping = [1.0, 0.4, 0.8]
dephasing = [0.2, 0.0, 0.1]
omega = [0.3, -0.2, 0.0]
drive = [0.0, 0.6, 0.0]
drive_phase = [0.0, 1.2, 0.0]

[couplings]
field = 0.2
[[couplings.bond]]
sites = [0, 1]
ux = 1.0
uy = 1.0
uz = 0.3
[[couplings.bond]]
sites = [1, 2]
ux = 0.7
uy = 0.4
""", dict(kind="spin", s=1, scheme="roulet-bruder", gain=[0.5, 1.0, 0.3], damping=[1.0, 0.4, 0.8],
          dephasing=[0.2, 0.0, 0.1], omega=[0.3, -0.2, 0.0], drive=[0.0, 0.6, 0.0],
          drive_phase=[0.0, 1.2, 0.0], field=0.2, bonds=[(0, 1, 1.0, 1.0, 0.3), (1, 2, 0.7, 0.4, 0.0)]))


def test_spins_per_site_s_and_topology(tmp_path: Path) -> None:
    _check(tmp_path, """
[spins]
s = [0.5, 1, 0.5]
scheme = "gain-damping"
gain = [0.5, 1.0, 0.3]
damping = [1.0, 0.4, 0.8]

[couplings]
topology = "all-to-all"
ux = 1.0
uy = 1.0
uz = 0.5

[[collective]]
sites = [0, 2]
operator = "raising"
rate = 0.2
""", dict(kind="spin", s=[0.5, 1, 0.5], scheme="gain-damping", gain=[0.5, 1.0, 0.3], damping=[1.0, 0.4, 0.8],
          bonds=[(0, 1, 1.0, 1.0, 0.5), (0, 2, 1.0, 1.0, 0.5), (1, 2, 1.0, 1.0, 0.5)],
          collective=[([0, 2], "raising", 0.2)]))


def test_spins_scheme_is_required_in_files(tmp_path: Path) -> None:
    """Decided (issue 11: no silent defaults): the two schemes answer the no-go question
    oppositely, so a [spins] file must say which it means; the API keeps "gain-damping"
    as its default. With the key given, the file equals the API call."""
    text = """
[spins]
s = 1.5
gain = [0.5, 1.0]
damping = [1.0, 0.4]
[couplings]
topology = "chain"
ux = 1.0
uy = 1.0
"""
    with pytest.raises(ss.ModelFileError, match=r"spins\.scheme"):
        ss.load_model(_write(tmp_path, text))
    _check(tmp_path, text.replace("s = 1.5", 's = 1.5\nscheme = "gain-damping"'),
           dict(kind="spin", s=1.5, scheme="gain-damping", gain=[0.5, 1.0], damping=[1.0, 0.4],
                bonds=[(0, 1, 1.0, 1.0, 0.0)]))


def test_boundary_driven_chain_file(tmp_path: Path) -> None:
    """Zero rates in a file: Prosen's n = 2 chain with ε = 0.5 (Γ = 4ε = 2, Δ = 0.8)."""
    net = ss.load_model(_write(tmp_path, """
[qubits]
gain = [2.0, 0.0]
damping = [0.0, 2.0]
[couplings]
topology = "chain"
ux = 1
uy = 1
uz = 0.8
"""))
    rho = dense(solve(net).state)
    assert abs(np.trace(prosen_current_dense(2) @ rho) - prosen_current_n2(0.5)) < 2 * AGREE


def test_disconnected_undissipated_site_in_a_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[qubits]
gain = [1.0, 0.5, 0.0]
damping = [0.5, 1.0, 0.0]
[couplings]
topology = "none"
[[collective]]
sites = [0, 1]
operator = "lowering"
rate = 0.5
""")
    with pytest.raises(ss.ModelError, match=r"\bsite 2\b"):
        solve(ss.load_model(path))


# ------------------------------------------------------------------ bad input
QUBITS2 = "[qubits]\ngain = [1, 2]\ndamping = [1, 1]\n"
SPINS2 = "[spins]\ns = 1\nscheme = 'gain-damping'\ngain = [1, 2]\ndamping = [1, 1]\n"

INVALID = {
    "negative-dephasing": ("[qubits]\ngain = [1, 2]\ndamping = [1, 1]\ndephasing = [0.1, -0.5]\n",
                           [r"dephasing", r"-0\.5"]),
    "nan-dephasing": ("[qubits]\ngain = [1, 2]\ndamping = [1, 1]\ndephasing = [nan, 0.5]\n",
                      [r"dephasing", r"nan"]),
    "dephasing-wrong-length": (QUBITS2 + "dephasing = [0.1]\n", [r"dephasing", r"2"]),
    "dephasing-wrong-type": (QUBITS2 + "dephasing = 'lots'\n", [r"qubits\.dephasing", r"'lots'"]),
    # decided: a phase without a drive is meaningless and almost surely a typo (like
    # rate_scale without magnetization) — refused, naming drive_phase
    "drive-phase-without-drive": (QUBITS2 + "drive_phase = [0.1, 0.2]\n", [r"drive_phase"]),
    "drive-wrong-length": (QUBITS2 + "drive = [0.1, 0.2, 0.3]\n", [r"drive", r"3"]),
    "drive-inf": (QUBITS2 + "drive = [0.1, inf]\n", [r"drive", r"inf"]),
    "collective-unknown-operator": (QUBITS2 + "[[collective]]\nsites = [0, 1]\noperator = 'sideways'\nrate = 1\n",
                                    [r"collective", r"operator", r"'sideways'"]),
    "collective-site-out-of-range": (QUBITS2 + "[[collective]]\nsites = [0, 5]\noperator = 'lowering'\nrate = 1\n",
                                     [r"collective", r"\b5\b"]),
    "collective-negative-rate": (QUBITS2 + "[[collective]]\nsites = 'all'\noperator = 'lowering'\nrate = -1.5\n",
                                 [r"collective", r"rate", r"-1\.5"]),
    "collective-missing-rate": (QUBITS2 + "[[collective]]\nsites = 'all'\noperator = 'lowering'\n",
                                [r"collective\.0\.rate"]),
    "collective-unknown-key": (QUBITS2 + "[[collective]]\nsites = 'all'\noperator = 'lowering'\nrate = 1\nspeed = 2\n",
                               [r"collective\.0\.speed"]),
    "collective-bad-sites": (QUBITS2 + "[[collective]]\nsites = 'some'\noperator = 'lowering'\nrate = 1\n",
                             [r"collective\.0\.sites", r"'some'"]),
    "spin-size": ("[spins]\ns = 0.7\nscheme = 'gain-damping'\ngain = [1, 2]\ndamping = [1, 1]\n", [r"\bs\b", r"0\.7"]),
    "spin-size-in-list": ("[spins]\ns = [1, 0.7]\nscheme = 'gain-damping'\ngain = [1, 2]\ndamping = [1, 1]\n", [r"\bs\b", r"0\.7"]),
    "spin-size-zero": ("[spins]\ns = 0\nscheme = 'gain-damping'\ngain = [1, 2]\ndamping = [1, 1]\n", [r"\bs\b", r"\b0\b"]),
    "spin-size-list-length": ("[spins]\ns = [1, 1, 1]\nscheme = 'gain-damping'\ngain = [1, 2]\ndamping = [1, 1]\n", [r"\bs\b", r"3"]),
    "unknown-scheme": (SPINS2.replace("'gain-damping'", "'bogus'"), [r"scheme", r"'bogus'"]),
    "unknown-spin-key": (SPINS2 + "gian = [1, 2]\n", [r"unknown field 'spins\.gian'"]),
    "spins-magnetization": (SPINS2 + "magnetization = [0.1, 0.2]\n", [r"spins\.magnetization"]),
    "spins-negative-gain": ("[spins]\ns = 1\nscheme = 'gain-damping'\ngain = [1, -2]\ndamping = [1, 1]\n", [r"gain", r"-2"]),
    "spins-missing-s": ("[spins]\ngain = [1, 2]\ndamping = [1, 1]\n", [r"spins", r"\bs\b"]),
    "qubits-and-spins": (QUBITS2 + SPINS2, [r"qubits", r"spins"]),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_general_file_names_file_and_field(tmp_path: Path, case: str) -> None:
    text, patterns = INVALID[case]
    path = _write(tmp_path, text, name=f"bad-{case}.toml")
    with pytest.raises(ss.ModelFileError) as info:
        ss.load_model(path)
    msg = _plain(str(info.value))
    assert msg.startswith(str(path) + ":"), msg
    # match the field and value in the text after the path (the file name itself contains
    # words like 'dephasing', which would make the patterns vacuous)
    body = msg[len(str(path)) + 1:]
    for pattern in patterns:
        assert re.search(pattern, body), f"{pattern!r} not in {body!r}"
    assert isinstance(info.value, ss.ModelError)  # the CLI maps it to exit 2
    assert "\n" not in msg.strip()
