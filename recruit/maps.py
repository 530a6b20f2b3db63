"""Ward maps as server-rendered SVG, from the ONS generalised ward boundaries (GeoJSON).

The boundary file is read from the reference-data folder (``RECRUIT_DATA_DIR``), never copied
into the repository. Longitude and latitude are projected equirectangularly with the longitude
scaled by the cosine of the middle latitude: at the size of four towns that is indistinguishable
from the British National Grid, and needs no projection library. Each ward is shaded by its gap
in percentage points (an orange-to-purple scale that colour-blind readers can tell apart), with
text in every ward's ``<title>``, a hatched overlay for flagged wards and a heavy outline for
deprived ones, so that nothing relies on colour alone; pages put the same figures in a table.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from recruit.charts import INK, hatch_pattern, svg_open, svg_text
from recruit.statistics.suppression import SUPPRESSED

WARD_BOUNDARIES = "trafford_spatial_data/ward_2022_gm_ward_generalised.geojson"

# (fill, legend text), from most under- to most over-represented; see gap_band for the limits.
GAP_BANDS = (
    ("#b35806", "20 or more points below"),
    ("#f1a340", "10 to 20 points below"),
    ("#fee0b6", "5 to 10 points below"),
    ("#f7f7f7", "Within 5 points"),
    ("#d8daeb", "5 to 10 points above"),
    ("#998ec3", "10 or more points above"),
)
NO_DATA = "#aeb7bd"


@dataclass(frozen=True)
class WardShape:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) rings
    centre: tuple[float, float]  # (lon, lat)


@lru_cache(maxsize=4)
def load_wards(path: str) -> dict[str, WardShape]:
    """Every ward in a boundary file, by code (cached: the file does not change while running)."""
    with Path(path).open(encoding="utf-8") as handle:
        collection = json.load(handle)
    shapes = {}
    for feature in collection["features"]:
        properties, geometry = feature["properties"], feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        rings = tuple(tuple((float(lon), float(lat)) for lon, lat, *_ in ring)
                      for polygon in polygons for ring in polygon)
        code = properties.get("area_code") or properties.get("WD22CD")
        centre = (properties.get("lon"), properties.get("lat"))
        if None in centre:
            points = [point for ring in rings for point in ring]
            centre = (sum(p[0] for p in points) / len(points),
                      sum(p[1] for p in points) / len(points))
        shapes[code] = WardShape(code, properties.get("area_name") or code, rings, centre)
    return shapes


@dataclass(frozen=True)
class MapWard:
    code: str
    name: str
    gap_pp: float | str | None
    not_reflective: bool | str | None
    deprived_share: float | None  # share of its LSOAs in IMD deciles 1-2
    partners: int
    # For the table beside the map (the map itself shows the gap).
    workforce_share: float | str | None = None
    population_share: float | str | None = None
    declaration_rate: float | str | None = None


def gap_band(gap_pp: float | str | None) -> tuple[str, str]:
    """The fill colour and legend text for a gap; grey for none or suppressed."""
    if not isinstance(gap_pp, float | int):
        return NO_DATA, "No figure (no data or suppressed)"
    if gap_pp <= -20:
        index = 0
    elif gap_pp <= -10:
        index = 1
    elif gap_pp <= -5:
        index = 2
    elif gap_pp < 5:
        index = 3
    else:
        index = 4 if gap_pp < 10 else 5
    return GAP_BANDS[index]


def describe(ward: MapWard) -> str:
    """The text alternative of one ward, used as its ``<title>``."""
    if isinstance(ward.gap_pp, float | int):
        gap = f"gap {ward.gap_pp:+.1f} points"
    else:
        gap = "gap suppressed" if ward.gap_pp == SUPPRESSED else "no figure"
    parts = [f"{ward.name}: {gap}"]
    if ward.not_reflective is True:
        parts.append("not reflective")
    if ward.deprived_share is not None:
        parts.append(f"{ward.deprived_share:.0%} of neighbourhoods in England's most deprived 20%")
    parts.append(f"{ward.partners} active partner organisation{'s' if ward.partners != 1 else ''}")
    return "; ".join(parts)


def ward_map(boundaries: dict[str, WardShape], wards: list[MapWard], *, title: str,
             description: str, chart_id: str = "ward-map", width: int = 640) -> Markup:
    """A choropleth of ``wards`` (those with a boundary), with partner markers and a legend."""
    shapes = [(w, boundaries[w.code]) for w in wards if w.code in boundaries]
    points = [p for _w, shape in shapes for ring in shape.rings for p in ring]
    if not points:
        empty = svg_text(0, 30, "No ward boundaries match these wards.")
        return Markup(svg_open(chart_id, width, 60, title, description)  # noqa: S704 (escaped)
                      + empty + "</svg>")
    min_lon, max_lon = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    aspect = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = (width - 20) / ((max_lon - min_lon) * aspect)
    map_h = (max_lat - min_lat) * scale
    legend_top = map_h + 30
    height = int(legend_top + 22 * (len(GAP_BANDS) + 4) + 10)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return 10 + (lon - min_lon) * aspect * scale, 10 + (max_lat - lat) * scale

    hatch = f"{chart_id}-hatch"
    parts = [svg_open(chart_id, width, height, title, description),
             f"<defs>{hatch_pattern(hatch, INK)}</defs>"]
    for ward, shape in shapes:
        fill, _band_text = gap_band(ward.gap_pp)
        deprived = ward.deprived_share is not None and ward.deprived_share >= 0.5
        outline = f'stroke="{INK}" stroke-width="2.5"' if deprived else \
            'stroke="#ffffff" stroke-width="0.8"'
        path = _path(shape, xy)
        parts.append(f'<g class="recruit-map__ward"><title>{escape(describe(ward))}</title>'
                     f'<path d="{path}" fill="{fill}" fill-rule="evenodd" {outline}/>')
        if ward.not_reflective is True:
            parts.append(f'<path d="{path}" fill="url(#{hatch})" fill-opacity="0.35" '
                         f'fill-rule="evenodd" stroke="none"/>')
        parts.append("</g>")
    for ward, shape in shapes:
        if ward.partners:
            cx, cy = xy(*shape.centre)
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="9" fill="#ffffff" '
                         f'stroke="{INK}" stroke-width="1.5"/>')
            parts.append(svg_text(cx, cy + 4, str(ward.partners), size=11, anchor="middle",
                               weight="600"))
    parts.append(_legend(legend_top, hatch))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (all text escaped by svg_text/escape)


def _path(shape: WardShape, xy) -> str:
    commands = []
    for ring in shape.rings:
        previous = None
        points = []
        for lon, lat in ring:
            x, y = xy(lon, lat)
            point = f"{x:.1f},{y:.1f}"
            if point != previous:  # generalised boundaries still repeat points at this scale
                points.append(point)
                previous = point
        if len(points) > 2:
            commands.append("M" + "L".join(points) + "Z")
    return "".join(commands)


def _legend(top: float, hatch: str) -> str:
    parts = [svg_text(0, top, "Gap between workforce and population share", weight="600")]
    y = top + 10
    for fill, text in GAP_BANDS:
        parts.append(f'<rect x="0" y="{y:.1f}" width="18" height="14" fill="{fill}" '
                     f'stroke="{INK}" stroke-width="0.5"/>')
        parts.append(svg_text(26, y + 12, text, size=12))
        y += 22
    parts.append(f'<rect x="0" y="{y:.1f}" width="18" height="14" fill="{NO_DATA}"/>')
    parts.append(svg_text(26, y + 12, "No figure (no data or suppressed)", size=12))
    y += 22
    parts.append(f'<rect x="0" y="{y:.1f}" width="18" height="14" fill="url(#{hatch})" '
                 f'stroke="{INK}" stroke-width="0.5"/>')
    parts.append(svg_text(26, y + 12, "Hatched: not reflective", size=12))
    y += 22
    parts.append(f'<rect x="0" y="{y:.1f}" width="18" height="14" fill="#ffffff" '
                 f'stroke="{INK}" stroke-width="2.5"/>')
    parts.append(svg_text(26, y + 12, "Heavy outline: half or more of the ward in England's most "
                                   "deprived 20%", size=12))
    y += 22
    parts.append(f'<circle cx="9" cy="{y + 7:.1f}" r="8" fill="#ffffff" stroke="{INK}"/>')
    parts.append(svg_text(26, y + 12, "Number of active partner organisations", size=12))
    return "".join(parts)
