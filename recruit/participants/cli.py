"""``flask participants``: subject access and retention from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from recruit.extensions import db
from recruit.models import Participant
from recruit.participants import privacy

participants_cli = AppGroup("participants", help="Data-subject rights and retention.")


@participants_cli.command("export")
@click.argument("participant_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["json", "pdf"]), default="json")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output for JSON).")
def export(participant_id: int, fmt: str, output: Path | None):
    """Everything held about one participant (subject access request)."""
    from flask import render_template

    from recruit.pdf import render_pdf

    participant = db.session.get(Participant, participant_id)
    if participant is None:
        raise click.ClickException(f"No participant has the ID {participant_id}")
    data = privacy.subject_access(participant, actor=None)
    db.session.commit()
    if fmt == "pdf":
        if output is None:
            raise click.UsageError("--output is required for a PDF")
        output.write_bytes(render_pdf(render_template(
            "participants/subject_access.html", data=data, participant_id=participant_id)))
    else:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        if output is None:
            click.echo(text)
            return
        output.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {output}", err=True)


@participants_cli.command("purge")
@click.option("--older-than", "older_than", required=True,
              help="Retention period since the last activity, e.g. 6y, 18m or 90d.")
@click.option("--dry-run", is_flag=True, help="List who would be erased; change nothing.")
def purge(older_than: str, dry_run: bool):
    """Erase people whose last activity is older than the retention period."""
    try:
        period = privacy.parse_period(older_than)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--older-than") from None
    ids = privacy.purge(period, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo(f"{len(ids)} participant(s) would be erased" +
                   (f": IDs {', '.join(map(str, ids))}" if ids else ""))
    else:
        db.session.commit()
        click.echo(f"{len(ids)} participant(s) erased")
