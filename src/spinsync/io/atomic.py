"""Atomic file writes, and output paths checked before any work is done.

* :func:`atomic_write`, :func:`atomic_write_bytes`, :func:`atomic_path`: a reader sees
  the old file or the complete new one, never a torn one.
* :func:`check_output_file`, :func:`check_output_dir`: refuse, with one sentence, an
  output that could not be written (a folder where a file is expected, a path under a
  regular file, a place this process cannot write, an unknown extension, an existing
  file that must not be replaced), so that a command fails at once, not after its work.
  They create nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import ModelError

__all__ = [
    "atomic_write", "atomic_write_bytes", "atomic_path",
    "OutputPathError", "check_output_file", "check_output_dir",
]


class OutputPathError(ModelError):
    """An output path that cannot be written (invalid input: the CLI exits with 2)."""


def _existing_ancestor(path: Path, label: str) -> Path:
    """The nearest existing ancestor of ``path``; it must be a folder."""
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputPathError(f"{label} {path}: {parent} is a file, not a folder")
    return parent


def _check_writable(folder: Path, path: Path, label: str) -> None:
    """Create and delete a probe file in ``folder`` (works for root and read-only mounts)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".spinsync-probe-", dir=folder)
    except OSError as exc:
        reasons = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
                   errno.EROFS: "read-only file system", errno.ENOENT: "files cannot be created there"}
        reason = reasons.get(exc.errno, (exc.strerror or str(exc)).lower())
        raise OutputPathError(f"{label} {path}: cannot write in {folder} ({reason})") from None
    os.close(fd)
    os.unlink(probe)


def check_output_file(
    path: str | os.PathLike[str],
    *,
    suffixes: Iterable[str] | None = None,
    overwrite: bool = True,
    label: str = "output",
    exists_hint: str = "",
) -> Path:
    """Check that ``path`` can be written as a file; raise :class:`OutputPathError` if not.

    Parameters
    ----------
    path
        The output file; missing parent folders are allowed (writers create them).
    suffixes
        Allowed extensions, lower case with the dot (``(".nc",)``); None allows any.
    overwrite
        Whether an existing file may be replaced.
    label
        How the message names the output (``"--out"``).
    exists_hint
        Appended to the message for an existing file (``"pass --force to replace it"``).
    """
    path = Path(path)
    if path.is_dir():
        raise OutputPathError(f"{label} {path}: is a folder; expected a file name")
    if suffixes is not None:
        allowed = tuple(s.lower() for s in suffixes)
        if path.suffix.lower() not in allowed:
            found = f"unknown extension {path.suffix!r}" if path.suffix else "no extension"
            raise OutputPathError(f"{label} {path}: {found}; expected {' | '.join(allowed)}")
    folder = _existing_ancestor(path, label)
    if path.exists() and not overwrite:
        hint = f"; {exists_hint}" if exists_hint else ""
        raise OutputPathError(f"{label} {path}: already exists{hint}")
    _check_writable(folder, path, label)
    return path


def check_output_dir(path: str | os.PathLike[str], *, label: str = "output folder") -> Path:
    """Check that ``path`` is, or can be created as, a writable folder (creates nothing)."""
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise OutputPathError(f"{label} {path}: is a file; expected a folder")
        _check_writable(path, path, label)
        return path
    _check_writable(_existing_ancestor(path, label), path, label)
    return path


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    The temporary file lives in the same directory so ``os.replace`` is atomic; it is
    fsync'ed first so a crash cannot leave a truncated file under the final name.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp creates mode 0600; give the final file the usual umask-based mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def atomic_write(target: str | os.PathLike[str], writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp_path)`` then move the result onto ``target`` atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)
