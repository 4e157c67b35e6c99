"""Every ```toml block in README.md and docs/*.md is a file the loaders accept.

A block with ``[qubits]`` or ``[spins]`` at the top is a model file
(:func:`spinsync.io.model_file.model_from_dict`); one with ``[[axis]]``, ``[sweep]``,
``[model]`` or ``model_file`` is a sweep file (:func:`spinsync.sweeps.sweep_from_dict`),
whose relative ``model_file`` is resolved from ``examples/sweeps/`` (where the docs say such
files live). Anything else fails: a snippet a reader copies must load as it stands.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from spinsync.io.model_file import model_from_dict
from spinsync.sweeps import sweep_from_dict

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```toml[ \t]*\n(.*?)^```", re.S | re.M)
SWEEP_KEYS = {"axis", "sweep", "model", "model_file", "tie"}
MODEL_KEYS = {"qubits", "spins"}


def _blocks() -> list:
    params = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            name = f"{path.relative_to(ROOT)}:{line}"
            params.append(pytest.param(name, m.group(1), id=name))
    return params


BLOCKS = _blocks()


def test_the_docs_have_toml_examples() -> None:
    names = [p.values[0] for p in BLOCKS]
    assert any(n.startswith("README.md:") for n in names)
    assert any(n.startswith("docs/sweeps.md:") for n in names)


@pytest.mark.parametrize("name, text", BLOCKS)
def test_toml_block_loads(name: str, text: str) -> None:
    data = tomllib.loads(text)
    keys = set(data)
    if keys & SWEEP_KEYS:
        spec = sweep_from_dict(data, source=name, base_dir=ROOT / "examples" / "sweeps", text=text)
        assert spec.size >= 1
    elif keys & MODEL_KEYS:
        net = model_from_dict(data, source=name)
        assert net.n >= 1
    else:
        pytest.fail(f"{name}: neither a model file ([qubits]/[spins]) nor a sweep file; keys {sorted(keys)}")
