"""The repository carries its own conventions page, and nothing points outside the repository.

A clone has no "shared folder" and no ``CONVENTIONS.md``: README.md, docs/ and every file
under src/ must point to ``docs/conventions.md`` instead. Every file is checked strictly.
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

def _files() -> list[str]:
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted(SRC.rglob("*.py"))]
    return [str(path.relative_to(ROOT)) for path in paths]


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
