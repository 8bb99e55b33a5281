"""Certificates of contribution as PNG images, drawn with matplotlib off screen."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import date

_INK = "#1b3a4b"
_ACCENT = "#2e7d32"
_PAPER = "#fffdf5"
MAX_NAME_LENGTH = 40
_MAX_TITLES = 4


@dataclass(frozen=True, slots=True)
class CertificateText:
    """What a certificate says: to whom, for what, from whom and when."""

    name: str
    """The name to show, as the person typed it (never stored); empty for none."""
    titles: tuple[str, ...]
    given_by: str
    given_on: date


def certificate_png(text: CertificateText) -> bytes:
    """A landscape certificate with a double border, as PNG bytes.

    Uses matplotlib's object API with the Agg canvas (no window, no global state), so it is
    safe to call from a worker thread.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    figure = Figure(figsize=(8, 5.6), dpi=100, facecolor=_PAPER)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    for inset, width in ((0.02, 4), (0.04, 1)):
        axes.add_patch(
            Rectangle(
                (inset, inset),
                1 - 2 * inset,
                1 - 2 * inset,
                fill=False,
                edgecolor=_ACCENT,
                linewidth=width,
            )
        )

    def line(
        y: float,
        words: str,
        size: float,
        colour: str = _INK,
        bold: bool = False,
        italic: bool = False,
    ) -> None:
        axes.text(
            0.5,
            y,
            words,
            ha="center",
            va="center",
            fontsize=size,
            color=colour,
            fontweight="bold" if bold else "normal",
            fontstyle="italic" if italic else "normal",
        )

    line(0.86, "Certificate of contribution", 26, bold=True)
    line(0.76, "This is to thank", 13)
    line(0.67, text.name[:MAX_NAME_LENGTH] or "you", 22, _ACCENT, bold=True)
    line(0.58, "for having a say in", 13)
    shown = text.titles[:_MAX_TITLES]
    for number, title in enumerate(shown):
        line(0.50 - number * 0.06, textwrap.shorten(title, 60), 14, italic=True)
    if len(text.titles) > len(shown):
        line(0.50 - len(shown) * 0.06, f"and {len(text.titles) - len(shown)} more", 11)
    line(0.16, f"Given by {textwrap.shorten(text.given_by, 50)}", 12)
    line(0.10, text.given_on.strftime("%-d %B %Y"), 11)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor=_PAPER)
    return buffer.getvalue()
