"""`spinsync reproduce --quick`: every figure's files and data, and the CLI contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from spinsync.figures import FIGURES, Options, reproduce
from spinsync.figures.fig2 import eq7_flipflop, fig2a_sweep, fig2b_sweep
from spinsync.figures.fig3 import fig3_sweep
from spinsync.sweeps import load_sweep, sweep_from_dict
from spinsync.measures.sync import two_qubit_flipflop

ROOT = Path(__file__).resolve().parents[2]

#: Data variables each figure's NetCDF file must hold.
EXPECTED = {
    "fig1b": ["fidelity", "c_pm_re", "c_mm_im", "magnetization"],
    "fig1c": ["fidelity", "c_pm_re", "c_mm_im", "magnetization"],
    "figS1": ["fidelity", "c_pm_re", "c_pm_im", "c_mp_re", "c_pp_re", "c_mm_re"],
    "fig2a": ["sync_max", "sync_max_eq7", "flipflop_re", "fidelity", "residual", "method"],
    "fig2b": ["sync_max", "sync_max_eq7", "flipflop_im", "magnetization"],
    "fig3": ["sync_total", "sync_max", "fidelity", "residual"],
    "fig3_scaled": ["sync_total", "residual", "seconds"],
    "spin1": ["correlation", "infidelity"],
    "arnold_spin1": ["sync_site_max", "locked_phase", "n_maxima", "coherence_re", "residual"],
    "blockade_spin1": ["s_function", "coherence_re", "coherence_im", "peak_phase", "harmonic_amplitude"],
    "pair_spin1": ["sync_max", "locked_phase", "n_maxima", "residual"],
}


def test_every_figure_writes_png_pdf_netcdf(quick_figures: tuple[Path, dict]) -> None:
    out, results = quick_figures
    assert set(results) == set(FIGURES)
    for name in FIGURES:
        for ext in ("png", "pdf", "nc"):
            path = out / f"{name}.{ext}"
            assert path.stat().st_size > 1000, path
        assert (out / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (out / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
        with xr.open_dataset(out / f"{name}.nc") as ds:
            for var in EXPECTED[name]:
                assert var in ds, (name, var)
            assert ds.attrs["spinsync_version"]
    assert not (out / ".work").exists()


def test_figure_physics(quick_figures: tuple[Path, dict]) -> None:
    out, results = quick_figures
    # Eq. 7 agrees with the numerics on both two-qubit maps (float64 solves: ~1e-16).
    for name in ("fig2a", "fig2b"):
        assert results[name].checks["eq7_max_abs_deviation"] < 1e-12
    with xr.open_dataset(out / "fig2a.nc") as ds:
        diag = np.diagonal(ds.sync_max.isel(pair=0).values)  # m1 = m2: blockade
        assert np.max(diag) < 1e-14 < float(ds.sync_max.max())
    with xr.open_dataset(out / "fig3.nc") as ds:
        assert list(ds.panel.values) == ["a", "b", "c", "d"]
        assert ds.sync_total.dims == ("panel", "m1", "m2")
        assert float(ds.residual.max()) < 1e-10
    with xr.open_dataset(out / "figS1.nc") as ds:
        # Non-interacting GHZ: no pair coherence of the σ⁺σ⁻ kind at any time (N = 6).
        ghz = ds.sel(initial="ghz", coupling="noninteracting")
        assert float(np.max(np.abs(ghz.c_pm_re))) < 1e-10
        np.testing.assert_allclose(ds.c_mp_im, -ds.c_pm_im, atol=1e-12)  # C₋₊ = C₊₋*


def test_eq7_vectorized_matches_core() -> None:
    spec = sweep_from_dict(fig2b_sweep(quick=True))
    params = spec.points(0, 60)
    fast = eq7_flipflop(params)
    for i in (0, 13, 59):
        assert fast[i] == pytest.approx(two_qubit_flipflop(params.network(i)), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name, data", [
    ("fig2a", fig2a_sweep()), ("fig2b", fig2b_sweep()),
    *[(f"fig3{p}", fig3_sweep(p)) for p in "abcd"],
])
def test_example_sweep_files_match_figures(name: str, data: dict) -> None:
    """examples/sweeps/*.toml describe exactly what `reproduce` computes."""
    from_file = load_sweep(ROOT / "examples" / "sweeps" / f"{name}.toml").canonical()
    from_code = sweep_from_dict(data).canonical()
    assert from_file == from_code


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def test_cli_reproduce_one_figure(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "spinsync", "reproduce", "fig2a", "--out", str(tmp_path),
                           "--quick", "--json"], env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert [f["name"] for f in summary["figures"]] == ["fig2a"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig2a.nc", "fig2a.pdf", "fig2a.png"]


def test_cli_reproduce_unknown_figure(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "spinsync", "reproduce", "fig9", "--out", str(tmp_path)],
                          env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "fig9" in done.stderr and len(done.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------ output folder (issue 11 §2)
def test_unknown_figure_creates_no_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from spinsync.cli import app

    res = CliRunner().invoke(app, ["reproduce", "nonesuch", "--out", str(tmp_path / "figs2")])
    assert res.exit_code == 2 and "nonesuch" in res.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where, needle", [("afile", "is a file"), ("afile/figs", "is a file, not a folder")])
def test_reproduce_out_must_be_a_folder(tmp_path: Path, where: str, needle: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    import spinsync.figures
    from spinsync.cli import app

    monkeypatch.setattr(spinsync.figures, "_registry", lambda: pytest.fail("made before checking"))
    (tmp_path / "afile").write_text("x")
    res = CliRunner().invoke(app, ["reproduce", "fig2a", "--out", str(tmp_path / where)])
    assert res.exit_code == 2, res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and "--out" in lines[0] and needle in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_reproduce_unwritable_folder(unwritable_dir: Path) -> None:
    from typer.testing import CliRunner

    from spinsync.cli import app

    res = CliRunner().invoke(app, ["reproduce", "fig2a", "--out", str(unwritable_dir / "figs")])
    assert res.exit_code == 2 and "cannot write in" in res.stderr


def test_failed_figure_leaves_no_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import spinsync.figures

    def broken(out, options):
        raise RuntimeError("figure failed")

    monkeypatch.setattr(spinsync.figures, "_registry", lambda: {"fig2a": broken})
    with pytest.raises(RuntimeError):
        reproduce(["fig2a"], tmp_path / "new" / "figs", Options(quick=True, workers=1))
    assert list(tmp_path.iterdir()) == []
