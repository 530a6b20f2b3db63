"""``flask import <kind> FILE``: thin command-line wrappers over the import services."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from recruit.extensions import db
from recruit.models import User
from recruit.reference import services
from recruit.reference.importers import ImportRefused

import_cli = AppGroup("import", help="Import reference data, workforce extracts and outcomes.")
ERRORS_SHOWN = 20


class ClickProgress:
    """A terminal progress bar per stage (checking, then importing)."""

    def __init__(self) -> None:
        self._bar = None

    def start(self, label: str, total: int) -> None:
        self.finish()
        self._bar = click.progressbar(length=max(total, 1), label=label, file=click.get_text_stream(
            "stderr"), show_percent=True, show_eta=False)
        self._bar.__enter__()

    def advance(self, amount: int) -> None:
        if self._bar is not None and amount:
            self._bar.update(amount)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _run(kind: str, path: Path, by: str | None, **options) -> None:
    actor = None
    if by:
        actor = db.session.scalar(sa.select(User).where(User.email == by.strip().lower()))
        if actor is None:
            raise click.UsageError(f"No user has the email address {by!r}")
    progress = ClickProgress()
    try:
        summary = services.import_file(kind, path, actor=actor, progress=progress, **options)
    except ImportRefused as exc:
        progress.finish()
        db.session.rollback()
        click.echo(exc.message, err=True)
        for error in exc.errors[:ERRORS_SHOWN]:
            click.echo(f"  {error}", err=True)
        if exc.error_count > ERRORS_SHOWN:
            click.echo(f"  … and {exc.error_count - ERRORS_SHOWN:,} more problems.", err=True)
        raise click.exceptions.Exit(1) from exc
    db.session.commit()
    for line in summary.lines():
        click.echo(line)


def _file(command):
    command = click.option("--by", metavar="EMAIL",
                           help="The user making the import (recorded with it).")(command)
    return click.argument("path", metavar="FILE", type=click.Path(
        exists=True, dir_okay=False, path_type=Path))(command)


def _edition(help_text: str):
    return click.option("--edition", default=None, help=help_text)


@import_cli.command("census")
@_file
@_edition("Edition to record (default “Census 2021”).")
@click.option("--table", default=None, help="TS021, TS008, TS007A, TS030 or TS038 "
                                            "(recognised from the columns when not given).")
def census(path, by, edition, table):
    """Census 2021 counts: nomis bulk CSV or the tidy layout."""
    _run("census", path, by, edition=edition, table=table)


@import_cli.command("imd")
@_file
@_edition("Edition to record (default: IoD2019 for 2011 LSOAs, IoD2025 for 2021 LSOAs).")
def imd(path, by, edition):
    """English Indices of Deprivation: LSOA rank and decile (File 1 or File 7)."""
    _run("imd", path, by, edition=edition)


@import_cli.command("lsoa-wards")
@_file
@_edition("Ward edition (default: the year in the ward column, wd22cd → 2022).")
def lsoa_wards(path, by, edition):
    """An LSOA → ward → local authority best-fit lookup."""
    _run("lsoa-wards", path, by, edition=edition)


@import_cli.command("postcodes")
@_file
@_edition("Edition to record, e.g. “ONSPD Feb 2025”.")
def postcodes(path, by, edition):
    """An ONS Postcode Directory or NSPL extract (terminated postcodes kept)."""
    _run("postcodes", path, by, edition=edition)


@import_cli.command("workforce")
@_file
@click.option("--as-of", "as_of", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The date the extract describes (YYYY-MM-DD).")
@click.option("--organisation", default=None,
              help="Whose workforce (default: the ORGANISATION_NAME setting).")
def workforce(path, by, as_of, organisation):
    """An anonymised staff extract; home postcodes become areas and are not kept."""
    _run("workforce", path, by, as_of=as_of.date(), organisation=organisation)


@import_cli.command("diversity-return")
@_file
def diversity_return(path, by):
    """An aggregate return in the Open Innovations diversity data standard."""
    _run("diversity-return", path, by)


@import_cli.command("recruitment")
@_file
def recruitment(path, by):
    """Shortlisting and appointment outcomes (WRES 2, WDES 2)."""
    _run("recruitment", path, by)
