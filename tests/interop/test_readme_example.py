"""The README's QuTiP example runs and gives QuTiP's answers."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import qutip as qt

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_qutip_example_runs_and_matches_qutip() -> None:
    section = README.split("### From QuTiP", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) == 5
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - the documented example
    h, c = scope["H"], scope["c_ops"]
    assert np.max(np.abs((scope["rho_ss"] - qt.steadystate(h, c)).full())) < 1e-9
    assert scope["info"]["symmetry"] == "none" and scope["info"]["checks_passed"]
    ref = qt.mesolve(h, qt.tensor(qt.basis(2, 0), qt.basis(2, 0)), np.linspace(0, 10, 100), c,
                     e_ops=[qt.tensor(qt.sigmaz(), qt.qeye(2))])
    # QuTiP's defaults (rtol 1e-6, atol 1e-8) on both sides: the 1e-6 agreement.
    assert np.max(np.abs(scope["res"].expect[0] - ref.expect[0])) < 1e-6
