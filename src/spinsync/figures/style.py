"""Common look of the reproduced figures and their atomic PNG + PDF output.

Matplotlib runs on the Agg backend (no display needed). Sizes follow a two-column
paper: 3.4 in per column, 8–9 pt text, thin axes, inward ticks, perceptually uniform
colour maps (``viridis`` for magnitudes).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from ..io.atomic import atomic_write  # noqa: E402

__all__ = ["plt", "paper_style", "save_figure", "COLUMN", "STATE_COLORS", "panel_label"]

#: Width of one column of a two-column paper, inches.
COLUMN = 3.4

#: Colours of the initial states in Fig. 1 and S1 (the paper: GHZ red, random blue).
STATE_COLORS = {"ghz": "#c0392b", "random": "#1f5fbf"}

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
    """Context manager applying the figure style."""
    return plt.rc_context(_RC)


def panel_label(ax, text: str) -> None:
    """A bold panel letter such as ``(a)`` in the upper-left corner."""
    ax.text(0.03, 0.97, text, transform=ax.transAxes, va="top", ha="left", fontweight="bold",
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.7))


def save_figure(fig, out_dir: str | Path, name: str) -> list[Path]:
    """Write ``name.png`` and ``name.pdf`` into ``out_dir`` atomically; close ``fig``."""
    out_dir = Path(out_dir)
    paths = []
    for ext in ("png", "pdf"):
        path = out_dir / f"{name}.{ext}"
        atomic_write(path, lambda tmp, ext=ext: fig.savefig(tmp, format=ext, bbox_inches="tight"))
        paths.append(path)
    plt.close(fig)
    return paths
