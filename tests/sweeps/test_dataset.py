"""Sweep datasets for the general model: coherence, spin observables, symmetry, model text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinsync import Network, spin_expectations, spin_flipflop_matrix, steady_state
from spinsync.io import load_model
from spinsync.model import Collective
from spinsync.sweeps import SweepSpec, network_toml, open_sweep, parse_path, run_sweep, sweep_from_dict
from spinsync.sweeps.spec import Axis


def _spin_spec(**kw) -> SweepSpec:
    """A driven spin-1 pair built through the API (no [spins] model-file loader needed)."""
    base = Network.spins(1, [1.0, 0.5], [0.3, 0.2], scheme="roulet-bruder", omega=[0.2, -0.1],
                         bonds=[(0, 1, 0.4, 0.4, 0.1)])
    axes = (Axis("omega", np.array([-0.5, 0.5]), (parse_path("spins.omega[0]"),), (1.0,)),
            Axis("drive", np.array([0.0, 0.3, 0.6]), (parse_path("spins.drive[0]"),), (1.0,)))
    return SweepSpec(name="spins", base=base, axes=axes, **kw)


@pytest.mark.parametrize("solver", ["auto", "direct"])
def test_spin_sweep_end_to_end(tmp_path: Path, solver: str) -> None:
    spec = _spin_spec(solver=solver)
    assert spec.symmetry == "none" and spec.sector_dim == 81
    out = tmp_path / "spins.nc"
    run_sweep(spec, out, workers=1, progress=False)
    ds = open_sweep(out)
    assert ds.magnetization.dims == ("omega", "drive", "site")
    assert ds.coherence_re.dims == ("omega", "drive", "site")
    assert ds.attrs["symmetry"] == "none" and ds.attrs["model_kind"] == "spins"
    assert "J+_j J-_k" in ds.flipflop_re.attrs["long_name"]
    assert bool(np.all(np.isnan(ds.sync_max))) and bool(np.all(np.isnan(ds.sync_total)))
    assert ds.attrs["model_toml"].startswith("[spins]\n")
    params = spec.points()
    for i in (0, 4):
        ref = steady_state(params.network(i), method="direct").state
        point = ds.isel(omega=i // 3, drive=i % 3)
        plus = spin_expectations(ref, "+")
        np.testing.assert_allclose(point.coherence_re.values + 1j * point.coherence_im.values, plus, atol=1e-10)
        np.testing.assert_allclose(point.magnetization.values, spin_expectations(ref, "z"), atol=1e-10)
        ff = spin_flipflop_matrix(ref)[0, 1]
        assert float(point.flipflop_re[0]) == pytest.approx(ff.real, abs=1e-10)
    assert float(np.abs(ds.coherence_re.isel(drive=2, site=0)).max()) > 1e-2


def test_driven_qubit_sweep_records_coherence(tmp_path: Path) -> None:
    spec = sweep_from_dict({
        "sweep": {"name": "tongue"},
        "model": {"qubits": {"gain": [0.3], "damping": [1.0]}},
        "axis": [{"name": "detuning", "set": ["qubits.omega[0]"], "values": [-1.0, 0.0, 1.0]},
                 {"name": "drive", "set": ["qubits.drive"], "values": [0.0, 0.5]}],
    })
    out = tmp_path / "tongue.nc"
    run_sweep(spec, out, workers=1, progress=False)
    ds = open_sweep(out)
    assert ds.attrs["symmetry"] == "none" and ds.coherence_re.dims == ("detuning", "drive", "qubit")
    # One qubit: ⟨σ⁺⟩ = −i(Ω/2)⟨σᶻ⟩/(κ − iω), κ = (Γᵍ + Γᵈ)/4 (test_batch derives it).
    w, z = ds.detuning.values[:, None], ds.magnetization.isel(qubit=0).values
    omega = ds.drive.values[None, :]
    plus = -0.5j * omega * z / (1.3 / 4 - 1j * w)
    np.testing.assert_allclose(ds.coherence_re.isel(qubit=0) + 1j * ds.coherence_im.isel(qubit=0),
                               plus, atol=1e-12)
    np.testing.assert_allclose(ds.fidelity, 1.0, atol=1e-12)
    # The stored model (drive 0 at the base) is still a plain [qubits] file.
    model = tmp_path / "model.toml"
    model.write_text(ds.attrs["model_toml"])
    assert load_model(model).to_dict() == spec.base.to_dict()


def test_network_toml_writes_the_new_terms() -> None:
    net = Network([1.0, 0.5], [0.2, 0.1], bonds=[(0, 1, 1.0, 0.5, 0.0)], dephasing=[0.3, 0.0],
                  drive=[0.0, 0.4], drive_phase=[0.0, 1.5],
                  collective=[Collective("all", "lowering", 0.2)])
    text = network_toml(net)
    for line in ("[qubits]", "dephasing = [0.3, 0.0]", "drive = [0.0, 0.4]", "drive_phase = [0.0, 1.5]",
                 "[[collective]]", "sites = [0, 1]", 'operator = "lowering"', "rate = 0.2"):
        assert line in text.splitlines(), line
    plain = network_toml(Network([1.0], [1.0]))
    assert "dephasing" not in plain and "collective" not in plain
    spin = network_toml(Network.spins([1, 0.5], [1.0, 1.0], [0.1, 0.2], scheme="roulet-bruder"))
    assert spin.splitlines()[:3] == ["[spins]", "s = [1.0, 0.5]", 'scheme = "roulet-bruder"']
