"""Accessible charts as server-rendered SVG, shared by the pages and the PDF board pack.

Hand-written rather than matplotlib: a bar or line chart is a few dozen SVG elements, and
writing them directly gives every chart what accessibility needs and a plotting library does not
give by default: a ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``, direct labels on
every bar and line (never colour alone), a hatched pattern for the second series, and a visible
``*`` for suppressed figures instead of a misleading zero (STACK.md). Pages always put a data
table beside the chart. No inline styles (the CSP forbids them): presentation attributes only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from recruit.statistics.suppression import SUPPRESSED

INK = "#212b32"
WORKFORCE = "#005eb8"  # NHS blue
POPULATION = "#330072"  # NHS purple, drawn as hatching
GRID = "#d8dde0"
FONT = 'font-family="Frutiger W01, Arial, sans-serif"'


def percent(value: float | str | None, places: int = 1) -> str:
    """A share as text: ``"12.3%"``, ``"*"`` for a suppressed one, ``"no data"`` for none."""
    if value == SUPPRESSED:
        return SUPPRESSED
    if value is None:
        return "no data"
    return f"{value * 100:.{places}f}%"


def svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="recruit-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" {FONT}>'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
    )


def hatch_pattern(pattern_id: str, colour: str = POPULATION) -> str:
    return (
        f'<pattern id="{escape(pattern_id)}" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="3"/></pattern>'
    )


def svg_text(x: float, y: float, text: str, *, size: int = 13, anchor: str = "start",
          weight: str | None = None, fill: str = INK) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{bold}>{escape(text)}</text>')


def _nice_max(values: Sequence[float]) -> float:
    """The next tenth (or, below 10%, the next hundredth) above the largest share."""
    top = max([v for v in values if v] or [0.1])
    step = 0.1 if top > 0.1 else 0.02
    return min(1.0, math.ceil(top / step - 1e-9) * step)


@dataclass(frozen=True)
class BarPair:
    """One group's workforce share against its population share."""

    label: str
    workforce: float | str | None
    population: float | str | None
    note: str = ""  # shown after the label, e.g. "not reflective"


def share_bars(pairs: Sequence[BarPair], *, title: str, description: str,
               chart_id: str = "shares", width: int = 640) -> Markup:
    """Horizontal bars: workforce share (solid) and population share (hatched) per group.

    Every bar carries its value as text; a suppressed share is drawn as ``*`` with no bar.
    """
    label_h, bar_h, gap = 18, 14, 14
    item_h = label_h + 2 * bar_h + 4 + gap
    legend_h = 34
    height = legend_h + max(1, len(pairs)) * item_h + 10
    plot_w = width - 190
    numbers = [v for p in pairs for v in (p.workforce, p.population) if isinstance(v, float)]
    scale_max = _nice_max(numbers)
    hatch = f"{chart_id}-hatch"
    parts = [svg_open(chart_id, width, height, title, description),
             f"<defs>{hatch_pattern(hatch)}</defs>"]
    parts += [
        f'<rect x="0" y="6" width="16" height="14" fill="{WORKFORCE}"/>',
        svg_text(22, 18, "Workforce share"),
        f'<rect x="150" y="6" width="16" height="14" fill="url(#{hatch})" stroke="{POPULATION}"/>',
        svg_text(172, 18, "Population share (Census 2021)"),
        svg_text(420, 18, "* suppressed (1 to 7 people)", size=12),
    ]
    if not pairs:
        parts.append(svg_text(0, legend_h + 20, "No figures to show."))
    for index, pair in enumerate(pairs):
        top = legend_h + index * item_h
        label = f"{pair.label} ({pair.note})" if pair.note else pair.label
        parts.append(svg_text(0, top + 13, label, weight="600" if pair.note else None))
        for row, (name, value) in enumerate((("Workforce", pair.workforce),
                                             ("Population", pair.population))):
            y = top + label_h + row * (bar_h + 4)
            fill = WORKFORCE if row == 0 else f"url(#{hatch})"
            stroke = "" if row == 0 else f' stroke="{POPULATION}"'
            bar_w = plot_w * (value / scale_max) if isinstance(value, float) else 0
            if bar_w:
                parts.append(f'<rect x="0" y="{y}" width="{bar_w:.1f}" height="{bar_h}" '
                             f'fill="{fill}"{stroke}/>')
            parts.append(svg_text(bar_w + 6, y + bar_h - 2, f"{name} {percent(value)}", size=12))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (all text escaped by svg_text/escape)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | str | None]
    dashed: bool = False


def line_chart(x_labels: Sequence[str], series: Sequence[Series], *, title: str,
               description: str, chart_id: str = "trend", width: int = 640,
               height: int = 260) -> Markup:
    """Shares over time: one line per series, labelled at its last point, dashed or solid.

    Missing or suppressed points break the line; a suppressed point is marked ``*``.
    """
    left, right, top, bottom = 48, 170, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [v for s in series for v in s.values if isinstance(v, float)]
    scale_max = _nice_max(numbers)
    count = max(1, len(x_labels) - 1)

    def x(i: int) -> float:
        return left + plot_w * i / count

    def y(v: float) -> float:
        return top + plot_h * (1 - v / scale_max)

    parts = [svg_open(chart_id, width, height, title, description)]
    for step in range(5):
        value = scale_max * step / 4
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" '
                     f'y2="{y(value):.1f}" stroke="{GRID}"/>')
        parts.append(svg_text(left - 6, y(value) + 4, percent(value, 0), size=11, anchor="end"))
    for i, label in enumerate(x_labels):
        parts.append(svg_text(x(i), height - 14, label, size=11, anchor="middle"))
    for number, s in enumerate(series):
        colour = WORKFORCE if number % 2 == 0 else POPULATION
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        run: list[str] = []
        for i, value in enumerate(s.values):
            if isinstance(value, float):
                run.append(f"{x(i):.1f},{y(value):.1f}")
                marker = (f'<rect x="{x(i) - 4:.1f}" y="{y(value) - 4:.1f}" width="8" height="8" '
                          f'fill="{colour}"/>' if s.dashed else
                          f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="4" fill="{colour}"/>')
                parts.append(marker)
            else:
                if value == SUPPRESSED:
                    parts.append(svg_text(x(i), top + plot_h - 4, SUPPRESSED, anchor="middle"))
                run = _flush(parts, run, colour, dash)
        _flush(parts, run, colour, dash)
        last = next(((i, v) for i, v in reversed(list(enumerate(s.values)))
                     if isinstance(v, float)), None)
        if last:
            parts.append(svg_text(x(last[0]) + 8, y(last[1]) + 4 + 14 * (number % 2),
                               f"{s.label} {percent(last[1])}", size=12))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (all text escaped by svg_text/escape)


def _flush(parts: list[str], run: list[str], colour: str, dash: str) -> list[str]:
    if len(run) > 1:
        parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                     f'stroke-width="2.5"{dash}/>')
    return []
