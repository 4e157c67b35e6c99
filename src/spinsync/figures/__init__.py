"""Reproduction of the paper's figures (``spinsync reproduce``).

Each figure module documents the parameters it takes from the captions and the values
it chooses where the paper leaves them open; every figure writes ``NAME.png``,
``NAME.pdf`` and the data it was drawn from, ``NAME.nc``, into one folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .common import FigureOutput, Options, remove_work

__all__ = ["FIGURES", "reproduce", "resolve_names", "Options", "FigureOutput"]

Maker = Callable[[Path, Options], FigureOutput]


def _registry() -> dict[str, Maker]:
    from .fig1 import make_fig1b, make_fig1c, make_figS1
    from .fig2 import make_fig2a, make_fig2b
    from .fig3 import make_fig3
    from .fig3_scaled import make_fig3_scaled
    from .spin1 import make_spin1
    from .sync_spin1 import make_arnold_spin1, make_blockade_spin1, make_pair_spin1

    return {"fig1b": make_fig1b, "fig1c": make_fig1c, "figS1": make_figS1,
            "fig2a": make_fig2a, "fig2b": make_fig2b, "fig3": make_fig3,
            "fig3_scaled": make_fig3_scaled, "spin1": make_spin1,
            "arnold_spin1": make_arnold_spin1, "blockade_spin1": make_blockade_spin1,
            "pair_spin1": make_pair_spin1}


#: Figure names in the order ``all`` makes them (spin1: the supplement's S.M. IV, drawn
#: by the theory package; fig3_scaled: Fig. 3 with up to 50 environment qubits;
#: arnold_spin1, blockade_spin1, pair_spin1: synchronization maps of spin-1 oscillators,
#: docs/synchronization.md).
FIGURES: tuple[str, ...] = ("fig1b", "fig1c", "figS1", "fig2a", "fig2b", "fig3", "fig3_scaled",
                            "spin1", "arnold_spin1", "blockade_spin1", "pair_spin1")


def resolve_names(names: list[str]) -> list[str]:
    """``all`` or figure names (case-insensitive) → ordered unique figure names."""
    from ..errors import ModelError

    lookup = {n.lower(): n for n in FIGURES}
    chosen: list[str] = []
    for raw in names or ["all"]:
        key = raw.lower()
        if key == "all":
            chosen.extend(FIGURES)
        elif key in lookup:
            chosen.append(lookup[key])
        else:
            raise ModelError(f"figure {raw!r}: expected all or one of {', '.join(FIGURES)}")
    return [n for n in FIGURES if n in set(chosen)]


def reproduce(names: list[str], out_dir: str | Path, options: Options | None = None,
              on_done: Callable[[FigureOutput, float], None] | None = None) -> list[FigureOutput]:
    """Make the figures ``names`` (or ``["all"]``) in ``out_dir``.

    The names and the folder are checked before anything is made or created
    (:class:`~spinsync.errors.ModelError`, :class:`~spinsync.io.atomic.OutputPathError`);
    a run that fails leaves no empty folder behind, and keeps its ``.work`` sweep
    checkpoints for the next run to resume.
    """
    import time

    from ..io.atomic import check_output_dir

    options = options or Options()
    chosen = resolve_names(names)
    out = check_output_dir(out_dir, label="output folder")
    created = [out, *out.parents]
    created = created[: next(i for i, p in enumerate(created) if p.exists() or p == p.parent)]
    out.mkdir(parents=True, exist_ok=True)
    try:
        makers = _registry()
        results = []
        for name in chosen:
            start = time.perf_counter()
            result = makers[name](out, options)
            results.append(result)
            if on_done is not None:
                on_done(result, time.perf_counter() - start)
    except BaseException:
        for folder in created:  # the folders this run made, innermost first, if still empty
            if any(folder.iterdir()):
                break
            folder.rmdir()
        raise
    remove_work(out)
    return results
