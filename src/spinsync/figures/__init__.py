"""Reproduction of the paper's figures (``spinsync reproduce``).

Each figure module documents the parameters it takes from the captions and the values
it chooses where the paper leaves them open; every figure writes ``NAME.png``,
``NAME.pdf`` and the data it was drawn from, ``NAME.nc``, into one folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .common import FigureOutput, Options, remove_work

__all__ = ["FIGURES", "reproduce", "Options", "FigureOutput"]

Maker = Callable[[Path, Options], FigureOutput]


def _registry() -> dict[str, Maker]:
    from .fig1 import make_fig1b, make_fig1c, make_figS1
    from .fig2 import make_fig2a, make_fig2b
    from .fig3 import make_fig3
    from .fig3_scaled import make_fig3_scaled
    from .spin1 import make_spin1

    return {"fig1b": make_fig1b, "fig1c": make_fig1c, "figS1": make_figS1,
            "fig2a": make_fig2a, "fig2b": make_fig2b, "fig3": make_fig3,
            "fig3_scaled": make_fig3_scaled, "spin1": make_spin1}


#: Figure names in the order ``all`` makes them (spin1: the supplement's S.M. IV, drawn
#: by the theory package; fig3_scaled: Fig. 3 with up to 50 environment qubits).
FIGURES: tuple[str, ...] = ("fig1b", "fig1c", "figS1", "fig2a", "fig2b", "fig3", "fig3_scaled",
                            "spin1")


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
    """Make the figures ``names`` (or ``["all"]``) in ``out_dir``."""
    import time

    options = options or Options()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    makers = _registry()
    results = []
    for name in resolve_names(names):
        start = time.perf_counter()
        result = makers[name](out, options)
        results.append(result)
        if on_done is not None:
            on_done(result, time.perf_counter() - start)
    remove_work(out)
    return results
