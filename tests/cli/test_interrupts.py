"""Ctrl-C and SIGTERM end every command with one line and 130 / 143 (issue 11 §3)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinsync.cli import app
from spinsync.cli._app import Terminated, sigterm_as_interrupt

MODEL = """
[qubits]
gain = [1.0, 0.2]
damping = [0.5, 1.0]
[couplings]
topology = "all-to-all"
ux = 1
uy = 1
uz = 1
"""


@pytest.mark.parametrize("exc, code, word", [(KeyboardInterrupt, 130, "interrupted"),
                                             (Terminated, 143, "terminated")])
def test_interrupted_command_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      exc: type, code: int, word: str) -> None:
    import spinsync.dynamics

    def stopped(*args, **kwargs):
        raise exc

    monkeypatch.setattr(spinsync.dynamics, "evolve", stopped)
    (tmp_path / "m.toml").write_text(MODEL)
    res = CliRunner().invoke(app, ["evolve", str(tmp_path / "m.toml"), "--t-max", "1"])
    assert res.exit_code == code
    assert res.stderr == f"spinsync: error: {word}\n"


def test_sigterm_raises_terminated_only_inside() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with sigterm_as_interrupt():
        with pytest.raises(Terminated):
            signal.raise_signal(signal.SIGTERM)
        # A second SIGTERM during the orderly stop is ignored.
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
        signal.raise_signal(signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) is before
