"""Dask scheduler addresses are checked at once (issue 11 §3)."""

from __future__ import annotations

from pathlib import Path

import pytest

import spinsync.sweeps.runner as runner
from spinsync import ModelError
from spinsync.sweeps import checkpoint_dir, run_sweep, sweep_from_dict


@pytest.mark.parametrize("given, normalized", [
    ("tcp://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("scheduler-0.cluster.local:8786", "tcp://scheduler-0.cluster.local:8786"),
    ("TLS://[::1]:8786", "tls://[::1]:8786"),
    ("ws://host:80", "ws://host:80"),
    ("inproc://10.0.0.1/4242/1", "inproc://10.0.0.1/4242/1"),
])
def test_valid_addresses(given: str, normalized: str) -> None:
    assert runner.scheduler_address(given) == normalized


@pytest.mark.parametrize("bad", ["notanaddress", "tcp://127.0.0.1", "http://host:80", "tcp://host:0",
                                 "tcp://host:99999", "tcp://:8786", "host:port", "tcp://ho st:1", ""])
def test_invalid_addresses(bad: str) -> None:
    with pytest.raises(ModelError, match="scheduler address"):
        runner.scheduler_address(bad)


def test_run_sweep_checks_address_before_anything(tmp_path: Path, two_qubit_sweep: dict,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "_run_dask", lambda *a: pytest.fail("connected before checking"))
    out = tmp_path / "s.nc"
    with pytest.raises(ModelError, match="notanaddress"):
        run_sweep(sweep_from_dict(two_qubit_sweep), out, scheduler="notanaddress", progress=False)
    with pytest.raises(ModelError, match="connect timeout"):
        run_sweep(sweep_from_dict(two_qubit_sweep), out, scheduler="tcp://127.0.0.1:1", connect_timeout=0,
                  progress=False)
    assert not checkpoint_dir(out).exists() and list(tmp_path.iterdir()) == []


def test_connect_timeout_is_short_and_the_cli_default() -> None:
    from spinsync.cli.sweep import CONNECT_TIMEOUT_SECONDS

    assert runner.CONNECT_TIMEOUT_SECONDS == CONNECT_TIMEOUT_SECONDS <= 10
