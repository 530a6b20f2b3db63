"""Count charts for the dashboard and the board pack: trajectory lines and labelled bars.

Built on the SVG helpers of :mod:`recruit.charts` (title and description, direct labels, a
hatched second series, ``*`` for a suppressed figure and never a misleading zero). Those charts
plot shares; these plot counts, so they need their own scales. Every page and the pack put a
data table beside each chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup

from recruit.charts import GRID, INK, POPULATION, WORKFORCE, hatch_pattern, svg_open, svg_text
from recruit.statistics.suppression import SUPPRESSED

Value = int | float | str | None


def _number(value: float) -> str:
    return f"{value:,.0f}"


def nice_ceiling(value: float) -> float:
    """A round number at or above ``value`` for the top of an axis (1, 2, 2.5 or 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def trajectory_chart(labels: Sequence[str], planned: Sequence[float],
                     actual: Sequence[int | None], *, target: int, title: str,
                     description: str, chart_id: str, width: int = 640,
                     height: int = 260) -> Markup:
    """Planned (dashed, square markers) against actual (solid, round markers) by quarter end.

    A legend names both lines; a dotted line marks the target and the actual line is labelled
    with its last value.
    """
    left, right, top, bottom = 56, 110, 34, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_ceiling(max([target, *planned, *[a for a in actual if a is not None]]))
    count = max(1, len(labels) - 1)

    def x(i: int) -> float:
        return left + plot_w * i / count

    def y(v: float) -> float:
        return top + plot_h * (1 - v / top_value)

    parts = [svg_open(chart_id, width, height, title, description),
             f'<line x1="0" x2="24" y1="12" y2="12" stroke="{WORKFORCE}" stroke-width="2.5"/>',
             f'<circle cx="12" cy="12" r="4" fill="{WORKFORCE}"/>',
             svg_text(30, 16, "Actual", size=12),
             f'<line x1="100" x2="124" y1="12" y2="12" stroke="{POPULATION}" stroke-width="2" '
             f'stroke-dasharray="6 4"/>',
             f'<rect x="109" y="9" width="6" height="6" fill="{POPULATION}"/>',
             svg_text(130, 16, "Planned", size=12),
             f'<line x1="210" x2="234" y1="12" y2="12" stroke="{INK}" stroke-dasharray="2 3"/>',
             svg_text(240, 16, "Target", size=12)]
    for step in range(5):
        value = top_value * step / 4
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" '
                     f'y2="{y(value):.1f}" stroke="{GRID}"/>')
        parts.append(svg_text(left - 6, y(value) + 4, _number(value), size=11, anchor="end"))
    every = max(1, math.ceil(len(labels) / 6))  # at most six or seven axis labels
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(svg_text(x(i), height - 16, label, size=11, anchor="middle"))
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(target):.1f}" '
                 f'y2="{y(target):.1f}" stroke="{INK}" stroke-dasharray="2 3"/>')
    parts.append(svg_text(left + plot_w + 6, y(target) + 4, f"Target {_number(target)}", size=12))
    if planned:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(planned))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{POPULATION}" '
                     f'stroke-width="2" stroke-dasharray="6 4"/>')
        parts += [f'<rect x="{x(i) - 3:.1f}" y="{y(v) - 3:.1f}" width="6" height="6" '
                  f'fill="{POPULATION}"/>' for i, v in enumerate(planned)]
    shown = [(i, v) for i, v in enumerate(actual) if v is not None]
    if len(shown) > 1:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in shown)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{WORKFORCE}" '
                     f'stroke-width="2.5"/>')
    parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{WORKFORCE}"/>'
              for i, v in shown]
    if shown:
        i, v = shown[-1]
        parts.append(svg_text(x(i) + 8, y(v) - 8, f"Actual {_number(v)}", size=12,
                              weight="600"))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (all text escaped by svg_text/escape)


LABEL_CHARS = 34  # longer labels are shortened in the chart; the table beside it has them whole


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[Value]]], *, title: str,
         description: str, chart_id: str, width: int = 640) -> Markup:
    """Horizontal bars of counts, labels on the left, one or two series (solid, then hatched).

    Every bar carries its value; a suppressed value is drawn as ``*`` with no bar (never as a
    zero), and the legend says what ``*`` means whenever one appears.
    """
    label_w, bar_h, gap = 230, 12 if len(series) > 1 else 16, 8
    row_h = len(series) * (bar_h + 2) + gap
    legend_h = 28
    height = legend_h + max(1, len(labels)) * row_h + 6
    plot_w = width - label_w - 60
    numbers = [v for _name, values in series for v in values if isinstance(v, int | float)]
    top_value = nice_ceiling(max(numbers or [1]))
    hatch = f"{chart_id}-hatch"
    parts = [svg_open(chart_id, width, height, title, description),
             f"<defs>{hatch_pattern(hatch)}</defs>"]
    legend_x = 0
    for number, (name, _values) in enumerate(series):
        fill = WORKFORCE if number == 0 else f"url(#{hatch})"
        stroke = "" if number == 0 else f' stroke="{POPULATION}"'
        parts.append(f'<rect x="{legend_x}" y="4" width="16" height="14" fill="{fill}"{stroke}/>')
        parts.append(svg_text(legend_x + 22, 16, name, size=12))
        legend_x += 40 + 7 * len(name)
    if any(v == SUPPRESSED for _name, values in series for v in values):
        parts.append(svg_text(max(legend_x, 300), 16, "* suppressed (1 to 7 people)", size=12))
    if not labels:
        parts.append(svg_text(0, legend_h + 16, "No figures to show."))
    for index, label in enumerate(labels):
        top = legend_h + index * row_h
        middle = top + len(series) * (bar_h + 2) / 2 + 4
        parts.append(svg_text(label_w - 8, middle, _short(label), size=12, anchor="end"))
        for number, (_name, values) in enumerate(series):
            value = values[index]
            y = top + number * (bar_h + 2)
            fill = WORKFORCE if number == 0 else f"url(#{hatch})"
            stroke = "" if number == 0 else f' stroke="{POPULATION}"'
            bar_w = plot_w * value / top_value if isinstance(value, int | float) else 0
            if bar_w:
                parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w:.1f}" '
                             f'height="{bar_h}" fill="{fill}"{stroke}/>')
            text = SUPPRESSED if value == SUPPRESSED else (
                "none" if value is None else _number(value))
            parts.append(svg_text(label_w + bar_w + 5, y + bar_h - 2, text, size=11))
    parts.append(f'<line x1="{label_w}" x2="{label_w}" y1="{legend_h - 4}" '
                 f'y2="{height - 6}" stroke="{INK}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (all text escaped by svg_text/escape)


def chart_id(*parts: object) -> str:
    """An SVG id from text: letters, digits and hyphens only."""
    text = "-".join(str(p) for p in parts).lower()
    return "".join(c if c.isalnum() else "-" for c in text).strip("-") or "chart"

