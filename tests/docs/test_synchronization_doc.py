"""docs/synchronization.md: its Python blocks run as written, in order, from the repository
root, and print what the page says they print (the worked example and the blockade)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "synchronization.md"
BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```", re.S | re.M)


@pytest.fixture(scope="module")
def namespace(tmp_path_factory: pytest.TempPathFactory) -> dict:
    blocks = BLOCK.findall(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) >= 4
    out = tmp_path_factory.mktemp("syncdoc")
    ns: dict = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for block in blocks:
            code = block.replace('fig.savefig("spin1_driven_S.png")', f'fig.savefig({str(out / "S.png")!r})')
            exec(compile(code, str(PAGE), "exec"), ns)  # noqa: S102 - the page's own examples
    finally:
        os.chdir(cwd)
    ns["_out"] = out
    return ns


def test_worked_example_prints_what_the_page_says(namespace) -> None:
    text = PAGE.read_text(encoding="utf-8")
    peaks = namespace["peaks"]  # the last block rebinds it: the blockade
    assert peaks.n_maxima == 2
    np.testing.assert_allclose(peaks.phases / np.pi, [-0.5, 0.5], atol=1e-9)
    import spinsync as ss
    from spinsync.measures import site_sync

    driven = site_sync(ss.steady_state(ss.load_model(ROOT / "examples" / "spin1_driven.toml")).state, 0)
    # the page quotes digits as printed, cut short with "…"
    assert str(driven.max)[:9] + "…" in text and str(driven.phase)[:9] + "…" in text
    assert f"φ = {driven.phase:.4f}" in text
    assert driven.n_maxima == 1
    plus = ss.spin_expectations(ss.steady_state(ss.load_model(ROOT / "examples" / "spin1_driven.toml")).state, "+")[0]
    assert f"arg⟨J⁺⟩ = {np.angle(plus):.3f}" in text
    late = namespace["result"].observables["S"][-1]
    assert f"→ {late:.5f}, the steady value" in text and late == pytest.approx(driven.max, abs=1e-8)
    assert namespace["tongue"].shape == (11, 21) and namespace["tongue"].max() > 0.05
    assert (namespace["_out"] / "S.png").stat().st_size > 1000
