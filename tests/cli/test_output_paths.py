"""Output paths of ``evolve`` and ``sweep`` are checked before any work (issue 11 §2).

Every refusal: exit 2, one line ``spinsync: error: …``, nothing computed (the solver is
replaced by a function that fails the test), nothing left behind in the folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinsync.cli import app

runner = CliRunner()

MODEL = """
[qubits]
gain    = [1.0, 0.2]
damping = [0.5, 1.0]

[couplings]
topology = "all-to-all"
ux = 1.0
uy = 1.0
uz = 0.5
"""

SWEEP = """
[model.qubits]
magnetization = [0.0, 0.0]
[model.couplings]
topology = "all-to-all"
ux = 1
uy = 1
uz = 1
[[axis]]
name = "m1"
set = ["qubits.magnetization[0]"]
start = -0.5
stop = 0.5
num = 3
"""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder with a model, a sweep, a sub-folder and a regular file."""
    (tmp_path / "model.toml").write_text(MODEL)
    (tmp_path / "sweep.toml").write_text(SWEEP)
    (tmp_path / "folder").mkdir()
    (tmp_path / "afile").write_text("not a folder")
    return tmp_path


@pytest.fixture
def no_compute(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_run(*args, **kwargs):
        raise AssertionError("computed before the output path was checked")

    import spinsync.dynamics
    import spinsync.sweeps.runner

    monkeypatch.setattr(spinsync.dynamics, "evolve", must_not_run)
    monkeypatch.setattr(spinsync.sweeps.runner, "solve_chunk", must_not_run)


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _refused(res, *needles: str) -> None:
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("spinsync: error: "), res.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


EVOLVE_CASES = {
    "out is a folder": (["--out", "{work}/folder"], ["--out", "is a folder"]),
    "out under a file": (["--out", "{work}/afile/run.nc"], ["--out", "afile is a file, not a folder"]),
    "out not NetCDF": (["--out", "{work}/run.csv"], ["--out", "unknown extension '.csv'", ".nc"]),
    "plot unknown extension": (["--plot", "{work}/x.xyz"], ["--plot", "unknown extension '.xyz'", ".png"]),
    "plot without extension": (["--plot", "{work}/figure"], ["--plot", "no extension"]),
    "plot is a folder": (["--plot", "{work}/folder"], ["--plot", "is a folder"]),
    "good out, bad plot": (["--out", "{work}/ok.nc", "--plot", "{work}/bad.xyz"], ["--plot", "'.xyz'"]),
    "bad out, good plot": (["--out", "{work}/folder", "--plot", "{work}/ok.png"], ["--out"]),
}


@pytest.mark.parametrize("case", EVOLVE_CASES)
def test_evolve_bad_output_refused_before_work(work: Path, no_compute: None, case: str) -> None:
    args, needles = EVOLVE_CASES[case]
    before = _listing(work)
    res = runner.invoke(app, ["evolve", str(work / "model.toml"), "--t-max", "1", "--points", "3",
                              *[a.format(work=work) for a in args]])
    _refused(res, *needles)
    assert _listing(work) == before  # no ok.nc, no ok.png, no temporary files


def test_evolve_unwritable_place(work: Path, no_compute: None, unwritable_dir: Path) -> None:
    for option, name in (("--out", "run.nc"), ("--plot", "run.png")):
        res = runner.invoke(app, ["evolve", str(work / "model.toml"), "--t-max", "1",
                                  option, str(unwritable_dir / "sub" / name)])
        _refused(res, option, "cannot write in")


def test_evolve_existing_outputs_need_force(work: Path) -> None:
    nc, png = work / "run.nc", work / "run.png"
    nc.write_text("old data")
    png.write_text("old figure")
    base = ["evolve", str(work / "model.toml"), "--t-max", "0.5", "--points", "3", "--out", str(nc),
            "--plot", str(png)]
    _refused(runner.invoke(app, base), "--out", "already exists", "--force")
    assert nc.read_text() == "old data" and png.read_text() == "old figure"
    nc.unlink()
    _refused(runner.invoke(app, base), "--plot", "already exists", "--force")
    assert not nc.exists() and png.read_text() == "old figure"
    res = runner.invoke(app, [*base, "--force"])
    assert res.exit_code == 0, res.output
    assert nc.read_bytes()[:4] == b"\x89HDF" and png.read_bytes()[:4] == b"\x89PNG"


def test_plot_extensions_are_matplotlib_formats() -> None:
    from matplotlib.backend_bases import FigureCanvasBase

    from spinsync.cli.evolve import PLOT_SUFFIXES

    supported = FigureCanvasBase.get_supported_filetypes()
    assert all(s.lstrip(".") in supported for s in PLOT_SUFFIXES)


SWEEP_CASES = {
    "out is a folder": ("{work}/folder", ["--out", "is a folder"]),
    "out under a file": ("{work}/afile/s.nc", ["--out", "afile is a file, not a folder"]),
    "csv is not written as HDF5": ("{work}/result.csv", ["--out", "unknown extension '.csv'", ".nc"]),
}


@pytest.mark.parametrize("case", SWEEP_CASES)
def test_sweep_bad_output_refused_before_work(work: Path, no_compute: None, case: str) -> None:
    out, needles = SWEEP_CASES[case]
    before = _listing(work)
    res = runner.invoke(app, ["sweep", str(work / "sweep.toml"), "--out", out.format(work=work),
                              "--no-progress"])
    _refused(res, *needles)
    assert _listing(work) == before  # in particular no .sweep-* checkpoint folder


def test_sweep_unwritable_place(work: Path, no_compute: None, unwritable_dir: Path) -> None:
    res = runner.invoke(app, ["sweep", str(work / "sweep.toml"), "--out", str(unwritable_dir / "s.nc"),
                              "--no-progress"])
    _refused(res, "--out", "cannot write in")


def test_sweep_existing_output_needs_force(work: Path) -> None:
    out = work / "s.nc"
    out.write_text("old data")
    args = ["sweep", str(work / "sweep.toml"), "--out", str(out), "--no-progress", "--workers", "1"]
    _refused(runner.invoke(app, args), "--out", "already exists", "--force")
    assert out.read_text() == "old data"
    assert not any(p.name.startswith(".sweep-") for p in work.iterdir())
    res = runner.invoke(app, [*args, "--force"])
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:4] == b"\x89HDF"
