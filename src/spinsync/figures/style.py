"""Common look of the reproduced figures and their atomic PNG + PDF output.

No backend is chosen and pyplot is never imported: figures are plain
:class:`matplotlib.figure.Figure` objects, which draw and save through the canvas that
matches the file format (Agg for PNG, the PDF backend for PDF). Importing spinsync or
making a figure therefore leaves the caller's matplotlib backend and pyplot state alone.

Sizes follow a two-column paper: 3.4 in per column, 8–9 pt serif text, thin axes, inward
ticks, perceptually uniform colour maps (``viridis`` for magnitudes). Panel letters sit
outside the axes (a left-aligned title), so they never cover data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..io.atomic import atomic_write

__all__ = ["paper_style", "new_figure", "save_figure", "panel_label", "legend_handle",
           "COLUMN", "STATE_COLORS", "TIME_LABEL"]

#: Width of one column of a two-column paper, inches.
COLUMN = 3.4

#: Colours of the initial states in Fig. 1 and S1 (the paper: GHZ red, random blue).
STATE_COLORS = {"ghz": "#c0392b", "random": "#1f5fbf"}

#: Time axis of Fig. 1 and S1. Every rate and coupling in the Fig. 1 caption is a
#: multiple of the paper's qubit-1 gain Γᵍ₁ = 1 (ħ = 1), so that is the rate unit and
#: time is measured in 1/Γᵍ₁.
TIME_LABEL = r"$t$ (units of $1/\Gamma^g_1$; $\Gamma^g_1 = 1$)"

_RC = {
    "font.size": 9,
    "axes.labelsize": 9,
    "axes.titlesize": 9,
    "legend.fontsize": 7.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.linewidth": 0.7,
    "lines.linewidth": 1.3,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "legend.frameon": False,
    "mathtext.fontset": "cm",
    "font.family": "serif",
    "savefig.dpi": 200,
    "figure.dpi": 100,
    "image.cmap": "viridis",
}


def paper_style():
    """Context manager applying the figure style (create *and* save figures inside it)."""
    return matplotlib.rc_context(_RC)


def new_figure(width: float, height: float, **kwargs: Any) -> Figure:
    """A pyplot-free figure with constrained layout, ``width`` × ``height`` inches."""
    kwargs.setdefault("layout", "constrained")
    return Figure(figsize=(width, height), **kwargs)


def panel_label(ax, text: str) -> None:
    """A bold panel letter such as ``(a)`` above the axes' upper-left corner.

    It is the axes' left-aligned title, so it lies outside the data area and does not
    collide with a centred title of moderate length.
    """
    ax.set_title(text, loc="left", fontweight="bold", fontsize=9)


def legend_handle(**kwargs: Any) -> Line2D:
    """A line for a legend that is not drawn in any axes (``color``, ``ls``, ``label``, …)."""
    return Line2D([], [], **kwargs)


def save_figure(fig: Figure, out_dir: str | Path, name: str) -> list[Path]:
    """Write ``name.png`` and ``name.pdf`` into ``out_dir`` atomically."""
    out_dir = Path(out_dir)
    paths = []
    for ext in ("png", "pdf"):
        path = out_dir / f"{name}.{ext}"
        atomic_write(path, lambda tmp, ext=ext: fig.savefig(tmp, format=ext, bbox_inches="tight"))
        paths.append(path)
    return paths
