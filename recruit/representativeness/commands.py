"""``flask stats``: the representativeness and equality-standard figures on the terminal.

Unsuppressed by default (an HR tool); ``--suppress`` applies DOMAIN.md §7 as any published
output must.
"""

from __future__ import annotations

import json
from datetime import date

import click
from flask.cli import AppGroup

from recruit.errors import RecruitError
from recruit.extensions import db
from recruit.representativeness.services import snapshot_for
from recruit.statistics.calculations import DEFAULT_THRESHOLD, FIELDS, as_plain
from recruit.statistics.categories import CHARACTERISTICS, LEVELS
from recruit.statistics.queries import AREA_TYPES, Subset
from recruit.statistics.representation import (
    Selector,
    equality_standards,
    publish,
    publish_standards,
    representation_rows,
)

stats_cli = AppGroup("stats", help="Representativeness and equality-standard statistics.")

as_of_option = click.option("--as-of", "as_of", required=True,
                            type=click.DateTime(formats=["%Y-%m-%d"]),
                            help="Date of the workforce snapshot, YYYY-MM-DD.")
organisation_option = click.option(
    "--organisation", default=None,
    help="Organisation, when several have a snapshot on that date.")


def _snapshot(as_of, organisation):
    try:
        return snapshot_for(as_of.date(), organisation)
    except RecruitError as exc:
        raise click.ClickException(exc.message) from exc


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _number(value, percent: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value * 100:.1f}%" if percent else f"{value:.2f}"
    return str(value)


@stats_cli.command("representation")
@as_of_option
@click.option("--area-type", type=click.Choice(AREA_TYPES), default="catchment",
              show_default=True, help="Where staff are compared: where they live, or work (site).")
@click.option("--characteristic", type=click.Choice(CHARACTERISTICS), default="ethnicity",
              show_default=True)
@click.option("--level", type=click.Choice(LEVELS), default="group", show_default=True,
              help="Ethnicity: the five groups, or the sixteen NHS categories.")
@click.option("--subset", default="all", show_default=True,
              help="all, clinical, non_clinical, new_starters, programme, band:<band> or "
                   "staff_group:<name>.")
@click.option("--threshold", type=float, default=DEFAULT_THRESHOLD, show_default=True,
              help="Representation ratio below which a group can be flagged.")
@organisation_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--suppress", is_flag=True, help="Apply small-number suppression (DOMAIN.md §7).")
def representation(as_of, area_type, characteristic, level, subset, threshold, organisation,
                   as_json, suppress):
    """Workforce against population, one row per (area, group)."""
    try:
        chosen = Subset.parse(subset)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--subset") from exc
    snapshot = _snapshot(as_of, organisation)
    selector = Selector(snapshot.id, snapshot.as_of, area_type, characteristic, level, chosen,
                        threshold)
    rows = representation_rows(db.session, selector)
    if suppress:
        rows = [publish(row, threshold) for row in rows]
    if as_json:
        click.echo(json.dumps([{field: getattr(row, field) for field in FIELDS} for row in rows],
                              indent=2))
        return
    click.echo(f"{snapshot.label}: {characteristic} ({level}), {chosen.label}, by {area_type}")
    for row in rows:
        flag = "NOT REFLECTIVE" if row.not_reflective is True else ""
        click.echo(
            f"{row.area_name[:28]:<28} {row.group[:40]:<40} "
            f"{_number(row.workforce_count):>6} {_number(row.workforce_share, True):>7} "
            f"{_number(row.population_share, True):>7} RR {_number(row.ratio):>5} "
            f"declared {_number(row.declaration_rate, True):>6} {flag}"
        )


@stats_cli.command("wres")
@as_of_option
@organisation_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--suppress", is_flag=True, help="Apply small-number suppression (DOMAIN.md §7).")
def wres(as_of, organisation, as_json, suppress):
    """WRES indicators 1 and 2 and WDES metric 2 (three ways)."""
    snapshot = _snapshot(as_of, organisation)
    report = equality_standards(db.session, snapshot.id, snapshot.as_of)
    if suppress:
        report = publish_standards(report)
    if as_json:
        click.echo(json.dumps({
            "as_of": report.as_of, "period_start": report.period_start,
            "wres_indicator_1": as_plain(report.indicator_1),
            "wres_indicator_2": as_plain(report.indicator_2),
            "wdes_metric_2": as_plain(report.wdes_metric_2),
        }, indent=2, default=_json_default))
        return
    w1 = report.indicator_1
    click.echo(f"WRES indicator 1 ({snapshot.label}): BME share of the whole workforce "
               f"{_number(w1.bme_share, True)} (declared {_number(w1.declaration_rate, True)})")
    for title, rows in (("Clinical", w1.clinical), ("Non-clinical", w1.non_clinical)):
        click.echo(f"  {title}")
        for row in rows:
            click.echo(f"    {row.band:<28} BME {_number(row.bme_share, True):>7} "
                       f"(declared {_number(row.declaration_rate, True)})")
    for title, items in (("WRES indicator 2 (White / BME)", report.indicator_2),
                         ("WDES metric 2 (non-disabled / disabled)", report.wdes_metric_2)):
        click.echo(f"{title}, {report.period_start} to {report.as_of}")
        for item in items:
            click.echo(f"  {item.scope:<32} {_number(item.relative_likelihood)}")
