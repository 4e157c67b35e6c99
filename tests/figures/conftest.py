"""Figures made once per test session (``--quick`` grids) for the figure tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinsync.figures import Options, reproduce


@pytest.fixture(scope="session")
def quick_figures(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """``reproduce all --quick`` into a temporary folder: (folder, {name: FigureOutput})."""
    out = tmp_path_factory.mktemp("figures")
    results = reproduce(["all"], out, Options(quick=True, workers=1))
    return out, {r.name: r for r in results}
