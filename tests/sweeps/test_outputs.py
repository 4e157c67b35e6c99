"""run_sweep's output path and checkpoint folder (issue 11 §2): checked before work,
nothing left behind by a run that saved nothing, finished chunks kept by one that did."""

from __future__ import annotations

from pathlib import Path

import pytest

import spinsync.sweeps.runner as runner
from spinsync import ModelError  # OutputPathError (spinsync.io.atomic) is a ModelError: exit 2
from spinsync.sweeps import checkpoint_dir, run_sweep, sweep_from_dict


def test_non_netcdf_and_existing_outputs_refused(tmp_path: Path, two_qubit_sweep: dict,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    spec = sweep_from_dict(two_qubit_sweep)
    monkeypatch.setattr(runner, "solve_chunk", lambda task: pytest.fail("computed before checking"))
    with pytest.raises(ModelError, match=r"unknown extension '\.csv'"):
        run_sweep(spec, tmp_path / "result.csv", workers=1, progress=False)
    (tmp_path / "old.nc").write_text("old")
    with pytest.raises(ModelError, match="already exists"):
        run_sweep(spec, tmp_path / "old.nc", workers=1, progress=False, overwrite=False)
    with pytest.raises(ModelError, match="is a folder"):
        run_sweep(spec, tmp_path, workers=1, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.nc"]


def test_failure_before_any_chunk_leaves_no_checkpoint(tmp_path: Path, two_qubit_sweep: dict,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(task):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(runner, "solve_chunk", broken)
    out = tmp_path / "s.nc"
    with pytest.raises(RuntimeError, match="solver crashed"):
        run_sweep(sweep_from_dict(two_qubit_sweep), out, workers=1, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_run_keeps_finished_chunks(tmp_path: Path, two_qubit_sweep: dict,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real, calls = runner.solve_chunk, []

    def interrupted_at_second(task):
        calls.append(task.index)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(runner, "solve_chunk", interrupted_at_second)
    spec = sweep_from_dict(two_qubit_sweep)
    out = tmp_path / "s.nc"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, out, workers=1, progress=False)
    assert [p.name for p in checkpoint_dir(out).glob("chunk-*.npz")] == ["chunk-000000.npz"]
    monkeypatch.setattr(runner, "solve_chunk", real)
    report = run_sweep(spec, out, workers=1, progress=False)
    assert (report.chunks_resumed, report.chunks_computed) == (1, 2)
    assert not checkpoint_dir(out).exists()
