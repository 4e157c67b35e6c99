"""The repository carries its own conventions page, and nothing points outside the repository.

A clone has no "shared folder" and no ``CONVENTIONS.md``: README.md, docs/ and every file
under src/ must point to ``docs/conventions.md`` instead. A module of the core that the lead
engineer is rewriting on another branch, and that still has such a pointer, is marked
``xfail(strict=False)`` here (file by file) until that rewrite replaces it; every other
file, core modules without a pointer included, is checked strictly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "spinsync"
CONVENTIONS = ROOT / "docs" / "conventions.md"

#: A pointer to the shared conventions file (upper case: docs/conventions.md does not match).
SHARED = re.compile(r"shared folder|shared/CONVENTIONS|\.\./shared|CONVENTIONS\.md")

#: Core modules being rewritten by the lead (issue 10); not edited on this branch.
CORE = {f"src/spinsync/{name}" for name in (
    "model.py", "operators.py", "basis.py", "liouvillian.py", "matrixfree.py", "nojump.py",
    "steadystate.py", "gmres.py", "krylov.py", "states.py", "measures.py", "sync.py", "nogo.py",
    "dynamics.py", "initial_states.py", "sector_observables.py", "block_structure.py",
    "theory/spins.py",
    # The package __init__ is being reassembled as the public API in the same rewrite.
    "__init__.py",
)}


def _files() -> list:
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted(SRC.rglob("*.py"))]
    params = []
    for path in paths:
        rel = str(path.relative_to(ROOT))
        pending = rel in CORE and SHARED.search(path.read_text(encoding="utf-8"))
        marks = ([pytest.mark.xfail(strict=False, reason="core module rewritten by the lead "
                                    "(issue 10); its pointer is replaced there")]
                 if pending else [])
        params.append(pytest.param(rel, marks=marks, id=rel))
    return params


@pytest.mark.parametrize("rel", _files())
def test_no_pointer_to_the_shared_conventions(rel: str) -> None:
    text = (ROOT / rel).read_text(encoding="utf-8")
    hits = [f"{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in SHARED.finditer(text)]
    assert hits == [], f"{rel} points outside the repository; use docs/conventions.md"


def test_readme_points_to_the_conventions_page() -> None:
    assert CONVENTIONS.is_file()
    assert "docs/conventions.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_conventions_page_records_the_project_decisions() -> None:
    text = CONVENTIONS.read_text(encoding="utf-8")
    assert text.count("**Project decision") >= 4
    assert "B Σ_j Jᶻ_j" in text and "B Σ_j σᶻ_j" in text            # (1) field on spins / qubits
    assert "local Liouvillian" in text and "½γ D[A_j]" in text        # (2) ρ₀ of the general model
    assert all(f"`\"{label}\"`" in text for label in ("u1", "parity", "none"))  # (3) symmetry labels
    assert "site 0 as the" in text and "leftmost factor" in text      # (4) mixed-radix basis
    # The general model of issue 10 is covered.
    for topic in ("dephasing", "drive", "Collective", "roulet-bruder", "Zero rates",
                  "Husimi", "S-function", "no-go"):
        assert topic.lower() in text.lower(), topic
