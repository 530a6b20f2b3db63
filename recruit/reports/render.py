"""The board pack from its figures: charts, HTML (Jinja) and a tagged PDF (WeasyPrint).

Rendering takes only the JSON-ready figures of :func:`recruit.reports.context.figures`, so a draft
(built now) and a published pack (frozen figures) go through the same code. The template gets
attribute-style plain objects, never ORM objects. The PDF is PDF/UA-1 (tagged) from
:func:`recruit.pdf.render_pdf`, whose URL fetcher reaches only the app's static files; its bytes
carry no timestamp, so the same figures give the same file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from flask import render_template
from markupsafe import Markup

from recruit.dashboard.charts import bars
from recruit.dashboard.services import breakdown_chart, trajectory_charts
from recruit.dashboard.tables import Table
from recruit.maps import WARD_BOUNDARIES, MapWard, load_wards, ward_map
from recruit.pdf import render_pdf

_DATE_FIELDS = {"starts_on", "deadline_on", "as_of", "projected_on", "ends_on"}


def _namespace(value: Any) -> Any:
    """Dicts as attribute-style objects, all the way down (templates use ``a.b``)."""
    if isinstance(value, dict):
        return SimpleNamespace(**{k: _namespace(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_namespace(v) for v in value]
    return value


def _with_dates(value: Any) -> Any:
    """A target's figures with its dates as dates again (for the chart's description)."""
    if isinstance(value, dict):
        return SimpleNamespace(**{
            k: (date.fromisoformat(v) if k in _DATE_FIELDS and isinstance(v, str)
                else _with_dates(v)) for k, v in value.items()})
    if isinstance(value, list):
        return [_with_dates(v) for v in value]
    return value


def _funnel_chart(table: dict, chart_id: str) -> Markup:
    rows = table["rows"]
    return bars([row[0] for row in rows], [("People", [row[1] for row in rows])],
                title=table["title"],
                description="; ".join(f"{row[0]} {row[1]:,}" for row in rows) + ".",
                chart_id=chart_id)


def _ward_map(figures: dict, data_dir: str) -> Markup | None:
    found = figures.get("representativeness")
    path = Path(data_dir) / WARD_BOUNDARIES
    if not found or not found["map_wards"] or not path.is_file():
        return None
    fields = set(MapWard.__dataclass_fields__)
    wards = [MapWard(**{k: v for k, v in w.items() if k in fields}) for w in found["map_wards"]]
    flagged = sum(1 for w in wards if w.not_reflective is True)
    return ward_map(load_wards(str(path)), wards,
                    title=f"Catchment wards shaded by the gap for {found['focus']}",
                    description=f"{len(wards)} wards; {flagged} flagged as not reflective for "
                                f"{found['focus']}. The table after the map gives every ward's "
                                "figures.", chart_id="pack-ward-map")


def charts(figures: dict, data_dir: str) -> dict[str, Markup]:
    """Every chart of the pack, drawn from its figures."""
    tables = figures["tables"]
    drawn = trajectory_charts([_with_dates(t) for t in figures["targets"]])
    drawn["funnel_quarter"] = _funnel_chart(tables["funnel_quarter"], "pack-funnel-quarter")
    drawn["funnel_year"] = _funnel_chart(tables["funnel_year"], "pack-funnel-year")
    drawn["by_partner_kind"] = breakdown_chart(Table.from_dict(tables["by_partner_kind"]),
                                               "pack-partner-kind")
    drawn["equality"] = breakdown_chart(Table.from_dict(tables["equality"]), "pack-equality")
    ward = _ward_map(figures, data_dir)
    if ward is not None:
        drawn["ward_map"] = ward
    return drawn


def render_html(figures: dict, data_dir: str) -> str:
    """The pack as a standalone HTML document (its stylesheet is ``/static/report.css``)."""
    return render_template("reports/board_pack.html", pack=_namespace(figures),
                           charts=charts(figures, data_dir))


def render(figures: dict, data_dir: str) -> bytes:
    """The pack as a tagged PDF."""
    return render_pdf(render_html(figures, data_dir))
