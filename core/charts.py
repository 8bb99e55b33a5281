"""Bar charts of ballot results as PNG images, drawn with matplotlib off screen."""

from __future__ import annotations

import io
import textwrap

_WINNER = "#2e7d32"
_OTHER = "#90a4ae"


def bar_chart(title: str, labels: list[str], values: list[float], winners: set[int]) -> bytes:
    """A horizontal bar chart, winners in green, as PNG bytes.

    Uses matplotlib's object API with the Agg canvas (no window, no global state), so it is
    safe to call from a worker thread.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height = 1.2 + 0.5 * len(labels)
    figure = Figure(figsize=(7, height), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    colours = [_WINNER if index in winners else _OTHER for index in positions]
    bars = axes.barh(positions, values, color=colours)
    axes.set_yticks(positions, [textwrap.shorten(label, 30) for label in labels])
    axes.invert_yaxis()
    axes.bar_label(bars, labels=[number_text(value) for value in values], padding=3)
    axes.set_title(textwrap.shorten(title, 70))
    axes.set_xlim(0, max([*values, 1.0]) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def number_text(value: float) -> str:
    """A count as shown: whole numbers without decimals, others with two."""
    return str(round(value)) if abs(value - round(value)) < 1e-9 else f"{value:.2f}"
