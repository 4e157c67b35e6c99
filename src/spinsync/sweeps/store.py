"""Crash-safe checkpoints: finished chunks saved as they complete, beside the output.

Layout, for an output ``DIR/NAME.nc``::

    DIR/.sweep-NAME.nc/manifest.json      fingerprint of the sweep, creation date, chunking
    DIR/.sweep-NAME.nc/chunk-000012.npz   results of chunk 12 (points 12·c … 13·c − 1)

Every file is written atomically (:mod:`spinsync.io.atomic`): a killed run leaves whole
chunk files or none, never a torn one. A re-run of the same sweep (same fingerprint)
loads the saved chunks and computes only the missing ones; a different sweep writing
to the same output discards them. The manifest keeps the date of the first start, so a
resumed run writes the same metadata as an uninterrupted one.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..io.atomic import atomic_write_bytes

__all__ = ["CheckpointStore", "checkpoint_dir"]


def checkpoint_dir(out: str | Path) -> Path:
    """The checkpoint folder of output ``out`` (hidden, in the same folder)."""
    out = Path(out)
    return out.parent / f".sweep-{out.name}"


class CheckpointStore:
    """Saved chunk results of one sweep.

    Parameters
    ----------
    directory
        The checkpoint folder (created if missing).
    fingerprint
        Identity of the sweep (:meth:`SweepSpec.fingerprint`).
    info
        Extra manifest entries (name, number of chunks, chunk size).
    """

    def __init__(self, directory: str | Path, fingerprint: str, info: dict | None = None) -> None:
        self.directory = Path(directory)
        self.fingerprint = fingerprint
        self.discarded = 0
        manifest = self.directory / "manifest.json"
        previous = None
        if manifest.exists():
            try:
                previous = json.loads(manifest.read_text())
            except (OSError, ValueError):
                previous = None
        if previous is not None and previous.get("fingerprint") == fingerprint:
            self.created = str(previous["created"])
            return
        if self.directory.exists():
            stale = list(self.directory.glob("chunk-*.npz"))
            self.discarded = len(stale)
            for path in stale:
                path.unlink()
        self.created = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
        payload = {"fingerprint": fingerprint, "created": self.created, **(info or {})}
        atomic_write_bytes(manifest, (json.dumps(payload, indent=1) + "\n").encode())

    def _path(self, index: int) -> Path:
        return self.directory / f"chunk-{index:06d}.npz"

    def saved(self) -> list[int]:
        """Indices of the chunks with a saved file."""
        return sorted(int(p.stem.split("-")[1]) for p in self.directory.glob("chunk-*.npz"))

    def save(self, index: int, results: dict[str, NDArray]) -> None:
        """Write one chunk atomically."""
        buf = io.BytesIO()
        np.savez(buf, **results)
        atomic_write_bytes(self._path(index), buf.getvalue())

    def load(self, index: int) -> dict[str, NDArray] | None:
        """A saved chunk, or None (and the file removed) if it cannot be read."""
        path = self._path(index)
        try:
            with np.load(path, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except (OSError, ValueError, KeyError, EOFError) as exc:
            sys.stderr.write(f"spinsync: warning: unreadable checkpoint {path} ({exc}); recomputing it\n")
            path.unlink(missing_ok=True)
            return None

    def remove(self) -> None:
        """Delete the checkpoint folder (after the output file is safely written)."""
        shutil.rmtree(self.directory, ignore_errors=True)
