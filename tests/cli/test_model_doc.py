"""docs/model.md: every ``spinsync steady … --json`` shown there prints the numbers shown
under it, and its worked example is the bundled file it names."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinsync.cli import app

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
RUN = re.compile(r"```console\n\$ spinsync (steady [^\n]*--json[^\n]*)\n```\s*```json\n(.*?)\n```", re.S)
runner = CliRunner()


class Shown(float):
    """A float as the page prints it, with its tolerance: half a unit of the last digit."""

    def __new__(cls, text: str) -> "Shown":
        obj = super().__new__(cls, text)
        decimals = len(text.split(".")[1].lower().split("e")[0]) if "." in text else 0
        obj.tol = 0.5 * 10.0 ** -decimals + 1e-15
        return obj


def _check(shown, actual, where: str) -> None:
    if isinstance(shown, list):
        assert isinstance(actual, list) and len(actual) == len(shown), where
        for i, (s, a) in enumerate(zip(shown, actual)):
            _check(s, a, f"{where}[{i}]")
    elif isinstance(shown, Shown):
        assert isinstance(actual, float) and abs(actual - shown) <= shown.tol, (where, shown, actual)
    else:
        assert actual == shown, (where, shown, actual)


RUNS = RUN.findall(DOC)


def test_the_page_shows_runs() -> None:
    assert len(RUNS) >= 4


@pytest.mark.parametrize("command, shown", RUNS, ids=[c for c, _ in RUNS])
def test_shown_json_is_what_steady_prints(command: str, shown: str) -> None:
    result = runner.invoke(app, shlex.split(command))
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    expected = json.loads(shown, parse_float=Shown)
    for key, value in expected.items():
        assert key in out, key
        _check(value, out[key], key)


def test_worked_example_is_the_bundled_file() -> None:
    section = DOC.split("### Worked example: dephasing keeps the theorem", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    assert tomllib.loads(block) == tomllib.loads((ROOT / "examples" / "dephasing.toml").read_text())


def test_readme_links_the_page() -> None:
    assert "docs/model.md" in (ROOT / "README.md").read_text(encoding="utf-8")
