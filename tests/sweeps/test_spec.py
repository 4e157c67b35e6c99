"""Sweep files: parsing, grids, ties, and error messages that name file, field and value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinsync.errors import ModelFileError
from spinsync.sweeps import load_sweep, sweep_from_dict

from sweep_helpers import EXAMPLES


def _example_params() -> list:
    return [pytest.param(path, id=path.name) for path in sorted(EXAMPLES.glob("*.toml"))]


def test_there_are_examples() -> None:
    assert sorted(EXAMPLES.glob("*.toml")), "no example sweep files"


@pytest.mark.parametrize("path", _example_params())
def test_examples_load(path: Path) -> None:
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
    ('name = "a"\nset = ["qubits.omega[0]", "spins.drive[1]"]\nvalues = [0.1]',
     ["axis.0.set.1", "'spins.drive[1]'", "[qubits]", "use qubits.drive[1]"]),
    ('name = "a"\nset = ["qubits.dephasing[2]"]\nvalues = [0.1]', ["axis.0.set.0", "qubit index 2", "out of range"]),
    ('name = "a"\nset = ["collective[0].rate"]\nvalues = [0.1]', ["axis.0.set.0", "no collective channels"]),
    ('name = "a"\nset = ["spins.magnetization[0]"]\nvalues = [0.1]', ["axis.0.set", "unknown parameter path"]),
    ('name = "a"\nset = ["qubits.dephasing"]\nvalues = [0.1, -0.5]', ["a = -0.5", "qubits.dephasing[0]", "≥ 0"]),
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


def _inline(axes: list[dict], model: dict | None = None, **sweep) -> dict:
    return {"sweep": {"name": "t", **sweep}, "model": model or {
        "qubits": {"magnetization": [0.25, -0.25], "omega": [0.2, 0.0]},
        "couplings": {"topology": "all-to-all", "ux": 1, "uy": 1, "uz": 0.5}}, "axis": axes}


def test_symmetry_is_the_weakest_over_the_grid() -> None:
    deph = {"name": "g", "set": ["qubits.dephasing"], "values": [0.0, 1.0]}
    spec = sweep_from_dict(_inline([deph]))
    assert (spec.symmetry, spec.xxz, spec.sector_dim, spec.resolved_solver()) == ("u1", True, 6, "batch")
    aniso = {"name": "uy", "set": ["couplings.uy"], "values": [1.0, 0.3]}
    spec = sweep_from_dict(_inline([deph, aniso]))
    assert (spec.symmetry, spec.xxz, spec.sector_dim) == ("parity", False, 8)
    drive = {"name": "w", "set": ["qubits.drive[1]"], "values": [0.0, 0.0, 0.4]}
    spec = sweep_from_dict(_inline([aniso, drive]))
    assert (spec.symmetry, spec.sector_dim, spec.resolved_solver()) == ("none", 16, "batch")
    # Every chunk carries the sweep's sector, even one with only u1 points.
    first = spec.points(0, 1)
    assert first.weakest_symmetry() == "u1" and first.symmetry == "none"
    assert spec.canonical()["symmetry"] == "none"


def test_auto_goes_per_point_when_the_weakest_sector_is_large() -> None:
    model = {"qubits": {"magnetization": [0.1, -0.2, 0.3, 0.0, 0.2]},
             "couplings": {"topology": "all-to-all", "ux": 1, "uy": 1, "uz": 1}}
    spec = sweep_from_dict(_inline([{"name": "w", "set": ["qubits.drive[0]"], "values": [0.0]}], model))
    assert spec.symmetry == "u1" and spec.resolved_solver() == "batch"  # 252: a zero drive keeps U(1)
    spec = sweep_from_dict(_inline([{"name": "w", "set": ["qubits.drive[0]"], "values": [0.0, 0.1]}], model))
    assert spec.symmetry == "none" and spec.sector_dim == 4**5 and spec.resolved_solver() == "auto"


def test_sweep_of_an_undissipated_site_is_refused(tmp_path: Path) -> None:
    """Zero rates are allowed where the steady state stays unique; a qubit with no
    dissipation and no flip bond is refused at the point where that happens."""
    path = _write(tmp_path, """
[model.qubits]
gain = [1.0, 0.5]
damping = [1.0, 0.5]
[model.couplings]
topology = "all-to-all"
uz = 1
[[axis]]
name = "g"
set = ["qubits.gain[1]", "qubits.damping[1]"]
values = [0.5, 0.0]
""")
    with pytest.raises(ModelFileError, match=r"at g = 0: qubit 1: gain \+ damping = 0") as info:
        load_sweep(path)
    assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)


SPINS_SWEEP = """
[sweep]
name = "spins"
[model.spins]
s = 1
scheme = "roulet-bruder"
gain = [1.0, 0.5]
damping = [0.1, 0.3]
[model.couplings]
topology = "all-to-all"
ux = 0.5
uy = 0.5
[[axis]]
name = "w"
set = ["spins.drive[0]"]
values = [0.0, 0.2]
"""


def test_spins_sweep_file(tmp_path: Path) -> None:
    path = tmp_path / "spins.toml"
    path.write_text(SPINS_SWEEP)
    spec = load_sweep(path)
    assert spec.base.kind == "spins" and spec.base.scheme == "roulet-bruder"
    assert spec.symmetry == "none" and spec.sector_dim == 81 and spec.resolved_solver() == "batch"
    params = spec.points()
    np.testing.assert_array_equal(params.drive[:, 0], [0.0, 0.2])


def test_huge_grid_is_refused_at_once_naming_its_size() -> None:
    """Issue 11 §1: a 10⁵ × 10⁵ grid sat in validation for minutes; now it is refused
    before any point is built, with its size."""
    import time

    data = {"model_file": str(EXAMPLES.parent / "two_qubit.toml"), "sweep": {"name": "huge"},
            "axis": [{"name": "m1", "set": ["qubits.magnetization[0]"], "start": -0.9, "stop": 0.9,
                      "num": 100_000},
                     {"name": "m2", "set": ["qubits.magnetization[1]"], "start": -0.9, "stop": 0.9,
                      "num": 100_000}]}
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match=r"10,000,000,000 points \(100000 × 100000\)"):
        sweep_from_dict(data, source=str(EXAMPLES / "huge.toml"))
    assert time.perf_counter() - start < 5.0
