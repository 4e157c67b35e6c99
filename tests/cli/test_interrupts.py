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


@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, "interrupted"),
                                             (signal.SIGTERM, 143, "terminated")])
def test_interrupt_replaced_by_another_error_still_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          sig: int, code: int, word: str) -> None:
    """A signal whose KeyboardInterrupt lands in NumPy's C code comes out as a TypeError
    (seen in np.unique during a sweep's Ctrl-C); the command still ends as interrupted."""
    import spinsync.dynamics

    def replaced(*args, **kwargs):
        try:
            signal.raise_signal(sig)
        except KeyboardInterrupt:
            raise TypeError("Cannot compare structured arrays unless they have a common dtype") from None

    monkeypatch.setattr(spinsync.dynamics, "evolve", replaced)
    (tmp_path / "m.toml").write_text(MODEL)
    with sigterm_as_interrupt():
        res = CliRunner().invoke(app, ["evolve", str(tmp_path / "m.toml"), "--t-max", "1"])
    assert res.exit_code == code, res.output
    assert res.stderr == f"spinsync: error: {word}\n"


def test_an_error_without_a_signal_is_not_an_interrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import spinsync.dynamics

    def broken(*args, **kwargs):
        raise TypeError("a genuine bug")

    monkeypatch.setattr(spinsync.dynamics, "evolve", broken)
    (tmp_path / "m.toml").write_text(MODEL)
    with sigterm_as_interrupt():
        res = CliRunner().invoke(app, ["evolve", str(tmp_path / "m.toml"), "--t-max", "1"])
    assert isinstance(res.exception, TypeError) and res.exit_code == 1


def test_no_interrupt_is_remembered_after_the_command() -> None:
    from spinsync.cli._app import received_interrupt

    with sigterm_as_interrupt():
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
        assert received_interrupt() is not None
    assert received_interrupt() is None
