"""``spinsync sweep SWEEP.toml --out FILE.nc``: a parameter sweep to NetCDF, resumable."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ._app import app, as_interrupt, fail, handle_errors, interrupted, print_json

#: ``spinsync.sweeps.runner.CONNECT_TIMEOUT_SECONDS``, repeated for --help (tests keep them equal).
CONNECT_TIMEOUT_SECONDS = 10.0


@app.command()
@handle_errors
def sweep(
    sweep_file: Path = typer.Argument(..., metavar="SWEEP.toml", help="Sweep file (see examples/sweeps/)."),
    out: Path = typer.Option(..., "--out", "-o", metavar="FILE.nc", help="Output NetCDF file (.nc)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing output file."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Local worker processes (default: usable CPUs)."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", metavar="ADDRESS",
        help="A running dask.distributed scheduler: tcp://HOST:PORT (or tls://, ws://, wss://, ucx://)."),
    connect_timeout: float = typer.Option(CONNECT_TIMEOUT_SECONDS, "--connect-timeout", metavar="SECONDS",
                                          help="How long to wait for the scheduler to answer."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
    json_out: bool = typer.Option(False, "--json", help="Print a one-object JSON summary on stdout."),
) -> None:
    """Run SWEEP over its grid and write FILE.nc.

    Finished chunks are saved in .sweep-FILE.nc/ beside the output as they complete;
    re-running the same command after a crash, Ctrl-C or kill computes only the missing
    points. An existing FILE.nc is replaced only with --force. Ctrl-C and SIGTERM stop
    the workers and exit with 130 and 143.
    """
    from ..io.atomic import check_output_file

    check_output_file(out, suffixes=(".nc",), overwrite=force, label="--out",
                      exists_hint="pass --force to replace it")
    from ..sweeps import checkpoint_dir, load_sweep, run_sweep
    from ..sweeps.runner import scheduler_address

    if scheduler is not None:
        scheduler = scheduler_address(scheduler)
    spec = load_sweep(sweep_file)
    if progress:
        # The grid and its expected cost before anything runs (stderr keeps --json clean).
        estimate = spec.estimated_seconds()
        cost = (f", about {estimate:.3g} s of single-core work" if estimate is not None
                else f", solved point by point ({spec.resolved_solver()})")
        shape = " × ".join(str(a.values.size) for a in spec.axes)
        sys.stderr.write(f"spinsync: sweep {spec.name}: {spec.size:,} points ({shape}){cost}\n")
    try:
        # SIGTERM arrives as KeyboardInterrupt too (see spinsync.cli.main).
        report = run_sweep(spec, out, workers=workers, scheduler=scheduler, progress=progress,
                           overwrite=force, connect_timeout=connect_timeout)
    except BaseException as exc:
        stop = as_interrupt(exc)
        if stop is None:
            if isinstance(exc, OSError):
                fail(f"{exc}", 1)
            raise
        what, code = interrupted(stop)
        if checkpoint_dir(out).exists():
            fail(f"{what}; finished chunks are saved in {checkpoint_dir(out)}/, "
                 "re-run the same command to resume", code)
        fail(f"{what} before any chunk finished; nothing was saved", code)
        return
    for note in report.notes:
        sys.stderr.write(f"spinsync: note: {note}\n")
    if json_out:
        print_json(report.as_dict())
    else:
        sys.stderr.write(
            f"wrote {out} ({report.points} points, {report.chunks_computed} of {report.chunks} chunks "
            f"computed, {report.chunks_resumed} resumed, {report.seconds:.1f} s, {report.mode})\n")
