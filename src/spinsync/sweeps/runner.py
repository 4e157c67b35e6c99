"""Run a sweep: chunks on local processes or a Dask cluster, checkpointed, resumable.

The driver (this process) alone touches files: workers receive a :class:`ChunkTask`
and return arrays; each finished chunk is saved atomically at once, so killing the run
at any moment loses only the chunks in flight. Re-running the same sweep with the same
output computes only the missing chunks. Chunk boundaries depend on the sweep alone
(not on workers or scheduler), so every execution mode produces the same file.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError, SpinsyncError
from ..io.atomic import check_output_file
from ..resources import usable_cpus
from .batch import RESULT_KEYS
from .dataset import CHECK_TOLERANCE, build_dataset, write_netcdf
from .spec import BATCH_SECONDS_PER_D3, SweepSpec
from .solve import ChunkTask, solve_chunk
from .store import CheckpointStore, checkpoint_dir

__all__ = ["run_sweep", "SweepReport", "default_workers", "scheduler_address",
           "SchedulerError", "CONNECT_TIMEOUT_SECONDS"]

#: Below this much estimated work the pool's start-up (~1 s per spawned process) costs
#: more than it saves, so the chunks run in this process.
SERIAL_BELOW_SECONDS = 3.0

#: Extensions of the sweep output: it is NetCDF, whatever the name says.
NETCDF_SUFFIXES = (".nc",)

#: Chunks kept in flight per local worker (keeps memory bounded on huge sweeps).
IN_FLIGHT_PER_WORKER = 2

#: How long to wait for a dask scheduler to answer before giving up (seconds).
CONNECT_TIMEOUT_SECONDS = 10.0

#: Seconds a terminated local worker gets to exit before it is killed.
WORKER_STOP_SECONDS = 5.0

_PROTOCOLS = ("tcp", "tls", "ws", "wss", "ucx")
#: HOST:PORT with HOST a name or IPv4 address, or a bracketed IPv6 address.
_HOST_PORT = re.compile(
    r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(?P<port>\d{1,5})$")

ProgressHook = Callable[[int], None]


class SchedulerError(SpinsyncError, ConnectionError):
    """The dask scheduler could not be reached, or lost the sweep's tasks."""


def scheduler_address(address: str) -> str:
    """Validate a dask scheduler address; return it with ``tcp://`` added if it had no protocol.

    Accepted: ``PROTOCOL://HOST:PORT`` with PROTOCOL one of tcp, tls, ws, wss, ucx, a bare
    ``HOST:PORT`` (tcp), or an ``inproc://`` address of an in-process cluster. HOST is a
    name, an IPv4 address or a bracketed IPv6 address; PORT is 1–65535.

    Raises
    ------
    ModelError
        For anything else (checked at once, before any connection attempt).
    """
    text = str(address).strip()
    expected = "expected PROTOCOL://HOST:PORT (protocol tcp, tls, ws, wss or ucx) or HOST:PORT"
    protocol, sep, rest = text.partition("://")
    if not sep:
        protocol, rest = "tcp", text
    protocol = protocol.lower()
    if protocol == "inproc" and rest:
        return f"inproc://{rest}"
    if protocol not in _PROTOCOLS:
        raise ModelError(f"scheduler address {address!r}: unknown protocol {protocol!r}; {expected}")
    match = _HOST_PORT.match(rest)
    if match is None or not 1 <= int(match["port"]) <= 65535:
        raise ModelError(f"scheduler address {address!r}: {expected}")
    return f"{protocol}://{rest}"


@dataclass
class SweepReport:
    """What a sweep run did."""

    out: str
    points: int
    chunks: int
    chunks_resumed: int
    chunks_computed: int
    seconds: float
    mode: str
    workers: int
    failed_checks: int = 0
    compute_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def default_workers() -> int:
    """One worker per CPU this process may use (:func:`spinsync.resources.usable_cpus`)."""
    return usable_cpus()


def _tasks(spec: SweepSpec, missing: list[int], chunk: int, solver: str, xxz: bool) -> Iterator[ChunkTask]:
    for i in missing:
        start, stop = i * chunk, min((i + 1) * chunk, spec.size)
        yield ChunkTask(i, start, stop, spec.points(start, stop), solver, xxz)


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | ProgressHook = True,
    keep_checkpoint: bool = False,
    overwrite: bool = True,
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
) -> SweepReport:
    """Compute ``spec`` and write the NetCDF file ``out`` (resuming saved chunks).

    Parameters
    ----------
    spec
        The sweep.
    out
        Output NetCDF path; checkpoints live in ``.sweep-<name>`` beside it.
    workers
        Local processes (default: the usable CPUs). 1 runs in this process.
    scheduler
        Address of a running ``dask.distributed`` scheduler (``tcp://host:8786``); its
        workers need spinsync importable. Overrides ``workers``. Validated at once
        (:func:`scheduler_address`); a worker lost mid-sweep has its chunks recomputed
        by the others.
    progress
        True for a rich progress bar with ETA on stderr, False for none, or a callable
        receiving the number of points finished by each chunk.
    keep_checkpoint
        Keep the checkpoint folder after the output is written.
    overwrite
        Whether an existing ``out`` may be replaced (else :class:`OutputPathError`).
    connect_timeout
        Seconds to wait for the scheduler to answer (:data:`CONNECT_TIMEOUT_SECONDS`).

    Returns
    -------
    SweepReport

    Raises
    ------
    OutputPathError
        Before any work, if ``out`` cannot be written (a folder, a path under a file, an
        unwritable place, an extension other than ``.nc``, or an existing file without
        ``overwrite``).
    ModelError
        Before any work, for a malformed scheduler address or connect timeout.
    SchedulerError
        If the scheduler does not answer within ``connect_timeout``, or loses tasks.
    KeyboardInterrupt
        Passed on after the local workers are stopped (terminated, then killed after
        :data:`WORKER_STOP_SECONDS`) and the finished chunks saved.

    A run that fails or is interrupted before saving any chunk leaves no checkpoint
    folder behind; one that saved chunks keeps them for the next run to resume.
    """
    t0 = time.perf_counter()
    out = check_output_file(out, suffixes=NETCDF_SUFFIXES, overwrite=overwrite, label="sweep output")
    if scheduler is not None:
        scheduler = scheduler_address(scheduler)
        if not (math.isfinite(connect_timeout) and connect_timeout > 0):
            raise ModelError(f"connect timeout = {connect_timeout!r}: must be finite and > 0 seconds")
    solver = spec.resolved_solver()
    xxz = spec.xxz
    chunk = spec.resolved_chunk_size()
    nchunks = -(-spec.size // chunk)
    fresh = not checkpoint_dir(out).exists()
    store = CheckpointStore(
        checkpoint_dir(out), spec.fingerprint(),
        {"name": spec.name, "points": spec.size, "chunk_size": chunk, "chunks": nchunks, "output": out.name},
    )
    try:
        results: dict[int, dict[str, NDArray]] = {}
        for i in store.saved():
            if i < nchunks and (loaded := store.load(i)) is not None:
                results[i] = loaded
        resumed = len(results)
        missing = [i for i in range(nchunks) if i not in results]
        report = SweepReport(str(out), spec.size, nchunks, resumed, len(missing), 0.0, "serial", 1)
        if store.discarded:
            report.notes.append(f"discarded {store.discarded} checkpoint chunks of a different sweep")

        done_points = sum(int(r["fidelity"].size) for r in results.values())
        with _progress(progress, spec, done_points) as advance:
            def finished(index: int, res: dict[str, NDArray], seconds: float) -> None:
                store.save(index, res)
                results[index] = res
                report.compute_seconds += seconds
                advance(int(res["fidelity"].size))

            tasks = _tasks(spec, missing, chunk, solver, xxz)
            if missing and scheduler:
                report.mode = "dask"
                report.workers = _run_dask(scheduler, tasks, finished, spec.fingerprint()[:10],
                                           connect_timeout)
            elif missing:
                nworkers = min(workers or default_workers(), len(missing))
                dim = spec.sector_dim
                estimate = BATCH_SECONDS_PER_D3 * dim**3 * sum(
                    min((i + 1) * chunk, spec.size) - i * chunk for i in missing)
                if nworkers <= 1 or (workers is None and estimate < SERIAL_BELOW_SECONDS):
                    for task in tasks:
                        finished(*solve_chunk(task))
                else:
                    report.mode, report.workers = "processes", nworkers
                    _run_local(nworkers, tasks, finished)

        merged = {k: np.concatenate([results[i][k] for i in range(nchunks)]) for k in RESULT_KEYS}
        report.failed_checks = int(np.sum(merged["min_eigenvalue"] < -CHECK_TOLERANCE))
        if report.failed_checks:
            report.notes.append(
                f"{report.failed_checks} points have a steady state with an eigenvalue below "
                f"-{CHECK_TOLERANCE:g} (see min_eigenvalue)")
        dataset = build_dataset(spec, merged, created=store.created)
        write_netcdf(dataset, out)
        if not keep_checkpoint:
            store.remove()
        report.seconds = time.perf_counter() - t0
        return report
    except BaseException:
        if fresh and not store.saved():
            store.remove()  # nothing to resume from: leave nothing behind
        raise


def _worker_init(parent: int) -> None:
    """In each local worker: leave interrupts to the parent, and die with it.

    Ctrl-C in a terminal reaches the whole process group; the workers ignore it so the
    parent alone decides (it saves what finished and stops them). On Linux a worker is
    also sent SIGTERM if the parent dies, even by SIGKILL, so no worker outlives it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the worker processes now (not after their chunk)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + WORKER_STOP_SECONDS
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join(1.0)


def _run_local(nworkers: int, tasks: Iterator[ChunkTask],
               finished: Callable[[int, dict, float], None]) -> None:
    # "spawn": a clean interpreter per worker (no inherited threads or BLAS state).
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=nworkers, mp_context=ctx,
                               initializer=_worker_init, initargs=(os.getpid(),))
    pending: set[Future] = set()
    try:
        for task in tasks:
            pending.add(pool.submit(solve_chunk, task))
            if len(pending) >= IN_FLIGHT_PER_WORKER * nworkers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    finished(*fut.result())
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                finished(*fut.result())
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


def _run_dask(address: str, tasks: Iterator[ChunkTask],
              finished: Callable[[int, dict, float], None], tag: str, connect_timeout: float) -> int:
    from distributed import Client, as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    try:
        client = Client(address, timeout=f"{connect_timeout}s", set_as_default=False)
    except Exception as exc:  # refused, timed out, or not a dask scheduler at all
        detail = "" if isinstance(exc, OSError) else f" ({type(exc).__name__})"
        raise SchedulerError(
            f"no dask scheduler answered at {address} within {connect_timeout:g} s{detail}; "
            "is it running and reachable?") from None
    with client:
        try:
            nworkers = len(client.scheduler_info().get("workers", {}))
        except Exception:  # informational only
            nworkers = 0
        futures = [client.submit(solve_chunk, task, pure=False, key=f"spinsync-{tag}-{task.index}")
                   for task in tasks]
        try:
            for fut in as_completed(futures, loop=client.loop):
                finished(*fut.result())
        except (KilledWorker, FutureCancelledError) as exc:
            client.cancel(futures)
            raise SchedulerError(f"dask scheduler at {address} lost the sweep's tasks: {exc}") from None
        except BaseException:
            client.cancel(futures)
            raise
    return nworkers


class _progress:
    """Context manager yielding ``advance(points)``: a rich bar on stderr, a hook, or nothing."""

    def __init__(self, progress: bool | ProgressHook, spec: SweepSpec, done: int) -> None:
        self.progress, self.spec, self.done = progress, spec, done
        self._bar = None

    def __enter__(self) -> ProgressHook:
        if callable(self.progress) and not isinstance(self.progress, bool):
            return self.progress
        if not self.progress:
            return lambda points: None
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("points"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(stderr=True), transient=False,
        )
        self._bar.__enter__()
        task = self._bar.add_task(f"sweep {self.spec.name}", total=self.spec.size, completed=self.done)
        return lambda points: self._bar.advance(task, points)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
