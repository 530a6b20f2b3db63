"""``flask report board``: the quarterly board pack from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from recruit import audit
from recruit.extensions import db
from recruit.models import BoardReport, ReportStatus
from recruit.reports import context, render, services
from recruit.statistics.periods import Quarter

report_cli = AppGroup("report", help="Board reports.")


@report_cli.command("board")
@click.option("--quarter", required=True, help="Financial quarter, e.g. 2025-Q1 (April to June).")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF file to write.")
def board(quarter: str, output: Path):
    """Write the board pack for a quarter: the published one, or a draft from today's data."""
    try:
        chosen = Quarter.parse(quarter)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--quarter") from None
    report = db.session.scalar(sa.select(BoardReport).where(BoardReport.quarter == str(chosen)))
    if report is not None:
        content = services.pdf_for(report, date.today(), actor=None)
        kind = report.status.value.lower()
    else:
        pack = context.build(db.session, chosen, services.settings(), today=date.today())
        content = render.render(context.figures(pack), services.settings().data_dir)
        audit.record("download", None, detail=f"board pack {chosen} (draft, no report yet)")
        kind = ReportStatus.draft.value.lower()
    db.session.commit()
    output.write_bytes(content)
    click.echo(f"Wrote the {kind} board pack for {chosen.label} to {output} "
               f"({len(content) // 1024:,} KB)")
