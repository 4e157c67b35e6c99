"""Sweep files: parsing, grids, ties, and error messages that name file, field and value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinsync.errors import ModelFileError
from spinsync.sweeps import load_sweep, sweep_from_dict

from sweep_helpers import EXAMPLES


def test_examples_load() -> None:
    files = sorted(EXAMPLES.glob("*.toml"))
    assert files, "no example sweep files"
    for path in files:
        spec = load_sweep(path)
        assert spec.size > 0 and spec.text


def test_grid_order_and_values(two_qubit_sweep: dict) -> None:
    spec = sweep_from_dict(two_qubit_sweep)
    assert spec.shape == (5, 4)
    params = spec.points()
    m = params.magnetization()
    # First axis slowest (C order); the caption rule keeps the larger rate at 1.
    np.testing.assert_allclose(m[:, 0], np.repeat(np.linspace(-0.9, 0.9, 5), 4))
    np.testing.assert_allclose(m[:, 1], np.tile([-0.5, 0.0, 0.25, 0.8], 5))
    np.testing.assert_allclose(np.maximum(params.gain, params.damping), 1.0)


def test_fig3_ties_scale_rates_from_qubit_1() -> None:
    spec = load_sweep(EXAMPLES / "fig3c.toml")
    params = spec.points(0, 50)
    np.testing.assert_allclose(params.gain[:, 2:], params.gain[:, [1]] * [0.8, 5.0, 0.1])
    np.testing.assert_allclose(params.damping[:, 2:], params.damping[:, [1]] * [1.3, 0.9, 1.2])
    assert not params.is_xxz()


def test_tied_axis_sets_every_coupling() -> None:
    spec = load_sweep(EXAMPLES / "fig2b.toml")
    params = spec.points(0, 500)
    u = params.couplings[:, 0, :]
    np.testing.assert_array_equal(u[:, 0], u[:, 1])
    np.testing.assert_array_equal(u[:, 0], u[:, 2])


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    return path


BASE = """
[model.qubits]
magnetization = [0.1, -0.2]
[model.couplings]
topology = "all-to-all"
ux = 1
uy = 1
"""


@pytest.mark.parametrize("axis, words", [
    ('name = "a"\nset = ["qubits.gian[0]"]\nvalues = [0.1]', ["axis.0.set", "qubits.gian[0]", "unknown parameter path"]),
    ('name = "a"\nset = ["qubits.omega[7]"]\nvalues = [0.1]', ["axis.0.set.0", "qubits.omega[7]", "out of range"]),
    ('name = "a"\nset = ["qubits.omega[0]"]\nstart = 0\nstop = 1', ["axis.0", "start, stop and num"]),
    ('name = "a"\nset = ["qubits.omega[0]"]\nvalues = [0.1]\nnum = 0', ["axis.0.num", "0"]),
    ('name = "pair"\nset = ["qubits.omega[0]"]\nvalues = [0.1]', ["axis.0.name", "'pair'", "reserved"]),
    ('name = "a"\nset = ["qubits.magnetization[0]"]\nvalues = [0.5, 1.0]', ["qubits.magnetization[0]", "1.0", "|m| < 1"]),
    ('name = "a"\nset = ["qubits.gain[1]"]\nvalues = [-1.0]', ["a = -1", "qubits.gain[1]", "≥ 0"]),
    ('name = "a"\nset = ["qubits.omega[0]"]\nvalues = [0.1]\ncolour = 3', ["unknown field", "axis.0.colour"]),
])
def test_errors_name_file_field_value(tmp_path: Path, axis: str, words: list[str]) -> None:
    path = _write(tmp_path, BASE + "\n[[axis]]\n" + axis + "\n")
    with pytest.raises(ModelFileError) as info:
        load_sweep(path)
    msg = str(info.value)
    assert msg.startswith(str(path))
    for word in words:
        assert word in msg, (word, msg)


def test_model_errors_and_solver(tmp_path: Path) -> None:
    axis = '\n[[axis]]\nname = "a"\nset = ["qubits.omega[0]"]\nvalues = [0.1]\n'
    with pytest.raises(ModelFileError, match=r"sweep.solver.*'newton'"):
        load_sweep(_write(tmp_path, '[sweep]\nsolver = "newton"\n' + BASE + axis))
    with pytest.raises(ModelFileError, match=r"\[model\]: field .qubits.*damping"):
        load_sweep(_write(tmp_path, '[model.qubits]\ngain = [1, 1]\n' + axis))
    with pytest.raises(ModelFileError, match="exactly one of model_file"):
        load_sweep(_write(tmp_path, axis))
    with pytest.raises(ModelFileError, match="no such file"):
        load_sweep(_write(tmp_path, 'model_file = "missing.toml"\n' + axis))
    with pytest.raises(ModelFileError, match="invalid TOML"):
        load_sweep(_write(tmp_path, "[[axis]\n"))


def test_model_file_relative_to_sweep(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text(BASE.replace("[model.", "["))
    path = tmp_path / "s.toml"
    path.write_text('model_file = "m.toml"\n[[axis]]\nname = "w"\nset = ["qubits.omega[1]"]\nvalues = [0, 1]\n')
    spec = load_sweep(path)
    assert spec.base.n == 2 and spec.size == 2
